"""Core layers: Dense, Lambda, Activation, Dropout, Embedding, Reshape, Flatten."""
import numpy as np

from ...framework.shape import TensorShape
from ...framework.tensor import convert_to_tensor
from ...ops import nn
from ...ops.array import concat, reshape, shape
from ...ops.indexing import gather
from ...ops.math import cast
from ...ops.matmul import matmul, tensordot
from .. import activations, initializers
from .base import (Layer, get_constraint, get_regularizer, layer_dtype_cast, serialize)


def check_last_axis(layer, shape, expected):
    """Keras's input-spec error for an input whose last axis is not the width built for."""
    dims = shape.as_list() if shape.rank else None
    if dims and dims[-1] is not None and expected is not None and dims[-1] != expected:
        raise ValueError(f"Input 0 of layer '{layer.name}' is incompatible with the layer: "
                         f"expected axis -1 of input shape to have value {expected}, but "
                         f"received input with shape {tuple(dims)}")


class Lambda(Layer):
    """Wrap a function as a layer: `Lambda(f)(x) == f(x)`."""

    def __init__(self, function, output_shape=None, mask=None, arguments=None, **kwargs):
        if not callable(function):
            raise TypeError("Lambda: `function` must be callable")
        super().__init__(**kwargs)
        self.function = function
        self.arguments = arguments or {}
        self._output_shape = output_shape

    def call(self, inputs, *args, **kwargs):
        return self.function(inputs, *args, **self.arguments, **kwargs)

    def compute_output_shape(self, input_shape):
        if self._output_shape is None:
            return super().compute_output_shape(input_shape)
        out = self._output_shape(input_shape) if callable(self._output_shape) else \
            [TensorShape(input_shape)[0]] + list(self._output_shape)
        return TensorShape(out)


class Dense(Layer):
    """activation(inputs @ kernel + bias), on the last axis of the inputs."""

    def __init__(self, units, activation=None, use_bias=True, kernel_initializer="glorot_uniform",
                 bias_initializer="zeros", kernel_regularizer=None, bias_regularizer=None,
                 kernel_constraint=None, bias_constraint=None, **kwargs):
        super().__init__(**kwargs)
        self.units = int(units) if isinstance(units, (int, np.integer)) else units
        if not isinstance(self.units, int) or self.units <= 0:
            raise ValueError(f"Received an invalid value for `units`, expected a positive "
                             f"integer. Received: units={units}")
        self.activation = activations.get(activation)
        self.use_bias = use_bias
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.kernel_regularizer = get_regularizer(kernel_regularizer)
        self.bias_regularizer = get_regularizer(bias_regularizer)
        self.kernel_constraint = get_constraint(kernel_constraint)
        self.bias_constraint = get_constraint(bias_constraint)

    def build(self, input_shape):
        input_shape = TensorShape(input_shape)
        last = input_shape[-1] if input_shape.rank else None
        if last is None:
            raise ValueError("The last dimension of the inputs to a Dense layer should be "
                             f"defined. Found None. Full input shape received: {input_shape}")
        self.kernel = self.add_weight(shape=[last, self.units], name="kernel",
                                      initializer=self.kernel_initializer,
                                      regularizer=self.kernel_regularizer,
                                      constraint=self.kernel_constraint)
        self.bias = self.add_weight(shape=[self.units], name="bias",
                                    initializer=self.bias_initializer,
                                    regularizer=self.bias_regularizer,
                                    constraint=self.bias_constraint) if self.use_bias else None
        self.built = True

    def call(self, inputs):
        x = layer_dtype_cast(self, inputs)
        shape = x.shape
        check_last_axis(self, shape, self.kernel.shape[0])
        y = matmul(x, self.kernel) if shape.rank == 2 else \
            tensordot(x, self.kernel, [[shape.rank - 1], [0]])
        if self.use_bias:
            y = nn.bias_add(y, self.bias)
        return self.activation(y)

    def compute_output_shape(self, input_shape):
        return TensorShape(TensorShape(input_shape).as_list()[:-1] + [self.units])

    def get_config(self):
        return {**super().get_config(), "units": self.units,
                "activation": activations.serialize(self.activation), "use_bias": self.use_bias,
                "kernel_initializer": serialize(self.kernel_initializer),
                "bias_initializer": serialize(self.bias_initializer),
                "kernel_regularizer": serialize(self.kernel_regularizer),
                "bias_regularizer": serialize(self.bias_regularizer),
                "kernel_constraint": serialize(self.kernel_constraint),
                "bias_constraint": serialize(self.bias_constraint)}


class Activation(Layer):
    """activation(inputs), the function given by name or as a callable."""

    def __init__(self, activation, **kwargs):
        super().__init__(**kwargs)
        self.activation = activations.get(activation)

    def call(self, inputs):
        return self.activation(convert_to_tensor(inputs))

    def compute_output_shape(self, input_shape):
        return TensorShape(input_shape)

    def get_config(self):
        return {**super().get_config(), "activation": activations.serialize(self.activation)}


class Dropout(Layer):
    """Zero a `rate` fraction of the inputs and scale the rest by 1 / (1 - rate), when called
    with training=True only; the identity otherwise."""

    def __init__(self, rate, noise_shape=None, seed=None, **kwargs):
        super().__init__(**kwargs)
        if not isinstance(rate, (int, float)) or not 0 <= rate <= 1:
            raise ValueError(f"Invalid value received for argument `rate`. Expected a float "
                             f"value between 0 and 1. Received: rate={rate}")
        self.rate, self.noise_shape, self.seed = rate, noise_shape, seed

    def call(self, inputs, training=False):
        x = convert_to_tensor(inputs)
        if training and self.rate > 0:
            return nn.dropout(x, rate=self.rate, noise_shape=self.noise_shape, seed=self.seed)
        return x

    def compute_output_shape(self, input_shape):
        return TensorShape(input_shape)

    def get_config(self):
        return {**super().get_config(), "rate": self.rate, "noise_shape": self.noise_shape,
                "seed": self.seed}


class Embedding(Layer):
    """Rows of an (input_dim, output_dim) table, gathered by integer ids."""

    def __init__(self, input_dim, output_dim, embeddings_initializer="uniform",
                 embeddings_regularizer=None, embeddings_constraint=None, mask_zero=False,
                 input_length=None, **kwargs):
        super().__init__(**kwargs)
        for what, v in (("input_dim", input_dim), ("output_dim", output_dim)):
            if not isinstance(v, (int, np.integer)) or v <= 0:
                raise ValueError(f"Received an invalid value for `{what}`, expected a positive "
                                 f"integer. Received: {what}={v}")
        if mask_zero:
            raise NotImplementedError("Embedding: mask_zero=True (masks) is not supported")
        self.input_dim, self.output_dim = int(input_dim), int(output_dim)
        self.embeddings_initializer = initializers.get(embeddings_initializer)
        self.embeddings_regularizer = get_regularizer(embeddings_regularizer)
        self.embeddings_constraint = get_constraint(embeddings_constraint)
        self.mask_zero = mask_zero

    def build(self, input_shape=None):
        self.embeddings = self.add_weight(shape=[self.input_dim, self.output_dim],
                                          name="embeddings",
                                          initializer=self.embeddings_initializer,
                                          regularizer=self.embeddings_regularizer,
                                          constraint=self.embeddings_constraint)
        self.built = True

    def call(self, inputs):
        ids = convert_to_tensor(inputs)
        if not ids.dtype.is_integer:
            ids = cast(ids, "int32")
        return gather(self.embeddings, ids)

    def compute_output_shape(self, input_shape):
        return TensorShape([*TensorShape(input_shape).as_list(), self.output_dim])

    def get_config(self):
        return {**super().get_config(), "input_dim": self.input_dim,
                "output_dim": self.output_dim,
                "embeddings_initializer": serialize(self.embeddings_initializer),
                "embeddings_regularizer": serialize(self.embeddings_regularizer),
                "embeddings_constraint": serialize(self.embeddings_constraint),
                "mask_zero": self.mask_zero}


class Reshape(Layer):
    """Reshape each example to `target_shape` (one entry may be -1); the batch axis stays."""

    def __init__(self, target_shape, **kwargs):
        super().__init__(**kwargs)
        self.target_shape = tuple(int(d) for d in target_shape)
        if sum(d == -1 for d in self.target_shape) > 1 or \
                any(d < -1 or d == 0 for d in self.target_shape):
            raise ValueError(f"Reshape: invalid target_shape {self.target_shape}: positive "
                             "sizes and at most one -1")

    def call(self, inputs):
        x = convert_to_tensor(inputs)
        return reshape(x, concat([shape(x)[:1], list(self.target_shape)], 0))

    def compute_output_shape(self, input_shape):
        dims = TensorShape(input_shape).as_list()
        target = list(self.target_shape)
        if -1 in target:
            known = all(d is not None for d in dims[1:])
            rest = int(np.prod(dims[1:])) // int(np.prod([d for d in target if d != -1])) \
                if known else None
            target = [rest if d == -1 else d for d in target]
        return TensorShape([dims[0], *target])

    def get_config(self):
        return {**super().get_config(), "target_shape": self.target_shape}


class Flatten(Layer):
    """Reshape (batch, d1, d2, ...) to (batch, d1 * d2 * ...)."""

    def __init__(self, data_format=None, **kwargs):
        super().__init__(**kwargs)
        self.data_format = data_format

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

    def get_config(self):
        return {**super().get_config(), "data_format": self.data_format}
