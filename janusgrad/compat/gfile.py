"""tf.io.gfile on local paths: TF's functions, arguments and errors (tf.errors.NotFoundError for a
missing file, AlreadyExistsError, FailedPreconditionError, PermissionDeniedError), through
os, shutil and glob. A path with a scheme other than file:// (gs://, hdfs://, s3://...) is a
tf.errors.UnimplementedError: janusgrad has no file systems beyond the local one.
"""
import collections
import errno
import glob as _glob
import os
import shutil

from ..framework.errors import (AlreadyExistsError, FailedPreconditionError,
                                InvalidArgumentError, NotFoundError, PermissionDeniedError,
                                UnimplementedError)
from ..framework.missing import missing_names as _missing_names

FileStatistics = collections.namedtuple("FileStatistics", ["length", "mtime_nsec",
                                                           "is_directory"])


def local(path):
    """`path` (str, bytes or path-like) as a local path string."""
    path = os.fsdecode(os.fspath(path))
    if path.startswith("file://"):
        return path[len("file://"):]
    scheme = path.split("://", 1)[0] if "://" in path else ""
    if scheme and scheme.isidentifier():
        raise UnimplementedError(f"File system scheme '{scheme}' not implemented (file: "
                                 f"'{path}'): janusgrad's gfile reads local paths only")
    return path


def op_error(e, path):
    """TF's error class for an OSError."""
    text = f"{path}; {e.strerror or e}"
    if e.errno == errno.ENOENT:
        return NotFoundError(text)
    if e.errno == errno.EEXIST:
        return AlreadyExistsError(text)
    if e.errno in (errno.EACCES, errno.EPERM):
        return PermissionDeniedError(text)
    return FailedPreconditionError(text)


def exists(path):
    """Whether `path` exists. Local paths only."""
    return os.path.exists(local(path))


def isdir(path):
    """Whether `path` is a directory. Local paths only."""
    return os.path.isdir(local(path))


def join(path, *paths):
    """Join path components, as `os.path.join`."""
    return os.path.join(path, *paths)


def listdir(path):
    """The entries of the directory `path` (NotFoundError if it is not one). Local paths only."""
    p = local(path)
    if not os.path.isdir(p):
        raise NotFoundError(f"Could not find directory {path}")
    return os.listdir(p)


def glob(pattern):
    """The paths that match `pattern` (or any of a list of patterns)."""
    patterns = [pattern] if isinstance(pattern, (str, bytes, os.PathLike)) else list(pattern)
    found = []
    for p in patterns:
        found.extend(_glob.glob(local(p)))
    return found


def mkdir(path):
    """Makes one directory (its parent must exist); an existing one is fine, as in TF."""
    p = local(path)
    try:
        os.mkdir(p)
    except FileExistsError:
        if not os.path.isdir(p):
            raise FailedPreconditionError(f"{path} is not a directory") from None
    except OSError as e:
        raise op_error(e, path) from None


def makedirs(path):
    """Create the directory `path` and any missing parents (no error if it exists). Local paths
    only."""
    p = local(path)
    try:
        os.makedirs(p, exist_ok=True)
    except FileExistsError:
        raise FailedPreconditionError(f"{path} is not a directory") from None
    except OSError as e:
        raise op_error(e, path) from None


def remove(path):
    """Deletes a file (a directory is a FailedPreconditionError: use rmtree)."""
    p = local(path)
    if os.path.isdir(p) and not os.path.islink(p):
        raise FailedPreconditionError(f"{path}; Is a directory")
    try:
        os.remove(p)
    except OSError as e:
        raise op_error(e, path) from None


def rmtree(path):
    """Deletes a directory and everything in it (or a file)."""
    p = local(path)
    if not os.path.lexists(p):
        raise NotFoundError(f"{path} not found")
    try:
        if os.path.isdir(p) and not os.path.islink(p):
            shutil.rmtree(p)
        else:
            os.remove(p)
    except OSError as e:
        raise op_error(e, path) from None


def copy(src, dst, overwrite=False):
    """Copy the file `src` to `dst` (AlreadyExistsError if `dst` exists, unless `overwrite`). Local
    paths only."""
    s, d = local(src), local(dst)
    if not overwrite and os.path.exists(d):
        raise AlreadyExistsError(f"{dst}: file already exists")
    try:
        shutil.copyfile(s, d)
    except OSError as e:
        raise op_error(e, src if not os.path.exists(s) else dst) from None


def rename(src, dst, overwrite=False):
    """Rename `src` to `dst` (AlreadyExistsError if `dst` exists, unless `overwrite`). Local paths
    only."""
    s, d = local(src), local(dst)
    if not overwrite and os.path.exists(d):
        raise AlreadyExistsError(f"{dst}: file already exists")
    try:
        os.replace(s, d)
    except OSError as e:
        raise op_error(e, src) from None


def stat(path):
    """The FileStatistics (length, mtime_nsec, is_directory) of `path`. Local paths only."""
    try:
        st = os.stat(local(path))
    except OSError as e:
        raise op_error(e, path) from None
    return FileStatistics(st.st_size, st.st_mtime_ns, os.path.isdir(local(path)))


def walk(top, topdown=True, onerror=None):
    """(directory, subdirectory names, file names) for `top` and each directory under it."""
    top = local(top)
    if not os.path.isdir(top):
        return
    yield from os.walk(top, topdown=topdown, onerror=onerror)


def get_registered_schemes():
    """The file system schemes janusgrad can open: ['file'] (local paths)."""
    return ["file"]


_MODES = ("r", "w", "a", "r+", "w+", "a+")


class GFile:
    """A file: TF's GFile on a local path. Opened on first use (so a missing file is a
    NotFoundError when read, not when made); text modes read str and write str or bytes,
    "b" modes read bytes."""

    def __init__(self, name, mode="r"):
        if mode.replace("b", "") not in _MODES:
            raise InvalidArgumentError("mode is not 'r' or 'w' or 'a' or 'r+' or 'w+' or 'a+'")
        self.__name = name
        self.__mode = mode
        self.__binary = "b" in mode
        self.__file = None

    @property
    def name(self):
        return self.__name

    @property
    def mode(self):
        return self.__mode

    def __open(self):
        if self.__file is None:
            try:
                self.__file = open(local(self.__name), self.__mode.replace("b", "") + "b")
            except OSError as e:
                raise op_error(e, self.__name) from None
        return self.__file

    def __text(self, data):
        return data if self.__binary else data.decode("utf-8")

    def size(self):
        return stat(self.__name).length

    def read(self, n=-1):
        return self.__text(self.__open().read(n))

    def readline(self):
        return self.__text(self.__open().readline())

    def readlines(self):
        return [self.__text(line) for line in self.__open().readlines()]

    def __iter__(self):
        return self

    def __next__(self):
        line = self.readline()
        if not line:
            raise StopIteration
        return line

    next = __next__

    def write(self, file_content):
        data = file_content.encode("utf-8") if isinstance(file_content, str) else file_content
        self.__open().write(data)

    def seek(self, offset=None, whence=0, position=None):
        if position is not None:
            offset = position
        self.__open().seek(offset, whence)

    def tell(self):
        return self.__open().tell()

    def seekable(self):
        return True

    def flush(self):
        if self.__file is not None:
            self.__file.flush()

    def close(self):
        if self.__file is not None:
            self.__file.close()
            self.__file = None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()


__getattr__ = _missing_names(__name__, "tf.io.gfile")
