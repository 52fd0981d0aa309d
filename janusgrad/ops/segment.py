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
from .array import (concat, constant_value, expand_dims, int_tensor, ones_like, rank, reshape,
                    shape, zeros_like)
from .indexing import gather
from .math import greater_equal, maximum, where_v2


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
