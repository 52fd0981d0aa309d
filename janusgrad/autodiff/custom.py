"""custom_gradient, grad_pass_through and recompute_grad.

A custom gradient is one node with its own `grad_fn`, in both modes: an `IdentityN` over the
function's outputs and its inputs (and the handles of the variables it read), whose gradient
is the user's function. The forward's own ops get no gradient from it, so they are bypassed.
"""
import functools
import types

import numpy as np

from ..framework.context import ctx, current_graph, process_state
from ..framework.execute import execute
from ..framework.nest import flatten, pack_sequence_as
from ..framework.registry import GRADIENTS, TAKES_NONE, TRUSTED, keywords
from ..framework.tensor import EagerTensor, GraphTensor, Tensor, convert_to_tensor
from ..ops.state import GLOBAL_VARIABLES, Variable
from .backprop import checked, fill_zeros
from .tape import record_opaque


def custom_gradient(f=None):
    """Decorate `f(*x) -> (y, grad_fn)` so that the gradient of y is `grad_fn(*dy)`. A `grad_fn`
    that uses the forward's intermediates is differentiated through them (TF's is not).

        @tf.custom_gradient
        def log1pexp(x):
            e = tf.exp(x)
            return tf.math.log(1 + e), lambda dy: dy * (1 - 1 / (1 + e))

    If `f` reads trainable variables, `grad_fn` must take a `variables` keyword argument and
    return `(input_grads, variable_grads)`. If `grad_fn` declares a keyword parameter
    `default`, it receives a callable: `default(*dy)` is the gradient f's own ops would give
    (one tensor for one input, else a list; `(input_grads, variable_grads)` with variables).

    As in TF, the tapes record f's ops: a grad_fn that uses f's intermediates (`e` above) is
    differentiated through them, so second derivatives are right. When grad_fn holds no tensor
    made by f, those records are dropped again (they would only cost memory).
    """
    if f is None:
        return custom_gradient
    _check_callable("custom_gradient", f)
    return _custom(f, record=True)


def _check_callable(what, f):
    if not callable(f):
        raise TypeError(f"{what} expects a function, got {type(f).__name__}: {f!r}")


def _custom(f, record):
    """custom_gradient; with record=False, f runs with the tapes paused (grad_pass_through,
    recompute_grad: their grad_fn never needs f's intermediates)."""
    name = getattr(f, "__name__", "custom_gradient")
    may_want_default = _may_want_default(f)

    @functools.wraps(f)
    def wrapped(*args, **kwargs):
        tapes, watchers = ctx.tapes, ctx.var_watchers
        if len(tapes) < 2 and not watchers and not may_want_default and not ctx.graph_stack \
                and (process_state["eager"] or ctx.force_eager) \
                and (type(args[0]) is EagerTensor if len(args) == 1 else _all_eager(args)):
            # The common call: eager, tensors in, at most one tape. f runs unrecorded (only a
            # second tape could differentiate grad_fn) and, unless it read variables, the node
            # is made here, without the general path's cases (`finish` takes the others).
            watcher = []
            watchers.append(watcher)
            ctx.tapes = []
            try:
                out = f(*args, **kwargs)
            finally:
                ctx.tapes = tapes
                watchers.pop()
            result, grad_fn = out if type(out) is tuple and len(out) == 2 and \
                callable(out[1]) else _pair(out, name)
            if not watcher:
                if not tapes:
                    return result       # nothing recording: no node to make (as TF)
                if type(result) is EagerTensor and "default" not in keywords(grad_fn):
                    y = EagerTensor(result._value, result.dtype)
                    node_grad = _EagerNodeGradient(name, grad_fn, 1, len(args), (), None)
                    if len(args) == 1:
                        tapes[0].record_custom(result, args[0], y, node_grad)
                    else:
                        record_opaque(tapes, "IdentityN", [result, *args], [y], node_grad, 1)
                    return y
            return finish(list(args), kwargs, out, watcher, list(tapes))

        if len(args) == 1 and type(args[0]) is EagerTensor:
            args = list(args)                   # the usual call, without a comprehension
        else:
            args = [a if type(a) is EagerTensor else _to_tensor(a) for a in args]
        graph = current_graph()
        start = graph.version if graph is not None else 0
        tapes = list(ctx.tapes) if graph is None else []
        # Only a second tape can differentiate grad_fn, so only then may f's intermediates be
        # needed: with one tape (the common case) f runs unrecorded, as fast as TF's.
        outer = tapes if record and len(tapes) >= 2 else []
        marks = [t.mark() for t in outer] if outer else []
        recorder = None
        if tapes and may_want_default:
            from .tape import Recorder
            recorder = Recorder()           # the whole forward, for `default`
        watcher = []
        ctx.var_watchers.append(watcher)
        saved = ctx.tapes
        if graph is None:
            ctx.tapes = outer + [recorder] if recorder is not None else outer
        try:
            out = f(*args, **kwargs)
        finally:
            ctx.tapes = saved
            ctx.var_watchers.pop()
        return finish(args, kwargs, out, watcher, tapes, graph, start, outer, marks, recorder)

    def finish(args, kwargs, out, watcher, tapes, graph=None, start=0, outer=(), marks=(),
               recorder=None):
        """The node over what f returned (`out`), f having run with `watcher` collecting the
        variables read and `tapes` (those recording at the call) replaced by `outer` (with
        their lengths before f in `marks`) + `recorder`; in a graph, f's ops start at `start`."""
        result, grad_fn = _pair(out, name)
        flat = args if _all_eager(args) else flatten(args)
        # a variable passed as an argument is an input (its handle), as in TF, not a `variables`
        arg_vars = [a for a in flat if type(a) is not EagerTensor and _is_variable(a)] \
            if flat is not args else []
        variables = [v for v in watcher if v.trainable and not any(v is a for a in arg_vars)] \
            if watcher else []
        if graph is not None:
            variables = graph_variables(graph, result, flat, variables)
        if arg_vars or variables:
            for tape in tapes:      # f may have run unrecorded: tell the tapes what it read
                for v in arg_vars + variables:
                    tape.variable_accessed(v)
        accepts = keywords(grad_fn)
        if variables and "variables" not in accepts and "**" not in accepts:
            raise TypeError(f"@tf.custom_gradient grad_fn of '{name}' must accept a keyword "
                            f"argument 'variables', since function uses variables: "
                            f"{[v.name for v in variables]} (it then returns (input_grads, "
                            "variable_grads))")
        if graph is None and not tapes and not watcher_outer():
            return result          # eager and nothing recording: no node to make (as TF)
        if outer and "default" not in accepts:     # `default` differentiates f's ops
            _drop_forward_unless_used(outer, marks, grad_fn)
        single = isinstance(result, Tensor)
        ys = [result] if single else [convert_to_tensor(y) for y in flatten(result)]
        flat_args = flat if flat is args else [a if isinstance(a, Tensor) else a.handle
                                               for a in flat
                                               if isinstance(a, Tensor) or _is_variable(a)]
        default = None
        if "default" in accepts:
            if graph is not None:
                default = _forward_gradient(graph.ops_since(start), ys, flat_args, variables)
            elif recorder is not None or not tapes:
                forward = recorder.records_since() if recorder is not None else []
                default = _forward_gradient(forward, ys, flat_args, variables)
            else:       # grad_fn came from outside f: record f again when default is asked for
                default = _recomputed_default(f, args, kwargs, flat_args, variables)
        node_grad = _NodeGradient(name, grad_fn, len(ys), len(flat_args), variables, default)
        inputs = ys + flat_args + [v.handle for v in variables] if variables else ys + flat_args
        if graph is None and (type(result) is EagerTensor if single else _all_eager(ys)):
            # eager: the node is a record whose outputs are new tensors over f's arrays (the
            # IdentityN a graph gets would also pass the inputs through, for nothing)
            outs = [EagerTensor(result._value, result.dtype)] if single else \
                [EagerTensor(y._value, y.dtype) for y in ys]
            record_opaque(tapes, "IdentityN", inputs, outs, node_grad, len(ys))
        else:
            outs = execute("IdentityN", inputs, grad_fn=node_grad)
        return outs[0] if single else pack_sequence_as(result, outs[:len(ys)])

    return wrapped


def graph_variables(graph, result, args, variables):
    """The variables a custom_gradient's grad_fn gets in a graph, as TF's graph mode finds them:
    the trainable ones f read (`variables`) and, in a TF1 graph, also those f's outputs depend
    on by a path through differentiable ops that passes no argument (a value read before f and
    used inside it, whose gradient would otherwise be lost); sorted by name, as TF sorts them."""
    found = list(variables)
    if not graph.is_function:
        stop = {a._id for a in args if isinstance(a, Tensor)}
        stop.update(a.handle._id for a in args if _is_variable(a))
        ys = [y for y in flatten(result) if isinstance(y, GraphTensor) and y.graph is graph]
        for v in _dependent_variables(graph, ys, stop):
            if not any(v is u for u in found) and not any(v is a for a in args):
                found.append(v)
    return sorted(found, key=lambda v: v.name) if len(found) > 1 else found


def _dependent_variables(graph, ys, stop):
    """The trainable variables of `graph` whose handle the walk back from `ys` reaches through
    differentiable ops, stopping at the tensors numbered in `stop` (TF's
    _get_dependent_variables)."""
    by_handle = {id(v.handle.op): v for v in graph.get_collection(GLOBAL_VARIABLES)
                 if v.trainable}
    if not by_handle:
        return []
    found, seen = [], set()
    stack = [y.op for y in ys if y._id not in stop]
    while stack:
        op = stack.pop()
        if id(op) in seen:
            continue
        seen.add(id(op))
        v = by_handle.get(id(op))
        if v is not None:
            found.append(v)
            continue
        if not _differentiable(op):
            continue
        stack.extend(x.op for x in op.inputs if x._id not in stop and x.op.graph is graph)
    return found


def _differentiable(op):
    if op.grad_fn is not None or callable(op.gradient_type):
        return True
    return GRADIENTS.get(op.gradient_type or op.type) is not None


def _pair(out, name):
    """f's (outputs, grad_fn)."""
    if not isinstance(out, (tuple, list)) or len(out) != 2 or not callable(out[1]):
        raise TypeError(f"custom_gradient: {name} must return a pair (outputs, grad_fn) "
                        f"with a callable grad_fn, got {type(out).__name__}")
    return out


def _all_eager(args):
    for a in args:
        if type(a) is not EagerTensor:
            return False
    return True


def watcher_outer():
    """Whether an enclosing custom_gradient is collecting the variables read (it then needs
    this call's node to see them)."""
    return bool(ctx.var_watchers)


def _to_tensor(a):
    if isinstance(a, Tensor) or a is None or callable(a):
        return a
    if hasattr(a, "_as_tensor"):
        return a
    if isinstance(a, (list, tuple)) and any(isinstance(v, Tensor) for v in flatten(a)):
        return type(a)(_to_tensor(v) for v in a)
    return convert_to_tensor(a)


def _is_variable(a):
    return isinstance(a, Variable)


def _forward_gradient(forward, ys, args, variables):
    """`default` for custom_gradient: the sweep over f's own ops (recorded or in the graph)."""
    sources = list(args) + [v.handle for v in variables]

    def default(*dys):
        from .backprop import backprop, prune
        grads = backprop(prune(forward, ys, sources), ys, list(dys), sources)
        n = len(args)
        input_grads = grads[0] if n == 1 else grads[:n]
        return (input_grads, grads[n:]) if variables else input_grads
    return default


def _recomputed_default(f, args, kwargs, flat_args, variables):
    """`default` for a grad_fn that f did not define: run f again under a recorder."""
    def default(*dys):
        from .tape import Recorder
        recorder = Recorder()
        saved, ctx.tapes = ctx.tapes, [recorder]
        try:
            result, _ = f(*args, **kwargs)
        finally:
            ctx.tapes = saved
        ys = [convert_to_tensor(y) for y in flatten(result)]
        return _forward_gradient(recorder.records_since(), ys, flat_args, variables)(*dys)
    return default


_WANTS_DEFAULT = {}     # code object of f -> whether a function it defines takes `default`


def _may_want_default(f):
    """Whether f defines (as a nested function or lambda) a gradient taking `default`."""
    code = getattr(f, "__code__", None)
    if code is None:
        return True
    hit = _WANTS_DEFAULT.get(code)
    if hit is None:
        hit = _WANTS_DEFAULT[code] = _defines_default(code)
    return hit


def _defines_default(code):
    for const in code.co_consts:
        if isinstance(const, types.CodeType):
            n = const.co_argcount + const.co_kwonlyargcount
            if "default" in const.co_varnames[:n] or _defines_default(const):
                return True
    return False


def _drop_forward_unless_used(tapes, marks, grad_fn):
    """Forget what the tapes recorded while f ran, unless grad_fn may use one of those tensors
    (then an outer tape needs their history for the second derivative)."""
    from .tape import Recorder
    made = {}
    for tape, mark in zip(tapes, marks):
        if not isinstance(tape, Recorder):
            for node in tape.records_since(mark):
                for y in node.outputs:
                    made[y._id] = y
    if not made or _may_hold(grad_fn, made, 0, set()):
        return
    for tape, mark in zip(tapes, marks):
        if not isinstance(tape, Recorder):
            tape.forget_since(mark)


_PLAIN = (bool, int, float, complex, str, bytes, type, types.ModuleType, np.ndarray, np.generic,
          types.BuiltinFunctionType)


def _may_hold(obj, tensor_ids, depth, seen):
    """Whether `obj` (grad_fn, what its closure and defaults hold...) may reach one of the
    tensors in tensor_ids; True when it cannot tell."""
    if obj is None or isinstance(obj, _PLAIN):
        return False
    if isinstance(obj, Tensor):
        return obj._id in tensor_ids
    if isinstance(obj, Variable):       # a Variable
        return False
    if id(obj) in seen:
        return False
    if depth > 4:
        return True
    seen.add(id(obj))
    if isinstance(obj, (list, tuple, set, frozenset, dict)):
        items = list(obj.values()) + list(obj.keys()) if isinstance(obj, dict) else list(obj)
        return len(items) > 1000 or any(_may_hold(v, tensor_ids, depth + 1, seen) for v in items)
    if isinstance(obj, types.FunctionType):
        parts = list(obj.__defaults__ or ()) + list((obj.__kwdefaults__ or {}).values())
        names = obj.__globals__
        parts += [names[n] for n in obj.__code__.co_names if n in names]
        for cell in obj.__closure__ or ():
            try:
                parts.append(cell.cell_contents)
            except ValueError:                 # an empty cell
                pass
        return any(_may_hold(v, tensor_ids, depth + 1, seen) for v in parts)
    if isinstance(obj, functools.partial):
        parts = [obj.func, *obj.args, *obj.keywords.values()]
        return any(_may_hold(v, tensor_ids, depth + 1, seen) for v in parts)
    from ..framework.dtypes import DType
    from ..framework.shape import TensorShape
    return not isinstance(obj, (DType, TensorShape))


class _NodeGradient:
    """The gradient of a custom_gradient node: grad_fn on the dys of f's outputs; None for
    those outputs (they are its first inputs), then grad_fn's gradients for the arguments and,
    with variables, for their handles."""
    __slots__ = ("f_name", "grad_fn", "n_outputs", "n_args", "variables", "default")
    takes_slices = True     # grad_fn gets an IndexedSlices upstream gradient as it is, as TF's

    def __init__(self, f_name, grad_fn, n_ys, n_args, variables, default):
        self.f_name = f_name
        self.grad_fn = grad_fn
        self.n_outputs = n_ys           # its first inputs are f's outputs (explain, draw)
        self.n_args = n_args
        self.variables = variables
        self.default = default

    @property
    def __name__(self):
        return f"custom_gradient({self.f_name})"

    def __call__(self, op, *dys):
        n_ys, variables, default = self.n_outputs, self.variables, self.default
        if len(dys) != n_ys:
            dys = dys[:n_ys]        # (a graph's IdentityN passes its other inputs through)
        if n_ys > 1:                # grad_fn gets zeros for f's outputs nothing flowed into
            dys = fill_zeros(op.outputs[:n_ys], dys)
        if variables:
            extra = {} if default is None else {"default": default}
            res = self.grad_fn(*dys, variables=variables, **extra)
            if not isinstance(res, (list, tuple)) or len(res) != 2:
                raise ValueError(f"custom_gradient function {self.f_name}: with variables, "
                                 "grad_fn must return (input_grads, variable_grads)")
            input_grads, var_grads = res
            var_grads = list(flatten(var_grads))
            if len(var_grads) != len(variables):
                raise ValueError(f"custom_gradient function {self.f_name}: expected "
                                 f"{len(variables)} variable gradients, got {len(var_grads)}")
        elif default is None:
            input_grads, var_grads = self.grad_fn(*dys), ()
        else:
            input_grads, var_grads = self.grad_fn(*dys, default=default), ()
        return self._per_input(input_grads, var_grads)

    def _per_input(self, input_grads, var_grads):
        """One gradient per input of the node: None for f's outputs, then grad_fn's."""
        if isinstance(input_grads, (list, tuple)):
            input_grads = list(input_grads)
        else:
            input_grads = [input_grads]
        if len(input_grads) != self.n_args:
            raise ValueError(f"custom_gradient function expected to return {self.n_args} "
                             f"gradients, but returned {len(input_grads)} instead.")
        if self.n_outputs == 1:
            return [None, *input_grads, *var_grads]
        return [None] * self.n_outputs + input_grads + list(var_grads)


class _EagerNodeGradient(_NodeGradient):
    """The gradient of the common eager node (one output, no variables, no `default`). It
    checks what grad_fn returns itself, so the sweep trusts its class (in TRUSTED): the usual
    return (a tensor of its input's shape and dtype, or None, per argument) is taken as it is,
    anything else goes through backprop.checked here, whose errors the sweep passes on
    unchanged (as it would have raised them)."""
    __slots__ = ()

    def __call__(self, op, dy):
        dxs = self.grad_fn(dy)
        if type(dxs) is EagerTensor:
            if self.n_args == 1:
                x = op.inputs[1]        # _fits(dxs, x), written out: the usual return
                if type(x) is EagerTensor and dxs.dtype is x.dtype and \
                        dxs._value.shape == x._value.shape:
                    return [None, dxs]
        elif type(dxs) in (list, tuple) and len(dxs) == self.n_args:
            inputs = op.inputs
            for i, dx in enumerate(dxs, 1):
                if dx is not None and not _fits(dx, inputs[i]):
                    break
            else:
                return [None, *dxs]
        dxs = self._per_input(dxs, ())
        try:
            return checked(self, op, dxs)
        except Exception as e:
            e._janus_named = True           # the sweep's own error: not wrapped again
            raise


TRUSTED.add(_EagerNodeGradient)    # the sweep skips its check for instances of a class there
# the node fills zeros itself, for f's outputs only (the others are its inputs passed through)
TAKES_NONE.update((_NodeGradient, _EagerNodeGradient))


def _fits(dx, x):
    """Whether backprop.checked takes `dx`, an input `x`'s gradient, as it is: so it does an
    eager tensor of x's dtype and shape (it may take more, but then it is the one to judge)."""
    return type(dx) is EagerTensor and type(x) is EagerTensor and dx.dtype is x.dtype \
        and dx._value.shape == x._value.shape


def grad_pass_through(f):
    """`f` forward, identity backward: the gradient of the output passes to the inputs as is."""
    _check_callable("grad_pass_through", f)
    @functools.partial(_custom, record=False)
    def _pass_through(*args, **kwargs):
        def grad(*dys, variables=None):
            if variables is not None:
                return list(dys), [None] * len(variables)
            return list(dys)
        return f(*args, **kwargs), grad

    @functools.wraps(f)
    def wrapped(*args, **kwargs):
        return _pass_through(*args, **kwargs)
    return wrapped


def recompute_grad(f):
    """Forward without keeping intermediates; the backward recomputes `f` to differentiate it."""
    _check_callable("recompute_grad", f)
    @functools.partial(_custom, record=False)
    def inner(*args, **kwargs):
        result = f(*args, **kwargs)

        def grad(*dys, variables=None):
            from .transforms import vjp_of
            variables = list(variables or [])
            grads = vjp_of(lambda *a: f(*a, **kwargs), list(args), list(dys), variables)
            n = len(args)
            return (grads[:n], grads[n:]) if variables else grads[:n]
        return result, grad

    @functools.wraps(f)
    def wrapped(*args, **kwargs):
        return inner(*args, **kwargs)
    return wrapped
