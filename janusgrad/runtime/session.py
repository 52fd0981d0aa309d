"""Session.run: each (fetches, feeds) signature is compiled once into a Plan, a pruned,
topologically ordered list of kernel calls over numbered slots, with every buffer freed right
after its last use, or written over by an elementwise step where that is safe (inplace.py).
Running a plan is a tight loop; plans are cached on the graph.
"""

import numpy as np

from ..framework import collector, context
from ..framework.context import ctx, get_default_session  # noqa: F401  (re-exported: tf's name)
from ..framework.errors import InvalidArgumentError
from ..framework.execute import kernel_error
from ..framework.graph import Operation
from ..framework.nest import flatten, pack_sequence_as
from ..framework.registry import KERNELS_EPOCH, OPS
from ..framework.tensor import GraphTensor, Tensor, to_array
from ..ops.indexed_slices import IndexedSlices, IndexedSlicesValue
from ..ops.state import Variable
from . import inplace


class Plan:
    """The compiled form of one (fetches, feeds) signature over one graph."""
    __slots__ = ("steps", "n_slots", "feed_slots", "fetch_slots", "feeds", "epoch", "initial",
                 "copy_fetch", "inplace_steps", "_compiled")

    def __init__(self, graph, fetch_tensors, fetch_ops, feeds):
        self.epoch = KERNELS_EPOCH[0]
        slot = {}

        def slot_of(t):
            k = id(t)
            if k not in slot:
                slot[k] = len(slot)
            return slot[k]

        self.feeds = list(feeds)
        fed = {id(t) for t in feeds}
        self.feed_slots = [slot_of(t) for t in feeds]
        # ops needed: walk back from the fetches; a fed tensor cuts its producer off
        needed, stack = set(), [t.op for t in fetch_tensors if id(t) not in fed] + list(fetch_ops)
        while stack:
            op = stack.pop()
            if op._id in needed:
                continue
            if op.graph is not graph:
                raise ValueError(f"Operation {op.name} is not an element of this graph.")
            needed.add(op._id)
            for x in op.inputs:
                if id(x) not in fed:
                    stack.append(x.op)
            stack.extend(op.control_inputs)
        every = graph.get_operations()
        ops = [every[i] for i in sorted(needed)]
        for op in ops:
            if op.type == "Placeholder" and any(id(t) not in fed for t in op.outputs):
                raise InvalidArgumentError(
                    f"You must feed a value for placeholder tensor '{op.name}' with dtype "
                    f"{op.attrs['dtype'].name} and shape {op.attrs['shape']}")
        self.fetch_slots = [slot_of(t) for t in fetch_tensors]
        steps, prefilled = [], {}
        for op in ops:
            if op.type in _FOLDED:          # constants and variable handles: filled in once
                prefilled[slot_of(op.outputs[0])] = op.attrs[_FOLDED[op.type]]
                continue
            ins = [slot_of(x) for x in op.inputs]
            outs = [slot_of(y) for y in op.outputs]
            steps.append([OPS[op.type].kernel, ins, outs, op.attrs, OPS[op.type].multi, op, ()])
        # free each slot after its last reader (fetched and fed slots are kept)
        last = {}
        for i, step in enumerate(steps):
            for s in step[1]:
                last[s] = i
            for s in step[2]:
                last.setdefault(s, i)
        keep = set(self.fetch_slots)
        frees = {}
        for s, i in last.items():
            if s not in keep:
                frees.setdefault(i, []).append(s)
        for i, step in enumerate(steps):
            step[6] = tuple(frees.get(i, ()))
        # elementwise steps write into a dying input the plan owns (see inplace.py)
        shared = keep | set(self.feed_slots) | set(prefilled)
        self.inplace_steps = inplace.rewrite(steps, last, shared)
        self.steps = [tuple(s) for s in steps]
        self.n_slots = len(slot)
        self.initial = [None] * self.n_slots
        for k, v in prefilled.items():
            self.initial[k] = v
        # a fetched constant or feed is the graph's (or the caller's) array: hand out a copy
        shared = set(prefilled) | set(self.feed_slots)
        self.copy_fetch = [s in shared for s in self.fetch_slots]
        self._compiled = _compile(self, prefilled) if len(self.steps) <= _MAX_COMPILED else None

    def run(self, feed_values):
        if self._compiled is not None:
            return self._compiled(feed_values)
        vals = self.initial.copy()
        for s, v in zip(self.feed_slots, feed_values):
            vals[s] = v
        for kernel, ins, outs, attrs, multi, op, frees in self.steps:
            args = [vals[i] for i in ins]
            try:
                res = kernel(*args, **attrs)
            except Exception as e:
                raise node_error(op, args, e) from e
            if multi:
                for s, r in zip(outs, res):
                    vals[s] = r
            elif outs:
                vals[outs[0]] = res
            for s in frees:
                vals[s] = None
        return [_copy(vals[s]) if c else vals[s]
                for s, c in zip(self.fetch_slots, self.copy_fetch)]


_FOLDED = {"Const": "value", "VarHandleOp": "resource"}
_MAX_COMPILED = 4000     # bigger plans run in the loop above (compiling them costs more)


def _compile(plan, prefilled):
    """The plan as one straight-line Python function over local variables: no loop, no list
    indexing, no `**{}` per step, and `del` right after each value's last use. A failing step
    is found again from the step counter `_i`, so errors name the node as the loop's do."""
    # (this module's name: the warning filter of ops/math.py then covers the kernels it calls)
    env = {"__name__": __name__, "_node_error": node_error, "_copy": _copy}
    name = {s: f"s{s}" for s in range(plan.n_slots)}
    for s, v in prefilled.items():
        env[f"c{s}"] = v
        name[s] = f"c{s}"
    lines = ["def run(_feeds):"]
    body = ["_i = -1"]
    if plan.feed_slots:
        body.append(", ".join(name[s] for s in plan.feed_slots) + ", = _feeds")
    for i, (kernel, ins, outs, attrs, multi, _op, frees) in enumerate(plan.steps):
        env[f"k{i}"] = kernel
        args = ", ".join(name[x] for x in ins)
        if attrs:
            env[f"a{i}"] = attrs
            args = f"{args}, **a{i}" if args else f"**a{i}"
        call = f"k{i}({args})"
        body.append(f"_i = {i}")
        if multi:
            body.append((", ".join(name[o] for o in outs) + ", = " if outs else "") + call)
        else:
            body.append(f"{name[outs[0]]} = {call}" if outs else call)
        dead = [name[f] for f in frees if f not in prefilled]
        if dead:
            body.append("del " + ", ".join(dead))
    fetched = ", ".join(f"_copy({name[s]})" if c else name[s]
                        for s, c in zip(plan.fetch_slots, plan.copy_fetch))
    body.append(f"return [{fetched}]")
    lines.append("    try:")
    lines.extend("        " + line for line in body)
    lines.append("    except Exception as e:")
    lines.append("        raise _fail(_i, locals(), e) from e")
    steps = plan.steps

    def fail(i, local, e):
        if i < 0:
            return e
        kernel, ins, outs, attrs, multi, op, frees = steps[i]
        values = [local.get(name[x], env.get(name[x])) for x in ins]
        return node_error(op, values, e)
    env["_fail"] = fail
    exec(compile("\n".join(lines), "<janusgrad plan>", "exec"), env)
    return env["run"]


def _copy(v):
    return v.copy() if isinstance(v, np.ndarray) else v


def node_error(op, args, e):
    """The exception of the kernel of graph node `op`, saying which node failed (an exception
    that knows better, e.g. janusgrad.debug's, describes the node itself)."""
    at_node = getattr(e, "at_node", None)
    error = at_node(op, args) if at_node is not None else kernel_error(op.type, op.name, args, e)
    if getattr(error, "failed_node", None) is None:
        error.failed_node = op          # (tf.function's errors name where the user made it)
    return error


class Session:
    """Runs graph fetches: `sess.run(fetches, feed_dict)` (TF1's tf.compat.v1.Session). Variables
    keep their values themselves, so Sessions on one graph share them (TF: one copy each)."""

    def __init__(self, target="", graph=None, config=None):
        if graph is None:
            graph = context.get_default_graph()
        self.graph = graph
        self._closed = False
        self._default_ctx = None

    # -- lifecycle -----------------------------------------------------------------------
    def close(self):
        self._closed = True

    def __enter__(self):
        ctx.sessions.append(self)
        self._graph_ctx = self.graph.as_default()
        self._graph_ctx.__enter__()
        return self

    def __exit__(self, *exc):
        self._graph_ctx.__exit__(*exc)
        if ctx.sessions and ctx.sessions[-1] is self:
            ctx.sessions.pop()
        self.close()

    def as_default(self):
        session = self

        class _AsDefault:
            def __enter__(self_inner):
                ctx.sessions.append(session)
                return session

            def __exit__(self_inner, *exc):
                ctx.sessions.remove(session)
        return _AsDefault()

    @property
    def sess_str(self):
        return ""

    # -- running -------------------------------------------------------------------------
    def run(self, fetches, feed_dict=None, options=None, run_metadata=None):
        """Values of `fetches` (any nest of tensors, ops, variables, names); ops give None."""
        if self._closed:
            raise RuntimeError("Attempted to use a closed Session.")
        graph = self.graph
        leaves = flatten(fetches)
        slices = any(type(f) is IndexedSlices for f in leaves)
        if slices:              # fetched as their three tensors, given back as TF's value
            leaves = [t for f in leaves
                      for t in (_slices_parts(f) if type(f) is IndexedSlices else [f])]
        tensors, ops, kinds = [], [], []
        for f in leaves:
            f = self._as_fetch(f)
            if isinstance(f, Operation):
                ops.append(f)
                kinds.append(None)
            else:
                kinds.append(len(tensors))
                tensors.append(f)
        feed_tensors, feed_values = self._feeds(feed_dict)
        key = (tuple(id(t) for t in tensors), tuple(id(o) for o in ops),
               tuple(id(t) for t in feed_tensors))
        plans = graph.plans
        plan = plans.get(key)
        if plan is None or plan.feeds != feed_tensors or plan.epoch != KERNELS_EPOCH[0]:
            with collector.paused():
                plan = Plan(graph, tensors, ops, feed_tensors)
            plans[key] = plan
        values = plan.run(feed_values)
        results = [None if k is None else _fetch_value(values[k]) for k in kinds]
        if slices:
            results = _slices_values(flatten(fetches), results)
        if not isinstance(fetches, (list, tuple, dict)):
            return results[0]
        return pack_sequence_as(fetches, results)

    def _as_fetch(self, f):
        if isinstance(f, GraphTensor) or isinstance(f, Operation):
            owner = f.graph
        elif isinstance(f, str):
            graph = self.graph
            f = graph.get_tensor_by_name(f) if ":" in f else graph.get_operation_by_name(f)
            owner = self.graph
        elif isinstance(f, Variable):    # a Variable: its value
            element = getattr(f, "_graph_element", None)
            if element is not None and element.graph is self.graph:
                f = element               # made with the variable: fetching adds no op
            else:
                with self.graph.as_default():
                    f = f.value()
            owner = f.graph
        elif f is None:
            raise TypeError("Fetch argument None has invalid type <class 'NoneType'>")
        elif isinstance(f, Tensor):
            raise TypeError(f"Fetch argument {f!r} is an eager tensor; it cannot be fetched "
                            "from a Session (its value is f.numpy())")
        else:
            raise TypeError(f"Fetch argument {f!r} has invalid type {type(f)}, must be a string "
                            "or Tensor. (Can not convert a {type(f).__name__} into a Tensor or "
                            "Operation.)")
        if owner is not self.graph:
            raise ValueError(f"Fetch argument {f!r} is not an element of this graph.")
        return f

    def _feeds(self, feed_dict):
        tensors, values = [], []
        for key, value in (feed_dict or {}).items():
            t = key
            if isinstance(t, str):
                try:
                    t = self.graph.get_tensor_by_name(t)
                except (ValueError, KeyError) as e:
                    raise TypeError(f"Cannot interpret feed_dict key as Tensor: {e}") from None
            elif isinstance(t, Variable):
                raise TypeError(f"Cannot feed the variable {t.name}: assign to it instead")
            if not isinstance(t, GraphTensor):
                raise TypeError(f"Cannot interpret feed_dict key as Tensor: {key!r}")
            if t.graph is not self.graph:
                raise ValueError(f"Tensor {t.name} fed in feed_dict is not an element of this "
                                 "graph.")
            if isinstance(value, Tensor):
                raise TypeError("The value of a feed cannot be a tf.Tensor object. Acceptable "
                                "feed values include Python scalars, strings, lists, numpy "
                                "ndarrays, or TensorHandles.")
            try:
                arr = to_array(value, t.dtype)
            except (TypeError, ValueError) as e:
                raise TypeError(f"Cannot feed a value of this type to tensor '{t.name}' of dtype "
                                f"{t.dtype.name}: {e}") from None
            if not t.shape.is_compatible_with(arr.shape):
                raise ValueError(f"Cannot feed value of shape {arr.shape} for Tensor '{t.name}', "
                                 f"which has shape '{t.shape}'")
            tensors.append(t)
            values.append(arr)
        return tensors, values


def _slices_parts(s):
    return [s.values, s.indices] + ([] if s.dense_shape is None else [s.dense_shape])


def _slices_values(fetches, results):
    """The results with each IndexedSlices' parts made one IndexedSlicesValue."""
    out, it = [], iter(results)
    for f in fetches:
        if type(f) is IndexedSlices:
            parts = [next(it) for _ in _slices_parts(f)]
            out.append(IndexedSlicesValue(*parts) if len(parts) == 3 else
                       IndexedSlicesValue(parts[0], parts[1], None))
        else:
            out.append(next(it))
    return out


def _fetch_value(v):
    if isinstance(v, np.ndarray) and v.ndim == 0:
        return v[()]
    return v


class InteractiveSession(Session):
    """A Session that installs itself as the default session on construction."""

    def __init__(self, target="", graph=None, config=None):
        super().__init__(target, graph, config)
        ctx.sessions.append(self)

    def close(self):
        super().close()
        if self in ctx.sessions:
            ctx.sessions.remove(self)
