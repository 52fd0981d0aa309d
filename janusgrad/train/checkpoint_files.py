"""Checkpoint files on disk: written atomically, read headers first, listed in a state file.

Writing: a file is written to a temporary file beside it, flushed to disk, then renamed over
it, so a crash never leaves half a checkpoint. The temporary file is named after its target,
this host and this process (`.<name>.<host>-<pid>.<random>.jgtmp`) and is locked while written,
so that the next save of a CheckpointManager can tell those of killed writers (removed) from
those of live ones (kept).

Reading never unpickles and never inflates what it does not need: each member's .npy header
is read first and checked (an array of a plain dtype whose shape fits the member's size); a
member is read only when asked for, its CRC checked.

The state file (a folder's "checkpoint" file) lists the checkpoints of a folder, newest last,
as TF keeps them.
"""
import codecs
import contextlib
import math
import os
import re
import secrets
import socket
import zipfile

import numpy as np

from ..framework.errors import DataLossError, NotFoundError

try:
    import fcntl
except ImportError:                 # not POSIX: temporary files are not locked
    fcntl = None

FORMAT = "janusgrad-checkpoint-1"
META = "__janusgrad_checkpoint__"       # the member holding FORMAT
STATE_FILE = "checkpoint"


def npz_path(path):
    return path if path.endswith(".npz") else path + ".npz"


# -- writing: temporary files, renamed into place ---------------------------------------------

_HOST = re.sub(r"[^A-Za-z0-9_]", "_", socket.gethostname())[:40] or "host"
_TEMPORARY = re.compile(r"\.(?P<target>.+)\.(?P<host>[A-Za-z0-9_]+)-(?P<pid>[0-9]+)"
                        r"\.[0-9a-f]+\.jgtmp")
_WRITING = set()        # the temporary files this process is writing now
# a lock is held by the open file: kept open through the rename where renaming an open file
# is allowed (POSIX, where the locks are)
_RENAME_OPEN = fcntl is not None


def atomic_write(path, write):
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


def remove_stale_temporaries(folder, targets):
    """Remove the temporary files that writers killed mid-write left in `folder` for a target
    whose name matches `targets`. Only files named as `atomic_write` names them, written on
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


class Reader:
    """An open checkpoint file whose members' headers are read and checked: `members` maps
    each value's name to its `_Member`; `read(member)` reads one value."""

    def __init__(self, save_path):
        self.path = npz_path(save_path)
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
            if META + ".npy" not in names:
                raise DataLossError(f"{self.path} is not a janusgrad checkpoint (it has no "
                                    f"{META!r} entry); nothing was restored.")
            self.members = {}
            for info in self._zip.infolist():
                name = info.filename
                key = name[:-4] if name.endswith(".npy") else name
                if key in self.members:
                    raise self._bad_entry(key, "appears twice")
                self.members[key] = self._header(key, info)
            meta = self.members.pop(META)
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


def update_state_file(folder, latest, all_paths, filename=None):
    """Record `latest` and `all_paths` (oldest first), relative to `folder`, atomically, in
    `folder`'s state file (`filename`, default "checkpoint")."""
    def line(key, path):
        return f'{key}: "{_escape(os.path.relpath(path, folder))}"\n'
    text = line("model_checkpoint_path", latest) + "".join(
        line("all_model_checkpoint_paths", p) for p in all_paths)
    atomic_write(os.path.join(folder, filename or STATE_FILE),
                 lambda f: f.write(text.encode("utf-8")))


def read_state(state_path):
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
    state = read_state(os.path.join(checkpoint_dir, latest_filename or STATE_FILE))
    if state is None or not state[0]:
        return None
    path = os.path.join(checkpoint_dir, state[0])
    return path if os.path.exists(npz_path(path)) else None
