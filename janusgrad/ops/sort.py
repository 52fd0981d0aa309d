"""top_k, sort and argsort (issue 18: the gaps the TF programs found).

As in TF, sort and argsort are top_k along the last axis (the sorted axis moved there and back),
ascending being the descending sort of a reversed order (-x for floats, -x - 1 for signed
integers, max - x for unsigned ones); so NaN sorts first both ways and equal values keep their
order (top_k is stable), as in TF, and the gradient of sort is top_k's: dy put back where each
value came from.
"""
import collections

import numpy as np

from ..framework import dtypes
from ..framework.errors import InvalidArgumentError
from ..framework.execute import execute
from ..framework.registry import gradient, register_kernel
from ..framework.shape import TensorShape
from ..framework.tensor import convert_to_tensor
from .array import expand_dims, shape, transpose
from .control import op_scope
from .define import as_int
from .indexing import one_hot
from .math import negative, subtract
from .reduce import reduce_sum

TopKV2 = collections.namedtuple("TopKV2", ["values", "indices"])


def _top_k_kernel(x, *, k, sorted):  # noqa: A002 (TF's attribute)
    # descending, ties by lower index, NaN first: lexsort's last key is the primary one
    reverse = -x if x.dtype.kind in "fc" else ~x     # ~x: -x - 1 for ints, max - x unsigned
    order = np.lexsort((reverse, ~np.isnan(x)) if x.dtype.kind in "fc" else (reverse,), axis=-1)
    idx = (order if k is None else order[..., :k]).astype(np.int32)   # k None: the whole axis
    return np.take_along_axis(x, idx, axis=-1), idx


def _top_k_infer(inputs, attrs):
    x = inputs[0]
    dims = x.shape.dims
    k = attrs["k"]
    s = TensorShape(None if dims is None else dims[:-1] + [dims[-1] if k is None else k])
    return [(x.dtype, s), (dtypes.int32, s)]


register_kernel("TopKV2", _top_k_kernel, multi=True, infer=_top_k_infer)


@gradient("TopKV2", inputs=(), outputs=(1,))
def _top_k_grad(op, dvalues, dindices):
    """Each dvalue goes back to the position its value came from (a one-hot sum: k x n)."""
    x = op.inputs[0]
    n = x.shape[-1] if x.shape.rank is not None else None
    if n is None:
        n = shape(x)[-1]
    hot = one_hot(op.outputs[1], n, dtype=dvalues.dtype)          # [..., k, n]
    return reduce_sum(hot * expand_dims(dvalues, -1), axis=-2)


def top_k(input, k=1, sorted=True, index_type=dtypes.int32, name=None):  # noqa: A002
    """(values, indices) of the k largest entries along the last axis, largest first (ties:
    the lower index first)."""
    x = convert_to_tensor(input)
    if not (x.dtype.is_floating or x.dtype.is_integer):
        raise TypeError(f"TopKV2: input must be a real number type, got {x.dtype.name}")
    if dtypes.as_dtype(index_type) is not dtypes.int32:
        raise NotImplementedError("top_k: only index_type=int32 is supported")
    k = as_int("TopKV2", "k", k)
    dims = x.shape.dims
    if dims is not None and not dims:
        raise ValueError("TopKV2: input must be at least rank 1, got a scalar")
    if k < 0:
        raise InvalidArgumentError(f"TopKV2: Need k >= 0, got {k}")
    if dims is not None and dims[-1] is not None and dims[-1] < k:
        raise InvalidArgumentError(f"TopKV2: input must have at least k={k} columns, had "
                                   f"{dims[-1]}")
    values, indices = execute("TopKV2", [x], {"k": k, "sorted": bool(sorted)}, name=name)
    return TopKV2(values, indices)


_DIRECTIONS = ("ASCENDING", "DESCENDING")


def _sort_or_argsort(public, values, axis, direction, indices, name):
    if direction not in _DIRECTIONS:
        raise ValueError(f"Argument `direction` should be one of {', '.join(_DIRECTIONS)}. "
                         f"Received: direction={direction}")
    axis = as_int(public, "axis", axis)
    x = convert_to_tensor(values)
    if x.dtype.is_bool or not (x.dtype.is_floating or x.dtype.is_integer):
        raise TypeError(f"{public}: values must be a real number type, got {x.dtype.name}")
    r = x.shape.rank
    if r is None and axis != -1:
        raise ValueError(f"{public}: the rank of values must be known to sort along axis "
                         f"{axis} (it need not be for axis -1)")
    if r is not None and (not -r <= axis < max(r, 1) or r == 0):
        raise InvalidArgumentError(f"{public}: axis {axis} is out of bounds for values of "
                                   f"rank {r}")
    axis = axis % r if r is not None else -1
    with op_scope(name, public):
        if direction == "ASCENDING":
            if x.dtype.is_unsigned:
                top = convert_to_tensor(np.iinfo(x.dtype.np).max, x.dtype)
                flip = lambda t: subtract(top, t)             # noqa: E731
            elif x.dtype.is_integer:
                flip = lambda t: subtract(negative(t), 1)     # noqa: E731
            else:
                flip = negative
        else:
            flip = None
        keys = x if flip is None else flip(x)
        perm = None
        if r is not None and axis != r - 1:    # swap the axis with the last one (involution)
            perm = list(range(r))
            perm[axis], perm[-1] = r - 1, axis
            keys = transpose(keys, perm)
        # top_k of the whole last axis (k None: its size, known or not)
        top_values, top_indices = execute("TopKV2", [keys], {"k": None, "sorted": True})
        out = top_indices if indices else top_values
        if perm is not None:
            out = transpose(out, perm)
        return out if indices or flip is None else flip(out)


def sort(values, axis=-1, direction="ASCENDING", name=None):
    """values sorted along `axis` ('ASCENDING' or 'DESCENDING'; NaN first, as TF)."""
    return _sort_or_argsort("sort", values, axis, direction, indices=False, name=name)


def argsort(values, axis=-1, direction="ASCENDING", stable=False, name=None):
    """The int32 indices that sort values along `axis`; always stable (as TF's top_k)."""
    return _sort_or_argsort("argsort", values, axis, direction, indices=True, name=name)
