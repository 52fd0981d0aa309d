"""Recurrent cells (issue 18, recurrent Keras layers): SimpleRNNCell, LSTMCell, GRUCell.

A cell is one time step: `cell(x_t, states, training=...) -> (output, new_states)`, with the
states a list, as Keras 3's RNN passes them. Weights and gate order are Keras's (LSTM i, f, c,
o; GRU z, r, h), so set_weights takes Keras's arrays unchanged. Dropout masks are drawn once
per sequence (`prepare_dropout` before the loop), the same for every step, as in Keras."""
import numpy as np

from ...framework.shape import TensorShape
from ...ops import nn
from ...ops.array import concat, ones_like, split, zeros
from ...ops.matmul import matmul
from .. import activations, initializers
from .base import Layer, get_constraint, get_regularizer, layer_dtype_cast, serialize


def _units(units):
    if isinstance(units, (int, np.integer)) and not isinstance(units, bool) and units > 0:
        return int(units)
    raise ValueError(f"Received an invalid value for argument `units`, expected a positive "
                     f"integer, got {units}.")


def _rate(name, value):
    """Keras clips a rate into [0, 1] (1.5 is 1: no dropout, as `0 < rate < 1` fails)."""
    if isinstance(value, bool) or not isinstance(value, (int, float, np.floating)):
        raise TypeError(f"Argument `{name}` must be a float between 0 and 1, got "
                        f"{type(value).__name__}")
    return min(1.0, max(0.0, float(value)))


class _Cell(Layer):
    """What the three cells share: arguments, weights, dropout masks, initial states."""

    _gates = 1

    def __init__(self, units, activation="tanh", recurrent_activation="sigmoid", use_bias=True,
                 kernel_initializer="glorot_uniform", recurrent_initializer="orthogonal",
                 bias_initializer="zeros", kernel_regularizer=None,
                 recurrent_regularizer=None, bias_regularizer=None, kernel_constraint=None,
                 recurrent_constraint=None, bias_constraint=None, dropout=0.0,
                 recurrent_dropout=0.0, seed=None, **kwargs):
        super().__init__(**kwargs)
        self.units = _units(units)
        self.activation = activations.get(activation)
        self.recurrent_activation = activations.get(recurrent_activation)
        self.use_bias = use_bias
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.recurrent_initializer = initializers.get(recurrent_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.kernel_regularizer = get_regularizer(kernel_regularizer)
        self.recurrent_regularizer = get_regularizer(recurrent_regularizer)
        self.bias_regularizer = get_regularizer(bias_regularizer)
        self.kernel_constraint = get_constraint(kernel_constraint)
        self.recurrent_constraint = get_constraint(recurrent_constraint)
        self.bias_constraint = get_constraint(bias_constraint)
        self.dropout = _rate("dropout", dropout)
        self.recurrent_dropout = _rate("recurrent_dropout", recurrent_dropout)
        self.seed = seed
        self._masks = None, None

    @property
    def state_size(self):
        return self.units

    @property
    def output_size(self):
        return self.units

    def build(self, input_shape):
        last = TensorShape(input_shape)[-1]
        if last is None:
            raise ValueError(f"{type(self).__name__}: the last axis of the inputs must be "
                             f"known, got shape {TensorShape(input_shape)}")
        width = self.units * self._gates
        self.kernel = self.add_weight(shape=[last, width], name="kernel",
                                      initializer=self.kernel_initializer,
                                      regularizer=self.kernel_regularizer,
                                      constraint=self.kernel_constraint)
        self.recurrent_kernel = self.add_weight(shape=[self.units, width],
                                                name="recurrent_kernel",
                                                initializer=self.recurrent_initializer,
                                                regularizer=self.recurrent_regularizer,
                                                constraint=self.recurrent_constraint)
        self.bias = self.add_weight(shape=self._bias_shape(), name="bias",
                                    initializer=self._bias_init(),
                                    regularizer=self.bias_regularizer,
                                    constraint=self.bias_constraint) if self.use_bias else None
        self.built = True

    def _bias_shape(self):
        return [self.units * self._gates]

    def _bias_init(self):
        return self.bias_initializer

    def get_initial_state(self, batch_size=None):
        sizes = self.state_size if isinstance(self.state_size, (list, tuple)) else \
            [self.state_size]
        return [zeros([batch_size, s], self._dtype) for s in sizes]

    # -- dropout: one mask per sequence, drawn on its first step --------------------------------
    def reset_dropout_mask(self):                 # Keras's names; the RNN calls them after
        self._masks = None, self._masks[1]        # its loop, so no mask outlives its sequence

    def reset_recurrent_dropout_mask(self):
        self._masks = self._masks[0], None

    def prepare_dropout(self, x0, h0, training):
        """Draw this sequence's masks (before the loop, so a while loop's body reuses them)."""
        self._masks = None, None
        self._dropped(x0, h0, training)

    def _dropped(self, x, h, training):
        if not training:
            return x, h
        x_mask, h_mask = self._masks
        if x_mask is None and 0 < self.dropout < 1:
            x_mask = nn.dropout(ones_like(x), rate=self.dropout, seed=self.seed)
        if h_mask is None and 0 < self.recurrent_dropout < 1:
            h_mask = nn.dropout(ones_like(h), rate=self.recurrent_dropout, seed=self.seed)
        self._masks = x_mask, h_mask
        return (x if x_mask is None else x * x_mask), (h if h_mask is None else h * h_mask)

    def get_config(self):
        return {**super().get_config(), "units": self.units,
                "activation": activations.serialize(self.activation),
                "use_bias": self.use_bias,
                "kernel_initializer": serialize(self.kernel_initializer),
                "recurrent_initializer": serialize(self.recurrent_initializer),
                "bias_initializer": serialize(self.bias_initializer),
                "kernel_regularizer": serialize(self.kernel_regularizer),
                "recurrent_regularizer": serialize(self.recurrent_regularizer),
                "bias_regularizer": serialize(self.bias_regularizer),
                "kernel_constraint": serialize(self.kernel_constraint),
                "recurrent_constraint": serialize(self.recurrent_constraint),
                "bias_constraint": serialize(self.bias_constraint),
                "dropout": self.dropout, "recurrent_dropout": self.recurrent_dropout,
                "seed": self.seed}


class SimpleRNNCell(_Cell):
    """h_t = activation(x_t @ kernel + h_{t-1} @ recurrent_kernel + bias)."""

    def __init__(self, units, activation="tanh", use_bias=True, **kwargs):
        super().__init__(units, activation=activation, use_bias=use_bias, **kwargs)

    def call(self, inputs, states, training=False):
        x = layer_dtype_cast(self, inputs)
        h = states[0] if isinstance(states, (list, tuple)) else states
        x, h_in = self._dropped(x, h, training)
        y = matmul(x, self.kernel)
        if self.use_bias:
            y = nn.bias_add(y, self.bias)
        out = self.activation(y + matmul(h_in, self.recurrent_kernel))
        return out, [out]


class LSTMCell(_Cell):
    """Gates i, f, c, o from x_t @ kernel + h @ recurrent_kernel + bias; states [h, c]."""

    _gates = 4

    def __init__(self, units, activation="tanh", recurrent_activation="sigmoid",
                 use_bias=True, unit_forget_bias=True, implementation=2, **kwargs):
        super().__init__(units, activation=activation, recurrent_activation=recurrent_activation,
                         use_bias=use_bias, **kwargs)
        self.unit_forget_bias = unit_forget_bias
        self.implementation = implementation     # accepted; the same numbers either way

    @property
    def state_size(self):
        return [self.units, self.units]

    def _bias_init(self):
        if not self.unit_forget_bias:
            return self.bias_initializer
        init, u = self.bias_initializer, self.units

        def forget_ones(shape, dtype=None, **kwargs):     # Keras: the forget gate's bias is 1
            return concat([init([u], dtype=dtype), initializers.get("ones")([u], dtype=dtype),
                           init([2 * u], dtype=dtype)], 0)
        return forget_ones

    def call(self, inputs, states, training=False):
        x = layer_dtype_cast(self, inputs)
        h, c = states[0], states[1]
        x, h_in = self._dropped(x, h, training)
        z = matmul(x, self.kernel) + matmul(h_in, self.recurrent_kernel)
        if self.use_bias:
            z = nn.bias_add(z, self.bias)
        zi, zf, zc, zo = split(z, 4, axis=-1)
        act, rec = self.activation, self.recurrent_activation
        c = rec(zf) * c + rec(zi) * act(zc)
        h = rec(zo) * act(c)
        return h, [h, c]

    def get_config(self):
        return {**super().get_config(), "unit_forget_bias": self.unit_forget_bias,
                "recurrent_activation": activations.serialize(self.recurrent_activation)}


class GRUCell(_Cell):
    """Gates z, r, h; with reset_after (Keras 3's default) the reset gate multiplies
    h @ recurrent_kernel + recurrent bias, and the bias has two rows (input, recurrent)."""

    _gates = 3

    def __init__(self, units, activation="tanh", recurrent_activation="sigmoid",
                 use_bias=True, reset_after=True, implementation=2, **kwargs):
        super().__init__(units, activation=activation, recurrent_activation=recurrent_activation,
                         use_bias=use_bias, **kwargs)
        self.reset_after = reset_after
        self.implementation = implementation     # accepted; the same numbers either way

    def _bias_shape(self):
        return [2, 3 * self.units] if self.reset_after else [3 * self.units]

    def call(self, inputs, states, training=False):
        x = layer_dtype_cast(self, inputs)
        h = states[0] if isinstance(states, (list, tuple)) else states
        x, h_in = self._dropped(x, h, training)
        act, rec, u = self.activation, self.recurrent_activation, self.units
        if self.use_bias:
            b_in, b_rec = (self.bias[0], self.bias[1]) if self.reset_after else (self.bias, None)
        mx = matmul(x, self.kernel)
        if self.use_bias:
            mx = nn.bias_add(mx, b_in)
        x_z, x_r, x_h = split(mx, 3, axis=-1)
        if self.reset_after:
            mh = matmul(h_in, self.recurrent_kernel)
            if self.use_bias:
                mh = nn.bias_add(mh, b_rec)
            h_z, h_r, h_h = split(mh, 3, axis=-1)
            z, r = rec(x_z + h_z), rec(x_r + h_r)
            hh = act(x_h + r * h_h)
        else:
            rk = self.recurrent_kernel
            z = rec(x_z + matmul(h_in, rk[:, :u]))
            r = rec(x_r + matmul(h_in, rk[:, u:2 * u]))
            hh = act(x_h + matmul(r * h_in, rk[:, 2 * u:]))
        out = z * h + (1 - z) * hh
        return out, [out]

    def get_config(self):
        return {**super().get_config(), "reset_after": self.reset_after,
                "recurrent_activation": activations.serialize(self.recurrent_activation)}
