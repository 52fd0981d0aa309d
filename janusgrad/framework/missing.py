"""The error for a TensorFlow name janusgrad does not have, used by every namespace module.

A namespace module (tf, tf.nn, tf.compat.v1, tf.keras.layers, tensorflow.python.ops.math_ops,
...) ends with

    __getattr__ = missing_names(__name__)

Python calls a module's `__getattr__` only for names the module lacks, so the names it has cost
nothing more. A missing one raises `MissingNameError`, an AttributeError (`hasattr` and
`getattr(m, name, default)` work as before) whose message says that janusgrad does not implement
the name, where janusgrad has it under another namespace, and the closest names it has.
A missing `tensorflow.*` module (through `python -m janusgrad run` or `stand_in_for_tensorflow`)
is a `MissingModuleError`, a ModuleNotFoundError with the same kind of message.
"""
import sys

# the namespace modules: janusgrad module name -> the name a TF program spells it with
NAMESPACES = {}

_PREFIXES = (("janusgrad.compat.tf_python", "tensorflow.python"), ("janusgrad", "tf"))


def tf_name(module_name):
    """The name a TF program uses for a janusgrad module: janusgrad.nn -> tf.nn,
    janusgrad.compat.tf_python.ops.math_ops -> tensorflow.python.ops.math_ops."""
    if module_name in NAMESPACES:
        return NAMESPACES[module_name]
    for ours, theirs in _PREFIXES:
        if module_name == ours or module_name.startswith(ours + "."):
            return theirs + module_name[len(ours):]
    return module_name


class MissingNameError(AttributeError):
    """A TensorFlow name that janusgrad does not implement (an AttributeError)."""


class MissingModuleError(ModuleNotFoundError):
    """A TensorFlow module that janusgrad does not implement (a ModuleNotFoundError).

    Its `name` is the janusgrad module that would stand in for it, not the `tensorflow.*`
    name: `from tensorflow.python.ops import foo_ops` would otherwise drop this message for
    Python's own "cannot import name" (the import system ignores a ModuleNotFoundError named
    after the very submodule a `from` import asked for)."""


class MissingFromImportError(ImportError):
    """`from tensorflow.X import name` for a name janusgrad lacks, where tensorflow.X is a
    package (an ImportError, as Python's own "cannot import name"; a ModuleNotFoundError's
    message would be dropped by the import system for its own)."""


def register_namespace(module_name, spelled=None):
    """Count `module_name` among the namespaces a missing name is looked up in; `spelled` is
    how TF programs name it, when it is not janusgrad.X -> tf.X."""
    NAMESPACES[module_name] = spelled or tf_name(module_name)


def missing_names(module_name, spelled=None):
    """The `__getattr__` of a namespace module (registered as by `register_namespace`): every
    name it lacks is a MissingNameError."""
    register_namespace(module_name, spelled)

    def __getattr__(name):
        raise missing_attribute(module_name, name)

    return __getattr__


def missing_attribute(module_name, name):
    """The MissingNameError for `name` looked up on the module `module_name`."""
    where = tf_name(module_name)
    if name.startswith("_"):        # dunders and privates: looked up by tools, never suggested
        err = MissingNameError(f"module '{where}' has no attribute '{name}'")
    else:
        have = names_in(sys.modules.get(module_name))
        err = MissingNameError(message(f"{where}.{name}", name, have, elsewhere(name, where),
                                       where, "names"))
    err.name = name     # set, so that Python's traceback adds no "Did you mean" of its own
    return err


def names_in(module):
    """The public names of a module, and the submodules of a package (janusgrad's top level
    left out: its submodules are janusgrad's machinery, not TF's names)."""
    if module is None:
        return []
    names = {n for n in dir(module) if not n.startswith("_")}
    if "__path__" in vars(module) and module.__name__ != "janusgrad":
        import pkgutil
        names |= {m.name for m in pkgutil.iter_modules(module.__path__)}
    return sorted(names)


def missing_module(full_name, ours, candidates):
    """The MissingModuleError for the TF module `full_name`, which janusgrad would hold as
    `ours`; `candidates` are the modules beside it that janusgrad has."""
    parent, _, child = full_name.rpartition(".")
    text = message(full_name, child, candidates, [], parent, "names")
    return MissingModuleError(f"No module named '{full_name}': {text}", name=ours)


def message(full, name, have, also, where, kind):
    import difflib
    text = f"{full} is not implemented by janusgrad"
    if also:
        text += f" (janusgrad has {name} as {', '.join(also)})"
    close = difflib.get_close_matches(name, have, n=5, cutoff=0.6)
    if close:
        text += f". Closest {kind} in {where}: {', '.join(close)}"
    return text + "."


def elsewhere(name, where):
    """Where else janusgrad's TF namespaces (those already imported) have `name`. Reads module
    dicts only, so no module's __getattr__ runs."""
    found = []
    for module_name, spelled in NAMESPACES.items():
        module = sys.modules.get(module_name)
        if module is not None and spelled != where and spelled.startswith("tf") \
                and name in vars(module):
            found.append(f"{spelled}.{name}")
    return sorted(found, key=lambda s: (s.count("."), s))[:4]
