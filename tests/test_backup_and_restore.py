"""keras.callbacks.BackupAndRestore in one process (Keras 3's behaviour, checked in TF 2.21 /
Keras 3.15: which epoch a resumed fit starts from, the optimizer's state restored, the backup
deleted at the end, the arguments' errors), as recorded by tools/record_keras_distributed_fit.py.
tests/test_distributed_fit.py checks it under a strategy with several replicas."""
import json
import os

import numpy as np
import pytest

import janusgrad as tf

BAR = tf.keras.callbacks.BackupAndRestore
with open(os.path.join(os.path.dirname(__file__), "keras_distributed_fit_recorded.json")) as _f:
    KERAS = json.load(_f)["backup_and_restore"]
X = np.random.default_rng(0).normal(size=(4, 3)).astype(np.float32)
Y = np.random.default_rng(1).normal(size=(4, 2)).astype(np.float32)


def _model():
    tf.random.set_seed(7)
    model = tf.keras.Sequential([tf.keras.Input((3,)), tf.keras.layers.Dense(2)])
    model.compile(tf.keras.optimizers.Adam(0.1), loss="mse")
    return model


class _StopAt(tf.keras.callbacks.Callback):
    """Interrupts fit at the start of an epoch, or before the step that would be number
    `step + 1`."""

    def __init__(self, epoch=None, step=None):
        super().__init__()
        self.epoch, self.step = epoch, step

    def on_epoch_begin(self, epoch, logs=None):
        if epoch == self.epoch:
            raise RuntimeError("interrupted")

    def on_train_batch_begin(self, batch, logs=None):
        if self.step is not None and int(self.model.optimizer.iterations.numpy()) == self.step:
            raise RuntimeError("interrupted")


def _fit(model, callbacks, epochs=5):
    return model.fit(X, Y, batch_size=2, epochs=epochs, shuffle=False, verbose=0,
                     callbacks=callbacks)


def test_a_resumed_fit_continues_from_the_epoch_after_the_last_backup(tmp_path):
    backup = tmp_path / "backup"
    reference = _model()
    expected = _fit(reference, [])
    interrupted = _model()
    with pytest.raises(RuntimeError, match="interrupted"):
        _fit(interrupted, [BAR(backup), _StopAt(epoch=2)])
    assert backup.is_dir()
    resumed = _model()                      # a new job: fresh weights, fresh optimizer
    history = _fit(resumed, [BAR(backup)])
    assert history.epoch == KERAS["resume"]["epoch"] == [2, 3, 4]
    np.testing.assert_allclose(history.history["loss"], expected.history["loss"][2:],
                               rtol=1e-6)
    for a, b in zip(resumed.get_weights(), reference.get_weights(), strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-6)
    # Adam's state came back too
    assert int(resumed.optimizer.iterations.numpy()) == KERAS["resume"]["iterations"]
    assert backup.exists() is KERAS["resume"]["backup_left"] is False   # deleted at the end


def test_save_freq_in_batches_resumes_from_the_epoch_it_was_in(tmp_path):
    backup = tmp_path / "backup"
    with pytest.raises(RuntimeError):
        _fit(_model(), [BAR(backup, save_freq=1), _StopAt(step=3)])
    resumed = _model()
    history = _fit(resumed, [BAR(backup, save_freq=1)])
    # Keras 3: the last save (after epoch 1's first batch) records epoch 1; the resumed fit
    # restores those weights (3 steps) and trains epochs 1 to 4 (8 steps)
    assert history.epoch == KERAS["save_freq_1"]["epoch"]
    assert int(resumed.optimizer.iterations.numpy()) == KERAS["save_freq_1"]["iterations"]


def test_delete_checkpoint_false_keeps_the_backup(tmp_path):
    backup = tmp_path / "backup"
    _fit(_model(), [BAR(backup, delete_checkpoint=False)], epochs=2)
    assert backup.is_dir() and os.listdir(backup)
    again = _model()
    history = _fit(again, [BAR(backup, delete_checkpoint=False)], epochs=3)
    assert history.epoch == KERAS["kept"]["epoch"]
    assert int(again.optimizer.iterations.numpy()) == KERAS["kept"]["iterations"]


def test_double_checkpoint_falls_back_to_the_previous_backup(tmp_path):
    backup = tmp_path / "backup"
    with pytest.raises(RuntimeError):
        _fit(_model(), [BAR(backup, double_checkpoint=True), _StopAt(epoch=2)])
    saved = sorted(f for f in os.listdir(backup) if f.endswith(".npz"))
    assert len(saved) == 2
    with open(backup / saved[-1], "r+b") as f:          # the last backup damaged
        f.truncate(40)
    resumed = _model()
    history = _fit(resumed, [BAR(backup, double_checkpoint=True)])
    assert history.epoch == KERAS["double"]["epoch"]
    assert int(resumed.optimizer.iterations.numpy()) == KERAS["double"]["iterations"]


def test_a_damaged_single_backup_is_an_error(tmp_path):
    backup = tmp_path / "backup"
    with pytest.raises(RuntimeError):
        _fit(_model(), [BAR(backup), _StopAt(epoch=2)])
    (saved,) = [f for f in os.listdir(backup) if f.endswith(".npz")]
    with open(backup / saved, "r+b") as f:
        f.truncate(40)
    with pytest.raises(tf.errors.DataLossError):
        _fit(_model(), [BAR(backup)])


def test_the_restored_epoch_stays_for_later_fits_as_keras_3(tmp_path):
    # Keras 3 keeps model._initial_epoch once BackupAndRestore set it: a later fit of the same
    # model starts there too
    backup = tmp_path / "backup"
    model = _model()
    with pytest.raises(RuntimeError):
        _fit(model, [BAR(backup), _StopAt(epoch=2)], epochs=4)
    assert _fit(model, [BAR(backup)], epochs=4).epoch == KERAS["lingering"]["with_callback"]
    assert _fit(model, [], epochs=4).epoch == KERAS["lingering"]["without"]


def test_bad_arguments_and_unbuilt_models(tmp_path):
    for empty in (None, ""):
        with pytest.raises(ValueError, match="Empty `backup_dir` argument passed"):
            BAR(empty)
    for bad in ("batch", 1.5):
        with pytest.raises(ValueError, match=r"Invalid value for argument `save_freq`\. "
                                             rf"Received: save_freq={bad}\."):
            BAR(tmp_path, save_freq=bad)
    unbuilt = tf.keras.Sequential([tf.keras.layers.Dense(2)])
    unbuilt.compile("sgd", "mse")
    with pytest.raises(ValueError, match="you model must be built before you call `fit"):
        unbuilt.fit(X, Y, verbose=0, callbacks=[BAR(tmp_path / "b")])
