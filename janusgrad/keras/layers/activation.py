"""Activation layers: Softmax (issue 18: the gaps the TF programs found)."""
from ...framework import dtypes
from ...framework.shape import TensorShape
from ...framework.tensor import convert_to_tensor
from ...ops import nn
from ...ops.math import exp, greater, where_v2
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
