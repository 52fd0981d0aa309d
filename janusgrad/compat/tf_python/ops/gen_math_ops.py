"""tensorflow.python.ops.gen_math_ops: the op wrappers TF generates, with TF's argument names
(the gradients of sigmoid, tanh, sqrt, rsqrt and reciprocal are `(y, dy)`); each makes the op
of its name."""
from ....framework import dtypes
from ....framework.missing import missing_names as _missing_names
from ....ops import math as _math
from ....ops import matmul as _matmul
from ....ops import reduce as _reduce
from ....ops.math import (add_n, ceil, cos, erf, exp, expm1, floor, is_finite, is_inf,
                          is_nan, log, log1p, reciprocal, reciprocal_grad, round, rsqrt,
                          rsqrt_grad, sigmoid, sigmoid_grad, sign, sin, sqrt, sqrt_grad,
                          square, tan, tanh, tanh_grad)
from ....ops.math import negative as neg
from ....ops.math import reciprocal as inv


def add_v2(x, y, name=None):
    return _math.add(x, y, name=name)


def mul(x, y, name=None):
    return _math.multiply(x, y, name=name)


def sub(x, y, name=None):
    return _math.subtract(x, y, name=name)


def real_div(x, y, name=None):
    return _math.real_div(x, y, name=name)


def maximum(x, y, name=None):
    return _math.maximum(x, y, name=name)


def minimum(x, y, name=None):
    return _math.minimum(x, y, name=name)


def squared_difference(x, y, name=None):
    return _math.squared_difference(x, y, name=name)


def floor_div(x, y, name=None):
    return _math.floordiv(x, y, name=name)


def floor_mod(x, y, name=None):
    return _math.floormod(x, y, name=name)


def div_no_nan(x, y, name=None):
    return _math.divide_no_nan(x, y, name=name)


def pow(x, y, name=None):  # noqa: A001
    return _math.pow(x, y, name=name)


def greater(x, y, name=None):
    return _math.greater(x, y, name=name)


def greater_equal(x, y, name=None):
    return _math.greater_equal(x, y, name=name)


def less(x, y, name=None):
    return _math.less(x, y, name=name)


def less_equal(x, y, name=None):
    return _math.less_equal(x, y, name=name)


def equal(x, y, incompatible_shape_error=True, name=None):
    return _math.equal(x, y, name=name)


def not_equal(x, y, incompatible_shape_error=True, name=None):
    return _math.not_equal(x, y, name=name)


def logical_and(x, y, name=None):
    return _math.logical_and(x, y, name=name)


def logical_or(x, y, name=None):
    return _math.logical_or(x, y, name=name)


def logical_not(x, name=None):
    return _math.logical_not(x, name=name)


def cast(x, DstT, Truncate=False, name=None):  # noqa: N803  (TF's argument names)
    return _math.cast(x, dtypes.as_dtype(DstT), name=name)


def mat_mul(a, b, transpose_a=False, transpose_b=False, grad_a=False, grad_b=False, name=None):
    return _matmul.matmul(a, b, transpose_a=transpose_a, transpose_b=transpose_b, name=name)


def batch_mat_mul_v2(x, y, adj_x=False, adj_y=False, grad_x=False, grad_y=False, name=None):
    return _matmul.matmul(x, y, adjoint_a=adj_x, adjoint_b=adj_y, name=name)


def _reduction(fn):
    def reduction(input, axis, keep_dims=False, name=None):  # noqa: A002
        return fn(input, axis, keepdims=keep_dims, name=name)

    reduction.__name__ = fn.__name__
    return reduction


mean = _reduction(_reduce.reduce_mean)
prod = _reduction(_reduce.reduce_prod)
_sum = _reduction(_reduce.reduce_sum)
_max = _reduction(_reduce.reduce_max)
_min = _reduction(_reduce.reduce_min)
_any = _reduction(_reduce.reduce_any)
_all = _reduction(_reduce.reduce_all)


def arg_max(input, dimension, output_type=dtypes.int64, name=None):  # noqa: A002
    return _reduce.argmax(input, dimension, output_type=output_type, name=name)


def arg_min(input, dimension, output_type=dtypes.int64, name=None):  # noqa: A002
    return _reduce.argmin(input, dimension, output_type=output_type, name=name)


def cumsum(x, axis, exclusive=False, reverse=False, name=None):
    return _reduce.cumsum(x, axis, exclusive=exclusive, reverse=reverse, name=name)


__getattr__ = _missing_names(__name__)
