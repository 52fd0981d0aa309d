"""Model.compile / fit / evaluate / predict and the *_on_batch calls, as Keras 3's Trainer.

The step (`train_step(data)`, `test_step(data)`, `predict_step(data)`, all overridable) runs
as a janusgrad tf.function traced once per input signature, or eagerly with
run_eagerly=True. Metrics are variables (keras.metrics), so their updates run in the trace;
the logs hold their running values: "loss" is the batch-size-weighted mean of the total loss
(compiled losses + model.losses), then each compiled metric, then one "<name>_loss" per output
when there are several. Data are NumPy arrays or tensors, or lists/dicts of them for several
inputs and outputs; a tf.data Dataset or a generator is refused.
"""
import inspect
import math

import numpy as np

from ..autodiff.tape import GradientTape
from ..framework import nest
from ..framework.tensor import convert_to_tensor
from ..ops.array import shape
from ..ops.math import add_n, cast
from ..ops.reduce import reduce_sum
from ..runtime.function import function
from . import callbacks as callbacks_module
from . import distribution
from . import metrics as metrics_module
from . import optimizers as optimizers_module
from .array_data import class_weights, leaves, num_samples, take, to_numpy, \
    unpack_x_y_sample_weight
from .compile_utils import CompiledMetricsShim, CompileMetrics, CompileState


def _tensors(structure):
    return nest.map_structure(lambda v: None if v is None else convert_to_tensor(v),
                              structure)


def _numpy_logs(logs):
    """Floats, by sorted key (the order Keras 3's logs show); a dict value (a train_step
    returning {"compile_metrics": {...}}) is flattened into the logs, as Keras 3's."""
    flat = {}
    for k, v in logs.items():
        if isinstance(v, dict):
            flat.update(_numpy_logs(v))
        else:
            flat[k] = float(np.asarray(v))
    return {k: flat[k] for k in sorted(flat)}


# -- the trainer --------------------------------------------------------------------------
class Trainer:
    """compile / fit / evaluate / predict / *_on_batch for keras.Model (Keras 3's API)."""

    _compiled_state = None
    optimizer = None
    stop_training = False
    run_eagerly = False
    _distribute_strategy = None     # the strategy whose scope made the model (models.py)
    _distributed = None             # its DistributedSteps, per compile, with several replicas
    _initial_epoch = None           # set by BackupAndRestore when it restores (Keras 3)

    def compile(self, optimizer="rmsprop", loss=None, loss_weights=None, metrics=None,
                weighted_metrics=None, run_eagerly=False, steps_per_execution=1,
                jit_compile="auto", auto_scale_loss=True):
        """Set the optimizer (object or name), the loss (per output: a list or a dict by
        output name) with optional loss_weights, and the metrics ('accuracy' picks binary,
        sparse or categorical accuracy from the shapes, as Keras 3)."""
        if steps_per_execution != 1:
            raise NotImplementedError("compile: janusgrad runs one step per execution; "
                                      f"received steps_per_execution={steps_per_execution}")
        self.optimizer = optimizers_module.get(optimizer)
        self.loss = loss
        self._compiled_state = CompileState(loss, loss_weights, metrics, weighted_metrics)
        self._loss_tracker = metrics_module.Mean(name="loss")
        self._compile_metrics = CompileMetrics(self._compiled_state)
        self.run_eagerly = bool(run_eagerly)
        self.stop_training = False
        self.compiled = True
        self.train_function = self.test_function = self.predict_function = None
        self._compiled_state.traced = not self.run_eagerly
        self._distributed = None

    # -- tf.distribute (issue 23) ----------------------------------------------------------
    @property
    def distribute_strategy(self):
        """The strategy whose scope the model was made in, else the current one (Keras 3)."""
        return self._distribute_strategy or distribution.get_strategy()

    def __getstate__(self):
        # a model sent to the replicas (pickled) goes without the driver's distributed steps
        state = dict(self.__dict__)
        state.pop("_distributed", None)
        return state

    def _replicated(self):
        """The DistributedSteps of the model's strategy when it has several replicas (the
        strategy the model was made under, else the scope fit is called in, as Keras 3's
        distribute_strategy), else None."""
        strategy = self.distribute_strategy
        if strategy.num_replicas_in_sync == 1:
            return None
        if self._distributed is None or self._distributed.strategy is not strategy:
            self._distributed = distribution.DistributedSteps(self, strategy, self.run_eagerly)
        return self._distributed

    def _assert_compiled(self, what):
        if self._compiled_state is None:
            raise ValueError(f"You must call `compile()` before using the model. ({what})")

    # -- what a custom train_step reads ---------------------------------------------------
    @property
    def metrics(self):
        """As Keras 3: the loss tracker, one "compile_metrics" container (its .metrics are
        the compiled metrics; its result a dict), the per-output loss trackers, then metrics
        the model holds as attributes (a custom train_step's own)."""
        out = []
        state = self._compiled_state
        if state is not None:
            out.append(self._loss_tracker)
            if state.metrics_spec or state.weighted_spec:
                out.append(self._compile_metrics)
            out.extend(m for _, m in state.loss_trackers)
        own = (getattr(self, "_compile_metrics", None), getattr(self, "_loss_tracker", None))
        for value in vars(self).values():
            if isinstance(value, metrics_module.Metric) and \
                    not any(value is m for m in (*out, *own)):
                out.append(value)
        return out

    @property
    def metrics_names(self):
        return [m.name for m in self.metrics]

    def reset_metrics(self):
        for m in self.metrics:
            m.reset_state()

    @property
    def compiled_metrics(self):
        return CompiledMetricsShim(self)

    def compiled_loss(self, y, y_pred, sample_weight=None, regularization_losses=None):
        """Keras 3's deprecated shim: compute_loss(None, y, y_pred, sample_weight)."""
        return self.compute_loss(None, y, y_pred, sample_weight)

    def compute_loss(self, x=None, y=None, y_pred=None, sample_weight=None, training=True):
        """The compiled losses plus model.losses (regularizers, add_loss), as Keras 3."""
        parts = []
        state = self._compiled_state
        if state is not None and state.loss is not None:
            value = state.loss_value(y, y_pred, sample_weight)
            if value is not None:
                parts.append(value)
        for extra in getattr(self, "losses", None) or ():
            extra = convert_to_tensor(extra)
            # scaled under a strategy, as Keras 3's _aggregate_additional_loss
            parts.append(distribution.scale_loss_for_distribution(
                reduce_sum(extra if extra.dtype.is_floating else cast(extra, "float32"))))
        if not parts:
            raise ValueError("No loss to compute. Provide a `loss` argument in `compile()`.")
        return parts[0] if len(parts) == 1 else add_n(parts)

    def _compute_loss(self, x, y, y_pred, sample_weight, training):
        params = inspect.signature(self.compute_loss).parameters
        if "training" in params:
            return self.compute_loss(x, y, y_pred, sample_weight, training=training)
        return self.compute_loss(x, y, y_pred, sample_weight)

    def compute_metrics(self, x, y, y_pred, sample_weight=None):
        state = self._compiled_state
        if state is not None and (state.metrics_spec or state.weighted_spec):
            state.update_metrics(y, y_pred, sample_weight)
        return self.get_metrics_result()

    def get_metrics_result(self):
        logs = {}
        for m in self.metrics:
            result = m.result()
            logs.update(result if isinstance(result, dict) else {m.name: result})
        return logs

    def _call_training(self, x, training):
        try:
            params = inspect.signature(self.call).parameters
        except (TypeError, ValueError):
            params = {}
        if "training" in params or any(p.kind is p.VAR_KEYWORD for p in params.values()):
            return self(x, training=training)
        return self(x)

    # -- the steps ------------------------------------------------------------------------
    def train_step(self, data):
        x, y, sample_weight = unpack_x_y_sample_weight(data)
        with GradientTape() as tape:
            y_pred = self._call_training(x, True)
            loss = self._compute_loss(x, y, y_pred, sample_weight, training=True)
            self._loss_tracker.update_state(distribution.unscale_loss_for_distribution(loss),
                                            sample_weight=shape(leaves(x)[0])[0])
        variables = self.trainable_weights
        if variables:
            grads = tape.gradient(loss, variables)
            self.optimizer.apply_gradients(zip(grads, variables))
        return self.compute_metrics(x, y, y_pred, sample_weight=sample_weight)

    def test_step(self, data):
        x, y, sample_weight = unpack_x_y_sample_weight(data)
        y_pred = self._call_training(x, False)
        loss = self._compute_loss(x, y, y_pred, sample_weight, training=False)
        self._loss_tracker.update_state(distribution.unscale_loss_for_distribution(loss),
                                        sample_weight=shape(leaves(x)[0])[0])
        return self.compute_metrics(x, y, y_pred, sample_weight=sample_weight)

    def predict_step(self, data):
        x, _, _ = unpack_x_y_sample_weight(data)
        return self._call_training(x, False)

    def _step_function(self, kind):
        """The step as a tf.function made once per compile (traced once per signature)."""
        attr = f"{kind}_function"
        fn = getattr(self, attr, None)
        if fn is None:
            step = getattr(self, f"{kind}_step")
            fn = step if self.run_eagerly else function(step)
            setattr(self, attr, fn)
        return fn

    def _run(self, kind, data):
        distributed = self._replicated()
        if distributed is not None:
            return distributed.run(kind, data)
        return self._step_function(kind)(_tensors(data))

    # -- batches ----------------------------------------------------------------------------
    @staticmethod
    def _batches(n, batch_size, order):
        for b, start in enumerate(range(0, n, batch_size)):
            yield b, order[start:start + batch_size]

    @staticmethod
    def _data(x, y, sample_weight, what):
        x = to_numpy(x, f"{what}(x=...)")
        y = to_numpy(y, f"{what}(y=...)")
        sample_weight = to_numpy(sample_weight, f"{what}(sample_weight=...)")
        return x, y, sample_weight

    @staticmethod
    def _pack(x, y, sw):
        if y is None and sw is None:
            return (x,)
        if sw is None:
            return (x, y)
        return (x, y, sw)

    def fit(self, x=None, y=None, batch_size=None, epochs=1, verbose="auto", callbacks=None,
            validation_split=0.0, validation_data=None, shuffle=True, class_weight=None,
            sample_weight=None, initial_epoch=0, steps_per_epoch=None, validation_steps=None,
            validation_batch_size=None, validation_freq=1):
        """Train for `epochs` epochs over (x, y) in batches (32 by default); returns the
        History (history.history: one list per log key, val_ ones included)."""
        self._assert_compiled("fit")
        if steps_per_epoch is not None or validation_steps is not None:
            raise NotImplementedError("fit: steps_per_epoch / validation_steps are not "
                                      "supported by janusgrad with array data; an epoch is "
                                      "one pass over the arrays")
        x, y, sample_weight = self._data(x, y, sample_weight, "fit")
        if class_weight is not None:
            sample_weight = class_weights(y, sample_weight, class_weight)
        if validation_split and validation_data is None:
            if not 0 < validation_split < 1:
                raise ValueError(f"validation_split must be in [0, 1); received "
                                 f"{validation_split}")
            n = num_samples(x, y, sample_weight)
            split_at = int(math.floor(n * (1.0 - validation_split)))   # the last rows
            if split_at in (0, n):
                raise ValueError(f"Training data contains {n} samples, which is not "
                                 f"sufficient to split it into a validation and training "
                                 f"set as specified by `validation_split={validation_split}`."
                                 f" Either provide more data, or a different value for the "
                                 f"`validation_split` argument.")
            validation_data = (take((x, y, sample_weight), slice(split_at, None)))
            x, y, sample_weight = take((x, y, sample_weight), slice(0, split_at))
        val = None
        if validation_data is not None:
            val = unpack_x_y_sample_weight(validation_data)
        n = num_samples(x, y, sample_weight)
        batch_size = batch_size or 32
        steps = math.ceil(n / batch_size)
        verbose = 1 if verbose == "auto" else verbose
        cbs = callbacks if isinstance(callbacks, callbacks_module.CallbackList) else \
            callbacks_module.CallbackList(callbacks, add_history=True,
                                          add_progbar=verbose != 0, model=self,
                                          verbose=verbose, epochs=epochs, steps=steps)
        self.stop_training = False
        cbs.on_train_begin()
        logs = {}
        epoch_logs = {}
        initial_epoch = self._initial_epoch or initial_epoch     # (Keras 3 keeps it set)
        for epoch in range(initial_epoch, epochs):
            self.reset_metrics()
            cbs.on_epoch_begin(epoch)
            order = np.random.permutation(n) if shuffle else np.arange(n)
            for step, index in self._batches(n, batch_size, order):
                cbs.on_train_batch_begin(step)
                batch = take((x, y, sample_weight), index)
                logs = _numpy_logs(self._run("train", self._pack(*batch)))
                cbs.on_train_batch_end(step, logs)
                if self.stop_training:
                    break
            epoch_logs = self._metrics_or_logs(logs)
            if val is not None and (epoch + 1) % validation_freq == 0:
                val_logs = self.evaluate(val[0], val[1], sample_weight=val[2],
                                         batch_size=validation_batch_size or batch_size,
                                         verbose=0, return_dict=True, _callbacks=cbs)
                epoch_logs.update({f"val_{k}": v for k, v in val_logs.items()})
            cbs.on_epoch_end(epoch, epoch_logs)
            if self.stop_training:
                break
        cbs.on_train_end(epoch_logs)
        return next(c for c in cbs.callbacks if isinstance(c, callbacks_module.History))

    def evaluate(self, x=None, y=None, batch_size=None, verbose="auto", sample_weight=None,
                 steps=None, callbacks=None, return_dict=False, _callbacks=None, **kwargs):
        """The loss and metrics over (x, y): a list in metrics_names' order (one value
        alone if there is only the loss), or a dict with return_dict=True."""
        self._assert_compiled("evaluate")
        if kwargs:
            raise TypeError(f"Invalid keyword arguments: {list(kwargs)}")
        if steps is not None:
            raise NotImplementedError("evaluate: steps is not supported with array data")
        x, y, sample_weight = self._data(x, y, sample_weight, "evaluate")
        n = num_samples(x, y, sample_weight)
        batch_size = batch_size or 32
        nsteps = math.ceil(n / batch_size)
        verbose = 1 if verbose == "auto" else verbose
        cbs = _callbacks
        if cbs is None:
            cbs = callbacks_module.CallbackList(callbacks, add_progbar=verbose != 0,
                                                model=self, verbose=verbose, epochs=1,
                                                steps=nsteps, _evaluating=True)
        self.reset_metrics()
        cbs.on_test_begin()
        logs = {}
        for step, index in self._batches(n, batch_size, np.arange(n)):
            cbs.on_test_batch_begin(step)
            logs = _numpy_logs(self._run("test", self._pack(*take((x, y, sample_weight),
                                                                   index))))
            cbs.on_test_batch_end(step, logs)
        logs = self._metrics_or_logs(logs)
        cbs.on_test_end(logs)
        if return_dict:
            return logs
        return self._in_order(logs)

    def _metrics_or_logs(self, logs):
        """The metrics' values, unless a custom step returned other keys: then its last
        logs (Keras 3's _get_metrics_result_or_logs). With several replicas the metrics are
        read summed over the replicas, as TF's cross-replica read."""
        if self._distributed is not None:
            self._distributed.sync_metrics()
        metric_logs = _numpy_logs(self.get_metrics_result())
        return metric_logs if set(logs) == set(metric_logs) else dict(logs)

    def _in_order(self, logs):
        names = []
        for m in self.metrics:
            names += [c.name for c in m.metrics] if isinstance(m, CompileMetrics) else [m.name]
        # a name listed twice gives its value twice, as Keras 3's _flatten_metrics_in_order
        out = [logs[k] for k in names if k in logs]
        out += [logs[k] for k in sorted(logs) if k not in names]
        return out[0] if len(out) == 1 else out

    def predict(self, x, batch_size=None, verbose="auto", steps=None, callbacks=None):
        """The model's outputs over x in batches (32 by default), as NumPy arrays."""
        if steps is not None:
            raise NotImplementedError("predict: steps is not supported with array data")
        x = to_numpy(x, "predict(x=...)")
        n = num_samples(x)
        batch_size = batch_size or 32
        verbose = 1 if verbose == "auto" else verbose
        cbs = callbacks_module.CallbackList(callbacks, add_progbar=verbose != 0, model=self,
                                            verbose=verbose, epochs=1,
                                            steps=math.ceil(n / batch_size))
        cbs.on_predict_begin()
        outputs = []
        for step, index in self._batches(n, batch_size, np.arange(n)):
            cbs.on_predict_batch_begin(step)
            out = self._run("predict", (take(x, index),))
            outputs.append(nest.map_structure(lambda t: np.asarray(t.numpy()), out))
            cbs.on_predict_batch_end(step, {"outputs": out})
        cbs.on_predict_end()
        if not outputs:
            raise ValueError("Expected input data to be non-empty.")
        flat = [nest.flatten(o) for o in outputs]
        return nest.pack_sequence_as(outputs[0], [np.concatenate(parts)
                                                  for parts in zip(*flat, strict=True)])

    def train_on_batch(self, x, y=None, sample_weight=None, class_weight=None,
                       return_dict=False):
        """One training step on one batch; the logs are this batch's (metrics reset first,
        as Keras 3)."""
        self._assert_compiled("train_on_batch")
        self.reset_metrics()
        x, y, sample_weight = self._data(x, y, sample_weight, "train_on_batch")
        if class_weight is not None:
            sample_weight = class_weights(y, sample_weight, class_weight)
        data = self._pack(x, y, sample_weight)
        logs = _numpy_logs(self._run("train", data))
        return logs if return_dict else self._in_order(logs)

    def test_on_batch(self, x, y=None, sample_weight=None, return_dict=False):
        """The loss and metrics on one batch (the metrics are reset first, as Keras 3)."""
        self._assert_compiled("test_on_batch")
        self.reset_metrics()
        data = self._pack(*self._data(x, y, sample_weight, "test_on_batch"))
        logs = _numpy_logs(self._run("test", data))
        return logs if return_dict else self._in_order(logs)

    def predict_on_batch(self, x):
        out = self._run("predict", (to_numpy(x, "predict_on_batch(x=...)"),))
        return nest.map_structure(lambda t: np.asarray(t.numpy()), out)
