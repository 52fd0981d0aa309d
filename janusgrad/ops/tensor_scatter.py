"""tf.tensor_scatter_nd_add / _sub / _update: composites of ScatterNd, so their gradients are
its gather_nd. ScatterNd checks the indices against the tensor's shape."""
from ..framework.tensor import convert_to_tensor
from .array import int_tensor, ones_like, shape, zeros_like
from .control import op_scope
from .indexing import scatter_nd
from .math import add, greater, subtract, where_v2


def _scattered(tensor, indices, updates, op_type):
    tensor = convert_to_tensor(tensor)
    indices = int_tensor(indices, op_type, "indices")
    updates = convert_to_tensor(updates, dtype=tensor.dtype)
    where = shape(tensor, out_type=indices.dtype)
    return tensor, indices, updates, scatter_nd(indices, updates, where)


def tensor_scatter_nd_add(tensor, indices, updates, name=None):
    """tensor with updates added at the index tuples in the last axis of indices"""
    with op_scope(name, "TensorScatterAdd") as name:     # (TF's one op, named so)
        tensor, _, _, scattered = _scattered(tensor, indices, updates, "TensorScatterAdd")
        return add(tensor, scattered, name=name)


def tensor_scatter_nd_sub(tensor, indices, updates, name=None):
    """tensor with updates subtracted at the index tuples in the last axis of indices"""
    with op_scope(name, "TensorScatterSub") as name:
        tensor, _, _, scattered = _scattered(tensor, indices, updates, "TensorScatterSub")
        return subtract(tensor, scattered, name=name)


def tensor_scatter_nd_update(tensor, indices, updates, name=None):
    """tensor with the entries at the index tuples in the last axis of indices replaced by
    updates (a repeated index gets the sum of its updates: TF leaves which one wins undefined)"""
    with op_scope(name, "TensorScatterUpdate") as name:
        tensor, indices, updates, scattered = _scattered(tensor, indices, updates,
                                                         "TensorScatterUpdate")
        hit = scatter_nd(indices, ones_like(updates), shape(tensor, out_type=indices.dtype))
        return where_v2(greater(hit, zeros_like(hit)), scattered, tensor, name=name)
