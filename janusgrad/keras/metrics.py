"""tf.keras.metrics: stateful metrics (Mean, Sum, the accuracies, MeanSquaredError) and the
per-sample functions they average, as Keras 3 computes them.

A metric keeps its state in non-trainable variables updated with assign_add, so the same
update runs eagerly and inside a traced training step.
"""
import re

import numpy as np

from ..framework import dtypes
from ..framework.context import init_scope
from ..framework.tensor import convert_to_tensor
from ..ops.array import reshape, shape, squeeze
from ..ops.indexing import broadcast_to
from ..ops.math import cast, divide_no_nan, equal, greater, squared_difference
from ..ops.reduce import argmax, reduce_mean, reduce_sum
from ..ops.state import Variable
from . import losses as losses_module
from .losses import same_rank


def _float(x):
    x = convert_to_tensor(x)
    return x if x.dtype.is_floating else cast(x, dtypes.float32)


# -- per-sample functions (one value per sample: the functional forms) ----------------------
def accuracy(y_true, y_pred):
    """1.0 where y_true == y_pred (after rank matching), else 0.0."""
    y_pred = convert_to_tensor(y_pred)
    y_true = cast(convert_to_tensor(y_true), y_pred.dtype)
    y_true, y_pred = same_rank(y_true, y_pred)
    return cast(equal(y_true, y_pred), dtypes.float32)


def binary_accuracy(y_true, y_pred, threshold=0.5):
    """1.0 where (y_pred > threshold) equals y_true."""
    y_pred = convert_to_tensor(y_pred)
    y_true = convert_to_tensor(y_true)
    y_true, y_pred = same_rank(y_true, y_pred)
    y_pred = cast(greater(y_pred, cast(threshold, y_pred.dtype)), y_true.dtype)
    return cast(equal(y_true, y_pred), dtypes.float32)


def _class_matches(labels, y_pred, squeeze_last):
    """argmax(y_pred) == labels; a trailing label axis of 1 is dropped and restored (Keras)."""
    y_pred = convert_to_tensor(y_pred)
    labels = cast(labels, y_pred.dtype)
    original = shape(labels)
    reshaped = False
    if labels.shape.rank is not None and labels.shape.rank == y_pred.shape.rank and \
            (not squeeze_last or labels.shape[-1] == 1):
        labels = squeeze(labels, -1)
        reshaped = True
    predicted = cast(argmax(y_pred, axis=-1), labels.dtype)
    matches = cast(equal(labels, predicted), dtypes.float32)
    if reshaped:
        matches = reshape(matches, original)
    return matches


def sparse_categorical_accuracy(y_true, y_pred):
    """1.0 where argmax(y_pred, -1) equals the integer label."""
    matches = _class_matches(convert_to_tensor(y_true), y_pred, squeeze_last=True)
    if matches.shape.rank is not None and matches.shape.rank > 1 and matches.shape[-1] == 1:
        matches = squeeze(matches, -1)
    return matches


def categorical_accuracy(y_true, y_pred):
    """1.0 where argmax(y_pred, -1) equals argmax(y_true, -1) (one-hot labels)."""
    return _class_matches(argmax(convert_to_tensor(y_true), axis=-1), y_pred, squeeze_last=False)


def mean_squared_error(y_true, y_pred):
    """mean((y_pred - y_true)^2) over the last axis, after rank matching."""
    y_pred = _float(y_pred)
    y_true, y_pred = same_rank(cast(convert_to_tensor(y_true), y_pred.dtype), y_pred)
    return reduce_mean(squared_difference(y_pred, y_true), axis=-1)


mse = MSE = mean_squared_error
# Keras 3 also exports the per-sample losses as metric functions
binary_crossentropy = losses_module.binary_crossentropy
categorical_crossentropy = losses_module.categorical_crossentropy
sparse_categorical_crossentropy = losses_module.sparse_categorical_crossentropy
mae = losses_module.mae
hinge = losses_module.hinge
huber = losses_module.huber
kld = kullback_leibler_divergence = losses_module.kld
logcosh = losses_module.logcosh


# -- stateful metrics ------------------------------------------------------------------------
class Metric:
    """Base class: `update_state(...)` accumulates into variables made with `add_variable`,
    `result()` reads them, `reset_state()` zeroes them; calling the metric does both."""

    def __init__(self, dtype=None, name=None):      # Keras 3's order
        self.name = name or _snake(type(self).__name__)
        self.dtype = dtypes.as_dtype(dtype) if dtype is not None else dtypes.float32
        self._variables = []

    def add_variable(self, shape=(), initializer="zeros", dtype=None, aggregation="sum",
                     name=None):
        """A non-trainable state variable (reset_state sets it to zeros, as Keras)."""
        from . import initializers
        dtype = dtypes.as_dtype(dtype) if dtype is not None else self.dtype
        shape = [int(d) for d in shape]
        init = initializers.get(initializer) or initializers.Zeros()
        with init_scope():       # created once, outside any traced step
            var = Variable(init(shape, dtype=dtype), trainable=False, dtype=dtype,
                           name=f"{self.name}/{name}")
        self._variables.append(var)
        return var

    add_weight = add_variable

    @property
    def variables(self):
        return list(self._variables)

    def update_state(self, *args, **kwargs):
        raise NotImplementedError(f"{type(self).__name__}.update_state")

    def result(self):
        raise NotImplementedError(f"{type(self).__name__}.result")

    def reset_state(self):
        for v in self._variables:
            v.assign(np.zeros(v.shape.as_list(), v.dtype.np))

    reset_states = reset_state

    def __call__(self, *args, **kwargs):
        self.update_state(*args, **kwargs)
        return self.result()

    def get_config(self):
        return {"name": self.name, "dtype": self.dtype.name}

    def __repr__(self):
        return f"<{type(self).__name__} name={self.name}>"


def _snake(name):
    """Keras's auto name: 'SparseCategoricalAccuracy' -> 'sparse_categorical_accuracy'."""
    name = re.sub(r"(.)([A-Z][a-z]+)", r"\1_\2", name)
    return re.sub(r"([a-z0-9])([A-Z])", r"\1_\2", name).lower()


def _samplewise(values, sample_weight, dtype):
    """Keras 3's reduce_to_samplewise_values: one (weighted) value per sample."""
    values = cast(convert_to_tensor(values), dtype)
    if sample_weight is not None:
        sample_weight = cast(convert_to_tensor(sample_weight), dtype)
        values, sample_weight = same_rank(values, sample_weight)
        wrank, vrank = sample_weight.shape.rank, values.shape.rank
        if vrank > wrank:
            values = reduce_mean(values, axis=list(range(wrank, vrank)))
        sample_weight = broadcast_to(sample_weight, shape(values))
        values = values * sample_weight
        if wrank > 1:
            sample_weight = reduce_mean(sample_weight, axis=list(range(1, wrank)))
    if values.shape.rank > 1:
        values = reduce_mean(values, axis=list(range(1, values.shape.rank)))
    return values, sample_weight


class Sum(Metric):
    """The (weighted) sum of the values given."""

    def __init__(self, name="sum", dtype=None):
        super().__init__(dtype=dtype, name=name)
        self.total = self.add_variable(name="total")

    def update_state(self, values, sample_weight=None):
        values, _ = _samplewise(values, sample_weight, self.dtype)
        self.total.assign_add(reduce_sum(values))

    def result(self):
        return self.total.read_value()


class Mean(Metric):
    """The (weighted) mean of the values given: total / count."""

    def __init__(self, name="mean", dtype=None):
        super().__init__(dtype=dtype, name=name)
        self.total = self.add_variable(name="total")
        self.count = self.add_variable(name="count")

    def update_state(self, values, sample_weight=None):
        values, sample_weight = _samplewise(values, sample_weight, self.dtype)
        self.total.assign_add(reduce_sum(values))
        if sample_weight is not None:
            count = reduce_sum(sample_weight)
        elif values.shape.rank >= 1:
            count = cast(shape(values)[0], self.dtype)
        else:
            count = cast(1, self.dtype)
        self.count.assign_add(count)

    def result(self):
        return divide_no_nan(self.total.read_value(), self.count.read_value())


class MeanMetricWrapper(Mean):
    """The mean of a per-sample function `fn(y_true, y_pred, **kwargs)`."""

    def __init__(self, fn, name=None, dtype=None, **kwargs):
        super().__init__(name or getattr(fn, "__name__", "mean_metric_wrapper"), dtype)
        self._fn = fn
        self._fn_kwargs = kwargs

    def update_state(self, y_true, y_pred, sample_weight=None):
        values = self._fn(y_true, y_pred, **self._fn_kwargs)
        super().update_state(values, sample_weight=sample_weight)


class Accuracy(MeanMetricWrapper):
    """How often predictions equal labels exactly."""
    _direction = "up"      # EarlyStopping's mode='auto' maximizes it

    def __init__(self, name="accuracy", dtype=None):
        super().__init__(accuracy, name, dtype)


class BinaryAccuracy(MeanMetricWrapper):
    """How often `y_pred > threshold` (0.5) matches binary labels."""
    _direction = "up"      # EarlyStopping's mode='auto' maximizes it

    def __init__(self, name="binary_accuracy", dtype=None, threshold=0.5):
        super().__init__(binary_accuracy, name, dtype, threshold=threshold)
        self.threshold = threshold


class CategoricalAccuracy(MeanMetricWrapper):
    """How often the argmax of predictions matches the argmax of one-hot labels."""
    _direction = "up"      # EarlyStopping's mode='auto' maximizes it

    def __init__(self, name="categorical_accuracy", dtype=None):
        super().__init__(categorical_accuracy, name, dtype)


class SparseCategoricalAccuracy(MeanMetricWrapper):
    """How often the argmax of predictions matches integer labels."""
    _direction = "up"      # EarlyStopping's mode='auto' maximizes it

    def __init__(self, name="sparse_categorical_accuracy", dtype=None):
        super().__init__(sparse_categorical_accuracy, name, dtype)


class MeanSquaredError(MeanMetricWrapper):
    """The running mean of the squared error between labels and predictions."""
    _direction = "down"

    def __init__(self, name="mean_squared_error", dtype=None):
        super().__init__(mean_squared_error, name, dtype)


_BY_NAME = {
    "accuracy": Accuracy, "acc": Accuracy, "binary_accuracy": BinaryAccuracy,
    "categorical_accuracy": CategoricalAccuracy,
    "sparse_categorical_accuracy": SparseCategoricalAccuracy,
    "mse": MeanSquaredError, "mean_squared_error": MeanSquaredError,
}


def get(identifier):
    """A Metric from its name ('accuracy', 'mse', ...), a Metric, or a per-sample function
    (returned as is)."""
    if isinstance(identifier, Metric) or callable(identifier) and not isinstance(
            identifier, type):
        return identifier
    if isinstance(identifier, str) and identifier in _BY_NAME:
        return _BY_NAME[identifier]()
    if isinstance(identifier, str):
        fn = getattr(losses_module, identifier, None)
        if callable(fn) and not isinstance(fn, type):
            return fn
    raise ValueError(f"Could not interpret metric identifier: {identifier!r}")

# -- a name janusgrad lacks is a clear error (issue 18, running TF programs unchanged) --
from ..framework.missing import missing_names as _missing_names  # noqa: E402
__getattr__ = _missing_names(__name__)
