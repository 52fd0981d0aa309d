"""tensorflow.python.module.module."""
from ....compat.module import Module, camel_to_snake, valid_identifier  # noqa: F401
from ....framework.missing import missing_names as _missing_names

__getattr__ = _missing_names(__name__)
