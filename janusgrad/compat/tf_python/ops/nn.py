"""tensorflow.python.ops.nn, which is also tf.compat.v1.nn: TF 1's conv2d, dropout, moments and
softmax_cross_entropy_with_logits (see nn_ops), the other names as tf.nn's."""
from ....framework.missing import missing_names as _missing_names
from ....ops import nn as _nn
from ....ops.conv import avg_pool, avg_pool2d, conv2d_transpose, max_pool, max_pool2d
from ....ops.math import sigmoid, softplus, tanh
from ....ops.nn import (batch_normalization, bias_add, elu, embedding_lookup, gelu, l2_loss,
                        l2_normalize, leaky_relu, log_softmax, relu, relu6, selu,
                        sigmoid_cross_entropy_with_logits, silu, softmax,
                        sparse_softmax_cross_entropy_with_logits)
from ....ops.nn import silu as swish
from .nn_ops import (conv2d, dropout, softmax_cross_entropy_with_logits,
                     softmax_cross_entropy_with_logits_v2)


def moments(x, axes, shift=None, name=None, keep_dims=None, keepdims=None):
    """TF 1's moments: `keep_dims` (or `keepdims`)."""
    keep = keepdims if keepdims is not None else bool(keep_dims)
    return _nn.moments(x, axes, shift, keep, name)


__getattr__ = _missing_names(__name__)
