"""Record Keras 3's behaviour under tf.distribute and of BackupAndRestore, for
tests/test_distributed_fit.py and tests/test_backup_and_restore.py.

Run with TensorFlow 2.21 (Keras 3) installed, outside the repository's virtualenv:
    ~/tfenv/bin/python tools/record_keras_distributed_fit.py
It writes tests/keras_distributed_fit_recorded.json. Two replicas are two logical CPU devices
of a MirroredStrategy (TF's way of having several replicas on one CPU).
"""
import json
import os
import shutil
import tempfile

import numpy as np
import tensorflow as tf

cpu = tf.config.list_physical_devices("CPU")[0]
tf.config.set_logical_device_configuration(cpu, [tf.config.LogicalDeviceConfiguration()] * 2)

import keras  # noqa: E402

OUT = os.path.join(os.path.dirname(__file__), "..", "tests",
                   "keras_distributed_fit_recorded.json")


class Probe(keras.Model):
    """The train_step of tests/test_distributed_fit.py's _Probe."""

    def __init__(self):
        super().__init__()
        self.dense = keras.layers.Dense(1)

    def call(self, x):
        return self.dense(x)

    def train_step(self, data):
        x, y = data
        pred = self(x)
        keras_loss = keras.losses.MeanSquaredError()(y, pred)
        plain = tf.reduce_mean(tf.square(y - pred))
        ctx = tf.distribute.get_replica_context()
        return {"rows": tf.cast(tf.shape(x)[0], tf.float32),
                "replica": tf.cast(ctx.replica_id_in_sync_group, tf.float32),
                "scale": keras_loss / plain}


def probe():
    strategy = tf.distribute.MirroredStrategy(["/cpu:0", "/cpu:1"])
    rng = np.random.default_rng(0)
    x = rng.normal(size=(32, 5)).astype("float32")
    y = rng.normal(size=(32, 1)).astype("float32")
    with strategy.scope():
        model = Probe()
        model.compile("sgd", "mse")
    seen = []
    record = keras.callbacks.LambdaCallback(
        on_train_batch_end=lambda b, logs: seen.append({k: float(v) for k, v in logs.items()}))
    model.fit(x, y, batch_size=16, epochs=1, shuffle=False, verbose=0, callbacks=[record])
    return seen



def uneven():
    """5 rows in batches of 2 on 2 replicas: the last batch's row goes to one replica, the
    other gets none; weights from ones, so that janusgrad starts from the same ones."""
    strategy = tf.distribute.MirroredStrategy(["/cpu:0", "/cpu:1"])
    x = np.random.default_rng(0).normal(size=(5, 3)).astype("float32")
    y = np.random.default_rng(1).normal(size=(5, 1)).astype("float32")
    with strategy.scope():
        m = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1, kernel_initializer="ones")])
        m.compile(keras.optimizers.SGD(0.1), loss="mse", metrics=["mae"])
    h = m.fit(x, y, batch_size=2, epochs=2, shuffle=False, verbose=0)
    return {"history": h.history, "weights": [w.tolist() for w in m.get_weights()],
            "evaluate": m.evaluate(x, y, batch_size=2, verbose=0)}

# -- BackupAndRestore: the scenarios of tests/test_backup_and_restore.py ----------------------
X = np.random.default_rng(0).normal(size=(4, 3)).astype(np.float32)
Y = np.random.default_rng(1).normal(size=(4, 2)).astype(np.float32)
BAR = keras.callbacks.BackupAndRestore


def model():
    m = keras.Sequential([keras.Input((3,)), keras.layers.Dense(2)])
    m.compile(keras.optimizers.Adam(0.1), loss="mse")
    return m


class StopAt(keras.callbacks.Callback):
    def __init__(self, epoch=None, step=None):
        super().__init__()
        self.epoch, self.step = epoch, step

    def on_epoch_begin(self, epoch, logs=None):
        if epoch == self.epoch:
            raise RuntimeError("interrupted")

    def on_train_batch_begin(self, batch, logs=None):
        if self.step is not None and int(self.model.optimizer.iterations.numpy()) == self.step:
            raise RuntimeError("interrupted")


def fit(m, callbacks, epochs=5):
    return m.fit(X, Y, batch_size=2, epochs=epochs, shuffle=False, verbose=0,
                 callbacks=callbacks)


def interrupted(callbacks, epochs=5, m=None):
    try:
        fit(m or model(), callbacks, epochs)
    except RuntimeError:
        return
    raise AssertionError("not interrupted")


def backup_and_restore(folder):
    out = {}
    d = os.path.join(folder, "a")
    interrupted([BAR(d), StopAt(epoch=2)])
    m = model()
    h = fit(m, [BAR(d)])
    out["resume"] = {"epoch": h.epoch, "iterations": int(m.optimizer.iterations.numpy()),
                     "backup_left": os.path.exists(d)}

    d = os.path.join(folder, "b")
    interrupted([BAR(d, save_freq=1), StopAt(step=3)])
    m = model()
    h = fit(m, [BAR(d, save_freq=1)])
    out["save_freq_1"] = {"epoch": h.epoch, "iterations": int(m.optimizer.iterations.numpy())}

    d = os.path.join(folder, "c")
    fit(model(), [BAR(d, delete_checkpoint=False)], epochs=2)
    m = model()
    h = fit(m, [BAR(d, delete_checkpoint=False)], epochs=3)
    out["kept"] = {"epoch": h.epoch, "iterations": int(m.optimizer.iterations.numpy())}

    d = os.path.join(folder, "d")
    interrupted([BAR(d, double_checkpoint=True), StopAt(epoch=2)])
    with open(os.path.join(d, "latest.weights.h5"), "r+b") as f:    # the last backup damaged
        f.truncate(40)
    m = model()
    h = fit(m, [BAR(d, double_checkpoint=True)])
    out["double"] = {"epoch": h.epoch, "iterations": int(m.optimizer.iterations.numpy())}

    d = os.path.join(folder, "e")
    m = model()
    interrupted([BAR(d), StopAt(epoch=2)], epochs=4, m=m)
    out["lingering"] = {"with_callback": fit(m, [BAR(d)], epochs=4).epoch,
                        "without": fit(m, [], epochs=4).epoch}
    return out


def main():
    folder = tempfile.mkdtemp()
    try:
        recorded = {"keras": keras.__version__, "tensorflow": tf.__version__,
                    "probe": probe(), "uneven": uneven(),
                    "backup_and_restore": backup_and_restore(folder)}
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    with open(OUT, "w") as f:
        json.dump(recorded, f, indent=1)
        f.write("\n")
    print(json.dumps(recorded, indent=1))


if __name__ == "__main__":
    main()
