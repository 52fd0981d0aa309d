"""explain_gradient: why is the gradient of `target` w.r.t. `source` None (or zero)?

It checks dtypes and watching first, then finds the ops between source and target and runs the
one sweep over them with each node wrapped in a probe that notes what its gradient function
did. The first place where the gradient stops on every path is named: a stop_gradient, an op
with no gradient, a custom gradient or gradient block that returned None, an integer tensor.
"""
from typing import Any

import numpy as np

from ..framework import dtypes
from ..framework.context import ctx, tapes_paused
from ..framework.registry import GRADIENTS, gradient_function
from ..framework.tensor import EagerTensor, GraphTensor, Tensor
from ..ops.state import Variable
from .backprop import backprop, call_gradient, prune


def explain_gradient(target: Any, source: Any, tape: Any = None) -> str:
    """A few sentences saying why d(target)/d(source) is None or zero, naming the op where the
    path breaks (or saying that it is neither).

    The reasons it tells apart: source not watched, an integer dtype, a `stop_gradient`, an op
    with no gradient (or none defined), a custom gradient or gradient block that returned None,
    no path at all, or (eagerly) the op that turns the gradient into zeros. Graph tensors need
    no tape: their graph is used, and the gradient ops the probe builds go under the name scope
    "explain_gradient".

    Args:
        target: the tensor differentiated.
        source: the tensor or variable it is differentiated with respect to.
        tape: for eager tensors, the `GradientTape` that recorded them (an active tape that
            recorded target is found on its own).

    Returns:
        The explanation, a string.

    Raises:
        TypeError: target or source is not a tensor (or variable).

    Examples:
        >>> import janusgrad as tf
        >>> x = tf.constant(2.0)
        >>> with tf.GradientTape() as tape:
        ...     tape.watch(x)
        ...     y = tf.stop_gradient(x * x) * 3.0
        >>> print(tf.explain_gradient(y, x, tape=tape))  # doctest: +ELLIPSIS
        The gradient of ... is None: a tf.stop_gradient at 'StopGradient' ... stops it. ...
    """
    y = _tensor(target, "target")
    x, var = _source(source)
    what = f"the gradient of {_describe(y, None, 'target')} with respect to " \
        f"{_describe(x, var, 'source')}"
    if not (x.dtype.is_differentiable or x.dtype is dtypes.resource):
        return (f"{_cap(what)} is None: the source has dtype {x.dtype.name}, and gradients exist "
                "only for floating-point and complex tensors. Cast it first (tf.cast(x, "
                "tf.float32)) and compute the target from the cast tensor.")
    if not y.dtype.is_differentiable:
        return (f"{_cap(what)} is None: the target has dtype {y.dtype.name}; an integer or "
                "boolean result carries no gradient (the op that made it, "
                f"{_op_of(y, None)}, returns {y.dtype.name}).")
    if y is x:
        return f"{_cap(what)} is not None: the target is the source itself (gradient: ones)."
    nodes, blocks, tape, where = _history(y, tape)
    if nodes is None:
        return (f"{_cap(what)} cannot be explained: {where}")
    if tape is not None:
        if tape.spent:
            return (f"{_cap(what)} cannot be explained from this tape: it was used already, and "
                    "a non-persistent GradientTape forgets what it recorded after its first "
                    "gradient() call (use persistent=True to ask several times).")
        if not tape.watches(x):
            return _cap(what) + " is None: " + _not_watched(x, var, tape)
    path = tape.prune([y], [x]) if tape is not None else prune(nodes, [y], [x], blocks)
    if not path:
        return f"{_cap(what)} is None: there is no path from the source to the target {where}." \
               + _no_path_hint(tape, nodes, x)
    return _probe(what, path, y, x, tape)


def _probe(what, path, y, x, tape):
    log = {}
    probes = [_Probe(n, log) for n in path]
    from ..ops.array import ones_like
    if isinstance(y, GraphTensor):
        graph = y.graph
        if graph.finalized:
            return (f"{_cap(what)}: the graph is finalized, so explain_gradient cannot build "
                    f"the probe's gradient ops. The path from the source to the target goes "
                    f"through {len(path)} ops.")
        with tapes_paused(), graph.as_default(), graph.name_scope("explain_gradient"):
            (grad,) = backprop(probes, [y], [ones_like(y)], [x])
    else:
        with tapes_paused():
            (grad,) = backprop(probes, [y], [ones_like(y)], [x])
    on_path = _on_path(path, y, x)
    numbering = {id(n): i for i, n in enumerate(tape.records_since())} if tape is not None \
        else {}
    if grad is None:
        breaks = [_why(n, log, on_path, numbering) for n in path]
        breaks = [b for b in breaks if b]
        text = f"{_cap(what)} is None: " + (" ".join(breaks) if breaks else
                                             "no gradient reached it along the path.")
        return text + " (tape.gradient / tf.gradients then return None; pass "\
            "unconnected_gradients='zero' to get zeros instead.)"
    if isinstance(grad, EagerTensor) and not np.any(grad.numpy()):
        zeros = [_where_zero(n, log, on_path, numbering) for n in path]
        zeros = [z for z in zeros if z]
        return (f"{_cap(what)} is zero (not None): "
                + (" ".join(zeros) if zeros else "the gradients along the path cancel out."))
    kind = "a symbolic tensor (its value is known when the graph runs)" \
        if isinstance(grad, GraphTensor) else "not zero"
    ran = [n for n in path if log.get(id(n), ("",))[0] == "ran"]
    return (f"{_cap(what)} is connected and {kind}: it flows through {len(ran)} "
            f"op{'s' if len(ran) > 1 else ''} "
            f"({', '.join(_name(n, numbering) for n in ran[:6])}"
            f"{', ...' if len(ran) > 6 else ''}).")


class _Probe:
    """A path node with the same face, whose gradient runs the real one and notes the result."""

    def __init__(self, node, log):
        self.node = node
        self.log = log
        self.type = node.type
        self.name = getattr(node, "name", node.type)
        self.inputs = node.inputs
        self.outputs = node.outputs
        self.gradient_type = None

    def get_attr(self, name):
        return self.node.get_attr(name)

    def grad_fn(self, op, *dys):
        node = self.node
        try:
            fn = gradient_function(node)
            if fn is None:
                self.log[id(node)] = ("none", dys, None)
                return [None] * len(node.inputs)
            dxs = call_gradient(fn, node, list(dys))
        except LookupError as e:
            self.log[id(node)] = ("missing", dys, str(e))
            return [None] * len(node.inputs)
        self.log[id(node)] = ("ran", dys, dxs)
        return dxs


def _on_path(path, y, x):
    """ids of the tensors between source and target."""
    reach = {x._id}
    for node in path:
        if any(t._id in reach for t in node.inputs):
            reach.update(t._id for t in node.outputs)
    need = {y._id}
    for node in reversed(path):
        if any(t._id in need for t in node.outputs):
            need.update(t._id for t in node.inputs)
    return reach & need


def _why(node, log, on_path, numbering):
    """Why no gradient passes `node` towards the source (None if it is not where it stops)."""
    entry = log.get(id(node))
    if entry is None:
        return None                      # nothing reached it: the break is nearer the target
    kind, dys, dxs = entry
    real = getattr(node, "node", node)                # ops inside a gradient block are masked
    skip = getattr(real.grad_fn, "n_outputs", 0)     # custom_gradient: f's outputs come first
    ins = [(i, t) for i, t in enumerate(node.inputs) if t._id in on_path and i >= skip]
    name = _name(node, numbering)
    if kind == "missing":
        return (f"no gradient is defined for {name}, so tape.gradient / tf.gradients raise "
                "LookupError there (register one with tf.RegisterGradient, or give the block "
                "one gradient with janusgrad.override_gradient).")
    if kind == "none":
        if node.type == "StopGradient":
            return f"a tf.stop_gradient at {name} stops it."
        key = node.gradient_type or node.type
        mapped = f" (gradient_override_map maps it to '{key}')" if key != node.type else ""
        return (f"{name} is not differentiable{mapped}: its gradient is registered as None "
                "(tf.no_gradient), so nothing flows back through it.")
    if any(dxs[i] is not None and t.dtype.is_differentiable for i, t in ins):
        return None
    ints = [i for i, t in ins if not t.dtype.is_differentiable]
    if ints:
        t = node.inputs[ints[0]]
        return (f"the path goes through an integer tensor: input {ints[0]} of {name} has dtype "
                f"{t.dtype.name} ({_op_of(t, numbering)} made it), and gradients stop at "
                "integer tensors.")
    which = ", ".join(str(i - skip) for i, _ in ins)
    what = "argument" if skip else "input"
    return (f"{_rule(node)} of {name} returned None for its {what} {which}, which leads to the "
            "source.")


def _where_zero(node, log, on_path, numbering):
    entry = log.get(id(node))
    if entry is None or entry[0] != "ran":
        return None
    _, dys, dxs = entry
    flowing = [dy for dy, t in zip(dys, node.outputs) if t._id in on_path and dy is not None]
    if not flowing or not any(isinstance(d, EagerTensor) and np.any(d.numpy()) for d in flowing):
        return None
    outs = [dxs[i] for i, t in enumerate(node.inputs) if t._id in on_path]
    if any(d is not None and isinstance(d, EagerTensor) and np.any(d.numpy()) for d in outs):
        return None
    return (f"{_name(node, numbering)} turns a nonzero gradient into zeros ({_rule(node)}: "
            "e.g. an inactive relu, a max that picked another input, or a gradient defined as "
            "zero).")


def _rule(node):
    node = getattr(node, "node", node)
    if node.grad_fn is not None:
        if node.type == "GradientBlock":
            return f"the gradient block '{node.name}'"
        return f"the custom gradient {getattr(node.grad_fn, '__name__', 'grad_fn')}"
    key = node.gradient_type or node.type
    if callable(key):
        return f"the gradient {getattr(key, '__name__', key)} set by gradient_override_map"
    fn = GRADIENTS.get(key)
    fn_name = getattr(getattr(fn, "_user_function", fn), "__name__", "?")
    if key != node.type:
        return f"the gradient '{key}' ({fn_name}) set by gradient_override_map"
    return f"the registered gradient of {node.type} ({fn_name})"


# -- finding the history ---------------------------------------------------------------------

def _history(y, tape):
    """(nodes, blocks, tape, where) for the target, or (None, None, None, why not)."""
    if tape is not None:
        return tape.records_since(), tape.blocks, tape, "among the ops the tape recorded"
    if isinstance(y, GraphTensor):
        from .subgraph import graph_blocks
        return y.graph.get_operations(), graph_blocks(y.graph), None, "in the graph"
    for t in reversed(ctx.tapes):
        records = t.records_since()
        if any(o._id == y._id for node in records for o in node.outputs):
            return records, t.blocks, t, "among the ops the active tape recorded"
    return None, None, None, (
        "the target is an eager tensor and no tape was given. Eager tensors keep no history: "
        "compute the target inside `with tf.GradientTape() as tape:` (after tape.watch(source)) "
        "and call explain_gradient(target, source, tape=tape).")


def _not_watched(x, var, tape):
    if var is not None:
        if not var.trainable:
            return (f"the variable '{var.name}' is not trainable, so the tape does not watch it "
                    "on its own; call tape.watch(variable) or make it trainable.")
        return (f"the tape does not watch the variable '{var.name}': it was not read while the "
                "tape recorded, or the tape has watch_accessed_variables=False (then call "
                "tape.watch(variable)).")
    return ("the source is not watched by the tape. A tape records only what is computed from "
            "watched tensors: call tape.watch(source) inside the `with` before computing the "
            "target (variables are watched on their own when read).")


def _no_path_hint(tape, nodes, x):
    if tape is None:
        return " The target does not depend on the source."
    reach = {x._id}
    for i, node in enumerate(nodes):
        if any(t._id in reach for t in node.inputs):
            for t in node.outputs:
                if not t.dtype.is_differentiable:
                    return (f" The path goes through an integer tensor: '{node.type}' (op #{i} "
                            f"on the tape) makes a tensor of dtype {t.dtype.name} from the "
                            "source, and gradients (and tapes) stop at integer tensors.")
                reach.add(t._id)
    return (" Ops run before tape.watch(source), under tape.stop_recording() or outside the "
            "tape's `with` are not recorded; a value taken out with .numpy() and converted "
            "back starts a new history.")


# -- naming ----------------------------------------------------------------------------------

def _tensor(t, what):
    if isinstance(t, Variable):
        return t.value()
    if not isinstance(t, Tensor):
        raise TypeError(f"explain_gradient: {what} must be a tensor, got {t!r}")
    return t


def _source(s):
    if isinstance(s, Variable):
        return s.handle, s
    return _tensor(s, "source"), None


def _describe(t, var, role):
    if var is not None:
        return f"the variable '{var.name}'"
    if isinstance(t, GraphTensor):
        return f"'{t.name}'"
    return f"the {role} ({t.dtype.name}, shape {t.shape})"


def _name(node, numbering):
    node = getattr(node, "node", node)
    if isinstance(getattr(node, "name", None), str) and node.name != node.type:
        return f"'{node.name}' (op type: {node.type})"
    i = numbering.get(id(node))
    return f"'{node.type}' (op #{i} on the tape)" if i is not None else f"'{node.type}'"


def _op_of(t, numbering):
    if isinstance(t, GraphTensor):
        return f"'{t.op.name}' (op type: {t.op.type})"
    return "the op"


def _cap(text):
    return text[0].upper() + text[1:]
