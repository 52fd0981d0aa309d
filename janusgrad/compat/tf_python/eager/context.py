"""tensorflow.python.eager.context: the mode, and `context()`, the process's context, whose
device questions janusgrad answers as TF does on a machine with a CPU only."""
from ....framework import context as _mode
from ....framework.context import eager_mode, executing_eagerly
from ....framework.missing import missing_names as _missing_names
from ....ops.random import set_seed as set_global_seed
from ... import devices as _devices
from ...config_proto import ConfigProto
from ...devices import LogicalDevice, LogicalDeviceConfiguration, PhysicalDevice, device

GRAPH_MODE, EAGER_MODE = 0, 1
SYNC, ASYNC = 0, 1
DEVICE_PLACEMENT_EXPLICIT, DEVICE_PLACEMENT_WARN, DEVICE_PLACEMENT_SILENT = 0, 1, 2
DEVICE_PLACEMENT_SILENT_FOR_INT32 = 3


def in_eager_mode():
    return executing_eagerly()


def num_gpus():
    return 0


class Context:
    """What `context.context()` answers: the mode, the device (the CPU), the settings."""
    device_name = "/job:localhost/replica:0/task:0/device:CPU:0"
    scope_name = ""
    device_policy = DEVICE_PLACEMENT_SILENT
    execution_mode = SYNC

    def executing_eagerly(self):
        return _mode.executing_eagerly()

    def ensure_initialized(self):
        pass

    def num_gpus(self):
        return 0

    def devices(self):
        return [self.device_name]

    def device(self, name):
        return device(name)

    @property
    def config(self):
        return ConfigProto(intra_op_parallelism_threads=self.intra_op_parallelism_threads,
                           inter_op_parallelism_threads=self.inter_op_parallelism_threads,
                           allow_soft_placement=self.soft_device_placement,
                           log_device_placement=self.log_device_placement)

    intra_op_parallelism_threads = property(
        lambda self: _devices.get_intra_op_parallelism_threads(),
        lambda self, n: _devices.set_intra_op_parallelism_threads(n))
    inter_op_parallelism_threads = property(
        lambda self: _devices.get_inter_op_parallelism_threads(),
        lambda self, n: _devices.set_inter_op_parallelism_threads(n))
    soft_device_placement = property(lambda self: _devices.get_soft_device_placement(),
                                     lambda self, v: _devices.set_soft_device_placement(v))
    log_device_placement = property(lambda self: _devices.get_log_device_placement(),
                                    lambda self, v: _devices.set_log_device_placement(v))

    list_physical_devices = staticmethod(_devices.list_physical_devices)
    list_logical_devices = staticmethod(_devices.list_logical_devices)
    get_visible_devices = staticmethod(_devices.get_visible_devices)
    set_visible_devices = staticmethod(_devices.set_visible_devices)
    get_memory_growth = staticmethod(_devices.get_memory_growth)
    set_memory_growth = staticmethod(_devices.set_memory_growth)
    get_logical_device_configuration = staticmethod(_devices.get_logical_device_configuration)
    set_logical_device_configuration = staticmethod(_devices.set_logical_device_configuration)


_CONTEXT = Context()


def context():
    return _CONTEXT


def context_safe():
    return _CONTEXT


__all__ = ["Context", "context", "context_safe", "executing_eagerly", "eager_mode",
           "in_eager_mode", "num_gpus", "device", "set_global_seed", "PhysicalDevice",
           "LogicalDevice", "LogicalDeviceConfiguration"]
__getattr__ = _missing_names(__name__)
