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

PhysicalDevice = collections.namedtuple("PhysicalDevice", ["name", "device_type"])
LogicalDevice = collections.namedtuple("LogicalDevice", ["name", "device_type"])


class LogicalDeviceConfiguration(collections.namedtuple(
        "LogicalDeviceConfiguration",
        ["memory_limit", "experimental_priority", "experimental_device_ordinal"])):
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
    _known("get_memory_growth", device)
    raise ValueError("Cannot get memory growth on non-GPU and non-Pluggable devices")


def get_device_details(device):
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
    kind = _device_type("get_visible_devices", device_type)
    return [d for d in _settings["visible"] if kind is None or d.device_type == kind]


def set_logical_device_configuration(device, logical_devices):
    _known("set_logical_device_configuration", device)
    _settings["virtual"][device] = None if logical_devices is None else list(logical_devices)


def get_logical_device_configuration(device):
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
    _settings["soft_placement"] = bool(enabled)


def get_soft_device_placement():
    return _settings["soft_placement"]


def set_log_device_placement(enabled):
    _settings["log_placement"] = bool(enabled)


def get_log_device_placement():
    return _settings["log_placement"]


def enable_op_determinism():
    """janusgrad's ops are deterministic already."""


def device(device_name):
    """`with tf.device("/gpu:0"):` and `/cpu:0`: accepted, no effect (everything runs on the CPU).

    TF 2's ValueError for a name that is not a device spec; a function (TF1 graphs place ops
    with one) is accepted in graph mode."""
    if device_name is not None and not callable(device_name):
        _check_spec(device_name)
    graph = current_graph()
    if graph is None:                 # eagerly: tensors say they are on the CPU, as in TF
        return contextlib.nullcontext()
    # issue 18: in a graph, ops record the scope's device as TF does ('/cpu:0' is
    # '/device:CPU:0', merged with the enclosing scope's; a function's answer as it is)
    if device_name is None or callable(device_name):
        return graph.device_scope(device_name or "")
    outer = graph.current_device()
    return graph.device_scope(merge_device_specs("" if callable(outer) else outer, device_name))


def device_v2(device_name):
    if callable(device_name):
        raise RuntimeError("tf.device does not support functions.")
    return device(device_name)


_DEVICE_TYPES = ("CPU", "GPU", "TPU", "XLA_CPU", "XLA_GPU")


def _check_spec(spec):
    """TF's parse of a device spec (DeviceSpec._string_to_components), for its errors."""
    if not isinstance(spec, str):
        raise ValueError(f"Expecting a string device name. Got {type(spec)}({spec!r})")
    kinds = 0
    for y in (part.split(":") for part in spec.split("/")):
        if len(y) == 2 and y[0] in ("job", "replica", "task"):
            continue
        if len(y) in (1, 2) and y[0].upper() in _DEVICE_TYPES or len(y) == 3 and y[0] == "device":
            kinds += 1
            if kinds > 1:
                raise ValueError("Multiple device types are not allowed while parsing the "
                                 f"device spec: {spec}.")
            index = y[-1] if len(y) > 1 else "*"
            if index != "*":
                int(index)
        elif y[0] != "":
            raise ValueError(f"Unknown attribute '{y[0]}' is encountered while parsing the "
                             f"device spec: '{spec}'.")


# -- issue 18: device specs as TF writes them ---------------------------------------------------
_FIELDS = ("job", "replica", "task")


def _spec_fields(spec):
    """{job, replica, task, type, index} of a (checked) spec; absent fields left out."""
    out = {}
    for part in spec.split("/"):
        y = part.split(":")
        if len(y) == 2 and y[0] in _FIELDS:
            out[y[0]] = y[1]
        elif y[0] == "device" and len(y) == 3:
            out["type"], out["index"] = y[1].upper(), y[2]
        elif y[0] and y[0].upper() in _DEVICE_TYPES:
            out["type"], out["index"] = y[0].upper(), y[1] if len(y) > 1 else "*"
    return out


def merge_device_specs(outer, inner):
    """The canonical spec of `inner` inside a scope of `outer` (inner's fields win)."""
    fields = _spec_fields(outer) if outer else {}
    fields.update(_spec_fields(inner))
    text = "".join(f"/{k}:{fields[k]}" for k in _FIELDS if k in fields)
    if "type" in fields:
        text += f"/device:{fields['type']}:{fields['index']}"
    return text


# -- tf.test's questions about the build --
def is_gpu_available(cuda_only=False, min_cuda_compute_capability=None):
    return False


def is_built_with_cuda():
    return False


def is_built_with_rocm():
    return False


def is_built_with_gpu_support():
    return False


def is_built_with_xla():
    return False


def gpu_device_name():
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
