"""tf.keras.backend: the Keras 2 backend functions TF programs still call as `K.*`."""
import numpy as np

from ..autodiff.gradients import gradients  # noqa: F401
from ..framework.tensor import constant as _constant
from ..framework.tensor import convert_to_tensor
from ..ops.state import Variable
from ..ops import nn
from ..ops.array import (concat, expand_dims, ones_like, reshape, squeeze,  # noqa: F401
                         stop_gradient, transpose, zeros_like)
from ..ops.math import (abs, cast, clip_by_value, exp, log, maximum, minimum,  # noqa: F401,A004
                        sigmoid, sign, sqrt, square, tanh)
from ..ops.math import round  # noqa: F401,A004
from ..ops.matmul import matmul as dot  # noqa: F401
from ..ops.reduce import reduce_max, reduce_mean, reduce_min, reduce_sum  # noqa: F401

_EPSILON = [1e-7]
_FLOATX = ["float32"]


def epsilon():
    """The fuzz factor added to denominators and clipped probabilities (1e-7)."""
    return _EPSILON[0]


def set_epsilon(value):
    """Set the fuzz factor Keras adds to avoid division by zero (1e-7 by default)."""
    _EPSILON[0] = float(value)


def floatx():
    """The default float type of Keras, as a string ('float32')."""
    return _FLOATX[0]


def set_floatx(value):
    """Set the default float type of Keras, as a string such as 'float64'."""
    _FLOATX[0] = str(value)


def clear_session():
    """Reset Keras's layer-name counters ('dense', 'dense_1', ...)."""
    from .layers.base import name_counts
    name_counts.clear()


def constant(value, dtype=None, shape=None, name=None):
    """A constant tensor of `value`, of dtype `floatx()` unless `dtype` is given."""
    return _constant(value, dtype or floatx(), shape=shape, name=name)


def variable(value, dtype=None, name=None):
    """A variable holding `value`, of dtype `floatx()` unless `dtype` is given."""
    return Variable(np.asarray(value, dtype or floatx()), name=name)


def get_value(x):
    """The value of a variable or tensor, as a NumPy array."""
    return np.asarray(x.numpy())


def set_value(x, value):
    """Assign the NumPy value `value` to the variable `x`."""
    x.assign(np.asarray(value, x.dtype.np))


def batch_get_value(tensors):
    """The values of a list of variables or tensors, as NumPy arrays."""
    return [get_value(x) for x in tensors]


def mean(x, axis=None, keepdims=False):
    """The mean of `x` over `axis` (all axes by default)."""
    return reduce_mean(x, axis, keepdims)


def sum(x, axis=None, keepdims=False):  # noqa: A001
    """The sum of `x` over `axis` (all axes by default)."""
    return reduce_sum(x, axis, keepdims)


def max(x, axis=None, keepdims=False):  # noqa: A001
    """The maximum of `x` over `axis` (all axes by default)."""
    return reduce_max(x, axis, keepdims)


def min(x, axis=None, keepdims=False):  # noqa: A001
    """The minimum of `x` over `axis` (all axes by default)."""
    return reduce_min(x, axis, keepdims)


def clip(x, min_value, max_value):
    """Clip `x` element-wise to [min_value, max_value]."""
    return clip_by_value(x, min_value, max_value)


def relu(x):
    """max(x, 0). Only `x`: Keras's alpha, max_value and threshold arguments are not taken."""
    return nn.relu(x)


def softmax(x, axis=-1):
    """The softmax of `x` along `axis` (the last by default)."""
    return nn.softmax(x, axis=axis)


def concatenate(tensors, axis=-1):
    """Join a list of tensors along `axis` (the last by default)."""
    return concat(list(tensors), axis)


def int_shape(x):
    """The shape of a tensor as a tuple of ints, None for unknown dimensions."""
    return tuple(convert_to_tensor(x).shape.as_list())


def ndim(x):
    """The number of dimensions of a tensor (its rank), as an int."""
    return convert_to_tensor(x).shape.rank

# -- a name janusgrad lacks is a clear error (issue 18, running TF programs unchanged) --
from ..framework.missing import missing_names as _missing_names  # noqa: E402
__getattr__ = _missing_names(__name__)
