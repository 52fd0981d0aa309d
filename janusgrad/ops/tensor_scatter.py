"""tf.tensor_scatter_nd_add / _sub / _update: composites of ScatterNd, so their gradients are
its gather_nd. ScatterNd checks the indices against the tensor's shape."""
import numpy as np

from ..framework.errors import InvalidArgumentError
from ..framework.execute import execute
from ..framework.registry import gradient, register_kernel
from ..framework.tensor import convert_to_tensor
from .array import int_tensor, ones_like, shape, zeros_like
from .control import op_scope
from .indexing import gather_nd, scatter_nd
from .math import add, cast, equal, greater, multiply, subtract, where_v2


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


# -- tensor_scatter_nd_max / _min: kernels (a repeated index takes the max/min of all) --------

def _rows(indices, shape, op_type):
    """indices[..., k] as a tuple of index arrays into shape's first k dims, checked"""
    k = indices.shape[-1]
    if k > len(shape):
        raise InvalidArgumentError(f"{op_type}: index innermost dimension {k} exceeds the rank "
                                   f"{len(shape)} of the tensor")
    flat = indices.reshape(-1, k)
    bad = ((flat < 0) | (flat >= np.array(shape[:k], dtype=np.int64))).any(axis=1)
    if bad.any():
        i = int(np.argmax(bad))
        raise InvalidArgumentError(f"{op_type}: indices[{i}] = {flat[i].tolist()} does not "
                                   f"index into shape {list(shape)}")
    return tuple(flat.T), flat.shape[0]


def _extreme_kernel(op_type, ufunc):
    def kernel(tensor, indices, updates):
        out = tensor.copy()
        idx, n = _rows(indices, out.shape, op_type)
        k = indices.shape[-1]
        want = indices.shape[:-1] + out.shape[k:]
        if updates.shape != want:
            raise InvalidArgumentError(f"{op_type}: updates must have shape {list(want)} "
                                       f"(indices.shape[:-1] + tensor.shape[{k}:]), got "
                                       f"{list(updates.shape)}")
        rows = updates.reshape((n,) + out.shape[k:])
        if k:
            ufunc.at(out, idx, rows)
        elif n:
            out = ufunc(out, ufunc.reduce(rows, axis=0))
        return out
    register_kernel(op_type, kernel, infer=lambda i, a: [(i[0].dtype, i[0].shape)])


_extreme_kernel("TensorScatterMax", np.maximum)
_extreme_kernel("TensorScatterMin", np.minimum)


def _extreme_grad(op, dy):
    """dy shared equally among the tensor entry and the updates equal to each output entry"""
    x, indices, y = op.inputs
    out = op.outputs[0]
    x_ind = cast(equal(x, out), dy.dtype)
    y_ind = cast(equal(y, gather_nd(out, indices)), dy.dtype)
    count = add(x_ind, scatter_nd(indices, y_ind, shape(x, out_type=indices.dtype)))
    return (multiply(dy, x_ind) / count, None,
            multiply(gather_nd(dy / count, indices), y_ind))


gradient("TensorScatterMax", inputs=(0, 1, 2), outputs=(0,))(_extreme_grad)
gradient("TensorScatterMin", inputs=(0, 1, 2), outputs=(0,))(_extreme_grad)


def _extreme(op_type, tensor, indices, updates, name):
    tensor = convert_to_tensor(tensor)
    indices = int_tensor(indices, op_type, "indices")
    updates = convert_to_tensor(updates, dtype=tensor.dtype)
    return execute(op_type, [tensor, indices, updates], name=name)[0]


def tensor_scatter_nd_max(tensor, indices, updates, name=None):
    """tensor with each indexed entry the max of itself and its updates"""
    return _extreme("TensorScatterMax", tensor, indices, updates, name)


def tensor_scatter_nd_min(tensor, indices, updates, name=None):
    """tensor with each indexed entry the min of itself and its updates"""
    return _extreme("TensorScatterMin", tensor, indices, updates, name)
