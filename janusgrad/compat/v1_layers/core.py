"""tf.compat.v1.layers: Dense, Dropout, Flatten and their functions dense, dropout, flatten.

Dense and Flatten compute as janusgrad's Keras layers (they are those layers, with the TF1
variable store); dropout is tf.nn.dropout where `training` (a bool or a bool tensor) says so.
"""
import numbers

from ...framework.tensor import convert_to_tensor
from ...keras import layers as keras_layers
from ...ops import nn
from ...ops.array import identity, transpose
from ..init_ops import zeros_initializer
from .base import Layer, normalize_data_format, smart_cond

# TF's defaults (one instance each, as in TF's signatures)
ZEROS = zeros_initializer()


class Dense(keras_layers.Dense, Layer):
    """activation(inputs @ kernel + bias) on the last axis; kernel (in, units), bias (units,)."""

    def __init__(self, units, activation=None, use_bias=True, kernel_initializer=None,
                 bias_initializer=ZEROS, kernel_regularizer=None,
                 bias_regularizer=None, activity_regularizer=None, kernel_constraint=None,
                 bias_constraint=None, trainable=True, name=None, **kwargs):
        super().__init__(units, activation=activation, use_bias=use_bias,
                         kernel_initializer=kernel_initializer,
                         bias_initializer=bias_initializer, trainable=trainable, name=name,
                         activity_regularizer=activity_regularizer, **kwargs)
        self.kernel_regularizer = kernel_regularizer
        self.bias_regularizer = bias_regularizer
        self.kernel_constraint = kernel_constraint
        self.bias_constraint = bias_constraint

    def build(self, input_shape):
        last = input_shape[-1] if input_shape.rank else None
        if last is None:
            raise ValueError("The last dimension of the inputs to a Dense layer should be "
                             f"defined. Found None. Full input shape received: {input_shape}")
        self.kernel = self.add_weight("kernel", [last, self.units],
                                      initializer=self.kernel_initializer,
                                      regularizer=self.kernel_regularizer,
                                      constraint=self.kernel_constraint)
        self.bias = self.add_weight("bias", [self.units], initializer=self.bias_initializer,
                                    regularizer=self.bias_regularizer,
                                    constraint=self.bias_constraint) if self.use_bias else None
        self.built = True


def dense(inputs, units, activation=None, use_bias=True, kernel_initializer=None,
          bias_initializer=ZEROS, kernel_regularizer=None, bias_regularizer=None,
          activity_regularizer=None, kernel_constraint=None, bias_constraint=None,
          trainable=True, name=None, reuse=None):
    """A densely connected layer on `inputs`: variables `<name or dense_N>/kernel`, `/bias`."""
    layer = Dense(units, activation=activation, use_bias=use_bias,
                  kernel_initializer=kernel_initializer, bias_initializer=bias_initializer,
                  kernel_regularizer=kernel_regularizer, bias_regularizer=bias_regularizer,
                  activity_regularizer=activity_regularizer,
                  kernel_constraint=kernel_constraint, bias_constraint=bias_constraint,
                  trainable=trainable, name=name, _scope=name, _reuse=reuse)
    return layer(inputs)


class Dropout(Layer):
    """tf.nn.dropout(inputs, rate) when `training` (default False: the identity)."""

    def __init__(self, rate=0.5, noise_shape=None, seed=None, name=None, **kwargs):
        super().__init__(name=name, **kwargs)
        if isinstance(rate, (int, float)) and not 0 <= rate <= 1:
            raise ValueError("Invalid value received for argument `rate`. Expected a float value "
                             f"between 0 and 1. Received: rate={rate}")
        self.rate = rate
        self.noise_shape = noise_shape
        self.seed = seed

    def call(self, inputs, training=False):
        if isinstance(self.rate, numbers.Real) and self.rate == 0:
            return identity(inputs)
        return smart_cond(training,
                          lambda: nn.dropout(inputs, self.rate, noise_shape=self.noise_shape,
                                             seed=self.seed),
                          lambda: identity(inputs))


def dropout(inputs, rate=0.5, noise_shape=None, seed=None, training=False, name=None):
    """Dropout of `inputs` when `training` is True (or a tensor that is True when run)."""
    return Dropout(rate, noise_shape=noise_shape, seed=seed, name=name)(inputs,
                                                                         training=training)


class Flatten(keras_layers.Flatten, Layer):
    """(batch, d1, d2, ...) -> (batch, d1 * d2 * ...); channels_first inputs are first put
    channels last, as TF does, so that both orders flatten alike."""

    def __init__(self, data_format="channels_last", **kwargs):
        super().__init__(**kwargs)
        self.data_format = normalize_data_format(data_format)

    def call(self, inputs):
        x = convert_to_tensor(inputs)
        rank = x.shape.rank
        if self.data_format == "channels_first" and rank is not None and rank > 1:
            x = transpose(x, [0, *range(2, rank), 1])
        return super().call(x)


def flatten(inputs, name=None, data_format="channels_last"):
    """`inputs` flattened to (batch, -1)."""
    return Flatten(name=name, data_format=data_format)(inputs)
