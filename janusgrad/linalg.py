"""tf.linalg."""
from .ops.array import eye  # noqa: F401
from .ops.linalg import (adjoint, cholesky, cholesky_solve, det, eigh, eigvalsh,  # noqa: F401
                         inv, logdet, matrix_transpose, matvec, norm, qr, slogdet, solve, svd,
                         trace, triangular_solve)
from .ops.linalg import matrix_band_part as band_part  # noqa: F401
from .ops.linalg import matrix_diag as diag  # noqa: F401
from .ops.linalg import matrix_diag_part as diag_part  # noqa: F401
from .ops.linalg import matrix_set_diag as set_diag  # noqa: F401
from .ops.matmul import einsum, matmul, tensordot  # noqa: F401

# -- issue 18 (the gaps the TF programs found) --
from .ops.reduce import global_norm  # noqa: E402,F401

# -- a name janusgrad lacks is a clear error (issue 18, running TF programs unchanged) --
from .framework.missing import missing_names as _missing_names  # noqa: E402
__getattr__ = _missing_names(__name__)
