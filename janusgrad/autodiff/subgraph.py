"""Subgraph gradient overrides: one gradient function for a whole block of ops.

`override_gradient(inputs, outputs, grad_fn)` marks a block that is already built (graph ops,
or ops recorded by the active tapes); `gradient_block(grad_fn)` marks the ops run inside a
`with`. Nothing is rebuilt: the graph, and each tape that recorded the block, keep a list of
blocks, and the one reverse sweep (backprop.prune -> place_blocks) adds each block as one node
that takes the gradient reaching the block's outputs and calls `grad_fn(*output_grads)`. The
ops inside stay in the sweep but never see that gradient, so they are skipped; a gradient that
reaches one of their other results (an intermediate used elsewhere, or by a second-order sweep
through grad_fn) still flows through them as usual. The block's gradient is made of janusgrad
ops, so it works eagerly, in graphs, inside tf.function and to second order.
"""
from collections.abc import Callable, Sequence
from typing import Any

import weakref

from ..framework import dtypes
from ..framework.context import ctx, current_graph
from ..framework.nest import flatten
from ..framework.registry import GRADIENTS, TAKES_NONE, gradient_function, wants_default
from ..framework.tensor import GraphTensor, Tensor
from ..ops.state import Variable
from .tape import Recorder

_GRAPH_BLOCKS = weakref.WeakKeyDictionary()      # graph -> its top-level block nodes
_SOURCES = ("Placeholder", "PlaceholderWithDefault", "VarHandleOp")   # leaves fed from outside


def graph_blocks(graph):
    """The gradient blocks of `graph` (what tf.gradients hands to the sweep), or None."""
    return _GRAPH_BLOCKS.get(graph)


def override_gradient(inputs: Sequence[Any], outputs: Sequence[Any],
                      grad_fn: Callable[..., Any], name: str | None = None) -> "GradientBlock":
    """Give the ops between `inputs` and `outputs` (built already) one gradient, `grad_fn`.

    From then on a gradient that reaches `outputs` calls `grad_fn(*output_grads)` (one per
    output, zeros where none flows) instead of the ops inside, and gets back one gradient per
    input (None allowed; a variable counts as an input too). A grad_fn that declares a keyword
    parameter `default` gets `default(*output_grads)`: the gradient the block would otherwise
    have. A gradient that reaches an intermediate of the block from elsewhere still flows
    through the ops inside. For code not run yet, `gradient_block` is the `with` form.

    Args:
        inputs: the tensors (or variables) where the block starts.
        outputs: the tensors where it ends: graph tensors, or eager tensors recorded by the
            active `GradientTape`.
        grad_fn: `grad_fn(*output_grads) -> input_grads` (a list, one per input).
        name: the block's name in drawings and errors (default: grad_fn's name).

    Returns:
        The `GradientBlock`: `.inputs`, `.outputs()`, and `.calls`, how many times grad_fn ran.

    Raises:
        ValueError: `outputs` is empty; the block is not closed (a path from an output reaches
            a placeholder, variable or watched tensor without passing an input: the message
            names the tensor where it leaks); or, eagerly, no active tape recorded the outputs.
        TypeError: grad_fn is not callable, or an input or output is not a tensor.

    Examples:
        >>> import janusgrad as tf
        >>> x = tf.constant([1.0, 2.0])
        >>> with tf.GradientTape() as tape:
        ...     tape.watch(x)
        ...     y = tf.exp(x) * 3.0
        ...     block = tf.override_gradient([x], [y], lambda dy: [dy * 2.0])
        >>> tape.gradient(y, x)     # 2 * dy, not 3 exp(x) * dy
        <tf.Tensor: shape=(2,), dtype=float32, numpy=array([2., 2.], dtype=float32)>
        >>> block.calls
        1
    """
    block = GradientBlock(grad_fn, name)
    block.inputs = _tensors(inputs, "inputs", variables=True)
    block._outputs = _tensors(outputs, "outputs")
    if not block._outputs:
        raise ValueError("override_gradient: `outputs` is empty")
    if not block._register(marks=None):
        raise ValueError("override_gradient: no active GradientTape recorded these eager tensors "
                         "(call it inside the tape's `with`, on tensors computed from watched "
                         "ones), so there is nothing to override")
    return block


def gradient_block(grad_fn: Callable[..., Any], inputs: Sequence[Any] | None = None,
                   name: str | None = None) -> "GradientBlock":
    """A `with` block whose ops get one gradient, `grad_fn` (`override_gradient` for code not
    run yet). Say which tensors the block produces with `block.outputs(...)`.

    The inputs are the tensors made outside and used inside that can carry a gradient
    (placeholders, variables, watched tensors, graph tensors; not Python numbers), in order of
    first use: `block.inputs` lists them. A grad_fn that declares a keyword parameter `default`
    gets `default(*output_grads)`, the gradient the block would otherwise have.

    Args:
        grad_fn: `grad_fn(*output_grads) -> input_grads`: one gradient per output (zeros where
            none flows) in, one per input (None allowed) out.
        inputs: the block's inputs, fixed (default: found as described above).
        name: the block's name in drawings and errors (default: grad_fn's name).

    Returns:
        The `GradientBlock`, a context manager: `block.outputs(*tensors)` (returns them),
        `.inputs`, and `.calls`, how many times grad_fn ran.

    Raises:
        TypeError: grad_fn is not callable, or an input is not a tensor.
        ValueError: on leaving the block, as `override_gradient`'s (no outputs, or a block
            that is not closed).

    Examples:
        >>> import janusgrad as tf
        >>> x = tf.constant(3.0)
        >>> with tf.GradientTape() as tape:
        ...     tape.watch(x)
        ...     with tf.gradient_block(lambda dy: [dy * 10.0]) as block:
        ...         y = block.outputs(tf.sin(x) * x)
        >>> float(tape.gradient(y, x))
        10.0
        >>> block.inputs == [x]
        True
    """
    block = GradientBlock(grad_fn, name)
    if inputs is not None:
        block._fixed_inputs = _tensors(inputs, "inputs", variables=True)
    return block


class GradientBlock:
    """A block of ops with one gradient function (see override_gradient, gradient_block)."""

    def __init__(self, grad_fn, name=None):
        self.grad_fn = grad_fn
        fn_name = getattr(grad_fn, "__name__", "")
        self.name = name or (fn_name if fn_name.isidentifier() else "gradient_block")
        self.inputs = []
        self.calls = 0                   # how many times grad_fn ran
        self._outputs = []
        self._fixed_inputs = None
        self._entered = False

    @property
    def grad_fn(self):
        """The block's gradient function (may be replaced; later sweeps use the new one)."""
        return self._grad_fn

    @grad_fn.setter
    def grad_fn(self, fn):
        if not callable(fn):
            raise TypeError(f"grad_fn must be callable, got {fn!r}")
        self._grad_fn = fn
        self._wants_default = wants_default(fn)

    def outputs(self, *ys):
        """Declare (some of) the block's outputs and return them; with no argument, the list."""
        if not ys:
            return list(self._outputs)
        self._outputs.extend(_tensors(ys, "outputs"))
        return ys[0] if len(ys) == 1 else ys

    def __repr__(self):
        return (f"<GradientBlock '{self.name}': {len(self.inputs)} inputs, "
                f"{len(self._outputs)} outputs>")

    # -- the context-manager form ----------------------------------------------------------
    def __enter__(self):
        if self._entered:
            raise RuntimeError(f"gradient block '{self.name}' was entered already; make a new one")
        self._entered = True
        self._graph = current_graph()
        self._start = self._graph.version if self._graph is not None else 0
        self._marks = {id(t): t.mark() for t in ctx.tapes}
        self._recorder = None
        if self._graph is None and ctx.tapes:
            self._recorder = Recorder()        # eager: the tapes see only watched ops
            ctx.tapes.append(self._recorder)
        return self

    def __exit__(self, exc_type, exc, tb):
        if self._recorder is not None:
            self._recorder.leave()
        if exc_type is not None:
            return False
        if not self._outputs:
            raise ValueError(f"gradient block '{self.name}': call block.outputs(y, ...) inside "
                             "the `with` to say which tensors the block produces")
        if self._graph is None and self._recorder is None:
            self.inputs = list(self._fixed_inputs or [])   # eager, no tape: nothing to override
            return False
        if self._fixed_inputs is not None:
            self.inputs = self._fixed_inputs
        else:
            self.inputs = self._find_inputs()
        self._register(self._marks)
        return False

    def _find_inputs(self):
        """The tensors made outside the block that its ops use and that can carry a gradient."""
        if self._graph is not None:
            graph, start = self._graph, self._start

            def producer(t):
                op = t.op
                return (op._id, op) if op.graph is graph and op._id >= start else None

            def outside(t, op):
                return op is None or op.type in _SOURCES     # a placeholder made inside, too
        else:
            produced = _producers(self._recorder.records_since())
            producer = produced.get_for
            tapes = [t for t in ctx.tapes if not isinstance(t, Recorder)]

            def outside(t, op):
                return any(tape.watches(t) for tape in tapes)
        nodes, edges = _walk(self._outputs, set(), producer)
        found = {}
        for t, _ in edges:
            op = producer(t)
            if outside(t, None if op is None else op[1]):
                found[t._id] = t
        ordered, placed = [], set()
        for node in nodes:                      # in order of first use
            for x in node.inputs:
                if x._id in found and x._id not in placed:
                    ordered.append(found[x._id])
                    placed.add(x._id)
        return ordered + [t for k, t in found.items() if k not in placed]

    # -- attaching the block to graphs and tapes -------------------------------------------
    def _register(self, marks):
        """Attach to the graph of the outputs and to each active tape that recorded them."""
        outputs = self._outputs
        input_ids = {x._id for x in self.inputs}
        both = [y for y in outputs if y._id in input_ids]
        if both:
            raise ValueError(f"gradient block '{self.name}': {_describe(both[0])} is both an input "
                             "and an output")
        done = False
        graphs = {y.graph for y in outputs if isinstance(y, GraphTensor)}
        if len(graphs) > 1:
            raise ValueError(f"gradient block '{self.name}': the outputs belong to different "
                             "graphs")
        if graphs:
            (graph,) = graphs
            node = self._node(lambda t: (t.op._id, t.op) if isinstance(t, GraphTensor)
                              and t.op.graph is graph else None, lambda t: False)
            if node is None:
                raise ValueError(f"gradient block '{self.name}': no differentiable op lies "
                                 "between its inputs and outputs")
            _add(_GRAPH_BLOCKS.setdefault(graph, []), node)
            done = True
        for tape in ctx.tapes:
            if isinstance(tape, Recorder):
                continue
            produced = _producers(tape.records_since((marks or {}).get(id(tape), 0)))
            if not any(y._id in produced for y in outputs):
                continue
            node = self._node(produced.get_for, tape.watches)
            if node is not None:
                _add(tape.blocks, node)
                done = True
        return done

    def _node(self, producer, watched):
        """The block as one sweep node over the nodes `producer` knows; None if none inside."""
        nodes, edges = _walk(self._outputs, {x._id for x in self.inputs}, producer)
        leaks = []
        for t, user in edges:
            hit = producer(t)
            op = None if hit is None else hit[1]
            if (op is None and watched(t)) or (op is not None and op.type in _SOURCES):
                leaks.append((t, user))
        if leaks:
            where = "; ".join(f"{_describe(t)}, used by {_describe_node(u)}" for t, u in leaks)
            raise ValueError(
                f"gradient block '{self.name}' is not closed: a path from its outputs leaves the "
                f"block without passing an input, at {where}. Its gradient would be lost: add "
                "these tensors to the inputs (grad_fn then returns a gradient for each) or put "
                "tf.stop_gradient on them")
        if not nodes:
            return None
        return _BlockNode(self, nodes)


class _BlockNode:
    """A block as the sweep sees it: an op-like node whose inputs and outputs are the block's
    and whose gradient is the block's grad_fn; `nodes` are the inner nodes it replaces."""
    type = "GradientBlock"
    gradient_type = None
    attrs = {}

    def __init__(self, block, nodes):
        self.block = block
        self.name = block.name
        self.inputs = list(block.inputs)
        self.outputs = list(block._outputs)
        self.nodes = nodes
        self.nested = []                     # blocks inside this one
        self.ids = frozenset(id(n) for n in nodes)

    def get_attr(self, name):
        raise ValueError(f"gradient block '{self.name}' has no attrs")

    def grad_fn(self, op, *dys):
        """call the user's grad_fn at the block's outputs; one gradient per input"""
        block = self.block
        block.calls += 1
        if block._wants_default:
            dxs = block.grad_fn(*dys, default=self.default)
        else:
            dxs = block.grad_fn(*dys)
        dxs = list(dxs) if isinstance(dxs, (list, tuple)) else [dxs]
        if len(dxs) != len(self.inputs):
            names = ", ".join(_describe(x) for x in self.inputs)
            raise ValueError(f"gradient block '{self.name}': grad_fn returned {len(dxs)} "
                             f"gradients, but the block has {len(self.inputs)} inputs ({names}):"
                             " return one gradient (or None) per input")
        return dxs

    def default(self, *dys):
        """The gradient the block would have without the override (its inner ops' sweep)."""
        from .backprop import backprop, prune
        nodes = prune(self.nodes, self.outputs, self.inputs, self.nested)
        dxs = backprop(nodes, self.outputs, list(dys), self.inputs)
        return dxs[0] if len(dxs) == 1 else dxs


# -- the blocks in the sweep ------------------------------------------------------------------

def place_blocks(nodes, blocks):
    """`nodes` (forward order) with each block added as one node, right after the producers of
    its inputs, and the ops that make a block's outputs masked so they never see their gradient.
    """
    blocks = _flatten(blocks, frozenset())
    owner = {}
    for block in blocks:
        for y in block.outputs:
            owner[y._id] = block
    produced_at = {}
    for i, node in enumerate(nodes):
        for y in node.outputs:
            produced_at[y._id] = i
    at = {}
    for block in blocks:
        i = max([produced_at.get(x._id, -1) + 1 for x in block.inputs], default=0)
        at.setdefault(i, []).append(block)
    pending = dict(owner)                   # outputs of blocks not placed yet
    order = []
    for i in range(len(nodes) + 1):
        for block in at.get(i, ()):
            _check_placed(block, pending)
            for y in block.outputs:
                pending.pop(y._id, None)
            order.append(block)
        if i < len(nodes):
            node = nodes[i]
            _check_placed(node, pending)
            if any(y._id in owner for y in node.outputs):
                node = _MaskedNode(node, owner)
            order.append(node)
    return order


def _flatten(blocks, outer_outputs):
    """Blocks and the blocks nested in them, except a nested one with an output of an outer one
    (the same ops overridden again: the outer, later override wins)."""
    out = []
    for block in blocks:
        if any(y._id in outer_outputs for y in block.outputs):
            continue
        out.append(block)
        out += _flatten(block.nested, outer_outputs | {y._id for y in block.outputs})
    return out


def _check_placed(node, pending):
    for x in node.inputs:
        block = pending.get(x._id)
        if block is not None and block is not node:
            raise ValueError(
                f"gradient block '{block.name}' cannot take part in the sweep: its output "
                f"{_describe(x)} is used by {_describe_node(node)} before all of the block's "
                "inputs exist (one input depends on it). Choose inputs computed before the "
                "block's first output is used")


class _Hidden:
    """What a masked op sees in place of a block output (no tensor: nothing flows into it)."""
    dtype = dtypes.bool
    _id = 0             # tensors are numbered from 1


_HIDDEN = _Hidden()


class _MaskedNode:
    """An op inside a gradient block that makes one of its outputs: the sweep sees the block's
    outputs replaced by _HIDDEN, so their gradient goes to the block's grad_fn only."""
    gradient_type = None

    def __init__(self, node, owner):
        self.node = node
        self.type = node.type
        self.name = getattr(node, "name", node.type)
        self.inputs = node.inputs
        self.outputs = [_HIDDEN if y._id in owner else y for y in node.outputs]

    def get_attr(self, name):
        return self.node.get_attr(name)

    def grad_fn(self, op, *dys):
        """the op's own gradient, with zeros for the block outputs it made"""
        from .backprop import call_gradient, fill_zeros
        node = self.node
        fn = gradient_function(node)
        if fn is None:
            return [None] * len(node.inputs)
        if fn not in TAKES_NONE and type(fn) not in TAKES_NONE:
            dys = fill_zeros(node.outputs, list(dys))
        return call_gradient(fn, node, dys)


# -- helpers -----------------------------------------------------------------------------------

class _Producers(dict):
    """tensor._id -> (position, node) over a list of records."""

    def get_for(self, t):
        return self.get(t._id)


def _producers(records):
    out = _Producers()
    for i, node in enumerate(records):
        for y in node.outputs:
            out[y._id] = (i, node)
    return out


def _carries_gradient(t):
    return t.dtype.is_differentiable or t.dtype is dtypes.resource


def _passes_gradient(node):
    """False for ops declared not differentiable (StopGradient, Shape...): nothing flows back."""
    if node.grad_fn is not None:
        return True
    key = node.gradient_type or node.type
    return callable(key) or GRADIENTS.get(key, True) is not None


def _walk(outputs, stop_ids, producer):
    """Walk back from `outputs` to the tensors in stop_ids: the inner nodes that pass gradients
    (in forward order) and the edges [(tensor, user)] where the walk left them otherwise."""
    inner = {}
    edges = []
    seen = set()
    stack = [(y, None) for y in reversed(outputs)]
    while stack:
        t, user = stack.pop()
        if t._id in seen or t._id in stop_ids or not _carries_gradient(t):
            continue
        seen.add(t._id)
        hit = producer(t)
        if hit is None or not hit[1].inputs:
            if user is not None:
                edges.append((t, user))
            continue
        node = hit[1]
        if not _passes_gradient(node):
            continue
        inner[id(node)] = hit
        for x in reversed(node.inputs):
            stack.append((x, node))
    nodes = [node for _, node in sorted(inner.values(), key=lambda h: h[0])]
    return nodes, edges


def _add(blocks, new):
    """Add a block node to a graph's or tape's list; a block inside another one nests in it
    (the later override of the same ops wins, and its `default` is the earlier one)."""
    for old in list(blocks):
        if not old.ids & new.ids:
            continue
        if old.ids <= new.ids:
            blocks.remove(old)
            new.nested.append(old)
        elif new.ids <= old.ids:
            _add(old.nested, new)
            return
        else:
            raise ValueError(f"gradient blocks '{old.name}' and '{new.name}' overlap without "
                             "one containing the other")
    blocks.append(new)


def _tensors(values, what, variables=False):
    out = []
    for v in flatten(list(values) if isinstance(values, (list, tuple)) else [values]):
        if variables and isinstance(v, Variable):
            v = v.handle
        if not isinstance(v, Tensor):
            raise TypeError(f"gradient block {what} must be tensors"
                            f"{' or variables' if variables else ''}, got {v!r}")
        out.append(v)
    return out


def _describe(t):
    if isinstance(t, GraphTensor):
        kind = "the handle of a variable" if t.dtype is dtypes.resource else "tensor"
        return f"{kind} '{t.name}' (op type: {t.op.type})"
    if t.dtype is dtypes.resource:
        return f"the handle of variable '{getattr(t._value, 'name', '?')}'"
    return f"an eager {t.dtype.name} tensor of shape {t.shape}"


def _describe_node(node):
    return f"operation '{node.name}' (op type: {node.type})"
