"""Variable ops. A variable is a `Resource` (its value and a lock); its handle tensor carries
the resource, and reads and assigns are ops on that handle, so their order follows the graph and
the gradient with respect to a variable is the gradient with respect to its handle.
"""
import sys
import threading

import numpy as np

from ..framework import dtypes
from ..framework.errors import FailedPreconditionError
from ..framework.shape import TensorShape
from .registry import gradient, not_differentiable, register_kernel


class Resource:
    """The storage of one variable. Values are replaced, never written in place, so a value
    read earlier stays what it was (TF's snapshot semantics) without a copy."""
    __slots__ = ("name", "dtype", "shape", "value", "lock", "__weakref__")

    def __init__(self, name, dtype, shape):
        self.name = name
        self.dtype = dtype
        self.shape = shape            # the static TensorShape (None dims allowed)
        self.value = None
        self.lock = threading.Lock()

    def read(self):
        v = self.value
        if v is None:
            raise FailedPreconditionError(
                f"Attempting to use uninitialized value {self.name}: run its initializer "
                "(tf.compat.v1.global_variables_initializer()) first")
        return v

    def check(self, value, what):
        value = np.asarray(value)
        if value.dtype != self.dtype.np:
            raise TypeError(f"{what} of variable {self.name}: expected dtype {self.dtype.name}, "
                            f"got {value.dtype}")
        if not self.shape.is_compatible_with(value.shape):
            raise ValueError(f"{what} of variable {self.name}: cannot assign a value of shape "
                             f"{list(value.shape)} to a variable of shape {self.shape}")
        return value

    # a resource tensor is a scalar handle, whatever the variable's shape
    ndim = 0
    size = 1
    nbytes = 0                  # no array of its own: tape records always keep a handle


def _handle_kernel(*, resource):
    return resource


def _read_kernel(handle, *, dtype, shape):
    return handle.read()


def _assign_kernel(handle, value):
    value = handle.check(value, "Assign")
    with handle.lock:
        handle.value = value
    return []


def _assign_add_kernel(handle, delta):
    _update(handle, delta, np.add, "AssignAdd")
    return []


def _assign_sub_kernel(handle, delta):
    _update(handle, delta, np.subtract, "AssignSub")
    return []


def _update(handle, delta, ufunc, what):
    """value = ufunc(value, delta), in place when no tensor shares the array (then nobody can
    see the change, and an optimizer step allocates nothing); else a new array, so that earlier
    reads keep their values. The result is checked before the variable changes."""
    delta = handle.check(delta, what)
    with handle.lock:
        value = handle.read()
        if (sys.getrefcount(value) == _PRIVATE and value.flags.writeable and (
                delta.shape == value.shape
                or value.shape == np.broadcast_shapes(value.shape, delta.shape))):
            ufunc(value, delta, out=value)
        else:
            handle.value = handle.check(ufunc(value, delta), what)


# references to a variable's array when only the variable holds it: the Resource's attribute,
# the local name in _update and getrefcount's own argument
_PRIVATE = 3


def _is_initialized_kernel(handle):
    return np.array(handle.value is not None)


register_kernel("VarHandleOp", _handle_kernel,
                infer=lambda i, a: [(dtypes.resource, TensorShape([]))])
register_kernel("ReadVariableOp", _read_kernel,
                infer=lambda i, a: [(a["dtype"], a["shape"])])
register_kernel("AssignVariableOp", _assign_kernel, multi=True, side_effect=True,
                infer=lambda i, a: [])
register_kernel("AssignAddVariableOp", _assign_add_kernel, multi=True, side_effect=True,
                infer=lambda i, a: [])
register_kernel("AssignSubVariableOp", _assign_sub_kernel, multi=True, side_effect=True,
                infer=lambda i, a: [])
register_kernel("VarIsInitializedOp", _is_initialized_kernel,
                infer=lambda i, a: [(dtypes.bool, TensorShape([]))])
not_differentiable("VarHandleOp", "AssignVariableOp", "AssignAddVariableOp",
                   "AssignSubVariableOp", "VarIsInitializedOp")


# the record keeps the handle (no array of its own: the variable holds the value), so that
# draw and gradient-block errors can name the variable
@gradient("ReadVariableOp", inputs=(0,), outputs=())
def _read_grad(op, dy):
    """dy flows to the handle: the gradient w.r.t. the variable"""
    return dy
