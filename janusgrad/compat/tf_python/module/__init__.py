"""tensorflow.python.module (its modules are imported by name)."""
from ....framework.missing import missing_names as _missing_names

__getattr__ = _missing_names(__name__)
