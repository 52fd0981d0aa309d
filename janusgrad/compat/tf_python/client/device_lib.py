"""tensorflow.python.client.device_lib: the local devices (the CPU)."""
from ....framework.missing import missing_names as _missing_names
from ...devices import list_local_devices

__getattr__ = _missing_names(__name__)
