"""tf.train.CheckpointManager: numbered saves in one folder, the newest `max_to_keep` kept.

It orders a save as TF's does: the checkpoint is written, then the state file (the folder's
"checkpoint" file) records it, atomically, and only then are the checkpoints that fall out of
`max_to_keep` deleted (and the state recorded again), so a job killed at any point restarts
from a checkpoint that exists. It never reads nor deletes a file outside its folder.
"""
import contextlib
import os
import re
import warnings

import numpy as np

from .checkpoint_files import (STATE_FILE, npz_path, read_state, remove_stale_temporaries,
                               update_state_file)


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
        state_path = os.path.join(self._directory, STATE_FILE)
        state = read_state(state_path)
        if state is None:
            return []
        latest, listed = state
        names = [p for p in listed if p != latest] + ([latest] if latest is not None else [])
        kept = []
        for name in names:
            path = self._inside(name, state_path)
            if path is not None and path not in kept and os.path.exists(npz_path(path)):
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
        remove_stale_temporaries(self._folder, re.compile(re.escape(name) + r"-[0-9]+\.npz"))
        remove_stale_temporaries(self._directory, re.compile(re.escape(STATE_FILE)))
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
        update_state_file(self._directory, self._kept[-1], self._kept)

    def _delete(self, path):
        if os.path.join(self._folder, os.path.basename(path)) != path:
            return                                      # never outside the folder
        with contextlib.suppress(FileNotFoundError):
            os.remove(npz_path(path))
