"""tf.config.experimental."""
from ...framework.missing import missing_names as _missing_names
from ..devices import (LogicalDeviceConfiguration as VirtualDeviceConfiguration,  # noqa: F401
                       enable_op_determinism, get_device_details, get_memory_growth,
                       get_visible_devices, list_logical_devices, list_physical_devices,
                       set_memory_growth, set_visible_devices)
from ..devices import get_logical_device_configuration as get_virtual_device_configuration  # noqa: F401,E501
from ..devices import set_logical_device_configuration as set_virtual_device_configuration  # noqa: F401,E501

__getattr__ = _missing_names(__name__, "tf.config.experimental")
