"""Devices: janusgrad runs everything on the CPU, and says so as TensorFlow does on a machine
without a GPU.

`tf.device("/gpu:0")` scopes are accepted and change nothing (`tensor.device` stays as it is);
`tf.config.list_physical_devices("GPU")` is [] and ("CPU") one PhysicalDevice; the settings
programs make before they start (memory growth, visible devices, thread counts, soft placement)
are accepted, checked as TF checks them, and read back; `tf.test.is_gpu_available()` is False.
"""
import collections
import contextlib
import threading

from ..framework.context import current_graph
from ..framework.device_spec import check_spec

PhysicalDevice = collections.namedtuple("PhysicalDevice", ["name", "device_type"])
LogicalDevice = collections.namedtuple("LogicalDevice", ["name", "device_type"])


class LogicalDeviceConfiguration(collections.namedtuple(
        "LogicalDeviceConfiguration",
        ["memory_limit", "experimental_priority", "experimental_device_ordinal"])):
    """The configuration of one logical (virtual) device: memory_limit and its priority and
    ordinal, for `tf.config.set_logical_device_configuration`."""
    def __new__(cls, memory_limit=None, experimental_priority=None,
                experimental_device_ordinal=None):
        return super().__new__(cls, memory_limit, experimental_priority,
                               experimental_device_ordinal)


CPU = PhysicalDevice("/physical_device:CPU:0", "CPU")
_CPU_LOGICAL = LogicalDevice("/device:CPU:0", "CPU")

_lock = threading.Lock()
_settings = {"visible": [CPU], "intra": 0, "inter": 0, "soft_placement": True,
             "log_placement": False, "virtual": {}}


def _device_type(function, device_type):
    if device_type is not None and not isinstance(device_type, str):
        raise TypeError(f"{function}: device_type must be a string such as 'GPU' or 'CPU', got "
                        f"{device_type!r}")
    return None if device_type is None else device_type.upper()


def list_physical_devices(device_type=None):
    """The CPU: [] for "GPU", "TPU" and any other type."""
    kind = _device_type("list_physical_devices", device_type)
    return [CPU] if kind in (None, "CPU") else []


def list_logical_devices(device_type=None):
    """The logical devices: one CPU device ('/device:CPU:0'), none for 'GPU' or any other type."""
    kind = _device_type("list_logical_devices", device_type)
    return [_CPU_LOGICAL] if kind in (None, "CPU") else []


def _known(function, device):
    if device != CPU:
        raise ValueError(f"{function}: Unrecognized device: {device!r}")


def set_memory_growth(device, enable):
    """TF's ValueError for any device janusgrad has (the CPU has no memory growth)."""
    _known("set_memory_growth", device)
    raise ValueError("Cannot set memory growth on non-GPU and non-Pluggable devices")


def get_memory_growth(device):
    """TF's ValueError for any device janusgrad has (the CPU has no memory growth)."""
    _known("get_memory_growth", device)
    raise ValueError("Cannot get memory growth on non-GPU and non-Pluggable devices")


def get_device_details(device):
    """The details of a physical device: {} for the CPU."""
    _known("get_device_details", device)
    return {}


def set_visible_devices(devices, device_type=None):
    """Accepted (and read back by get_visible_devices); everything still runs on the CPU."""
    devices = [devices] if isinstance(devices, PhysicalDevice) else list(devices)
    kind = _device_type("set_visible_devices", device_type)
    for d in devices:
        if not isinstance(d, PhysicalDevice):
            raise ValueError(f"set_visible_devices: Unrecognized device: {d!r}")
        _known("set_visible_devices", d)
    with _lock:
        if kind is None:
            _settings["visible"] = devices
        elif kind == "CPU":
            _settings["visible"] = [d for d in devices if d.device_type == "CPU"]


def get_visible_devices(device_type=None):
    """The physical devices the program may use (by default the CPU), of `device_type` if given."""
    kind = _device_type("get_visible_devices", device_type)
    return [d for d in _settings["visible"] if kind is None or d.device_type == kind]


def set_logical_device_configuration(device, logical_devices):
    """Set the logical devices a physical device is split into: accepted and read back, without
    effect."""
    _known("set_logical_device_configuration", device)
    _settings["virtual"][device] = None if logical_devices is None else list(logical_devices)


def get_logical_device_configuration(device):
    """The logical device configurations set for a physical device, or None."""
    _known("get_logical_device_configuration", device)
    return _settings["virtual"].get(device)


def _threads(function, key, num_threads):
    if isinstance(num_threads, bool) or not isinstance(num_threads, int) or num_threads < 0:
        raise TypeError(f"{function}: num_threads must be an int >= 0 (0 lets the system "
                        f"choose), got {num_threads!r}")
    _settings[key] = num_threads


def set_intra_op_parallelism_threads(num_threads):
    _threads("set_intra_op_parallelism_threads", "intra", num_threads)


def get_intra_op_parallelism_threads():
    return _settings["intra"]


def set_inter_op_parallelism_threads(num_threads):
    _threads("set_inter_op_parallelism_threads", "inter", num_threads)


def get_inter_op_parallelism_threads():
    return _settings["inter"]


def set_soft_device_placement(enabled):
    """Turn soft device placement on or off: accepted and read back, without effect."""
    _settings["soft_placement"] = bool(enabled)


def get_soft_device_placement():
    """Whether soft device placement is on (True by default, as in TF)."""
    return _settings["soft_placement"]


def set_log_device_placement(enabled):
    """Turn the logging of device placement on or off: accepted and read back; nothing is logged."""
    _settings["log_placement"] = bool(enabled)


def get_log_device_placement():
    """Whether device placement logging was turned on."""
    return _settings["log_placement"]


def enable_op_determinism():
    """janusgrad's ops are deterministic already."""


def device(device_name):
    """`with tf.device("/gpu:0"):` and `/cpu:0`: accepted, no effect (everything runs on the CPU).

    TF 2's ValueError for a name that is not a device spec; a function (TF1 graphs place ops
    with one) is accepted in graph mode."""
    if device_name is not None and not callable(device_name):
        check_spec(device_name)
    graph = current_graph()
    if graph is None:                 # eagerly: tensors say they are on the CPU, as in TF
        return contextlib.nullcontext()
    # issue 18: in a graph, ops record the scope's device as TF does (Graph.device)
    return graph.device(device_name)


def device_v2(device_name):
    """`with tf.device(name):` records the device on the ops built in a graph, as TF does. It
    places nothing: everything runs on the CPU."""
    if callable(device_name):
        raise RuntimeError("tf.device does not support functions.")
    return device(device_name)


# -- tf.test's questions about the build --
def is_gpu_available(cuda_only=False, min_cuda_compute_capability=None):
    """Whether a GPU is available: False (janusgrad runs on the CPU)."""
    return False


def is_built_with_cuda():
    """Whether TensorFlow was built with CUDA: False."""
    return False


def is_built_with_rocm():
    """Whether TensorFlow was built with ROCm: False."""
    return False


def is_built_with_gpu_support():
    """Whether TensorFlow was built with GPU support: False."""
    return False


def is_built_with_xla():
    """Whether TensorFlow was built with XLA: False."""
    return False


def gpu_device_name():
    """The name of a GPU device: always '' (janusgrad runs on the CPU)."""
    return ""


class DeviceAttributes:
    """What tensorflow.python.client.device_lib.list_local_devices() returns per device."""

    def __init__(self, name, device_type, memory_limit=268435456):
        self.name, self.device_type, self.memory_limit = name, device_type, memory_limit
        self.physical_device_desc = ""
        self.incarnation = 1

    def __repr__(self):
        return (f'name: "{self.name}"\ndevice_type: "{self.device_type}"\n'
                f"memory_limit: {self.memory_limit}\nincarnation: {self.incarnation}\n")


def list_local_devices(session_config=None):
    return [DeviceAttributes("/device:CPU:0", "CPU")]
