"""tf.function: trace a Python function into a FuncGraph once per input signature, then run
it through a Session-style Plan. A call is one `PartitionedCall` op, so outer tapes and outer
graphs see one node whose gradient is the symbolic gradient of the function's graph.

A trace is keyed by what it depends on (`Function._key`): the dtypes and shapes of the tensor
arguments, the dtype, shape and trainability of the variable arguments (a variable's handle is
an input, so one trace serves every variable alike), the values of the Python ones. Never by
an object's id: a freed object's id is another object's later.
"""
import functools
import inspect
import threading

import numpy as np

from ..framework import context, dtypes
from ..framework.context import ctx, current_graph
from ..framework.errors import InvalidArgumentError, short_repr
from ..framework.execute import execute
from ..framework.nest import flatten, pack_sequence_as, sorted_keys
from ..framework.registry import KERNELS_EPOCH, OPS, gradient, register_kernel
from ..framework.shape import TensorShape
from ..framework.tensor import EagerTensor, GraphTensor, Tensor, convert_to_tensor
from ..ops.indexed_slices import IndexedSlices
from ..ops.state import Variable, pop_creation_scope, push_creation_scope
from .function_sites import TracedGraph, located
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
        self.variables = list(variables)           # read by closure (not passed)
        self.captured = [outer for outer, _ in graph.captures] if captured is None else captured
        self._side_effects = [op for op in graph.get_operations() if OPS[op.type].side_effect] \
            if side_effects is None else side_effects
        self._plan = None
        self._grad = None
        self._lock = threading.Lock()
        self._function = None                      # the tf.function that traced it
        self._trace_key = None                     # and the key it traced it for

    def run(self, arrays):
        """Run on NumPy arrays (one per input placeholder); returns the output arrays."""
        plan = self._plan
        if plan is None or plan.epoch != KERNELS_EPOCH[0]:
            with self._lock:
                if self._plan is None or self._plan.epoch != KERNELS_EPOCH[0]:
                    self._plan = Plan(self.graph, self.outputs, self._side_effects, self.inputs)
                plan = self._plan
        return plan.run(arrays)

    def call_flat(self, tensors, variables=()):
        """Call on input tensors (arguments then captures), in any mode; `variables` are those
        passed as arguments (their handles are among the tensors)."""
        for tape in ctx.tapes:
            for v in self.variables:
                tape.variable_accessed(v)
            for v in variables:
                tape.variable_accessed(v)
        return execute("PartitionedCall", tensors, {"f": self}) if self.outputs or \
            self._side_effects else []

    def __call__(self, *args, **kwargs):
        function = self._function
        if function is None:        # a gradient or a branch: tensors in, in order
            flat, variables = [convert_to_tensor(a) for a in flatten(args)], ()
        else:
            args, kwargs = function._bind(args, kwargs)
            key, flat, variables = function._key(args, kwargs, False)
            if self._trace_key is not None and not _fits(key, self._trace_key):
                self._check_call(function, key, flat, args, kwargs)
        outs = self.call_flat(flat + self.captured, variables)
        return pack_sequence_as(self.structure, _restore_nones(self, outs))

    def _check_call(self, function, key, flat, args, kwargs):
        """As TF's ConcreteFunction: tensors of other shapes are let through (the graph runs on
        them), a tensor of another dtype is InvalidArgumentError, other arguments TypeError."""
        if _erase(key) == _erase(self._trace_key):
            return
        if _erase(key, dtype_too=True) == _erase(self._trace_key, dtype_too=True):
            for i, (t, p) in enumerate(zip(flat, self.inputs)):
                if t.dtype is not p.dtype:
                    raise InvalidArgumentError(
                        f"cannot compute {function._name} as input #{i}(zero-based) was "
                        f"expected to be a {_TF_TYPE.get(p.dtype, p.dtype.name)} tensor but is "
                        f"a {_TF_TYPE.get(t.dtype, t.dtype.name)} tensor")
        raise TypeError(f"ConcreteFunction {function._name!r} was traced for other arguments "
                        f"than {short_repr(args)}, {short_repr(kwargs)}: call the tf.function, "
                        "which traces again where needed")

    def gradient_function(self):
        """A ConcreteFunction (inputs + dys + new captures -> one gradient per input)."""
        with self._lock:
            if self._grad is None:
                self._grad = _build_gradient(self)
        return self._grad


def _restore_nones(cf, outs):
    """The call's outputs, with the Nones and IndexedSlices (an int: how many parts) of the
    traced function's flat result."""
    it = iter(outs)
    return [None if t is None else next(it) if t is True else
            IndexedSlices(*[next(it) for _ in range(t)]) for t in cf._flat_with_nones]


def _slices_parts(s):
    return [s.values, s.indices] + ([] if s.dense_shape is None else [s.dense_shape])


def _partitioned_call_kernel(*arrays, f):
    try:
        return f.run(list(arrays))
    except Exception as e:
        error = located(f.graph, e)
        if error is None:
            raise
        raise error from None           # (TF's message names the user's line, not the plan's)


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


def _dense_like(slices, x):
    dense = convert_to_tensor(slices)
    dense.set_shape(x.shape)
    return dense


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
        # a function's gradient outputs are tensors: IndexedSlices (gather's gradient) dense,
        # with the static shape of the input they are the gradient of
        grads = [_dense_like(g, x) if type(g) is IndexedSlices else g
                 for g, x in zip(grads, f.inputs)]
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
        self._cache = {}        # calls made eagerly: trace key -> ConcreteFunction (calls in
        # a graph: the graph's function_traces[self], which goes with the graph)
        self._lock = threading.RLock()
        self.trace_count = 0
        self._name = getattr(python_function, "__name__", None) or getattr(
            getattr(python_function, "func", None), "__name__", "function")
        self._params = _Parameters(python_function)
        self._created = None    # the variables its first trace made (None: not traced yet)
        functools.update_wrapper(self, python_function)

    def __reduce__(self):
        """Pickled (tf.distribute's replicas, janusgrad/distributed) as its Python function and
        signature: traces belong to the process that made them, and are made again there."""
        return Function, (self._python_function, self._input_signature)

    def __get__(self, instance, owner):
        if instance is None:
            return self
        bound = self.__dict__.setdefault("_bound", {})
        key = id(instance)          # (the partial holds the instance: its id stays its own)
        if key not in bound:
            bound[key] = Function(functools.partial(self._python_function, instance),
                                  self._input_signature)
        return bound[key]

    @property
    def python_function(self):
        return self._python_function

    def __call__(self, *args, **kwargs):
        cf, flat, variables = self._concrete(args, kwargs)
        outs = cf.call_flat(flat + cf.captured, variables)
        return pack_sequence_as(cf.structure, _restore_nones(cf, outs))

    def get_concrete_function(self, *args, **kwargs):
        """The trace for these arguments; a tf.TensorSpec stands for the tensors it allows, and
        a later call with one of them uses this trace (as TF)."""
        if self._input_signature is not None and not args and not kwargs:
            args = tuple(self._input_signature)
        return self._concrete(args, kwargs, specs=True)[0]

    def experimental_get_tracing_count(self):
        return self.trace_count

    def _bind(self, args, kwargs, specs=False):
        """The call with every parameter given (TF's binding): positional parameters
        positionally, defaults filled in; with an input_signature, converted to it."""
        if self._input_signature is not None:
            return self._check_signature(args, kwargs, specs), {}
        return self._params.bind(args, kwargs, self)

    def _concrete(self, args, kwargs, specs=False):
        """The trace for this call, its input tensors (variables' handles among them, each
        once) and the variables passed."""
        args, kwargs = self._bind(args, kwargs, specs)
        key, flat, variables = self._key(args, kwargs, specs)
        graph = current_graph()
        cache = self._cache if graph is None else graph.function_traces.get(self)
        cf = cache.get(key) if cache is not None else None
        if cf is None:
            with self._lock:
                cache = self._cache if graph is None else \
                    graph.function_traces.setdefault(self, {})
                cf = cache.get(key)
                if cf is None:
                    cf = _most_specific(key, cache.values())
                    if cf is None:
                        cf = self._trace_once(args, kwargs, specs)
                        cf._trace_key = key
                    cache[key] = cf
        return cf, flat, variables

    def _key(self, args, kwargs, specs):
        """What a trace depends on, of a bound call: tensors by dtype and shape, variables by
        dtype, shape, trainability and which arguments are the same variable, Python values by
        type and value (equality), nests by their type and items. Returned with the call's
        input tensors and variables, in the order of the trace's inputs."""
        flat, variables = [], []
        if self._input_signature is not None:   # the signature alone is the key
            for leaf in flatten(list(args)):
                if isinstance(leaf, Tensor):
                    flat.append(leaf)
            return (), flat, variables
        key, seen = [], {}
        for a in args:
            if type(a) is EagerTensor:          # the common argument
                flat.append(a)
                key.append((a.dtype, a._value.shape))
            else:
                key.append(_key_of(a, flat, variables, seen, specs, self))
        if kwargs:
            key.append((_KEYWORDS, *[(k, _key_of(kwargs[k], flat, variables, seen, specs, self))
                                     for k in sorted_keys(kwargs)]))
        return tuple(key), flat, variables

    def _check_signature(self, args, kwargs, specs=False):
        """The arguments bound to the input_signature, each converted to its spec; TF's
        TypeError for one that does not match it, and for a parameter the signature leaves out
        given another value than its default."""
        signature = list(self._input_signature)
        n = len(signature)
        if kwargs or len(args) != n:
            args, kwargs = self._params.bind(args, kwargs, self)
            if kwargs:
                raise self._binding_error(args, kwargs, "keyword-only arguments are not "
                                         "allowed with an input_signature")
            if len(args) < n:
                raise self._binding_error(args, kwargs, f"{n} arguments expected by the "
                                         f"input_signature, got {len(args)}")
            for i in range(n, len(args)):
                default = self._params.default_at(i)
                if default is inspect.Parameter.empty:
                    raise self._binding_error(args, kwargs, "too many positional arguments")
                if not _same(args[i], default):
                    raise self._binding_error(args, kwargs, f"Can not cast {short_repr(args[i])} "
                                             f"to its default {short_repr(default)}")
            args = args[:n]
        try:
            return tuple(_conform(spec, a, specs) for spec, a in zip(signature, args))
        except (TypeError, ValueError) as e:
            raise self._binding_error(args, kwargs, str(e)) from None

    def _binding_error(self, args, kwargs, detail):
        signature = self._input_signature if self._input_signature is not None else \
            self._params.signature
        return TypeError(f"Binding inputs to tf.function {self._name!r} failed due to "
                         f"`{detail}`. Received args: {short_repr(tuple(args))} and kwargs: "
                         f"{short_repr(dict(kwargs))} for signature: {signature}.")

    def _trace_once(self, args, kwargs, specs):
        """The trace to use for this call, as TF's: the first trace may create variables; if it
        did, they are kept (initialised from their traced values) and the function is traced
        again, where creating a variable is TF's ValueError (so is a later trace's creating
        one, when the first created none)."""
        if self._created is not None:
            later = _Creations(self._created)
            cf = self._trace(args, kwargs, specs, later)
            if later.variables:
                raise ValueError("Creating variables on a non-first call to a function decorated "
                                 "with tf.function.")
            return cf
        first = _Creations(None)
        cf = self._trace(args, kwargs, specs, first)
        self._created = first.variables
        if not first.variables:
            return cf
        return self._trace(args, kwargs, specs, _Creations(self._created))

    def _trace(self, args, kwargs, specs=False, creations=None):
        self.trace_count += 1
        outer = current_graph()
        graph = TracedGraph(self._name, outer)
        signature = flatten(self._input_signature) if self._input_signature is not None else None
        leaves = flatten([list(args), dict(kwargs)])
        new_leaves = []
        arguments = []                  # the variables passed (their handles are inputs)
        i = 0
        saved_tapes, ctx.tapes = ctx.tapes, []
        fed = {}                        # id(argument placeholder) -> the tensor passed
        watcher = []
        ctx.var_watchers.append(watcher)
        try:
            with graph.as_default():
                for leaf in leaves:
                    if _is_variable(leaf):
                        # as TF: the body gets the variable itself, whose reads use an input
                        # placeholder, fed with the handle of whichever variable is passed
                        graph.argument_for(leaf.handle)
                        if not any(v is leaf for v in arguments):
                            arguments.append(leaf)
                        new_leaves.append(leaf)
                        continue
                    if type(leaf) is IndexedSlices and signature is None:
                        parts = []
                        for part in _slices_parts(leaf):
                            part = convert_to_tensor(part)
                            p = graph.add_op("Placeholder", [], {"dtype": part.dtype,
                                                                 "shape": part.shape},
                                             [(part.dtype, part.shape)], name="arg").outputs[0]
                            graph.inputs.append(p)
                            parts.append(p)
                            fed[id(p)] = part
                        new_leaves.append(IndexedSlices(*parts))
                        continue
                    if isinstance(leaf, (Tensor, np.ndarray)):
                        t = leaf if isinstance(leaf, Tensor) else convert_to_tensor(leaf)
                        dtype, shape = t.dtype, t.shape
                    elif isinstance(leaf, TensorSpec) and (specs or signature is not None):
                        dtype, shape = leaf.dtype, leaf.shape
                    else:
                        new_leaves.append(leaf)         # a Python value: part of the trace
                        continue
                    if signature is not None:
                        shape = signature[i].shape
                        i += 1
                    p = graph.add_op("Placeholder", [], {"dtype": dtype, "shape": shape},
                                     [(dtype, shape)], name="arg").outputs[0]
                    graph.inputs.append(p)
                    new_leaves.append(p)
                    if isinstance(leaf, (Tensor, np.ndarray)):
                        fed[id(p)] = t          # (what a variable's initial value may read)
                new_args, new_kwargs = pack_sequence_as([list(args), dict(kwargs)], new_leaves)
                if creations is None:
                    result = self._python_function(*new_args, **new_kwargs)
                else:
                    creations.graph, creations.fed = graph, fed
                    push_creation_scope(creations)
                    try:
                        result = self._python_function(*new_args, **new_kwargs)
                    finally:
                        pop_creation_scope(creations)
                flat_out = flatten(result)
                outputs = []
                for out in flat_out:
                    if out is None:
                        continue
                    # (IndexedSlices come out as their parts, made one again by the call)
                    for o in _slices_parts(out) if type(out) is IndexedSlices else (out,):
                        if _is_variable(o):
                            o = o.value()
                        outputs.append(convert_to_tensor(o) if not isinstance(o, GraphTensor)
                                       else (o if o.graph is graph else graph.capture(o)))
                outputs = [o if o.op.graph is graph else graph.capture(o) for o in outputs]
        finally:
            ctx.tapes = saved_tapes
            ctx.var_watchers.pop()
        graph.outputs = outputs
        # tapes hear of the variables read by closure from the trace, of those passed from the
        # call (call_flat)
        closure = [v for v in watcher if not any(v is a for a in arguments)]
        cf = ConcreteFunction(graph, graph.inputs, outputs, result, closure)
        cf._flat_with_nones = [None if o is None else len(_slices_parts(o))
                               if type(o) is IndexedSlices else True for o in flat_out]
        cf._function = self
        return cf


_SINGLETON = ("tf.function only supports singleton tf.Variables created on the first call. "
              "Make sure the tf.Variable is only created once or created outside tf.function. "
              "See https://www.tensorflow.org/guide/function#creating_tfvariables for more "
              "information.")


class _Creations:
    """The variables one trace creates (the scope ops/state.py's Variable tells): on the first
    trace any, kept and initialised from their traced initial values; on a trace after a first
    that created some, none (TF's ValueError)."""

    def __init__(self, first):
        self.first = first          # None on the first trace, else what the first created
        self.variables = []
        self.graph = None           # the graph being traced (set by _trace)
        self.fed = {}               # id(argument placeholder) -> the tensor passed for it

    def check_creation(self):
        if self.first:
            raise ValueError(_SINGLETON)

    def created(self, variable):
        self.variables.append(variable)

    def lift(self, t, name):
        """`t`, a tensor of the graph being traced, computed outside it where the variable is
        being made (TF lifts the initializer out of the function): the ops it needs run once,
        fed with the captured tensors and the arguments of the call being traced."""
        graph = self.graph
        if t.op.graph is not graph:
            raise ValueError(f"tf.Variable {name!r}: its initial value {t.name} was made in a "
                             "control flow body inside the tf.function: create the variable "
                             "outside that body")
        outer = {id(inner): o for o, inner in graph.captures}
        outer.update(self.fed)
        placeholders, seen, stack = [], set(), [t.op]
        while stack:
            op = stack.pop()
            if op._id in seen:
                continue
            seen.add(op._id)
            if op.type == "Placeholder":
                placeholders.append(op.outputs[0])
            stack.extend(x.op for x in op.inputs)
            stack.extend(op.control_inputs)
        eager = current_graph() is None
        values = []
        for p in placeholders:
            if not eager and id(p) in self.fed:     # TF1: lifted into the graph, not fed
                raise ValueError(f"Unable to lift tensor {t.name} (the initial value of "
                                 f"tf.Variable {name!r}) because it depends transitively on the "
                                 f"function's argument {p.name}: in graph mode a variable made "
                                 "inside a tf.function is initialised by the graph's "
                                 "initializer, which cannot read the arguments of a call")
            value = outer.get(id(p))
            if value is None or (eager and not isinstance(value, EagerTensor)):
                raise ValueError(f"tf.Variable {name!r}: its initial value {t.name} depends on "
                                 f"{p.name}, which has no value where the variable is made (a "
                                 "tf.TensorSpec or a tensor of an enclosing trace): create the "
                                 "variable outside the tf.function")
            values.append(value)
        init = ConcreteFunction(graph, placeholders, [t], [t], captured=[], side_effects=[])
        with context.tapes_paused():
            return init.call_flat(values)[0]


_KEYWORDS = object()        # marks the keyword arguments' part of a trace key
_ALIAS = object()           # a variable passed again: (_ALIAS, its place among the variables)
_NAN = object()             # NaN's key (as nan != nan, a key holding it would never match)


def _key_of(x, flat, variables, seen, specs, function):
    """The trace key of one argument (see Function._key); appends its tensors to `flat` and
    its variables (their handles to `flat`) in flatten's order."""
    t = type(x)
    if t is EagerTensor:
        flat.append(x)
        return x.dtype, x._value.shape
    if isinstance(x, (list, tuple)):
        return (t, *[_key_of(item, flat, variables, seen, specs, function) for item in x])
    if isinstance(x, dict):     # (its keys as a set: a key in a key is never a tensor's)
        return (t, frozenset(x), *[_key_of(x[k], flat, variables, seen, specs, function)
                                   for k in sorted_keys(x)])
    if isinstance(x, Tensor):
        flat.append(x)
        return x.dtype, x.shape
    if t is IndexedSlices and function._input_signature is None:
        # keyed by its parts' dtypes and shapes, as TF's IndexedSlicesSpec (the trace gets one
        # placeholder per part: _trace)
        return (t, *[_key_of(part, flat, variables, seen, specs, function)
                     for part in _slices_parts(x)])
    if _is_variable(x):
        n = len(variables)
        first = seen.setdefault(id(x), n)       # (ids of objects this call holds: no reuse)
        if first != n:
            return _ALIAS, first
        variables.append(x)
        flat.append(x.handle)
        return Variable, x.dtype, x.shape, x.trainable
    if isinstance(x, np.ndarray):
        x = convert_to_tensor(x)
        flat.append(x)
        return x.dtype, x._value.shape
    if specs and isinstance(x, TensorSpec):
        return x.dtype, x.shape
    try:
        hash(x)
    except TypeError:
        raise TypeError(f"Could not generate a generic TraceType for {short_repr(x)}. Please "
                        "verify that it is immutable/hashable: tf.function "
                        f"{function._name!r} keys its traces by the values of its Python "
                        "arguments (a dataclass is hashable with frozen=True).") from None
    if isinstance(x, (float, np.floating)) and x != x:
        return t, _NAN
    return t, x


_TF_TYPE = {dtypes.float32: "float", dtypes.float64: "double", dtypes.float16: "half"}


def _erase(key, dtype_too=False):
    """The key with its tensors' shapes (and dtypes) left out."""
    if _is_tensor_key(key):
        return Tensor if dtype_too else key[0]
    if type(key) is tuple:
        return tuple(_erase(k, dtype_too) for k in key)
    return key


def _is_tensor_key(k):
    return type(k) is tuple and len(k) == 2 and isinstance(k[0], dtypes.DType)


def _dims_known(key):
    """(how many dims of the key's tensors are known, whether all are)."""
    if _is_tensor_key(key):
        shape = TensorShape(key[1])
        if shape.rank is None:
            return 0, False
        known = sum(d is not None for d in shape.dims)
        return known, known == shape.rank
    if type(key) is tuple:
        total, full = 0, True
        for k in key:
            n, f = _dims_known(k)
            total, full = total + n, full and f
        return total, full
    return 0, True


def _fits(key, general):
    """Whether a call keyed `key` may use the trace keyed `general`: tensors of shapes it
    allows, everything else equal."""
    if key == general:
        return True
    if _is_tensor_key(general):
        return _is_tensor_key(key) and key[0] is general[0] and _within(key[1], general[1])
    if type(general) is tuple and general and general[0] is not Variable:
        return type(key) is tuple and len(key) == len(general) and \
            all(_fits(k, g) for k, g in zip(key, general))
    return False


def _within(shape, general):
    """Whether every shape `shape` allows, `general` allows (TF's subtype)."""
    shape, general = TensorShape(shape), TensorShape(general)
    if general.rank is None:
        return True
    return shape.rank == general.rank and \
        all(g is None or s == g for s, g in zip(shape.dims, general.dims))


def _most_specific(key, traces):
    """Of the traces made for tensors of unknown dims (get_concrete_function with a
    TensorSpec, or graph tensors), the one that fits a new key and knows the most dims."""
    best, best_known = None, -1
    for cf in traces:
        general = cf._trace_key
        if general is None:
            continue
        known, full = _dims_known(general)
        if not full and known > best_known and _fits(key, general):
            best, best_known = cf, known
    return best


def _same(value, default):
    if value is default:
        return True
    try:
        return bool(value == default)
    except Exception:           # an array's ==, say
        return False


def _conform(spec, value, specs):
    """`value` converted to the (nest of) TensorSpec `spec`; TypeError or ValueError if it
    cannot be."""
    if isinstance(spec, TensorSpec):
        if specs and isinstance(value, TensorSpec):
            if value.dtype is not spec.dtype or not spec.shape.is_compatible_with(value.shape):
                raise TypeError(f"Can not cast {value} to {spec}")
            return value
        if isinstance(value, Tensor) and value.dtype is not spec.dtype:
            raise TypeError(f"Can not cast {TensorSpec(value.shape, value.dtype)} to {spec}")
        t = convert_to_tensor(value, dtype=spec.dtype)
        if not spec.shape.is_compatible_with(t.shape):
            raise TypeError(f"Can not cast {TensorSpec(t.shape, t.dtype)} to {spec}")
        return t
    if isinstance(spec, (list, tuple)):
        if not isinstance(value, (list, tuple)) or len(value) != len(spec):
            raise TypeError(f"{short_repr(value)} does not have the structure of {spec}")
        items = [_conform(s, v, specs) for s, v in zip(spec, value)]
        if isinstance(spec, list):
            return items
        return type(spec)(*items) if hasattr(spec, "_fields") else type(spec)(items)
    if isinstance(spec, dict):
        if not isinstance(value, dict) or sorted_keys(value) != sorted_keys(spec):
            raise TypeError(f"{short_repr(value)} does not have the structure of {spec}")
        return type(spec)((k, _conform(spec[k], value[k], specs)) for k in spec)
    raise TypeError(f"an input_signature is a nest of tf.TensorSpec, got {spec!r}")


class _Parameters:
    """How a call's arguments bind to the function's parameters, as TF binds them (so that
    f(x, n=2), f(x, 2) and, where 2 is n's default, f(x) are one call): by hand for positional
    arguments, by inspect.Signature.bind otherwise. The bound call gives every parameter."""

    def __init__(self, fn):
        try:
            self.signature = inspect.signature(fn)
        except (TypeError, ValueError):         # a builtin, say: calls stay as they are
            self.signature = None
            self.fast = False
            return
        kinds = inspect.Parameter
        params = list(self.signature.parameters.values())
        positional = [p for p in params
                      if p.kind in (kinds.POSITIONAL_ONLY, kinds.POSITIONAL_OR_KEYWORD)]
        self.names = [p.name for p in positional]
        self.positional_defaults = [p.default for p in positional]
        self.n_positional = len(positional)
        self.defaults = tuple(p.default for p in positional if p.default is not kinds.empty)
        self.n_required = self.n_positional - len(self.defaults)
        self.var_positional = any(p.kind is kinds.VAR_POSITIONAL for p in params)
        self.var_keyword = any(p.kind is kinds.VAR_KEYWORD for p in params)
        self.keyword_only = {p.name: p.default for p in params if p.kind is kinds.KEYWORD_ONLY}
        self.fast = all(d is not kinds.empty for d in self.keyword_only.values())
        self.keywords_by_hand = all(p.kind is not kinds.POSITIONAL_ONLY for p in params)

    def bind(self, args, kwargs, function):
        """(args, kwargs), every parameter given, the positional ones positionally."""
        if not kwargs:
            n = len(args)
            if self.fast and (n == self.n_positional or (n > self.n_positional and
                                                         self.var_positional)):
                return args, self.keyword_only
            if self.fast and self.n_required <= n < self.n_positional:
                return args + self.defaults[n - self.n_required:], self.keyword_only
        elif self.keywords_by_hand and len(args) <= self.n_positional:
            bound = self._bind_keywords(args, kwargs)
            if bound is not None:
                return bound
        if self.signature is None:
            return args, kwargs
        try:
            bound = self.signature.bind(*args, **kwargs)
        except TypeError as e:
            raise function._binding_error(args, kwargs, str(e)) from None
        bound.apply_defaults()
        return bound.args, bound.kwargs

    def _bind_keywords(self, args, kwargs):
        """bind's answer, by hand; None where bind must say what is wrong."""
        empty, names, rest = inspect.Parameter.empty, self.names, dict(kwargs)
        for name in names[:len(args)]:
            if name in rest:
                return None                             # given twice
        args = list(args)
        for i in range(len(args), self.n_positional):
            value = rest.pop(names[i], self.positional_defaults[i])
            if value is empty:
                return None                             # missing
            args.append(value)
        keywords = {}
        for name, default in self.keyword_only.items():
            value = keywords[name] = rest.pop(name, default)
            if value is empty:
                return None
        if rest:
            if not self.var_keyword:
                return None                             # unexpected
            keywords.update(rest)
        return tuple(args), keywords

    def default_at(self, i):
        if self.signature is None or i >= self.n_positional:
            return inspect.Parameter.empty
        return self.positional_defaults[i]


def _is_variable(x):
    return isinstance(x, Variable)


def function(func=None, input_signature=None, autograph=True, jit_compile=None,
             reduce_retracing=False, experimental_relax_shapes=None, **kwargs):
    """Compile `func` into a graph per input signature (decorator, with or without arguments).
    No AutoGraph: a Python `if`/`while` on a tensor is an error naming `tf.cond` and
    `tf.while_loop`; `1`, `1.0` and `True` are traced apart (TF shares one trace).

    Python arguments key the traces by value and are held strongly (TF holds them by weak
    reference)."""
    if func is None:
        return lambda f: function(f, input_signature, autograph, jit_compile, reduce_retracing)
    if not callable(func):
        raise TypeError(f"tf.function expects a Python function to compile, got {func!r}")
    return Function(func, input_signature, autograph, jit_compile, reduce_retracing)


__all__ = ["function", "Function", "ConcreteFunction", "TensorSpec", "EagerTensor"]
