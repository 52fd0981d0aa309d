"""Recurrent Keras layers (issue 18): SimpleRNN, LSTM, GRU, RNN(cell), the cells and
Bidirectional, against Keras 3 / TF 2.21 with the same weights (set_weights).

Reference values (R) were recorded by tools/record_keras_rnn.py, with the same inputs
(`seq`) and weights."""
import numpy as np
import pytest

import janusgrad as tf
from janusgrad.check import check_gradients

from .keras_rnn_expected import R

L = tf.keras.layers


def seq(shape, a=0.7, s=1.0):
    n = int(np.prod(shape))
    return (np.sin(np.arange(n) * a) * s).reshape(shape).astype(np.float32)


def set_all(layer, a=0.3):
    layer.set_weights([seq(w.shape, a + 0.1 * i, 0.5) for i, w in
                       enumerate(layer.get_weights())])


def close(a, b, atol=1e-5):
    if isinstance(b, list) and isinstance(a, (list, tuple)):
        assert len(a) == len(b)
        for x, y in zip(a, b, strict=True):
            close(x, y, atol)
        return
    np.testing.assert_allclose(np.asarray(a), np.asarray(b, np.float32), rtol=1e-5, atol=atol)


X = seq((2, 5, 3), 0.37)

CASES = {
    "simple_rnn": lambda: L.SimpleRNN(4),
    "simple_rnn_seq_relu_nobias": lambda: L.SimpleRNN(4, activation="relu", use_bias=False,
                                                      return_sequences=True),
    "lstm_seq_state": lambda: L.LSTM(4, return_sequences=True, return_state=True),
    "lstm_backwards": lambda: L.LSTM(3, go_backwards=True, return_sequences=True),
    "gru_state": lambda: L.GRU(4, return_state=True),
    "gru_reset_before": lambda: L.GRU(4, reset_after=False, return_sequences=True),
    "gru_backwards_state": lambda: L.GRU(2, go_backwards=True, return_state=True),
    "rnn_lstm_cell": lambda: L.RNN(L.LSTMCell(3), return_sequences=True),
    "rnn_gru_cell_state": lambda: L.RNN(L.GRUCell(3), return_state=True),
    "rnn_simple_cell": lambda: L.RNN(L.SimpleRNNCell(2, activation="sigmoid")),
    "lstm_hard_sigmoid": lambda: L.LSTM(3, recurrent_activation="hard_sigmoid",
                                        activation="relu"),
    "bidi_rnn_cell_sum": lambda: L.Bidirectional(L.RNN(L.SimpleRNNCell(2),
                                                       return_sequences=True), merge_mode="sum"),
    "bidi_gru_last": lambda: L.Bidirectional(L.GRU(3)),
    "bidi_none_state": lambda: L.Bidirectional(L.LSTM(2, return_state=True), merge_mode=None),
    "bidi_seq_state": lambda: L.Bidirectional(L.GRU(2, return_sequences=True,
                                                    return_state=True)),
}
for _mode in ("concat", "sum", "mul", "ave"):
    CASES[f"bidi_lstm_{_mode}"] = lambda mode=_mode: L.Bidirectional(
        L.LSTM(3, return_sequences=True), merge_mode=mode)


def built(key):
    layer = CASES[key]()
    layer(X)
    set_all(layer)
    return layer


@pytest.mark.parametrize("key", sorted(CASES))
def test_outputs_and_states_match_keras(key):
    layer = built(key)
    assert [list(w.shape) for w in layer.get_weights()] == R[key + "_weight_shapes"]
    close(layer(X), R[key])


@pytest.mark.parametrize("key", ["lstm_seq_state", "gru_backwards_state", "bidi_seq_state"])
def test_inside_tf_function_static_and_unknown_time(key):
    layer = built(key)
    static = tf.function(lambda x: layer(x))
    close(static(X), R[key])
    # an unknown number of steps: the loop is a while loop in the graph
    loop = tf.function(lambda x: layer(x),
                       input_signature=[tf.TensorSpec([None, None, 3], tf.float32)])
    close(loop(X), R[key])


def test_initial_state():
    lstm = L.LSTM(3, return_state=True)
    lstm(X)
    set_all(lstm)
    close(lstm(X, initial_state=[seq((2, 3), 0.9), seq((2, 3), 1.1)]), R["lstm_initial_state"])


def test_mask_keeps_states_and_last_output():
    mask = np.array([[True, True, False, True, False], [False, True, True, True, True]])
    for key, make in {"lstm_mask": lambda: L.LSTM(3, return_sequences=True, return_state=True),
                      "gru_mask_back": lambda: L.GRU(2, go_backwards=True,
                                                     return_sequences=True),
                      "gru_mask_zero_seq": lambda: L.GRU(2, return_sequences=True,
                                                         zero_output_for_mask=True),
                      "gru_mask_zero_last": lambda: L.GRU(2, return_state=True,
                                                          zero_output_for_mask=True)}.items():
        layer = make()
        layer(X)
        set_all(layer)
        close(layer(X, mask=mask), R[key])


@pytest.mark.parametrize("key", ["lstm", "gru", "simple_rnn", "bidi"])
def test_gradients_match_keras(key):
    make = {"lstm": lambda: L.LSTM(3, return_sequences=True), "gru": lambda: L.GRU(3),
            "simple_rnn": lambda: L.SimpleRNN(3),
            "bidi": lambda: L.Bidirectional(L.GRU(2, reset_after=False))}[key]
    layer = make()
    layer(X)
    set_all(layer)
    x = tf.constant(X)

    def grads(x):
        with tf.GradientTape() as tape:
            tape.watch(x)
            y = layer(x)
            loss = tf.reduce_sum(y * seq(y.shape, 0.29))
        return tape.gradient(loss, [x] + layer.trainable_weights)
    close(grads(x), R[f"grad_{key}"], atol=1e-4)
    close(tf.function(grads)(x), R[f"grad_{key}"], atol=1e-4)


@pytest.mark.parametrize("make", [
    lambda: L.LSTM(2, dtype="float64", return_sequences=True),
    lambda: L.GRU(2, dtype="float64", reset_after=False),
    lambda: L.GRU(2, dtype="float64", go_backwards=True),
    lambda: L.Bidirectional(L.SimpleRNN(2, dtype="float64"), merge_mode="mul"),
])
def test_input_gradients_by_finite_differences(make):
    layer = make()
    x = seq((2, 3, 2), 0.61).astype(np.float64)
    layer(x)
    set_all(layer)
    check_gradients(lambda x: layer(x), x, rtol=1e-4, atol=1e-6)


def test_initial_weights_and_names():
    lstm = L.LSTM(2)
    lstm(X)
    close(lstm.get_weights()[2], R["lstm_initial_bias"])
    nf = L.LSTM(2, unit_forget_bias=False)
    nf(X)
    close(nf.get_weights()[2], R["lstm_no_forget_bias"])
    assert [w.path.split("/", 1)[1] for w in lstm.weights] == \
        [p.split("/", 1)[1] for p in R["weight_paths"]]
    assert [L.LSTM(2).cell.name, L.GRU(2).cell.name, L.SimpleRNN(2).cell.name] == \
        R["cell_names"]
    assert [L.LSTMCell(3).state_size, L.GRUCell(3).state_size,
            L.SimpleRNNCell(3).state_size] == R["state_size"]
    rk = lstm.cell.recurrent_kernel.numpy()           # orthogonal columns blocks, (2, 8)
    np.testing.assert_allclose(rk @ rk.T, np.eye(2), atol=1e-5)
    assert lstm.units == 2


def test_orthogonal_initializer_seeded():
    init = tf.keras.initializers.Orthogonal(gain=2.0, seed=3)
    a, b = init((6, 4)).numpy(), init((6, 4)).numpy()
    np.testing.assert_array_equal(a, b)
    np.testing.assert_allclose(a.T @ a, 4 * np.eye(4), atol=1e-5)
    assert tf.keras.initializers.get("orthogonal").gain == 1.0
    with pytest.raises(ValueError, match="at least two-dimensional"):
        init((3,))


def test_errors_like_keras():
    for key, f in {"error_units": lambda: L.LSTM(0),
                   "error_merge": lambda: L.Bidirectional(L.LSTM(2), merge_mode="max")}.items():
        with pytest.raises(ValueError) as e:
            f()
        assert str(e.value) == R[key][1]
    with pytest.raises(ValueError, match="expected ndim=3, found ndim=2. Full shape "
                                         r"received: \(2, 3\)"):
        L.LSTM(2)(seq((2, 3)))
    assert R["error_dropout"] is None
    L.GRU(2, dropout=1.5)                         # clipped to 1, as Keras
    with pytest.raises(NotImplementedError, match="stateful=True"):
        L.LSTM(2, stateful=True)


def test_dropout_one_mask_per_sequence_training_only():
    # the identity kernel, no recurrence: each output step is the dropped input step
    rnn = L.SimpleRNN(3, activation="linear", use_bias=False, dropout=0.5, seed=1,
                      return_sequences=True, kernel_initializer="identity" if False else
                      tf.keras.initializers.Constant(np.eye(3)), recurrent_initializer="zeros")
    x = np.ones((4, 6, 3), np.float32)
    np.testing.assert_array_equal(rnn(x).numpy(), x)
    np.testing.assert_array_equal(rnn(x, training=False).numpy(), x)
    y = rnn(x, training=True).numpy()
    assert set(np.unique(y)) <= {0.0, 2.0} and 0 < (y == 0).sum() < y.size
    np.testing.assert_array_equal(y, np.broadcast_to(y[:, :1], y.shape))   # same every step


def test_functional_models_with_static_and_unknown_time():
    for steps in (5, None):
        inp = tf.keras.Input((steps, 3))
        lstm = L.LSTM(4, return_sequences=True)
        out = L.Dense(1)(L.Bidirectional(L.GRU(2))(lstm(inp)))
        model = tf.keras.Model(inp, out)
        assert model(X).shape == (2, 1)
        assert out.shape.as_list() == [None, 1]


def test_bidirectional_names_and_weight_paths():
    bidi = L.Bidirectional(L.LSTM(2))
    bidi(X)
    name, fw, bw, paths = R["bidi_names"]
    assert bidi.name.startswith(name)
    assert (bidi.forward_layer.name.split("_")[0], bidi.backward_layer.name.split("_")[0]) == \
        (fw.split("_")[0], bw.split("_")[0])
    strip = [p.split("/", 1)[1].replace("_lstm/", "/") for p in paths]   # layer counters differ
    assert [w.path.split("/", 1)[1].split("/", 1)[0].split("_")[0] + "/" +
            w.path.split("/", 2)[2] for w in bidi.weights] == strip
    with pytest.raises(ValueError, match="must not be built"):
        L.Bidirectional(bidi.forward_layer)


def test_config_round_trip():
    lstm = L.LSTM(3, dropout=0.25, recurrent_activation="hard_sigmoid", unit_forget_bias=False,
                  return_sequences=True, go_backwards=True, implementation=1)
    config = lstm.get_config()
    assert sorted(config) == R["lstm_config_keys"]
    again = L.LSTM.from_config(config)
    assert (again.units, again.cell.dropout, again.go_backwards, again.return_sequences,
            again.unit_forget_bias) == (3, 0.25, True, True, False)
    for layer in (again, lstm):
        layer(X)
        set_all(layer)
    close(again(X), lstm(X))


def test_sequential_model_trains():
    tf.random.set_seed(0)
    x = np.random.default_rng(0).integers(1, 20, (32, 6))
    y = (x[:, :3].sum(1) > x[:, 3:].sum(1)).astype(np.float32)
    model = tf.keras.Sequential([tf.keras.Input((6,)), L.Embedding(20, 4),
                                 L.Bidirectional(L.GRU(4, return_sequences=True)),
                                 L.LSTM(4, dropout=0.1, recurrent_dropout=0.1),
                                 L.Dense(1, activation="sigmoid")])
    model.compile(optimizer=tf.keras.optimizers.Adam(0.05), loss="binary_crossentropy")
    history = model.fit(x, y, epochs=8, batch_size=16, verbose=0).history["loss"]
    assert history[-1] < 0.8 * history[0]


class MinimalCell(L.Layer):
    """Keras's documented custom cell: a state_size and call(inputs, states)."""

    def __init__(self, units, **kwargs):
        super().__init__(**kwargs)
        self.units, self.state_size = units, units

    def build(self, input_shape):
        self.kernel = self.add_weight(shape=(input_shape[-1], self.units), name="kernel")
        self.recurrent_kernel = self.add_weight(shape=(self.units, self.units), name="rk")

    def call(self, inputs, states):
        out = tf.matmul(inputs, self.kernel) + tf.matmul(states[0], self.recurrent_kernel)
        return out, [out]


def test_custom_cell_matches_numpy_loop():
    rnn = L.RNN(MinimalCell(2), return_sequences=True, go_backwards=True)
    rnn(X)
    set_all(rnn)
    k, rk = rnn.get_weights()
    h, want = np.zeros((2, 2)), []
    for t in range(4, -1, -1):
        h = X[:, t] @ k + h @ rk
        want.append(h)
    close(rnn(X), np.stack(want, 1))
    loop = tf.function(lambda x: rnn(x), input_signature=[tf.TensorSpec([None, None, 3])])
    close(loop(X), np.stack(want, 1))


def test_recurrent_dropout_masks_drawn_per_sequence_and_reset():
    # zero input kernel, identity recurrence, h0 = ones: each step is the dropped state, kept
    gru_like = L.SimpleRNN(3, activation="linear", use_bias=False, recurrent_dropout=0.5,
                           return_sequences=True, kernel_initializer="zeros",
                           recurrent_initializer=tf.keras.initializers.Constant(np.eye(3)))
    x, h0 = np.zeros((8, 4, 3), np.float32), np.ones((8, 3), np.float32)
    y = gru_like(x, initial_state=[h0], training=True).numpy()
    m = y[:, 0]
    assert set(np.unique(m)) <= {0.0, 2.0} and 0 < (m == 0).sum() < m.size
    # the same mask (0 or 2) each step: state_t = h0 * mask ** (t + 1)
    close(y, np.stack([m ** (t + 1) for t in range(4)], 1))
    assert gru_like.cell._masks == (None, None)
    np.testing.assert_array_equal(gru_like(x, initial_state=[h0]).numpy(),
                                  np.ones((8, 4, 3)))
