"""tensorflow.python.ops.special_math_ops."""
from ....ops.matmul import einsum
from ....framework.missing import missing_names as _missing_names

__getattr__ = _missing_names(__name__)
