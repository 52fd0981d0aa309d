"""keras.callbacks.TensorBoard (issue 18): the scalars (run directory, tag, step, value) a
small fit with validation writes, against those Keras 3 wrote for the same model, data and
weights (tools/record_keras_tensorboard.py). Keras also writes the model config under the tag
"keras" (write_graph); janusgrad does not (a deliberate difference)."""
import glob
import os

import numpy as np
import pytest

import janusgrad as tf
from janusgrad.summaries.reading import make_ndarray, summary_iterator

from .keras_tensorboard_expected import R

pytest.importorskip("tensorboardX")
keras = tf.keras


def seq(shape, a=0.7, s=1.0):
    n = int(np.prod(shape))
    return (np.sin(np.arange(n) * a) * s).reshape(shape).astype(np.float32)


def read(logdir):
    out = {}
    for run in sorted(os.listdir(logdir)):
        rows = []
        for path in sorted(glob.glob(os.path.join(logdir, run, "events.out.tfevents.*"))):
            for e in summary_iterator(path):
                for v in e.summary.value:
                    rows.append((v.tag, int(e.step), float(make_ndarray(v.tensor))))
        out[run] = sorted(rows, key=lambda r: (r[0], r[1]))
    return out


@pytest.mark.parametrize("update_freq", ["epoch", "batch"])
def test_fit_writes_keras_scalars(tmp_path, update_freq):
    keras.backend.clear_session()
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)])
    model.set_weights([seq((3, 2), 0.3), seq((2,), 0.5)])
    model.compile(optimizer=keras.optimizers.SGD(0.1), loss="mse", metrics=["mae"])
    x, y = seq((8, 3), 0.9), seq((8, 2), 1.3)
    cb = keras.callbacks.TensorBoard(log_dir=str(tmp_path), update_freq=update_freq)
    model.fit(x, y, batch_size=4, epochs=2, validation_data=(x[:4], y[:4]), callbacks=[cb],
              verbose=0, shuffle=False)
    got = read(str(tmp_path))
    want = {run: [r for r in rows if r[0] != "keras"] for run, rows in R[update_freq].items()}
    assert sorted(got) == sorted(want)
    for run in want:
        assert [r[:2] for r in got[run]] == [tuple(r[:2]) for r in want[run]], run
        np.testing.assert_allclose([r[2] for r in got[run]], [r[2] for r in want[run]],
                                   rtol=1e-5)


def test_unsupported_options_and_bad_update_freq(tmp_path):
    with pytest.raises(NotImplementedError, match="TensorBoard.*histogram_freq"):
        keras.callbacks.TensorBoard(str(tmp_path), histogram_freq=1)
    with pytest.raises(ValueError, match="TensorBoard: update_freq"):
        keras.callbacks.TensorBoard(str(tmp_path), update_freq="sometimes")
