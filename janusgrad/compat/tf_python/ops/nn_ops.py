"""tensorflow.python.ops.nn_ops: TF's names here are TF 1's functions (conv2d takes `filter`
and `use_cudnn_on_gpu`, dropout takes `keep_prob`, softmax_cross_entropy_with_logits stops the
gradient at the labels), so these take TF 1's arguments too; dropout_v2 and
softmax_cross_entropy_with_logits_v2 are TF 2's."""
from ....framework.missing import missing_names as _missing_names
from ....ops import conv as _conv
from ....ops import nn as _nn
from ....ops.conv import avg_pool, avg_pool2d, conv2d_transpose, max_pool, max_pool2d
from ....ops.math import softplus
from ....ops.array import stop_gradient
from ....ops.nn import (bias_add, elu, gelu, l2_loss, leaky_relu, log_softmax, relu, relu6,
                        selu, softmax, sparse_softmax_cross_entropy_with_logits)

dropout_v2 = _nn.dropout
conv2d_v2 = _conv.conv2d


def conv2d(input, filter=None, strides=None, padding=None, use_cudnn_on_gpu=True,  # noqa: A002
           data_format="NHWC", dilations=(1, 1, 1, 1), name=None, filters=None):
    """TF 1's conv2d (tf.compat.v1.nn.conv2d): `filter`, and `use_cudnn_on_gpu` ignored."""
    return _conv.conv2d(input, filter if filters is None else filters, strides, padding,
                        data_format, dilations, name)


def dropout(x, keep_prob=None, noise_shape=None, seed=None, name=None, rate=None):
    """TF 1's dropout: `keep_prob` (or `rate` = 1 - keep_prob)."""
    if keep_prob is not None and rate is not None:
        raise ValueError("dropout: Cannot specify both 'keep_prob' and 'rate'.")
    if keep_prob is None and rate is None:
        raise ValueError("dropout: `rate` must be provided. Received: rate=None")
    return _nn.dropout(x, 1 - keep_prob if rate is None else rate, noise_shape, seed, name)


def softmax_cross_entropy_with_logits(_sentinel=None, labels=None, logits=None, dim=-1,
                                      name=None, axis=None):
    """TF 1's: no gradient reaches the labels (softmax_cross_entropy_with_logits_v2 is TF 2's)."""
    if _sentinel is not None:
        raise ValueError("Only call `softmax_cross_entropy_with_logits` with named arguments "
                         "(labels=..., logits=..., ...)")
    return _nn.softmax_cross_entropy_with_logits(stop_gradient(labels), logits,
                                                 dim if axis is None else axis, name)


def softmax_cross_entropy_with_logits_v2(labels, logits, axis=None, name=None, dim=None):
    """TF 2's: labels get a gradient too."""
    axis = dim if axis is None else axis
    return _nn.softmax_cross_entropy_with_logits(labels, logits, -1 if axis is None else axis,
                                                 name)


__getattr__ = _missing_names(__name__)
