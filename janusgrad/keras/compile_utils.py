"""What Model.compile was given, resolved against the first batch as Keras 3's
compile_utils does: a loss and metrics per output, 'accuracy' / 'crossentropy' read from the
shapes, per-output loss means, the compile_metrics entry of model.metrics."""
from ..framework import nest
from ..ops.array import shape
from ..ops.math import add_n, cast
from ..ops.reduce import reduce_sum
from . import losses as losses_module
from . import metrics as metrics_module
from .distribution import unscale_loss_for_distribution


def flatten_outputs(y_pred):
    """(flat outputs, their names or None): a dict by its sorted keys (Keras 3's order)."""
    if isinstance(y_pred, dict):
        names = sorted(y_pred)
        return [y_pred[k] for k in names], names
    if isinstance(y_pred, (list, tuple)):
        return list(y_pred), None
    return [y_pred], None


def flatten_like(y, names, count, what):
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


def per_output(spec, names, count, what):
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


def binary_or_sparse(y_true, y_pred):
    """Keras 3's reading of 'accuracy' / 'crossentropy' from the shapes."""
    t, p = y_true.shape, y_pred.shape
    binary = p[-1] == 1 if p.rank else False
    sparse = t.rank < p.rank or (t.rank and t[-1] == 1 and p[-1] > 1)
    return binary, bool(sparse)


def resolve_loss(identifier, y_true, y_pred):
    if identifier is None:
        return None
    if isinstance(identifier, str) and identifier.lower() in ("crossentropy", "ce"):
        binary, sparse = binary_or_sparse(y_true, y_pred)
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


def resolve_metric(identifier, y_true, y_pred):
    if identifier is None:
        raise ValueError("Expected metric, received `None`")
    if isinstance(identifier, str) and identifier.lower() in ("accuracy", "acc"):
        binary, sparse = binary_or_sparse(y_true, y_pred)
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


class CompileState:
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
        flat_pred, names = flatten_outputs(y_pred)
        count = len(flat_pred)
        flat_true = flatten_like(y_true, names, count, "y")
        if self.loss is not None:
            specs = per_output(self.loss, names, count, "compile(loss=...)")
            weights = per_output(self.loss_weights, names, count, "compile(loss_weights=...)") \
                if self.loss_weights is not None else [None] * count
            self.losses = [resolve_loss(s, t, p) if t is not None else None
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
                per = per_output(spec, names, count, "compile(metrics=...)")
            for i, entry in enumerate(per):
                if entry is None:
                    continue
                for m in entry if isinstance(entry, (list, tuple)) else [entry]:
                    self.metrics.append((i, resolve_metric(m, flat_true[i], flat_pred[i]),
                                         weighted))
        self.names = names
        self.count = count
        self.built = True

    traced = True       # set by the trainer's compile: see loss_value

    def split(self, y_true, y_pred, sample_weight):
        flat_pred, _ = flatten_outputs(y_pred)
        flat_true = flatten_like(y_true, self.names, self.count, "y")
        if isinstance(sample_weight, (list, tuple, dict)):
            flat_sw = flatten_like(sample_weight, self.names, self.count, "sample_weight")
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
            if value.shape.as_list() == [0]:
                # an empty batch (a replica's share of a last batch smaller than the number of
                # replicas): 0, as TF's traced step gives (its batch size is unknown there)
                value = reduce_sum(value)
            if i in trackers:       # the unweighted loss of each output
                # Keras 3 weighs it by the batch's *static* size, which is None in its
                # traced step (batches come from a tf.data pipeline): each batch then counts
                # once; eagerly (run_eagerly) by the batch size
                weight = None if self.traced else shape(flat_pred[i])[0]
                trackers[i].update_state(unscale_loss_for_distribution(value),
                                         sample_weight=weight)
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


class CompileMetrics(metrics_module.Metric):
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


class CompiledMetricsShim:
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
