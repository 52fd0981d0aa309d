"""tf.map_fn and tf.vectorized_map: `fn` applied to the slices of `elems` along axis 0, the
results stacked.

Eagerly a Python loop (fn runs on each slice; tapes record it). In a graph (and tf.function) fn
is traced once, on a slice's shape, and one `MapFn` op (`StatelessMapFn` when fn has no side
effects) runs the trace on every slice: the number of slices may be known only when the graph
runs. Its gradient is again a MapFn, over the trace's gradient: the slices' gradients are
stacked, those of the tensors fn uses whole (captures, variables) summed.

vectorized_map is the same loop (no vectorization), with the output structure fn returns.
"""
import numpy as np

from ..framework import dtypes
from ..framework.context import current_graph
from ..framework.errors import InvalidArgumentError, short_repr
from ..framework.execute import execute
from ..framework.nest import assert_same_structure, flatten, pack_sequence_as
from ..framework.registry import gradient, register_kernel
from ..framework.shape import TensorShape
from ..framework.tensor import Tensor, convert_to_tensor
from ..ops.array import stack, stop_gradient, unstack, zeros, zeros_like
from ..ops.array import concat, expand_dims, ones_like, reshape
from ..ops.array import shape as dynamic_shape
from ..ops.indexing import gather, one_hot
from ..ops.control import name_scope
from ..ops.state import Variable
from .control_flow import while_loop
from .function import Function, TensorSpec


# -- the op ------------------------------------------------------------------------------------

def _map_kernel(*arrays, body, sliced, summed):
    n = None
    for a, s in zip(arrays, sliced):
        if s:
            if np.ndim(a) == 0:
                raise InvalidArgumentError("map_fn: the elements must be 1+ dimensional "
                                           "tensors, got a scalar")
            if n is None:
                n = len(a)
            elif len(a) != n:
                raise InvalidArgumentError(f"map_fn: all elements must have the same length "
                                           f"along axis 0, got {n} and {len(a)}")
    results = [body.run([a[i] if s else a for a, s in zip(arrays, sliced)]) for i in range(n)]
    outs = []
    for j, (out, is_sum) in enumerate(zip(body.outputs, summed)):
        parts = [r[j] for r in results]
        if is_sum:
            total = np.zeros(_known(out.shape, ()), out.dtype.np) if not parts else parts[0]
            for p in parts[1:]:
                total = total + p
            outs.append(np.asarray(total, out.dtype.np))
        elif parts:
            outs.append(np.stack(parts))
        else:           # nothing to stack: TF's empty result, of the element shape when known
            outs.append(np.zeros((0,) + _known(out.shape, ()), out.dtype.np))
    return outs


def _known(shape, default):
    return tuple(shape.as_list()) if shape.is_fully_defined() else default


def _map_infer(inputs, attrs):
    n = None
    for t, s in zip(inputs, attrs["sliced"]):
        if s and t.shape.rank and t.shape[0] is not None:
            n = t.shape[0]
            break
    return [(o.dtype, o.shape if is_sum else TensorShape([n]).concatenate(o.shape))
            for o, is_sum in zip(attrs["body"].outputs, attrs["summed"])]


# "MapFn" when fn has side effects (run even if unused), else "StatelessMapFn"
register_kernel("MapFn", _map_kernel, multi=True, infer=_map_infer, side_effect=True)
register_kernel("StatelessMapFn", _map_kernel, multi=True, infer=_map_infer)


def _map_op(body, inputs, sliced, summed, name=None):
    op_type = "MapFn" if body._side_effects else "StatelessMapFn"
    attrs = {"body": body, "sliced": tuple(sliced), "summed": tuple(summed)}
    return execute(op_type, list(inputs), attrs, name=name)


@gradient("MapFn")
@gradient("StatelessMapFn")
def _map_grad(op, *dys):
    """a MapFn over the body's gradient: slices' gradients stacked, whole inputs' summed"""
    body, sliced, summed = op.get_attr("body"), op.get_attr("sliced"), op.get_attr("summed")
    diff = [j for j, o in enumerate(body.outputs) if o.dtype.is_differentiable]
    if not diff:
        return [None] * len(op.inputs)
    g = body.gradient_function()
    inputs = list(op.inputs) + [dys[j] if dys[j] is not None else zeros_like(op.outputs[j])
                                for j in diff] + list(g.extra_captured)
    g_sliced = list(sliced) + [not summed[j] for j in diff] + [False] * len(g.extra_captured)
    connected = [i for i, c in enumerate(g.connected) if c and i < len(op.inputs)]
    if not connected:
        return [None] * len(op.inputs)
    outs = _map_op(g, inputs, g_sliced, [not sliced[i] for i in connected])
    grads = [None] * len(op.inputs)
    for i, d in zip(connected, outs):
        grads[i] = d
    return grads


# -- map_fn, vectorized_map --------------------------------------------------------------------

def map_fn(fn, elems, dtype=None, parallel_iterations=None, back_prop=True, swap_memory=False,
           infer_shape=True, name=None, fn_output_signature=None):
    """`fn` on each slice of `elems` along axis 0, the results stacked. In a graph it is one
    `MapFn` op, not TF's while loop over TensorArrays.

    `elems` is a tensor or a nest of them; `fn(elems[i])` has the structure and dtypes of
    `fn_output_signature` (`dtype`, TF1's name), by default those of `elems`."""
    signature = fn_output_signature if fn_output_signature is not None else dtype
    return _map("map_fn", fn, elems, signature, True, back_prop, parallel_iterations,
                name or "map")


def vectorized_map(fn, elems, fallback_to_while_loop=True, warn=True):
    """`fn` on each slice of `elems` along axis 0, the results stacked (as map_fn, with the
    structure and dtypes fn returns). janusgrad runs it as a loop, not vectorized."""
    return _map("vectorized_map", fn, elems, None, False, True, None, "loop_body")


def _map(who, fn, elems, signature, default_to_elems, back_prop, parallel_iterations, name):
    if not callable(fn):
        raise TypeError(f"{who}: fn must be callable, got {short_repr(fn)}")
    if parallel_iterations is not None and (not isinstance(parallel_iterations, int)
                                            or parallel_iterations < 1):
        raise ValueError(f"{who}: parallel_iterations must be a positive integer, got "
                         f"{parallel_iterations!r}")
    try:
        leaves = flatten(elems)
    except RecursionError:
        raise ValueError(f"{who}: elems is nested too deeply") from None
    flat = [_as_tensor(who, e) for e in leaves]
    if not flat:
        raise ValueError(f"{who}: elems must be a Tensor or (possibly nested) sequence of "
                         f"Tensors, got {short_repr(elems)}")
    n = None
    for t in flat:
        if t.shape.rank == 0:
            raise ValueError(f"{who}: elements in elems must be 1+ dimensional Tensors, not "
                             "scalars")
        d = t.shape[0] if t.shape.rank else None
        if d is not None:
            if n is not None and d != n:
                raise ValueError(f"{who}: Dimensions {n} and {d} are not compatible (all of "
                                 "elems must have the same length along axis 0)")
            n = d
    if signature is None and default_to_elems:
        signature = pack_sequence_as(elems, [t.dtype for t in flat])
    graph = current_graph()
    if graph is None and n:
        result = _eager_map(who, fn, elems, flat, n, signature)
    elif graph is None and signature is not None:
        result = _empty(signature)          # n == 0: fn is not called
    elif graph is None:
        result = _traced_map(who, fn, elems, flat, signature, None)
    else:
        with graph.name_scope(name):
            result = _traced_map(who, fn, elems, flat, signature, graph)
    if not back_prop and graph is not None:      # eagerly TF ignores back_prop
        result = pack_sequence_as(result, [stop_gradient(t) for t in flatten(result)])
    return result


def _as_tensor(who, e):
    if isinstance(e, Variable):
        return e.value()
    try:
        return convert_to_tensor(e)
    except (TypeError, ValueError) as err:
        raise type(err)(f"{who}: elems must be tensors, got {short_repr(e)}: {err}") from None


def _specs(signature):
    """(dtype, shape or None) for each leaf of an output signature."""
    out = []
    for leaf in flatten(signature):
        if isinstance(leaf, TensorSpec):
            out.append((leaf.dtype, leaf.shape))
        else:
            try:
                out.append((dtypes.as_dtype(leaf), None))
            except (TypeError, ValueError):
                raise TypeError(f"map_fn: fn_output_signature must be a dtype, a TensorSpec or "
                                f"a nest of them, got {short_repr(leaf)}") from None
    return out


def _empty(signature):
    leaves = [zeros([0] + (s.as_list() if s is not None and s.is_fully_defined() else []), d)
              for d, s in _specs(signature)]
    return pack_sequence_as(signature, leaves)


def _outputs(who, result, signature):
    """fn's result, flattened and checked against the signature (structure and dtypes)."""
    if signature is None:
        leaves = flatten(result)
        if any(v is None for v in leaves):
            raise ValueError(f"{who}: fn returned None, which is not a tensor")
        return result, [v.value() if isinstance(v, Variable) else convert_to_tensor(v)
                        for v in leaves]
    assert_same_structure(signature, result)
    leaves = []
    for v, (dtype, shape) in zip(flatten(result), _specs(signature)):
        if isinstance(v, Variable):
            v = v.value()
        t = v if isinstance(v, Tensor) else convert_to_tensor(v, dtype=dtype)
        if t.dtype is not dtype:
            raise InvalidArgumentError(f"{who}: fn returned a {t.dtype.name} tensor where its "
                                       f"output signature says {dtype.name}")
        if shape is not None and not shape.is_compatible_with(t.shape):
            raise ValueError(f"{who}: fn returned a tensor of shape {t.shape} where its output "
                             f"signature says {shape}")
        leaves.append(t)
    return signature, leaves


def _eager_map(who, fn, elems, flat, n, signature):
    slices = [unstack(t, num=n) for t in flat]
    structure, rows = None, []
    for i in range(n):
        structure, leaves = _outputs(who, fn(pack_sequence_as(elems, [s[i] for s in slices])),
                                     signature)
        rows.append(leaves)
    columns = [stack([row[j] for row in rows]) for j in range(len(rows[0]))]
    return pack_sequence_as(structure, columns)


def _traced_map(who, fn, elems, flat, signature, graph):
    specs = [TensorSpec(t.shape[1:], t.dtype) for t in flat]
    found = {}

    def body(elem):
        found["structure"], leaves = _outputs(who, fn(elem), signature)
        return leaves

    body.__name__ = "map_body"
    cf = Function(body, input_signature=specs)._trace((pack_sequence_as(elems, specs),), {})
    n_flat = len(flat)
    outs = _map_op(cf, flat + cf.captured, [True] * n_flat + [False] * len(cf.captured),
                   [False] * len(cf.outputs))
    return pack_sequence_as(found["structure"], outs)


# -- tf.scan (issue 18: the gaps the TF programs found) ----------------------------------------
# A loop over the slices, in both modes (in a graph unrolled when the length of elems is known
# there, else a while loop): the ops fn makes are ordinary ops, so gradients flow through them
# as through any (tapes eagerly, tf.gradients in graphs).

def scan(fn, elems, initializer=None, parallel_iterations=10, back_prop=True,
         swap_memory=False, infer_shape=True, reverse=False, name=None):
    """acc_i = fn(acc_{i-1}, elems[i]) along axis 0 (from the end with `reverse`), starting
    from `initializer` (by default elems[0], which is then the first result); the results
    stacked, with the structure of the accumulator."""
    if not callable(fn):
        raise TypeError(f"scan: fn must be callable, got {short_repr(fn)}")
    try:
        leaves = flatten(elems)
    except RecursionError:
        raise ValueError("scan: elems is nested too deeply") from None
    flat = [_as_tensor("scan", e) for e in leaves]
    if not flat:
        raise ValueError(f"scan: elems must be a Tensor or (possibly nested) sequence of "
                         f"Tensors, got {short_repr(elems)}")
    n = None
    for t in flat:
        if t.shape.rank == 0:
            raise ValueError("scan: elements in elems must be 1+ dimensional Tensors, not "
                             "scalars")
        d = t.shape[0] if t.shape.rank else None
        if d is not None and n is not None and d != n:
            raise ValueError(f"scan: Dimensions {n} and {d} are not compatible (all of elems "
                             "must have the same length along axis 0)")
        n = d if d is not None else n
    if n is None:                       # known only when the graph runs: a while loop
        with name_scope(name, "scan"):
            return _scan_loop(fn, elems, flat, initializer, reverse)
    if initializer is None and n == 0:
        raise ValueError("scan: elems is empty and there is no initializer")
    with name_scope(name, "scan"):
        columns = [unstack(t, num=n) for t in flat]
        steps = [pack_sequence_as(elems, [c[i] for c in columns]) for i in range(n)]
        order = list(range(n - 1, -1, -1) if reverse else range(n))
        results = [None] * n
        if initializer is None:
            acc = steps[order[0]]
            results[order[0]] = acc
            order = order[1:]
        else:
            acc = pack_sequence_as(initializer,
                                   [_as_tensor("scan", a) for a in flatten(initializer)])
        first = acc
        for i in order:
            out = fn(acc, steps[i])
            try:
                assert_same_structure(first, out)
            except (TypeError, ValueError) as e:
                raise ValueError(f"scan: fn must return the structure of the accumulator "
                                 f"(initializer, else elems[0]): {e}") from None
            acc = pack_sequence_as(first, [convert_to_tensor(a) for a in flatten(out)])
            results[i] = acc
        if n == 0:
            return pack_sequence_as(first, [zeros([0] + t.shape.as_list(), t.dtype)
                                            for t in flatten(first)])
        per_step = [flatten(r) for r in results]
        return pack_sequence_as(first, [stack([s[j] for s in per_step])
                                        for j in range(len(per_step[0]))])


def _scan_loop(fn, elems, flat, initializer, reverse):
    """scan as a while loop over i: elems[k] a gather (k = i, or n - 1 - i with reverse), each
    result put in row k of outputs of shape [n, ...] by adding it times one_hot(k), so that
    every loop variable keeps its shape and the loop's gradient runs back over the steps."""
    n = dynamic_shape(flat[0])[0]

    def index(i):
        return n - 1 - i if reverse else i

    def element(i):
        return pack_sequence_as(elems, [gather(t, index(i)) for t in flat])

    def placed(outs, i, values):
        rows = []
        for o, a in zip(outs, values):
            hot = one_hot(index(i), n, dtype=a.dtype)
            hot = reshape(hot, concat([expand_dims(n, 0), ones_like(dynamic_shape(a))], 0))
            rows.append(o + hot * expand_dims(a, 0))
        return rows

    if initializer is None:
        first, start = element(0), 1
    else:
        first = pack_sequence_as(initializer,
                                 [_as_tensor("scan", a) for a in flatten(initializer)])
        start = 0
    firsts = flatten(first)
    outs = [zeros(concat([expand_dims(n, 0), dynamic_shape(a)], 0), a.dtype) for a in firsts]
    if initializer is None:
        outs = placed(outs, 0, firsts)

    def body(i, acc, outs):
        out = fn(pack_sequence_as(first, acc), element(i))
        try:
            assert_same_structure(first, out)
        except (TypeError, ValueError) as e:
            raise ValueError(f"scan: fn must return the structure of the accumulator "
                             f"(initializer, else elems[0]): {e}") from None
        new = [convert_to_tensor(a) for a in flatten(out)]
        return (i + 1, new, placed(outs, i, new))

    invariants = (TensorShape([]), [a.shape for a in firsts],
                  [TensorShape([None]).concatenate(a.shape) for a in firsts])
    _, _, outs = while_loop(lambda i, acc, outs: i < n, body,
                            (convert_to_tensor(start), firsts, outs),
                            shape_invariants=invariants)
    return pack_sequence_as(first, outs)
