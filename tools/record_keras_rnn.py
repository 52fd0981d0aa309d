"""Record Keras 3 (TF 2.21) results for tests/test_keras_rnn.py into
tests/keras_rnn_expected.py. Run with TF's interpreter:

    ~/tfenv/bin/python tools/record_keras_rnn.py

(inputs and weights are deterministic: the same `seq` as the tests, weights by set_weights)."""
import os
import pprint

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402

keras = tf.keras
L = keras.layers
OUT = os.path.join(os.path.dirname(__file__), "..", "tests", "keras_rnn_expected.py")


def seq(shape, a=0.7, s=1.0):
    n = int(np.prod(shape))
    return (np.sin(np.arange(n) * a) * s).reshape(shape).astype(np.float32)


def set_all(layer, a=0.3):
    layer.set_weights([seq(w.shape, a + 0.1 * i, 0.5) for i, w in
                       enumerate(layer.get_weights())])


def listed(y):
    return [np.asarray(t).tolist() for t in y] if isinstance(y, (list, tuple)) else \
        np.asarray(y).tolist()


X = seq((2, 5, 3), 0.37)
R = {}

# each case: (key, layer factory); called on X after set_all
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
}
for mode in ("concat", "sum", "mul", "ave"):
    CASES[f"bidi_lstm_{mode}"] = lambda mode=mode: L.Bidirectional(
        L.LSTM(3, return_sequences=True), merge_mode=mode)
CASES["bidi_gru_last"] = lambda: L.Bidirectional(L.GRU(3))
CASES["bidi_none_state"] = lambda: L.Bidirectional(L.LSTM(2, return_state=True),
                                                   merge_mode=None)
CASES["bidi_seq_state"] = lambda: L.Bidirectional(L.GRU(2, return_sequences=True,
                                                        return_state=True))

for key, make in CASES.items():
    layer = make()
    layer(X)
    set_all(layer)
    R[key] = listed(layer(X))
    R[key + "_weight_shapes"] = [list(w.shape) for w in layer.get_weights()]

# an initial state
lstm = L.LSTM(3, return_state=True)
lstm(X)
set_all(lstm)
R["lstm_initial_state"] = listed(lstm(X, initial_state=[seq((2, 3), 0.9), seq((2, 3), 1.1)]))

# a mask: steps where it is False keep the states and repeat the last output
mask = np.array([[True, True, False, True, False], [False, True, True, True, True]])
for key, make in {"lstm_mask": lambda: L.LSTM(3, return_sequences=True, return_state=True),
                  "gru_mask_back": lambda: L.GRU(2, go_backwards=True, return_sequences=True),
                  "gru_mask_zero_seq": lambda: L.GRU(2, return_sequences=True,
                                                     zero_output_for_mask=True),
                  "gru_mask_zero_last": lambda: L.GRU(2, return_state=True,
                                                      zero_output_for_mask=True),
                  }.items():
    layer = make()
    layer(X)
    set_all(layer)
    R[key] = listed(layer(X, mask=mask))

# gradients of sum(output * w) with respect to the input and each weight
for key, make in {"lstm": lambda: L.LSTM(3, return_sequences=True),
                  "gru": lambda: L.GRU(3), "simple_rnn": lambda: L.SimpleRNN(3),
                  "bidi": lambda: L.Bidirectional(L.GRU(2, reset_after=False))}.items():
    layer = make()
    layer(X)
    set_all(layer)
    x = tf.constant(X)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = layer(x)
        loss = tf.reduce_sum(y * seq(y.shape, 0.29))
    grads = tape.gradient(loss, [x] + layer.trainable_weights)
    R[f"grad_{key}"] = [g.numpy().tolist() for g in grads]

# initial weights: the LSTM bias (unit_forget_bias) and an orthogonal recurrent kernel
lstm = L.LSTM(2)
lstm(X)
R["lstm_initial_bias"] = lstm.get_weights()[2].tolist()
R["lstm_no_forget_bias"] = L.LSTM(2, unit_forget_bias=False)
R["lstm_no_forget_bias"](X)
R["lstm_no_forget_bias"] = R["lstm_no_forget_bias"].get_weights()[2].tolist()
R["weight_paths"] = [w.path for w in lstm.weights]
R["cell_names"] = [L.LSTM(2).cell.name, L.GRU(2).cell.name, L.SimpleRNN(2).cell.name]

keras.utils.clear_session()
bidi = L.Bidirectional(L.LSTM(2))
bidi(X)
R["bidi_names"] = [bidi.name, bidi.forward_layer.name, bidi.backward_layer.name,
                   [w.path for w in bidi.weights]]
R["lstm_config_keys"] = sorted(L.LSTM(2).get_config())


def error(f):
    try:
        f()
    except Exception as e:  # noqa: BLE001
        return [type(e).__name__, str(e)]
    return None


R["error_units"] = error(lambda: L.LSTM(0))
R["error_dropout"] = error(lambda: L.GRU(2, dropout=1.5))
R["error_merge"] = error(lambda: L.Bidirectional(L.LSTM(2), merge_mode="max"))
R["error_rank"] = error(lambda: L.LSTM(2)(seq((2, 3))))
R["state_size"] = [L.LSTMCell(3).state_size, L.GRUCell(3).state_size,
                   L.SimpleRNNCell(3).state_size]

with open(OUT, "w") as f:
    f.write('"""Keras 3 / TF 2.21 results, recorded by tools/record_keras_rnn.py: '
            'do not edit."""\n')
    f.write(f"KERAS_VERSION = {keras.__version__!r}\n")
    f.write("R = ")
    f.write(pprint.pformat(R, width=99))
    f.write("\n")
print("wrote", OUT)
