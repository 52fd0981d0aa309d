"""Recurrent layers (issue 18, recurrent Keras layers): RNN(cell), SimpleRNN, LSTM, GRU and
Bidirectional, with Keras 3's semantics.

The time loop is tf.scan over the time-major inputs: unrolled when the number of steps is
known, a while loop when it is not, so gradients flow through the ops the cells make, by the
engine's own rules, eagerly and in graphs."""
from ...framework.shape import TensorShape
from ...framework.tensor import convert_to_tensor
from ...ops.array import concat, expand_dims, shape, transpose, zeros
from ...ops.indexing import reverse
from ...ops.math import cast, where_v2
from ...runtime.map_fn import scan
from .base import Layer, build_in_scope, serialize
from .rnn_cells import GRUCell, LSTMCell, SimpleRNNCell


def _as_list(states):
    return list(states) if isinstance(states, (list, tuple)) else [states]


class RNN(Layer):
    """Run `cell` over axis 1 of the inputs (batch, time, features)."""

    def __init__(self, cell, return_sequences=False, return_state=False, go_backwards=False,
                 stateful=False, unroll=False, zero_output_for_mask=False, **kwargs):
        if isinstance(cell, (list, tuple)):
            raise NotImplementedError("RNN: a list of cells (StackedRNNCells) is not "
                                      "supported by janusgrad; stack RNN layers instead")
        if not callable(cell) or not hasattr(cell, "state_size"):
            raise ValueError(f"Argument `cell` should have a `call` method and a "
                             f"`state_size` attribute. Received: cell={cell}")
        if stateful:
            raise NotImplementedError(f"{type(self).__name__}: stateful=True is not supported "
                                      "by janusgrad (the states are reset each call)")
        super().__init__(**kwargs)
        self.cell = cell
        self.return_sequences, self.return_state = return_sequences, return_state
        self.go_backwards, self.stateful, self.unroll = go_backwards, stateful, unroll
        self.zero_output_for_mask = zero_output_for_mask

    @property
    def state_size(self):
        return _as_list(self.cell.state_size)

    def build(self, sequences_shape, initial_state_shape=None):
        s = TensorShape(sequences_shape)
        if s.rank is not None and s.rank < 3:
            raise ValueError(f"Input 0 of layer '{self.name}' is incompatible with the layer: "
                             f"expected ndim=3, found ndim={s.rank}. Full shape received: "
                             f"{tuple(s.as_list())}")
        if isinstance(self.cell, Layer) and not self.cell.built:
            self.cell.build(TensorShape([s[0], s[-1]]))
            self.cell.built = True
        self.built = True

    def get_initial_state(self, batch_size):
        make = getattr(self.cell, "get_initial_state", None)
        if make is not None:
            return _as_list(make(batch_size=batch_size))
        return [zeros([batch_size, d]) for d in self.state_size]

    def call(self, sequences, initial_state=None, mask=None, training=False):
        x = convert_to_tensor(sequences)
        if x.dtype.is_floating and x.dtype is not self._dtype:
            x = cast(x, self._dtype)
        perm = [1, 0] + list(range(2, x.shape.rank))
        x_tm = transpose(x, perm)                    # time-major, for scan
        states = self.get_initial_state(shape(x)[0]) if initial_state is None else \
            [convert_to_tensor(s) for s in _as_list(initial_state)]
        if len(states) != len(self.state_size):
            raise ValueError(f"{type(self).__name__}: an initial_state of {len(states)} "
                             f"tensors was passed, the cell has {len(self.state_size)} states")
        prepare = getattr(self.cell, "prepare_dropout", None)
        if prepare is not None:                      # one mask per sequence, as in Keras
            prepare(x_tm[0], states[0], training)
        elems = x_tm
        if mask is not None:
            m = transpose(convert_to_tensor(mask, dtype="bool"), [1, 0])
            elems = (x_tm, expand_dims(m, -1))
        if self.go_backwards:
            elems = reverse(elems, [0]) if mask is None else \
                tuple(reverse(e, [0]) for e in elems)
        kwargs = {"training": training} if getattr(self.cell, "_call_takes_training",
                                                    False) else {}

        def step(acc, elem):
            prev_out, prev_states = acc
            x_t, m_t = (elem, None) if mask is None else elem
            out, new = self.cell(x_t, list(prev_states), **kwargs)
            new = _as_list(new)
            if m_t is not None:            # a masked step keeps the states and the last output
                new = [where_v2(m_t, n, p) for n, p in zip(new, prev_states, strict=True)]
                out = where_v2(m_t, out, prev_out * 0 if self.zero_output_for_mask else prev_out)
            return out, new

        start = (self._output_like(x_tm[0], states, kwargs), states)
        try:
            outs, all_states = scan(step, elems, initializer=start)
        finally:
            if prepare is not None:
                self.cell.reset_dropout_mask()
                self.cell.reset_recurrent_dropout_mask()
        last = [s[-1] for s in all_states]
        out = transpose(outs, [1, 0] + list(range(2, outs.shape.rank))) \
            if self.return_sequences else outs[-1]
        return [out, *last] if self.return_state else out

    def _output_like(self, x0, states, kwargs):
        """Zeros shaped as the cell's output (scan's accumulator needs a start value)."""
        size = getattr(self.cell, "output_size", None)
        if isinstance(size, int):
            return zeros([shape(x0)[0], size], states[0].dtype)
        out, _ = self.cell(x0, list(states), **kwargs)        # a custom cell: one step's shape
        return out * 0

    def get_config(self):
        return {**super().get_config(), "return_sequences": self.return_sequences,
                "return_state": self.return_state, "go_backwards": self.go_backwards,
                "stateful": self.stateful, "unroll": self.unroll,
                "zero_output_for_mask": self.zero_output_for_mask}


_LAYER_ARGS = ("return_sequences", "return_state", "go_backwards", "stateful", "unroll",
               "zero_output_for_mask", "name", "dtype", "trainable", "input_shape",
               "batch_input_shape", "input_dim", "activity_regularizer")


def _split_args(kwargs):
    layer = {k: v for k, v in kwargs.items() if k in _LAYER_ARGS}
    cell = {k: v for k, v in kwargs.items() if k not in _LAYER_ARGS}
    if "dtype" in layer:
        cell["dtype"] = layer["dtype"]
    return cell, layer


class _CellLayer(RNN):
    _cell_class = None

    def __init__(self, units, **kwargs):
        cell_args, layer_args = _split_args(kwargs)
        cell = self._cell_class(units, name=self._cell_name, **cell_args)
        super().__init__(cell, **layer_args)

    def __getattr__(self, name):          # units, kernel, activation...: the cell's, as Keras
        if name.startswith("_") or "cell" not in self.__dict__:
            raise AttributeError(name)
        return getattr(self.__dict__["cell"], name)

    def get_config(self):
        config = {**self.cell.get_config(), **super().get_config()}
        config["name"] = self.name
        config["activity_regularizer"] = serialize(self.activity_regularizer)
        return config


class SimpleRNN(_CellLayer):
    """Keras 3's fully connected recurrent layer: h = activation(x W + h U + b). `stateful=True` is
    not supported."""
    _cell_class, _cell_name = SimpleRNNCell, "simple_rnn_cell"


class LSTM(_CellLayer):
    """Keras 3's long short-term memory layer (Keras's weights and gate order). `stateful=True` is
    not supported."""
    _cell_class, _cell_name = LSTMCell, "lstm_cell"


class GRU(_CellLayer):
    """Keras 3's gated recurrent unit layer (`reset_after=True` by default; Keras's weights and
    gate order). `stateful=True` is not supported."""
    _cell_class, _cell_name = GRUCell, "gru_cell"


_MERGES = ("sum", "mul", "ave", "concat", None)


def _clone(layer, name, go_backwards):
    """A new layer from `layer`'s config, as Keras's Bidirectional makes its two (no deepcopy:
    a user's program may be named copy.py)."""
    config = {**layer.get_config(), "name": name, "go_backwards": go_backwards}
    if isinstance(layer, _CellLayer):
        return type(layer).from_config(config)
    cell = type(layer.cell).from_config(layer.cell.get_config())
    return type(layer)(cell, **config)


class Bidirectional(Layer):
    """A copy of `layer` forward and one backward (go_backwards flipped), their outputs
    merged; the backward sequence is turned back to forward time before the merge."""

    def __init__(self, layer, merge_mode="concat", weights=None, backward_layer=None, **kwargs):
        if not isinstance(layer, RNN):
            raise ValueError(f"Please initialize `Bidirectional` layer with a "
                             f"`keras.layers.Layer` instance. Received: {layer}")
        if merge_mode not in _MERGES:
            raise ValueError(f"Invalid merge mode. Received: {merge_mode}. Merge mode should "
                             f'be one of {{"sum", "mul", "ave", "concat", None}}')
        if layer.built:
            raise ValueError("Bidirectional: janusgrad copies the layer it wraps, which must "
                             "not be built yet")
        super().__init__(**kwargs)
        self.forward_layer = _clone(layer, f"forward_{layer.name}", layer.go_backwards)
        self.backward_layer = backward_layer if backward_layer is not None else \
            _clone(layer, f"backward_{layer.name}", not layer.go_backwards)
        self.merge_mode = merge_mode
        self.return_sequences, self.return_state = layer.return_sequences, layer.return_state
        self._initial_weights = weights

    def build(self, sequences_shape, initial_state_shape=None):
        build_in_scope(self.forward_layer, sequences_shape)
        build_in_scope(self.backward_layer, sequences_shape)
        self.built = True
        if self._initial_weights is not None:
            self.set_weights(self._initial_weights)
            self._initial_weights = None

    def call(self, sequences, initial_state=None, mask=None, training=False):
        kw = {"mask": mask, "training": training}
        init_f = init_b = None
        if initial_state is not None:
            states = _as_list(initial_state)
            half = len(states) // 2
            init_f, init_b = states[:half], states[half:]
        y = self.forward_layer(sequences, initial_state=init_f, **kw)
        y_rev = self.backward_layer(sequences, initial_state=init_b, **kw)
        states = []
        if self.return_state:
            states = list(y[1:]) + list(y_rev[1:])
            y, y_rev = y[0], y_rev[0]
        if self.return_sequences:
            y_rev = reverse(y_rev, [1])
        if self.merge_mode is None:
            return [y, y_rev, *states]
        merged = {"concat": lambda: concat([y, y_rev], -1), "sum": lambda: y + y_rev,
                  "ave": lambda: (y + y_rev) / 2, "mul": lambda: y * y_rev}[self.merge_mode]()
        return [merged, *states] if self.return_state else merged

    def get_config(self):
        return {**super().get_config(), "merge_mode": self.merge_mode}
