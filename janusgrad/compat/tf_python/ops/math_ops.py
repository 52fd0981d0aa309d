"""tensorflow.python.ops.math_ops."""
from ....ops.linalg import matvec, trace
from ....ops.math import (abs, add, add_n, cast, ceil, cos, divide,
                          divide as truediv, equal, erf, exp, expm1, floor, floordiv, floormod,
                          floormod as mod, greater, greater_equal, is_finite, is_inf, is_nan,
                          less, less_equal, linspace, log, log1p, logical_and, logical_not,
                          logical_or, logical_xor, maximum, minimum, multiply, negative,
                          not_equal, pow, range_ as range, real_div as realdiv, reciprocal, round,
                          rsqrt, scalar_mul, sigmoid, sign, sin, softplus, sqrt, square,
                          squared_difference, subtract, tan, tanh)
from ....ops.matmul import matmul, tensordot
from ....ops.reduce import (argmax, argmin, cumsum, reduce_all, reduce_any,
                            reduce_logsumexp, reduce_max, reduce_mean, reduce_min, reduce_prod,
                            reduce_sum)
from ....framework.missing import missing_names as _missing_names

__getattr__ = _missing_names(__name__)
