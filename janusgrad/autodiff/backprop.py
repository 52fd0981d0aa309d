"""The only reverse-mode sweep. Nodes are tape records or graph Operations (same face:
`type name inputs outputs get_attr grad_fn gradient_type`); gradient functions written in
janusgrad ops execute eagerly or build graph nodes, depending on who calls.
"""
import numpy as np

from ..framework import dtypes
from ..framework.errors import OpError
from ..framework.registry import GRADIENTS, TAKES_NONE, TRUSTED, gradient_function
from ..framework.tensor import EagerTensor, Tensor, convert_to_tensor
from ..ops import math as _math
from ..ops.array import zeros_like
from ..ops import segment  # noqa: F401  (registers UnsortedSegmentSum, which densifies slices)
from ..ops.indexed_slices import IndexedSlices, add_slices
from .record import GraphRecord, TapeRecord


def prune(nodes, targets, sources, blocks=None):
    """The nodes (in forward order) that lie on a path from some source to some target.

    `blocks`: gradient blocks (autodiff/subgraph.py); each joins the nodes as one node that
    takes the gradient of the block's outputs, so the ops inside never see it.
    """
    if blocks:
        from .subgraph import place_blocks
        nodes = place_blocks(nodes, blocks)
    reach = {s._id for s in sources}
    forward = []
    for node in nodes:
        hit = [x._id in reach for x in node.inputs]
        if True in hit:
            forward.append(node)
            for y in node.outputs:
                reach.add(y._id)
            if type(node) is TapeRecord or type(node) is GraphRecord:
                # as TF's eager mode does: gradient functions may skip inputs no source needs
                node.skip_input_indices = None if False not in hit else \
                    tuple(i for i, h in enumerate(hit) if not h)
    need = {t._id for t in targets}
    kept = []
    for node in reversed(forward):
        if any(y._id in need for y in node.outputs):
            kept.append(node)
            for x in node.inputs:
                need.add(x._id)
    kept.reverse()
    return kept


def backprop(nodes, targets, seeds, sources, stop_ids=frozenset(), consume=False):
    """Gradients of sum(seed * target) w.r.t. each source (None where unconnected).

    `nodes` must be in forward order. Gradients reaching a tensor in `stop_ids` are kept for
    it but not propagated further (tf.gradients' `stop_gradients`). With `consume`, the list is
    emptied as the sweep goes, so each node (and the arrays only it holds) is freed as soon as
    its gradient has run. Nodes that no gradient reaches are passed over, so `nodes` need not
    be pruned towards the targets.
    """
    grads = {}
    for t, g in zip(targets, seeds):
        _accumulate(grads, t, g)
    keep = {s._id for s in sources}
    stack = nodes if consume else list(nodes)
    pop = stack.pop
    while stack:
        node = pop()
        outputs = node.outputs
        if len(outputs) == 1:           # the common case, without building lists
            k = outputs[0]._id
            dy = grads.get(k) if k in keep else grads.pop(k, None)
            if dy is None or k in stop_ids:
                continue
            dys = None
        else:
            dys = []
            for y in outputs:
                k = y._id
                dy = grads.get(k) if k in keep else grads.pop(k, None)
                dys.append(None if k in stop_ids else dy)
            if dys.count(None) == len(dys):
                continue
        fn = node.grad_fn
        if fn is None:
            if type(node) is TapeRecord:    # (no override: gradient_override_map is for graphs)
                fn = GRADIENTS.get(node.type, _MISSING)
                if fn is _MISSING:
                    fn = gradient_function(node)        # raises: no gradient defined
            else:
                fn = gradient_function(node)
            if fn is None:              # not differentiable: nothing flows through
                continue
        if dys is None:
            if type(dy) is IndexedSlices:       # (one check per node: the dense path's cost)
                dxs = _slices_into(node, dy)
                if dxs is not None:             # an op that passes slices on, as TF's
                    _store(grads, node.inputs, dxs)
                    continue
                if not getattr(fn, "takes_slices", False):
                    dy = convert_to_tensor(dy)  # any other op takes them dense, as TF's
        else:
            if IndexedSlices in map(type, dys):
                dys = [convert_to_tensor(d) if type(d) is IndexedSlices else d for d in dys]
            if fn not in TAKES_NONE and type(fn) not in TAKES_NONE:
                dys = fill_zeros(outputs, dys)
        try:
            dxs = fn(node, dy) if dys is None else fn(node, *dys)
        except Exception as e:
            raise gradient_error(e, fn, node) from e
        inputs = node.inputs
        if fn in TRUSTED or type(fn) in TRUSTED:    # (a class there checks its results)
            if type(dxs) is not tuple and type(dxs) is not list:
                # the first input's gradient alone (most ops): no tuple, no loop
                if dxs is not None and inputs:
                    dt = inputs[0].dtype
                    if dt.is_differentiable or dt is dtypes.resource:
                        k = inputs[0]._id
                        prev = grads.get(k)
                        grads[k] = dxs if prev is None else _add(prev, dxs)
                continue
        else:
            dxs = checked(fn, node, dxs)
        for x, dx in zip(inputs, dxs):      # (_store, written out: the dense path's cost)
            if dx is not None:
                dt = x.dtype
                if dt.is_differentiable or dt is dtypes.resource:
                    k = x._id
                    prev = grads.get(k)
                    grads[k] = dx if prev is None else _add(prev, dx)
    return [grads.get(s._id) for s in sources]


def _store(grads, inputs, dxs):
    for x, dx in zip(inputs, dxs):
        if dx is not None:
            dt = x.dtype
            if dt.is_differentiable or dt is dtypes.resource:
                k = x._id
                prev = grads.get(k)
                grads[k] = dx if prev is None else _add(prev, dx)


def _slices_into(node, dy):
    """The gradients of `node` for IndexedSlices `dy` where its op passes them on as TF's does
    (identities, variable reads, casts); None for every other op, which takes `dy` dense unless
    its gradient function `takes_slices` (a custom_gradient's grad_fn gets them, as TF's)."""
    if node.grad_fn is not None:
        return None
    t = node.type
    if t == "Identity" or t == "ReadVariableOp":
        return (dy,) + (None,) * (len(node.inputs) - 1)
    if t == "Cast":
        dt = node.inputs[0].dtype
        if dt.is_floating or dt.is_complex:
            return (IndexedSlices(_math.cast(dy.values, dt), dy.indices, dy.dense_shape),)
    return None


_MISSING = object()


def _accumulate(grads, x, dx):
    k = x._id
    prev = grads.get(k)
    grads[k] = dx if prev is None else _add(prev, dx)


def _add(a, b):
    if type(a) is IndexedSlices or type(b) is IndexedSlices:
        return add_slices(a, b)
    return _math.add(a, b)


def fill_zeros(outputs, dys):
    """The gradients of a multi-output op with zeros for the outputs nothing flowed into, as
    TF gives them (a gradient rule may take None instead: registry.gradient's `zeros`)."""
    if len(dys) == 1:
        return dys
    return [dy if dy is not None or not y.dtype.is_differentiable else zeros_for(y)
            for y, dy in zip(outputs, dys)]


def zeros_for(y):
    """Zeros of the shape and dtype of the op output `y`: a constant no tape watches, so a
    gradient of it is right to any order."""
    if type(y) is EagerTensor:          # maybe a record's stand-in: its shape, not its value
        v = y._value
        return EagerTensor(np.zeros(v.shape, v.dtype), y.dtype)
    return zeros_like(y)


def call_gradient(fn, node, dys):
    """Call a gradient function and check what it returns: one gradient (or None) per input,
    each a tensor of its input's shape."""
    try:
        dxs = fn(node, *dys)
    except Exception as e:
        raise gradient_error(e, fn, node) from e
    return checked(fn, node, dxs)


def gradient_error(e, fn, node):
    """What a gradient function's exception becomes: janusgrad's own op errors (and re-raised
    ones) describe themselves; anything else gets the op and the rule in front."""
    if getattr(e, "_janus_named", False) or isinstance(e, OpError):
        return e
    return _in_gradient(e, fn, node)


def checked(fn, node, dxs):
    """`dxs` as a sequence of one gradient (or None) per input of `node`, each of its input's
    shape and dtype (an error naming the op and the rule otherwise); None for the inputs a
    tape record marks skipped, whatever was returned for them."""
    inputs = node.inputs
    if type(dxs) is not tuple and type(dxs) is not list:
        dxs = (dxs,) if not isinstance(dxs, (list, tuple)) else tuple(dxs)
    if len(dxs) != len(inputs):
        raise ValueError(f"The gradient function {_rule(fn, node)} for operation '{node.name}' "
                         f"(op type: {node.type}) returned {len(dxs)} gradients, but the op has "
                         f"{len(inputs)} inputs: return one gradient (or None) per input")
    skip = getattr(node, "skip_input_indices", None)
    for i, dx in enumerate(dxs):
        if dx is None:
            continue
        if skip is not None and i in skip:
            # an input the tape does not differentiate (a Python number, an unwatched constant,
            # an integer tensor): its gradient is never used, and TF's tape does not look at it
            dxs = list(dxs)
            dxs[i] = None
            continue
        x = inputs[i]
        if type(dx) is IndexedSlices:   # (a custom gradient's slices go on as they are)
            continue
        if type(dx) is EagerTensor and type(x) is EagerTensor:
            if x.dtype.is_differentiable:
                if dx._value.shape != x._value.shape:
                    raise _bad_shape(fn, node, i, dx.shape, x.shape)
                if dx.dtype is not x.dtype:
                    raise _bad_dtype(fn, node, i, dx.dtype, x.dtype)
            continue
        if not isinstance(dx, Tensor):
            dxs = list(dxs)
            try:
                dxs[i] = convert_to_tensor(dx, dtype=x.dtype if x.dtype.is_differentiable
                                           else None)
            except (TypeError, ValueError):
                raise TypeError(f"The gradient function {_rule(fn, node)} for operation "
                                f"'{node.name}' (op type: {node.type}) returned "
                                f"{type(dx).__name__} for input {i}; expected a Tensor or "
                                "None") from None
        elif x.dtype.is_differentiable:
            if not dx.shape.is_compatible_with(x.shape):
                raise _bad_shape(fn, node, i, dx.shape, x.shape)
            if dx.dtype is not x.dtype:
                raise _bad_dtype(fn, node, i, dx.dtype, x.dtype)
    return dxs


def _rule(fn, node):
    """The gradient function, as a user would name it."""
    name = getattr(fn, "__name__", None) or repr(fn)
    if node.grad_fn is not None:
        return f"'{name}'"
    key = node.gradient_type if isinstance(node.gradient_type, str) else node.type
    return f"'{name}' (registered for '{key}')"


def _in_gradient(e, fn, node):
    """A gradient function's exception, same class, with the op and the rule in front (once:
    an error from a gradient inside that gradient already names its own op)."""
    msg = (f"in the gradient function {_rule(fn, node)} of operation '{node.name}' (op type: "
           f"{node.type}): {type(e).__name__}: {e}")
    try:
        new = type(e)(msg)
    except Exception:
        new = RuntimeError(msg)
    new._janus_named = True
    return new


def _bad_dtype(fn, node, i, got, want):
    return TypeError(f"The gradient function {_rule(fn, node)} for operation '{node.name}' "
                     f"(op type: {node.type}) returned a gradient of dtype {got.name} for input "
                     f"{i}, which has dtype {want.name}")


def _bad_shape(fn, node, i, got, want):
    return ValueError(f"The gradient function {_rule(fn, node)} for operation '{node.name}' "
                      f"(op type: {node.type}) returned a gradient of shape {got} for input {i}, "
                      f"which has shape {want}")

