"""tf.function: trace a Python function into a FuncGraph once per input signature, then run
it through a Session-style Plan. A call is one `PartitionedCall` op, so outer tapes and outer
graphs see one node whose gradient is the symbolic gradient of the function's graph.
"""
import functools
import threading

import numpy as np

from ..framework import context, dtypes
from ..framework.context import ctx, current_graph
from ..framework.execute import execute
from ..framework.graph import FuncGraph
from ..framework.nest import flatten, pack_sequence_as
from ..framework.registry import KERNELS_EPOCH, OPS, gradient, register_kernel
from ..framework.shape import TensorShape
from ..framework.tensor import EagerTensor, GraphTensor, Tensor, convert_to_tensor
from ..ops.state import Variable
from .session import Plan


class TensorSpec:
    """Shape and dtype of a tensor argument (tf.TensorSpec)."""

    def __init__(self, shape, dtype=dtypes.float32, name=None):
        self.shape = TensorShape(shape)
        self.dtype = dtypes.as_dtype(dtype)
        self.name = name

    def is_compatible_with(self, t):
        return self.dtype is t.dtype and self.shape.is_compatible_with(t.shape)

    def __repr__(self):
        return f"TensorSpec(shape={self.shape}, dtype={self.dtype!r}, name={self.name!r})"


class ConcreteFunction:
    """One trace: a FuncGraph, its input placeholders and output tensors, and a cached plan."""

    def __init__(self, graph, inputs, outputs, structure, variables=(), captured=None,
                 side_effects=None):
        self.graph = graph
        self.inputs = list(inputs)                 # placeholders, fed in this order
        self.outputs = outputs                     # flat list of graph tensors
        self.structure = structure                 # nest to pack outputs into
        self.variables = list(variables)
        self.captured = [outer for outer, _ in graph.captures] if captured is None else captured
        self._side_effects = [op for op in graph.get_operations() if OPS[op.type].side_effect] \
            if side_effects is None else side_effects
        self._plan = None
        self._grad = None
        self._lock = threading.Lock()

    def run(self, arrays):
        """Run on NumPy arrays (one per input placeholder); returns the output arrays."""
        plan = self._plan
        if plan is None or plan.epoch != KERNELS_EPOCH[0]:
            with self._lock:
                if self._plan is None or self._plan.epoch != KERNELS_EPOCH[0]:
                    self._plan = Plan(self.graph, self.outputs, self._side_effects, self.inputs)
                plan = self._plan
        return plan.run(arrays)

    def call_flat(self, tensors):
        """Call on input tensors (arguments then captures), in any mode."""
        for tape in ctx.tapes:
            for v in self.variables:
                tape.variable_accessed(v)
        return execute("PartitionedCall", tensors, {"f": self}) if self.outputs or \
            self._side_effects else []

    def __call__(self, *args):
        flat = [convert_to_tensor(a) for a in flatten(args)]
        outs = self.call_flat(flat + self.captured)
        return pack_sequence_as(self.structure, _restore_nones(self, outs))

    def gradient_function(self):
        """A ConcreteFunction (inputs + dys + new captures -> one gradient per input)."""
        with self._lock:
            if self._grad is None:
                self._grad = _build_gradient(self)
        return self._grad


def _restore_nones(cf, outs):
    it = iter(outs)
    return [None if t is None else next(it) for t in cf._flat_with_nones]


def _partitioned_call_kernel(*arrays, f):
    return f.run(list(arrays))


def _partitioned_call_infer(inputs, attrs):
    return [(t.dtype, t.shape) for t in attrs["f"].outputs]


register_kernel("PartitionedCall", _partitioned_call_kernel, multi=True,
                infer=_partitioned_call_infer, side_effect=False)


@gradient("PartitionedCall")
def _partitioned_call_grad(op, *dys):
    """call the function's symbolic gradient (itself a function, so it is differentiable)"""
    f = op.get_attr("f")
    g = f.gradient_function()
    dys = [dy for dy, y in zip(dys, f.outputs) if y.dtype.is_differentiable]
    outs = g.call_flat(list(op.inputs) + dys + g.extra_captured)
    it = iter(outs)
    return [next(it) if connected else None for connected in g.connected]


def _build_gradient(f):
    """Gradient of f: built in f's own graph from dy placeholders, then wrapped as a function."""
    from ..autodiff.gradients import gradients
    graph = f.graph
    n_before = len(graph.captures)
    diff_outputs = [y for y in f.outputs if y.dtype.is_differentiable]
    with graph.as_default(), context.tapes_paused():
        dys = [graph.add_op("Placeholder", [], {"dtype": y.dtype, "shape": y.shape},
                            [(y.dtype, y.shape)], name="dy").outputs[0] for y in diff_outputs]
        grads = gradients(diff_outputs, f.inputs, grad_ys=dys) if diff_outputs else \
            [None] * len(f.inputs)
    extra = graph.captures[n_before:]
    outputs = [t for t in grads if t is not None]
    # inputs: f's own, the output gradients, then what building the gradient captured; the
    # caller passes the outside tensors of those last captures (extra_captured)
    g = ConcreteFunction(graph, f.inputs + dys + [inner for _, inner in extra], outputs,
                         outputs, captured=[], side_effects=[])
    g.connected = [t is not None for t in grads]
    g.extra_captured = [outer for outer, _ in extra]
    return g


class Function:
    """A Python function compiled per input signature (see module docstring)."""

    def __init__(self, python_function, input_signature=None, autograph=True, jit_compile=None,
                 reduce_retracing=False, experimental_relax_shapes=None, name=None, **_):
        self._python_function = python_function
        self._input_signature = input_signature
        self._cache = {}
        self._lock = threading.RLock()
        self.trace_count = 0
        functools.update_wrapper(self, python_function)

    def __get__(self, instance, owner):
        if instance is None:
            return self
        bound = self.__dict__.setdefault("_bound", {})
        key = id(instance)
        if key not in bound:
            bound[key] = Function(functools.partial(self._python_function, instance),
                                  self._input_signature)
        return bound[key]

    @property
    def python_function(self):
        return self._python_function

    def __call__(self, *args, **kwargs):
        cf, flat = self._concrete(args, kwargs)
        outs = cf.call_flat(flat + cf.captured)
        return pack_sequence_as(cf.structure, _restore_nones(cf, outs))

    def get_concrete_function(self, *args, **kwargs):
        return self._concrete(args, kwargs)[0]

    def experimental_get_tracing_count(self):
        return self.trace_count

    def _concrete(self, args, kwargs):
        if self._input_signature is not None:
            args = self._check_signature(args, kwargs)
            kwargs = {}
        leaves = flatten([list(args), dict(kwargs)])
        flat, key = [], [repr(_structure_of([list(args), dict(kwargs)]))]
        signature = self._input_signature is not None    # the signature alone is the key
        for leaf in leaves:
            if isinstance(leaf, (Tensor, np.ndarray)) and not _is_variable(leaf):
                t = leaf if isinstance(leaf, Tensor) else convert_to_tensor(leaf)
                flat.append(t)
                if not signature:
                    key.append(("T", t.dtype.name, tuple(t.shape.dims or ()) if t.shape.rank is
                                not None else None))
            elif _is_variable(leaf):
                key.append(("V", id(leaf)))
            else:
                try:
                    hash(leaf)
                    key.append(("P", type(leaf).__name__, leaf))
                except TypeError:
                    key.append(("O", id(leaf)))
        graph = current_graph()
        key.append(id(graph))
        key = tuple(key)
        cf = self._cache.get(key)
        if cf is None:
            with self._lock:
                cf = self._cache.get(key)
                if cf is None:
                    cf = self._trace(args, kwargs)
                    self._cache[key] = cf
        return cf, flat

    def _check_signature(self, args, kwargs):
        if kwargs:
            raise TypeError(f"{self.__name__}: keyword arguments are not allowed with an "
                            "input_signature")
        specs = flatten(self._input_signature)
        flat_args = flatten(list(args))
        if len(flat_args) != len(specs):
            raise TypeError(f"{self.__name__}: expected {len(specs)} arguments matching the "
                            f"input_signature, got {len(flat_args)}")
        converted = []
        for a, spec in zip(flat_args, specs):
            t = convert_to_tensor(a, dtype=spec.dtype)
            if not spec.shape.is_compatible_with(t.shape):
                raise ValueError(f"{self.__name__}: argument of shape {t.shape} does not match "
                                 f"the input_signature {spec}")
            converted.append(t)
        return pack_sequence_as(list(args), converted)

    def _trace(self, args, kwargs):
        self.trace_count += 1
        outer = current_graph()
        graph = FuncGraph(getattr(self._python_function, "__name__", "function"), outer)
        specs = flatten(self._input_signature) if self._input_signature is not None else None
        leaves = flatten([list(args), dict(kwargs)])
        placeholders = []
        new_leaves = []
        i = 0
        saved_tapes, ctx.tapes = ctx.tapes, []
        watcher = []
        ctx.var_watchers.append(watcher)
        try:
            with graph.as_default():
                for leaf in leaves:
                    if isinstance(leaf, (Tensor, np.ndarray)) and not _is_variable(leaf):
                        t = leaf if isinstance(leaf, Tensor) else convert_to_tensor(leaf)
                        shape = specs[i].shape if specs is not None else t.shape
                        p = graph.add_op("Placeholder", [], {"dtype": t.dtype, "shape": shape},
                                         [(t.dtype, shape)], name="arg").outputs[0]
                        graph.inputs.append(p)
                        placeholders.append(p)
                        new_leaves.append(p)
                        i += 1
                    else:
                        new_leaves.append(leaf)
                new_args, new_kwargs = pack_sequence_as([list(args), dict(kwargs)], new_leaves)
                result = self._python_function(*new_args, **new_kwargs)
                flat_out = flatten(result)
                outputs = []
                for o in flat_out:
                    if o is None:
                        continue
                    if _is_variable(o):
                        o = o.value()
                    outputs.append(convert_to_tensor(o) if not isinstance(o, GraphTensor) else
                                   (o if o.graph is graph else graph.capture(o)))
                outputs = [o if o.op.graph is graph else graph.capture(o) for o in outputs]
        finally:
            ctx.tapes = saved_tapes
            ctx.var_watchers.pop()
        graph.outputs = outputs
        cf = ConcreteFunction(graph, graph.inputs, outputs, result, watcher)
        cf._flat_with_nones = [None if o is None else True for o in flat_out]
        return cf


def _structure_of(s):
    if isinstance(s, (list, tuple)):
        return [type(s).__name__, [_structure_of(x) for x in s]]
    if isinstance(s, dict):
        return ["dict", [(k, _structure_of(s[k])) for k in sorted(s, key=str)]]
    return "."


def _is_variable(x):
    return isinstance(x, Variable)


def function(func=None, input_signature=None, autograph=True, jit_compile=None,
             reduce_retracing=False, experimental_relax_shapes=None, **kwargs):
    """Compile `func` into a graph per input signature (decorator, with or without arguments)."""
    if func is None:
        return lambda f: function(f, input_signature, autograph, jit_compile, reduce_retracing)
    if not callable(func):
        raise TypeError(f"tf.function expects a Python function to compile, got {func!r}")
    return Function(func, input_signature, autograph, jit_compile, reduce_retracing)


__all__ = ["function", "Function", "ConcreteFunction", "TensorSpec", "EagerTensor"]
