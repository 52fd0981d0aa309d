"""tf.train.Checkpoint: variables and optimizer slots saved to one NumPy .npz file.

Objects are walked as TF walks its object graph: a Variable is a leaf; Keras layers, models,
optimizers and checkpoints name their children (`_checkpoint_children`); any other object is
walked through its attributes, lists and dicts. A variable's key is its path from the root
("model/layer-0/kernel"); an optimizer slot's key is "<variable path>/.OPTIMIZER_SLOT/
<optimizer path>/<slot name>", so slots follow their variables rather than creation order.

Files are written to a temporary file, then renamed (a crash never leaves half a checkpoint),
and read with `allow_pickle=False`. Restoring checks every value against its variable first
and assigns only if all fit, so a bad file changes nothing.
"""
import os
import tempfile
import zipfile

import numpy as np

from ..framework.context import init_scope
from ..framework.errors import DataLossError, NotFoundError
from ..ops.state import Variable

FORMAT = "janusgrad-checkpoint-1"
_META = "__janusgrad_checkpoint__"
_SLOT = ".OPTIMIZER_SLOT"
_STATE_FILE = "checkpoint"


def _is_variable(x):
    return isinstance(x, Variable)


def _children(obj):
    """Named children of a trackable object (see the module docstring)."""
    named = getattr(obj, "_checkpoint_children", None)
    if named is not None:
        return named()
    if isinstance(obj, (list, tuple)):
        return {str(i): v for i, v in enumerate(obj)}
    if isinstance(obj, dict):
        return {str(k): v for k, v in obj.items()}
    return {k: v for k, v in sorted(getattr(obj, "__dict__", {}).items())
            if _is_variable(v) or _maybe_trackable(v)}


def _maybe_trackable(v):
    if isinstance(v, (list, tuple, dict)):
        return any(_is_variable(x) or _maybe_trackable(x)
                   for x in (v.values() if isinstance(v, dict) else v))
    return hasattr(v, "_checkpoint_children")


class _ObjectGraph:
    """Every variable and trackable object reachable from the root, by path (first path wins)."""

    def __init__(self, root_children):
        self.variables = {}      # path -> variable
        self.objects = {}        # path -> object
        self.var_paths = {}      # id(variable) -> path
        seen = set()
        stack = [(name, obj) for name, obj in reversed(list(root_children.items()))]
        while stack:
            path, obj = stack.pop()
            if id(obj) in seen:
                continue
            seen.add(id(obj))
            if _is_variable(obj):
                self.variables[path] = obj
                self.var_paths[id(obj)] = path
                continue
            self.objects[path] = obj
            kids = _children(obj)
            stack.extend((f"{path}/{k}", v) for k, v in reversed(list(kids.items())))
        self.slots = {}          # key -> slot variable
        self.optimizers = {}     # path -> optimizer
        for path, obj in self.objects.items():
            store = getattr(obj, "_slots", None)
            if store is None or not hasattr(store, "items"):
                continue
            self.optimizers[path] = obj
            for var, slot_name, slot in store.items:
                var_path = self.var_paths.get(id(var))
                if var_path is not None:
                    self.slots[f"{var_path}/{_SLOT}/{path}/{slot_name}"] = slot

    def all_variables(self):
        return {**self.variables, **self.slots}


class Checkpoint:
    """Save and restore the variables of the objects given as keyword arguments.

        ckpt = tf.train.Checkpoint(model=model, optimizer=opt)
        path = ckpt.save("/tmp/ckpt/run")          # "/tmp/ckpt/run-1" (file run-1.npz)
        ckpt.restore(path).assert_consumed()
    """

    def __init__(self, root=None, **kwargs):
        for name, obj in kwargs.items():
            if obj is None or isinstance(obj, (int, float, str, bytes, np.ndarray)):
                raise ValueError(f"`Checkpoint` was expecting a trackable object (a variable, "
                                 f"layer, model, optimizer or checkpoint) for {name!r}, "
                                 f"got {obj!r}.")
        self._objects = dict(kwargs)
        if root is not None:
            self._objects.update(_children(root))
        self._save_counter = None

    @property
    def save_counter(self):
        """How many times `save` has run (an int64 variable, saved with the checkpoint)."""
        if self._save_counter is None:
            with init_scope():
                counter = Variable(np.int64(0), trainable=False, name="save_counter")
            # saving needs no session, even in graph mode: the counter is set up right away
            counter._resource.value = np.int64(0)
            self._save_counter = counter
        return self._save_counter

    def _checkpoint_children(self):
        kids = dict(self._objects)
        if self._save_counter is not None:
            kids["save_counter"] = self._save_counter
        return kids

    def __getattr__(self, name):
        objects = self.__dict__.get("_objects", {})
        if name in objects:
            return objects[name]
        raise AttributeError(f"'Checkpoint' object has no attribute {name!r}")

    # -- writing ---------------------------------------------------------------------------
    def save(self, file_prefix, options=None):
        """Write `<file_prefix>-<n>.npz` (n counts saves) and return `<file_prefix>-<n>`."""
        res = self.save_counter._resource
        with res.lock:
            res.value = res.read() + np.int64(1)
        path = f"{os.fspath(file_prefix)}-{int(res.read())}"
        self.write(path)
        _update_state_file(path)
        return path

    def write(self, file_prefix, options=None):
        """Write `<file_prefix>.npz` atomically and return `file_prefix`."""
        file_prefix = os.fspath(file_prefix)
        graph = _ObjectGraph(self._checkpoint_children())
        arrays = {key: var._resource.read() for key, var in graph.all_variables().items()}
        arrays[_META] = np.array(FORMAT)
        _atomic_write(_npz_path(file_prefix), lambda f: np.savez(f, **arrays))
        return file_prefix

    # -- reading ---------------------------------------------------------------------------
    def restore(self, save_path, options=None):
        """Assign the saved values; variables not created yet take theirs when they are.

        Returns a status with `assert_consumed()`, `assert_existing_objects_matched()` and
        `expect_partial()`. `save_path=None` restores nothing (TF's fresh start).
        """
        if save_path is None:
            return LoadStatus(self, {}, [])
        arrays = _read(os.fspath(save_path))
        if "save_counter" in arrays:
            self.save_counter                       # noqa: B018  (created to be restored)
        graph = _ObjectGraph(self._checkpoint_children())
        assignments = [(var, _checked(key, arrays[key], var))
                       for key, var in graph.all_variables().items() if key in arrays]
        handed = _defer(graph, {k: v for k, v in arrays.items()
                                if k not in graph.all_variables()}, self._checkpoint_children)
        for var, value in assignments:
            res = var._resource
            with res.lock:
                res.value = value
        return LoadStatus(self, arrays, handed, graph)

    def read(self, save_path, options=None):
        return self.restore(save_path, options)


def _checked(key, value, var):
    if value.dtype != var.dtype.np:
        raise ValueError(f"Checkpoint value {key!r} has dtype {value.dtype}, but the variable "
                         f"{var.name} has dtype {var.dtype.name}; no variable was restored.")
    if not var.shape.is_compatible_with(value.shape):
        raise ValueError(f"Checkpoint value {key!r} has shape {list(value.shape)}, but the "
                         f"variable {var.name} has shape {var.shape}; no variable was "
                         "restored.")
    return value


def _defer(graph, leftovers, children):
    """Hand the values of variables not created yet to their owners (a layer not built, an
    optimizer without slots yet). Returns [(key, pending dict, pending key)]."""
    handed = []
    for key, value in leftovers.items():
        if key == _META:
            continue
        if f"/{_SLOT}/" in key:
            var_path, rest = key.split(f"/{_SLOT}/", 1)
            opt_path, _, slot_name = rest.rpartition("/")
            opt = graph.optimizers.get(opt_path)
            if opt is None:
                continue
            store = opt._slots
            var = graph.variables.get(var_path)
            if var is not None:
                store.pending[(id(var), slot_name)] = value
                handed.append((key, store.pending, (id(var), slot_name)))
            else:
                store.pending_paths[(var_path, slot_name)] = value
                store.resolve = lambda: _paths_of(_ObjectGraph(children()))
                handed.append((key, store.pending_paths, (var_path, slot_name)))
            continue
        owner_path, _, name = key.rpartition("/")
        pending = getattr(graph.objects.get(owner_path), "_pending_restore", None)
        if pending is not None:
            pending[name] = value
            handed.append((key, pending, name))
    return handed


def _paths_of(graph):
    """(id -> path, the graph): the graph keeps the variables, hence their ids, alive."""
    return graph.var_paths, graph


class LoadStatus:
    """What a restore matched (tf.train.Checkpoint.restore's return value)."""

    def __init__(self, checkpoint, arrays, handed, graph=None):
        self._checkpoint = checkpoint
        self._arrays = arrays
        self._handed = handed
        self._graph = graph
        matched = set(graph.all_variables()) if graph is not None else set()
        handed_keys = {key for key, _, _ in handed}
        self._unmatched = sorted(k for k in arrays if k != _META and k not in matched
                                 and k not in handed_keys)

    def assert_consumed(self):
        """Every saved value went to a variable (those created after the restore included:
        call this once they exist), and every variable got a value."""
        waiting = sorted(key for key, pending, k in self._handed if k in pending)
        if self._unmatched or waiting:
            raise AssertionError(f"Unresolved values in the checkpoint: {self._unmatched}; "
                                 f"values waiting for variables not created yet: {waiting}")
        self.assert_existing_objects_matched()
        return self

    def assert_existing_objects_matched(self):
        """Every variable that exists now got a value from the checkpoint."""
        if self._graph is None:
            return self
        now = _ObjectGraph(self._checkpoint._checkpoint_children()).all_variables()
        missing = sorted(k for k in now if k not in self._arrays and k != "save_counter")
        if missing:
            raise AssertionError(f"Variables not found in the checkpoint: {missing}")
        return self

    def assert_nontrivial_match(self):
        if self._graph is None or len(self._arrays) <= 1:
            raise AssertionError("No checkpoint values were matched.")
        return self

    def expect_partial(self):
        return self

    def run_restore_ops(self, session=None):
        """Values are assigned by `restore` itself, in both modes: nothing left to run."""

    def initialize_or_restore(self, session=None):
        """Values are assigned by `restore` itself, in both modes: nothing left to run."""


def _npz_path(path):
    return path if path.endswith(".npz") else path + ".npz"


def _atomic_write(path, write):
    """Write through `write(file)` into a temporary file beside `path`, then rename it."""
    folder = os.path.dirname(os.path.abspath(path))
    os.makedirs(folder, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=".tmp-", suffix=".partial")
    try:
        with os.fdopen(fd, "wb") as f:
            write(f)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.remove(tmp)
        raise


def _read(save_path):
    path = _npz_path(save_path)
    if not os.path.exists(path):
        raise NotFoundError(f"Failed to find any matching files for {save_path} "
                            f"(no file {path})")
    try:
        with np.load(path, allow_pickle=False) as data:
            if _META not in data.files:
                raise DataLossError(f"{path} is not a janusgrad checkpoint (it has no "
                                    f"{_META!r} entry); nothing was restored.")
            arrays = {k: data[k] for k in data.files}      # reading checks each CRC
    except DataLossError:
        raise
    except (zipfile.BadZipFile, ValueError, OSError, EOFError, KeyError) as e:
        raise DataLossError(f"Unable to read checkpoint {path}: the file is truncated, "
                            f"corrupted or not a .npz checkpoint ({e}); nothing was "
                            "restored.") from e
    if str(arrays[_META]) != FORMAT:
        raise DataLossError(f"{path}: unknown checkpoint format {str(arrays[_META])!r} "
                            f"(expected {FORMAT!r}); nothing was restored.")
    return arrays


# -- the "checkpoint" state file: the latest checkpoint of a folder, as TF keeps it -----------

def _update_state_file(path, all_paths=None):
    folder = os.path.dirname(os.path.abspath(path))
    names = [os.path.basename(p) for p in (all_paths or [path])]
    text = f'model_checkpoint_path: "{os.path.basename(path)}"\n' + "".join(
        f'all_model_checkpoint_paths: "{n}"\n' for n in names)
    _atomic_write(os.path.join(folder, _STATE_FILE), lambda f: f.write(text.encode()))


def latest_checkpoint(checkpoint_dir, latest_filename=None):
    """The path of the newest checkpoint saved in `checkpoint_dir`, or None."""
    state = os.path.join(os.fspath(checkpoint_dir), latest_filename or _STATE_FILE)
    if not os.path.exists(state):
        return None
    with open(state, encoding="utf-8") as f:
        for line in f:
            key, _, value = line.partition(":")
            if key.strip() == "model_checkpoint_path":
                path = os.path.join(os.fspath(checkpoint_dir), value.strip().strip('"'))
                return path if os.path.exists(_npz_path(path)) else None
    return None


class CheckpointManager:
    """Numbered saves in one folder, keeping the newest `max_to_keep`."""

    def __init__(self, checkpoint, directory, max_to_keep, checkpoint_name="ckpt", **_):
        self._checkpoint = checkpoint
        self._directory = os.fspath(directory)
        self._max_to_keep = max_to_keep
        self._prefix = os.path.join(self._directory, checkpoint_name)
        self._kept = []
        latest = latest_checkpoint(self._directory)
        if latest is not None:
            self._kept.append(latest)

    @property
    def directory(self):
        return self._directory

    @property
    def checkpoints(self):
        return list(self._kept)

    @property
    def latest_checkpoint(self):
        return self._kept[-1] if self._kept else None

    def save(self, checkpoint_number=None, **_):
        if checkpoint_number is None:
            path = self._checkpoint.save(self._prefix)
        else:
            path = self._checkpoint.write(f"{self._prefix}-{int(checkpoint_number)}")
        self._kept = [p for p in self._kept if p != path] + [path]
        while self._max_to_keep is not None and len(self._kept) > self._max_to_keep:
            old = self._kept.pop(0)
            if os.path.exists(_npz_path(old)):
                os.remove(_npz_path(old))
        _update_state_file(path, self._kept)
        return path
