"""tf.Variable and its ops (TF's resource_variable_ops). A variable is a `Resource` (its value
and a lock); its handle tensor carries the resource, and reads and assigns are ops on that
handle, so their order follows the graph and the gradient with respect to a variable is the
gradient with respect to its handle.
"""
import sys
import threading

import numpy as np

from ..framework import context, dtypes
from ..framework.context import ctx, current_graph, get_default_graph, init_scope
from ..framework.errors import FailedPreconditionError
from ..framework.execute import eager_run, execute, run_eager
from ..framework.registry import OPS, gradient, not_differentiable, register_kernel
from ..framework.shape import TensorShape
from ..framework.shape import get_shape_view
from ..framework.tensor import (EAGER_DEVICE, EagerTensor, GraphTensor, Reference, Tensor,
                                convert_to_tensor)
from .control import eager_name_scope_prefix


class Resource:
    """The storage of one variable. Values are replaced, never written in place, so a value
    read earlier stays what it was (TF's snapshot semantics) without a copy."""
    __slots__ = ("name", "dtype", "shape", "value", "lock", "__weakref__")

    def __init__(self, name, dtype, shape):
        self.name = name
        self.dtype = dtype
        self.shape = shape            # the static TensorShape (None dims allowed)
        self.value = None
        self.lock = threading.Lock()

    def read(self):
        v = self.value
        if v is None:
            raise FailedPreconditionError(
                f"Attempting to use uninitialized value {self.name}: run its initializer "
                "(tf.compat.v1.global_variables_initializer()) first")
        return v

    def check(self, value, what):
        value = np.asarray(value)
        if value.dtype != self.dtype.np:
            raise TypeError(f"{what} of variable {self.name}: expected dtype {self.dtype.name}, "
                            f"got {value.dtype}")
        if not self.shape.is_compatible_with(value.shape):
            raise ValueError(f"{what} of variable {self.name}: cannot assign a value of shape "
                             f"{list(value.shape)} to a variable of shape {self.shape}")
        return value

    # a resource tensor is a scalar handle, whatever the variable's shape
    ndim = 0
    size = 1
    nbytes = 0                  # no array of its own: tape records always keep a handle


def _handle_kernel(*, resource):
    return resource


def _read_kernel(handle, *, dtype, shape):
    return handle.read()


def _assign_kernel(handle, value):
    value = handle.check(value, "Assign")
    with handle.lock:
        handle.value = value
    return []


def _assign_add_kernel(handle, delta):
    _update(handle, delta, np.add, "AssignAdd")
    return []


def _assign_sub_kernel(handle, delta):
    _update(handle, delta, np.subtract, "AssignSub")
    return []


def _update(handle, delta, ufunc, what):
    """value = ufunc(value, delta), in place when no tensor shares the array (then nobody can
    see the change, and an optimizer step allocates nothing); else a new array, so that earlier
    reads keep their values. The result is checked before the variable changes."""
    delta = handle.check(delta, what)
    with handle.lock:
        value = handle.read()
        if (sys.getrefcount(value) == _PRIVATE and value.flags.writeable and (
                delta.shape == value.shape
                or value.shape == np.broadcast_shapes(value.shape, delta.shape))):
            ufunc(value, delta, out=value)
        else:
            handle.value = handle.check(ufunc(value, delta), what)


# references to a variable's array when only the variable holds it: the Resource's attribute,
# the local name in _update and getrefcount's own argument
_PRIVATE = 3


def _is_initialized_kernel(handle):
    return np.array(handle.value is not None)


register_kernel("VarHandleOp", _handle_kernel,
                infer=lambda i, a: [(dtypes.resource, TensorShape([]))])
register_kernel("ReadVariableOp", _read_kernel,
                infer=lambda i, a: [(a["dtype"], a["shape"])])
register_kernel("AssignVariableOp", _assign_kernel, multi=True, side_effect=True,
                infer=lambda i, a: [])
register_kernel("AssignAddVariableOp", _assign_add_kernel, multi=True, side_effect=True,
                infer=lambda i, a: [])
register_kernel("AssignSubVariableOp", _assign_sub_kernel, multi=True, side_effect=True,
                infer=lambda i, a: [])
register_kernel("VarIsInitializedOp", _is_initialized_kernel,
                infer=lambda i, a: [(dtypes.bool, TensorShape([]))])
not_differentiable("VarHandleOp", "AssignVariableOp", "AssignAddVariableOp",
                   "AssignSubVariableOp", "VarIsInitializedOp")


# the record keeps the handle (no array of its own: the variable holds the value), so that
# draw and gradient-block errors can name the variable
@gradient("ReadVariableOp", inputs=(0,), outputs=())
def _read_grad(op, dy):
    """dy flows to the handle: the gradient w.r.t. the variable"""
    return dy


# -- tf.Variable ---------------------------------------------------------------------------------

GLOBAL_VARIABLES = "variables"
TRAINABLE_VARIABLES = "trainable_variables"


class Variable:
    """A mutable tensor. Eager: a value now; graph: assigned when its initializer runs. Its value
    lives in the variable, so two Sessions on one graph share it (TF keeps one per Session)."""

    _read_attrs = None          # the ReadVariableOp attrs, made on the first read
    __array_priority__ = 100    # as a Tensor's: `array @ variable` is our op, as in TF (not
    # NumPy's, which would read the value and drop the gradient)

    def __init__(self, initial_value=None, trainable=True, validate_shape=True, caching_device=None,
                 name=None, variable_def=None, dtype=None, import_scope=None, constraint=None,
                 synchronization=None, aggregation=None, shape=None, collections=None, **_):
        if initial_value is None:
            raise ValueError("initial_value must be specified.")
        if collections is not None and not isinstance(collections, (list, tuple, set)):
            raise ValueError("collections argument to Variable constructor must be a list, tuple, "
                             f"or set. Got {collections!r} of type {type(collections).__name__}")
        scope = creation_scope() if getattr(_SCOPES, "stack", None) else None
        if scope is not None:
            scope.check_creation()      # tf.function's later traces may not create variables
        # TF names an eager variable by the name scope it is made in (a function's, when
        # made while tracing and lifted out by init_scope): "module/w:0"
        outer = current_graph()
        prefix = outer.current_scope() if outer is not None else eager_name_scope_prefix()
        with init_scope():
            graph = current_graph()
            if callable(initial_value) and not isinstance(initial_value, Tensor):
                if graph is None:
                    initial_value = initial_value()
                else:
                    # TF's init_scope clears control dependencies: an initial value made under
                    # control_dependencies(update_ops) (a slot of minimize) must not run them
                    with graph.control_dependencies(None):
                        initial_value = initial_value()
            if graph is None:
                init = convert_to_tensor(_unwrap(initial_value), dtype=dtype)
                if isinstance(init, GraphTensor):
                    init = _lift(scope, init, name)
            else:
                with graph.name_scope((name or "Variable") + "/Initializer"), \
                        graph.control_dependencies(None):
                    init = convert_to_tensor(_unwrap(initial_value), dtype=dtype)
                    if isinstance(init, GraphTensor) and init.op.graph is not graph:
                        init = _lift(scope, init, name)
            self.dtype = init.dtype
            static = init.shape if validate_shape and shape is None else TensorShape(shape)
            self.trainable = bool(trainable)
            self.constraint = constraint
            base = name or "Variable"
            if graph is None:
                base = prefix + base
                self._resource = Resource(base, self.dtype, static)
                self._resource.value = init._value
                self.handle = EagerTensor(self._resource, dtypes.resource)
                self._name = base + ":0"
                self.initializer = None
                self.graph = None
                self._initial = init
            else:
                op_name = graph.unique_name(graph.current_scope() + base, mark_as_used=False)
                self._resource = Resource(op_name, self.dtype, static)
                with graph.control_dependencies(None):
                    self.handle = graph.add_op("VarHandleOp", [], {"resource": self._resource},
                                               [(dtypes.resource, TensorShape([]))],
                                               name=base).outputs[0]
                self._name = self.handle.op.name + ":0"
                self._resource.name = self.handle.op.name
                with graph.control_dependencies(None):
                    self.initializer = graph.add_op("AssignVariableOp", [self.handle, init], {},
                                                    [], name=base + "/Assign")
                    # what Session.run fetches for the variable (TF's _graph_element): one read
                    # op made now, so that fetching it again and again adds nothing to the graph
                    with graph.name_scope(self.handle.op.name + "/Read/"):
                        self._graph_element = graph.add_op(
                            "ReadVariableOp", [self.handle],
                            {"dtype": self.dtype, "shape": self._resource.shape},
                            [(self.dtype, self._resource.shape)], name="ReadVariableOp").outputs[0]
                self.graph = graph
                self._initial = init
                # TF1's `collections` (tf.compat.v1.Variable, get_variable): GLOBAL_VARIABLES
                # unless given, and TRAINABLE_VARIABLES for a trainable variable
                keys = [GLOBAL_VARIABLES] if collections is None else list(collections)
                if self.trainable and TRAINABLE_VARIABLES not in keys:
                    keys.append(TRAINABLE_VARIABLES)
                graph.add_to_collections(keys, self)
            if graph is None and getattr(_WATCHERS, "hooks", None):
                for hook in tuple(_WATCHERS.hooks):     # (eagerly: init_scope is still on)
                    hook(self)
        if scope is not None:
            scope.created(self)

    # -- reading -------------------------------------------------------------------------
    def value(self):
        """The current value, as a tensor (an op in graph mode: its order follows the graph)."""
        for tape in ctx.tapes:
            tape.variable_accessed(self)
        for watcher in ctx.var_watchers:
            if not any(v is self for v in watcher):
                watcher.append(self)
        attrs = self._read_attrs
        if attrs is None:           # one dict for every read (attrs are never written to)
            attrs = self._read_attrs = {"dtype": self.dtype, "shape": self._resource.shape}
        if context.executing_eagerly():
            return run_eager(OPS["ReadVariableOp"], self.handle, None, attrs)   # as execute
        return execute("ReadVariableOp", [self.handle], attrs)[0]

    def read_value(self):
        return self.value()

    def _as_tensor(self, dtype=None):
        t = self.value()
        if dtype is not None and dtypes.as_dtype(dtype) is not self.dtype:
            raise ValueError(f"Tensor conversion requested dtype {dtypes.as_dtype(dtype).name} "
                             f"for variable {self.name} of dtype {self.dtype.name}")
        return t

    def numpy(self):
        if current_graph() is not None and self.graph is not None:
            raise NotImplementedError("numpy() is only available when eager execution is enabled.")
        if ctx.tapes or ctx.var_watchers:
            self._accessed()
        return self._resource.read()

    def _accessed(self):
        """TF's variable_accessed for the reads that make no ReadVariableOp here (`numpy()`, an
        eager assignment that returns the variable): the tapes watch it, and a custom_gradient
        around it learns that its function used it."""
        for tape in ctx.tapes:
            tape.variable_accessed(self)
        for watcher in ctx.var_watchers:
            if not any(v is self for v in watcher):
                watcher.append(self)

    def __array__(self, dtype=None, copy=None):
        v = np.asarray(self.numpy())
        return v if dtype is None else v.astype(dtype)

    def eval(self, session=None, feed_dict=None):
        element = getattr(self, "_graph_element", None)
        if element is not None:           # usable outside `with graph.as_default():`, as TF
            return element.eval(session=session, feed_dict=feed_dict)
        return self.value().eval(session=session, feed_dict=feed_dict)

    # -- writing -------------------------------------------------------------------------
    def _write(self, op_type, value, read_value, name):
        if read_value and (ctx.tapes or ctx.var_watchers):
            self._accessed()            # it returns the variable, to be read (as TF's)
        if type(value) is EagerTensor and value.dtype is self.dtype and \
                value._value.shape == self._resource.shape._dims and context.executing_eagerly():
            eager_run(OPS[op_type], [self.handle, value])      # the usual optimizer step
            return self if read_value else None
        value = convert_to_tensor(value, dtype=self.dtype) if not isinstance(value, Tensor) \
            else value
        if value.dtype is not self.dtype:           # TF's conversion error, class and words
            raise ValueError(f"Tensor conversion requested dtype {self.dtype.name} for Tensor "
                             f"with dtype {value.dtype.name}: {value!r}")
        if not self._resource.shape.is_compatible_with(value.shape):
            raise ValueError(f"{op_type} of variable {self.name}: cannot assign a value of shape "
                             f"{value.shape} to a variable of shape {self._resource.shape}")
        graph = current_graph()
        if graph is None:
            execute(op_type, [self.handle, value])
            return self if read_value else None           # eager TF: None, there is no op
        op = graph.add_op(op_type, [self.handle, value], {}, [], name=name)
        if not read_value:
            return op
        with graph.control_dependencies([op]):
            return self.value()

    def assign(self, value, use_locking=None, name=None, read_value=True):
        return self._write("AssignVariableOp", value, read_value, name)

    def assign_add(self, delta, use_locking=None, name=None, read_value=True):
        return self._write("AssignAddVariableOp", delta, read_value, name)

    def assign_sub(self, delta, use_locking=None, name=None, read_value=True):
        return self._write("AssignSubVariableOp", delta, read_value, name)

    # -- description ---------------------------------------------------------------------
    @property
    def name(self):
        return self._name

    @property
    def shape(self):
        return self._resource.shape

    def get_shape(self):
        return get_shape_view(self.shape)     # TF1's Dimension items under v1 behaviour

    @property
    def op(self):
        if self.graph is None:
            raise AttributeError("Variable.op is undefined when eager execution is enabled.")
        return self.handle.op

    @property
    def initial_value(self):
        return self._initial

    @property
    def device(self):
        """The variable op's device in a graph (issue 18: its tf.device scope, as TF); eagerly
        the CPU's full name, as TF's eager variables."""
        return EAGER_DEVICE if self.graph is None else self.handle.op.device

    def initialized_value(self):
        return self.value()

    def is_initialized(self):
        return execute("VarIsInitializedOp", [self.handle])[0]

    def ref(self):
        return Reference(self)

    experimental_ref = ref

    def __reduce__(self):
        """An eager variable pickles by value (as TF's): its class, attributes and current
        value; the copy has storage of its own. tf.distribute's replicas (janusgrad/distributed)
        receive the model's variables this way. A graph's variable lives in its graph: no."""
        if self.graph is not None:
            raise TypeError(f"Cannot pickle variable {self.name}: it belongs to a graph; only "
                            "eager variables can be pickled")
        state = {k: v for k, v in self.__dict__.items() if k not in _NOT_PICKLED}
        r = self._resource
        return _unpickle_variable, (type(self), r.name, self.dtype, r.shape, r.read(), state)

    def __hash__(self):
        if context.executing_eagerly_outside_functions():
            raise TypeError("Variable is unhashable. Instead, use variable.ref() as the key.")
        return id(self)

    def __repr__(self):
        if self.graph is None and self._resource.value is not None:
            text = repr(self._resource.value)
            return (f"<tf.Variable '{self.name}' shape={self.shape} dtype={self.dtype.name}, "
                    f"numpy={text}>")
        return f"<tf.Variable '{self.name}' shape={self.shape} dtype={self.dtype.name}>"

    def __bool__(self):
        return bool(self.value())

    def __float__(self):
        return float(self.numpy())

    def __int__(self):
        return int(self.numpy())

    def __len__(self):
        return len(self.shape)


_NOT_PICKLED = frozenset({"_resource", "handle", "_read_attrs", "_initial", "graph",
                          "initializer"})


def _unpickle_variable(cls, name, dtype, shape, value, state):
    v = cls.__new__(cls)
    v.__dict__.update(state)
    v._resource = Resource(name, dtype, shape)
    v._resource.value = value
    v.handle = EagerTensor(v._resource, dtypes.resource)
    v.graph = v.initializer = None
    v._initial = EagerTensor(value)
    return v


# -- watching eager variables being made (tf.distribute's replicas: each variable a step makes
# gets the first replica's value). Per thread: a replica's step runs on one thread.
_WATCHERS = threading.local()


class watch_variable_creation:
    """Within `with watch_variable_creation(hook):`, hook(variable) is called (under
    init_scope) for each eager variable this thread makes, once it is made."""

    def __init__(self, hook):
        self.hook = hook

    def __enter__(self):
        hooks = getattr(_WATCHERS, "hooks", None)
        if hooks is None:
            hooks = _WATCHERS.hooks = []
        hooks.append(self.hook)
        return self

    def __exit__(self, *exc):
        _WATCHERS.hooks.remove(self.hook)


# -- variables created while a tf.function traces (runtime/function.py) ----------------------
# A tf.function pushes a scope while its Python function runs; a Variable made in that graph
# (or a graph nested in it, not under init_scope) is told to the innermost one, as TF's
# variable_creator_scope. The scope lifts the initial value out of the graph being built.
_SCOPES = threading.local()


def push_creation_scope(scope):
    """`scope` (with .graph, .check_creation(), .created(variable), .lift(tensor)) hears of the
    variables made in scope.graph until pop_creation_scope."""
    stack = getattr(_SCOPES, "stack", None)
    if stack is None:
        stack = _SCOPES.stack = []
    stack.append(scope)


def pop_creation_scope(scope):
    _SCOPES.stack.remove(scope)


def creation_scope():
    """The innermost scope of the graph being built, or of one it is nested in."""
    stack = getattr(_SCOPES, "stack", None)
    graph = current_graph()
    while stack and graph is not None:
        for scope in reversed(stack):
            if scope.graph is graph:
                return scope
        graph = getattr(graph, "outer", None)
    return None


def _lift(scope, init, name):
    """The initial value `init`, a tensor of a function's graph, computed where the variable
    lives (eagerly, or in the outer graph)."""
    if scope is None:
        raise ValueError(f"tf.Variable {name or 'Variable'!r}: the initial value {init.name} is a "
                         "tensor of a graph being traced (a control flow body, or a function "
                         "graph with no tf.function around it), which janusgrad cannot lift the "
                         "variable out of: create the variable outside it")
    return scope.lift(init, name or "Variable")


def _unwrap(v):
    return v.value() if isinstance(v, Variable) else v


def global_variables(scope=None):
    """TF1: the variables in the graph's GLOBAL_VARIABLES collection (under `scope`); [] when
    executing eagerly."""
    if current_graph() is None:
        return []
    return get_default_graph().get_collection(GLOBAL_VARIABLES, scope)


def trainable_variables(scope=None):
    """TF1: the variables in the graph's TRAINABLE_VARIABLES collection (under `scope`); [] when
    executing eagerly."""
    if current_graph() is None:
        return []
    return get_default_graph().get_collection(TRAINABLE_VARIABLES, scope)


def variables_initializer(var_list, name="init"):
    """TF1: an op that runs the initializers of the variables in `var_list`."""
    from .control import group
    return group(*[v.initializer for v in var_list if v.initializer is not None], name=name)


def global_variables_initializer():
    """TF1: an op that initializes every global variable (run it in a Session first)."""
    return variables_initializer(global_variables())


initialize_all_variables = global_variables_initializer
