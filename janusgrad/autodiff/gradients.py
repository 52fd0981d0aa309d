"""tf.gradients and tf.hessians: the shared sweep over graph operations."""
from ..framework import collector
from ..framework.context import current_graph, executing_eagerly
from ..framework.nest import flatten
from ..framework.tensor import EagerTensor, GraphTensor, Tensor
from ..ops.state import Variable
from .backprop import backprop, prune
from .subgraph import graph_blocks
from .tape import (UnconnectedGradients, check_seeds, check_unconnected, fill_unconnected, traced,
                   variable_handle)


def gradients(ys, xs, grad_ys=None, name="gradients", colocate_gradients_with_ops=False,
              gate_gradients=False, aggregation_method=None, stop_gradients=None,
              unconnected_gradients=UnconnectedGradients.NONE):
    """Symbolic d(sum(ys * grad_ys)) / d(x) for each x, as graph tensors (None if unconnected)."""
    if executing_eagerly():
        raise RuntimeError("tf.gradients is not supported when eager execution is enabled. "
                           "Use tf.GradientTape instead.")
    ys_list = [_tensor(y, "ys") for y in flatten(ys)]
    xs_flat = flatten(xs)
    keys = [_key(x) for x in xs_flat]
    graph = current_graph()
    for t in ys_list + keys:
        if isinstance(t, GraphTensor) and t.graph is not graph:
            inner = getattr(graph, "captures", None)
            raise ValueError(f"tf.gradients: tensor {t.name} is from a different graph than the "
                             "one being built" + ("" if inner is None else " (a tf.function body)"))
    check_unconnected(unconnected_gradients)
    stop = flatten(stop_gradients) if stop_gradients is not None else []
    stop_ids = frozenset(_key(s)._id for s in stop)
    with graph.name_scope(name or "gradients"), collector.paused():
        from ..ops.array import ones_like
        if grad_ys is None:
            seeds = [ones_like(y) for y in ys_list]
        else:
            seeds = [ones_like(y) if g is None else g
                     for g, y in zip(check_seeds("tf.gradients: grad_ys", grad_ys, ys_list),
                                     ys_list)]
        first = min((k.op._id for k in keys if isinstance(k, GraphTensor)), default=0)
        candidates = graph.ops_since(first)
        nodes = prune(candidates, ys_list, keys, graph_blocks(graph))
        grads = backprop(nodes, ys_list, seeds, keys, stop_ids)
        return [fill_unconnected(g, x, unconnected_gradients) for g, x in zip(grads, xs_flat)]


def hessians(ys, xs, name="hessians", colocate_gradients_with_ops=False, gate_gradients=False,
             aggregation_method=None):
    """The hessian of sum(ys) w.r.t. each x, shaped x.shape + x.shape."""
    from ..ops.array import reshape, stack, unstack
    xs_flat = flatten(xs)
    out = []
    for x, g in zip(xs_flat, gradients(ys, xs_flat)):
        if g is None:
            out.append(None)
            continue
        n = x.shape.num_elements()
        if n is None:
            raise ValueError(f"tf.hessians needs a fully known shape for {x}, got {x.shape}")
        flat = reshape(g, [-1])
        rows = []
        for gi in unstack(flat, num=n):
            (h,) = gradients(gi, x)
            if h is None:       # TF writes the row into a TensorArray, which refuses None
                raise ValueError("None values not supported.")
            rows.append(reshape(h, [-1]))
        out.append(reshape(stack(rows), x.shape.as_list() + x.shape.as_list()))
    return out


def _tensor(y, what):
    if isinstance(y, Variable):
        return y.value()
    if not isinstance(y, Tensor):
        raise TypeError(f"tf.gradients: {what} must be tensors, got {y!r}")
    return y


def _key(x):
    """The tensor that stands for x in the graph being built: inside a tf.function a variable
    is read through its captured handle, an eager tensor through its capture."""
    if isinstance(x, Variable):
        return variable_handle(x)
    if not isinstance(x, Tensor):
        raise TypeError(f"tf.gradients: xs must be tensors or variables, got {x!r}")
    return traced(x) if isinstance(x, EagerTensor) else x
