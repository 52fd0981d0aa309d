"""tf.keras.losses: per-sample loss functions and the Loss classes that reduce them.

Functions return one loss per sample (the last axis reduced); a Loss object multiplies by
`sample_weight` and reduces with `reduction`: "sum_over_batch_size" (the default: the sum
divided by the number of losses), "sum", or "none". Probabilities are clipped to
[epsilon, 1 - epsilon] (epsilon = 1e-7) before their log, as in Keras.
"""
from ..framework import dtypes
from ..framework.tensor import convert_to_tensor
from ..ops import nn
from ..ops.array import expand_dims, shape, size, squeeze, where, zeros_like
from ..ops.math import cast, clip_by_value, divide_no_nan, log, not_equal, squared_difference
from ..ops.reduce import reduce_mean, reduce_sum
from .distribution import scale_loss_for_distribution as _scale_loss  # (not tf.keras.losses')

EPSILON = 1e-7


def same_rank(x1, x2, expand_rank_1=True):
    """Keras 3's squeeze_or_expand_to_same_rank: when the ranks differ by one and the longer
    ends in 1, labels [n] against predictions [n, 1] become [n, 1] (not broadcast to [n, n]);
    otherwise the trailing 1 is squeezed."""
    r1, r2 = x1.shape.rank, x2.shape.rank
    if r1 is None or r2 is None or r1 == r2:
        return x1, x2
    if r1 == r2 + 1 and x1.shape[-1] == 1:
        if r2 == 1 and expand_rank_1:
            x2 = expand_dims(x2, -1)
        else:
            x1 = squeeze(x1, -1)
    if r2 == r1 + 1 and x2.shape[-1] == 1:
        if r1 == 1 and expand_rank_1:
            x1 = expand_dims(x1, -1)
        else:
            x2 = squeeze(x2, -1)
    return x1, x2


def _pair(y_true, y_pred, match_rank=True):
    """Both as y_pred's float dtype; rank-matched where Keras 3's function does it (the
    regression losses; the crossentropies, hinge and KL rank-match in their Loss class only)."""
    y_pred = convert_to_tensor(y_pred)
    if not y_pred.dtype.is_floating:
        y_pred = cast(y_pred, dtypes.float32)
    y_true = cast(convert_to_tensor(y_true), y_pred.dtype)
    return same_rank(y_true, y_pred) if match_rank else (y_true, y_pred)


def _check_same_shape(y_true, y_pred, name):
    a, b = y_true.shape, y_pred.shape
    if a.rank is not None and b.rank is not None and a.rank != b.rank:
        raise ValueError(f"{name}: arguments `target` and `output` must have the same rank "
                         f"(ndim). Received: target.shape={a}, output.shape={b}")
    if not a.is_compatible_with(b):
        raise ValueError(f"{name}: arguments `target` and `output` must have the same shape. "
                         f"Received: target.shape={a}, output.shape={b}")


def mean_squared_error(y_true, y_pred):
    """mean((y_pred - y_true)^2) over the last axis."""
    y_true, y_pred = _pair(y_true, y_pred)
    return reduce_mean(squared_difference(y_pred, y_true), axis=-1)


def mean_absolute_error(y_true, y_pred):
    """mean(|y_pred - y_true|) over the last axis."""
    from ..ops.math import abs as abs_
    y_true, y_pred = _pair(y_true, y_pred)
    return reduce_mean(abs_(y_pred - y_true), axis=-1)


def categorical_crossentropy(y_true, y_pred, from_logits=False, label_smoothing=0.0, axis=-1):
    """-sum(y_true * log(p)) over `axis`, p = y_pred (normalized, clipped) or softmax(logits)."""
    y_true, y_pred = _pair(y_true, y_pred, match_rank=False)
    _check_same_shape(y_true, y_pred, "categorical_crossentropy")
    if label_smoothing:
        classes = cast(shape(y_true)[-1], y_pred.dtype)
        y_true = y_true * (1.0 - label_smoothing) + label_smoothing / classes
    if from_logits:
        return nn.softmax_cross_entropy_with_logits(labels=y_true, logits=y_pred, axis=axis)
    p = y_pred / reduce_sum(y_pred, axis, keepdims=True)
    p = clip_by_value(p, EPSILON, 1.0 - EPSILON)
    return -reduce_sum(y_true * log(p), axis)


def sparse_categorical_crossentropy(y_true, y_pred, from_logits=False, ignore_class=None,
                                    axis=-1):
    """-log(p[y_true]) for integer labels, p = y_pred (clipped) or softmax(logits)."""
    y_pred = convert_to_tensor(y_pred)
    labels = cast(convert_to_tensor(y_true), dtypes.int64)
    if axis not in (-1, y_pred.shape.rank - 1 if y_pred.shape.rank else -1):
        raise ValueError(f"Only axis=-1 is currently supported. Received: axis={axis}")
    if labels.shape.rank is not None and labels.shape.rank == y_pred.shape.rank and \
            labels.shape[-1] == 1:
        labels = squeeze(labels, -1)
    if labels.shape.rank is not None and y_pred.shape.rank is not None and \
            labels.shape.rank != y_pred.shape.rank - 1:
        raise ValueError(f"sparse_categorical_crossentropy: argument `output` must have rank "
                         f"(ndim) `target.ndim - 1`. Received: target.shape={labels.shape}, "
                         f"output.shape={y_pred.shape}")
    valid = None
    if ignore_class is not None:
        valid = not_equal(labels, ignore_class)
        labels = where(valid, labels, zeros_like(labels))
    logits = y_pred if from_logits else log(clip_by_value(y_pred, EPSILON, 1.0 - EPSILON))
    loss = nn.sparse_softmax_cross_entropy_with_logits(labels=labels, logits=logits)
    if valid is not None:
        loss = where(valid, loss, zeros_like(loss))
    return loss


def binary_crossentropy(y_true, y_pred, from_logits=False, label_smoothing=0.0, axis=-1):
    """mean over `axis` of -(y log p + (1 - y) log(1 - p)), p clipped, or from logits."""
    y_true, y_pred = _pair(y_true, y_pred, match_rank=False)
    _check_same_shape(y_true, y_pred, "binary_crossentropy")
    if label_smoothing:
        y_true = y_true * (1.0 - label_smoothing) + 0.5 * label_smoothing
    if from_logits:
        bce = nn.sigmoid_cross_entropy_with_logits(labels=y_true, logits=y_pred)
    else:
        p = clip_by_value(y_pred, EPSILON, 1.0 - EPSILON)
        bce = -(y_true * log(p) + (1 - y_true) * log(1 - p))
    return reduce_mean(bce, axis=axis)


def huber(y_true, y_pred, delta=1.0):
    """mean over the last axis of 0.5 e^2 where |e| <= delta, else delta |e| - 0.5 delta^2."""
    from ..ops.math import abs as abs_, less_equal
    y_true, y_pred = _pair(y_true, y_pred)
    error = y_pred - y_true
    abs_error = abs_(error)
    delta = cast(delta, y_pred.dtype)
    return reduce_mean(where(less_equal(abs_error, delta), 0.5 * error * error,
                             delta * abs_error - 0.5 * delta * delta), axis=-1)


def hinge(y_true, y_pred):
    """mean(max(1 - y_true * y_pred, 0)) over the last axis; labels all 0/1 become -1/1."""
    from ..ops.math import equal, logical_or, maximum
    from ..ops.reduce import reduce_all
    y_true, y_pred = _pair(y_true, y_pred, match_rank=False)
    binary = reduce_all(logical_or(equal(y_true, 0.0), equal(y_true, 1.0)))
    y_true = where(binary, 2.0 * y_true - 1.0, y_true)
    return reduce_mean(maximum(1.0 - y_true * y_pred, 0.0), axis=-1)


def kl_divergence(y_true, y_pred):
    """sum(y_true * log(y_true / y_pred)) over the last axis, both clipped to [eps, 1]."""
    y_true, y_pred = _pair(y_true, y_pred, match_rank=False)
    y_true = clip_by_value(y_true, EPSILON, 1.0)
    y_pred = clip_by_value(y_pred, EPSILON, 1.0)
    return reduce_sum(y_true * log(y_true / y_pred), axis=-1)


def cosine_similarity(y_true, y_pred, axis=-1):
    """-sum(l2_normalize(y_true) * l2_normalize(y_pred)) over `axis`."""
    y_true, y_pred = _pair(y_true, y_pred)
    return -reduce_sum(nn.l2_normalize(y_true, axis=axis) * nn.l2_normalize(y_pred, axis=axis),
                       axis=axis)


def log_cosh(y_true, y_pred):
    """mean(log(cosh(y_pred - y_true))) over the last axis, as x + softplus(-2x) - log 2."""
    import math

    from ..ops.math import softplus
    y_true, y_pred = _pair(y_true, y_pred)
    x = y_pred - y_true
    return reduce_mean(x + softplus(-2.0 * x) - math.log(2.0), axis=-1)


mse = MSE = mean_squared_error
mae = MAE = mean_absolute_error
kld = KLD = kullback_leibler_divergence = kl_divergence
logcosh = log_cosh
bce = BCE = binary_crossentropy


_REDUCTIONS = ("sum_over_batch_size", "sum", None, "none", "mean", "mean_with_sample_weight")


class Loss:
    """Base class: `call(y_true, y_pred)` gives per-sample losses; `__call__` weights and
    reduces them."""

    def __init__(self, name=None, reduction="sum_over_batch_size", dtype=None):  # Keras 3's
        if reduction not in _REDUCTIONS:
            raise ValueError(f"Invalid value for argument `reduction`. Expected one of "
                             f"{set(_REDUCTIONS)}. Received: reduction={reduction}")
        self.reduction = reduction
        self.name = name or type(self).__name__

    def call(self, y_true, y_pred):
        raise NotImplementedError

    def _mask(self, y_true, losses):
        """Which losses count (None: all), for losses that ignore some samples."""
        return None

    def __call__(self, y_true, y_pred, sample_weight=None):
        # as Keras 3, call() gets floating tensors (integer labels too); janusgrad keeps a
        # floating y_pred's own dtype (Keras casts to float32)
        y_pred = convert_to_tensor(y_pred)
        if not y_pred.dtype.is_floating:
            y_pred = cast(y_pred, dtypes.float32)
        y_true = cast(convert_to_tensor(y_true), y_pred.dtype)
        losses = self.call(y_true, y_pred)
        weight = None
        if sample_weight is not None:
            weight = cast(convert_to_tensor(sample_weight), losses.dtype)
        mask = self._mask(y_true, losses)
        if mask is not None:
            # as Keras: a mean divides by the number of losses that count (the ignored ones
            # get weight 0, the others total / valid)
            mask = cast(mask, losses.dtype)
            if self.reduction not in ("sum", "none", None):
                mask = mask * (cast(size(mask), losses.dtype) / (reduce_sum(mask) + EPSILON))
            if weight is not None:
                mask, weight = same_rank(mask, weight)
            weight = mask if weight is None else weight * mask
        if weight is not None:
            # Keras lines the weight up with the losses: drop a trailing 1, or add one
            losses, weight = same_rank(losses, weight)
            losses = losses * weight
        return reduce_losses(losses, self.reduction, weight)


def reduce_losses(losses, reduction, sample_weight=None):
    """Keras 3's reduce_values: a 0-d or empty loss is returned as is."""
    if reduction in ("none", None) or losses.shape.rank == 0 or \
            losses.shape.as_list() == [0]:
        return losses
    total = reduce_sum(losses)
    if reduction == "sum":
        return total
    if reduction == "mean_with_sample_weight" and sample_weight is not None:
        mean = divide_no_nan(total, reduce_sum(sample_weight))
    else:
        mean = divide_no_nan(total, cast(size(losses), losses.dtype))
    # under a strategy with several replicas, divided by their number (Keras 3, issue 23)
    return _scale_loss(mean)


class LossFunctionWrapper(Loss):
    """A Loss made of a per-sample function `fn(y_true, y_pred, **kwargs)`."""
    def __init__(self, fn, reduction="sum_over_batch_size", name=None, **kwargs):
        super().__init__(name=name, reduction=reduction)
        self.fn = fn
        self.fn_kwargs = kwargs

    def call(self, y_true, y_pred):
        y_pred = convert_to_tensor(y_pred)
        y_true, y_pred = same_rank(convert_to_tensor(y_true), y_pred)
        return self.fn(y_true, y_pred, **self.fn_kwargs)


class MeanSquaredError(LossFunctionWrapper):
    """mean((y_true - y_pred) ** 2) over the last axis."""
    def __init__(self, reduction="sum_over_batch_size", name="mean_squared_error"):
        super().__init__(mean_squared_error, reduction, name)


class MeanAbsoluteError(LossFunctionWrapper):
    """mean(|y_true - y_pred|) over the last axis."""
    def __init__(self, reduction="sum_over_batch_size", name="mean_absolute_error"):
        super().__init__(mean_absolute_error, reduction, name)


class CategoricalCrossentropy(LossFunctionWrapper):
    """Cross-entropy between one-hot labels and predicted class probabilities (or logits)."""
    def __init__(self, from_logits=False, label_smoothing=0.0, axis=-1,
                 reduction="sum_over_batch_size", name="categorical_crossentropy"):
        super().__init__(categorical_crossentropy, reduction, name, from_logits=from_logits,
                         label_smoothing=label_smoothing, axis=axis)


class SparseCategoricalCrossentropy(LossFunctionWrapper):
    """Cross-entropy between integer class labels and predicted class probabilities (or logits)."""
    def __init__(self, from_logits=False, ignore_class=None, reduction="sum_over_batch_size",
                 name="sparse_categorical_crossentropy"):
        super().__init__(sparse_categorical_crossentropy, reduction, name,
                         from_logits=from_logits, ignore_class=ignore_class)
        self.ignore_class = ignore_class

    def _mask(self, y_true, losses):
        if self.ignore_class is None:
            return None
        labels = convert_to_tensor(y_true)
        if labels.shape.rank is not None and labels.shape.rank == losses.shape.rank + 1:
            labels = squeeze(labels, -1)
        return not_equal(cast(labels, dtypes.int64), self.ignore_class)


class BinaryCrossentropy(LossFunctionWrapper):
    """Binary cross-entropy between labels in [0, 1] and probabilities (or logits, with
    `from_logits=True`)."""
    def __init__(self, from_logits=False, label_smoothing=0.0, axis=-1,
                 reduction="sum_over_batch_size", name="binary_crossentropy"):
        super().__init__(binary_crossentropy, reduction, name, from_logits=from_logits,
                         label_smoothing=label_smoothing, axis=axis)


class Huber(LossFunctionWrapper):
    """Squared error below `delta`, linear above it."""
    def __init__(self, delta=1.0, reduction="sum_over_batch_size", name="huber_loss"):
        super().__init__(huber, reduction, name, delta=delta)


class Hinge(LossFunctionWrapper):
    """mean(max(1 - y_true * y_pred, 0)), labels -1 or 1 (0 and 1 are mapped to them)."""
    def __init__(self, reduction="sum_over_batch_size", name="hinge"):
        super().__init__(hinge, reduction, name)


class KLDivergence(LossFunctionWrapper):
    """Kullback-Leibler divergence: sum(y_true * log(y_true / y_pred))."""
    def __init__(self, reduction="sum_over_batch_size", name="kl_divergence"):
        super().__init__(kl_divergence, reduction, name)


class CosineSimilarity(LossFunctionWrapper):
    """The negative cosine similarity of labels and predictions along `axis`."""
    def __init__(self, axis=-1, reduction="sum_over_batch_size", name="cosine_similarity"):
        super().__init__(cosine_similarity, reduction, name, axis=axis)


class LogCosh(LossFunctionWrapper):
    """mean(log(cosh(y_pred - y_true)))."""
    def __init__(self, reduction="sum_over_batch_size", name="log_cosh"):
        super().__init__(log_cosh, reduction, name)


def get(identifier):
    """A loss function from its name ('mse', 'categorical_crossentropy', ...) or a callable."""
    if callable(identifier):
        return identifier
    table = {"mse": mse, "mean_squared_error": mse, "mae": mae, "mean_absolute_error": mae,
             "categorical_crossentropy": categorical_crossentropy,
             "sparse_categorical_crossentropy": sparse_categorical_crossentropy,
             "binary_crossentropy": binary_crossentropy,
             # issue 20 (Keras training loop): the rest of Keras 3's names
             "bce": bce, "BCE": bce, "MSE": mse, "MAE": mae, "huber": huber, "hinge": hinge,
             "kl_divergence": kl_divergence, "kld": kld, "KLD": kld, "log_cosh": log_cosh,
             "logcosh": log_cosh, "kullback_leibler_divergence": kld,
             "cosine_similarity": cosine_similarity}
    classes = {c.__name__: c for c in (MeanSquaredError, MeanAbsoluteError, Huber, Hinge,
                                       CategoricalCrossentropy, BinaryCrossentropy,
                                       SparseCategoricalCrossentropy, KLDivergence,
                                       CosineSimilarity, LogCosh)}
    if isinstance(identifier, str) and identifier in classes:
        return classes[identifier]()
    if identifier not in table:
        raise ValueError(f"Could not interpret loss identifier: {identifier!r}")
    return table[identifier]

# -- a name janusgrad lacks is a clear error (issue 18, running TF programs unchanged) --
from ..framework.missing import missing_names as _missing_names  # noqa: E402
__getattr__ = _missing_names(__name__)
