"""Neural-network ops (tf.nn): activations, softmax, cross-entropies, bias_add, dropout, moments.

Also l2_loss, embedding_lookup and the normalization helpers; kernel and gradient side by side.
conv2d and pooling live in conv.py, which builds on this file.
"""
import numbers

import numpy as np

from ..framework import dtypes
from ..framework.context import executing_eagerly as _eager
from ..framework.errors import InvalidArgumentError, UnimplementedError, in_api, short_repr
from ..framework.execute import eager_run, execute
from ..framework.registry import OPS, gradient, not_differentiable, register_kernel
from ..framework.shape import TensorShape
from ..framework.tensor import EagerTensor, Tensor, convert_to_tensor
from .array import (constant_value, expand_dims, identity, shape_entries, shape_tensor, squeeze,
                    zeros_like)
from .control import name_scope, op_scope
from .define import PerDtype, as_int, convert_same_dtype, fixed, floating, op
from .indexing import gather
from .math import (add, cast, erf, exp, greater_equal, log1p, maximum, multiply, negative, rsqrt,
                   sigmoid, square, squared_difference, tanh, where_v2)
from .random import generator, has_tensors, uniform
from .reduce import reduce_mean, reduce_sum


def is_real(dt):
    return dt.is_floating or dt.is_integer


def shape_text(s):
    """A static shape the way TF prints it in error messages: [2,?,3]."""
    s = s if isinstance(s, TensorShape) else TensorShape(s)
    if s.rank is None:
        return "<unknown>"
    return "[" + ",".join("?" if d is None else str(d) for d in s.dims) + "]"


def attr_or(op, name, default):
    """op.get_attr(name), or `default` for ops built by create_op without that attr."""
    try:
        return op.get_attr(name)
    except ValueError:
        return default


# -- rectifiers ----------------------------------------------------------------------------------

@op("Relu", allowed=is_real)
def relu(features):
    """Rectified linear unit: max(features, 0)."""
    # the maximum with an array of zeros: NumPy's SIMD loop takes two arrays, not an array and
    # a scalar (several times slower); the same bits as np.maximum(features, 0)
    out = np.zeros(features.shape, features.dtype)
    return np.maximum(features, out, out=out)


@op("ReluGrad")
def relu_grad(gradients, features):
    # TF's formula, gradients * cast(features > 0): so a NaN or Inf gradient where the unit is
    # off gives NaN, and a negative one -0.0, as in TF; the float-by-bool product is also the
    # fastest form in NumPy (no select, no cast pass)
    return np.multiply(gradients, np.greater(features, 0))


@gradient("Relu", inputs=())
def _relu_grad(op, dy):
    """dy where y > 0"""
    return relu_grad(dy, op.outputs[0])


@gradient("ReluGrad", outputs=())
def _relu_grad_grad(op, dy):
    """relu_grad(dy, features); the mask is piecewise constant in features"""
    features = op.inputs[1]
    return relu_grad(dy, features), zeros_like(features)


@op("Relu6", allowed=is_real)
def relu6(features):
    """min(max(features, 0), 6)."""
    return np.clip(features, 0, 6).astype(features.dtype, copy=False)


@op("Relu6Grad")
def relu6_grad(gradients, features):
    # TF's product, as relu_grad's
    return np.multiply(gradients, np.logical_and(features > 0, features < 6))


@gradient("Relu6", inputs=())
def _relu6_grad(op, dy):
    """dy where 0 < y < 6"""
    return relu6_grad(dy, op.outputs[0])


@gradient("Relu6Grad")
def _relu6_grad_grad(op, dy):
    """relu6_grad(dy, features); the mask is piecewise constant in features"""
    features = op.inputs[1]
    return relu6_grad(dy, features), zeros_like(features)


def _leaky_relu_kernel(features, *, alpha):
    return np.where(features > 0, features, features * np.asarray(alpha, features.dtype))


def _leaky_relu_grad_kernel(gradients, features, *, alpha):
    return np.where(features > 0, gradients, gradients * np.asarray(alpha, gradients.dtype))


register_kernel("LeakyRelu", _leaky_relu_kernel)
register_kernel("LeakyReluGrad", _leaky_relu_grad_kernel)


def leaky_relu(features, alpha=0.2, name=None):
    """features where positive, alpha * features elsewhere (integers become float32, as TF)."""
    features = convert_to_tensor(features)
    if features.dtype.is_integer:
        features = cast(features, dtypes.float32)
    if not features.dtype.is_floating:
        raise TypeError(f"LeakyRelu: dtype {features.dtype.name} is not supported")
    return execute("LeakyRelu", [features], {"alpha": float(alpha)}, name=name)[0]


def leaky_relu_grad(gradients, features, alpha):
    gradients, features = convert_same_dtype("LeakyReluGrad", [gradients, features],
                                             ["gradients", "features"])
    return execute("LeakyReluGrad", [gradients, features], {"alpha": float(alpha)})[0]


@gradient("LeakyRelu")
def _leaky_relu_grad(op, dy):
    """dy where x > 0, alpha * dy elsewhere"""
    return leaky_relu_grad(dy, op.inputs[0], op.get_attr("alpha"))


@gradient("LeakyReluGrad")
def _leaky_relu_grad_grad(op, dy):
    """leaky_relu_grad(dy, features); the slope is piecewise constant in features"""
    features = op.inputs[1]
    return leaky_relu_grad(dy, features, op.get_attr("alpha")), zeros_like(features)


# -- exponential units ---------------------------------------------------------------------------

_SELU_SCALE = 1.0507009873554804934193349852946
_SELU_ALPHA = 1.6732632423543772848170429916717
# the numbers the kernels combine with arrays, in the arrays' dtype (whatever NumPy's promotion
# rules: a Python float would make a 0-d float32 float64 under NumPy 1.x)
_ZERO, _ONE = PerDtype(0), PerDtype(1)
_SCALE, _SCALE_ALPHA = PerDtype(_SELU_SCALE), PerDtype(_SELU_SCALE * _SELU_ALPHA)


@op("Elu", allowed=floating)
def elu(features):
    """Exponential linear unit: x where x > 0, else exp(x) - 1."""
    # expm1 of the clipped value: the branch not taken must not overflow
    clipped = np.minimum(features, _ZERO[features.dtype])
    return np.where(features > 0, features, np.expm1(clipped))


@op("EluGrad")
def elu_grad(gradients, outputs):
    return np.where(outputs < 0, gradients * (outputs + _ONE[outputs.dtype]), gradients)


@gradient("Elu", inputs=())
def _elu_grad(op, dy):
    """dy * (y + 1) where y < 0, dy elsewhere"""
    return elu_grad(dy, op.outputs[0])


@gradient("EluGrad")
def _elu_grad_grad(op, dy):
    """elu_grad(dy, y), dy * gradients where y < 0"""
    gradients, y = op.inputs
    return elu_grad(dy, y), where_v2(y < 0, dy * gradients, zeros_like(y))


@op("Selu", allowed=floating)
def selu(features):
    """Scaled exponential linear unit: scale * x where x > 0, else scale * alpha * (exp(x) - 1)."""
    dt = features.dtype
    negative_part = _SCALE_ALPHA[dt] * np.expm1(np.minimum(features, _ZERO[dt]))
    return np.where(features > 0, features * _SCALE[dt], negative_part)


@op("SeluGrad")
def selu_grad(gradients, outputs):
    dt = outputs.dtype
    return np.where(outputs < 0, gradients * (outputs + _SCALE_ALPHA[dt]), gradients * _SCALE[dt])


@gradient("Selu", inputs=())
def _selu_grad(op, dy):
    """dy * (y + scale * alpha) where y < 0, dy * scale elsewhere"""
    return selu_grad(dy, op.outputs[0])


@gradient("SeluGrad")
def _selu_grad_grad(op, dy):
    """selu_grad(dy, y), dy * gradients where y < 0"""
    gradients, y = op.inputs
    return selu_grad(dy, y), where_v2(y < 0, dy * gradients, zeros_like(y))


# -- smooth activations built from other ops (as in TF) ------------------------------------------

def gelu(features, approximate=False, name=None):
    """x * Phi(x), Phi the standard normal CDF (or its tanh approximation)."""
    with name_scope(name, "Gelu"):
        features = convert_to_tensor(features)
        if not features.dtype.is_floating:
            raise ValueError(in_api("`features.dtype` must be a floating point tensor. Received: "
                                    f"features.dtype={features.dtype.name}"))
        if approximate:
            cube = features * features * features
            inner = (features + cube * 0.044715) * 0.7978845608028654
            return 0.5 * features * (1.0 + tanh(inner))
        return 0.5 * features * (1.0 + erf(features * 0.7071067811865476))


def silu(features, beta=1.0, name=None):
    """x * sigmoid(beta * x), also called swish."""
    with name_scope(name, "swish"):
        features = convert_to_tensor(features)
        if beta == 1.0:
            return features * sigmoid(features)
        return features * sigmoid(features * beta)


swish = silu


# -- softmax ---------------------------------------------------------------------------------------

def _upcast(x):
    """float16 is computed in float32 (as TF does for its reductions)."""
    return x.astype(np.float32) if x.dtype == np.float16 else x


def _softmax_kernel(logits, *, axis=-1):
    x = _upcast(logits)
    if x.size == 0:
        return logits.copy()
    e = np.exp(x - x.max(axis, keepdims=True))
    e /= e.sum(axis, keepdims=True)
    return e.astype(logits.dtype, copy=False)


def _log_softmax_kernel(logits, *, axis=-1):
    x = _upcast(logits)
    if x.size == 0:
        return logits.copy()
    z = x - x.max(axis, keepdims=True)
    z -= np.log(np.exp(z).sum(axis, keepdims=True))
    return z.astype(logits.dtype, copy=False)


def _softmax_infer(inputs, attrs):
    _check_axis(inputs[0].shape.rank, attrs.get("axis", -1))
    return [(inputs[0].dtype, inputs[0].shape)]


register_kernel("Softmax", _softmax_kernel, infer=_softmax_infer)
register_kernel("LogSoftmax", _log_softmax_kernel, infer=_softmax_infer)


def _check_axis(rank, axis):
    if rank is None:
        return
    if rank == 0:
        raise InvalidArgumentError(in_api("logits must have >= 1 dimension, got []"))
    if not -rank <= axis < rank:
        raise InvalidArgumentError(in_api(f"`dim` must be in the range [{-rank}, {rank}) where "
                                          f"{rank} is the number of dimensions in the input. "
                                          f"Received: dim={axis}"))


def _softmax_call(op_type, logits, axis, name):
    logits = convert_to_tensor(logits)
    if not logits.dtype.is_floating:
        raise TypeError(f"Value passed to parameter 'logits' of op '{op_type}' has DataType "
                        f"{logits.dtype.name} not in the list of allowed values: float16, "
                        "float32, float64")
    if isinstance(axis, Tensor):
        value = constant_value(axis)
        if value is None:
            raise NotImplementedError(f"{op_type}: axis must be known when the graph is built")
        axis = value
    axis = -1 if axis is None else as_int(op_type, "axis", axis)
    _check_axis(logits.shape.rank, axis)
    return execute(op_type, [logits], {"axis": axis}, name=name)[0]


def softmax(logits, axis=None, name=None):
    """exp(logits) / sum(exp(logits)) along `axis` (the last by default)."""
    return _softmax_call("Softmax", logits, axis, name)


def log_softmax(logits, axis=None, name=None):
    """logits - log(sum(exp(logits))) along `axis` (the last by default)."""
    return _softmax_call("LogSoftmax", logits, axis, name)


@gradient("Softmax", inputs=())
def _softmax_grad(op, dy):
    """(dy - sum(dy * y)) * y"""
    y = op.outputs[0]
    axis = attr_or(op, "axis", -1)
    return (dy - reduce_sum(dy * y, axis, keepdims=True)) * y


@gradient("LogSoftmax", inputs=())
def _log_softmax_grad(op, dy):
    """dy - sum(dy) * exp(y)"""
    axis = attr_or(op, "axis", -1)
    return dy - reduce_sum(dy, axis, keepdims=True) * exp(op.outputs[0])


# -- cross-entropies ---------------------------------------------------------------------------

def sigmoid_cross_entropy_with_logits(labels=None, logits=None, name=None):
    """max(x, 0) - x * z + log(1 + exp(-|x|)) for logits x and labels z: never overflows."""
    if labels is None or logits is None:
        raise ValueError(in_api("Both labels and logits must be provided."))
    with name_scope(name, "logistic_loss") as name:
        logits, labels = convert_same_dtype("sigmoid_cross_entropy_with_logits",
                                            [logits, labels], ["logits", "labels"])
        if not logits.shape.is_compatible_with(labels.shape):
            raise ValueError(in_api(f"logits and labels must have the same shape "
                                    f"({logits.shape} vs {labels.shape})"))
        zeros = zeros_like(logits)
        positive = greater_equal(logits, zeros)
        relu_logits = where_v2(positive, logits, zeros)
        neg_abs_logits = where_v2(positive, negative(logits), logits)
        return add(relu_logits - logits * labels, log1p(exp(neg_abs_logits)), name=name)


def _softmax_xent_kernel(features, labels, *, axis=-1):
    """loss = -sum(labels * log_softmax), backprop = softmax - labels (TF's kernel: exact when
    each labels vector sums to one)."""
    if features.shape != labels.shape:
        raise InvalidArgumentError(in_api(f"logits and labels must be broadcastable: "
                                          f"logits_size={list(features.shape)} "
                                          f"labels_size={list(labels.shape)}"))
    x, z = _upcast(features), _upcast(labels)
    if x.shape[axis] == 0:
        return [np.zeros(np.delete(x.shape, axis % x.ndim), features.dtype), features.copy()]
    # the ufuncs' own reductions and in-place steps on this kernel's temporaries: on the small
    # arrays of a classifier the per-call costs dominate (the arithmetic is unchanged)
    log_p = np.subtract(x, np.maximum.reduce(x, axis, keepdims=True))
    log_p -= np.log(np.add.reduce(np.exp(log_p), axis, keepdims=True))
    loss = np.negative(np.add.reduce(np.multiply(z, log_p), axis))
    backprop = np.exp(log_p)
    backprop -= z
    return [loss.astype(features.dtype, copy=False), backprop.astype(features.dtype, copy=False)]


def _softmax_xent_infer(inputs, attrs):
    logits = inputs[0].shape.merge_with(inputs[1].shape)
    if logits.rank is None:
        return [(inputs[0].dtype, TensorShape(None)), (inputs[0].dtype, logits)]
    dims = logits.dims
    del dims[attrs.get("axis", -1) % len(dims)]
    return [(inputs[0].dtype, TensorShape(dims)), (inputs[0].dtype, logits)]


register_kernel("SoftmaxCrossEntropyWithLogits", _softmax_xent_kernel, multi=True,
                infer=_softmax_xent_infer)


def softmax_cross_entropy_with_logits(labels, logits, axis=-1, name=None):
    """-sum(labels * log_softmax(logits)) along `axis`; labels get a gradient too (TF2). Its
    labels gradient keeps the second-order term TF's drops (second derivatives are right)."""
    if type(logits) is EagerTensor and type(labels) is EagerTensor and type(axis) is int and \
            labels.dtype is logits.dtype and logits.dtype.is_floating and \
            labels._value.shape == logits._value.shape and \
            -logits._value.ndim <= axis < logits._value.ndim and _eager():
        # eager, the usual arguments: what the checks below would pass, then the op
        return eager_run(OPS["SoftmaxCrossEntropyWithLogits"], [logits, labels],
                         {"axis": axis})[0]
    logits = convert_to_tensor(logits)
    if not logits.dtype.is_floating:
        raise TypeError(f"softmax_cross_entropy_with_logits: logits must be floating, got "
                        f"{logits.dtype.name}")
    labels = cast(convert_to_tensor(labels), logits.dtype)   # TF casts labels to logits' dtype
    axis = as_int("SoftmaxCrossEntropyWithLogits", "axis", axis)
    _check_axis(logits.shape.rank, axis)
    if not logits.shape.is_compatible_with(labels.shape):
        raise InvalidArgumentError(in_api(f"logits and labels must be broadcastable: "
                                          f"logits_size={shape_text(logits.shape)} "
                                          f"labels_size={shape_text(labels.shape)}"))
    with op_scope(name, "softmax_cross_entropy_with_logits") as name:
        return execute("SoftmaxCrossEntropyWithLogits", [logits, labels], {"axis": axis},
                       name=name)[0]


def _softmax_backprop_grad(gg, logits, axis):
    """What flows into logits from a gradient gg on backprop = softmax(logits) - labels."""
    p = softmax(logits, axis)
    return (gg - reduce_sum(gg * p, axis, keepdims=True)) * p


@gradient("SoftmaxCrossEntropyWithLogits", outputs=(1,), zeros=False)
def _softmax_xent_grad(op, dloss, dbackprop):
    """dlogits = dloss * backprop, dlabels = -dloss * log_softmax(logits) (plus, for second
    order, the gradient through backprop = softmax - labels, when one reaches it)"""
    logits = op.inputs[0]
    axis = attr_or(op, "axis", -1)
    # eager: labels no source depends on (the usual constant one-hot) need no log_softmax
    skip_labels = 1 in (op.skip_input_indices or ())
    dlogits = dlabels = None
    if dloss is not None:
        dloss = expand_dims(dloss, axis)
        dlogits = dloss * op.outputs[1]
        if not skip_labels:
            dlabels = dloss * negative(log_softmax(logits, axis))
    if dbackprop is not None:           # (a second-order sweep through backprop)
        term = _softmax_backprop_grad(dbackprop, logits, axis)
        dlogits = term if dlogits is None else dlogits + term
        if not skip_labels:
            dlabels = negative(dbackprop) if dlabels is None else dlabels - dbackprop
    return dlogits, dlabels


def _sparse_xent_kernel(features, labels):
    classes = features.shape[-1]
    bad = (labels < 0) | (labels >= classes)
    if bad.any():
        raise InvalidArgumentError(f"Received a label value of {labels[bad].flat[0]} which is "
                                   f"outside the valid range of [0, {classes}).  Label values: "
                                   + " ".join(str(v) for v in labels.ravel()))
    x = _upcast(features)
    if classes == 0:
        return [np.zeros(labels.shape, features.dtype), features.copy()]
    shifted = x - x.max(-1, keepdims=True)
    log_p = shifted - np.log(np.exp(shifted).sum(-1, keepdims=True))
    index = labels[..., None].astype(np.intp)
    loss = -np.take_along_axis(log_p, index, -1)[..., 0]
    backprop = np.exp(log_p)
    np.put_along_axis(backprop, index, np.take_along_axis(backprop, index, -1) - 1, -1)
    return [loss.astype(features.dtype, copy=False), backprop.astype(features.dtype, copy=False)]


def _sparse_xent_infer(inputs, attrs):
    logits, labels = inputs[0].shape, inputs[1].shape
    batch = labels
    if logits.rank is not None:
        batch = labels.merge_with(TensorShape(logits.dims[:-1]))
    return [(inputs[0].dtype, batch), (inputs[0].dtype, logits)]


register_kernel("SparseSoftmaxCrossEntropyWithLogits", _sparse_xent_kernel, multi=True,
                infer=_sparse_xent_infer)


def sparse_softmax_cross_entropy_with_logits(labels, logits, name=None):
    """-log_softmax(logits)[label] for integer class labels in [0, num_classes)."""
    logits = convert_to_tensor(logits)
    labels = convert_to_tensor(labels)
    if labels.dtype not in (dtypes.int32, dtypes.int64):
        raise TypeError(in_api(f"Value passed to parameter 'labels' has DataType "
                               f"{labels.dtype.name} not in list of allowed values: int32, int64"))
    if not logits.dtype.is_floating:
        raise TypeError(in_api(f"Value passed to parameter 'features' has DataType "
                               f"{logits.dtype.name} not in list of allowed values: float16, "
                               "float32, float64"))
    lr, zr = logits.shape.rank, labels.shape.rank
    if lr == 0:
        raise ValueError(in_api(f"Logits cannot be scalars - received shape {logits.shape}."))
    if lr is not None and zr is not None:
        if zr != lr - 1:
            raise ValueError(in_api(f"Rank mismatch: Rank of labels (received {zr}) should "
                                    f"equal rank of logits minus 1 (received {lr})."))
        if not labels.shape.is_compatible_with(TensorShape(logits.shape.dims[:-1])):
            raise ValueError(in_api(f"Shape mismatch: The shape of labels (received "
                                    f"{labels.shape}) should equal the shape of logits except for "
                                    f"the last dimension (received {logits.shape})."))
    with op_scope(name, "SparseSoftmaxCrossEntropyWithLogits"):
        return execute("SparseSoftmaxCrossEntropyWithLogits", [logits, labels], name=name)[0]


@gradient("SparseSoftmaxCrossEntropyWithLogits", outputs=(1,), zeros=False)
def _sparse_xent_grad(op, dloss, dbackprop):
    """dlogits = dloss * (softmax - onehot(labels)) (plus the second-order term, when a gradient
    reaches backprop); no gradient for the integer labels"""
    if dloss is None:
        return _softmax_backprop_grad(dbackprop, op.inputs[0], -1), None
    dlogits = expand_dims(dloss, -1) * op.outputs[1]
    if dbackprop is not None:
        dlogits = dlogits + _softmax_backprop_grad(dbackprop, op.inputs[0], -1)
    return dlogits, None


# -- bias_add ----------------------------------------------------------------------------------

def _channel_axis(rank, data_format):
    return 1 if data_format == "NCHW" else rank - 1


def _check_bias(value, bias, data_format):
    """TF's BiasAdd shape rules on static (or actual) shapes; returns the output shape."""
    value, bias = TensorShape(value), TensorShape(bias)

    def where():
        return f"for 'BiasAdd' with input shapes: {shape_text(value)}, {shape_text(bias)}."
    if value.rank is not None and value.rank < 2:
        raise ValueError(f"Shape must be at least rank 2 but is rank {value.rank} {where()}")
    if bias.rank is not None and bias.rank != 1:
        raise ValueError(f"Shape must be rank 1 but is rank {bias.rank} {where()}")
    if value.rank is None:
        return value
    dims = value.dims
    axis = _channel_axis(len(dims), data_format)
    channels = bias.dims[0] if bias.rank is not None else None
    if dims[axis] is not None and channels is not None and dims[axis] != channels:
        raise ValueError(f"Dimensions must be equal, but are {dims[axis]} and {channels} "
                         f"{where()}")
    dims[axis] = dims[axis] if dims[axis] is not None else channels
    return TensorShape(dims)


def _bias_add_kernel(value, bias, *, data_format="NHWC"):
    if value.ndim < 2 or bias.ndim != 1 or \
            value.shape[_channel_axis(value.ndim, data_format)] != bias.shape[0]:
        _check_bias(value.shape, bias.shape, data_format)
    if data_format == "NCHW":
        return value + bias.reshape((-1,) + (1,) * (value.ndim - 2))
    return value + bias


def _bias_add_grad_kernel(out_backprop, *, data_format="NHWC"):
    axis = _channel_axis(out_backprop.ndim, data_format)
    axes = tuple(a for a in range(out_backprop.ndim) if a != axis)
    return np.asarray(out_backprop.sum(axes), out_backprop.dtype)


def _bias_add_grad_infer(inputs, attrs):
    s = inputs[0].shape
    fmt = attrs.get("data_format", "NHWC")
    channels = None if s.rank is None else s.dims[_channel_axis(s.rank, fmt)]
    return [(inputs[0].dtype, TensorShape([channels]))]


def _bias_add_infer(inputs, attrs):
    fmt = attrs.get("data_format", "NHWC")
    return [(inputs[0].dtype, _check_bias(inputs[0].shape, inputs[1].shape, fmt))]


register_kernel("BiasAdd", _bias_add_kernel, infer=_bias_add_infer)
register_kernel("BiasAddGrad", _bias_add_grad_kernel, infer=_bias_add_grad_infer)


def _bias_format(data_format):
    if data_format is None:
        return "NHWC"
    if data_format.startswith("NC"):
        return "NCHW"
    if data_format.startswith("N") and data_format.endswith("C"):
        return "NHWC"
    raise ValueError(f"data_format must be of the form `N...C` or `NC...`, got "
                     f"{short_repr(data_format)}")


def bias_add(value, bias, data_format=None, name=None):
    """value + bias along the channel axis (the last, or axis 1 for NC... formats)."""
    value, bias = convert_same_dtype("BiasAdd", [value, bias], ["value", "bias"])
    fmt = _bias_format(data_format)
    return execute("BiasAdd", [value, bias], {"data_format": fmt}, name=name)[0]


def bias_add_grad(out_backprop, data_format="NHWC"):
    return execute("BiasAddGrad", [out_backprop], {"data_format": data_format})[0]


@gradient("BiasAdd", inputs=(), outputs=())
def _bias_add_grad(op, dy):
    """dy, dy summed over all axes but the channel axis"""
    return dy, bias_add_grad(dy, attr_or(op, "data_format", "NHWC"))


@gradient("BiasAddGrad")
def _bias_add_grad_grad(op, dy):
    """dy broadcast along the channel axis of out_backprop"""
    return bias_add(zeros_like(op.inputs[0]), dy, attr_or(op, "data_format", "NHWC"))


# -- dropout -----------------------------------------------------------------------------------

def _random_like_kernel(like, *, rng):
    return rng.uniform(size=like.shape).astype(like.dtype, copy=False)


register_kernel("RandomUniformLike", _random_like_kernel)
not_differentiable("RandomUniformLike")


def _noise(x, noise_shape, seed):
    """Uniform [0, 1) noise of `noise_shape` (x's shape by default; None entries: x's dims)."""
    if has_tensors(noise_shape):
        t = shape_tensor(noise_shape, "dropout")
        value = constant_value(t)
        if value is None:
            # known only when the graph runs (`[tf.shape(x)[0], 1]`): drawn then, and
            # broadcast against x there, as TF's
            n = shape_entries(t)
            if n is not None and x.shape.rank is not None and len(n) != x.shape.rank:
                raise ValueError(f"dropout: noise_shape of length {len(n)} must have the rank "
                                 f"of x ({x.shape.rank})")
            return uniform(t, dtype=x.dtype, seed=seed)
        noise_shape = value.tolist()
    x_dims = x.shape.dims
    if noise_shape is None:
        dims = x_dims
    else:
        dims = list(TensorShape(noise_shape).dims)
        if x_dims is not None:
            if len(dims) != len(x_dims):
                raise ValueError(f"dropout: noise_shape {noise_shape} must have the rank of x "
                                 f"({len(x_dims)})")
            for i, (d, xd) in enumerate(zip(dims, x_dims)):
                if d is None:
                    dims[i] = xd
                elif xd is not None and d not in (1, xd):
                    raise ValueError(f"dropout: noise_shape {noise_shape} does not broadcast "
                                     f"to x's shape {x.shape}")
    if dims is not None and None not in dims:
        return uniform(dims, dtype=x.dtype, seed=seed)
    # shape known only at run time: draw noise shaped like x (sliced to 1 where noise is 1)
    like = x
    if noise_shape is not None:
        like = x[tuple(slice(0, 1) if d == 1 else slice(None) for d in dims)]
    return execute("RandomUniformLike", [like], {"rng": generator(seed)})[0]


def dropout(x, rate, noise_shape=None, seed=None, name=None):
    """Zero each element with probability `rate`, scale the kept ones by 1 / (1 - rate).

        y = tf.nn.dropout(x, rate=0.5, seed=1)   # reproducible after tf.random.set_seed

    `noise_shape`: the shape of the keep/drop mask, broadcast against x.
    """
    with name_scope(name, "dropout"):
        is_number = isinstance(rate, numbers.Real) and not isinstance(rate, bool)
        if is_number and not 0 <= rate < 1:
            raise ValueError(in_api("`rate` must be a scalar tensor or a float in the range "
                                    f"[0, 1). Received: rate={rate}"))
        x = convert_to_tensor(x)
        if not x.dtype.is_floating:
            raise ValueError(in_api("`x.dtype` must be a floating point tensor as `x` will be "
                                    f"scaled. Received: x_dtype={x.dtype.name}"))
        if is_number and rate == 0:
            return x
        if is_number:
            kept = x * (1.0 / (1.0 - rate))
        else:
            try:
                rate = convert_to_tensor(rate)
            except (TypeError, ValueError):
                raise ValueError(in_api(f"`rate` must be a scalar or scalar tensor. Received: "
                                        f"rate={short_repr(rate)}")) from None
            if rate.shape.rank not in (None, 0):
                raise ValueError(f"dropout: rate must be a scalar tensor, got shape "
                                 f"{rate.shape}")
            rate = cast(rate, x.dtype)
            kept = x / (1.0 - rate)
        keep = greater_equal(_noise(x, noise_shape, seed), rate)
        return where_v2(keep, kept, 0.0)


# -- losses and normalization --------------------------------------------------------------------

@op("L2Loss", infer=fixed(shape=TensorShape([])), allowed=floating)
def l2_loss(t):
    """sum(t ** 2) / 2, a scalar (no square root)."""
    return np.asarray(np.sum(t * t) / 2, t.dtype)


@gradient("L2Loss", outputs=())
def _l2_loss_grad(op, dy):
    """x * dy"""
    return op.inputs[0] * dy


def embedding_lookup(params, ids, max_norm=None, name=None):
    """The rows of `params` named by `ids` (one params tensor; max_norm not supported)."""
    if isinstance(params, (list, tuple)):
        if len(params) != 1:
            raise UnimplementedError("embedding_lookup: sharded params (a list of several "
                                     "tensors) are not supported")
        params = params[0]
    if max_norm is not None:
        raise UnimplementedError("embedding_lookup: max_norm is not supported")
    with op_scope(name, "embedding_lookup") as name:
        rows = gather(params, ids, name=name)
        return rows if name is None else identity(rows)   # graph: TF's name for the result


def moments(x, axes, shift=None, keepdims=False, name=None):
    """(mean, variance) of x over `axes` (float16 is computed in float32, as TF). No
    stop_gradient on the mean (TF has one), so second derivatives are right."""
    with name_scope(name, "moments"):
        x = convert_to_tensor(x)
        y = cast(x, dtypes.float32) if x.dtype is dtypes.float16 else x
        mean = reduce_mean(y, axes, keepdims=True)
        # TF stops the gradient at the mean here; that leaves first-order gradients unchanged
        # (the mean's term sums to zero) but drops a term of the second derivative
        variance = reduce_mean(squared_difference(y, mean), axes, keepdims=True)
        if not keepdims:
            mean, variance = squeeze(mean, axes), squeeze(variance, axes)
        if x.dtype is dtypes.float16:
            return cast(mean, x.dtype), cast(variance, x.dtype)
        return mean, variance


def l2_normalize(x, axis=None, epsilon=1e-12, name=None, dim=None):
    """x / sqrt(max(sum(x**2, axis), epsilon))."""
    with name_scope(name, "l2_normalize") as name:
        x = convert_to_tensor(x)
        axis = dim if axis is None else axis
        square_sum = reduce_sum(square(x), axis, keepdims=True)
        return multiply(x, rsqrt(maximum(square_sum, epsilon)), name=name)


def batch_normalization(x, mean, variance, offset, scale, variance_epsilon, name=None):
    """(x - mean) * scale / sqrt(variance + variance_epsilon) + offset (offset, scale may be
    None)."""
    with name_scope(name, "batchnorm"):
        x = convert_to_tensor(x)
        inv = rsqrt(convert_to_tensor(variance) + variance_epsilon)
        if scale is not None:
            inv = inv * scale
        shift = negative(mean * inv) if offset is None else offset - mean * inv
        return x * cast(inv, x.dtype) + cast(shift, x.dtype)
