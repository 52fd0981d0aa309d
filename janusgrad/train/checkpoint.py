"""tf.train.Checkpoint: variables and optimizer slots saved to one NumPy .npz file.

Objects are walked as TF walks its object graph: a Variable is a leaf; Keras layers, models,
optimizers and checkpoints name their children (`_checkpoint_children`); any other object is
walked through its attributes, lists and dicts. A variable's key is its path from the root
("model/layer-0/kernel"); an optimizer slot's key is "<variable path>/.OPTIMIZER_SLOT/
<optimizer path>/<slot name>", so slots follow their variables rather than creation order.

Writing: a file is written to a temporary file beside it, flushed to disk, then renamed over
it, so a crash never leaves half a checkpoint. The temporary file is named after its target,
this host and this process (`.<name>.<host>-<pid>.<random>.jgtmp`) and is locked while written,
so that the next save of a CheckpointManager can tell those of killed writers (removed) from
those of live ones (kept).

Reading never unpickles and never inflates what it does not need: each member's .npy header
is read first and checked (an array of a plain dtype whose shape fits the member's size), then
matched against the variables, and only the members that some variable takes are read.
Restoring checks every value against its variable first and assigns only if all fit, so a bad
file changes nothing; values for variables not created yet (a layer not built, slots not made)
wait for them and are checked again when they are used.

CheckpointManager orders a save as TF's does: the checkpoint is written, then the state file
(the folder's "checkpoint" file) records it, atomically, and only then are the checkpoints that
fall out of `max_to_keep` deleted (and the state recorded again), so a job killed at any point
restarts from a checkpoint that exists. It never reads nor deletes a file outside its folder.
"""
import codecs
import contextlib
import math
import os
import re
import secrets
import socket
import warnings
import zipfile

import numpy as np

from ..framework.context import init_scope
from ..framework.errors import DataLossError, NotFoundError
from ..ops.state import Variable

try:
    import fcntl
except ImportError:                 # not POSIX: temporary files are not locked
    fcntl = None

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
        _update_state_file(os.path.dirname(os.path.abspath(path)), path, [path])
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
            return LoadStatus(self, set(), [])
        with _Reader(os.fspath(save_path)) as reader:
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
        for key, var in matched.items():
            res = var._resource
            with res.lock:
                res.value = values[key]
        return LoadStatus(self, set(members), handed, graph)

    def read(self, save_path, options=None):
        return self.restore(save_path, options)

    def _variable_paths(self):
        return _paths_of(_ObjectGraph(self._checkpoint_children()))


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


def _npz_path(path):
    return path if path.endswith(".npz") else path + ".npz"


# -- writing: temporary files, renamed into place ---------------------------------------------

_HOST = re.sub(r"[^A-Za-z0-9_]", "_", socket.gethostname())[:40] or "host"
_TEMPORARY = re.compile(r"\.(?P<target>.+)\.(?P<host>[A-Za-z0-9_]+)-(?P<pid>[0-9]+)"
                        r"\.[0-9a-f]+\.jgtmp")
_WRITING = set()        # the temporary files this process is writing now
# a lock is held by the open file: kept open through the rename where renaming an open file
# is allowed (POSIX, where the locks are)
_RENAME_OPEN = fcntl is not None


def _atomic_write(path, write):
    """Write through `write(file)` into a temporary file beside `path`, flush it to disk, then
    rename it to `path`."""
    folder = os.path.dirname(os.path.abspath(path))
    os.makedirs(folder, exist_ok=True)
    tmp = os.path.join(folder, f".{os.path.basename(path)[:150]}.{_HOST}-{os.getpid()}."
                               f"{secrets.token_hex(4)}.jgtmp")
    _WRITING.add(tmp)
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0),
                     0o600)
        try:
            with os.fdopen(fd, "wb") as f:
                if fcntl is not None:
                    with contextlib.suppress(OSError):
                        fcntl.flock(f.fileno(), fcntl.LOCK_EX)
                write(f)
                f.flush()
                os.fsync(f.fileno())
                if _RENAME_OPEN:
                    os.replace(tmp, path)
            if not _RENAME_OPEN:
                os.replace(tmp, path)
        except BaseException:
            with contextlib.suppress(OSError):
                os.remove(tmp)
            raise
    finally:
        _WRITING.discard(tmp)
    _fsync_folder(folder)


def _fsync_folder(folder):
    """Make a rename in `folder` durable (POSIX; elsewhere the rename is all there is)."""
    if os.name != "posix":
        return
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _remove_stale_temporaries(folder, targets):
    """Remove the temporary files that writers killed mid-write left in `folder` for a target
    whose name matches `targets`. Only files named as `_atomic_write` names them, written on
    this host by a process that is gone (or by this one, which is not writing it now), and
    that no writer holds locked; where that cannot be told (another host, a live process, no
    way to ask), the file stays."""
    folder = os.path.abspath(folder)            # as `_WRITING` holds them
    try:
        names = os.listdir(folder)
    except OSError:
        return
    for name in names:
        m = _TEMPORARY.fullmatch(name)
        if m is None or m["host"] != _HOST or not targets.fullmatch(m["target"]):
            continue
        path = os.path.join(folder, name)
        pid = int(m["pid"])
        if (path in _WRITING) if pid == os.getpid() else _may_be_alive(pid):
            continue
        _remove_unlocked(path)


def _may_be_alive(pid):
    if os.name != "posix":
        return True                 # no harmless way to ask
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (OSError, OverflowError, ValueError):
        return True
    return True


def _remove_unlocked(path):
    if fcntl is None:
        with contextlib.suppress(OSError):
            os.remove(path)
        return
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            return                  # a live writer holds it
        except OSError:
            pass                    # no locks on this file system: its process is gone
        with contextlib.suppress(OSError):
            os.remove(path)
    finally:
        os.close(fd)


# -- reading: headers first, then only the values that are needed ----------------------------

class _Member:
    """One array of a checkpoint file, as its .npy header declares it."""
    __slots__ = ("key", "info", "dtype", "shape", "fortran", "offset", "nbytes")

    def __init__(self, key, info, dtype, shape, fortran, offset):
        self.key, self.info, self.dtype, self.shape = key, info, dtype, shape
        self.fortran, self.offset = fortran, offset
        self.nbytes = math.prod(shape) * dtype.itemsize


class _Reader:
    """An open checkpoint file whose members' headers are read and checked: `members` maps
    each value's name to its `_Member`; `read(member)` reads one value."""

    def __init__(self, save_path):
        self.path = _npz_path(save_path)
        if not os.path.exists(self.path):
            raise NotFoundError(f"Failed to find any matching files for {save_path} "
                                f"(no file {self.path})")
        try:
            self._size = os.path.getsize(self.path)
            self._zip = zipfile.ZipFile(self.path)
        except MemoryError:
            raise
        except Exception as e:
            raise self._broken(e) from e
        try:
            names = self._zip.namelist()
            if _META + ".npy" not in names:
                raise DataLossError(f"{self.path} is not a janusgrad checkpoint (it has no "
                                    f"{_META!r} entry); nothing was restored.")
            self.members = {}
            for info in self._zip.infolist():
                name = info.filename
                key = name[:-4] if name.endswith(".npy") else name
                if key in self.members:
                    raise self._bad_entry(key, "appears twice")
                self.members[key] = self._header(key, info)
            meta = self.members.pop(_META)
            found = str(self.read(meta)) if meta.dtype.kind == "U" and meta.shape == () \
                and meta.nbytes <= 1024 else "?"
            if found != FORMAT:
                raise DataLossError(f"{self.path}: unknown checkpoint format {found!r} "
                                    f"(expected {FORMAT!r}); nothing was restored.")
        except BaseException:
            self._zip.close()
            raise

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self._zip.close()

    def _broken(self, e):
        return DataLossError(f"Unable to read checkpoint {self.path}: the file is truncated, "
                             f"corrupted or not a .npz checkpoint ({e}); nothing was restored.")

    def _bad_entry(self, key, why):
        return DataLossError(f"{self.path}: the entry {key!r} {why}; nothing was restored.")

    def _header(self, key, info):
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise self._bad_entry(key, f"is compressed with method {info.compress_type}, which "
                                       "checkpoints never use")
        # what the stored bytes can hold: as many (stored) or up to 1032 times as many (deflate's
        # largest ratio), so that no declared size exceeds what the file itself can inflate to
        most = info.compress_size * (1 if info.compress_type == zipfile.ZIP_STORED else 1032)
        if info.compress_size > self._size or info.file_size > most + 1024:
            raise self._bad_entry(key, f"declares {info.file_size} bytes, more than its "
                                       f"{info.compress_size} stored bytes can hold")
        fmt = np.lib.format
        try:
            with self._zip.open(info) as f:
                version = fmt.read_magic(f)
                if version == (1, 0):
                    shape, fortran, dtype = fmt.read_array_header_1_0(f)
                elif version == (2, 0):
                    shape, fortran, dtype = fmt.read_array_header_2_0(f)
                else:
                    raise ValueError(f".npy format version {version} is not supported")
                offset = f.tell()
        except MemoryError:
            raise
        except Exception as e:
            raise self._bad_entry(key, f"is not an array ({type(e).__name__}: {e})") from e
        if dtype.hasobject:
            raise self._bad_entry(key, "holds Python objects, which are never loaded")
        if dtype.itemsize == 0 or len(shape) > 32 or any(d < 0 for d in shape):
            raise self._bad_entry(key, f"declares an impossible array: {dtype} of shape "
                                       f"{list(shape)}")
        member = _Member(key, info, dtype, shape, fortran, offset)
        if member.nbytes != info.file_size - offset:
            raise self._bad_entry(key, f"declares {dtype} of shape {list(shape)} "
                                       f"({member.nbytes} bytes) but holds "
                                       f"{info.file_size - offset} bytes")
        return member

    def read(self, member):
        """The value of `member` (whose header was checked): read now, CRC checked."""
        out = np.empty(math.prod(member.shape), member.dtype)
        buf = out.view(np.uint8)
        try:
            with self._zip.open(member.info) as f:
                f.read(member.offset)
                done = 0
                while done < member.nbytes:
                    chunk = f.read(min(1 << 22, member.nbytes - done))
                    if not chunk:
                        raise EOFError(f"it ends after {done} of {member.nbytes} bytes")
                    buf[done:done + len(chunk)] = np.frombuffer(chunk, np.uint8)
                    done += len(chunk)
                if f.read(1):
                    raise ValueError("it holds more bytes than its header declares")
        except MemoryError:
            raise
        except Exception as e:
            raise self._bad_entry(member.key, f"is truncated or corrupted ({e})") from e
        if member.fortran:
            return out.reshape(member.shape[::-1]).T
        return out.reshape(member.shape)


# -- the "checkpoint" state file: the checkpoints of a folder, newest last, as TF keeps them ---

def _escape(name):
    return name.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")


def _unescape(text):
    try:
        return codecs.escape_decode(text.encode("utf-8"))[0].decode("utf-8", "replace")
    except ValueError:
        return text


def _update_state_file(folder, latest, all_paths):
    """Record `latest` and `all_paths` (oldest first), relative to `folder`, atomically."""
    def line(key, path):
        return f'{key}: "{_escape(os.path.relpath(path, folder))}"\n'
    text = line("model_checkpoint_path", latest) + "".join(
        line("all_model_checkpoint_paths", p) for p in all_paths)
    _atomic_write(os.path.join(folder, _STATE_FILE), lambda f: f.write(text.encode("utf-8")))


def _read_state(state_path):
    """(model_checkpoint_path, [all_model_checkpoint_paths]) as written, or None."""
    if not os.path.isfile(state_path):
        return None
    with open(state_path, "rb") as f:
        text = f.read().decode("utf-8", "replace")
    latest, listed = None, []
    for line in text.splitlines():
        key, _, value = line.partition(":")
        value = value.strip()
        if len(value) >= 2 and value[0] == value[-1] == '"':
            value = _unescape(value[1:-1])
        if key.strip() == "model_checkpoint_path" and latest is None:
            latest = value
        elif key.strip() == "all_model_checkpoint_paths":
            listed.append(value)
    return latest, listed


def latest_checkpoint(checkpoint_dir, latest_filename=None):
    """The path of the newest checkpoint saved in `checkpoint_dir`, or None."""
    checkpoint_dir = os.fspath(checkpoint_dir)
    state = _read_state(os.path.join(checkpoint_dir, latest_filename or _STATE_FILE))
    if state is None or not state[0]:
        return None
    path = os.path.join(checkpoint_dir, state[0])
    return path if os.path.exists(_npz_path(path)) else None


class CheckpointManager:
    """Numbered saves in one folder, keeping the newest `max_to_keep` (TF's).

    A save writes the checkpoint, records it in the folder's state file, then deletes the
    oldest beyond `max_to_keep`: a job killed at any point restarts from a checkpoint that
    exists. A new manager takes over the list the state file holds (those still there), so
    `max_to_keep` goes on applying across restarts; a path there outside the manager's folder
    is ignored, with a warning, and never deleted. Each save also removes the temporary files
    that saves killed mid-write left behind (on this host, of processes that are gone).
    """

    def __init__(self, checkpoint, directory, max_to_keep, keep_checkpoint_every_n_hours=None,
                 checkpoint_name="ckpt", **_):
        if max_to_keep is not None and max_to_keep <= 0:
            raise ValueError(f"Expected a positive integer or `None` for `max_to_keep`, got "
                             f"{max_to_keep}.")
        self._checkpoint = checkpoint
        self._directory = os.fspath(directory)
        self._max_to_keep = max_to_keep
        self._prefix = os.path.join(self._directory, checkpoint_name)
        self._folder = os.path.dirname(self._prefix)     # where the checkpoints are
        self._kept = self._recover()

    def _recover(self):
        state_path = os.path.join(self._directory, _STATE_FILE)
        state = _read_state(state_path)
        if state is None:
            return []
        latest, listed = state
        names = [p for p in listed if p != latest] + ([latest] if latest is not None else [])
        kept = []
        for name in names:
            path = self._inside(name, state_path)
            if path is not None and path not in kept and os.path.exists(_npz_path(path)):
                kept.append(path)
        return kept

    def _inside(self, name, state_path):
        """`name` (from the state file) as a path in the manager's folder, or None."""
        full = os.path.join(self._directory, name)
        base = os.path.basename(full)
        if base in ("", ".", "..") or \
                os.path.realpath(os.path.dirname(full)) != os.path.realpath(self._folder):
            warnings.warn(f"CheckpointManager: {state_path} names {name!r}, which is outside "
                          f"the manager's folder {self._folder}: ignored (never restored nor "
                          "deleted).", stacklevel=4)
            return None
        return os.path.join(self._folder, base)

    @property
    def directory(self):
        return self._directory

    @property
    def checkpoints(self):
        return list(self._kept)

    @property
    def latest_checkpoint(self):
        return self._kept[-1] if self._kept else None

    def save(self, checkpoint_number=None, check_interval=True, options=None):
        """Write `<directory>/<checkpoint_name>-<n>.npz` (n: `checkpoint_number`, else the
        checkpoint's save counter, which every save increments, as TF's) and return its path.
        """
        res = self._checkpoint.save_counter._resource
        with res.lock:
            res.value = res.read() + np.int64(1)
        number = int(res.read()) if checkpoint_number is None else int(checkpoint_number)
        name = os.path.basename(self._prefix)
        _remove_stale_temporaries(self._folder, re.compile(re.escape(name) + r"-[0-9]+\.npz"))
        _remove_stale_temporaries(self._directory, re.compile(re.escape(_STATE_FILE)))
        path = self._checkpoint.write(f"{self._prefix}-{number}")
        self._kept = [p for p in self._kept if p != path] + [path]
        self._record()                                  # the new one first: it exists now
        if self._max_to_keep is not None and len(self._kept) > self._max_to_keep:
            doomed = self._kept[:-self._max_to_keep]
            self._kept = self._kept[-self._max_to_keep:]
            for old in doomed:
                self._delete(old)
            self._record()
        return path

    def _record(self):
        _update_state_file(self._directory, self._kept[-1], self._kept)

    def _delete(self, path):
        if os.path.join(self._folder, os.path.basename(path)) != path:
            return                                      # never outside the folder
        with contextlib.suppress(FileNotFoundError):
            os.remove(_npz_path(path))
