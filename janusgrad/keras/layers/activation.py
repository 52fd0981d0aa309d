"""Activation layers: Softmax, LeakyReLU, ReLU, ELU (issue 18: the gaps the TF programs found)."""
from ...framework import dtypes
from ...framework.shape import TensorShape
from ...framework.tensor import convert_to_tensor
from ...ops import nn
from ...ops.math import cast, exp, greater, minimum, where_v2
from ...ops.reduce import reduce_logsumexp
from .base import Layer


class Softmax(Layer):
    """softmax of the inputs along `axis` (an int, or several axes normalized together); with
    `mask`, masked positions get -1e9 before the softmax (-3e4 in float16, as Keras) and 0
    after it, so that a fully masked row is all zeros."""

    def __init__(self, axis=-1, **kwargs):
        super().__init__(**kwargs)
        self.axis = axis
        self.supports_masking = True

    def call(self, inputs, mask=None):
        x = convert_to_tensor(inputs)
        if mask is not None:
            mask = convert_to_tensor(mask)
            _check_mask(x.shape, mask.shape)
            if not mask.dtype.is_bool:
                mask = greater(mask, convert_to_tensor(0.5, mask.dtype))
            big = -3e4 if x.dtype is dtypes.float16 else -1e9
            x = where_v2(mask, x, convert_to_tensor(big, x.dtype))
        axis = self.axis
        if isinstance(axis, (list, tuple)) and len(axis) > 1:
            out = exp(x - reduce_logsumexp(x, axis=list(axis), keepdims=True))
        else:
            out = nn.softmax(x, axis=axis[0] if isinstance(axis, (list, tuple)) else axis)
        if mask is not None:
            out = where_v2(mask, out, convert_to_tensor(0.0, out.dtype))
        return out

    def compute_output_shape(self, input_shape):
        return TensorShape(input_shape)


def _check_mask(x_shape, m_shape):
    """Keras' rule: the mask broadcasts to the inputs, each of its dimensions 1 or theirs."""
    if x_shape.rank is None or m_shape.rank is None:
        return
    if m_shape.rank > x_shape.rank:
        raise ValueError("The `mask` must be broadcastable to `inputs` and must not have more "
                         f"dimensions. Received: inputs.shape={tuple(x_shape.as_list())}, "
                         f"mask.shape={tuple(m_shape.as_list())}")
    for m, d in zip(reversed(m_shape.as_list()), reversed(x_shape.as_list())):
        if m is not None and d is not None and m != 1 and m != d:
            raise ValueError("The `mask` must be broadcastable to `inputs`. Each mask dimension "
                             "must be 1 or match the corresponding input dimension. Received: "
                             f"inputs.shape={tuple(x_shape.as_list())}, "
                             f"mask.shape={tuple(m_shape.as_list())}")


# -- the activation layers TF programs use (issue 18) -----------------------------------------

class LeakyReLU(Layer):
    """x if x >= 0 else negative_slope * x (Keras 3 names it negative_slope; `alpha`, the
    Keras 2 name, is still accepted, as Keras 3 accepts it with a warning)."""

    def __init__(self, negative_slope=0.3, **kwargs):
        if "alpha" in kwargs:
            negative_slope = kwargs.pop("alpha")
        super().__init__(**kwargs)
        if negative_slope is None or negative_slope < 0:
            raise ValueError("The negative_slope value of a Leaky ReLU layer cannot be None or "
                             "negative value. Expected a float. Received: "
                             f"negative_slope={negative_slope}")
        self.negative_slope = negative_slope
        self.supports_masking = True

    def call(self, inputs):
        return nn.leaky_relu(convert_to_tensor(inputs), alpha=self.negative_slope)

    def compute_output_shape(self, input_shape):
        return TensorShape(input_shape)

    def get_config(self):
        return {**super().get_config(), "negative_slope": self.negative_slope}


class ReLU(Layer):
    """Keras' relu: x for threshold < x < max_value, max_value above it, and
    negative_slope * (x - threshold) at or below the threshold."""

    def __init__(self, max_value=None, negative_slope=0.0, threshold=0.0, **kwargs):
        super().__init__(**kwargs)
        if max_value is not None and max_value < 0.0:
            raise ValueError("max_value of a ReLU layer cannot be a negative value. Received: "
                             f"max_value={max_value}")
        if negative_slope is None or negative_slope < 0.0:
            raise ValueError("negative_slope of a ReLU layer cannot be None or a negative "
                             f"value. Received: negative_slope={negative_slope}")
        if threshold is None or threshold < 0.0:
            raise ValueError("threshold of a ReLU layer cannot be None or a negative value. "
                             f"Received: threshold={threshold}")
        self.max_value, self.negative_slope, self.threshold = max_value, negative_slope, threshold
        self.supports_masking = True

    def call(self, inputs):
        x = convert_to_tensor(inputs)
        t = convert_to_tensor(self.threshold, x.dtype)
        if self.threshold:
            pos = x * cast(greater(x, t), x.dtype)     # keras: 0 at or below the threshold
        else:
            pos = nn.relu(x)
        if self.max_value is not None:
            pos = minimum(pos, convert_to_tensor(self.max_value, x.dtype))
        if self.negative_slope:
            pos = pos - convert_to_tensor(self.negative_slope, x.dtype) * nn.relu(t - x)
        return pos

    def compute_output_shape(self, input_shape):
        return TensorShape(input_shape)

    def get_config(self):
        return {**super().get_config(), "max_value": self.max_value,
                "negative_slope": self.negative_slope, "threshold": self.threshold}


class ELU(Layer):
    """x if x > 0 else alpha * (exp(x) - 1)."""

    def __init__(self, alpha=1.0, **kwargs):
        super().__init__(**kwargs)
        self.alpha = alpha
        self.supports_masking = True

    def call(self, inputs):
        y = nn.elu(convert_to_tensor(inputs))
        if self.alpha == 1.0:
            return y
        return where_v2(greater(y, convert_to_tensor(0.0, y.dtype)), y,
                        y * convert_to_tensor(self.alpha, y.dtype))

    def compute_output_shape(self, input_shape):
        return TensorShape(input_shape)

    def get_config(self):
        return {**super().get_config(), "alpha": self.alpha}
