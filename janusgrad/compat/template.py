"""tf.compat.v1.make_template: a function whose get_variable variables are made by its first
call and shared by the later ones (in graphs through its variable scope's reuse; eagerly
through a store of its own, as TF's EagerTemplate).
"""
import contextlib
import functools

from ..framework.context import executing_eagerly, get_default_graph
from .graph_collections import GraphKeys
from .variable_scope import VariableStore, variable_scope, with_variable_store


def make_template(name_, func_, create_scope_now_=False, unique_name_=None, custom_getter_=None,
                  **kwargs):
    """`func_` (with `kwargs` bound) wrapped so that all its calls share the variables its
    first call makes with get_variable, in the variable scope `name_` (made unique)."""
    if kwargs:
        func_ = functools.partial(func_, **kwargs)
    if executing_eagerly() and unique_name_ is not None:
        raise ValueError("unique_name_ cannot be used when eager execution is enabled.")
    return Template(name_, func_, create_scope_now_, unique_name_, custom_getter_)


class Template:
    """A function sharing the variables of its first call (see make_template)."""

    def __init__(self, name, func, create_scope_now=False, unique_name=None, custom_getter=None):
        if name is None:
            raise ValueError("name cannot be None.")
        self._name = name
        self._func = func
        self._unique_name = unique_name
        self._custom_getter = custom_getter
        self._store = VariableStore(store_eager_variables=True) if executing_eagerly() else None
        self._variable_scope = None
        self._first_call = True
        self._variables_created = False
        if create_scope_now:
            with variable_scope(unique_name, name, custom_getter=custom_getter,
                                auxiliary_name_scope=False) as vs:
                self._variable_scope = vs

    def __call__(self, *args, **kwargs):
        if self._variable_scope is not None:
            with variable_scope(self._variable_scope, reuse=not self._first_call):
                return self._call_func(args, kwargs)
        with variable_scope(self._unique_name, self._name,
                            custom_getter=self._custom_getter) as vs:
            self._variable_scope = vs
            return self._call_func(args, kwargs)

    def _trainable(self):
        if self._store is not None:
            return [v for v in self._store.variables() if v.trainable]
        return get_default_graph().get_collection(GraphKeys.TRAINABLE_VARIABLES)

    def _call_func(self, args, kwargs):
        with with_variable_store(self._store) if self._store is not None else \
                contextlib.nullcontext():
            before = len(self._trainable())
            result = self._func(*args, **kwargs)
            after = self._trainable()
        if self._variables_created and len(after) != before:
            raise ValueError("Trainable variable created when calling a template after the "
                             "first time, perhaps you used tf.Variable when you meant "
                             f"tf.get_variable: {after[before:]}")
        self._variables_created = True
        self._first_call = False
        return result

    @property
    def name(self):
        return self._name

    @property
    def func(self):
        return self._func

    @property
    def variable_scope(self):
        return self._variable_scope

    @property
    def variable_scope_name(self):
        if self._variable_scope is None:
            return None
        name = self._variable_scope.name
        return name if not name or name.endswith("/") else name + "/"

    def _collection(self, key):
        if not self._variables_created:
            return []
        if self._store is not None:
            prefix = self.variable_scope_name
            found = [v for v in self._store.variables() if v.name.startswith(prefix)]
            if key == GraphKeys.TRAINABLE_VARIABLES:
                return [v for v in found if v.trainable]
            return found if key == GraphKeys.GLOBAL_VARIABLES else []
        return get_default_graph().get_collection(key, self.variable_scope_name)

    @property
    def trainable_variables(self):
        return self._collection(GraphKeys.TRAINABLE_VARIABLES)

    @property
    def global_variables(self):
        return self._collection(GraphKeys.GLOBAL_VARIABLES)

    @property
    def local_variables(self):
        return self._collection(GraphKeys.LOCAL_VARIABLES)

    @property
    def variables(self):
        return self.global_variables

    @property
    def non_trainable_variables(self):
        trainable = self.trainable_variables
        return [v for v in self.global_variables if not any(v is t for t in trainable)]

    weights = variables
    trainable_weights = trainable_variables
    non_trainable_weights = non_trainable_variables

