"""tf.compat.v1.losses: TF1's loss functions, their reductions and the loss collections.

As TF 2.21's losses_impl: each function computes a per-element loss (in float32, then cast
back to the input's dtype), multiplies it by `weights` (a scalar, or a tensor broadcastable to
the losses: each dimension 1 or the losses'), reduces it by `reduction` (default
SUM_BY_NONZERO_WEIGHTS: the weighted sum over the number of non-zero weights, 0 when there is
none) and, in a graph, adds it to `loss_collection` (LOSSES). The result is named
`<function>_loss/value` where TF names it so (`sparse_softmax_cross_entropy_loss/value:0`).
"""
from ..framework import dtypes
from ..framework.context import executing_eagerly
from ..framework.tensor import constant, convert_to_tensor
from ..ops import nn
from ..ops.array import identity, ones_like, shape, size, squeeze, stop_gradient, zeros_like
from ..ops.array import where
from ..ops.control import name_scope
from ..ops.math import abs as _abs
from ..ops.math import (add_n, cast, divide_no_nan, equal, log, minimum, multiply,
                        squared_difference)
from ..ops.reduce import reduce_sum
from .graph_collections import GraphKeys, add_to_collection, get_collection


class Reduction:
    """How a loss function reduces its weighted losses (TF's strings)."""
    NONE = "none"
    SUM = "weighted_sum"
    SUM_OVER_BATCH_SIZE = "weighted_sum_over_batch_size"
    MEAN = "weighted_mean"
    SUM_BY_NONZERO_WEIGHTS = "weighted_sum_by_nonzero_weights"
    SUM_OVER_NONZERO_WEIGHTS = SUM_BY_NONZERO_WEIGHTS

    @classmethod
    def all(cls):
        return (cls.NONE, cls.SUM, cls.MEAN, cls.SUM_OVER_BATCH_SIZE,
                cls.SUM_OVER_NONZERO_WEIGHTS, cls.SUM_BY_NONZERO_WEIGHTS)

    @classmethod
    def validate(cls, key):
        if key not in cls.all():
            raise ValueError(f"Invalid Reduction Key {key}. Key should be one of "
                             f"{cls.all()}.")


# -- the reduction ----------------------------------------------------------------------------

def _check_broadcastable(fn, weights, losses):
    """TF's static check: weights a scalar, or of the losses' rank with each dimension 1 or
    the losses' (ValueError otherwise)."""
    w, v = weights.shape, losses.shape
    if w.rank is None or v.rank is None or w.rank == 0:
        return
    if w.rank != v.rank:
        raise ValueError(f"{fn}: weights can not be broadcast to values. values.rank={v.rank}. "
                         f"weights.rank={w.rank}. values.shape={v}. weights.shape={w}.")
    for i, (a, b) in enumerate(zip(w.as_list(), v.as_list())):
        if a is not None and b is not None and a != 1 and a != b:
            raise ValueError(f"{fn}: weights can not be broadcast to values. Mismatch at dim {i}. "
                             f"values.shape={v}, weights.shape={w}.")


def _num_elements(losses):
    with name_scope(None, "num_elements"):
        return cast(size(losses), losses.dtype)


def _num_present(losses, weights):
    """How many losses have a non-zero weight (weights broadcast to the losses' shape)."""
    with name_scope(None, "num_present"):
        weights = cast(weights, dtypes.float32)
        present = where(equal(weights, 0.0), zeros_like(weights), ones_like(weights))
        return reduce_sum(present * ones_like(losses))


def compute_weighted_loss(losses, weights=1.0, scope=None, loss_collection=GraphKeys.LOSSES,
                          reduction=Reduction.SUM_BY_NONZERO_WEIGHTS):
    """`losses * weights`, reduced by `reduction`, added to `loss_collection` in a graph."""
    return _weighted("compute_weighted_loss", losses, weights, scope, loss_collection, reduction)


def _weighted(fn, losses, weights, scope, loss_collection, reduction):
    """compute_weighted_loss for the loss function `fn` (its errors name it)."""
    if reduction not in Reduction.all():
        raise ValueError(f"{fn}: Invalid Reduction Key {reduction}. Key should be one of "
                         f"{Reduction.all()}.")
    with name_scope(scope, "weighted_loss"):
        losses = convert_to_tensor(losses)
        input_dtype = losses.dtype
        losses = cast(losses, dtypes.float32)
        nonzero_scalar = isinstance(weights, float) and weights != 0.0
        weights = cast(convert_to_tensor(weights), dtypes.float32)
        _check_broadcastable(fn, weights, losses)
        weighted = multiply(losses, weights)          # TF: math_ops.multiply, named Mul
        if reduction == Reduction.NONE:
            loss = weighted
        else:
            loss = reduce_sum(weighted)
            if reduction == Reduction.MEAN:
                loss = divide_no_nan(loss, reduce_sum(ones_like(losses) * weights),
                                     name="value")
            elif reduction == Reduction.SUM_BY_NONZERO_WEIGHTS:
                count = _num_elements(losses) if nonzero_scalar else \
                    _num_present(losses, weights)
                loss = divide_no_nan(loss, count, name="value")
            elif reduction == Reduction.SUM_OVER_BATCH_SIZE:
                loss = divide_no_nan(loss, _num_elements(losses), name="value")
        loss = cast(loss, input_dtype)
        add_loss(loss, loss_collection)
        return loss


def _not_none(fn, **args):
    for name, value in args.items():
        if value is None:
            raise ValueError(f"{fn}: argument `{name}` must not be None.")


def _float_pair(fn, labels, predictions):
    predictions = cast(convert_to_tensor(predictions), dtypes.float32)
    labels = cast(convert_to_tensor(labels), dtypes.float32)
    _same_shape(fn, predictions, labels)
    return labels, predictions


def _same_shape(fn, a, b):
    if not a.shape.is_compatible_with(b.shape):
        raise ValueError(f"{fn}: Shapes {a.shape} and {b.shape} are incompatible")


# -- the loss functions -----------------------------------------------------------------------

def absolute_difference(labels, predictions, weights=1.0, scope=None,
                        loss_collection=GraphKeys.LOSSES,
                        reduction=Reduction.SUM_BY_NONZERO_WEIGHTS):
    """|predictions - labels|, weighted and reduced."""
    _not_none("absolute_difference", labels=labels, predictions=predictions)
    with name_scope(scope, "absolute_difference") as scope:
        labels, predictions = _float_pair("absolute_difference", labels, predictions)
        return _weighted("absolute_difference", _abs(predictions - labels), weights, scope,
                         loss_collection, reduction=reduction)


def mean_squared_error(labels, predictions, weights=1.0, scope=None,
                       loss_collection=GraphKeys.LOSSES,
                       reduction=Reduction.SUM_BY_NONZERO_WEIGHTS):
    """(predictions - labels) ** 2, weighted and reduced."""
    _not_none("mean_squared_error", labels=labels, predictions=predictions)
    with name_scope(scope, "mean_squared_error") as scope:
        labels, predictions = _float_pair("mean_squared_error", labels, predictions)
        return _weighted("mean_squared_error", squared_difference(predictions, labels),
                         weights, scope, loss_collection, reduction=reduction)


def huber_loss(labels, predictions, weights=1.0, delta=1.0, scope=None,
               loss_collection=GraphKeys.LOSSES, reduction=Reduction.SUM_BY_NONZERO_WEIGHTS):
    """0.5 * e ** 2 where |e| <= delta, else delta * (|e| - 0.5 * delta); e = predictions -
    labels."""
    _not_none("huber_loss", labels=labels, predictions=predictions)
    with name_scope(scope, "huber_loss") as scope:
        labels, predictions = _float_pair("huber_loss", labels, predictions)
        abs_error = _abs(predictions - labels)
        quadratic = minimum(abs_error, delta)
        linear = abs_error - quadratic
        losses = 0.5 * (quadratic * quadratic) + delta * linear
        return _weighted("huber_loss", losses, weights, scope, loss_collection,
                         reduction=reduction)


def log_loss(labels, predictions, weights=1.0, epsilon=1e-7, scope=None,
             loss_collection=GraphKeys.LOSSES, reduction=Reduction.SUM_BY_NONZERO_WEIGHTS):
    """-labels * log(p + epsilon) - (1 - labels) * log(1 - p + epsilon)."""
    _not_none("log_loss", labels=labels, predictions=predictions)
    with name_scope(scope, "log_loss") as scope:
        labels, predictions = _float_pair("log_loss", labels, predictions)
        losses = -(labels * log(predictions + epsilon)) - \
            (1 - labels) * log(1 - predictions + epsilon)
        return _weighted("log_loss", losses, weights, scope, loss_collection,
                         reduction=reduction)


def hinge_loss(labels, logits, weights=1.0, scope=None, loss_collection=GraphKeys.LOSSES,
               reduction=Reduction.SUM_BY_NONZERO_WEIGHTS):
    """relu(1 - (2 * labels - 1) * logits), labels in {0, 1}."""
    _not_none("hinge_loss", labels=labels, logits=logits)
    with name_scope(scope, "hinge_loss") as scope:
        labels, logits = _float_pair("hinge_loss", labels, logits)
        all_ones = ones_like(labels)
        signs = 2 * labels - all_ones
        losses = nn.relu(all_ones - signs * logits)
        return _weighted("hinge_loss", losses, weights, scope, loss_collection,
                         reduction=reduction)


def cosine_distance(labels, predictions, axis=None, weights=1.0, scope=None,
                    loss_collection=GraphKeys.LOSSES,
                    reduction=Reduction.SUM_BY_NONZERO_WEIGHTS, dim=None):
    """1 - sum(labels * predictions, axis) (both unit-normalized by the caller)."""
    axis = dim if axis is None else axis
    if axis is None:
        raise ValueError("cosine_distance: You must specify argument `axis`.")
    _not_none("cosine_distance", labels=labels, predictions=predictions)
    with name_scope(scope, "cosine_distance_loss") as scope:
        labels, predictions = _float_pair("cosine_distance", labels, predictions)
        losses = 1 - reduce_sum(predictions * labels, axis=(axis,), keepdims=True)
        return _weighted("cosine_distance", losses, weights, scope, loss_collection,
                         reduction=reduction)


def sigmoid_cross_entropy(multi_class_labels, logits, weights=1.0, label_smoothing=0,
                          scope=None, loss_collection=GraphKeys.LOSSES,
                          reduction=Reduction.SUM_BY_NONZERO_WEIGHTS):
    """sigmoid_cross_entropy_with_logits; label_smoothing s takes labels to
    labels * (1 - s) + s / 2."""
    _not_none("sigmoid_cross_entropy", multi_class_labels=multi_class_labels, logits=logits)
    with name_scope(scope, "sigmoid_cross_entropy_loss") as scope:
        logits = convert_to_tensor(logits)
        labels = cast(convert_to_tensor(multi_class_labels), logits.dtype)
        _same_shape("sigmoid_cross_entropy", logits, labels)
        if label_smoothing > 0:
            labels = labels * (1 - label_smoothing) + 0.5 * label_smoothing
        losses = nn.sigmoid_cross_entropy_with_logits(labels=labels, logits=logits,
                                                      name="xentropy")
        return _weighted("sigmoid_cross_entropy", losses, weights, scope, loss_collection,
                         reduction=reduction)


def softmax_cross_entropy(onehot_labels, logits, weights=1.0, label_smoothing=0, scope=None,
                          loss_collection=GraphKeys.LOSSES,
                          reduction=Reduction.SUM_BY_NONZERO_WEIGHTS):
    """softmax cross-entropy over the last axis (no gradient to the labels); label_smoothing s
    takes labels to labels * (1 - s) + s / num_classes."""
    _not_none("softmax_cross_entropy", onehot_labels=onehot_labels, logits=logits)
    with name_scope(scope, "softmax_cross_entropy_loss") as scope:
        logits = convert_to_tensor(logits)
        labels = cast(convert_to_tensor(onehot_labels), logits.dtype)
        _same_shape("softmax_cross_entropy", logits, labels)
        if label_smoothing > 0:
            num_classes = cast(shape(labels)[-1], logits.dtype)
            labels = labels * (1.0 - label_smoothing) + label_smoothing / num_classes
        labels = stop_gradient(labels, name="labels_stop_gradient")
        losses = nn.softmax_cross_entropy_with_logits(labels=labels, logits=logits,
                                                      name="xentropy")
        return _weighted("softmax_cross_entropy", losses, weights, scope, loss_collection,
                         reduction=reduction)


def sparse_softmax_cross_entropy(labels, logits, weights=1.0, scope=None,
                                 loss_collection=GraphKeys.LOSSES,
                                 reduction=Reduction.SUM_BY_NONZERO_WEIGHTS):
    """-log_softmax(logits)[labels]; labels of shape (batch,) or (batch, 1)."""
    _not_none("sparse_softmax_cross_entropy", labels=labels, logits=logits)
    with name_scope(scope, "sparse_softmax_cross_entropy_loss") as scope:
        logits = convert_to_tensor(logits)
        labels = convert_to_tensor(labels)
        # TF's remove_squeezable_dimensions: a trailing 1 of labels (and then of weights) goes
        lr, zr = logits.shape.rank, labels.shape.rank
        if lr is not None and zr is not None and zr == lr and labels.shape[-1] == 1:
            labels = squeeze(labels, [-1])
        weights = convert_to_tensor(weights) if not isinstance(weights, float) else weights
        if not isinstance(weights, float) and weights.shape.rank is not None and \
                labels.shape.rank is not None and weights.shape.rank - labels.shape.rank == 1:
            weights = squeeze(weights, [-1])
        losses = nn.sparse_softmax_cross_entropy_with_logits(labels=labels, logits=logits,
                                                             name="xentropy")
        return _weighted("sparse_softmax_cross_entropy", losses, weights, scope, loss_collection,
                         reduction=reduction)


# -- the collections ---------------------------------------------------------------------------

def add_loss(loss, loss_collection=GraphKeys.LOSSES):
    """Add a loss to `loss_collection` (LOSSES); nothing when executing eagerly, as TF."""
    if loss_collection and not executing_eagerly():
        add_to_collection(loss_collection, loss)


def get_losses(scope=None, loss_collection=GraphKeys.LOSSES):
    """The losses of `loss_collection`, those whose name matches `scope` if given."""
    return get_collection(loss_collection, scope)


def get_regularization_losses(scope=None):
    """The regularization losses (of get_variable's and the layers' regularizers)."""
    return get_collection(GraphKeys.REGULARIZATION_LOSSES, scope)


def get_regularization_loss(scope=None, name="total_regularization_loss"):
    """The sum of the regularization losses, 0.0 when there is none."""
    losses = get_regularization_losses(scope)
    if losses:
        return _sum(losses, name)
    return constant(0.0)


def get_total_loss(add_regularization_losses=True, name="total_loss", scope=None):
    """The sum of the losses added with add_loss (the loss functions add theirs) and, with
    add_regularization_losses, of the regularization losses. ValueError when there is none."""
    losses = get_losses(scope=scope)
    if add_regularization_losses:
        losses += get_regularization_losses(scope=scope)
    if not losses:
        raise ValueError("get_total_loss: no losses found in the LOSSES (and "
                         "REGULARIZATION_LOSSES) collections")
    return _sum(losses, name)


def _sum(losses, name):
    if len(losses) == 1:
        return identity(convert_to_tensor(losses[0]), name=name)
    return add_n(losses, name=name)
