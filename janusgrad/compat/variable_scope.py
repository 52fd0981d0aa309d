"""TF1's variable scopes and shared variables: tf.compat.v1.variable_scope, get_variable,
get_variable_scope, AUTO_REUSE, VariableScope.

As in TF, the variable store (name -> variable) and the scopes (per thread) belong to a graph:
the graph being built, the one a tf.function being traced is called from, or, eagerly, the
default graph. In a graph, get_variable returns the stored variable when the scope reuses
(reuse=True, AUTO_REUSE) and refuses to make one twice otherwise; executing eagerly, as TF 2,
it makes a new variable at every call whatever `reuse` says (the scope only names it).

A variable_scope also opens a name scope, uniquified as name scopes are (`scope_1/` for the
ops of a second `with variable_scope("scope")`), while variables keep the scope's own name
(`scope/w:0`).
"""
import contextlib
import enum
import functools
import inspect
import threading

from ..framework import dtypes
from ..framework.context import current_graph, get_default_graph, init_scope
from ..framework.nest import flatten
from ..framework.shape import TensorShape
from ..framework.tensor import GraphTensor, Tensor, convert_to_tensor
from ..ops.control import name_scope
from ..ops.state import Variable
from .graph_collections import GraphKeys
from .init_ops import glorot_uniform_initializer, zeros_initializer


class _ReuseMode(enum.Enum):
    AUTO_REUSE = 1


AUTO_REUSE = _ReuseMode.AUTO_REUSE

_VARSTORE_KEY = ("__variable_store",)
_VARSCOPESTORE_KEY = ("__varscope",)


def _store_graph():
    """The graph that holds the variable store and the scopes: the graph being built, or the
    one a function being traced is called from (as TF shares them with tf.function's graphs),
    or the default graph when executing eagerly."""
    with init_scope():
        return get_default_graph()


def _eager():
    return current_graph() is None


class VariableScope:
    """The defaults get_variable uses in a scope: name prefix, reuse, initializer, regularizer,
    dtype, custom getter, constraint."""

    def __init__(self, reuse, name="", initializer=None, regularizer=None, caching_device=None,
                 partitioner=None, custom_getter=None, name_scope="", dtype=dtypes.float32,
                 use_resource=None, constraint=None):
        self._name = name
        self._initializer = initializer
        self._regularizer = regularizer
        self._reuse = reuse
        self._caching_device = caching_device
        self._partitioner = partitioner
        self._custom_getter = custom_getter
        self._name_scope = name_scope
        self._dtype = dtype
        self._use_resource = use_resource
        self._constraint = constraint
        if _eager():                # eagerly, every get_variable makes a variable (TF 2)
            self._reuse = AUTO_REUSE
            self._use_resource = True

    name = property(lambda self: self._name)
    original_name_scope = property(lambda self: self._name_scope)
    reuse = property(lambda self: self._reuse)
    initializer = property(lambda self: self._initializer)
    dtype = property(lambda self: self._dtype)
    use_resource = property(lambda self: self._use_resource)
    regularizer = property(lambda self: self._regularizer)
    caching_device = property(lambda self: self._caching_device)
    partitioner = property(lambda self: self._partitioner)
    custom_getter = property(lambda self: self._custom_getter)
    constraint = property(lambda self: self._constraint)

    def reuse_variables(self):
        """Reuse the variables of this scope from now on."""
        self._reuse = True

    def set_initializer(self, initializer):
        self._initializer = initializer

    def set_dtype(self, dtype):
        self._dtype = dtype

    def set_use_resource(self, use_resource):
        self._use_resource = use_resource

    def set_regularizer(self, regularizer):
        self._regularizer = regularizer

    def set_caching_device(self, caching_device):
        self._caching_device = caching_device

    def set_partitioner(self, partitioner):
        self._partitioner = partitioner

    def set_custom_getter(self, custom_getter):
        self._custom_getter = custom_getter

    def get_collection(self, name):
        """This scope's part of the collection `name`."""
        scope = self._name + "/" if self._name else ""
        return get_default_graph().get_collection(name, scope)

    def trainable_variables(self):
        return self.get_collection(GraphKeys.TRAINABLE_VARIABLES)

    def global_variables(self):
        return self.get_collection(GraphKeys.GLOBAL_VARIABLES)

    def local_variables(self):
        return self.get_collection(GraphKeys.LOCAL_VARIABLES)

    def get_variable(self, var_store, name, shape=None, dtype=None, initializer=None,
                     regularizer=None, reuse=None, trainable=None, collections=None,
                     caching_device=None, partitioner=None, validate_shape=True,
                     use_resource=None, custom_getter=None, constraint=None,
                     synchronization=None, aggregation=None):
        """The variable `name` in this scope, from `var_store` (made there if need be)."""
        if regularizer is None:
            regularizer = self._regularizer
        if partitioner is None:
            partitioner = self._partitioner
        if custom_getter is None:
            custom_getter = self._custom_getter
        if _eager():
            reuse = False
        elif reuse is None:
            reuse = self._reuse
        full_name = self._name + "/" + name if self._name else name
        if dtype is not None and initializer is not None and not callable(initializer):
            init_dtype = convert_to_tensor(initializer).dtype
            if init_dtype is not dtypes.as_dtype(dtype):
                raise ValueError(f"Initializer type '{init_dtype!r}' and explicit dtype "
                                 f"'{dtypes.as_dtype(dtype)!r}' don't match.")
        if initializer is None:
            initializer = self._initializer
        if constraint is None:
            constraint = self._constraint
        if dtype is None:
            dtype = self._dtype
        return var_store.get_variable(
            full_name, shape=shape, dtype=dtype, initializer=initializer,
            regularizer=regularizer, reuse=reuse, trainable=trainable, collections=collections,
            caching_device=caching_device, partitioner=partitioner,
            validate_shape=validate_shape, use_resource=use_resource,
            custom_getter=custom_getter, constraint=constraint,
            synchronization=synchronization, aggregation=aggregation)

    def __repr__(self):
        return f"<VariableScope name={self._name!r} reuse={self._reuse!r}>"


class VariableStore:
    """The variables get_variable made in a graph, by full name. Eagerly nothing is stored
    (each call makes a variable) unless `store_eager_variables` (make_template's store)."""

    def __init__(self, store_eager_variables=False):
        self._vars = {}
        self._store_eager_variables = store_eager_variables
        self._lock = threading.RLock()

    def variables(self):
        return list(self._vars.values())

    def get_variable(self, name, shape=None, dtype=dtypes.float32, initializer=None,
                     regularizer=None, reuse=None, trainable=None, collections=None,
                     caching_device=None, partitioner=None, validate_shape=True,
                     use_resource=None, custom_getter=None, constraint=None,
                     synchronization=None, aggregation=None):
        if custom_getter is not None and not callable(custom_getter):
            raise ValueError(f"Passed a custom_getter which is not callable: {custom_getter}")
        if partitioner is not None and not (isinstance(shape, (list, tuple)) and not shape):
            raise NotImplementedError(f"get_variable({name!r}): partitioned variables "
                                      "(partitioner=) are not supported by janusgrad")
        if _eager() and self._store_eager_variables:
            reuse = AUTO_REUSE
        trainable = True if trainable is None else trainable
        if custom_getter is None:
            return self._get_single_variable(
                name, shape=shape, dtype=dtype, initializer=initializer, regularizer=regularizer,
                reuse=reuse, trainable=trainable, collections=collections,
                validate_shape=validate_shape, constraint=constraint)
        kwargs = {"getter": self._true_getter, "name": name, "shape": shape, "dtype": dtype,
                  "initializer": initializer, "regularizer": regularizer, "reuse": reuse,
                  "trainable": trainable, "collections": collections,
                  "caching_device": caching_device, "partitioner": partitioner,
                  "validate_shape": validate_shape, "use_resource": use_resource,
                  "synchronization": synchronization, "aggregation": aggregation}
        if _accepts(custom_getter, "constraint"):
            kwargs["constraint"] = constraint
        return custom_getter(**kwargs)

    def _true_getter(self, name, shape=None, dtype=dtypes.float32, initializer=None,
                     regularizer=None, reuse=None, trainable=None, collections=None,
                     caching_device=None, partitioner=None, validate_shape=True,
                     use_resource=None, constraint=None, synchronization=None,
                     aggregation=None):
        return self._get_single_variable(
            name, shape=shape, dtype=dtype, initializer=initializer, regularizer=regularizer,
            reuse=reuse, trainable=True if trainable is None else trainable,
            collections=collections, validate_shape=validate_shape, constraint=constraint)

    def _get_single_variable(self, name, shape, dtype, initializer, regularizer, reuse,
                             trainable, collections, validate_shape, constraint):
        from_value = initializer is not None and not callable(initializer)
        if shape is not None and from_value:
            raise ValueError("If initializer is a constant, do not specify shape.")
        dtype = dtypes.as_dtype(dtype)
        if shape is not None:
            shape = TensorShape(shape)
        with self._lock:
            found = self._vars.get(name)
            if found is not None:
                return _check_reuse(found, name, shape, dtype, reuse)
            if reuse is True:
                raise ValueError(f"Variable {name} does not exist, or was not created with "
                                 "tf.get_variable(). Did you mean to set reuse=tf.AUTO_REUSE in "
                                 "VarScope?")
            if initializer is None:
                if shape is None:
                    raise ValueError(f"Variable {name} did not get an initializer, so its "
                                     "`shape` argument must be specified.")
                initializer, from_value = _default_initializer(name, dtype), False
            v = _make_variable(name, shape, dtype, initializer, from_value, trainable,
                               collections, validate_shape, constraint)
            if not _eager() or self._store_eager_variables:
                self._vars[name] = v
        if regularizer:
            _add_regularization_loss(v, name, regularizer)
        return v


def _check_reuse(found, name, shape, dtype, reuse):
    if reuse is False:
        raise ValueError(f"Variable {name} already exists, disallowed. Did you mean to set "
                         "reuse=True or reuse=tf.AUTO_REUSE in VarScope?")
    if shape is not None and not shape.is_compatible_with(found.shape):
        raise ValueError(f"Trying to share variable {name}, but specified shape {shape} and "
                         f"found shape {found.shape}.")
    if dtype is not found.dtype:
        raise ValueError(f"Trying to share variable {name}, but specified dtype {dtype.name} "
                         f"and found dtype {found.dtype.name}.")
    return found


def _default_initializer(name, dtype):
    """TF's: Glorot uniform for floats, zeros for integers, booleans and strings."""
    if dtype.is_floating:
        return glorot_uniform_initializer()
    if dtype.is_integer or dtype.is_bool or dtype is dtypes.string:
        return zeros_initializer()
    raise ValueError(f"An initializer for variable {name} of {dtype!r} is required")


def _make_variable(name, shape, dtype, initializer, from_value, trainable, collections,
                   validate_shape, constraint):
    """The new variable `name` (its ops named `name/...` whatever the name scope), made
    outside any function being traced."""
    if from_value:
        init_val, variable_dtype = initializer, None
    else:
        if inspect.isclass(initializer):
            initializer = initializer()
        if shape is not None and shape.is_fully_defined():
            kwargs = {"dtype": dtype}
            if _accepts(initializer, "partition_info", keyword_catchall=False):
                kwargs["partition_info"] = None
            init_val = functools.partial(initializer, shape.as_list(), **kwargs)
            variable_dtype = dtype
        elif _needs_no_arguments(initializer):
            init_val, variable_dtype = initializer, None
        else:
            raise ValueError("The initializer passed is not valid. It should be a callable with "
                             "no arguments and the shape should not be provided or an instance "
                             "of `tf.keras.initializers.*' and `shape` should be fully defined.")
    with init_scope():
        graph = current_graph()

        def initial_value():
            if not callable(init_val) or isinstance(init_val, Tensor):
                return init_val
            if graph is None:
                return init_val()
            with graph.name_scope(name + "/Initializer/"):
                return init_val()

        # the name is already the full one: no scope (graph or eager) may prefix it again
        with graph.name_scope(None) if graph is not None else name_scope(""):
            return Variable(initial_value=initial_value, trainable=trainable, name=name,
                            dtype=variable_dtype, validate_shape=validate_shape,
                            constraint=constraint, collections=collections,
                            shape=shape if validate_shape else None)


class _LazyRegularizationLoss:
    """An eager variable's regularization loss, computed from its value whenever it is used
    (as TF's: the collection holds it, add_n and the like convert it)."""

    def __init__(self, compute):
        self._compute = compute
        first = compute()
        self.dtype, self.shape = first.dtype, first.shape

    def _as_tensor(self, dtype=None):
        return convert_to_tensor(self._compute(), dtype=dtype)

    def numpy(self):
        return self._compute().numpy()

    def __repr__(self):
        return f"<regularization loss {self._compute()!r}>"


def _delegate(name):
    def method(self, *args):
        return getattr(self._as_tensor(), name)(*args)
    method.__name__ = name
    return method


for _name in ("__add__", "__radd__", "__sub__", "__rsub__", "__mul__", "__rmul__",
              "__truediv__", "__rtruediv__", "__neg__", "__float__", "__array__"):
    setattr(_LazyRegularizationLoss, _name, _delegate(_name))


def _add_regularization_loss(v, name, regularizer):
    graph = current_graph()
    if graph is None:
        if regularizer(v) is None:
            return
        loss = _LazyRegularizationLoss(lambda: convert_to_tensor(regularizer(v)))
    else:
        with graph.name_scope(name + "/Regularizer/"):
            loss = regularizer(v)
        if loss is None:
            return
    get_default_graph().add_to_collection(GraphKeys.REGULARIZATION_LOSSES, loss)


def _accepts(fn, param, keyword_catchall=True):
    """Whether `fn` takes the keyword `param` (or, with keyword_catchall, any keyword)."""
    try:
        params = inspect.signature(fn).parameters
    except (TypeError, ValueError):
        return False
    if param in params:
        return True
    return keyword_catchall and any(p.kind is p.VAR_KEYWORD for p in params.values())


def _needs_no_arguments(fn):
    try:
        params = inspect.signature(fn).parameters.values()
    except (TypeError, ValueError):
        return False
    return all(p.default is not p.empty or p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD)
               for p in params)


# -- the scopes of a graph ---------------------------------------------------------------------

class _ScopeStore(threading.local):
    """Per thread: the current VariableScope, how often each scope name was opened (for
    default names), and eagerly, the name scope variable scopes opened (graphs have their own)."""

    def __init__(self):
        super().__init__()
        self.current_scope = VariableScope(False)
        self.counts = {}
        self.eager_name_scope = ""

    def open_variable_scope(self, name):
        self.counts[name] = self.counts.get(name, 0) + 1

    def close_variable_subscopes(self, name):
        prefix = name + "/"
        for k in self.counts:
            if k.startswith(prefix):
                self.counts[k] = 0


def _scope_store():
    graph = _store_graph()
    found = graph.get_collection(_VARSCOPESTORE_KEY)
    if found:
        return found[0]
    with _CREATE_LOCK:
        found = graph.get_collection(_VARSCOPESTORE_KEY)
        if found:
            return found[0]
        store = _ScopeStore()
        graph.add_to_collection(_VARSCOPESTORE_KEY, store)
        return store


def _variable_store():
    graph = _store_graph()
    found = graph.get_collection(_VARSTORE_KEY)
    if found:
        return found[0]
    with _CREATE_LOCK:
        found = graph.get_collection(_VARSTORE_KEY)
        if found:
            return found[0]
        store = VariableStore()
        graph.add_to_collection(_VARSTORE_KEY, store)
        return store


_CREATE_LOCK = threading.Lock()


@contextlib.contextmanager
def with_variable_store(store):
    """Make `store` the store get_variable uses inside the block (make_template's)."""
    ref = _store_graph().get_collection_ref(_VARSTORE_KEY)
    old = list(ref)
    ref[:] = [store]
    try:
        yield store
    finally:
        ref[:] = old


def get_variable_scope():
    """The current VariableScope."""
    return _scope_store().current_scope


def get_variable(name, shape=None, dtype=None, initializer=None, regularizer=None,
                 trainable=None, collections=None, caching_device=None, partitioner=None,
                 validate_shape=True, use_resource=None, custom_getter=None, constraint=None,
                 synchronization=None, aggregation=None):
    """The variable `scope/name`: made with `initializer` or, where the scope reuses, the one
    made before. `partitioner=` is a NotImplementedError.

    `initializer` is an initializer, a callable, a tensor or a value (Glorot uniform by default
    for floats, zeros for ints). Its regularizer's loss goes to REGULARIZATION_LOSSES."""
    if not isinstance(name, str):
        raise ValueError(f"get_variable: name must be a string, got {name!r}")
    return get_variable_scope().get_variable(
        _variable_store(), name, shape=shape, dtype=dtype, initializer=initializer,
        regularizer=regularizer, trainable=trainable, collections=collections,
        caching_device=caching_device, partitioner=partitioner, validate_shape=validate_shape,
        use_resource=use_resource, custom_getter=custom_getter, constraint=constraint,
        synchronization=synchronization, aggregation=aggregation)


def get_local_variable(name, shape=None, dtype=None, initializer=None, regularizer=None,
                       trainable=False, collections=None, caching_device=None,
                       partitioner=None, validate_shape=True, use_resource=None,
                       custom_getter=None, constraint=None, synchronization=None,
                       aggregation=None):
    """get_variable for a variable of the LOCAL_VARIABLES collection (not trainable)."""
    collections = list(collections or []) + [GraphKeys.LOCAL_VARIABLES]
    return get_variable(name, shape=shape, dtype=dtype, initializer=initializer,
                        regularizer=regularizer, trainable=trainable, collections=collections,
                        caching_device=caching_device, partitioner=partitioner,
                        validate_shape=validate_shape, use_resource=use_resource,
                        custom_getter=custom_getter, constraint=constraint,
                        synchronization=synchronization, aggregation=aggregation)


def no_regularizer(_):
    """A regularizer that regularizes nothing (to turn a scope's regularizer off)."""
    return None


def _wrap_custom_getter(custom_getter, old_getter):
    """A scope's custom getter that calls the enclosing scope's inside it (TF's nesting)."""
    if old_getter is None:
        return custom_getter

    def wrapped(getter, *args, **kwargs):
        return custom_getter(functools.partial(old_getter, getter), *args, **kwargs)
    return wrapped


def _unique_variable_scope(store, prefix):
    """`prefix`, or `prefix_1`, `prefix_2`... not yet opened in the current variable scope."""
    current = store.current_scope.name
    name = current + "/" + prefix if current else prefix
    if store.counts.get(name, 0) == 0:
        return prefix
    i = 1
    while store.counts.get(f"{name}_{i}", 0) > 0:
        i += 1
    return f"{prefix}_{i}"


class variable_scope:  # noqa: N801  (TF's name)
    """A scope for get_variable: `scope/` before the names of the variables made inside, their
    defaults (initializer, regularizer, dtype, custom_getter) and whether they are shared
    (`reuse`: True, AUTO_REUSE, or None/False to inherit the enclosing scope's). Also a name
    scope for ops. Re-enter a scope with its VariableScope object (`as scope`)."""

    def __init__(self, name_or_scope, default_name=None, values=None, initializer=None,
                 regularizer=None, caching_device=None, partitioner=None, custom_getter=None,
                 reuse=None, dtype=None, use_resource=None, constraint=None,
                 auxiliary_name_scope=True):
        if default_name is None and name_or_scope is None:
            raise TypeError("If default_name is None then name_or_scope is required")
        if name_or_scope is not None and not isinstance(name_or_scope, (str, VariableScope)):
            raise TypeError("VariableScope: name_or_scope must be a string or VariableScope.")
        if reuse is False:
            reuse = None
        if not (reuse is True or reuse is None or reuse is AUTO_REUSE):
            raise ValueError("The reuse parameter must be True or False or None.")
        if not isinstance(auxiliary_name_scope, bool):
            raise TypeError("The auxiliary_name_scope must be `True` or `False`, while get "
                            f"{auxiliary_name_scope}")
        self._name_or_scope = name_or_scope
        self._default_name = default_name
        self._values = values
        self._defaults = {"initializer": initializer, "regularizer": regularizer,
                          "caching_device": caching_device, "partitioner": partitioner,
                          "dtype": dtype, "use_resource": use_resource}
        self._custom_getter = custom_getter
        self._reuse = reuse
        self._constraint = constraint
        self._auxiliary_name_scope = auxiliary_name_scope
        self._entered = []

    def __enter__(self):
        stack = contextlib.ExitStack()
        try:
            graph = self._graph(stack)
            scope = self._enter(stack, graph)
        except BaseException:
            stack.close()
            raise
        self._entered.append(stack)
        return scope

    def __exit__(self, *exc):
        return self._entered.pop().__exit__(*exc)

    def _graph(self, stack):
        """The graph to build in: the one of `values`' tensors if not the current one."""
        graph = current_graph()
        if graph is None or graph.is_function:
            return graph
        for v in flatten(self._values or []):
            if isinstance(v, GraphTensor) and v.graph is not graph:
                stack.enter_context(v.graph.as_default())
                return v.graph
        return graph

    def _name_scope(self, stack, graph, store, name):
        """Open the name scope `name` (relative, uniquified); the scope's name ("a/b_1/")."""
        if not self._auxiliary_name_scope:
            return graph.current_scope() if graph is not None else store.eager_name_scope
        if graph is not None:
            return stack.enter_context(graph.name_scope(name))
        stack.enter_context(name_scope(name))      # eagerly: what the eager name scope names
        old = store.eager_name_scope
        new = old + name + "/" if name else ""
        store.eager_name_scope = new
        stack.callback(setattr, store, "eager_name_scope", old)
        return new

    def _enter(self, stack, graph):
        store = _scope_store()
        old = store.current_scope
        given = self._name_or_scope
        if isinstance(given, VariableScope):
            short = given.name.split("/")[-1]
            if short or not self._auxiliary_name_scope:
                self._name_scope(stack, graph, store, short)
            scope = VariableScope(
                given.reuse if not self._reuse else self._reuse, name=given.name,
                initializer=given.initializer, regularizer=given.regularizer,
                caching_device=given.caching_device, partitioner=given.partitioner,
                dtype=given.dtype, custom_getter=given.custom_getter,
                name_scope=given.original_name_scope, use_resource=given.use_resource,
                constraint=self._constraint)
            self._apply_defaults(scope, given.custom_getter)
            store.open_variable_scope(given.name)
            saved_counts = dict(store.counts)
            stack.callback(setattr, store, "counts", saved_counts)
        else:
            if given is None:
                if self._reuse:
                    raise ValueError("reuse=True cannot be used without a name_or_scope")
                name_scope = self._name_scope(stack, graph, store, self._default_name)
                short, reuse = _unique_variable_scope(store, self._default_name), None
            else:
                name_scope = self._name_scope(stack, graph, store, given) \
                    if given or not self._auxiliary_name_scope else given
                short, reuse = given, self._reuse
            new_name = old.name + "/" + short if old.name else short
            scope = VariableScope(
                reuse or old.reuse, name=new_name, initializer=old.initializer,
                regularizer=old.regularizer, caching_device=old.caching_device,
                partitioner=old.partitioner, dtype=old.dtype, use_resource=old.use_resource,
                custom_getter=old.custom_getter, name_scope=name_scope,
                constraint=self._constraint)
            self._apply_defaults(scope, old.custom_getter)
            store.open_variable_scope(new_name)
            stack.callback(store.close_variable_subscopes, new_name)
        store.current_scope = scope

        def restore():
            if store.current_scope is not scope:
                raise RuntimeError("Improper nesting of variable_scope.")
            store.current_scope = old
        stack.callback(restore)
        return scope

    def _apply_defaults(self, scope, old_getter):
        d = self._defaults
        if d["initializer"] is not None:
            scope.set_initializer(d["initializer"])
        if d["regularizer"] is not None:
            scope.set_regularizer(d["regularizer"])
        if d["caching_device"] is not None:
            scope.set_caching_device(d["caching_device"])
        if d["partitioner"] is not None:
            scope.set_partitioner(d["partitioner"])
        if self._custom_getter is not None:
            scope.set_custom_getter(_wrap_custom_getter(self._custom_getter, old_getter))
        if d["dtype"] is not None:
            scope.set_dtype(d["dtype"])
        if d["use_resource"] is not None:
            scope.set_use_resource(d["use_resource"])
