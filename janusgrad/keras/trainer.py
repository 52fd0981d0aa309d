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
from ..framework.tensor import Tensor, convert_to_tensor
from ..ops.array import shape
from ..ops.math import add_n, cast
from ..ops.reduce import reduce_sum
from ..runtime.function import function
from . import callbacks as callbacks_module
from . import losses as losses_module
from . import metrics as metrics_module
from . import optimizers as optimizers_module


# -- data ---------------------------------------------------------------------------------
def _to_numpy(structure, what):
    def leaf(v):
        if v is None:
            return None
        if isinstance(v, np.ndarray):
            return v
        if isinstance(v, Tensor) or hasattr(v, "numpy"):
            return np.asarray(v.numpy())
        if isinstance(v, (int, float, bool, np.generic)) or \
                isinstance(v, (list, tuple)) and not any(
                    isinstance(e, (np.ndarray, Tensor, dict)) for e in v):
            return np.asarray(v)
        raise TypeError(f"{what}: expected NumPy arrays or tensors (or lists/dicts of them); "
                        f"received {type(v).__name__}")
    if structure is None:
        return None
    _refuse_pipelines(structure, what)
    if isinstance(structure, dict):
        return {k: _to_numpy(v, what) for k, v in structure.items()}
    if isinstance(structure, (list, tuple)) and any(
            isinstance(e, (np.ndarray, Tensor, dict, list, tuple)) or hasattr(e, "numpy")
            for e in structure):
        return type(structure)(_to_numpy(v, what) for v in structure) \
            if type(structure) in (list, tuple) else [_to_numpy(v, what) for v in structure]
    return leaf(structure)


def _refuse_pipelines(x, what):
    if hasattr(x, "element_spec") or inspect.isgenerator(x) or \
            type(x).__name__ in ("PyDataset", "Sequence", "DataLoader"):
        raise NotImplementedError(
            f"{what}: janusgrad's Model.fit/evaluate/predict take NumPy arrays or tensors (or "
            f"lists/dicts of them); tf.data Datasets, generators and PyDatasets are not "
            f"supported. Received {type(x).__name__}")


def _leaves(structure):
    return [v for v in nest.flatten(structure) if v is not None]


def _num_samples(*structures):
    per = [[len(v) if np.ndim(v) else 1 for v in _leaves(s)] for s in structures]
    sizes = {n for p in per for n in p}
    if len(sizes) > 1:
        listed = " ".join(f"'{label}' sizes: {', '.join(map(str, p))}" for label, p in
                          zip(("x", "y", "sample_weight"), per) if p)
        raise ValueError(f"Data cardinality is ambiguous. Make sure all arrays contain the "
                         f"same number of samples.{listed}")
    return sizes.pop() if sizes else 0


def _take(structure, index):
    return nest.map_structure(lambda v: None if v is None else v[index], structure)


def unpack_x_y_sample_weight(data):
    """(x,) / (x, y) / (x, y, sample_weight) -> (x, y, sample_weight), as Keras's."""
    if isinstance(data, list):
        data = tuple(data)
    if not isinstance(data, tuple):
        return data, None, None
    if len(data) == 1:
        return data[0], None, None
    if len(data) == 2:
        return data[0], data[1], None
    if len(data) == 3:
        return data
    raise ValueError(f"Data is expected to be in format `x`, `(x,)`, `(x, y)`, or "
                     f"`(x, y, sample_weight)`, found: {data}")


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


def _class_weights(y, sample_weight, class_weight):
    """Keras 3's class_weight: each sample weighs class_weight[its class] (1 if absent);
    the class of a one-hot row is its argmax."""
    if sample_weight is not None:
        raise ValueError("You cannot `class_weight` and `sample_weight` at the same time.")
    if isinstance(y, (list, tuple, dict)):
        raise ValueError("`class_weight` is only supported for Models with a single output.")
    labels = np.asarray(y)
    if labels.ndim > 1:
        labels = np.argmax(labels, -1) if labels.shape[-1] != 1 else np.squeeze(labels, -1)
    labels = np.round(labels).astype(np.int32)
    return np.array([class_weight.get(int(c), 1.0) for c in labels], np.float32)


# -- compiled losses and metrics ----------------------------------------------------------
def _flatten_outputs(y_pred):
    """(flat outputs, their names or None): a dict by its sorted keys (Keras 3's order)."""
    if isinstance(y_pred, dict):
        names = sorted(y_pred)
        return [y_pred[k] for k in names], names
    if isinstance(y_pred, (list, tuple)):
        return list(y_pred), None
    return [y_pred], None


def _flatten_like(y, names, count, what):
    if isinstance(y, dict):
        if names is None or set(y) != set(names):
            raise ValueError(f"{what}: the keys {sorted(y)} do not match the model's outputs "
                             f"{names}")
        return [y[k] for k in names]
    if isinstance(y, (list, tuple)):
        if len(y) != count:
            raise ValueError(f"{what}: {len(y)} entries given for a model with {count} "
                             f"outputs")
        return list(y)
    if count != 1:
        if y is None:
            return [None] * count
        raise ValueError(f"{what}: a single array given for a model with {count} outputs; "
                         f"pass a list (or dict) with one entry per output")
    return [y]


def _per_output(spec, names, count, what):
    """One entry per output from a single value, a list or a dict keyed by output name."""
    if isinstance(spec, dict):
        if names is None:
            raise ValueError(f"{what}: a dict is given but the model's outputs have no names "
                             f"(return a dict from call to name them)")
        unknown = set(spec) - set(names)
        if unknown:
            raise ValueError(f"{what}: keys {sorted(unknown)} do not match the model's "
                             f"outputs {names}")
        return [spec.get(n) for n in names]
    if isinstance(spec, (list, tuple)) and count > 1:
        if len(spec) != count:
            raise ValueError(f"{what}: {len(spec)} entries given for a model with {count} "
                             f"outputs")
        return list(spec)
    return [spec] * count


def _binary_or_sparse(y_true, y_pred):
    """Keras 3's reading of 'accuracy' / 'crossentropy' from the shapes."""
    t, p = y_true.shape, y_pred.shape
    binary = p[-1] == 1 if p.rank else False
    sparse = t.rank < p.rank or (t.rank and t[-1] == 1 and p[-1] > 1)
    return binary, bool(sparse)


def _resolve_loss(identifier, y_true, y_pred):
    if identifier is None:
        return None
    if isinstance(identifier, str) and identifier.lower() in ("crossentropy", "ce"):
        binary, sparse = _binary_or_sparse(y_true, y_pred)
        fn = losses_module.binary_crossentropy if binary else \
            losses_module.sparse_categorical_crossentropy if sparse else \
            losses_module.categorical_crossentropy
    else:
        fn = losses_module.get(identifier)
    if isinstance(fn, losses_module.Loss):
        return fn
    if isinstance(fn, type):
        raise TypeError(f"compile: loss {identifier!r} is a class; pass an instance")
    name = identifier if isinstance(identifier, str) else getattr(fn, "__name__", "loss")
    return losses_module.LossFunctionWrapper(fn, name=name)


def _resolve_metric(identifier, y_true, y_pred):
    if identifier is None:
        raise ValueError("Expected metric, received `None`")
    if isinstance(identifier, str) and identifier.lower() in ("accuracy", "acc"):
        binary, sparse = _binary_or_sparse(y_true, y_pred)
        cls = metrics_module.BinaryAccuracy if binary else \
            metrics_module.SparseCategoricalAccuracy if sparse else \
            metrics_module.CategoricalAccuracy
        return cls(name=identifier)
    obj = metrics_module.get(identifier)
    if not isinstance(obj, metrics_module.Metric):
        name = identifier if isinstance(identifier, str) else obj.__name__
        obj = metrics_module.MeanMetricWrapper(obj, name=name)
    elif isinstance(identifier, str):
        obj.name = identifier
    return obj


class _Compiled:
    """What compile() was given, resolved against the first batch's y and y_pred."""

    def __init__(self, loss, loss_weights, metrics, weighted_metrics):
        if metrics is not None and not isinstance(metrics, (list, tuple, dict)):
            raise ValueError(f"Expected `metrics` argument to be a list, tuple, or dict. "
                             f"Received instead: metrics={metrics} of type {type(metrics)}")
        self.loss, self.loss_weights = loss, loss_weights
        self.metrics_spec, self.weighted_spec = metrics, weighted_metrics
        self.built = False
        self.losses = []            # per output: Loss or None
        self.weights = []
        self.loss_trackers = []     # per output, when there are several losses
        self.metrics = []           # (output index, Metric, weighted)

    def build(self, y_true, y_pred):
        flat_pred, names = _flatten_outputs(y_pred)
        count = len(flat_pred)
        flat_true = _flatten_like(y_true, names, count, "y")
        if self.loss is not None:
            specs = _per_output(self.loss, names, count, "compile(loss=...)")
            weights = _per_output(self.loss_weights, names, count, "compile(loss_weights=...)") \
                if self.loss_weights is not None else [None] * count
            self.losses = [_resolve_loss(s, t, p) if t is not None else None
                           for s, t, p in zip(specs, flat_true, flat_pred, strict=True)]
            self.weights = weights
            live = [(i, fn) for i, fn in enumerate(self.losses) if fn is not None]
            if isinstance(self.loss, dict):     # Keras 3 goes through the dict's own order
                live.sort(key=lambda pair: list(self.loss).index(names[pair[0]]))
            if len(live) > 1:
                # Keras 3 names them after the output, else after the loss
                self.loss_trackers = [
                    (i, metrics_module.Mean(name=f"{names[i] if names else fn.name}_loss"))
                    for i, fn in live]
        for spec, weighted in ((self.metrics_spec, False), (self.weighted_spec, True)):
            if not spec:
                continue
            if count == 1:
                per = [nest.flatten(spec) if not isinstance(spec, dict) else
                       nest.flatten(list(spec.values()))]
            else:
                per = _per_output(spec, names, count, "compile(metrics=...)")
            for i, entry in enumerate(per):
                if entry is None:
                    continue
                for m in entry if isinstance(entry, (list, tuple)) else [entry]:
                    self.metrics.append((i, _resolve_metric(m, flat_true[i], flat_pred[i]),
                                         weighted))
        self.names = names
        self.count = count
        self.built = True

    traced = True       # set by the trainer's compile: see loss_value

    def split(self, y_true, y_pred, sample_weight):
        flat_pred, _ = _flatten_outputs(y_pred)
        flat_true = _flatten_like(y_true, self.names, self.count, "y")
        if isinstance(sample_weight, (list, tuple, dict)):
            flat_sw = _flatten_like(sample_weight, self.names, self.count, "sample_weight")
        else:
            flat_sw = [sample_weight] * self.count
        return flat_true, flat_pred, flat_sw

    def loss_value(self, y_true, y_pred, sample_weight):
        if not self.built:
            self.build(y_true, y_pred)
        flat_true, flat_pred, flat_sw = self.split(y_true, y_pred, sample_weight)
        trackers = dict(self.loss_trackers)
        values = []
        order = [i for i, _ in self.loss_trackers] or range(len(self.losses))
        for i in order:
            fn = self.losses[i]
            if fn is None:
                continue
            value = cast(fn(flat_true[i], flat_pred[i], sample_weight=flat_sw[i]),
                         flat_pred[i].dtype)
            if i in trackers:       # the unweighted loss of each output
                # Keras 3 weighs it by the batch's *static* size, which is None in its
                # traced step (batches come from a tf.data pipeline): each batch then counts
                # once; eagerly (run_eagerly) by the batch size
                weight = None if self.traced else shape(flat_pred[i])[0]
                trackers[i].update_state(value, sample_weight=weight)
            if self.weights[i] is not None:
                value = value * self.weights[i]
            values.append(value)
        return add_n(values) if len(values) > 1 else values[0] if values else None

    def update_metrics(self, y_true, y_pred, sample_weight):
        if not self.built:
            self.build(y_true, y_pred)
        flat_true, flat_pred, flat_sw = self.split(y_true, y_pred, sample_weight)
        for i, metric, weighted in self.metrics:
            metric.update_state(flat_true[i], flat_pred[i],
                                sample_weight=flat_sw[i] if weighted else None)


class _CompileMetrics(metrics_module.Metric):
    """Keras 3's CompileMetrics: the compiled metrics as one entry of model.metrics."""

    def __init__(self, state):
        super().__init__(name="compile_metrics")
        self._state = state

    @property
    def metrics(self):
        return [m for _, m, _ in self._state.metrics]

    @property
    def variables(self):
        return [v for m in self.metrics for v in m.variables]

    def update_state(self, y_true, y_pred, sample_weight=None):
        self._state.update_metrics(y_true, y_pred, sample_weight)

    def result(self):
        """{name: value}: prefixed by the output's name when outputs are named (a dict),
        a repeated name numbered (accuracy, accuracy_1), as Keras 3."""
        results, seen = {}, {}
        for i, metric, _ in self._state.metrics:
            names = self._state.names
            name = f"{names[i]}_{metric.name}" if names else metric.name
            if name in seen:
                seen[name] += 1
                name = f"{name}_{seen[name] - 1}"
            else:
                seen[name] = 1
            results[name] = metric.result()
        return results

    def reset_state(self):
        for m in self.metrics:
            m.reset_state()


class _CompiledMetrics:
    """model.compiled_metrics, Keras 3's deprecated shim: update_state(y, y_pred)."""

    def __init__(self, model):
        self._model = model

    def update_state(self, y, y_pred, sample_weight=None):
        for metric in self._model.metrics:
            if isinstance(metric, metrics_module.Mean) and \
                    not isinstance(metric, metrics_module.MeanMetricWrapper):
                metric.update_state(y_pred, sample_weight=sample_weight)
            else:
                metric.update_state(y, y_pred, sample_weight=sample_weight)


# -- the trainer --------------------------------------------------------------------------
class Trainer:
    """compile / fit / evaluate / predict / *_on_batch for keras.Model (Keras 3's API)."""

    _compiled_state = None
    optimizer = None
    stop_training = False
    run_eagerly = False

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
        self._compiled_state = _Compiled(loss, loss_weights, metrics, weighted_metrics)
        self._loss_tracker = metrics_module.Mean(name="loss")
        self._compile_metrics = _CompileMetrics(self._compiled_state)
        self.run_eagerly = bool(run_eagerly)
        self.stop_training = False
        self.compiled = True
        self.train_function = self.test_function = self.predict_function = None
        self._compiled_state.traced = not self.run_eagerly

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
        return _CompiledMetrics(self)

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
            parts.append(reduce_sum(extra if extra.dtype.is_floating else
                                    cast(extra, "float32")))
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
            self._loss_tracker.update_state(loss, sample_weight=shape(_leaves(x)[0])[0])
        variables = self.trainable_weights
        if variables:
            grads = tape.gradient(loss, variables)
            self.optimizer.apply_gradients(zip(grads, variables))
        return self.compute_metrics(x, y, y_pred, sample_weight=sample_weight)

    def test_step(self, data):
        x, y, sample_weight = unpack_x_y_sample_weight(data)
        y_pred = self._call_training(x, False)
        loss = self._compute_loss(x, y, y_pred, sample_weight, training=False)
        self._loss_tracker.update_state(loss, sample_weight=shape(_leaves(x)[0])[0])
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
        return self._step_function(kind)(_tensors(data))

    # -- batches ----------------------------------------------------------------------------
    @staticmethod
    def _batches(n, batch_size, order):
        for b, start in enumerate(range(0, n, batch_size)):
            yield b, order[start:start + batch_size]

    @staticmethod
    def _data(x, y, sample_weight, what):
        x = _to_numpy(x, f"{what}(x=...)")
        y = _to_numpy(y, f"{what}(y=...)")
        sample_weight = _to_numpy(sample_weight, f"{what}(sample_weight=...)")
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
            sample_weight = _class_weights(y, sample_weight, class_weight)
        if validation_split and validation_data is None:
            if not 0 < validation_split < 1:
                raise ValueError(f"validation_split must be in [0, 1); received "
                                 f"{validation_split}")
            n = _num_samples(x, y, sample_weight)
            split_at = int(math.floor(n * (1.0 - validation_split)))   # the last rows
            if split_at in (0, n):
                raise ValueError(f"Training data contains {n} samples, which is not "
                                 f"sufficient to split it into a validation and training "
                                 f"set as specified by `validation_split={validation_split}`."
                                 f" Either provide more data, or a different value for the "
                                 f"`validation_split` argument.")
            validation_data = (_take((x, y, sample_weight), slice(split_at, None)))
            x, y, sample_weight = _take((x, y, sample_weight), slice(0, split_at))
        val = None
        if validation_data is not None:
            val = unpack_x_y_sample_weight(validation_data)
        n = _num_samples(x, y, sample_weight)
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
        for epoch in range(initial_epoch, epochs):
            self.reset_metrics()
            cbs.on_epoch_begin(epoch)
            order = np.random.permutation(n) if shuffle else np.arange(n)
            for step, index in self._batches(n, batch_size, order):
                cbs.on_train_batch_begin(step)
                batch = _take((x, y, sample_weight), index)
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
        n = _num_samples(x, y, sample_weight)
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
            logs = _numpy_logs(self._run("test", self._pack(*_take((x, y, sample_weight),
                                                                   index))))
            cbs.on_test_batch_end(step, logs)
        logs = self._metrics_or_logs(logs)
        cbs.on_test_end(logs)
        if return_dict:
            return logs
        return self._in_order(logs)

    def _metrics_or_logs(self, logs):
        """The metrics' values, unless a custom step returned other keys: then its last
        logs (Keras 3's _get_metrics_result_or_logs)."""
        metric_logs = _numpy_logs(self.get_metrics_result())
        return metric_logs if set(logs) == set(metric_logs) else dict(logs)

    def _in_order(self, logs):
        names = []
        for m in self.metrics:
            names += [c.name for c in m.metrics] if isinstance(m, _CompileMetrics) else [m.name]
        # a name listed twice gives its value twice, as Keras 3's _flatten_metrics_in_order
        out = [logs[k] for k in names if k in logs]
        out += [logs[k] for k in sorted(logs) if k not in names]
        return out[0] if len(out) == 1 else out

    def predict(self, x, batch_size=None, verbose="auto", steps=None, callbacks=None):
        """The model's outputs over x in batches (32 by default), as NumPy arrays."""
        if steps is not None:
            raise NotImplementedError("predict: steps is not supported with array data")
        x = _to_numpy(x, "predict(x=...)")
        n = _num_samples(x)
        batch_size = batch_size or 32
        verbose = 1 if verbose == "auto" else verbose
        cbs = callbacks_module.CallbackList(callbacks, add_progbar=verbose != 0, model=self,
                                            verbose=verbose, epochs=1,
                                            steps=math.ceil(n / batch_size))
        cbs.on_predict_begin()
        outputs = []
        for step, index in self._batches(n, batch_size, np.arange(n)):
            cbs.on_predict_batch_begin(step)
            out = self._run("predict", (_take(x, index),))
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
            sample_weight = _class_weights(y, sample_weight, class_weight)
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
        out = self._run("predict", (_to_numpy(x, "predict_on_batch(x=...)"),))
        return nest.map_structure(lambda t: np.asarray(t.numpy()), out)
