"""tf.compat.v1.train.Saver: variables saved by name ("scope/w", as TF1 keys them) in janusgrad's
checkpoint files, and the functions that find and read those files (get_checkpoint_state,
checkpoint_exists, list_variables, load_variable, load_checkpoint).

The files are checkpoint_files.py's: one `<path>.npz` per save, written atomically; read
headers first, so that a truncated, corrupted or hostile file raises DataLossError before any
variable changes. A restore is all or nothing: every variable's value is found and checked
against the variable, then read (CRC checked), and only then are they all assigned. A save is
ordered as CheckpointManager orders one: the file is written, the state file (the folder's
"checkpoint" file) records it, and only then are the checkpoints beyond `max_to_keep` deleted
(and the state recorded again), so that a job killed at any point restarts from a checkpoint
that exists; each save removes the temporary files that killed saves left
(checkpoint_files.remove_stale_temporaries).

As in TF 2: eagerly a Saver needs its `var_list` (the sessions passed are ignored); in graph
mode `var_list=None` means the global variables that exist when the Saver is made, and a
session is required. TF's .meta files (the graph) are not written: janusgrad rebuilds the graph
from the program itself.
"""
import contextlib
import numbers
import os
import re
import threading
import time

import numpy as np

from ..framework import dtypes
from ..framework.context import executing_eagerly
from ..framework.errors import InvalidArgumentError, NotFoundError
from ..framework.nest import flatten
from ..ops.state import Variable, global_variables
from .checkpoint import assign_all
from .checkpoint_files import (FORMAT, META, STATE_FILE, Reader, atomic_write,
                               latest_checkpoint, npz_path, read_state, remove_stale_temporaries,
                               update_state_file)
from .optimizer import base_name, global_step


class Saver:
    """Save and restore variables by name. Each checkpoint is one `.npz` file (no
    `.index`/`.data`/`.meta`), and a value of another shape is refused (TF reshapes).

        saver = tf.compat.v1.train.Saver(max_to_keep=3)
        path = saver.save(sess, "/tmp/model/ckpt", global_step=step)    # ".../ckpt-<step>"
        saver.restore(sess, tf.compat.v1.train.latest_checkpoint("/tmp/model"))
    """

    def __init__(self, var_list=None, reshape=False, sharded=False, max_to_keep=5,
                 keep_checkpoint_every_n_hours=10000.0, name=None, restore_sequentially=False,
                 saver_def=None, builder=None, defer_build=False, allow_empty=False,
                 write_version=2, pad_step_number=False, save_relative_paths=False,
                 filename=None):
        if var_list is None and executing_eagerly():
            raise RuntimeError("When eager execution is enabled, `var_list` must specify a list "
                               "or dict of variables to save")
        self._var_list = var_list
        self._max_to_keep = max_to_keep
        self._keep_hours = keep_checkpoint_every_n_hours
        self._next_keep_time = time.time() + keep_checkpoint_every_n_hours * 3600
        self._allow_empty = allow_empty
        self._pad_step_number = pad_step_number
        self._filename = filename
        self._last = []                 # [(path, time saved)], oldest first
        self._lock = threading.Lock()   # one save at a time: the file, then the state file
        self._variables = None
        if not defer_build and not executing_eagerly():
            self.build()

    def build(self):
        """Resolve `var_list` to {name: variable} (graph mode: once, as TF builds its ops)."""
        self._variables = _names_to_variables(self._var_list, self._allow_empty)

    def _resolved(self):
        if self._variables is not None:
            return self._variables
        variables = _names_to_variables(self._var_list, self._allow_empty)
        if not executing_eagerly():
            self._variables = variables
        return variables

    # -- saving --------------------------------------------------------------------------------
    def save(self, sess, save_path, global_step=None, latest_filename=None,
             meta_graph_suffix="meta", write_meta_graph=True, write_state=True,
             strip_default_attrs=False, save_debug_info=False):
        """Write the variables to `<save_path>[-<global_step>].npz`; returns that path (without
        the suffix), which `restore` takes. Records it in the folder's state file and deletes
        the checkpoints beyond `max_to_keep` (`write_state=False`: neither)."""
        if not executing_eagerly() and not _is_session(sess):
            raise TypeError(f"'sess' must be a Session; {sess}")
        if latest_filename is not None and os.path.basename(latest_filename) != latest_filename:
            raise ValueError("'latest_filename' must not contain path components")
        save_path = os.fspath(save_path)
        path = save_path
        if global_step is not None:
            step = global_step if isinstance(global_step, numbers.Integral) else \
                _global_step_value(sess, global_step)
            path = f"{save_path}-{step:08d}" if self._pad_step_number else f"{save_path}-{step}"
        variables = self._resolved()
        if not variables:
            return None
        arrays = {name: var._resource.read() for name, var in variables.items()}
        arrays[META] = np.array(FORMAT)
        folder = os.path.dirname(save_path) or "."
        with self._lock:
            # what saves killed mid-write left (of this host, whose process is gone)
            remove_stale_temporaries(folder, re.compile(
                re.escape(os.path.basename(save_path)) + r"(-[0-9]+)?\.npz|" +
                re.escape(latest_filename or STATE_FILE)))
            atomic_write(npz_path(path), lambda f: np.savez(f, **arrays))
            if write_state:
                self._record(path, folder, latest_filename)
        return path

    def _record(self, path, folder, latest_filename):
        """Record `path` as the newest checkpoint, then delete those beyond `max_to_keep` (but
        one every `keep_checkpoint_every_n_hours`), then record the list again: killed at any
        point, the state file lists every checkpoint file left but the one being written (as
        CheckpointManager's, so that a Saver restarted with `recover_last_checkpoints` deletes
        them in time)."""
        if not self._max_to_keep:
            update_state_file(folder, path, [path], latest_filename)
            return
        self._last = [(p, t) for p, t in self._last if p != path] + [(path, time.time())]
        update_state_file(folder, path, [p for p, _ in self._last], latest_filename)
        if len(self._last) <= self._max_to_keep:
            return
        doomed = self._last[:-self._max_to_keep]
        self._last = self._last[-self._max_to_keep:]
        for old, saved in doomed:
            if self._keep_hours and saved - self._next_keep_time > 0:
                self._next_keep_time += self._keep_hours * 3600
                continue
            with contextlib.suppress(FileNotFoundError):
                os.remove(npz_path(old))
        update_state_file(folder, path, [p for p, _ in self._last], latest_filename)

    @property
    def last_checkpoints(self):
        """The paths of the checkpoints this Saver keeps, oldest first."""
        return [p for p, _ in self._last]

    def set_last_checkpoints(self, last_checkpoints):
        self._last = [(os.fspath(p), time.time()) for p in last_checkpoints]

    def set_last_checkpoints_with_time(self, last_checkpoints_with_time):
        self._last = [(os.fspath(p), float(t)) for p, t in last_checkpoints_with_time]

    def recover_last_checkpoints(self, checkpoint_paths):
        """Take over `checkpoint_paths` (those that exist, with their times) as the kept
        checkpoints, so that `max_to_keep` applies to them (after a restart)."""
        self._last = [(os.fspath(p), os.path.getmtime(npz_path(os.fspath(p))))
                      for p in checkpoint_paths if checkpoint_exists(os.fspath(p))]

    # -- restoring -----------------------------------------------------------------------------
    def restore(self, sess, save_path):
        """Assign every variable its value from the checkpoint `save_path`, all or nothing: a
        value missing (NotFoundError), of another dtype or shape (InvalidArgumentError), or a
        damaged file (DataLossError) changes no variable."""
        if save_path is None:
            raise ValueError("Can't load save_path when it is None.")
        save_path = os.fspath(save_path)
        if not checkpoint_exists(save_path):
            raise ValueError(f"The passed save_path is not a valid checkpoint: {save_path}")
        if not executing_eagerly() and not _is_session(sess):
            raise AttributeError(f"Saver.restore: 'sess' must be a Session in graph mode, got "
                                 f"{sess!r}")
        variables = self._resolved()
        with Reader(save_path) as reader:
            members = reader.members
            for name, var in variables.items():
                _check_member(save_path, name, members.get(name), var)
            values = {name: reader.read(members[name]) for name in variables}
        assign_all((var, values[name]) for name, var in variables.items())


def _is_session(sess):
    return callable(getattr(sess, "run", None))


def _global_step_value(sess, step):
    try:
        return global_step(sess, step)
    except (TypeError, ValueError) as e:
        raise TypeError(f"Saver.save: global_step must be an int, or a variable or tensor "
                        f"holding one, got {step!r}") from e


def _names_to_variables(var_list, allow_empty):
    """{checkpoint key: variable}: a dict's keys, or each variable's name without ':0'."""
    if var_list is None:
        var_list = global_variables()
    if isinstance(var_list, dict):
        found = {}
        for name, var in var_list.items():
            if not isinstance(var, Variable):
                raise TypeError("names_to_saveables must be a dict mapping string names to "
                                f"Tensors/Variables. Not a variable: {var!r}")
            found[str(name)] = var
    elif isinstance(var_list, (list, tuple, set)):
        found = {}
        for var in flatten(list(var_list)):
            if not isinstance(var, Variable):
                raise TypeError(f"Saver: var_list holds {var!r}, which is not a variable")
            name = base_name(var)
            if name in found and found[name] is not var:
                raise ValueError(f"At least two variables have the same name: {name}")
            found[name] = var
    else:
        raise TypeError(f"Variables to save should be passed in a dict or a list. Got {var_list}")
    if not found and not allow_empty:
        raise ValueError("No variables to save")
    return found


def _check_member(path, name, member, var):
    if member is None:
        raise NotFoundError(f"Restoring from checkpoint failed: key {name!r} (variable "
                            f"{var.name}) not found in checkpoint {path}; no variable was "
                            "restored.")
    if member.dtype != var.dtype.np:
        raise InvalidArgumentError(f"Restoring from checkpoint failed: {name!r} holds "
                                   f"{member.dtype}, but the variable {var.name} is "
                                   f"{var.dtype.name}; no variable was restored.")
    if not var.shape.is_compatible_with(member.shape):
        raise InvalidArgumentError(f"Restoring from checkpoint failed: {name!r} has shape "
                                   f"{list(member.shape)}, but the variable {var.name} has shape "
                                   f"{var.shape}; no variable was restored.")


# -- finding and reading checkpoints -----------------------------------------------------------

class CheckpointState:
    """What a folder's state file records: `model_checkpoint_path` (the newest) and
    `all_model_checkpoint_paths` (oldest first), as paths joined to the folder."""

    def __init__(self, model_checkpoint_path, all_model_checkpoint_paths):
        self.model_checkpoint_path = model_checkpoint_path
        self.all_model_checkpoint_paths = list(all_model_checkpoint_paths)

    def __repr__(self):
        return (f'model_checkpoint_path: "{self.model_checkpoint_path}"\n' + "".join(
            f'all_model_checkpoint_paths: "{p}"\n' for p in self.all_model_checkpoint_paths))


def get_checkpoint_state(checkpoint_dir, latest_filename=None):
    """The CheckpointState of `checkpoint_dir`, or None where it has no state file."""
    checkpoint_dir = os.fspath(checkpoint_dir)
    state = read_state(os.path.join(checkpoint_dir, latest_filename or STATE_FILE))
    if state is None or not state[0]:
        return None
    latest, listed = state
    return CheckpointState(os.path.join(checkpoint_dir, latest),
                           [os.path.join(checkpoint_dir, p) for p in listed])


def checkpoint_exists(checkpoint_prefix):
    """Whether a checkpoint was saved at `checkpoint_prefix` (its .npz file exists)."""
    return os.path.isfile(npz_path(os.fspath(checkpoint_prefix)))


def _checkpoint_file(ckpt_dir_or_file, what):
    path = os.fspath(ckpt_dir_or_file)
    if os.path.isdir(path):
        found = latest_checkpoint(path)
        if found is None:
            raise ValueError(f"{what}: couldn't find 'checkpoint' file or checkpoints in given "
                             f"directory {path}")
        return found
    return path


class CheckpointReader:
    """The values of one checkpoint, by name (tf.train.load_checkpoint's reader); each value is
    read when asked for (its header checked when the file is opened)."""

    def __init__(self, path):
        self._path = path
        with Reader(path) as reader:
            self._members = dict(reader.members)

    def get_variable_to_shape_map(self):
        return {name: list(m.shape) for name, m in self._members.items()}

    def get_variable_to_dtype_map(self):
        return {name: dtypes.as_dtype(m.dtype) for name, m in self._members.items()}

    def has_tensor(self, name):
        return name in self._members

    def get_tensor(self, name):
        if name not in self._members:
            raise NotFoundError(f"Key {name} not found in checkpoint {self._path}")
        with Reader(self._path) as reader:
            member = reader.members.get(name)
            if member is None:
                raise NotFoundError(f"Key {name} not found in checkpoint {self._path}")
            return reader.read(member)


def load_checkpoint(ckpt_dir_or_file):
    """A CheckpointReader of the checkpoint (a folder: its newest)."""
    return CheckpointReader(_checkpoint_file(ckpt_dir_or_file, "load_checkpoint"))


def list_variables(ckpt_dir_or_file):
    """[(name, shape)] of the values in the checkpoint, sorted by name."""
    reader = load_checkpoint(ckpt_dir_or_file)
    return sorted(reader.get_variable_to_shape_map().items())


def load_variable(ckpt_dir_or_file, name):
    """The value saved under `name` (a trailing ':0' is ignored), as a NumPy array."""
    if name.endswith(":0"):
        name = name[:-2]
    return load_checkpoint(ckpt_dir_or_file).get_tensor(name)
