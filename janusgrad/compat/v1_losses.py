"""tf.compat.v1.losses: the loss collections (add_loss, get_losses, get_regularization_loss(es),
get_total_loss). TF1's loss functions (softmax_cross_entropy, mean_squared_error, ...) join
them here.
"""
from ..framework.context import executing_eagerly
from ..framework.tensor import constant, convert_to_tensor
from ..ops.array import identity
from ..ops.math import add_n
from .graph_collections import GraphKeys, add_to_collection, get_collection


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
