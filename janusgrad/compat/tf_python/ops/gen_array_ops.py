"""tensorflow.python.ops.gen_array_ops: TF's generated wrappers, with TF's argument names."""
from ....framework.missing import missing_names as _missing_names
from ....ops import array as _array
from ....ops.array import (concat as _concat, fill, identity, identity_n, ones_like, rank,
                           reshape, shape, size, squeeze, stop_gradient, transpose, zeros_like)
from ....ops.control import check_numerics
from ....ops.indexing import broadcast_to, gather_nd, pad, scatter_nd, tile


def expand_dims(input, axis, name=None):  # noqa: A002
    return _array.expand_dims(input, axis, name=name)


def concat_v2(values, axis, name=None):
    return _concat(values, axis, name=name or "concat")


def pack(values, axis=0, name=None):
    return _array.stack(values, axis, name=name or "stack")


def unpack(value, num, axis=0, name=None):
    return _array.unstack(value, num, axis, name=name or "unstack")


def select_v2(condition, t, e, name=None):
    return _array.where(condition, t, e, name=name)


__getattr__ = _missing_names(__name__)
