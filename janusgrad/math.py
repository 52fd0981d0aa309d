"""tf.math."""
from .ops.array import zeros_like  # noqa: F401
from .ops.math import (abs, add, add_n, cast, ceil, cos, divide, divide_no_nan,  # noqa: F401,A004
                       equal, erf, exp, expm1, floor, floordiv, floormod, greater, greater_equal,
                       is_finite, is_inf, is_nan, less, less_equal, log, log1p, logical_and,
                       logical_not, logical_or, logical_xor, maximum, minimum, multiply, negative,
                       not_equal, pow, reciprocal, round, rsqrt, scalar_mul, sigmoid, sign, sin,
                       softplus, sqrt, square, squared_difference, subtract, tan, tanh, truediv)
from .ops.math import floormod as mod  # noqa: F401
from .ops.reduce import (argmax, argmin, cumsum, reduce_all, reduce_any,  # noqa: F401
                         reduce_logsumexp, reduce_max, reduce_mean, reduce_min, reduce_prod,
                         reduce_sum)

# -- the gaps the TF programs found (issue 18): top_k --
from .ops.sort import top_k  # noqa: E402,F401

# -- IndexedSlices (issue 19): the op that densifies them --
from .ops.segment import unsorted_segment_sum  # noqa: F401,E402

# -- tensor functions real programs use (issue 18): segment reductions, moments --
from .ops.segment import (segment_max, segment_mean, segment_min, segment_prod,  # noqa: F401,E402
                          segment_sum, unsorted_segment_max, unsorted_segment_mean,
                          unsorted_segment_min, unsorted_segment_prod)
from .ops.moments import reduce_euclidean_norm, reduce_std, reduce_variance  # noqa: F401,E402

# -- a name janusgrad lacks is a clear error (issue 18, running TF programs unchanged) --
from .framework.missing import missing_names as _missing_names  # noqa: E402
__getattr__ = _missing_names(__name__)
