"""tf.IndexedSlices: a gradient that is nonzero only in some rows of its variable (what gather's
gradient is, as in TF), kept as (values, indices, dense_shape) so that an embedding table's
gradient costs the size of the rows looked up, not of the table. Repeated indices are not
summed: they add up when the slices are densified (tf.convert_to_tensor, unsorted_segment_sum).
"""
import collections

from ..framework import dtypes
from ..framework.shape import TensorShape
from ..framework.tensor import convert_to_tensor
from .array import concat, constant_value
from .math import add, cast, negative


class IndexedSlices:
    """The dense tensor of shape `dense_shape` that is zero but for rows `indices`, which hold
    `values` (values[i] is the row indices[i]; repeated indices add)."""

    __slots__ = ("_values", "_indices", "_dense_shape")

    def __init__(self, values, indices, dense_shape=None):
        self._values = values
        self._indices = indices
        self._dense_shape = dense_shape

    values = property(lambda self: self._values, doc="the rows, one per index")
    indices = property(lambda self: self._indices, doc="the row of each of values' rows")
    dense_shape = property(lambda self: self._dense_shape, doc="the dense tensor's shape")

    @property
    def dtype(self):
        return self._values.dtype

    @property
    def name(self):
        return self._values.name

    @property
    def device(self):
        return self._values.device

    @property
    def op(self):
        return self._values.op

    @property
    def graph(self):
        return self._values.graph

    @property
    def shape(self):
        """The dense shape, as far as it is known."""
        if self._dense_shape is None:
            return TensorShape(None)
        value = constant_value(self._dense_shape)
        if value is not None:
            return TensorShape([int(d) for d in value])
        return TensorShape(None)

    def __neg__(self):
        return IndexedSlices(negative(self._values), self._indices, self._dense_shape)

    def __str__(self):          # TF's (its repr is Python's default)
        shape = "" if self._dense_shape is None else f", dense_shape={self._dense_shape}"
        return f"IndexedSlices(indices={self._indices}, values={self._values}{shape})"

    def __repr__(self):
        shape = "" if self._dense_shape is None else f", dense_shape={self._dense_shape!r}"
        return f"IndexedSlices(indices={self._indices!r}, values={self._values!r}{shape})"

    def _as_tensor(self, dtype=None):
        """The conversion protocol (tf.convert_to_tensor, any op's argument): dense."""
        return to_dense(self, dtype)


# the value Session.run gives for an IndexedSlices
IndexedSlicesValue = collections.namedtuple("IndexedSlicesValue",
                                            ["values", "indices", "dense_shape"])


def to_dense(slices, dtype=None, name=None):
    """The dense tensor: unsorted_segment_sum of the values at the indices (repeats add)."""
    if dtype is not None and dtypes.as_dtype(dtype) is not slices.dtype:
        raise ValueError(f"Incompatible tensor conversion requested to `dtype` "
                         f"{dtypes.as_dtype(dtype).name} for IndexedSlices ({slices!r}) with "
                         f"dtype {slices.dtype.name}")
    if slices.dense_shape is None:
        raise ValueError(f"Tensor conversion requested for IndexedSlices without dense_shape: "
                         f"{slices!r}")
    from .segment import unsorted_segment_sum     # (segment.py imports gather, which makes these)
    return unsorted_segment_sum(slices.values, slices.indices, slices.dense_shape[0], name=name)




def add_slices(a, b):
    """a + b as the sweep sums gradients (TF's rule): two IndexedSlices concatenate their rows
    (b's first: the sweep meets a later use first, and TF lists the earlier's rows first); with a
    dense tensor the sum is dense."""
    if type(a) is IndexedSlices and type(b) is IndexedSlices:
        ia, ib = a.indices, b.indices
        if ia.dtype is not ib.dtype:        # as TF: mixed index dtypes meet in int64
            ia, ib = cast(ia, dtypes.int64), cast(ib, dtypes.int64)
        indices = concat([ib, ia], 0)
        return IndexedSlices(concat([b.values, a.values], 0), indices, a.dense_shape)
    return add(convert_to_tensor(a), convert_to_tensor(b))

