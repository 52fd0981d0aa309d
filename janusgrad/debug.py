"""Debug modes that cost nothing while they are off.

The numerics check finds the first op whose output holds a NaN or an Inf, in the forward pass
or while a gradient is computed, eagerly, in Session.run and inside tf.function:

    janusgrad.debug.enable_numerics_check()     # or: with janusgrad.debug.numerics_check():
    y = tf.math.log(x)                          # x holds a 0 or a negative number ->
    # NumericsError: numerics check: 'Log' produced -Inf in its output, in the forward pass;
    # its inputs [float32[3]] hold no NaN or Inf

While it is on, every kernel in the op table is wrapped by one that checks what the kernel
returns (the table is restored when it is turned off, so the eager hot path is untouched);
Session plans and tf.function plans pick the wrapped kernels up on their next run. Whether an
op ran for a gradient is read from the stack (the one reverse sweep in autodiff/backprop.py
is calling the gradient function of some `node`): when the op fails eagerly, or when a graph op
is created while the check is on (ops built before say "a gradient" when their name scope is
tf.gradients' "gradients").

The switch is process-wide (the op table is shared by all threads); ops registered while it is
on are not checked.
"""
import contextlib
import sys
import threading
import weakref

import numpy as np

from .framework import graph as _graph
from .framework.errors import InvalidArgumentError
from .framework.execute import describe
from .framework.registry import OPS, swap_kernels

_SKIP = frozenset({"CheckNumerics"})     # raises on NaN / Inf by itself, with the user's message
_lock = threading.Lock()
_originals = {}                          # op type -> the kernel it had before the check was on
_gradient_of = weakref.WeakKeyDictionary()   # graph op made while on -> the node differentiated


class NumericsError(InvalidArgumentError):
    """An op's output holds NaN or Inf (raised by the numerics check).

    Attributes: `op_type`, `node` (the graph node's name, None when eager), `found` ("NaN",
    "Inf", "-Inf" or a combination), `gradient_of` (a description of the op whose gradient was
    being computed, None in the forward pass) and `bad_inputs` (indices of inputs that already
    held NaN or Inf: the op only passed them on).
    """

    def __init__(self, message, op_type=None, found=None, gradient_of=None, bad_inputs=(),
                 node=None, located=False):
        super().__init__(message)
        self.op_type = op_type
        self.found = found
        self.gradient_of = gradient_of
        self.bad_inputs = tuple(bad_inputs)
        self.node = node
        self.located = located

    def at_node(self, op, values):
        """This error told about graph node `op` (None: an eager op) and its input values."""
        if self.located:         # already told about the innermost node (inside a function)
            return self
        gradient_of = self.gradient_of
        node = None
        if op is not None:
            node = op.name
            gradient_of = _gradient_of.get(op, _UNKNOWN)
            if gradient_of is _UNKNOWN and "gradients" in op.name.split("/"):
                gradient_of = "a gradient"        # made by tf.gradients before the check was on
        where = f"'{self.op_type}'" + (f" (node {node})" if node else "")
        if gradient_of is _UNKNOWN:                # made before the check was on: we cannot tell
            phase, gradient_of = "", None
        else:
            phase = f", while computing {gradient_of}" if gradient_of else ", in the forward pass"
        shapes = ", ".join(describe(v) for v in values)
        if self.bad_inputs:
            held = ", ".join(str(i) for i in self.bad_inputs)
            origin = f"its input(s) {held} already held NaN or Inf: the op only passed them on"
        else:
            origin = f"its inputs [{shapes}] hold no NaN or Inf"
        message = f"numerics check: {where} produced {self.found} in its output{phase}; {origin}"
        return NumericsError(message, self.op_type, self.found, gradient_of, self.bad_inputs,
                             node, located=True)


_UNKNOWN = object()


def enable_numerics_check():
    """Check every op's output for NaN and Inf from now on (see the module docstring)."""
    with _lock:
        if _originals:
            return
        _originals.update(swap_kernels({
            op_type: _checked(op_type, opdef.kernel, opdef.multi)
            for op_type, opdef in list(OPS.items()) if op_type not in _SKIP}))
        _graph.OP_HOOKS.append(_note_gradient_op)


def disable_numerics_check():
    """Put the original kernels back: ops cost what they did before."""
    with _lock:
        if not _originals:
            return
        swap_kernels(_originals)
        _originals.clear()
        if _note_gradient_op in _graph.OP_HOOKS:
            _graph.OP_HOOKS.remove(_note_gradient_op)


def numerics_check_enabled():
    return bool(_originals)


@contextlib.contextmanager
def numerics_check():
    """The numerics check inside the block (left on after it if it was on before)."""
    was_on = numerics_check_enabled()
    enable_numerics_check()
    try:
        yield
    finally:
        if not was_on:
            disable_numerics_check()


def _checked(op_type, kernel, multi):
    def checked_kernel(*args, **attrs):
        out = kernel(*args, **attrs)
        for value in (out if multi else (out,)):
            found = _nonfinite(value)
            if found:
                bad = [i for i, a in enumerate(args) if _nonfinite(a)]
                raise NumericsError(f"numerics check: '{op_type}' produced {found} in its output",
                                    op_type, found, _gradient_being_computed(), bad)
        return out
    checked_kernel.__name__ = getattr(kernel, "__name__", op_type)
    checked_kernel.__wrapped__ = kernel
    return checked_kernel


def _nonfinite(value):
    """'NaN', 'Inf', '-Inf' (or several, joined by 'and') if the array holds them, else ''."""
    if not isinstance(value, np.ndarray) or value.dtype.kind not in "fc":
        return ""
    if np.isfinite(value).all():
        return ""
    found = []
    if np.isnan(value).any():
        found.append("NaN")
    if value.dtype.kind == "f":
        if np.isposinf(value).any():
            found.append("Inf")
        if np.isneginf(value).any():
            found.append("-Inf")
    elif np.isinf(value).any():
        found.append("Inf")
    return " and ".join(found)


def _gradient_being_computed():
    """'the gradient of 'Op' ...' when called (indirectly) by a gradient function, else None."""
    frame = sys._getframe(2)
    while frame is not None:
        if frame.f_globals.get("__name__") == "janusgrad.autodiff.backprop" and \
                "node" in frame.f_code.co_varnames:
            node = frame.f_locals.get("node")
            if node is None:
                return "a gradient"
            name = getattr(node, "name", None)
            text = f"the gradient of '{node.type}'"
            return text + (f" (node {name})" if name and name != node.type else "")
        frame = frame.f_back
    return None


def _note_gradient_op(op):
    _gradient_of[op] = _gradient_being_computed()


__all__ = ["NumericsError", "enable_numerics_check", "disable_numerics_check",
           "numerics_check", "numerics_check_enabled"]
