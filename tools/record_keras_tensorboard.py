"""Record which scalars Keras 3's (TF 2.21) TensorBoard callback writes during a small fit
(with validation) and evaluate, for tests/test_keras_tensorboard.py, into
tests/keras_tensorboard_expected.py. Run with TF's interpreter:

    ~/tfenv-keras/bin/python tools/record_keras_tensorboard.py   (Keras 3; it has tensorboard)

Recorded per run directory ("train", "validation"): sorted (tag, step, value) triples; values of
steps_per_second-like timings are not recorded (none are asked for here)."""
import glob
import os
import pprint
import tempfile

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402

keras = tf.keras
OUT = os.path.join(os.path.dirname(__file__), "..", "tests", "keras_tensorboard_expected.py")


def seq(shape, a=0.7, s=1.0):
    n = int(np.prod(shape))
    return (np.sin(np.arange(n) * a) * s).reshape(shape).astype(np.float32)


def read(logdir):
    out = {}
    for run in sorted(os.listdir(logdir)):
        rows = []
        for path in sorted(glob.glob(os.path.join(logdir, run, "events.out.tfevents.*"))):
            for e in tf.compat.v1.train.summary_iterator(path):
                for v in e.summary.value:
                    value = tf.make_ndarray(v.tensor)
                    # write_graph's model config (a string) is kept by tag only
                    rows.append((v.tag, int(e.step),
                                 None if value.dtype.kind in "SOU" else float(value)))
        out[run] = sorted(rows, key=lambda r: (r[0], r[1]))
    return out


def run(update_freq):
    keras.utils.clear_session()
    model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)])
    model.set_weights([seq((3, 2), 0.3), seq((2,), 0.5)])
    model.compile(optimizer=keras.optimizers.SGD(0.1), loss="mse", metrics=["mae"])
    x, y = seq((8, 3), 0.9), seq((8, 2), 1.3)
    with tempfile.TemporaryDirectory() as d:
        cb = keras.callbacks.TensorBoard(log_dir=d, update_freq=update_freq)
        model.fit(x, y, batch_size=4, epochs=2, validation_data=(x[:4], y[:4]), callbacks=[cb],
                  verbose=0, shuffle=False)
        return read(d)


R = {"keras_version": keras.__version__, "epoch": run("epoch"), "batch": run("batch")}

with open(OUT, "w") as f:
    f.write('"""Keras 3 / TF 2.21 results, recorded by tools/record_keras_tensorboard.py: '
            'do not edit."""\n')
    f.write("R = ")
    f.write(pprint.pformat(R, width=99))
    f.write("\n")
print("wrote", OUT)
