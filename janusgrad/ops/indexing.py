"""Indexing ops: slice and getitem, pad, gather, scatter_nd, boolean_mask, one_hot, tile, reverse.

In file order: tile, broadcast_to, reverse, slice and pad (each the other's gradient), mirror
pad, gather, gather_nd, scatter_nd, one_hot, boolean_mask, and strided slicing
(Tensor.__getitem__). Kernel and gradient side by side; builds on array.py, math.py, reduce.py.
"""
import numpy as np

from ..framework import dtypes
from ..framework.errors import short_repr
from ..framework.execute import execute
from ..framework.registry import gradient, not_differentiable, register_kernel
from ..framework.shape import TensorShape
from ..framework.tensor import EagerTensor, Tensor, constant, convert_to_tensor, is_tensor_like
from .array import (concat, constant_value, int_tensor, reshape, reshape_like, shape,
                    shape_entries, squeeze, stack, transpose, where)
from .control import op_scope
from .define import as_int, fixed, invalid
from .indexed_slices import IndexedSlices
from .math import cast, range_, unbroadcast
from .reduce import reduce_prod, reduce_sum


# -- tile, broadcast_to, reverse, slice, pad ---------------------------------------------------

def _tile_kernel(input, multiples):  # noqa: A002
    if multiples.shape != (input.ndim,):
        raise ValueError(f"Expected multiples argument to be a vector of length {input.ndim} "
                         f"but got length {multiples.size}")
    if np.any(multiples < 0):
        raise ValueError(f"Expected multiples >= 0, got {multiples.tolist()}")
    return np.tile(input, multiples.tolist())


def _tile_infer(inputs, attrs):
    x, multiples = inputs
    dims, m_shape = x.shape.dims, multiples.shape
    if m_shape.rank is not None and m_shape.rank != 1:
        raise ValueError(f"Tile: multiples must be a vector, got shape {m_shape}")
    n = m_shape[0] if m_shape.rank == 1 else None
    if dims is not None and n is not None and n != len(dims):
        raise ValueError(f"Shape must be rank {len(dims)} but is rank {n} for 'Tile' with "
                         f"input shapes: {x.shape}, {m_shape}")
    if dims is None:
        return [(x.dtype, TensorShape(None if n is None else [None] * n))]
    m = constant_value(multiples)
    if m is None:
        return [(x.dtype, TensorShape([None] * len(dims)))]
    return [(x.dtype, TensorShape([None if d is None else d * int(k) for d, k in zip(dims, m)]))]


register_kernel("Tile", _tile_kernel, infer=_tile_infer)


def tile(input, multiples, name=None):  # noqa: A002
    """input repeated multiples[i] times along each axis i."""
    return execute("Tile", [convert_to_tensor(input), int_tensor(multiples, "Tile", "multiples")],
                   name=name)[0]


@gradient("Tile")
def _tile_grad(op, dy):
    """dy reshaped to [m0, d0, m1, d1, ...] and summed over the m axes"""
    x, multiples = op.inputs
    rank = multiples.shape[0] if multiples.shape.rank == 1 else None
    rank = x.shape.rank if rank is None else rank
    if rank is None:
        raise NotImplementedError("Tile gradient: the rank of the input must be known")
    split_shape = reshape(transpose(stack([multiples, shape(x, out_type=multiples.dtype)])), [-1])
    return reduce_sum(reshape(dy, split_shape), axis=list(range(0, 2 * rank, 2))), None


def _broadcast_to_kernel(input, shape):  # noqa: A002
    try:
        return np.broadcast_to(input, tuple(shape.tolist())).copy()
    except ValueError:
        raise ValueError(f"Incompatible shapes: {list(input.shape)} vs. {shape.tolist()}") from None


def _broadcast_to_infer(inputs, attrs):
    x, target = inputs
    dims = shape_entries(target)
    if dims is None:
        return [(x.dtype, TensorShape(None))]
    xd = x.shape.dims
    if xd is not None:
        ok = len(xd) <= len(dims) and all(
            d is None or t is None or d == 1 or d == t
            for d, t in zip(reversed(xd), reversed(dims)))
        if not ok:
            raise ValueError(f"Incompatible shapes for 'BroadcastTo': input {x.shape} cannot be "
                             f"broadcast to {dims}")
    return [(x.dtype, TensorShape(dims))]


register_kernel("BroadcastTo", _broadcast_to_kernel, infer=_broadcast_to_infer)


def broadcast_to(input, shape, name=None):  # noqa: A002
    """input broadcast (NumPy rules) to `shape`."""
    return execute("BroadcastTo", [convert_to_tensor(input),
                                   int_tensor(shape, "BroadcastTo", "shape")], name=name)[0]


@gradient("BroadcastTo")
def _broadcast_to_grad(op, dy):
    """dy summed over the broadcast axes"""
    return unbroadcast(dy, op.inputs[0]), None


def _reverse_axes(axis, rank, op_type="ReverseV2"):
    axes = [int(a) for a in np.asarray(axis).reshape(-1)]
    if any(not -rank <= a < rank for a in axes):
        raise ValueError(f"{op_type}: axis {axes} out of range for input of rank {rank}")
    if len({a % rank for a in axes}) != len(axes):
        raise ValueError(f"{op_type}: axis {axes} names a dimension more than once")
    return tuple(a % rank for a in axes)


register_kernel("ReverseV2",
                lambda tensor, axis: np.flip(tensor, _reverse_axes(axis, tensor.ndim)),
                infer=fixed(shape=lambda i, a: i[0].shape))


def reverse(tensor, axis, name=None):
    """tensor with the order of the entries along each axis in `axis` reversed."""
    x = convert_to_tensor(tensor)
    axis = int_tensor(axis, "ReverseV2", "axis")
    value = constant_value(axis)
    if value is not None and x.shape.rank is not None:
        _reverse_axes(value, x.shape.rank)
    return execute("ReverseV2", [x, axis], name=name)[0]


@gradient("ReverseV2")
def _reverse_grad(op, dy):
    """reverse(dy) along the same axes"""
    return reverse(dy, op.inputs[1]), None


def _slice_bounds(dims, begin, size):
    """[(begin, size)] per axis with size -1 resolved; ValueError when out of bounds."""
    if len(begin) != len(dims) or len(size) != len(dims):
        raise ValueError(f"Slice: begin {begin} and size {size} must each have one entry per "
                         f"dimension of the input of shape {dims}")
    out = []
    for i, (n, b, k) in enumerate(zip(dims, begin, size)):
        k = None if k == -1 and n is None else (n - b if k == -1 else k)
        if b < 0 or (n is not None and b > n):
            raise ValueError(f"Expected begin[{i}] in [0, {n}], but got {b}")
        if k is not None and (k < 0 or (n is not None and b + k > n)):
            raise ValueError(f"Expected size[{i}] in [0, {None if n is None else n - b}], "
                             f"but got {k}")
        out.append((b, k))
    return out


def _slice_kernel(input, begin, size):  # noqa: A002
    bounds = _slice_bounds(list(input.shape), begin.tolist(), size.tolist())
    return input[tuple(slice(b, b + k) for b, k in bounds)]


def _slice_infer(inputs, attrs):
    x, begin, size = inputs
    dims = x.shape.dims
    b, k = constant_value(begin), constant_value(size)
    if dims is None:
        n = begin.shape[0] if begin.shape.rank == 1 else None
        return [(x.dtype, TensorShape(None if n is None else [None] * n))]
    if k is None:
        return [(x.dtype, TensorShape([None] * len(dims)))]
    if b is None:
        return [(x.dtype, TensorShape([None if s == -1 else int(s) for s in k.tolist()]))]
    return [(x.dtype, TensorShape([s for _, s in _slice_bounds(dims, b.tolist(), k.tolist())]))]


register_kernel("Slice", _slice_kernel, infer=_slice_infer)


def slice_(input_, begin, size, name=None):
    """tf.slice: the block of input_ that starts at `begin` with extent `size` (-1: to the
    end). (Named slice_ so that this module keeps Python's slice.)"""
    x = convert_to_tensor(input_)
    begin = int_tensor(begin, "Slice", "begin")
    size = int_tensor(size, "Slice", "size")
    if begin.dtype is not size.dtype:
        size = cast(size, begin.dtype)
    return execute("Slice", [x, begin, size], name=name)[0]


@gradient("Slice")
def _slice_grad(op, dy):
    """dy padded with zeros to x's shape: [begin, shape(x) - begin - shape(y)] per axis"""
    x, begin, _ = op.inputs
    after = shape(x, begin.dtype) - begin - shape(op.outputs[0], begin.dtype)
    return pad(dy, stack([begin, after], axis=1)), None, None


def _check_paddings(dims, paddings, op_type, mode=None):
    p = np.asarray(paddings)
    if dims is not None and p.shape != (len(dims), 2):
        raise ValueError(f"{op_type}: paddings must be of shape [{len(dims)}, 2] for an input of "
                         f"rank {len(dims)}, got shape {list(p.shape)}")
    if np.any(p < 0):
        raise ValueError(f"{op_type}: paddings must be non-negative, got {p.tolist()}")
    if mode is not None and dims is not None:
        limit = "at most" if mode == "SYMMETRIC" else "less than"
        for n, (a, b) in zip(dims, p.tolist()):
            if n is not None and (a > n or b > n or (mode == "REFLECT" and max(a, b) == n)):
                raise ValueError(f"{op_type}: paddings must be {limit} the dimension size in "
                                 f"{mode} mode, got {a}, {b} for a dimension of size {n}")
    return p


def _pad_kernel(input, paddings, constant_values=None):  # noqa: A002
    p = _check_paddings(input.shape, paddings, "Pad")
    value = 0 if constant_values is None else constant_values
    return np.pad(input, p.tolist(), constant_values=value)


def _mirror_pad_kernel(input, paddings, *, mode):  # noqa: A002
    p = _check_paddings(input.shape, paddings, "MirrorPad", mode)
    return np.pad(input, p.tolist(), mode=mode.lower())


def _mirror_pad_grad_kernel(input, paddings, *, mode):  # noqa: A002
    """The padded entries folded back (added) onto the entries they mirror."""
    out = input
    for axis, (a, b) in enumerate(np.asarray(paddings).tolist()):
        n = out.shape[axis] - a - b
        source = np.pad(np.arange(n), (a, b), mode=mode.lower())   # where each entry came from
        acc = np.zeros(out.shape[:axis] + (n,) + out.shape[axis + 1:], out.dtype)
        np.add.at(acc, (np.s_[:],) * axis + (source,), out)
        out = acc
    return out


def _pad_infer(inputs, attrs, sign=1):
    x, paddings = inputs[0], inputs[1]
    dims = x.shape.dims
    p = constant_value(paddings)
    if dims is None:
        n = paddings.shape[0] if paddings.shape.rank == 2 else None
        return [(x.dtype, TensorShape(None if n is None else [None] * n))]
    if p is None:
        return [(x.dtype, TensorShape([None] * len(dims)))]
    mode = attrs.get("mode") if sign > 0 else None
    p = _check_paddings(dims, p, "MirrorPad" if mode else "Pad", mode).tolist()
    return [(x.dtype, TensorShape([None if d is None else d + sign * (a + b)
                                   for d, (a, b) in zip(dims, p)]))]


register_kernel("Pad", _pad_kernel, infer=_pad_infer)
register_kernel("PadV2", _pad_kernel, infer=_pad_infer)
register_kernel("MirrorPad", _mirror_pad_kernel, infer=_pad_infer)
register_kernel("MirrorPadGrad", _mirror_pad_grad_kernel,
                infer=lambda i, a: _pad_infer(i, a, sign=-1))


def pad(tensor, paddings, mode="CONSTANT", constant_values=0, name=None):
    """tensor padded by paddings[i] = [before, after] entries along each axis i: with
    constant_values (CONSTANT), or mirrored without (REFLECT) or with (SYMMETRIC) the edge."""
    x = convert_to_tensor(tensor)
    paddings = int_tensor(paddings, "Pad", "paddings")
    mode = str(mode).upper()
    if mode == "CONSTANT":
        if not isinstance(constant_values, Tensor) and np.ndim(constant_values) == 0 \
                and constant_values == 0:
            return execute("Pad", [x, paddings], name=name)[0]
        value = convert_to_tensor(constant_values, dtype=x.dtype)
        return execute("PadV2", [x, paddings, value], name=name)[0]
    if mode in ("REFLECT", "SYMMETRIC"):
        return execute("MirrorPad", [x, paddings], {"mode": mode}, name=name)[0]
    raise ValueError(f"Value of argument `mode` expected to be one of \"CONSTANT\", "
                     f"\"REFLECT\", or \"SYMMETRIC\". Received `mode` = {mode}")


@gradient("Pad")
def _pad_grad(op, dy):
    """the slice of dy that x was copied to"""
    x, paddings = op.inputs[0], op.inputs[1]
    return slice_(dy, paddings[:, 0], shape(x, paddings.dtype)), None


@gradient("PadV2")
def _pad_v2_grad(op, dy):
    """the slice of dy that x was copied to; None for the constant, as TF"""
    return _pad_grad(op, dy)[0], None, None


@gradient("MirrorPad")
def _mirror_pad_grad(op, dy):
    """dy with the padded entries added onto the entries they mirror"""
    mode = op.get_attr("mode")
    return execute("MirrorPadGrad", [dy, op.inputs[1]], {"mode": mode})[0], None


@gradient("MirrorPadGrad")
def _mirror_pad_grad_grad(op, dy):
    """mirror_pad(dy)"""
    return execute("MirrorPad", [dy, op.inputs[1]], {"mode": op.get_attr("mode")})[0], None


# -- gather, gather_nd, scatter_nd, one_hot, boolean_mask ----------------------------------------

def _check_indices(indices, bound, op_type):
    bad = (indices < 0) | (indices >= bound)
    if np.any(bad):
        pos = tuple(int(i) for i in np.argwhere(bad)[0])
        at = ",".join(str(i) for i in pos)
        raise ValueError(f"{op_type}: indices[{at}] = {indices[pos]} is not in "
                         f"[0, {bound})")


def _gather_kernel(params, indices, axis, *, batch_dims):
    if not -params.ndim <= int(axis) < params.ndim:
        raise ValueError(f"GatherV2: Expected axis in the range [{-params.ndim}, {params.ndim}), "
                         f"but got {int(axis)}")
    a = int(axis) % params.ndim
    _check_indices(indices, params.shape[a], "GatherV2")
    b = batch_dims
    if b == 0:
        return np.take(params, indices, axis=a)
    # batch axes merged into one, the gathered axis moved next to it: one advanced index
    # (batch position, index) for every batch entry at once, no loop over the batch
    p = np.moveaxis(_batch_rows(params, b), a - b + 1, 1)        # (B, X, pre..., post...)
    i = _batch_rows(indices, b)                                  # (B, I...)
    g = p[_batch_index(i), i]                                    # (B, I..., pre..., post...)
    g = g.transpose(_swap_groups(g.ndim, i.ndim - 1, a - b))     # (B, pre..., I..., post...)
    return g.reshape(params.shape[:a] + indices.shape[b:] + params.shape[a + 1:])


def _gather_grad_kernel(dy, params, indices, axis, *, batch_dims):
    """dy added into zeros of params' shape at the gathered positions (repeats accumulate)."""
    a, b = int(axis) % params.ndim, batch_dims
    out = np.zeros(params.shape, dy.dtype)
    if b == 0:
        np.add.at(out, (np.s_[:],) * a + (indices,), dy)
        return out
    o = np.moveaxis(_batch_rows(out, b), a - b + 1, 1)          # a view of out
    i = _batch_rows(indices, b)
    d = _batch_rows(dy, b)                                       # (B, pre..., I..., post...)
    d = d.transpose(_swap_groups(d.ndim, a - b, i.ndim - 1))     # (B, I..., pre..., post...)
    np.add.at(o, (_batch_index(i), i), d)
    return out


def _batch_index(i):
    """The batch position of every entry of i (B, I...), broadcastable against it."""
    return np.arange(i.shape[0]).reshape((-1,) + (1,) * (i.ndim - 1))


def _swap_groups(ndim, n_first, n_second):
    """The permutation (0, group2, group1, rest) of axes (0, group1, group2, rest)."""
    first = list(range(1, 1 + n_first))
    second = list(range(1 + n_first, 1 + n_first + n_second))
    return [0] + second + first + list(range(1 + n_first + n_second, ndim))


def _batch_rows(t, batch_dims):
    """t with its first batch_dims axes merged into one (a view for contiguous t)."""
    return t.reshape((int(np.prod(t.shape[:batch_dims])),) + t.shape[batch_dims:])


def _gather_infer(inputs, attrs):
    params, indices, axis = inputs
    pd, idd = params.shape.dims, indices.shape.dims
    a, b = constant_value(axis), attrs["batch_dims"]
    if pd is None or idd is None or a is None:
        return [(params.dtype, TensorShape(None))]
    a = int(a) % max(len(pd), 1)
    return [(params.dtype, TensorShape(pd[:a] + idd[b:] + pd[a + 1:]))]


register_kernel("GatherV2", _gather_kernel, infer=_gather_infer)
register_kernel("GatherGrad", _gather_grad_kernel, infer=fixed(shape=lambda i, a: i[1].shape))


def gather(params, indices, validate_indices=None, axis=None, batch_dims=0, name=None):
    """params[..., indices, ...]: the slices of params along `axis` at `indices` (of any shape);
    the first batch_dims axes of params and indices are matched up, not gathered."""
    params = convert_to_tensor(params)
    indices = int_tensor(indices, "GatherV2", "indices")
    batch_dims = as_int("GatherV2", "batch_dims", batch_dims)
    axis = batch_dims if axis is None else axis
    axis_t = int_tensor(axis, "GatherV2", "axis")
    rp, ri = params.shape.rank, indices.shape.rank
    if rp == 0:
        raise ValueError("GatherV2: params must be at least 1 dimensional")
    a = constant_value(axis_t)
    if ri is not None and batch_dims < 0:
        batch_dims += ri
    if rp is not None and a is not None:
        a = as_int("GatherV2", "axis", a)
        if not -rp <= a < rp:
            raise invalid(f"GatherV2: Expected axis in the range [{-rp}, {rp}), but got {a}")
        given, a = a, a % rp
        if a < batch_dims:
            raise ValueError(f"GatherV2: batch_dims ({batch_dims}) must be less than or equal "
                             f"to axis ({a})")
        axis_t = given      # as given, as TF's node keeps it (axis=-2 has a dense gradient)
    if ri is not None and (batch_dims < 0 or batch_dims > ri):
        raise ValueError(f"GatherV2: batch_dims ({batch_dims}) must be less than or equal to "
                         f"rank(indices) ({ri})")
    if batch_dims and rp is not None and ri is not None:
        for i in range(batch_dims):
            if not TensorShape([params.shape[i]]).is_compatible_with([indices.shape[i]]):
                raise ValueError(f"GatherV2: params.shape[:{batch_dims}] and "
                                 f"indices.shape[:{batch_dims}] must match, got {params.shape} "
                                 f"and {indices.shape}")
    axis_t = convert_to_tensor(axis_t) if not isinstance(axis_t, Tensor) else axis_t
    return execute("GatherV2", [params, indices, axis_t], {"batch_dims": batch_dims},
                   name=name)[0]


@gradient("GatherV2")
def _gather_grad(op, dy):
    """along axis 0: IndexedSlices(dy's rows, indices, shape(params)), as TF; else dy scattered
    (added) into zeros of params' shape"""
    params, indices, axis = op.inputs
    batch_dims = op.get_attr("batch_dims")
    if batch_dims == 0 and _is_zero(axis):
        return slices_grad(params, indices, dy), None, None
    attrs = {"batch_dims": batch_dims}
    return execute("GatherGrad", [dy, params, indices, axis], attrs)[0], None, None


def _is_zero(axis):
    a = constant_value(axis)
    return a is not None and np.ndim(a) == 0 and int(a) == 0


def slices_grad(params, indices, dy):
    """The gradient of params[indices] (gather along axis 0): dy's rows at the flat indices."""
    if type(dy) is EagerTensor and type(indices) is EagerTensor:
        i = indices._value
        tail = params.shape.dims[1:]
        values = reshape(dy, [i.size] + tail)
        flat = reshape(indices, [i.size])
        dense_shape = EagerTensor(np.array([params.shape[0]] + tail, np.int32), dtypes.int32)
        return IndexedSlices(values, flat, dense_shape)
    params_shape = shape(params, dtypes.int32)
    n, dims = indices.shape.num_elements(), params.shape.dims
    if n is not None and dims is not None and None not in dims[1:]:    # static, as TF's
        return IndexedSlices(reshape(dy, [n] + dims[1:]), reshape(indices, [n]), params_shape)
    size = reshape(reduce_prod(shape(indices, dtypes.int32)), [1])
    values = reshape(convert_to_tensor(dy), concat([size, params_shape[1:]], 0))
    if dims is not None and not isinstance(values, EagerTensor):
        values.set_shape([None] + dims[1:])      # what TF's reshape infers from the shape's parts
    return IndexedSlices(values, reshape(indices, size), params_shape)


@gradient("GatherGrad")
def _gather_grad_grad(op, dy):
    """gather(dy) at the same indices"""
    _, params, indices, axis = op.inputs
    return gather(dy, indices, axis=axis, batch_dims=op.get_attr("batch_dims")), None, None, None


def _nd_index(indices, shape, op_type):
    """The rows of indices[..., k] as a tuple of index arrays into the first k dims of shape."""
    k = indices.shape[-1]
    if k > len(shape):
        raise ValueError(f"{op_type}: index innermost dimension {k} exceeds the rank "
                         f"{len(shape)} of the indexed tensor")
    flat = indices.reshape(-1, k)
    bad = ((flat < 0) | (flat >= np.array(shape[:k], dtype=np.int64))).any(axis=1)
    if bad.any():                           # TF's words: the whole row, the shape it misses
        i = int(np.argmax(bad))
        pos = ",".join(str(int(p)) for p in np.unravel_index(i, indices.shape[:-1])) or "0"
        row = ", ".join(str(int(v)) for v in flat[i])
        into = "param shape" if op_type == "GatherNd" else "shape"
        dims = ",".join(str(d) for d in shape)
        raise ValueError(f"{op_type}: indices[{pos}] = [{row}] does not index into {into} [{dims}]")
    return tuple(flat.T), flat.shape[0]


def _gather_nd_kernel(params, indices):
    idx, n = _nd_index(indices, params.shape, "GatherNd")
    k = indices.shape[-1]
    rows = params[idx] if k else np.broadcast_to(params, (n,) + params.shape)
    return rows.reshape(indices.shape[:-1] + params.shape[k:])


def _gather_nd_infer(inputs, attrs):
    params, indices = inputs
    pd, idd = params.shape.dims, indices.shape.dims
    if pd is None or idd is None or idd[-1] is None:
        return [(params.dtype, TensorShape(None))]
    if idd[-1] > len(pd):
        raise ValueError(f"GatherNd: index innermost dimension {idd[-1]} exceeds the rank "
                         f"{len(pd)} of params (shapes {params.shape}, {indices.shape})")
    return [(params.dtype, TensorShape(idd[:-1] + pd[idd[-1]:]))]


register_kernel("GatherNd", _gather_nd_kernel, infer=_gather_nd_infer)


def gather_nd(params, indices, batch_dims=0, name=None):
    """params at the index tuples in the last axis of indices: out[i...] = params[indices[i...]];
    with batch_dims = b, the first b axes of params and indices are matched up:
    out[b..., i...] = params[b..., indices[b..., i...]]."""
    params = convert_to_tensor(params)
    indices = int_tensor(indices, "GatherNd", "indices")
    if indices.shape.rank == 0:
        raise ValueError("GatherNd: indices must be at least a vector")
    b = as_int("GatherNd", "batch_dims", batch_dims)
    if b == 0:
        return execute("GatherNd", [params, indices], name=name)[0]
    rp, ri = params.shape.rank, indices.shape.rank
    if b < 0 or (ri is not None and b >= ri) or (rp is not None and b >= rp):
        raise ValueError(f"GatherNd: batch_dims ({b}) must be non-negative and less than the "
                         f"ranks of params ({rp}) and indices ({ri})")
    if rp is not None and ri is not None and not TensorShape(params.shape.dims[:b]) \
            .is_compatible_with(TensorShape(indices.shape.dims[:b])):
        raise ValueError(f"GatherNd: params.shape[:{b}] and indices.shape[:{b}] must match, got "
                         f"{params.shape} and {indices.shape}")
    return _batch_gather_nd(params, indices, b, name)


def _batch_gather_nd(params, indices, b, name):
    """The batch axes merged into one of size nb, each index row prefixed with its batch
    position, one plain GatherNd, then the batch axes split again (its gradient, scatter_nd
    into zeros, is batch-aware through the prefixed positions)."""
    ps, ids = shape(params, indices.dtype), shape(indices, indices.dtype)
    nb = reduce_prod(ids[:b], keepdims=True)
    m = reduce_prod(ids[b:-1], keepdims=True)
    flat_params = reshape(params, concat([nb, ps[b:]], 0))
    flat_indices = reshape(indices, concat([nb, m, ids[-1:]], 0))          # [nb, m, k]
    pos = reshape(range_(nb[0], dtype=indices.dtype), [-1, 1, 1])
    pos = broadcast_to(pos, concat([nb, m, [1]], 0))
    out = execute("GatherNd", [flat_params, concat([pos, flat_indices], -1)])[0]
    result = reshape(out, concat([ids[:-1], shape(out, indices.dtype)[2:]], 0), name=name)
    # the static shape, as far as it is known
    pd, idd = params.shape.dims, indices.shape.dims
    if pd is not None and idd is not None and idd[-1] is not None and result.shape.rank is None:
        result.set_shape(idd[:-1] + pd[b + idd[-1]:])
    return result


@gradient("GatherNd")
def _gather_nd_grad(op, dy):
    """scatter_nd(indices, dy, shape(params))"""
    params, indices = op.inputs
    return scatter_nd(indices, dy, shape(params, indices.dtype)), None


def _scatter_nd_kernel(indices, updates, shape):
    out = np.zeros(tuple(shape.tolist()), updates.dtype)
    idx, n = _nd_index(indices, out.shape, "ScatterNd")
    k = indices.shape[-1]
    want = indices.shape[:-1] + out.shape[k:]
    if updates.shape != want:
        raise ValueError(f"ScatterNd: updates must have shape {list(want)} (indices.shape[:-1] "
                         f"+ shape[{k}:]), got {list(updates.shape)}")
    rows = updates.reshape((n,) + out.shape[k:])
    if k:
        np.add.at(out, idx, rows)
    else:
        out += rows.sum(axis=0, dtype=out.dtype)
    return out


def _scatter_nd_infer(inputs, attrs):
    return [(inputs[1].dtype, TensorShape(shape_entries(inputs[2])))]


register_kernel("ScatterNd", _scatter_nd_kernel, infer=_scatter_nd_infer)


def scatter_nd(indices, updates, shape, name=None):
    """Zeros of `shape` with updates added at the index tuples in the last axis of `indices`."""
    indices = int_tensor(indices, "ScatterNd", "indices")
    shape = int_tensor(shape, "ScatterNd", "shape")
    if shape.dtype is not indices.dtype:
        shape = cast(shape, indices.dtype)
    return execute("ScatterNd", [indices, convert_to_tensor(updates), shape], name=name)[0]


@gradient("ScatterNd")
def _scatter_nd_grad(op, dy):
    """gather_nd(dy, indices) for the updates"""
    return None, gather_nd(dy, op.inputs[0]), None


def _one_hot_kernel(indices, depth, on_value, off_value, *, axis):
    d = int(depth)
    if d < 0:
        raise ValueError(f"OneHot: depth must be non-negative, got {d}")
    hot = indices[..., None] == np.arange(d)      # out-of-range indices give all-off rows
    out = np.where(hot, on_value, off_value).astype(on_value.dtype, copy=False)
    return out if axis == -1 else np.moveaxis(out, -1, axis)


def _one_hot_infer(inputs, attrs):
    indices, depth, on_value = inputs[0], inputs[1], inputs[2]
    d = constant_value(depth)
    dims = indices.shape.dims
    if dims is None:
        return [(on_value.dtype, TensorShape(None))]
    axis = attrs["axis"]
    dims.insert(len(dims) if axis == -1 else axis, None if d is None else int(d))
    return [(on_value.dtype, TensorShape(dims))]


register_kernel("OneHot", _one_hot_kernel, infer=_one_hot_infer)
not_differentiable("OneHot")   # TF: None for every input


def one_hot(indices, depth, on_value=None, off_value=None, axis=None, dtype=None, name=None):
    """out[..., i, ...] = on_value where i == indices[...], else off_value; the new axis of
    size `depth` goes at `axis` (last by default). dtype: float32 unless given or implied by
    on_value / off_value."""
    indices = convert_to_tensor(indices)
    if indices.dtype not in (dtypes.uint8, dtypes.int32, dtypes.int64):
        raise TypeError(f"OneHot: indices must be uint8, int32 or int64, got "
                        f"{indices.dtype.name}")
    dtype = None if dtype is None else dtypes.as_dtype(dtype)
    on = None if on_value is None else convert_to_tensor(on_value, dtype_hint=dtype)
    off = None if off_value is None else convert_to_tensor(off_value, dtype_hint=dtype)
    if dtype is None:
        dtype = on.dtype if on is not None else off.dtype if off is not None else dtypes.float32
    on = constant(1, dtype) if on is None else on
    off = constant(0, dtype) if off is None else off
    if on.dtype is not dtype or off.dtype is not dtype:
        raise TypeError(f"OneHot: on_value ({on.dtype.name}) and off_value ({off.dtype.name}) "
                        f"must both have dtype {dtype.name}")
    axis = -1 if axis is None else int(axis)
    rank = indices.shape.rank
    if axis < -1 or (rank is not None and axis > rank):
        raise ValueError(f"OneHot: Expected axis to be -1 or between [0, {rank}], but got {axis}")
    depth = int_tensor(depth, "OneHot", "depth")
    return execute("OneHot", [indices, depth, on, off], {"axis": axis},
                   name="one_hot" if name is None else name)[0]


def boolean_mask(tensor, mask, axis=None, name="boolean_mask"):
    """The entries of `tensor` where `mask` (a bool tensor matching tensor's dims from `axis`)
    is True, flattened along those dims; built from reshape, where and gather as in TF."""
    tensor = convert_to_tensor(tensor)
    mask = convert_to_tensor(mask)
    if not mask.dtype.is_bool:
        raise TypeError(f"boolean_mask: mask must be a bool tensor, got {mask.dtype.name}")
    m = mask.shape.rank
    if m is None:
        raise ValueError("boolean_mask: Number of mask dimensions must be specified, even if "
                         "some dimensions are None.  E.g. shape=[None] is ok, but shape=None is "
                         "not.")
    if m == 0:
        raise ValueError("boolean_mask: mask cannot be scalar.")
    axis = 0 if axis is None else as_int("boolean_mask", "axis", axis)
    r = tensor.shape.rank
    if r is not None:
        axis %= max(r, 1)
        if axis + m > r or not tensor.shape[axis:axis + m].is_compatible_with(mask.shape):
            raise ValueError(f"boolean_mask: mask of shape {mask.shape} does not match the "
                             f"shape {tensor.shape} of tensor from axis {axis}")
    with op_scope(name, "boolean_mask"):
        dims = tensor.shape.dims
        if dims is not None and all(d is not None for d in dims):
            flat_shape = dims[:axis] + [-1] + dims[axis + m:]
        else:
            full = shape(tensor)
            flat_shape = concat([full[:axis], [-1], full[axis + m:]], 0)
        flat = reshape(tensor, flat_shape)
        keep = squeeze(where(reshape(mask, [-1])), axis=[1])
        return gather(flat, keep, axis=axis)


# -- slicing: Tensor.__getitem__ ---------------------------------------------------------------

class _Input:
    """A place in a slicing key filled at run time by the op's k-th index input (a scalar
    integer tensor whose value is unknown when the graph is built)."""
    __slots__ = ("k",)

    def __init__(self, k):
        self.k = k

    def __repr__(self):
        return f"<index input {self.k}>"


def _normalize_key(key):
    """(key, index tensors): the key as a tuple of ints, slices, None (newaxis), Ellipsis and
    _Input places for the scalar index tensors whose value is only known at run time."""
    if not isinstance(key, tuple):
        key = (key,)
    out, inputs = [], []
    for k in key:
        if k is None or k is Ellipsis:
            out.append(k)
        elif isinstance(k, slice):
            parts = [_index_int(v, inputs) for v in (k.start, k.stop, k.step)]
            if parts[2] == 0:
                raise ValueError("slice step cannot be zero")
            out.append(slice(*parts))
        elif is_tensor_like(k) or isinstance(k, (int, np.integer)):
            out.append(_index_int(k, inputs))
        else:
            raise TypeError("Only integers, slices (`:`), ellipsis (`...`), tf.newaxis (`None`) "
                            "and scalar tf.int32/tf.int64 tensors are valid indices, got "
                            f"{short_repr(k)}")
    if sum(k is Ellipsis for k in out) > 1:
        raise ValueError("An index can only have a single ellipsis ('...')")
    return tuple(out), inputs


def _index_int(v, inputs):
    if v is None:
        return None
    if hasattr(v, "_as_tensor"):
        v = v._as_tensor(None)
    if isinstance(v, Tensor):
        if not v.dtype.is_integer or (v.shape.rank is not None and v.shape.rank != 0):
            raise TypeError(f"Only scalar integer tensors are valid indices, got {short_repr(v)}")
        value = constant_value(v)
        if value is None:
            inputs.append(v)
            return _Input(len(inputs) - 1)
        v = value
    if isinstance(v, np.ndarray):
        if v.ndim != 0 or v.dtype.kind not in "iu":
            raise TypeError(f"Only scalar integer tensors are valid indices, got {short_repr(v)}")
        v = v.item()
    if isinstance(v, bool) or not isinstance(v, (int, np.integer)):
        raise TypeError(f"Only integers, slices, ellipsis, tf.newaxis and scalar integer tensors "
                        f"are valid indices, got {short_repr(v)}")
    return int(v)


def _fill_key(key, values):
    """The key with each _Input place replaced by the run-time value of its index input."""
    if not values:
        return key

    def fill(v):
        return int(values[v.k]) if isinstance(v, _Input) else v
    return tuple(slice(fill(k.start), fill(k.stop), fill(k.step)) if isinstance(k, slice)
                 else fill(k) for k in key)


def _slice_shape(dims, key):
    n_real = sum(1 for k in key if k is not None and k is not Ellipsis)
    if n_real > len(dims):
        raise ValueError(f"Index out of range: {n_real} indices for a tensor of rank {len(dims)}")
    if Ellipsis in key:
        i = key.index(Ellipsis)
        key = key[:i] + (slice(None),) * (len(dims) - n_real) + key[i + 1:]
    else:
        key = key + (slice(None),) * (len(dims) - n_real)
    out, d = [], 0
    for k in key:
        if k is None:
            out.append(1)
            continue
        n = dims[d]
        d += 1
        if isinstance(k, int):
            if n is not None and not -n <= k < n:
                raise ValueError(f"slice index {k} of dimension {d - 1} out of bounds (size {n})")
        elif isinstance(k, slice):
            dynamic = any(isinstance(v, _Input) for v in (k.start, k.stop, k.step))
            out.append(None if n is None or dynamic else len(range(*k.indices(n))))
    return out


def _strided_slice_infer(inputs, attrs):
    dims = inputs[0].shape.dims
    if dims is None:
        return [(inputs[0].dtype, TensorShape(None))]
    return [(inputs[0].dtype, TensorShape(_slice_shape(dims, attrs["key"])))]


def _strided_slice_kernel(x, *index, key):
    try:
        out = x[_fill_key(key, index)]
    except IndexError as e:
        raise ValueError(f"slice out of bounds: {e}") from None
    return np.array(out) if not isinstance(out, np.ndarray) else out


register_kernel("StridedSlice", _strided_slice_kernel, infer=_strided_slice_infer)


def _slice_grad_kernel(dy, x, *index, key):
    out = np.zeros(np.shape(x), dy.dtype)
    key = _fill_key(key, index)
    out[key] = dy.reshape(out[key].shape)
    return out


register_kernel("StridedSliceGrad", _slice_grad_kernel, infer=fixed(shape=lambda i, a: i[1].shape))


def strided_slice_key(x, key, index=(), name=None):
    """x[key] for a normalized key and its index tensors (see _normalize_key)."""
    x = convert_to_tensor(x)
    if x.shape.rank is not None:
        _slice_shape(x.shape.dims, key)   # errors surface when the graph is built
    return execute("StridedSlice", [x, *index], {"key": key}, name=name)[0]


def getitem(tensor, key):
    """tensor[key] (named "strided_slice" in a graph, as TF names it)."""
    key, index = _normalize_key(key)
    return strided_slice_key(tensor, key, index, "strided_slice")


@gradient("StridedSlice")
def _strided_slice_grad(op, dy):
    """zeros of x's shape with dy placed at the slice"""
    x, *index = op.inputs
    grad = execute("StridedSliceGrad", [dy, x, *index], {"key": op.get_attr("key")})[0]
    return [grad] + [None] * len(index)


@gradient("StridedSliceGrad")
def _strided_slice_grad_grad(op, dy):
    """the slice of dy"""
    grad_in, _, *index = op.inputs
    sliced = strided_slice_key(dy, op.get_attr("key"), index)
    return [reshape_like(sliced, grad_in), None] + [None] * len(index)
