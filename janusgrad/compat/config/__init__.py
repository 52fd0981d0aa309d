"""tf.config: devices (the CPU only: janusgrad runs there) and the settings programs make."""
from ...framework.missing import missing_names as _missing_names
from ..devices import (LogicalDevice, LogicalDeviceConfiguration, PhysicalDevice,  # noqa: F401
                       get_logical_device_configuration, get_soft_device_placement,
                       get_visible_devices, list_logical_devices, list_physical_devices,
                       set_logical_device_configuration, set_soft_device_placement,
                       set_visible_devices)
from . import experimental, threading  # noqa: F401

__getattr__ = _missing_names(__name__, "tf.config")
