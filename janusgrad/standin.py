"""janusgrad standing in for TensorFlow: an import hook, and the runner of unchanged programs.

    python -m janusgrad run prog.py [args...]        # prog.py's `import tensorflow` is janusgrad
    python -m janusgrad run -m package.module [args...]

    with janusgrad.stand_in_for_tensorflow():         # in a notebook, or any Python code
        import tensorflow as tf

The hook is a finder on sys.meta_path, active only in that process (never a file or package
named tensorflow on disk). It maps `tensorflow` to a view of janusgrad's top level that reports
TF's version (`tf.__version__` is "2.21.0", as `tf.version.VERSION`; `janusgrad.__version__`
stays janusgrad's own); `tensorflow.X.Y` to janusgrad's namespace `janusgrad.X.Y`
(`tensorflow.compat.v1`, `tensorflow.keras.layers` ...); `tensorflow.python.*` to
janusgrad/compat/tf_python, which mirrors TF's internal modules. A module or name janusgrad
lacks is an error that says so (framework/missing.py).
"""
import builtins
import importlib
import importlib.machinery
import importlib.util
import io
import os
import sys
import threading
import types

from . import version as _version
from .framework.missing import (NAMESPACES, MissingFromImportError, MissingModuleError,
                                MissingNameError,
                                missing_attribute, missing_module, names_in, tf_name)

_PACKAGE = sys.modules[__name__.rpartition(".")[0]]          # janusgrad (the public face)
_TF_PYTHON = "janusgrad.compat.tf_python"
_MISSING = object()
_lock = threading.RLock()
_active = []            # the StandIn whose hook is installed (at most one)


class TensorFlowModule(types.ModuleType):
    """`tensorflow`: janusgrad's top level under TF's name and version. Its names are
    janusgrad's own objects (read once, then kept here, so using them costs what it costs on
    janusgrad)."""

    def __getattr__(self, name):
        value = getattr(_PACKAGE, name)       # janusgrad's MissingNameError for what it lacks
        if not name.startswith("__"):
            self.__dict__[name] = value
        return value

    def __dir__(self):
        return sorted(set(dir(_PACKAGE)) | set(self.__dict__))


def _tensorflow_module():
    tf = TensorFlowModule("tensorflow", _PACKAGE.__doc__)
    for name, value in vars(_PACKAGE).items():
        if not name.startswith("__"):
            tf.__dict__[name] = value
    tf.__dict__.update(__version__=_version.VERSION, __file__=_PACKAGE.__file__, __path__=[],
                       __package__="tensorflow", __spec__=importlib.machinery.ModuleSpec(
                           "tensorflow", None, origin=_PACKAGE.__file__, is_package=True))
    tf.__spec__.has_location = True
    return tf


class StandIn:
    """The hook installed by `stand_in_for_tensorflow()`; `undo()` (or leaving the `with`
    block) removes it and every `tensorflow*` module it put in sys.modules."""

    def __init__(self, owner=True):
        self._owner = owner
        self._done = False
        self._loaded = []                   # (name, parent module, child, value before)
        self._finder = _Finder(self) if owner else None
        self.tensorflow = _tensorflow_module() if owner else None

    @property
    def active(self):
        return not self._done

    def undo(self):
        """Remove the hook (a second call does nothing; so does the undo of a stand-in made
        while another was active: the first one owns the hook)."""
        with _lock:
            if self._done:
                return
            self._done = True
            if not self._owner:
                return
            if self._finder in sys.meta_path:
                sys.meta_path.remove(self._finder)
            for name, parent, child, before in reversed(self._loaded):
                if sys.modules.get(name) is not None and _is_tf(name):
                    del sys.modules[name]
                if parent is not None and parent is not self.tensorflow \
                        and child in vars(parent):
                    if before is _MISSING:
                        delattr(parent, child)
                    else:
                        setattr(parent, child, before)
            self._loaded.clear()
            _active.remove(self)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.undo()

    def __repr__(self):
        return f"<janusgrad standing in for tensorflow ({'active' if self.active else 'undone'})>"

    # -- resolving names --------------------------------------------------------------------
    def resolve(self, fullname):
        """The janusgrad module for the TF module `fullname`, None where TF's name is not a
        module (the import system then says No module named ...)."""
        if fullname in ("tensorflow", "tensorflow.compat.v2"):
            return self.tensorflow
        if fullname == "tensorflow.python":
            return importlib.import_module(_TF_PYTHON)
        parent_name, _, child = fullname.rpartition(".")
        parent = sys.modules[parent_name]           # the import system imported it first
        try:
            value = getattr(parent, child)
        except AttributeError:
            value = _MISSING
        if isinstance(value, types.ModuleType):
            return value
        if value is not _MISSING:
            return None
        real = _PACKAGE if parent is self.tensorflow else parent
        ours = f"{real.__name__}.{child}"
        if hasattr(real, "__path__") and \
                importlib.machinery.PathFinder.find_spec(ours, real.__path__) is not None:
            return importlib.import_module(ours)
        raise missing_module(fullname, ours, names_in(real))

    def record(self, name, module):
        parent_name, _, child = name.rpartition(".")
        parent = sys.modules.get(parent_name) if parent_name else None
        before = _MISSING if parent is None else vars(parent).get(child, _MISSING)
        self._loaded.append((name, parent, child, before))


def _is_tf(name):
    return name == "tensorflow" or name.startswith("tensorflow.")


class _Loader:
    """Gives the import system an existing janusgrad module as the TF module `name`."""

    def __init__(self, standin, name, module):
        self.standin = standin
        self.name = name
        self.module = module

    def create_module(self, spec):
        self.spec = vars(self.module).get("__spec__")
        return self.module

    def exec_module(self, module):
        module.__spec__ = self.spec         # the import system set it to the alias's spec
        self.standin.record(self.name, module)


class _Finder:
    """The meta path finder of a StandIn (first on sys.meta_path while it is active)."""

    def __init__(self, standin):
        self.standin = standin

    def find_spec(self, fullname, path=None, target=None):
        if _is_tf(fullname):
            module = self.standin.resolve(fullname)
            if module is None:
                return None
            loader = _Loader(self.standin, fullname, module)
            return importlib.util.spec_from_loader(fullname, loader,
                                                   is_package=hasattr(module, "__path__"))
        if fullname.startswith("janusgrad."):
            return _missing_from_import(fullname, path)
        return None


def _missing_from_import(fullname, path):
    """`from tensorflow.python.ops import foo_ops` asks the import system for
    janusgrad.compat.tf_python.ops.foo_ops (the package's real name): when that module does not
    exist and its package is one of TF's namespaces, say so in TF's terms."""
    parent_name, _, child = fullname.rpartition(".")
    if parent_name not in NAMESPACES or child.startswith("_") or \
            importlib.machinery.PathFinder.find_spec(fullname, path) is not None:
        return None
    spelled = tf_name(parent_name)
    text = str(missing_attribute(parent_name, child))
    raise MissingFromImportError(
        f"cannot import name '{child}' from '{_import_name(spelled)}': {text}", name=parent_name)


def _import_name(spelled):
    return "tensorflow" + spelled[2:] if spelled.startswith("tf") and not \
        spelled.startswith("tensorflow") else spelled


def stand_in_for_tensorflow() -> "StandIn":
    """Make `import tensorflow` (and its submodules) import janusgrad, in this process, until
    `undo()` is called on the result, or the `with` block it opens ends.

    In that time `tensorflow`, `tensorflow.compat.v1`, `tensorflow.keras.*` and the
    `tensorflow.python.*` modules gradient code imports are janusgrad's, reporting TF's version.
    Modules imported meanwhile keep the janusgrad objects they got. A call while a stand-in is
    active returns a handle whose undo() does nothing. `python -m janusgrad run prog.py` does
    the same for a whole program.

    Returns:
        A `StandIn`: a context manager, and `undo()`, which removes the hook and every
        `tensorflow*` module it put in sys.modules.

    Raises:
        RuntimeError: the real TensorFlow is already imported in this process: its modules and
            janusgrad's cannot be mixed, and it cannot be unloaded (restart the interpreter, or
            the notebook's kernel, and stand janusgrad in before anything imports tensorflow).

    Examples:
        >>> import sys
        >>> import janusgrad
        >>> with janusgrad.stand_in_for_tensorflow():
        ...     import tensorflow as tf
        ...     print(tf.__version__, tf.constant(2.0) * 3)
        2.21.0 tf.Tensor(6.0, shape=(), dtype=float32)
        >>> "tensorflow" in sys.modules
        False
    """
    with _lock:
        if _active:
            return StandIn(owner=False)
        real = sorted(n for n, m in sys.modules.items() if _is_tf(n) and m is not None)
        if real:
            raise RuntimeError(
                f"janusgrad cannot stand in for TensorFlow: the real TensorFlow is already "
                f"imported in this process ({real[0]} is in sys.modules). Restart the "
                f"interpreter (or the notebook's kernel) and call "
                f"janusgrad.stand_in_for_tensorflow() before anything imports tensorflow.")
        standin = StandIn()
        sys.meta_path.insert(0, standin._finder)
        _active.append(standin)
        return standin


# -- the runner -----------------------------------------------------------------------------

USAGE = """\
usage: python -m janusgrad run PROGRAM.py [ARGS...]
       python -m janusgrad run -m MODULE [ARGS...]

Runs an unchanged TensorFlow program with janusgrad standing in for TensorFlow: in that
process, `import tensorflow` (and tensorflow.compat.v1, tensorflow.keras..., the
tensorflow.python.* modules real code imports) imports janusgrad. The program runs as with
`python PROGRAM.py ARGS...` (or `python -m MODULE ARGS...`): the same sys.argv, __name__ ==
"__main__", __file__, sys.path[0], tracebacks and exit status. A TensorFlow name or module
janusgrad does not have is an error that says so and lists the closest names it has.

From Python (a notebook): janusgrad.stand_in_for_tensorflow().
"""

def main(argv=None):
    """`python -m janusgrad ...`: returns the exit status (the program's own exits, and its
    uncaught exceptions, leave as they would leave `python prog.py`)."""
    args = sys.argv[1:] if argv is None else list(argv)
    if not args or args[0] in ("-h", "--help", "help"):
        (sys.stdout if args else sys.stderr).write(USAGE)
        return 0 if args else 2
    if args[0] != "run":
        sys.stderr.write(f"janusgrad: unknown command {args[0]!r}\n\n{USAGE}")
        return 2
    args = args[1:]
    if args[:1] == ["--"]:
        args = args[1:]
    if args[:1] in (["-h"], ["--help"]):
        sys.stdout.write(USAGE)
        return 0
    if not args or args[0] == "-m" and len(args) < 2:
        sys.stderr.write(f"janusgrad run: which program? (a file, or -m MODULE)\n\n{USAGE}")
        return 2
    if args[0] == "-m":
        return run_module(args[1], args[2:])
    return run_path(args[0], args[1:])


def run_path(path, args):
    """Runs the file `path` as `python path args...` would, janusgrad standing in."""
    try:
        with io.open_code(path) as f:
            source = f.read()
    except OSError as e:
        sys.stderr.write(f"{sys.executable}: can't open file {os.path.abspath(path)!r}: "
                         f"[Errno {e.errno}] {e.strerror}\n")
        return 2
    filename = os.path.abspath(path)
    main_module = _main_module(__file__=filename, __cached__=None, __package__=None,
                               __spec__=None,
                               __loader__=importlib.machinery.SourceFileLoader("__main__",
                                                                               filename))
    sys.argv[:] = [path, *args]
    if not getattr(sys.flags, "safe_path", False):  # the -P flag, Python >= 3.11
        _set_path0(os.path.dirname(os.path.realpath(path)))
    _install_excepthook()
    stand_in_for_tensorflow()
    code = compile(source, filename, "exec", dont_inherit=True)
    sys.modules["__main__"] = main_module
    exec(code, main_module.__dict__)
    return 0


def run_module(name, args):
    """Runs the module `name` as `python -m name args...` would, janusgrad standing in."""
    if not getattr(sys.flags, "safe_path", False):  # the -P flag, Python >= 3.11
        _set_path0(os.getcwd())
    _install_excepthook()
    stand_in_for_tensorflow()
    try:
        spec = importlib.util.find_spec(name)
        if spec is not None and spec.submodule_search_locations is not None:
            package, name = name, name + ".__main__"
            spec = importlib.util.find_spec(name)
            if spec is None:
                raise ImportError(f"No module named {name}; '{package}' is a package and "
                                  f"cannot be directly executed")
        if spec is None:
            raise ImportError(f"No module named {name}")
        code = spec.loader.get_code(spec.name)
    except ImportError as e:
        sys.stderr.write(f"{sys.executable}: {e}\n")
        return 1
    main_module = _main_module(__file__=spec.origin, __cached__=spec.cached,
                               __package__=spec.parent, __spec__=spec, __loader__=spec.loader)
    sys.argv[:] = [spec.origin, *args]
    sys.modules["__main__"] = main_module
    exec(code, main_module.__dict__)
    return 0


def _main_module(**attrs):
    module = types.ModuleType("__main__")
    module.__dict__.update(attrs, __builtins__=builtins, __annotations__={})
    return module


def _set_path0(directory):
    if sys.path:
        sys.path[0] = directory
    else:
        sys.path.insert(0, directory)


def _install_excepthook():
    previous = sys.excepthook

    def excepthook(etype, value, tb):
        previous(etype, value, _strip_runner(value, tb))

    sys.excepthook = excepthook


def _strip_runner(value, tb):
    """The traceback as `python prog.py` would show it: without the runner's frames on top (a
    SyntaxError in the program keeps none), nor the frames of janusgrad's missing-name errors
    at the bottom; with what janusgrad lacks noted on the ImportError of a
    `from tensorflow.X import name` for a module X."""
    here = os.path.dirname(__file__)
    runner = {"<frozen runpy>", _file_of("runpy"), _normal(__file__),
              _normal(os.path.join(here, "__main__.py"))}
    first = tb
    while first is not None and _normal(first.tb_frame.f_code.co_filename) in runner:
        first = first.tb_next
    if first is not None or isinstance(value, SyntaxError):
        tb = first
    if isinstance(value, (MissingFromImportError, MissingModuleError, MissingNameError)):
        inner = {_normal(__file__), _normal(os.path.join(here, "framework", "missing.py"))}
        last = None
        node = tb
        while node is not None:
            code = node.tb_frame.f_code
            if _normal(code.co_filename) in inner or code.co_name == "__getattr__" and \
                    node.tb_frame.f_globals.get("__name__", "").startswith("janusgrad"):
                if last is not None:
                    last.tb_next = None
                break
            last, node = node, node.tb_next
    if isinstance(value, ImportError) and not isinstance(value, MissingFromImportError):
        import re
        m = re.match(r"cannot import name '(\w+)' from '([\w.]+)'", str(value))
        if m and m.group(2) in NAMESPACES and hasattr(value, "add_note") and \
                not getattr(value, "__notes__", None):
            value.add_note(str(missing_attribute(m.group(2), m.group(1))))
    if value is not None:
        value.__traceback__ = tb
    return tb


def _normal(filename):
    return filename if filename.startswith("<") else os.path.normcase(os.path.abspath(filename))


def _file_of(module_name):
    module = sys.modules.get(module_name)
    return _normal(module.__file__) if getattr(module, "__file__", None) else None
