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
    _EPSILON[0] = float(value)


def floatx():
    return _FLOATX[0]


def set_floatx(value):
    _FLOATX[0] = str(value)


def clear_session():
    """Reset Keras's layer-name counters ('dense', 'dense_1', ...)."""
    from .layers.base import name_counts
    name_counts.clear()


def constant(value, dtype=None, shape=None, name=None):
    return _constant(value, dtype or floatx(), shape=shape, name=name)


def variable(value, dtype=None, name=None):
    return Variable(np.asarray(value, dtype or floatx()), name=name)


def get_value(x):
    return np.asarray(x.numpy())


def set_value(x, value):
    x.assign(np.asarray(value, x.dtype.np))


def batch_get_value(tensors):
    return [get_value(x) for x in tensors]


def mean(x, axis=None, keepdims=False):
    return reduce_mean(x, axis, keepdims)


def sum(x, axis=None, keepdims=False):  # noqa: A001
    return reduce_sum(x, axis, keepdims)


def max(x, axis=None, keepdims=False):  # noqa: A001
    return reduce_max(x, axis, keepdims)


def min(x, axis=None, keepdims=False):  # noqa: A001
    return reduce_min(x, axis, keepdims)


def clip(x, min_value, max_value):
    return clip_by_value(x, min_value, max_value)


def relu(x):
    return nn.relu(x)


def softmax(x, axis=-1):
    return nn.softmax(x, axis=axis)


def concatenate(tensors, axis=-1):
    return concat(list(tensors), axis)


def int_shape(x):
    return tuple(convert_to_tensor(x).shape.as_list())


def ndim(x):
    return convert_to_tensor(x).shape.rank

# -- a name janusgrad lacks is a clear error (issue 18, running TF programs unchanged) --
from ..framework.missing import missing_names as _missing_names  # noqa: E402
__getattr__ = _missing_names(__name__)
