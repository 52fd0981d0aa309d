"""tf.train.Checkpoint: variables and optimizer slots saved to one NumPy .npz file.

Objects are walked as TF walks its object graph: a Variable is a leaf; Keras layers, models,
optimizers and checkpoints name their children (`_checkpoint_children`); any other object is
walked through its attributes, lists and dicts. A variable's key is its path from the root
("model/layer-0/kernel"); an optimizer slot's key is "<variable path>/.OPTIMIZER_SLOT/
<optimizer path>/<slot name>", so slots follow their variables rather than creation order.

Restoring checks every value against its variable first and assigns only if all fit, so a bad
file changes nothing; values for variables not created yet (a layer not built, slots not made)
wait for them and are checked again when they are used.

The files themselves (atomic writes, headers read first) are checkpoint_files.py's, the
numbered saves of a folder checkpoint_manager.py's.
"""
import os

import numpy as np

from ..framework.context import init_scope
from ..ops.state import Variable
from .checkpoint_files import FORMAT, META, Reader, atomic_write, npz_path, update_state_file

_SLOT = ".OPTIMIZER_SLOT"


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
        update_state_file(os.path.dirname(os.path.abspath(path)), path, [path])
        return path

    def write(self, file_prefix, options=None):
        """Write `<file_prefix>.npz` atomically and return `file_prefix`."""
        file_prefix = os.fspath(file_prefix)
        graph = _ObjectGraph(self._checkpoint_children())
        arrays = {key: var._resource.read() for key, var in graph.all_variables().items()}
        arrays[META] = np.array(FORMAT)
        atomic_write(npz_path(file_prefix), lambda f: np.savez(f, **arrays))
        return file_prefix

    # -- reading ---------------------------------------------------------------------------
    def restore(self, save_path, options=None):
        """Assign the saved values; variables not created yet take theirs when they are.

        Returns a status with `assert_consumed()`, `assert_existing_objects_matched()` and
        `expect_partial()`. `save_path=None` restores nothing (TF's fresh start).
        """
        if save_path is None:
            return LoadStatus(self, set(), [])
        with Reader(os.fspath(save_path)) as reader:
            members = reader.members
            if "save_counter" in members:
                self.save_counter                   # noqa: B018  (created to be restored)
            graph = _ObjectGraph(self._checkpoint_children())
            variables = graph.all_variables()
            matched = {key: var for key, var in variables.items() if key in members}
            for key, var in matched.items():
                _check_fits(key, members[key], var)
            deferred = _deferred(graph, [k for k in members if k not in variables])
            for key, _, _, var, _ in deferred:
                if var is not None:
                    _check_fits(key, members[key], var, slot=True)
            # every header fits: now the values (each read checks its CRC), then nothing fails
            values = {key: reader.read(members[key])
                      for key in [*matched, *(d[0] for d in deferred)]}
        handed = []
        for key, pending, name, _, store in deferred:
            pending[name] = values[key]
            if store is not None:
                store.resolve = self._variable_paths
            handed.append((key, pending, name))
        assign_all((var, values[key]) for key, var in matched.items())
        return LoadStatus(self, set(members), handed, graph)

    def read(self, save_path, options=None):
        return self.restore(save_path, options)

    def _variable_paths(self):
        return _paths_of(_ObjectGraph(self._checkpoint_children()))


def assign_all(pairs):
    """Set each (variable, value read from a checkpoint and checked to fit it): what restoring
    does once nothing can fail any more."""
    for var, value in pairs:
        res = var._resource
        with res.lock:
            res.value = value


def _check_fits(key, member, var, slot=False):
    """ValueError unless the saved value `key` (its header) fits `var` (for a slot: the
    variable the slot belongs to, whose dtype and shape it has)."""
    what = f"the slot's variable {var.name}" if slot else f"the variable {var.name}"
    if member.dtype != var.dtype.np:
        raise ValueError(f"Checkpoint value {key!r} has dtype {member.dtype}, but {what} has "
                         f"dtype {var.dtype.name}; no variable was restored.")
    if not var.shape.is_compatible_with(member.shape):
        raise ValueError(f"Checkpoint value {key!r} has shape {list(member.shape)}, but {what} "
                         f"has shape {var.shape}; no variable was restored.")


def _deferred(graph, leftovers):
    """Where the values of variables not created yet wait for them (a layer not built, an
    optimizer without slots yet): [(key, pending dict, pending key, variable the value must
    fit or None, slot store that finds its variable by path or None)]. Changes nothing."""
    plan = []
    for key in leftovers:
        if f"/{_SLOT}/" in key:
            var_path, rest = key.split(f"/{_SLOT}/", 1)
            opt_path, _, slot_name = rest.rpartition("/")
            opt = graph.optimizers.get(opt_path)
            if opt is None:
                continue
            store = opt._slots
            var = graph.variables.get(var_path)
            if var is not None:
                plan.append((key, store.pending, (id(var), slot_name), var, None))
            else:
                plan.append((key, store.pending_paths, (var_path, slot_name), None, store))
            continue
        owner_path, _, name = key.rpartition("/")
        pending = getattr(graph.objects.get(owner_path), "_pending_restore", None)
        if pending is not None:
            plan.append((key, pending, name, None, None))
    return plan


def _paths_of(graph):
    """(id -> path, the graph): the graph keeps the variables, hence their ids, alive."""
    return graph.var_paths, graph


class LoadStatus:
    """What a restore matched (tf.train.Checkpoint.restore's return value)."""

    def __init__(self, checkpoint, keys, handed, graph=None):
        self._checkpoint = checkpoint
        self._keys = keys               # the names of the values in the file
        self._handed = handed
        self._graph = graph
        matched = set(graph.all_variables()) if graph is not None else set()
        handed_keys = {key for key, _, _ in handed}
        self._unmatched = sorted(k for k in keys if k not in matched and k not in handed_keys)

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
        missing = sorted(k for k in now if k not in self._keys and k != "save_counter")
        if missing:
            raise AssertionError(f"Variables not found in the checkpoint: {missing}")
        return self

    def assert_nontrivial_match(self):
        if self._graph is None or not self._keys:
            raise AssertionError("No checkpoint values were matched.")
        return self

    def expect_partial(self):
        return self

    def run_restore_ops(self, session=None):
        """Values are assigned by `restore` itself, in both modes: nothing left to run."""

    def initialize_or_restore(self, session=None):
        """Values are assigned by `restore` itself, in both modes: nothing left to run."""
