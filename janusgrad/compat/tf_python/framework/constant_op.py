"""tensorflow.python.framework.constant_op."""
from ....framework.missing import missing_names as _missing_names
from ....framework.tensor import constant  # noqa: F401

constant_v1 = constant
__getattr__ = _missing_names(__name__)
