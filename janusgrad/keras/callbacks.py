"""tf.keras.callbacks: hooks called by Model.fit / evaluate / predict, as Keras 3's.

fit calls, in order: on_train_begin, then per epoch on_epoch_begin, on_train_batch_begin/end
per step, the validation's on_test_* hooks, on_epoch_end(epoch, logs) with the epoch's
metrics (val_ ones included); then on_train_end. A callback stops training by setting
`self.model.stop_training = True`.
"""
import math
import shutil
import warnings

import numpy as np

# (BackupAndRestore's, under private names: not tf.keras.callbacks' own)
from ..framework.context import init_scope as _init_scope
from ..framework.errors import DataLossError as _DataLossError
from ..framework.errors import NotFoundError as _NotFoundError
from ..ops.state import Variable as _Variable
from ..train.checkpoint import Checkpoint as _Checkpoint
from ..train.checkpoint_manager import CheckpointManager as _CheckpointManager


class Callback:
    """Base class: override the hooks you need; `self.model` and `self.params` are set by fit."""

    def __init__(self):
        self.params = None
        self._model = None

    def set_params(self, params):
        self.params = params

    def set_model(self, model):
        self._model = model

    @property
    def model(self):
        return self._model

    def on_batch_begin(self, batch, logs=None):
        """A backwards-compatible alias of on_train_batch_begin."""

    def on_batch_end(self, batch, logs=None):
        """A backwards-compatible alias of on_train_batch_end."""

    def on_epoch_begin(self, epoch, logs=None):
        pass

    def on_epoch_end(self, epoch, logs=None):
        pass

    def on_train_batch_begin(self, batch, logs=None):
        self.on_batch_begin(batch, logs=logs)

    def on_train_batch_end(self, batch, logs=None):
        self.on_batch_end(batch, logs=logs)

    def on_test_batch_begin(self, batch, logs=None):
        pass

    def on_test_batch_end(self, batch, logs=None):
        pass

    def on_predict_batch_begin(self, batch, logs=None):
        pass

    def on_predict_batch_end(self, batch, logs=None):
        pass

    def on_train_begin(self, logs=None):
        pass

    def on_train_end(self, logs=None):
        pass

    def on_test_begin(self, logs=None):
        pass

    def on_test_end(self, logs=None):
        pass

    def on_predict_begin(self, logs=None):
        pass

    def on_predict_end(self, logs=None):
        pass


_HOOKS = ("on_batch_begin", "on_batch_end", "on_epoch_begin", "on_epoch_end",
          "on_train_batch_begin", "on_train_batch_end", "on_test_batch_begin",
          "on_test_batch_end", "on_predict_batch_begin", "on_predict_batch_end",
          "on_train_begin", "on_train_end", "on_test_begin", "on_test_end",
          "on_predict_begin", "on_predict_end")


class CallbackList(Callback):
    """Calls each hook on every callback in turn; fit adds a History (and a ProgbarLogger
    when verbose) as Keras does."""

    def __init__(self, callbacks=None, add_history=False, add_progbar=False, model=None,
                 **params):
        super().__init__()
        self.callbacks = list(callbacks or [])
        for c in self.callbacks:
            if not isinstance(c, Callback):      # TF fails on c.set_model: AttributeError
                raise AttributeError(f"callbacks: expected keras.callbacks.Callback instances; "
                                f"received {c!r} of type {type(c).__name__}")
        if add_history and not any(isinstance(c, History) for c in self.callbacks):
            self.callbacks.append(History())
        if add_progbar and not any(isinstance(c, ProgbarLogger) for c in self.callbacks):
            self.callbacks.append(ProgbarLogger())
        if model is not None:
            self.set_model(model)
        if params:
            self.set_params(params)

    def append(self, callback):
        self.callbacks.append(callback)

    def set_params(self, params):
        self.params = params
        for c in self.callbacks:
            c.set_params(params)

    def set_model(self, model):
        self._model = model
        for c in self.callbacks:
            c.set_model(model)

    def __iter__(self):
        return iter(self.callbacks)


def _dispatch(hook):
    # every callback gets the logs argument, as Keras passes it (logs=None when none)
    if "batch" in hook or "epoch" in hook:
        def call(self, index, logs=None):
            for c in self.callbacks:
                getattr(c, hook)(index, logs)
    else:
        def call(self, logs=None):
            for c in self.callbacks:
                getattr(c, hook)(logs)
    call.__name__ = hook
    return call


for _hook in _HOOKS:
    setattr(CallbackList, _hook, _dispatch(_hook))


class History(Callback):
    """Records each epoch's logs: `history.history["loss"]` is the list of epoch losses; fit
    returns it and sets `model.history`."""

    def __init__(self):
        super().__init__()
        self.history = {}
        self.epoch = []

    def on_train_begin(self, logs=None):
        self.epoch = []

    def on_epoch_end(self, epoch, logs=None):
        self.epoch.append(epoch)
        for k, v in (logs or {}).items():
            self.history.setdefault(k, []).append(v)
        self.model.history = self


class ProgbarLogger(Callback):
    """Keras's progress output: verbose=1 a bar per epoch, 2 one line per epoch."""

    def __init__(self):
        super().__init__()
        self.verbose = 1
        self.epochs = 1
        self.target = None
        self.progbar = None

    def set_params(self, params):
        super().set_params(params)
        self.verbose = params.get("verbose", 1)
        self.epochs = params.get("epochs", 1)
        self.target = params.get("steps")

    def _bar(self, target):
        from .utils import Progbar
        return Progbar(target, verbose=self.verbose, unit_name="step")

    def on_train_begin(self, logs=None):
        self.verbose = self.params.get("verbose", 1) if self.params else 1

    def on_epoch_begin(self, epoch, logs=None):
        self.progbar = self._bar(self.target)
        if self.verbose and self.epochs > 1:
            print(f"Epoch {epoch + 1}/{self.epochs}")

    def on_train_batch_end(self, batch, logs=None):
        if self.progbar is not None and self.verbose == 1:
            self.progbar.update(batch + 1, list((logs or {}).items()), finalize=False)

    def on_epoch_end(self, epoch, logs=None):
        if self.progbar is not None:
            self.progbar.update(self.target, list((logs or {}).items()), finalize=True)

    def on_test_begin(self, logs=None):
        if self.progbar is None or self.params.get("_evaluating"):
            self.progbar = self._bar(self.params.get("steps"))

    def on_test_batch_end(self, batch, logs=None):
        if self.params.get("_evaluating") and self.verbose == 1:
            self.progbar.update(batch + 1, list((logs or {}).items()), finalize=False)

    def on_test_end(self, logs=None):
        if self.params.get("_evaluating"):
            self.progbar.update(self.params.get("steps"), list((logs or {}).items()),
                                finalize=True)

    def on_predict_begin(self, logs=None):
        self.progbar = self._bar(self.params.get("steps"))

    def on_predict_batch_end(self, batch, logs=None):
        if self.verbose == 1:
            self.progbar.update(batch + 1, finalize=False)

    def on_predict_end(self, logs=None):
        self.progbar.update(self.params.get("steps"), finalize=True)


class _Monitor(Callback):
    """Keras 3's MonitorCallback: which way `monitor` improves, and by how much."""

    def __init__(self, monitor="val_loss", mode="auto", baseline=None, min_delta=0):
        super().__init__()
        if mode not in ("auto", "min", "max"):
            warnings.warn(f"{type(self).__name__} mode '{mode}' is unknown, fallback to auto "
                          f"mode.", stacklevel=3)
            mode = "auto"
        self.monitor = monitor
        self.mode = mode
        self.best = baseline
        self.min_delta = abs(min_delta)
        self.monitor_op = None

    def _set_monitor_op(self):
        if self.mode == "min":
            self.monitor_op = np.less
        elif self.mode == "max":
            self.monitor_op = np.greater
        else:
            name = self.monitor.removeprefix("val_")
            if name == "loss":
                self.monitor_op = np.less
            compiled = [c for m in getattr(self.model, "metrics", []) if
                        m.name == "compile_metrics" for c in m.metrics]
            for m in compiled:
                if m.name == name and hasattr(m, "_direction"):
                    self.monitor_op = np.greater if m._direction == "up" else np.less
            if self.monitor_op is None:
                raise ValueError(f"{type(self).__name__} callback received "
                                 f"monitor={self.monitor}, but Keras isn't able to "
                                 f"automatically determine whether that metric should be "
                                 f"maximized or minimized. Pass `mode='max'` in order to "
                                 f"monitor based on the highest metric value, or pass "
                                 f"`mode='min'` in order to use the lowest value.")
        if self.monitor_op is np.less:
            self.min_delta *= -1

    def _is_improvement(self, value, reference):
        if reference is None:
            return True
        return bool(self.monitor_op(value - self.min_delta, reference))


class EarlyStopping(_Monitor):
    """Stop when `monitor` has not improved for `patience` epochs; optionally put back the
    best epoch's weights at the end."""

    def __init__(self, monitor="val_loss", min_delta=0, patience=0, verbose=0, mode="auto",
                 baseline=None, restore_best_weights=False, start_from_epoch=0):
        super().__init__(monitor, mode, min_delta=min_delta)
        self.patience = patience
        self.verbose = verbose
        self.baseline = baseline
        self.wait = 0
        self.stopped_epoch = 0
        self.restore_best_weights = restore_best_weights
        self.best_weights = None
        self.start_from_epoch = start_from_epoch

    def on_train_begin(self, logs=None):
        self.wait = 0
        self.stopped_epoch = 0
        self.best = None
        self.best_weights = None
        self.best_epoch = 0

    def on_epoch_end(self, epoch, logs=None):
        if self.monitor_op is None:
            self._set_monitor_op()
        current = (logs or {}).get(self.monitor)
        if current is None:
            warnings.warn(f"Early stopping conditioned on metric `{self.monitor}` which is "
                          f"not available. Available metrics are: "
                          f"{','.join(list((logs or {}).keys()))}", stacklevel=2)
            return
        if epoch < self.start_from_epoch:
            return
        if self.restore_best_weights and self.best_weights is None:
            self.best_weights = self.model.get_weights()
            self.best_epoch = epoch
        self.wait += 1
        if self._is_improvement(current, self.best):
            self.best = current
            self.best_epoch = epoch
            if self.restore_best_weights:
                self.best_weights = self.model.get_weights()
            # a baseline not yet beaten keeps the patience running (Keras 3)
            if self.baseline is None or self._is_improvement(current, self.baseline):
                self.wait = 0
            return
        if self.wait >= self.patience and epoch > 0:
            self.stopped_epoch = epoch
            self.model.stop_training = True

    def on_train_end(self, logs=None):
        if self.stopped_epoch > 0 and self.verbose > 0:
            print(f"Epoch {self.stopped_epoch + 1}: early stopping")
        if self.restore_best_weights and self.best_weights is not None:
            if self.verbose > 0:
                print(f"Restoring model weights from the end of the best epoch: "
                      f"{self.best_epoch + 1}.")
            self.model.set_weights(self.best_weights)


class ModelCheckpoint(_Monitor):
    """Save the weights (model.save_weights) after each epoch, or only when `monitor`
    improved (save_best_only). `filepath` may hold `{epoch}` and log keys
    (`"w-{epoch:02d}-{val_loss:.2f}.weights"`). janusgrad saves weights only: the whole
    model (save_weights_only=False) is refused, as is Keras's `.weights.h5`/`.keras`."""

    def __init__(self, filepath, monitor="val_loss", verbose=0, save_best_only=False,
                 save_weights_only=False, mode="auto", save_freq="epoch",
                 initial_value_threshold=None):
        super().__init__(monitor, mode, baseline=initial_value_threshold)
        self.filepath = str(filepath)
        self.verbose = verbose
        self.save_best_only = save_best_only
        self.save_weights_only = save_weights_only
        if not save_weights_only:
            raise NotImplementedError("ModelCheckpoint: janusgrad saves weights only; pass "
                                      "save_weights_only=True (whole-model saving, "
                                      "model.save / .keras files, is not supported)")
        if save_freq != "epoch":
            raise NotImplementedError(f"ModelCheckpoint: janusgrad saves once per epoch; "
                                      f"received save_freq={save_freq!r}")

    def on_epoch_end(self, epoch, logs=None):
        logs = logs or {}
        path = self.filepath.format(epoch=epoch + 1, **logs)
        if self.save_best_only:
            if self.monitor_op is None:
                self._set_monitor_op()
            current = logs.get(self.monitor)
            if current is None:
                warnings.warn(f"Can save best model only with {self.monitor} available.",
                              stacklevel=2)
                return
            if not self._is_improvement(current, self.best):
                if self.verbose > 0:
                    print(f"\nEpoch {epoch + 1}: {self.monitor} did not improve from "
                          f"{self.best:.5f}")
                return
            if self.verbose > 0:
                print(f"\nEpoch {epoch + 1}: {self.monitor} improved from {self.best} to "
                      f"{current:.5f}, saving model to {path}")
            self.best = current
        elif self.verbose > 0:
            print(f"\nEpoch {epoch + 1}: saving model to {path}")
        self.model.save_weights(path)


class LearningRateScheduler(Callback):
    """Set the optimizer's learning rate at each epoch's start to schedule(epoch, lr)."""

    def __init__(self, schedule, verbose=0):
        super().__init__()
        self.schedule = schedule
        self.verbose = verbose

    def on_epoch_begin(self, epoch, logs=None):
        optimizer = self.model.optimizer
        if not hasattr(optimizer, "learning_rate"):
            raise ValueError('Optimizer must have a "learning_rate" attribute.')
        try:
            lr = self.schedule(epoch, float(np.asarray(optimizer.learning_rate)))
        except TypeError:          # the old one-argument schedule(epoch)
            lr = self.schedule(epoch)
        if not isinstance(lr, (float, np.float32, np.float64)):
            raise ValueError(f"The output of the `schedule` function should be a float. "
                             f"Got: {lr}")
        optimizer.learning_rate = lr
        if self.verbose > 0:
            print(f"\nEpoch {epoch + 1}: LearningRateScheduler setting learning rate to "
                  f"{lr}.")

    def on_epoch_end(self, epoch, logs=None):
        if logs is not None:
            logs["learning_rate"] = float(np.asarray(self.model.optimizer.learning_rate))


class LambdaCallback(Callback):
    """A callback from plain functions: on_epoch_begin/end(epoch, logs),
    on_train_batch_begin/end(batch, logs), on_train_begin/end(logs), and any other hook
    passed by its name."""

    def __init__(self, on_epoch_begin=None, on_epoch_end=None, on_train_begin=None,
                 on_train_end=None, on_train_batch_begin=None, on_train_batch_end=None,
                 **kwargs):
        super().__init__()
        given = dict(on_epoch_begin=on_epoch_begin, on_epoch_end=on_epoch_end,
                     on_train_begin=on_train_begin, on_train_end=on_train_end,
                     on_train_batch_begin=on_train_batch_begin,
                     on_train_batch_end=on_train_batch_end, **kwargs)
        for hook, fn in given.items():
            if hook not in _HOOKS:
                raise TypeError(f"LambdaCallback: unknown hook {hook!r}")
            if fn is not None:
                setattr(self, hook, fn)


class TerminateOnNaN(Callback):
    """Stop training when a batch's loss is NaN or infinite."""

    def on_batch_end(self, batch, logs=None):
        loss = (logs or {}).get("loss")
        if loss is not None and (math.isnan(loss) or math.isinf(loss)):
            print(f"Batch {batch}: Invalid loss, terminating training")
            self.model.stop_training = True

# -- more callbacks real TF programs use (issue 18, more Keras names) --
# keras.callbacks.TensorBoard (issue 18): fit's metrics as scalars in event files, written
# through janusgrad's summaries (tensorboardX, the `tensorboard` extra), with Keras 3's run
# directories, tags and steps:
#
# - <log_dir>/train: epoch_<metric> and epoch_learning_rate at step = epoch;
#   with update_freq="batch" (or an int), batch_<metric> at the global batch number (1, 2, ...);
# - <log_dir>/validation: epoch_<metric> for the val_ metrics, and after each evaluation
#   evaluation_<metric>_vs_iterations at the optimizer's iteration count.
#
# Keras 3 writes batch scalars on every batch whatever the int update_freq (its record_if
# compares a step fixed at 0), and so does this. The model graph (write_graph) is not written.
import os  # noqa: E402

from ..summaries import v2 as _summary  # noqa: E402


class TensorBoard(Callback):
    """Write epoch, batch and evaluation scalars to TensorBoard event files under `log_dir` (with
    the `tensorboard` extra). Histograms, images, profiling and embeddings are a
    NotImplementedError."""
    def __init__(self, log_dir="logs", histogram_freq=0, write_graph=True, write_images=False,
                 write_steps_per_second=False, update_freq="epoch", profile_batch=0,
                 embeddings_freq=0, embeddings_metadata=None):
        super().__init__()
        unsupported = [name for name, value in (
            ("histogram_freq", histogram_freq), ("write_images", write_images),
            ("write_steps_per_second", write_steps_per_second),
            ("profile_batch", profile_batch), ("embeddings_freq", embeddings_freq),
            ("embeddings_metadata", embeddings_metadata)) if value]
        if unsupported:
            raise NotImplementedError(f"TensorBoard: janusgrad writes scalars only; "
                                      f"{', '.join(unsupported)} not supported")
        if update_freq not in ("epoch", "batch") and (
                isinstance(update_freq, bool) or not isinstance(update_freq, int)
                or update_freq < 1):
            raise ValueError("TensorBoard: update_freq must be 'epoch', 'batch' or a positive "
                             f"int, got {update_freq!r}")
        self.log_dir = str(log_dir)
        self.write_graph = write_graph        # accepted; nothing is written for it
        self.update_freq = 1 if update_freq == "batch" else update_freq
        self._writers = {}
        self._global_train_batch = 0

    def _writer(self, run):
        if run not in self._writers:
            self._writers[run] = _summary.create_file_writer(os.path.join(self.log_dir, run))
        return self._writers[run]

    def _write(self, run, scalars, step):
        with self._writer(run).as_default():
            for name, value in scalars:
                _summary.scalar(name, float(value), step=int(step))

    def on_train_begin(self, logs=None):
        self._global_train_batch = 0

    def on_train_batch_begin(self, batch, logs=None):
        self._global_train_batch += 1

    def on_train_batch_end(self, batch, logs=None):
        if self.update_freq != "epoch" and isinstance(logs, dict):
            self._write("train", [(f"batch_{k}", v) for k, v in logs.items()],
                        self._global_train_batch)

    def on_test_end(self, logs=None):
        optimizer = getattr(self.model, "optimizer", None)
        if logs and optimizer is not None and hasattr(optimizer, "iterations"):
            self._write("validation", [(f"evaluation_{k}_vs_iterations", v)
                                       for k, v in logs.items()], optimizer.iterations.numpy())

    def on_epoch_end(self, epoch, logs=None):
        if not logs:
            return
        train = [(f"epoch_{k}", v) for k, v in logs.items() if not k.startswith("val_")]
        optimizer = getattr(self.model, "optimizer", None)
        if optimizer is not None and hasattr(optimizer, "learning_rate"):
            train.append(("epoch_learning_rate", float(optimizer.learning_rate.numpy())))
        self._write("train", train, epoch)
        val = [(f"epoch_{k[4:]}", v) for k, v in logs.items() if k.startswith("val_")]
        if val:
            self._write("validation", val, epoch)

    def on_train_end(self, logs=None):
        for writer in self._writers.values():
            writer.close()
        self._writers = {}


# -- fault tolerance (issue 23): BackupAndRestore resumes an interrupted fit --
# Keras 3's BackupAndRestore.
#
# The backup is a tf.train.Checkpoint of the model's weights, the optimizer's state and where
# training was (epoch, batch), written by a CheckpointManager in `backup_dir`: each save is one
# file written atomically and recorded only once complete, so a job killed while saving resumes
# from the previous one. Keras 3 writes latest.weights.h5 and training_metadata.json instead;
# janusgrad writes its own format (ckpt-<n>.npz and the manager's `checkpoint` file).
#
# Under a strategy with several replicas, callbacks run in this process, replica 0, whose
# variables are the model's: it saves them, and the values it restores reach the other
# replicas before their next step (the strategy sends variables changed outside a step).
class BackupAndRestore(Callback):
    """Back up the training state in `backup_dir` at the end of each epoch (or every
    `save_freq` batches); the next fit with this callback starts from the last backup: the
    weights and optimizer state restored, training from the epoch after the last one saved.
    The backup is deleted when fit ends normally (unless delete_checkpoint=False);
    double_checkpoint=True keeps the previous one too, used if the last cannot be read."""

    def __init__(self, backup_dir, save_freq="epoch", double_checkpoint=False,
                 delete_checkpoint=True):
        super().__init__()
        self.save_freq = save_freq
        self.double_checkpoint = double_checkpoint
        self.delete_checkpoint = delete_checkpoint
        self._batches_seen_since_last_saving = 0
        self._last_batch_seen = 0
        self._current_epoch = 0
        if not backup_dir:
            raise ValueError("Empty `backup_dir` argument passed")
        self.backup_dir = os.fspath(backup_dir)
        if save_freq != "epoch" and not isinstance(save_freq, int):
            raise ValueError("Invalid value for argument `save_freq`. "
                             f"Received: save_freq={save_freq}. "
                             "Expected either 'epoch' or an integer value.")
        with _init_scope():
            self._epoch = _Variable(np.int64(0), trainable=False, name="backup/epoch")
            self._batch = _Variable(np.int64(0), trainable=False, name="backup/batch")
        self._checkpoint = self._manager = None

    def on_train_begin(self, logs=None):
        if not self.model.built:
            raise ValueError("To use the BackupAndRestore callback, you model must be built "
                             f"before you call `fit()`. Model {self.model} is unbuilt. You "
                             "can build it beforehand by calling it on a batch of data.")
        # one checkpoint for the whole fit: its save counter numbers the backups
        self._checkpoint = _Checkpoint(model=self.model, optimizer=self.model.optimizer,
                                      epoch=self._epoch, batch=self._batch)
        self._manager = _CheckpointManager(self._checkpoint, self.backup_dir,
                                          max_to_keep=2 if self.double_checkpoint else 1)
        saved = self._manager.checkpoints
        if not saved:
            return
        optimizer = self.model.optimizer
        if optimizer is not None:
            optimizer.build(self.model.trainable_variables)   # its slots, to take their values
        try:
            self._restore(saved[-1])
        except (OSError, _DataLossError, _NotFoundError):
            if len(saved) < 2:          # the last backup unreadable: the one before, if kept
                raise
            self._restore(saved[-2])
        self.model._initial_epoch = int(self._epoch.numpy())

    def _restore(self, path):
        self._checkpoint.restore(path).assert_existing_objects_matched()

    def on_epoch_end(self, epoch, logs=None):
        self._current_epoch = epoch + 1
        self._last_batch_seen = 0
        if self.save_freq == "epoch":
            self._save_model()

    def on_train_batch_end(self, batch, logs=None):
        if self._should_save_on_batch(batch):
            self._save_model()

    def _save_model(self):
        self._epoch.assign(np.int64(self._current_epoch))
        self._batch.assign(np.int64(self._last_batch_seen))
        self._manager.save()

    def _should_save_on_batch(self, batch):
        """Every save_freq batches, counted across epochs (Keras 3's count)."""
        if self.save_freq == "epoch":
            return False
        if batch <= self._last_batch_seen:      # a new epoch
            add_batches = batch + 1
        else:
            add_batches = batch - self._last_batch_seen
        self._batches_seen_since_last_saving += add_batches
        self._last_batch_seen = batch
        if self._batches_seen_since_last_saving >= self.save_freq:
            self._batches_seen_since_last_saving = 0
            return True
        return False

    def on_train_end(self, logs=None):
        if self.delete_checkpoint and os.path.exists(self.backup_dir):
            shutil.rmtree(self.backup_dir)

# -- a name janusgrad lacks is a clear error (issue 18, running TF programs unchanged) --
from ..framework.missing import missing_names as _missing_names  # noqa: E402
__getattr__ = _missing_names(__name__)
