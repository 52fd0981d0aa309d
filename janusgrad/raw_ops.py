"""tf.raw_ops: ops called by their op type, with keyword arguments only (as TF's).

Only the op types that TF programs reach for by this name are here: `Add`, TF's older op type
for `x + y` (TF2's tf.add and `+` make AddV2), and AddV2 itself.
"""
from .ops.math import add as _add_v2
from .ops.math import add_v1 as _add_v1


def Add(*, x, y, name=None):
    """x + y as an op of type `Add` (numbers and tensors of one dtype)."""
    return _add_v1(x, y, name=name)


def AddV2(*, x, y, name=None):
    """x + y as an op of type `AddV2` (what tf.add makes)."""
    return _add_v2(x, y, name=name)
