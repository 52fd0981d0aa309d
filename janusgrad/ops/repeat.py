"""tf.repeat and tf.sequence_mask: composites. repeat gathers along the axis at the indices of
RepeatIndices (np.repeat of 0..n-1), so its gradient is gather's (sums over the copies) and the
repeats may be a tensor known only when a graph runs."""
import numpy as np

from ..framework import dtypes
from ..framework.errors import InvalidArgumentError, short_repr
from ..framework.execute import execute
from ..framework.registry import not_differentiable, register_kernel
from ..framework.shape import TensorShape
from ..framework.tensor import convert_to_tensor
from .array import constant_value, expand_dims, int_tensor, reshape, shape
from .control import op_scope
from .indexing import gather
from .math import cast, less, maximum, range_
from .reduce import reduce_max


def _repeat_counts(n, repeats):
    n = int(n)
    if repeats.ndim > 1:
        raise InvalidArgumentError(f"Repeat: repeats must be a scalar or a vector, not shape "
                                   f"{list(repeats.shape)}")
    if repeats.ndim == 1 and repeats.size not in (1, n):
        raise InvalidArgumentError(f"Repeat: repeats has {repeats.size} entries for an axis of "
                                   f"size {n}")
    # TF repeats an entry a negative number of times zero times
    return np.broadcast_to(np.maximum(repeats.reshape(-1) if repeats.ndim else repeats, 0), (n,))


def _repeat_indices_kernel(n, repeats):
    return np.repeat(np.arange(int(n), dtype=repeats.dtype), _repeat_counts(n, repeats))


def _repeat_indices_infer(inputs, attrs):
    n, repeats = (constant_value(t) for t in inputs)
    if n is None or repeats is None:
        return [(inputs[1].dtype, TensorShape([None]))]
    return [(inputs[1].dtype, TensorShape([int(_repeat_counts(n, np.asarray(repeats)).sum())]))]


register_kernel("RepeatIndices", _repeat_indices_kernel, infer=_repeat_indices_infer)
not_differentiable("RepeatIndices")


def repeat(input, repeats, axis=None, name=None):  # noqa: A002
    """Each entry of `input` along `axis` repeated `repeats` times (repeats: a scalar or one
    count per entry); axis=None repeats the flattened input."""
    input = convert_to_tensor(input)  # noqa: A001
    repeats = int_tensor(repeats, "Repeat", "repeats")
    if repeats.shape.rank is not None and repeats.shape.rank > 1:
        raise ValueError(f"repeat: repeats must be a scalar or a vector, not shape "
                         f"{repeats.shape}")
    if axis is None:
        input, axis = reshape(input, [-1]), 0  # noqa: A001
    rank = input.shape.rank
    if not isinstance(axis, (int, np.integer)) or isinstance(axis, bool):
        raise TypeError(f"repeat: axis must be an int, got {short_repr(axis)}")
    if rank is not None:
        if not -rank <= axis < rank:
            raise ValueError(f"repeat: axis={axis} out of bounds: expected {-rank}<=axis<{rank}")
        axis %= rank
        n = input.shape.dims[axis]
        k = repeats.shape.dims[0] if repeats.shape.rank == 1 else None
        if n is not None and k is not None and k not in (1, n):
            raise ValueError(f"repeat: repeats has {k} entries for an axis of size {n}")
    n = input.shape.dims[axis] if rank is not None and input.shape.dims[axis] is not None \
        else shape(input, out_type=repeats.dtype)[axis]
    n = convert_to_tensor(n, dtype=repeats.dtype)
    return gather(input, execute("RepeatIndices", [n, repeats])[0], axis=axis, name=name)


def sequence_mask(lengths, maxlen=None, dtype=dtypes.bool, name=None):
    """mask[i..., j] = j < lengths[i...], for j in range(maxlen) (maxlen: the longest length
    unless given), as `dtype`."""
    with op_scope(name, "SequenceMask") as name:
        return _sequence_mask(lengths, maxlen, dtype, name)


def _sequence_mask(lengths, maxlen, dtype, name):
    lengths = convert_to_tensor(lengths)
    if maxlen is None:
        maxlen = maximum(reduce_max(lengths), cast(0, lengths.dtype))
    else:
        maxlen = convert_to_tensor(maxlen)
        if maxlen.shape.rank is not None and maxlen.shape.rank != 0:
            raise ValueError(f"sequence_mask: maxlen must be a scalar, got shape "
                             f"{maxlen.shape}")
    row = range_(cast(0, maxlen.dtype), maxlen, cast(1, maxlen.dtype))
    mask = less(row, cast(expand_dims(lengths, -1), maxlen.dtype))
    dtype = dtypes.as_dtype(dtype)
    return mask if dtype is dtypes.bool else cast(mask, dtype, name=name)
