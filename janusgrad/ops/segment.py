"""Grouping rows: UnsortedSegmentSum (tf.math.unsorted_segment_sum), the op that densifies
IndexedSlices, so its gradient (gather at the segment ids) is how gradients flow back through a
densified slice; Unique (tf.unique), with which TF1's optimizers sum a sparse gradient's
repeated rows before a sparse update.
"""
import collections

import numpy as np

from ..framework.errors import InvalidArgumentError
from ..framework.execute import execute
from ..framework import dtypes
from ..framework.registry import gradient, not_differentiable, register_kernel
from ..framework.shape import TensorShape
from ..framework.tensor import convert_to_tensor
from .array import (concat, constant_value, expand_dims, identity, int_tensor, ones_like, rank,
                    reshape, shape, zeros_like)
from .control import op_scope
from .indexing import gather
from .math import cast, divide, equal, greater, greater_equal, maximum, where_v2


def _unsorted_segment_sum_kernel(data, segment_ids, num_segments):
    if num_segments.ndim != 0:
        raise InvalidArgumentError(f"UnsortedSegmentSum: num_segments should be a scalar, not "
                                   f"shape {list(num_segments.shape)}")
    n = int(num_segments)
    if n < 0:
        raise InvalidArgumentError(f"UnsortedSegmentSum: Input num_segments == {n} must not be "
                                   "negative.")
    k = segment_ids.ndim
    if data.shape[:k] != segment_ids.shape:
        raise InvalidArgumentError(f"UnsortedSegmentSum: data.shape = {list(data.shape)} does not "
                                   f"start with segment_ids.shape = {list(segment_ids.shape)}")
    out = np.zeros((n,) + data.shape[k:], data.dtype)
    ids = segment_ids.reshape(-1)
    rows = data.reshape((ids.size,) + data.shape[k:])
    if ids.size and ids.max() >= n:
        i = int(np.argmax(ids >= n))
        raise InvalidArgumentError(f"UnsortedSegmentSum: segment_ids[{i}] = {ids[i]} is out of "
                                   f"range [0, {n})")
    keep = ids >= 0                     # negative ids are dropped, as TF
    if not keep.all():
        ids, rows = ids[keep], rows[keep]
    np.add.at(out, ids, rows)
    return out


def _unsorted_segment_sum_infer(inputs, attrs):
    data, ids, n = inputs
    dd, idd = data.shape.dims, ids.shape.rank
    if dd is None or idd is None:
        return [(data.dtype, TensorShape(None))]
    if idd > len(dd) or not TensorShape(dd[:idd]).is_compatible_with(ids.shape):
        raise ValueError(f"UnsortedSegmentSum: data.shape = {data.shape} does not start with "
                         f"segment_ids.shape = {ids.shape}")
    value = constant_value(n)
    first = None if value is None or np.ndim(value) else int(value)
    return [(data.dtype, TensorShape([first] + dd[idd:]))]


register_kernel("UnsortedSegmentSum", _unsorted_segment_sum_kernel,
                infer=_unsorted_segment_sum_infer)


def unsorted_segment_sum(data, segment_ids, num_segments, name=None):
    """out[i, ...] = the sum of data[j..., ...] over j... with segment_ids[j...] == i (rows
    whose id is negative are dropped)."""
    data = convert_to_tensor(data)
    ids = int_tensor(segment_ids, "UnsortedSegmentSum", "segment_ids")
    n = int_tensor(num_segments, "UnsortedSegmentSum", "num_segments")
    if n.shape.rank not in (None, 0):
        raise ValueError(f"UnsortedSegmentSum: num_segments should be a scalar, not shape "
                         f"{n.shape}")
    return execute("UnsortedSegmentSum", [data, ids, n], name=name)[0]


@gradient("UnsortedSegmentSum", inputs=(1,), outputs=())
def _unsorted_segment_sum_grad(op, dy):
    """gather(dy, segment_ids), zero for the rows with a negative id"""
    ids = op.inputs[1]
    rows = gather(dy, maximum(ids, zeros_like(ids)))
    keep = greater_equal(ids, zeros_like(ids))
    rank_rest = rows.shape.rank - ids.shape.rank if rows.shape.rank is not None and \
        ids.shape.rank is not None else None
    if rank_rest is None:       # (rank unknown when the graph is built: reshape to broadcast)
        rest = ones_like(shape(rows))[rank(ids):]
        keep = reshape(keep, concat([shape(ids), rest], 0))
    else:
        for _ in range(rank_rest):
            keep = expand_dims(keep, -1)
    return where_v2(keep, rows, zeros_like(rows)), None, None



def _unique_kernel(x, *, out_idx):
    if x.ndim != 1:
        raise InvalidArgumentError("Unique: unique expects a 1D vector.")
    values, first, inverse = np.unique(x, return_index=True, return_inverse=True)
    order = np.argsort(first, kind="stable")        # TF's order: of first appearance
    rank = np.empty_like(order)
    rank[order] = np.arange(order.size)
    return [values[order], rank[inverse.reshape(-1)].astype(out_idx.np)]


def _unique_infer(inputs, attrs):
    x = inputs[0]
    if x.shape.rank not in (None, 1):
        raise ValueError(f"Unique: Shape must be rank 1 but is rank {x.shape.rank}")
    return [(x.dtype, TensorShape([None])), (attrs["out_idx"], x.shape)]


register_kernel("Unique", _unique_kernel, infer=_unique_infer, multi=True)
not_differentiable("Unique")

UniqueOutput = collections.namedtuple("Unique", ["y", "idx"])


def unique(x, out_idx=dtypes.int32, name=None):
    """(y, idx): the distinct entries of the vector x in order of first appearance, and where
    each entry of x is in y (x == gather(y, idx))."""
    x = convert_to_tensor(x)
    out_idx = dtypes.as_dtype(out_idx)
    if out_idx not in (dtypes.int32, dtypes.int64):
        raise TypeError(f"Unique: out_idx must be int32 or int64, got {out_idx.name}")
    return UniqueOutput(*execute("Unique", [x], {"out_idx": out_idx}, name=name))


# -- unsorted segment max / min / prod, mean ------------------------------------------------
# One kernel for the three reductions: rows with a negative id are dropped, an empty segment
# holds the reduction's identity (the dtype's lowest value for max, highest for min, 1 for prod)

def _identity(dtype, how):
    if how == "prod":
        return 1
    info = np.finfo(dtype) if dtype.kind in "fc" else np.iinfo(dtype)
    return info.min if how == "max" else info.max


def _segment_reduce(op_type, ufunc, how):
    def kernel(data, segment_ids, num_segments):
        if num_segments.ndim != 0:
            raise InvalidArgumentError(f"{op_type}: num_segments should be a scalar, not shape "
                                       f"{list(num_segments.shape)}")
        n = int(num_segments)
        if n < 0:
            raise InvalidArgumentError(f"{op_type}: Input num_segments == {n} must not be "
                                       "negative.")
        k = segment_ids.ndim
        if data.shape[:k] != segment_ids.shape:
            raise InvalidArgumentError(f"{op_type}: data.shape = {list(data.shape)} does not "
                                       f"start with segment_ids.shape = "
                                       f"{list(segment_ids.shape)}")
        ids = segment_ids.reshape(-1)
        rows = data.reshape((ids.size,) + data.shape[k:])
        if ids.size and ids.max() >= n:
            i = int(np.argmax(ids >= n))
            raise InvalidArgumentError(f"{op_type}: segment_ids[{i}] = {ids[i]} is out of "
                                       f"range [0, {n})")
        out = np.full((n,) + data.shape[k:], _identity(data.dtype, how), data.dtype)
        keep = ids >= 0
        ufunc.at(out, ids[keep], rows[keep])
        return out

    def infer(inputs, attrs):
        return _unsorted_segment_sum_infer(inputs, attrs)

    register_kernel(op_type, kernel, infer=infer)

    def public(data, segment_ids, num_segments, name=None):
        data = convert_to_tensor(data)
        ids = int_tensor(segment_ids, op_type, "segment_ids")
        n = int_tensor(num_segments, op_type, "num_segments")
        if n.shape.rank not in (None, 0):
            raise ValueError(f"{op_type}: num_segments should be a scalar, not shape "
                             f"{n.shape}")
        if data.dtype.is_complex or data.dtype.is_bool or data.dtype == dtypes.string:
            raise TypeError(f"{op_type}: data must be a real number tensor, got "
                            f"{data.dtype.name}")
        return execute(op_type, [data, ids, n], name=name)[0]
    public.__name__ = public.__qualname__ = "unsorted_segment_" + how
    return public


unsorted_segment_max = _segment_reduce("UnsortedSegmentMax", np.maximum, "max")
unsorted_segment_min = _segment_reduce("UnsortedSegmentMin", np.minimum, "min")
unsorted_segment_prod = _segment_reduce("UnsortedSegmentProd", np.multiply, "prod")
unsorted_segment_max.__doc__ = "out[i, ...] = the largest data row with segment id i"
unsorted_segment_min.__doc__ = "out[i, ...] = the smallest data row with segment id i"
unsorted_segment_prod.__doc__ = "out[i, ...] = the product of the data rows with segment id i"


def _broadcast_ids(keep, rows, ids):
    """`keep` (shaped as ids) reshaped to broadcast against `rows` (ids' shape + the rest)"""
    if rows.shape.rank is None or ids.shape.rank is None:
        rest = ones_like(shape(rows))[rank(ids):]
        return reshape(keep, concat([shape(ids), rest], 0))
    for _ in range(rows.shape.rank - ids.shape.rank):
        keep = expand_dims(keep, -1)
    return keep


def _gather_drop_negatives(x, ids):
    """gather(x, ids) with zero rows where the id is negative"""
    rows = gather(x, maximum(ids, zeros_like(ids)))
    keep = _broadcast_ids(greater_equal(ids, zeros_like(ids)), rows, ids)
    return where_v2(keep, rows, zeros_like(rows))


def _min_max_grad(op, dy):
    """dy shared equally among the rows that equal their segment's max (min)"""
    data, ids, n = op.inputs
    chosen = equal(data, gather(op.outputs[0], maximum(ids, zeros_like(ids))))
    count = unsorted_segment_sum(cast(chosen, data.dtype), ids, n)
    share = _gather_drop_negatives(divide(dy, maximum(count, ones_like(count))), ids)
    return where_v2(chosen, share, zeros_like(share)), None, None


gradient("UnsortedSegmentMax", inputs=(0, 1, 2), outputs=(0,))(_min_max_grad)
gradient("UnsortedSegmentMin", inputs=(0, 1, 2), outputs=(0,))(_min_max_grad)


@gradient("UnsortedSegmentProd", inputs=(0, 1, 2), outputs=(0,))
def _unsorted_segment_prod_grad(op, dy):
    """dy * (product of the segment's other rows): out / x, or, for the one zero row of a
    segment, the product of its non-zero rows; zero where a segment has two zeros"""
    data, ids, n = op.inputs
    is_zero = equal(data, zeros_like(data))
    zeros = unsorted_segment_sum(cast(is_zero, dtypes.int32), ids, n)
    dy = where_v2(greater(zeros, ones_like(zeros)), zeros_like(dy), dy)
    nonzero = where_v2(is_zero, ones_like(data), data)
    nonzero_prod = unsorted_segment_prod(nonzero, ids, n)
    clipped = maximum(ids, zeros_like(ids))
    others = where_v2(is_zero, gather(nonzero_prod, clipped),
                      divide(gather(op.outputs[0], clipped), nonzero))
    return _gather_drop_negatives(dy, ids) * others, None, None


def _segment_counts(data, ids, n):
    """how many rows each segment has, shaped to broadcast against a (n, ...) result"""
    count = unsorted_segment_sum(ones_like(ids, dtype=data.dtype), ids, n)
    rest = data.shape.rank - ids.shape.rank if data.shape.rank is not None and \
        ids.shape.rank is not None else None
    if rest is None:
        tail = ones_like(shape(data))[rank(ids):]
        return reshape(count, concat([shape(count), tail], 0))
    for _ in range(rest):
        count = expand_dims(count, -1)
    return count


def unsorted_segment_mean(data, segment_ids, num_segments, name=None):
    """out[i, ...] = the mean of the data rows with segment id i (0 for an empty segment)"""
    data = convert_to_tensor(data)
    ids = int_tensor(segment_ids, "UnsortedSegmentMean", "segment_ids")
    if not (data.dtype.is_floating or data.dtype.is_complex):
        raise TypeError(f"unsorted_segment_mean: data must be a float tensor, got "
                        f"{data.dtype.name}")
    with op_scope(name, "UnsortedSegmentMean"):
        total = unsorted_segment_sum(data, ids, num_segments)
        count = _segment_counts(data, ids, num_segments)
        return divide(total, maximum(count, ones_like(count)))


# -- sorted segment ops: the unsorted ones with num_segments = ids[-1] + 1 -----------------

def _segment_num_kernel(segment_ids):
    if segment_ids.ndim != 1:
        raise InvalidArgumentError(f"Segment: segment_ids should be a vector, not shape "
                                   f"{list(segment_ids.shape)}")
    if segment_ids.size and segment_ids[0] < 0:
        raise InvalidArgumentError(f"Segment: segment_ids[0] = {segment_ids[0]} is negative")
    if np.any(np.diff(segment_ids) < 0):
        raise InvalidArgumentError("Segment: segment ids are not increasing")
    return np.asarray(segment_ids[-1] + 1 if segment_ids.size else 0, segment_ids.dtype)


register_kernel("SegmentNum", _segment_num_kernel,
                infer=lambda i, a: [(i[0].dtype, TensorShape([]))])
not_differentiable("SegmentNum")


def _sorted(op_type, unsorted, empty_zero):
    def public(data, segment_ids, name=None):
        data = convert_to_tensor(data)
        ids = int_tensor(segment_ids, op_type, "segment_ids")
        if ids.shape.rank not in (None, 1):
            raise ValueError(f"{op_type}: segment_ids should be a vector, not shape {ids.shape}")
        with op_scope(name, op_type) as name:       # (TF's one op, named so)
            return _sorted_result(unsorted, empty_zero, data, ids, name)
    public.__name__ = public.__qualname__ = unsorted.__name__.replace("unsorted_", "")
    return public


def _sorted_result(unsorted, empty_zero, data, ids, name):
    n = execute("SegmentNum", [ids])[0]
    if not empty_zero:
        return identity(unsorted(data, ids, n), name=name)
    out = unsorted(data, ids, n)
    # TF's sorted max/min leave an empty segment 0, not the dtype's lowest/highest value
    count = _segment_counts(data, ids, n)
    full = greater(count, zeros_like(count))
    return where_v2(full, out, zeros_like(out), name=name)


segment_sum = _sorted("SegmentSum", unsorted_segment_sum, False)
segment_mean = _sorted("SegmentMean", unsorted_segment_mean, False)
segment_max = _sorted("SegmentMax", unsorted_segment_max, True)
segment_min = _sorted("SegmentMin", unsorted_segment_min, True)
segment_prod = _sorted("SegmentProd", unsorted_segment_prod, False)
segment_sum.__doc__ = "out[i, ...] = the sum of the data rows with id i (ids sorted)"
segment_mean.__doc__ = "out[i, ...] = the mean of the data rows with id i (ids sorted)"
segment_max.__doc__ = "out[i, ...] = the largest data row with id i (ids sorted; 0 if none)"
segment_min.__doc__ = "out[i, ...] = the smallest data row with id i (ids sorted; 0 if none)"
segment_prod.__doc__ = "out[i, ...] = the product of the data rows with id i (ids sorted)"
