"""tensorflow.python.ops.linalg_ops."""
from ....ops.array import eye
from ....ops.linalg import cholesky, cholesky_solve, norm, qr, svd
from ....ops.matmul import einsum
from ....framework.missing import missing_names as _missing_names

__getattr__ = _missing_names(__name__)
