"""tensorflow.python.ops.nn (what tf.compat.v1.nn is made of: TF 1's conv2d, dropout and
moments, see nn_ops)."""
from ....framework.missing import missing_names as _missing_names
from ....ops import nn as _nn
from ....ops.conv import avg_pool, avg_pool2d, conv2d_transpose, max_pool, max_pool2d
from ....ops.math import sigmoid, softplus, tanh
from ....ops.nn import (batch_normalization, bias_add, elu, embedding_lookup, gelu, l2_loss,
                        l2_normalize, leaky_relu, log_softmax, relu, relu6, selu,
                        sigmoid_cross_entropy_with_logits, softmax,
                        softmax_cross_entropy_with_logits,
                        sparse_softmax_cross_entropy_with_logits)
from ....ops.nn import silu as swish
from .nn_ops import conv2d, dropout


def moments(x, axes, shift=None, name=None, keep_dims=None, keepdims=None):
    """TF 1's moments: `keep_dims` (or `keepdims`)."""
    keep = keepdims if keepdims is not None else bool(keep_dims)
    return _nn.moments(x, axes, shift, keep, name)


__getattr__ = _missing_names(__name__)
