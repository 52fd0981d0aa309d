"""Control flow over traced functions: cond (an `If` op over traced branches), while_loop (a
`While` op over a traced cond and body) and case. Their kernels run the traced functions'
plans and their gradients trace the branches' and body's gradients, so they sit above autodiff
beside tf.function (function.py), which they are built from. Eagerly they are Python branches
and loops.
"""
import numpy as np

from ..framework import dtypes
from ..framework.context import current_graph, executing_eagerly
from ..framework.errors import UnimplementedError, short_repr
from ..framework.execute import execute
from ..framework.nest import (assert_same_structure, flatten, flatten_up_to, is_sequence,
                              map_structure, pack_sequence_as)
from ..framework.registry import gradient, not_differentiable, register_kernel
from ..framework.shape import TensorShape
from ..framework.tensor import Tensor, convert_to_tensor
from ..ops.array import reshape, stack, stop_gradient, zeros_like
from ..ops.control import Assert, control_dependencies
from ..ops.math import cast
from ..ops.reduce import reduce_sum
from ..ops.state import Variable
from .function import Function, TensorSpec


# -- cond --------------------------------------------------------------------------------------

def _if_kernel(pred, *captures, then_branch, else_branch, n_then):
    if pred:
        return then_branch.run(list(captures[:n_then]))
    return else_branch.run(list(captures[n_then:]))


def _if_infer(inputs, attrs):
    t, e = attrs["then_branch"].outputs, attrs["else_branch"].outputs
    return [(a.dtype, _common_shape(a.shape, b.shape)) for a, b in zip(t, e)]


# As in TF: "If" when a branch has side effects (a tf.function runs it even if its outputs are
# unused), "StatelessIf" otherwise (pruned when unused).
register_kernel("If", _if_kernel, multi=True, infer=_if_infer, side_effect=True)
register_kernel("StatelessIf", _if_kernel, multi=True, infer=_if_infer)


def _if_op(pred, then_cf, else_cf, name=None):
    """The If / StatelessIf op running the traced branch functions; returns its outputs."""
    op_type = "If" if then_cf._side_effects or else_cf._side_effects else "StatelessIf"
    inputs = [pred] + then_cf.captured + else_cf.captured
    attrs = {"then_branch": then_cf, "else_branch": else_cf, "n_then": len(then_cf.captured)}
    return execute(op_type, inputs, attrs, name=name)


def _common_shape(a, b):
    if a.rank is None or b.rank is None or a.rank != b.rank:
        return TensorShape(None)
    return TensorShape([p if p == q else None for p, q in zip(a.dims, b.dims)])


def cond(pred, true_fn=None, false_fn=None, strict=False, name=None):
    """`true_fn()` if pred else `false_fn()`. Eager: Python branching; graph: one `If` op
    (`StatelessIf` when the branches have no side effects) that runs only the branch taken,
    and whose gradient is again a cond."""
    if not callable(true_fn):
        raise TypeError("true_fn must be callable.")
    if not callable(false_fn):
        raise TypeError("false_fn must be callable.")
    graph = current_graph()
    if graph is None:
        value = pred.numpy() if isinstance(pred, Tensor) else pred
        if isinstance(value, np.ndarray) and value.size != 1:
            raise ValueError(f"cond: pred must be a scalar, got shape {value.shape}")
        return true_fn() if bool(value) else false_fn()
    pred = convert_to_tensor(pred)
    if not pred.dtype.is_bool:
        raise TypeError(f"cond: pred must be a bool tensor, got {pred.dtype.name}")
    if pred.shape.rank not in (None, 0):
        raise ValueError(f"cond: pred must be a scalar, got shape {pred.shape}")
    then_cf = Function(true_fn)._trace((), {})
    else_cf = Function(false_fn)._trace((), {})
    _check_branches(then_cf, else_cf)
    outs = _if_op(pred, then_cf, else_cf, name=name or "cond")
    return pack_sequence_as(then_cf.structure, _with_nones(then_cf, outs))


def _with_nones(cf, outs):
    it = iter(outs)
    return [None if t is None else next(it) for t in cf._flat_with_nones]


def _check_branches(a, b):
    """TF2's errors: TypeError for another structure or dtype, ValueError for None vs tensor."""
    def mismatch(detail):
        return TypeError("true_fn and false_fn arguments to tf.cond must have the same number, "
                         "type, and overall structure of return values.\n\n"
                         f"true_fn output: {a.structure}\nfalse_fn output: {b.structure}\n\n"
                         f"Error details:\n{detail}")
    try:
        assert_same_structure(a.structure, b.structure)
    except (ValueError, TypeError) as e:
        raise mismatch(e) from None
    if a._flat_with_nones != b._flat_with_nones:
        raise ValueError("Lengths of branch outputs of cond must match.\n"
                         f"len(graphs[0].outputs): {len(a.outputs)}\n"
                         f"len(graphs[1].outputs): {len(b.outputs)}")
    for x, y in zip(a.outputs, b.outputs):
        if x.dtype is not y.dtype:
            raise mismatch(f"{x.dtype.name} and {y.dtype.name} have different types")


def _differentiable(t):
    return t.dtype.is_differentiable or t.dtype is dtypes.resource


@gradient("If")
@gradient("StatelessIf")
def _if_grad(op, *dys):
    """cond(pred, gradient of the then branch, gradient of the else branch)"""
    pred = op.inputs[0]
    then_cf, else_cf = op.get_attr("then_branch"), op.get_attr("else_branch")
    n = op.get_attr("n_then")
    then_caps, else_caps = list(op.inputs[1:1 + n]), list(op.inputs[1 + n:])
    dys = [dy for dy, y in zip(dys, op.outputs) if y.dtype.is_differentiable]
    wanted = [i for i, t in enumerate(op.inputs[1:]) if _differentiable(t)]
    if not wanted or not dys:
        return [None] * len(op.inputs)
    shapes = {}

    def branch_grads(cf, caps, offset):
        g = cf.gradient_function()
        outs = g.call_flat(caps + dys + g.extra_captured) if g.outputs else []
        it = iter(outs)
        mine = [next(it) if c else None for c in g.connected]
        result = []
        for i in wanted:
            j = i - offset
            if 0 <= j < len(caps) and mine[j] is not None:
                result.append(mine[j])
                shapes[i] = mine[j].dtype
            else:
                result.append(_zeros_for(op.inputs[1 + i], shapes.get(i)))
        return result

    # trace the then branch first so that the else branch knows the dtypes of resource grads
    then_fn = lambda: branch_grads(then_cf, then_caps, 0)  # noqa: E731
    else_fn = lambda: branch_grads(else_cf, else_caps, n)  # noqa: E731
    t_cf = Function(then_fn)._trace((), {})
    e_cf = Function(else_fn)._trace((), {})
    t_cf = Function(then_fn)._trace((), {}) if any(
        a.dtype is not b.dtype for a, b in zip(t_cf.outputs, e_cf.outputs)) else t_cf
    outs = _if_op(pred, t_cf, e_cf)
    grads = [None] * len(op.inputs)
    for i, g in zip(wanted, outs):
        grads[1 + i] = g
    return grads


def _zeros_for(t, dtype):
    if t.dtype is dtypes.resource:
        return execute("ResourceZerosLike", [t], {"dtype": dtype or dtypes.float32})[0]
    return zeros_like(t)


register_kernel("ResourceZerosLike",
                lambda h, *, dtype: np.zeros(np.shape(h.read()), dtype.np),
                infer=lambda i, a: [(a["dtype"], TensorShape(None))])
not_differentiable("ResourceZerosLike")


# -- while_loop --------------------------------------------------------------------------------

class _Accumulate:
    """Whether a While op keeps the loop state of every iteration for its gradient. Turned on
    when the gradient is built, so a loop that is never differentiated stores nothing."""
    __slots__ = ("on",)

    def __init__(self):
        self.on = False

    def __repr__(self):
        return f"accumulate={self.on}"


def _while_kernel(max_iter, *args, cond, body, n_vars, n_cond, bounded, shape_invariants,
                  parallel_iterations, accumulate):
    vals = list(args[:n_vars])
    cond_caps, body_caps = list(args[n_vars:n_vars + n_cond]), list(args[n_vars + n_cond:])
    states, i = [], 0
    while (not bounded or i < max_iter) and cond.run(vals + cond_caps)[0]:
        if accumulate.on:
            states.append(vals)
        vals = body.run(vals + body_caps)
        i += 1
    return vals + [np.array(i, np.int32)] + [_stack(states, k, args[k]) for k in range(n_vars)]


def _stack(states, k, first):
    """Loop variable k at the start of every iteration, stacked (empty if none was kept)."""
    if not states:
        return np.zeros((0,) + np.shape(first), np.asarray(first).dtype)
    try:
        return np.stack([s[k] for s in states])
    except ValueError:
        shapes = sorted({np.shape(s[k]) for s in states})
        raise UnimplementedError(f"the gradient of tf.while_loop needs loop variable {k} to keep "
                                 f"one shape across iterations; it took the shapes {shapes}") \
            from None


def _while_infer(inputs, attrs):
    n = attrs["n_vars"]
    loop_vars, shapes = inputs[1:1 + n], attrs["shape_invariants"]
    return ([(v.dtype, s) for v, s in zip(loop_vars, shapes)] + [(dtypes.int32, TensorShape([]))]
            + [(v.dtype, TensorShape([None]).concatenate(s)) for v, s in zip(loop_vars, shapes)])


# "While" when cond or body has side effects (run even if unused), else "StatelessWhile", as TF
register_kernel("While", _while_kernel, multi=True, infer=_while_infer, side_effect=True)
register_kernel("StatelessWhile", _while_kernel, multi=True, infer=_while_infer)


def while_loop(cond, body, loop_vars, shape_invariants=None, parallel_iterations=10,
               back_prop=True, swap_memory=False, maximum_iterations=None, name=None):
    """TF 2's while_loop (see `_while_loop`): eagerly, a body returning a bare tensor where
    loop_vars is a list of one is a TypeError, as in TF."""
    return _while_loop(cond, body, loop_vars, shape_invariants, parallel_iterations, back_prop,
                       maximum_iterations, name, strict=True)


def while_loop_v1(cond, body, loop_vars, shape_invariants=None, parallel_iterations=10,
                  back_prop=True, swap_memory=False, name=None, maximum_iterations=None,
                  return_same_structure=False):
    """TF 1's while_loop (tf.compat.v1): a body may return a bare tensor for a list of one, and
    in a graph a loop of one variable returns it bare (unless return_same_structure), as TF's."""
    result = _while_loop(cond, body, loop_vars, shape_invariants, parallel_iterations, back_prop,
                         maximum_iterations, name, strict=False)
    if not return_same_structure and not executing_eagerly():
        flat = flatten(result)
        if len(flat) == 1:
            return flat[0]
    return result


def _while_loop(cond, body, loop_vars, shape_invariants, parallel_iterations, back_prop,
                maximum_iterations, name, strict):
    """Repeat `loop_vars = body(*loop_vars)` while `cond(*loop_vars)`; returns the final loop_vars.

        i, total = tf.while_loop(lambda i, s: i < 10, lambda i, s: (i + 1, s + i), [0, 0])

    Eager: a Python loop. Graph (and tf.function): one `While` op (`StatelessWhile` when cond
    and body have no side effects) over the traced cond and body, with static shapes from
    `shape_invariants`; its gradient runs the body's gradient backwards over the loop states,
    which the op keeps once a gradient asks for them.
    """
    if not callable(cond):
        raise TypeError("'cond' must be callable.")
    if not callable(body):
        raise TypeError("'body' must be callable.")
    if parallel_iterations < 1:
        raise TypeError("'parallel_iterations' must be a positive integer.")
    if loop_vars is None or (is_sequence(loop_vars) and not flatten(loop_vars)):
        raise ValueError("'loop_vars' must be provided.")
    if not is_sequence(loop_vars):      # TF takes len() of it: a TypeError, in both modes
        what = "Scalar tensor has no `len()`" if isinstance(loop_vars, (Tensor, Variable)) and \
            loop_vars.shape.rank == 0 else \
            f"object of type '{type(loop_vars).__name__}' has no len()"
        raise TypeError(f"while_loop: loop_vars must be a list or tuple (of tensors), got "
                        f"{short_repr(loop_vars)}: {what}")
    loop_vars = map_structure(_as_loop_var, loop_vars)
    if maximum_iterations is not None:
        maximum_iterations = convert_to_tensor(maximum_iterations, name="maximum_iterations")
        if maximum_iterations.shape.rank not in (0, None):
            raise ValueError("'maximum_iterations' must be a scalar. Received shape: "
                             f"{maximum_iterations.shape}")
    graph = current_graph()
    if graph is None:
        result = _eager_while(cond, body, loop_vars, maximum_iterations, strict)
    else:
        with graph.name_scope(name or "while"):
            result = _graph_while(cond, body, loop_vars, shape_invariants, parallel_iterations,
                                  maximum_iterations)
    if not back_prop:
        result = map_structure(stop_gradient, result)
    return result


def _as_loop_var(v):
    if isinstance(v, Variable):
        return v.value()
    return convert_to_tensor(v)


def _eager_while(cond, body, loop_vars, maximum_iterations, strict=False):
    """TF's eager while_loop: a Python loop; a body returning one tensor is wrapped in a list
    (TF 1), or a TypeError (TF 2, `strict`: it takes list() of the body's result)."""
    single = not is_sequence(loop_vars)
    container = type(loop_vars) if type(loop_vars) in (list, tuple) else list
    limit = None if maximum_iterations is None else int(maximum_iterations.numpy())
    i = 0
    while limit is None or i < limit:
        keep_going = cond(loop_vars) if single else cond(*loop_vars)
        if not keep_going:
            break
        new = body(loop_vars) if single else body(*loop_vars)
        if not single and not is_sequence(new):
            if strict:
                tail = ": Cannot iterate over a scalar tensor." if isinstance(
                    new, (Tensor, Variable)) and new.shape.rank == 0 else ""
                raise TypeError(f"while_loop: body must return a list or tuple like loop_vars, "
                                f"got {short_repr(new)}{tail}")
            new = container((new,))
        assert_same_structure(loop_vars if single else list(loop_vars),
                              new if single else list(new))
        loop_vars = new
        i += 1
    return map_structure(_as_loop_var, loop_vars)


def _graph_while(cond, body, loop_vars, shape_invariants, parallel_iterations, maximum_iterations):
    single = not is_sequence(loop_vars)
    flat = flatten(loop_vars)
    invariants = _invariants(loop_vars, flat, shape_invariants)
    specs = [TensorSpec(s, v.dtype) for v, s in zip(flat, invariants)]
    args = (loop_vars,) if single else tuple(loop_vars)

    def wrapped_cond(*vs):
        pred = convert_to_tensor(cond(*vs))
        if not pred.dtype.is_bool:
            raise TypeError(f"tf.while_loop: cond must return a bool scalar, got a "
                            f"{pred.dtype.name} tensor")
        if pred.shape.rank != 0:
            pred = reshape(pred, [])
        return pred

    def wrapped_body(*vs):
        out = body(*vs)
        if not single and not is_sequence(out):
            out = [out]
        assert_same_structure(loop_vars if single else list(loop_vars),
                              out if single else list(out))
        return out

    wrapped_cond.__name__, wrapped_body.__name__ = "cond", "body"
    cond_cf = Function(wrapped_cond, input_signature=specs)._trace(args, {})
    body_cf = Function(wrapped_body, input_signature=specs)._trace(args, {})
    _check_body(body_cf, flat, invariants)
    bounded = maximum_iterations is not None
    limit = maximum_iterations if bounded else convert_to_tensor(0)
    inputs = [limit] + flat + cond_cf.captured + body_cf.captured
    attrs = {"cond": cond_cf, "body": body_cf, "n_vars": len(flat),
             "n_cond": len(cond_cf.captured), "bounded": bounded,
             "shape_invariants": tuple(invariants), "parallel_iterations": parallel_iterations,
             "accumulate": _Accumulate()}
    op_type = "While" if cond_cf._side_effects or body_cf._side_effects else "StatelessWhile"
    outs = execute(op_type, inputs, attrs, name="while")
    return pack_sequence_as(loop_vars, outs[:len(flat)])


def _invariants(loop_vars, flat, shape_invariants):
    if shape_invariants is None:
        return [v.shape for v in flat]
    shapes = [TensorShape(s) for s in flatten_up_to(loop_vars, shape_invariants)]
    for v, s in zip(flat, shapes):
        if not s.is_compatible_with(v.shape):
            raise ValueError(f"The shape invariant specified for {_describe_var(v)} is not "
                             "compatible with the initial shape of the loop variable. It enters "
                             f"the loop with shape {v.shape}, but the specified shape invariant "
                             f"is {s}.")
    return shapes


def _describe_var(v):
    return getattr(v, "name", None) or "a loop variable"


def _check_body(body_cf, flat, invariants):
    """TF's checks on the body's outputs: one per loop variable, same dtype, shape within the
    shape invariant."""
    if len(body_cf.outputs) != len(flat):
        raise ValueError(f"tf.while_loop: body returned {len(body_cf.outputs)} tensors (None is "
                         f"not a tensor) for {len(flat)} loop variables")
    for v, out, inv in zip(flat, body_cf.outputs, invariants):
        if out.dtype is not v.dtype:
            raise TypeError(f"Loop var {_describe_var(v)} enters the loop with type "
                            f"{v.dtype.name} but has type {out.dtype.name} after 1 iteration. "
                            "All loop vars must have a fixed type.")
        if not _shape_within(out.shape, inv):
            raise ValueError(f"Input tensor '{_describe_var(v)}' enters the loop with shape "
                             f"{v.shape}, but has shape {out.shape} after one iteration. To allow "
                             "the shape to vary across iterations, use the `shape_invariants` "
                             "argument of tf.while_loop to specify a less-specific shape.")


def _shape_within(shape, invariant):
    """`shape` is as specific as `invariant` or more (TF's _ShapeLessThanOrEqual)."""
    if invariant.rank is None:
        return True
    if shape.rank != invariant.rank:
        return False
    return all(b is None or a == b for a, b in zip(shape.dims, invariant.dims))


@gradient("While", zeros=False)
@gradient("StatelessWhile", zeros=False)
def _while_grad(op, *dys):
    """a While loop running from the last iteration to the first: d state_i = dstack[i] +
    body's vjp at state_i of d state_(i+1); the body's captures sum their gradients (None for an
    output no gradient reached: no zeros stacked up for the loop states nobody reads)"""
    n, n_cond = op.get_attr("n_vars"), op.get_attr("n_cond")
    body = op.get_attr("body")
    loop_vars, body_caps = op.inputs[1:1 + n], list(op.inputs[1 + n + n_cond:])
    count, stacks = op.outputs[n], op.outputs[n + 1:]
    diff = [k for k in range(n) if loop_vars[k].dtype.is_differentiable]
    g = body.gradient_function()
    out_of = {}                                   # body input index -> index in g's outputs
    for i, connected in enumerate(g.connected):
        if connected:
            out_of[i] = len(out_of)
    caps = [j for j, c in enumerate(body_caps) if _differentiable(c) and n + j in out_of]
    if not diff and not caps:
        return [None] * len(op.inputs)
    op.get_attr("accumulate").on = True
    dstacks = {k: dys[n + 1 + k] for k in diff if dys[n + 1 + k] is not None}
    cap_grads = [g.outputs[out_of[n + j]] for j in caps]
    acc0 = [_zeros_for(body_caps[j], t.dtype) for j, t in zip(caps, cap_grads)]
    acc_shapes = [body_caps[j].shape if body_caps[j].dtype is not dtypes.resource else t.shape
                  for j, t in zip(caps, cap_grads)]
    invariants = op.get_attr("shape_invariants")

    def backward_cond(i, dvs, accs):
        return i > 0

    def backward_body(i, dvs, accs):
        i = i - 1
        state = [_loop_state_get(s, i) for s in stacks]
        outs = g.call_flat(state + body_caps + list(dvs) + g.extra_captured)
        grads = [outs[out_of[x]] if x in out_of else None for x in range(len(g.connected))]
        new_dvs = []
        for dv, k in zip(dvs, diff):
            d = grads[k] if grads[k] is not None else zeros_like(dv)
            if k in dstacks:
                d = d + _loop_state_get(dstacks[k], i)
            new_dvs.append(d)
        return i, new_dvs, [a + grads[n + j] for a, j in zip(accs, caps)]

    _, dv0, accs = while_loop(
        backward_cond, backward_body,
        [count, [zeros_like(op.outputs[k]) if dys[k] is None else dys[k] for k in diff], acc0],
        shape_invariants=[TensorShape([]), [invariants[k] for k in diff], acc_shapes],
        name="while_grad")
    grads = [None] * len(op.inputs)
    for k, d in zip(diff, dv0):
        grads[1 + k] = d
    for j, a in zip(caps, accs):
        grads[1 + n + n_cond + j] = a
    return grads


def _loop_state_get_infer(inputs, attrs):
    stack = inputs[0].shape
    return [(inputs[0].dtype, stack[1:] if stack.rank is not None else TensorShape(None))]


def _loop_state_get_grad_kernel(dy, stack, index):
    out = np.zeros(np.shape(stack), dy.dtype)
    out[int(index)] = dy
    return out


register_kernel("LoopStateGet", lambda stack, index: stack[int(index)],
                infer=_loop_state_get_infer)
register_kernel("LoopStateGetGrad", _loop_state_get_grad_kernel,
                infer=lambda i, a: [(i[0].dtype, i[1].shape)])


def _loop_state_get(stack, index):
    """stack[index]: the loop state of one iteration, for the backward loop."""
    return execute("LoopStateGet", [stack, index])[0]


@gradient("LoopStateGet")
def _loop_state_get_grad(op, dy):
    """zeros of the stack's shape with dy in row `index`"""
    stack, index = op.inputs
    return execute("LoopStateGetGrad", [dy, stack, index])[0], None


@gradient("LoopStateGetGrad")
def _loop_state_get_grad_grad(op, ddx):
    """row `index` of ddx"""
    return _loop_state_get(ddx, op.inputs[2]), None, None


# -- case --------------------------------------------------------------------------------------

def case(pred_fn_pairs, default=None, exclusive=False, strict=False, name="case"):
    """The fn of the first pair whose predicate is true, else `default()` (tf.case).

    Without `default`, the last pair's fn is the default and its predicate must hold;
    `exclusive=True` also requires that at most one predicate is true (InvalidArgumentError).
    """
    pairs = list(pred_fn_pairs.items()) if isinstance(pred_fn_pairs, dict) else \
        list(pred_fn_pairs)
    for pair in pairs:
        if not isinstance(pair, tuple) or len(pair) != 2:
            raise TypeError(f"Each entry in pred_fn_pairs must be a 2-tuple, got "
                            f"{short_repr(pair)}")
        if not callable(pair[1]):
            raise TypeError("fn for pred %s must be callable." % (pair[0],))
    if default is not None and not callable(default):
        raise TypeError("default must be callable.")
    if not pairs:
        if default is None:
            raise ValueError("pred_fn_pairs must not be empty when default is None")
        return default()
    all_preds = [convert_to_tensor(p) for p, _ in pairs]
    for p in all_preds:
        if not p.dtype.is_bool:
            raise TypeError(f"tf.case: predicates must be bool tensors, got {p.dtype.name}")
    preds, fns = all_preds, [fn for _, fn in pairs]
    if default is None:
        default = _checked_default(fns[-1], preds[-1], preds[:-1])
        preds, fns = preds[:-1], fns[:-1]
    deps = []
    if exclusive:
        count = reduce_sum(cast(stack(all_preds), dtypes.int32))
        check = Assert(count <= 1, ["Input error: exclusive=True: more than 1 conditions "
                                    "evaluated as True:", stack(all_preds)])
        deps = [check] if check is not None else []
    result = default
    for p, fn in reversed(list(zip(preds, fns))):
        result = _cond_fn(p, fn, result)
    with control_dependencies(deps):
        out = result()
    if not strict and isinstance(out, (list, tuple)) and len(out) == 1:
        out = out[0]
    return out


def _cond_fn(pred, true_fn, false_fn):
    return lambda: cond(pred, true_fn, false_fn)


def _checked_default(fn, pred, others):
    """The last fn standing in for the missing default: its predicate must hold."""
    def default():
        check = Assert(pred, ["Input error: None of conditions evaluated as True:",
                              stack(others + [pred])])
        with control_dependencies([check] if check is not None else []):
            return fn()
    return default
