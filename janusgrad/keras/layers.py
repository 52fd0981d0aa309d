"""tf.keras.layers: Layer, Lambda, Dense, Conv2D, MaxPooling2D, Flatten.

A layer creates its weights (trainable Variables) on its first call, from the input's static
shape; a layer or variable assigned as an attribute is tracked, so `trainable_variables`
collects the weights of nested layers, and tf.train.Checkpoint finds them by attribute name.
"""
import re

import numpy as np

from ..framework import dtypes
from ..framework.context import init_scope
from ..framework.shape import TensorShape
from ..framework.tensor import convert_to_tensor
from ..ops import conv, nn
from ..ops.array import concat, reshape, shape
from ..ops.matmul import matmul, tensordot
from ..ops.state import Variable
from . import activations, initializers

name_counts = {}


def unique_layer_name(base):
    """'dense', then 'dense_1', 'dense_2' ... as Keras names layers."""
    n = name_counts.get(base, 0)
    name_counts[base] = n + 1
    return base if n == 0 else f"{base}_{n}"


def _snake(name):
    """Keras's layer-name rule: 'MaxPooling2D' -> 'max_pooling2d', 'Conv2D' -> 'conv2d'."""
    name = re.sub(r"(.)([A-Z][a-z]+)", r"\1_\2", name)
    return re.sub(r"([a-z])([A-Z])", r"\1_\2", name).lower()


_UNSUPPORTED = ("kernel_regularizer", "bias_regularizer", "activity_regularizer",
                "kernel_constraint", "bias_constraint")


def _is_variable(x):
    return isinstance(x, Variable)


class Layer:
    """Base layer: override `build(input_shape)` (create weights with `add_weight`) and
    `call(inputs)`; calling the layer builds it once, then runs `call`."""

    def __init__(self, trainable=True, name=None, dtype=None, input_shape=None, **kwargs):
        object.__setattr__(self, "_tracked", [])      # (attribute name, layer or variable)
        self.name = name or unique_layer_name(_snake(type(self).__name__))
        self.trainable = trainable
        self.built = False
        self.dtype = dtypes.as_dtype(dtype) if dtype is not None else dtypes.float32
        self._weights = []                            # (weight name, variable), in order
        self._pending_restore = {}                    # values restored before build
        batch_input_shape = kwargs.pop("batch_input_shape", None)
        input_dim = kwargs.pop("input_dim", None)
        if input_shape is None and batch_input_shape is not None:
            input_shape = batch_input_shape[1:]
        if input_shape is None and input_dim is not None:
            input_shape = (input_dim,)
        self._input_shape_arg = tuple(input_shape) if input_shape is not None else None
        unsupported = sorted(k for k in _UNSUPPORTED if kwargs.pop(k, None) is not None)
        if unsupported:
            raise NotImplementedError(f"{type(self).__name__}: janusgrad layers do not support "
                                      f"{', '.join(unsupported)}; add the penalty to the loss")
        if kwargs:
            raise TypeError(f"Unrecognized keyword arguments passed to {type(self).__name__}: "
                            f"{kwargs}")

    def __setattr__(self, name, value):
        tracked = self.__dict__.get("_tracked")
        if tracked is not None and not name.startswith("_"):
            tracked[:] = [(n, v) for n, v in tracked if n != name]
            if isinstance(value, Layer) or _is_variable(value):
                tracked.append((name, value))
            elif isinstance(value, (list, tuple)) and value and \
                    all(isinstance(v, Layer) for v in value):
                tracked.extend((f"{name}/{i}", v) for i, v in enumerate(value))
        object.__setattr__(self, name, value)

    # -- building and calling ----------------------------------------------------------------
    def build(self, input_shape):
        self.built = True

    def call(self, inputs, *args, **kwargs):
        raise NotImplementedError(f"Layer {type(self).__name__} does not define call()")

    def __call__(self, inputs, *args, **kwargs):
        if not self.built:
            first = inputs[0] if isinstance(inputs, (list, tuple)) else inputs
            input_shape = first.shape if hasattr(first, "shape") else \
                convert_to_tensor(first).shape
            self.build(TensorShape(input_shape))
            self.built = True
        return self.call(inputs, *args, **kwargs)

    def compute_output_shape(self, input_shape):
        raise NotImplementedError(f"{type(self).__name__}.compute_output_shape")

    def add_weight(self, name=None, shape=None, dtype=None, initializer="glorot_uniform",
                   trainable=True, **kwargs):
        """A new Variable of this layer (a value restored before build wins over the init)."""
        dtype = dtypes.as_dtype(dtype) if dtype is not None else self.dtype
        shape = [int(d) for d in (shape or ())]
        init = initializers.get(initializer) or initializers.Zeros()
        restored = self._pending_restore.pop(name, None)
        if restored is not None and (list(restored.shape) != shape or
                                     restored.dtype != dtype.np):
            raise ValueError(f"{self.name}/{name}: the checkpoint holds a {restored.dtype} "
                             f"value of shape {list(restored.shape)}, the layer builds a "
                             f"{dtype.name} weight of shape {shape}")
        initial = restored if restored is not None else (lambda: init(shape, dtype=dtype))
        with init_scope():
            var = Variable(initial, trainable=trainable, dtype=dtype,
                           name=f"{self.name}/{name}")
        self._weights.append((name, var))
        return var

    # -- weights -----------------------------------------------------------------------------
    def _collect(self, frozen=False):
        """(variable, trainable here) pairs: a frozen layer freezes everything inside it."""
        frozen = frozen or not self.trainable
        for _, v in self._weights:
            yield v, v.trainable and not frozen
        for _, v in self._tracked:
            if isinstance(v, Layer):
                yield from v._collect(frozen)
            elif _is_variable(v):
                yield v, v.trainable and not frozen

    def _all_variables(self, trainable):
        out = []
        for v, is_trainable in self._collect():
            if (trainable is None or is_trainable == trainable) and \
                    not any(v is u for u in out):
                out.append(v)
        return out

    @property
    def trainable_variables(self):
        return self._all_variables(True)

    trainable_weights = trainable_variables

    @property
    def non_trainable_variables(self):
        return self._all_variables(False)

    non_trainable_weights = non_trainable_variables

    @property
    def variables(self):
        return self._all_variables(None)

    weights = variables

    def get_weights(self):
        return [np.array(v.numpy()) for v in self.variables]

    def set_weights(self, weights):
        variables = self.variables
        if len(weights) != len(variables):
            raise ValueError(f"Layer {self.name} expects {len(variables)} weights, but the "
                             f"given weights list has {len(weights)} entries.")
        for v, w in zip(variables, weights, strict=True):
            if not v.shape.is_compatible_with(np.shape(w)):
                raise ValueError(f"Layer {self.name} weight shape {v.shape} is not compatible "
                                 f"with provided weight shape {np.shape(w)}")
        for v, w in zip(variables, weights, strict=True):
            v.assign(np.asarray(w, v.dtype.np))

    def _checkpoint_children(self):
        kids = {name: v for name, v in self._weights}
        kids.update((name, v) for name, v in self._tracked)
        return kids

    def __repr__(self):
        return f"<{type(self).__name__} name={self.name}, built={self.built}>"


class Lambda(Layer):
    """Wrap a function as a layer: `Lambda(f)(x) == f(x)`."""

    def __init__(self, function, output_shape=None, mask=None, arguments=None, name=None, **kw):
        if not callable(function):
            raise TypeError("Lambda: `function` must be callable")
        super().__init__(name=name, **kw)
        self.function = function
        self.arguments = arguments or {}
        self._output_shape = output_shape

    def call(self, inputs, *args, **kwargs):
        return self.function(inputs, *args, **self.arguments, **kwargs)

    def compute_output_shape(self, input_shape):
        if self._output_shape is None:
            raise NotImplementedError("Lambda: give `output_shape` to infer the output shape")
        out = self._output_shape(input_shape) if callable(self._output_shape) else \
            [TensorShape(input_shape)[0]] + list(self._output_shape)
        return TensorShape(out)


class Dense(Layer):
    """activation(inputs @ kernel + bias), on the last axis of the inputs."""

    def __init__(self, units, activation=None, use_bias=True, kernel_initializer="glorot_uniform",
                 bias_initializer="zeros", **kwargs):
        super().__init__(**kwargs)
        self.units = int(units)
        if self.units <= 0:
            raise ValueError(f"Received an invalid value for `units`, expected a positive "
                             f"integer. Received: units={units}")
        self.activation = activations.get(activation)
        self.use_bias = use_bias
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.bias_initializer = initializers.get(bias_initializer)

    def build(self, input_shape):
        input_shape = TensorShape(input_shape)
        last = input_shape[-1] if input_shape.rank else None
        if last is None:
            raise ValueError("The last dimension of the inputs to a Dense layer should be "
                             f"defined. Found None. Full input shape received: {input_shape}")
        self.kernel = self.add_weight("kernel", [last, self.units],
                                      initializer=self.kernel_initializer)
        self.bias = self.add_weight("bias", [self.units], initializer=self.bias_initializer) \
            if self.use_bias else None
        self.built = True

    def call(self, inputs):
        x = convert_to_tensor(inputs)
        if x.dtype is not self.dtype:
            from ..ops.math import cast
            x = cast(x, self.dtype)
        y = matmul(x, self.kernel) if x.shape.rank == 2 else \
            tensordot(x, self.kernel, [[x.shape.rank - 1], [0]])
        if self.use_bias:
            y = nn.bias_add(y, self.bias)
        return self.activation(y)

    def compute_output_shape(self, input_shape):
        return TensorShape(TensorShape(input_shape).as_list()[:-1] + [self.units])


def _pair(v, what):
    if isinstance(v, int):
        return (v, v)
    v = tuple(int(a) for a in v)
    if len(v) != 2:
        raise ValueError(f"The `{what}` argument must be a tuple of 2 integers. Received: {v}")
    return v


def _check_channels_last(data_format, layer):
    if data_format not in (None, "channels_last"):
        raise NotImplementedError(f"{layer}: only data_format='channels_last' is supported")


def _conv_length(size, k, stride, padding, dilation=1):
    if size is None:
        return None
    eff = (k - 1) * dilation + 1
    return (size - eff) // stride + 1 if padding == "VALID" else -(-size // stride)


class Conv2D(Layer):
    """2-D convolution over NHWC inputs with a (kh, kw, in, filters) kernel, plus bias."""

    def __init__(self, filters, kernel_size, strides=(1, 1), padding="valid", data_format=None,
                 dilation_rate=(1, 1), activation=None, use_bias=True,
                 kernel_initializer="glorot_uniform", bias_initializer="zeros", **kwargs):
        super().__init__(**kwargs)
        _check_channels_last(data_format, "Conv2D")
        self.filters = int(filters)
        self.kernel_size = _pair(kernel_size, "kernel_size")
        self.strides = _pair(strides, "strides")
        self.dilation_rate = _pair(dilation_rate, "dilation_rate")
        self.padding = padding.upper()
        if self.padding not in ("VALID", "SAME"):
            raise ValueError(f"Conv2D: padding must be 'valid' or 'same', got {padding!r}")
        self.activation = activations.get(activation)
        self.use_bias = use_bias
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.bias_initializer = initializers.get(bias_initializer)

    def build(self, input_shape):
        input_shape = TensorShape(input_shape)
        if input_shape.rank != 4:
            raise ValueError(f"Input 0 of layer {self.name} is incompatible with the layer: "
                             f"expected ndim=4, found ndim={input_shape.rank}. Full shape "
                             f"received: {input_shape}")
        channels = input_shape[-1]
        if channels is None:
            raise ValueError("The channel dimension of the inputs to Conv2D should be defined.")
        self.kernel = self.add_weight("kernel", [*self.kernel_size, channels, self.filters],
                                      initializer=self.kernel_initializer)
        self.bias = self.add_weight("bias", [self.filters], initializer=self.bias_initializer) \
            if self.use_bias else None
        self.built = True

    def call(self, inputs):
        y = conv.conv2d(inputs, self.kernel, strides=self.strides, padding=self.padding,
                        dilations=self.dilation_rate)
        if self.use_bias:
            y = nn.bias_add(y, self.bias)
        return self.activation(y)

    def compute_output_shape(self, input_shape):
        n, h, w, _ = TensorShape(input_shape).as_list()
        (kh, kw), (sh, sw), (dh, dw) = self.kernel_size, self.strides, self.dilation_rate
        return TensorShape([n, _conv_length(h, kh, sh, self.padding, dh),
                            _conv_length(w, kw, sw, self.padding, dw), self.filters])


class MaxPooling2D(Layer):
    """The maximum over each pool_size window of NHWC inputs (strides default to pool_size)."""

    def __init__(self, pool_size=(2, 2), strides=None, padding="valid", data_format=None,
                 **kwargs):
        super().__init__(**kwargs)
        _check_channels_last(data_format, "MaxPooling2D")
        self.pool_size = _pair(pool_size, "pool_size")
        self.strides = _pair(strides, "strides") if strides is not None else self.pool_size
        self.padding = padding.upper()
        if self.padding not in ("VALID", "SAME"):
            raise ValueError(f"MaxPooling2D: padding must be 'valid' or 'same', got {padding!r}")

    def call(self, inputs):
        return conv.max_pool2d(inputs, self.pool_size, self.strides, self.padding)

    def compute_output_shape(self, input_shape):
        n, h, w, c = TensorShape(input_shape).as_list()
        (ph, pw), (sh, sw) = self.pool_size, self.strides
        return TensorShape([n, _conv_length(h, ph, sh, self.padding),
                            _conv_length(w, pw, sw, self.padding), c])


class Flatten(Layer):
    """Reshape (batch, d1, d2, ...) to (batch, d1 * d2 * ...)."""

    def __init__(self, data_format=None, **kwargs):
        super().__init__(**kwargs)

    def call(self, inputs):
        x = convert_to_tensor(inputs)
        rest = x.shape.as_list()[1:] if x.shape.rank is not None else None
        if rest is not None and all(d is not None for d in rest):
            return reshape(x, [-1, int(np.prod(rest, dtype=np.int64))])
        return reshape(x, concat([shape(x)[:1], [-1]], 0))

    def compute_output_shape(self, input_shape):
        dims = TensorShape(input_shape).as_list()
        rest = dims[1:]
        flat = int(np.prod(rest)) if all(d is not None for d in rest) else None
        return TensorShape([dims[0], flat])


class InputLayer(Layer):
    """Marks the input shape of a Sequential model (what `tf.keras.Input(shape)` gives here)."""

    def __init__(self, shape=None, batch_size=None, dtype=None, name=None, input_shape=None,
                 **kwargs):
        shape = shape if shape is not None else input_shape
        super().__init__(name=name or unique_layer_name("input_layer"), dtype=dtype,
                         input_shape=shape)
        self.batch_size = batch_size
        self.built = True

    @property
    def shape(self):
        return TensorShape([self.batch_size, *self._input_shape_arg])

    def call(self, inputs):
        return inputs

    def compute_output_shape(self, input_shape):
        return TensorShape(input_shape)


def Input(shape=None, batch_size=None, name=None, dtype=None, **kwargs):  # noqa: N802
    """The input of a Sequential model: `tf.keras.Sequential([tf.keras.Input((4,)), ...])`.
    (janusgrad has no functional Model API: this is a marker of the input shape.)"""
    return InputLayer(shape=shape, batch_size=batch_size, dtype=dtype, name=name)

# -- the gaps the TF programs found (issue 18): keras.layers.Softmax --
from ..ops.math import exp, greater, where_v2  # noqa: E402
from ..ops.reduce import reduce_logsumexp  # noqa: E402


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


# -- a name janusgrad lacks is a clear error (issue 18, running TF programs unchanged) --
from ..framework.missing import missing_names as _missing_names  # noqa: E402
__getattr__ = _missing_names(__name__)
