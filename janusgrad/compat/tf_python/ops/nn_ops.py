"""tensorflow.python.ops.nn_ops: TF's names here are TF 1's functions (conv2d takes `filter`
and `use_cudnn_on_gpu`, dropout takes `keep_prob`), so these take TF 1's arguments too;
dropout_v2 is TF 2's dropout (`rate`)."""
from ....framework.missing import missing_names as _missing_names
from ....ops import conv as _conv
from ....ops import nn as _nn
from ....ops.conv import avg_pool, avg_pool2d, conv2d_transpose, max_pool, max_pool2d
from ....ops.math import softplus
from ....ops.nn import (bias_add, elu, gelu, l2_loss, leaky_relu, log_softmax, relu, relu6,
                        selu, softmax, softmax_cross_entropy_with_logits,
                        sparse_softmax_cross_entropy_with_logits)

dropout_v2 = _nn.dropout
conv2d_v2 = _conv.conv2d


def conv2d(input, filter=None, strides=None, padding=None, use_cudnn_on_gpu=True,  # noqa: A002
           data_format="NHWC", dilations=(1, 1, 1, 1), name=None, filters=None):
    """TF 1's conv2d (tf.compat.v1.nn.conv2d): `filter`, and `use_cudnn_on_gpu` ignored."""
    return _conv.conv2d(input, filter if filters is None else filters, strides, padding,
                        data_format, dilations, name)


def dropout(x, keep_prob=None, noise_shape=None, seed=None, name=None, rate=None):
    """TF 1's dropout: `keep_prob` (or `rate` = 1 - keep_prob)."""
    if (keep_prob is None) == (rate is None):
        raise ValueError("dropout: give exactly one of keep_prob and rate")
    return _nn.dropout(x, 1 - keep_prob if rate is None else rate, noise_shape, seed, name)


__getattr__ = _missing_names(__name__)
