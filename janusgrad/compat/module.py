"""tf.Module (TF's tensorflow/python/module/module.py): a named container whose variables and
submodules are found by walking its attributes.

It lives in compat/ ("built on the engine"): it needs only Variable (ops) and name scopes, adds
nothing to the engine's hot path, and is re-exported by the public face (`tf.Module`) and by
the tensorflow.python mirror (`tensorflow.python.module.module.Module`).

Deliberate difference: TF's Module is an AutoTrackable, which wraps list and dict attributes in
ListWrapper/_DictWrapper; here attributes stay as the user set them, and tf.train.Checkpoint
walks them as it walks any object's attributes (train/checkpoint.py).
"""
import re
from collections.abc import Mapping

from ..ops.control import name_scope as _open_scope
from ..ops.state import Variable

_CAMEL_TO_SNAKE = re.compile(r"((?<=[a-z0-9])[A-Z]|(?!^)[A-Z](?=[a-z]))")
_VALID_IDENTIFIER = re.compile(r"^[a-zA-Z_]([a-zA-Z0-9_])*$")


def camel_to_snake(value):
    """TF's default module name: "HTTPServer2D" -> "http_server2_d"."""
    return _CAMEL_TO_SNAKE.sub(r"_\1", value).lower()


def valid_identifier(name):
    return bool(_VALID_IDENTIFIER.match(name))


class ModuleNameScope:
    """The module's name scope (TF's name_scope_v2 with the absolute name "outer/mod/"): every
    `with` enters exactly that scope, in a graph or eagerly, wherever it is entered from."""
    __slots__ = ("name", "_open")

    def __init__(self, name):
        self.name = name
        self._open = []         # the contexts entered, innermost last (a scope may be re-entered)

    def __enter__(self):
        ctx = _open_scope(self.name)
        scope = ctx.__enter__()
        self._open.append(ctx)
        return scope

    def __exit__(self, *exc):
        return self._open.pop().__exit__(*exc)


def _is_variable(obj):
    return isinstance(obj, Variable)


def _is_trainable_variable(obj):
    return _is_variable(obj) and getattr(obj, "trainable", False)


def _is_non_trainable_variable(obj):
    return _is_variable(obj) and not getattr(obj, "trainable", False)


def _is_module(obj):
    return isinstance(obj, Module)


def _leaves_with_paths(structure, prefix=()):
    """(path, leaf) of a nest of lists, tuples and mappings (keys sorted, as TF's nest)."""
    if isinstance(structure, Mapping):
        for key in sorted(structure):
            yield from _leaves_with_paths(structure[key], prefix + (key,))
    elif isinstance(structure, (list, tuple)):
        for i, item in enumerate(structure):
            yield from _leaves_with_paths(item, prefix + (i,))
    else:
        yield prefix, structure


def _holds_trackable(value):
    if isinstance(value, Mapping):
        return any(_holds_trackable(v) for v in value.values())
    if isinstance(value, (list, tuple)):
        return any(_holds_trackable(v) for v in value)
    return _is_variable(value) or hasattr(value, "_checkpoint_children")


class Module:
    """Base neural network module: a named container of variables, submodules and functions.

        class Dense(tf.Module):
            def __init__(self, n_in, n_out, name=None):
                super().__init__(name=name)
                with self.name_scope:
                    self.w = tf.Variable(tf.random.normal([n_in, n_out]), name="w")
    """

    _TF_MODULE_IGNORED_PROPERTIES = frozenset((
        "_self_unconditional_checkpoint_dependencies",
        "_self_unconditional_dependency_names",
    ))

    def __init__(self, name=None):
        if name is None:
            name = camel_to_snake(type(self).__name__)
        elif not valid_identifier(name):
            raise ValueError(f"{name!r} is not a valid module name. Module names must be valid "
                             "Python identifiers (e.g. a valid class name).")
        self._name = name
        # as TF: the scope is opened once now (uniquified in a graph, nested in the scope the
        # module is made in) and its absolute name kept
        with _open_scope(name) as scope_name:
            self._name_scope = ModuleNameScope(scope_name)

    @property
    def name(self):
        """The name given to (or made by) the constructor, without the enclosing scopes."""
        return self._name

    @property
    def name_scope(self):
        return self._name_scope

    @property
    def variables(self):
        """The variables of this module (by attribute name), then of its submodules."""
        return tuple(self._flatten(predicate=_is_variable, expand_composites=True))

    @property
    def trainable_variables(self):
        return tuple(self._flatten(predicate=_is_trainable_variable, expand_composites=True))

    @property
    def non_trainable_variables(self):
        return tuple(self._flatten(predicate=_is_non_trainable_variable,
                                   expand_composites=True))

    @property
    def submodules(self):
        """Every module reachable through attributes, direct ones before theirs."""
        return tuple(self._flatten(predicate=_is_module))

    def _flatten(self, recursive=True, predicate=None, attribute_traversal_key=None,
                 with_path=False, expand_composites=False):
        """The attribute leaves of this module (attributes sorted by name, or by
        `attribute_traversal_key`) then, if `recursive`, of its submodules, that pass
        `predicate`; each once unless `with_path` (then as (path, leaf) pairs). janusgrad has no
        composite tensors, so `expand_composites` changes nothing."""
        if predicate is None:
            def predicate(_):
                return True
        return _flatten_module(self, recursive, predicate, attribute_traversal_key,
                               self._TF_MODULE_IGNORED_PROPERTIES, with_path, (), None, None)

    def _checkpoint_children(self):
        """What tf.train.Checkpoint saves of a module (train/checkpoint.py): as TF's
        AutoTrackable, its attributes that are or hold variables or trackable objects."""
        ignored = self._TF_MODULE_IGNORED_PROPERTIES
        return {k: v for k, v in sorted(vars(self).items())
                if k not in ignored and _holds_trackable(v)}

    @classmethod
    def with_name_scope(cls, method):
        """Decorator: the method runs inside its module's name scope."""
        import functools

        @functools.wraps(method)
        def method_with_name_scope(self, *args, **kwargs):
            with self.name_scope:
                return method(self, *args, **kwargs)
        return method_with_name_scope


def _flatten_module(module, recursive, predicate, attribute_traversal_key, attributes_to_ignore,
                    with_path, module_path, seen, recursion_stack):
    """TF's walk: a module's own leaves first, then each submodule's in the order found; a
    module already on the stack (a cycle) gives its leaves but is not recursed into."""
    module_id = id(module)
    if seen is None:
        seen = {module_id}
    if recursion_stack is None:
        recursion_stack = []
    if module_id in recursion_stack:
        recursive = False
    module_dict = vars(module)
    submodules = []
    for key in sorted(module_dict, key=attribute_traversal_key):
        if key in attributes_to_ignore:
            continue
        prop = module_dict[key]
        try:
            leaves = list(_leaves_with_paths(prop))
        except Exception as cause:
            raise ValueError(f"Error processing property {key!r} of {prop!r}") from cause
        for leaf_path, leaf in leaves:
            leaf_path = (key,) + leaf_path
            if not with_path:
                if id(leaf) in seen:
                    continue
                seen.add(id(leaf))
            if predicate(leaf):
                yield (module_path + leaf_path, leaf) if with_path else leaf
            if recursive and _is_module(leaf):
                submodules.append((module_path + leaf_path, leaf))
    recursion_stack.append(module_id)
    for sub_path, sub in submodules:
        yield from _flatten_module(sub, recursive, predicate, attribute_traversal_key,
                                   sub._TF_MODULE_IGNORED_PROPERTIES, with_path, sub_path, seen,
                                   recursion_stack)
    recursion_stack.pop()

