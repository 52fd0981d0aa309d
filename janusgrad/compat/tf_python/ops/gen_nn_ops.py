"""tensorflow.python.ops.gen_nn_ops: the op wrappers TF generates, with TF's argument names and
defaults; each makes the op of its name. The gradient ops (relu_grad, max_pool_grad,
bias_add_grad, conv2d_backprop_input ...) are janusgrad's own, with their own gradients.
janusgrad's convolutions and pools take NHWC data only (NCHW is a NotImplementedError here)."""
import collections

from ....framework.execute import execute
from ....framework.missing import missing_names as _missing_names
from ....framework.tensor import convert_to_tensor
from ....ops import conv as _conv
from ....ops import nn as _nn
from ....ops.math import softplus, sigmoid, multiply
from ....ops.nn import (elu, elu_grad, l2_loss, relu, relu6, relu6_grad, relu_grad, selu,
                        selu_grad)


def _nhwc(function, data_format):
    if data_format not in ("NHWC", b"NHWC"):
        raise NotImplementedError(f"gen_nn_ops.{function}: janusgrad takes NHWC data only, got "
                                  f"data_format={data_format!r}")


def _padding(function, padding, explicit_paddings):
    """`padding`, with TF's "EXPLICIT" (8 ints in explicit_paddings) as janusgrad's pairs."""
    if padding in ("EXPLICIT", b"EXPLICIT"):
        p = list(explicit_paddings)
        if len(p) != 8:
            raise ValueError(f"gen_nn_ops.{function}: explicit_paddings must hold 8 ints, got "
                             f"{p}")
        return [p[0:2], p[2:4], p[4:6], p[6:8]]
    if explicit_paddings:
        raise ValueError(f"gen_nn_ops.{function}: explicit_paddings is for padding='EXPLICIT'")
    return padding.decode() if isinstance(padding, bytes) else padding


def leaky_relu(features, alpha=0.2, name=None):
    return _nn.leaky_relu(features, alpha, name=name)


def leaky_relu_grad(gradients, features, alpha=0.2, name=None):
    return _nn.leaky_relu_grad(gradients, features, alpha)


def softplus_grad(gradients, features, name=None):
    """gradients * sigmoid(features) (janusgrad composes it: it has no SoftplusGrad op)."""
    return multiply(gradients, sigmoid(features), name=name)


def softmax(logits, name=None):
    return _nn.softmax(logits, name=name)


def log_softmax(logits, name=None):
    return _nn.log_softmax(logits, name=name)


def bias_add(value, bias, data_format="NHWC", name=None):
    return _nn.bias_add(value, bias, data_format, name=name)


def bias_add_grad(out_backprop, data_format="NHWC", name=None):
    return _nn.bias_add_grad(out_backprop, data_format)


_Xent = collections.namedtuple("SoftmaxCrossEntropyWithLogits", ["loss", "backprop"])


def softmax_cross_entropy_with_logits(features, labels, name=None):
    """(loss, backprop): the two outputs of the op, backprop = softmax(features) - labels."""
    features, labels = convert_to_tensor(features), convert_to_tensor(labels)
    return _Xent(*execute("SoftmaxCrossEntropyWithLogits", [features, labels], {"axis": -1},
                          name=name))


def sparse_softmax_cross_entropy_with_logits(features, labels, name=None):
    """(loss, backprop) for integer labels."""
    features, labels = convert_to_tensor(features), convert_to_tensor(labels)
    return _Xent(*execute("SparseSoftmaxCrossEntropyWithLogits", [features, labels],
                          name=name))


def conv2d(input, filter, strides, padding, use_cudnn_on_gpu=True,  # noqa: A002
           explicit_paddings=(), data_format="NHWC", dilations=(1, 1, 1, 1), name=None):
    _nhwc("conv2d", data_format)
    return _conv.conv2d(input, filter, strides, _padding("conv2d", padding, explicit_paddings),
                        "NHWC", dilations, name)


def conv2d_backprop_input(input_sizes, filter, out_backprop, strides, padding,  # noqa: A002
                          use_cudnn_on_gpu=True, explicit_paddings=(), data_format="NHWC",
                          dilations=(1, 1, 1, 1), name=None):
    _nhwc("conv2d_backprop_input", data_format)
    return _conv.conv2d_backprop_input(
        input_sizes, filter, out_backprop, strides,
        _padding("conv2d_backprop_input", padding, explicit_paddings), dilations, name)


def conv2d_backprop_filter(input, filter_sizes, out_backprop, strides, padding,  # noqa: A002
                           use_cudnn_on_gpu=True, explicit_paddings=(), data_format="NHWC",
                           dilations=(1, 1, 1, 1), name=None):
    _nhwc("conv2d_backprop_filter", data_format)
    return _conv.conv2d_backprop_filter(
        input, filter_sizes, out_backprop, strides,
        _padding("conv2d_backprop_filter", padding, explicit_paddings), dilations)


def max_pool(input, ksize, strides, padding, explicit_paddings=(),  # noqa: A002
             data_format="NHWC", name=None):
    _nhwc("max_pool", data_format)
    return _conv.max_pool(input, ksize, strides, _padding("max_pool", padding,
                                                          explicit_paddings), name=name)


def avg_pool(value, ksize, strides, padding, data_format="NHWC", name=None):
    _nhwc("avg_pool", data_format)
    return _conv.avg_pool(value, ksize, strides, padding, name=name)


def max_pool_grad(orig_input, orig_output, grad, ksize, strides, padding,
                  explicit_paddings=(), data_format="NHWC", name=None):
    _nhwc("max_pool_grad", data_format)
    return _conv.max_pool_grad(orig_input, orig_output, grad, ksize, strides,
                               _padding("max_pool_grad", padding, explicit_paddings))


def max_pool_grad_grad(orig_input, orig_output, grad, ksize, strides, padding,
                       data_format="NHWC", name=None):
    _nhwc("max_pool_grad_grad", data_format)
    return _conv.max_pool_grad_grad(orig_input, orig_output, grad, ksize, strides, padding)


def avg_pool_grad(orig_input_shape, grad, ksize, strides, padding, data_format="NHWC",
                  name=None):
    _nhwc("avg_pool_grad", data_format)
    return _conv.avg_pool_grad(orig_input_shape, grad, ksize, strides, padding)


__getattr__ = _missing_names(__name__)
