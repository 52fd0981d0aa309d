"""tf.compat.v1.gfile (tf.gfile): TF 1's names for tf.io.gfile's functions."""
from ..framework.missing import missing_names as _missing_names
from . import gfile
from .gfile import GFile

Open = GFile
FastGFile = GFile


def Copy(oldpath, newpath, overwrite=False):  # noqa: N802  (TF 1's names)
    """TF1's name for `tf.io.gfile.copy`: copy the file `oldpath` to `newpath`."""
    gfile.copy(oldpath, newpath, overwrite)


def DeleteRecursively(dirname):  # noqa: N802
    """TF1's name for `tf.io.gfile.rmtree`: delete a directory and everything under it."""
    gfile.rmtree(dirname)


def Exists(filename):  # noqa: N802
    """TF1's name for `tf.io.gfile.exists`: whether the path exists."""
    return gfile.exists(filename)


def Glob(filename):  # noqa: N802
    """TF1's name for `tf.io.gfile.glob`: the paths that match a pattern."""
    return gfile.glob(filename)


def IsDirectory(dirname):  # noqa: N802
    """TF1's name for `tf.io.gfile.isdir`: whether the path is a directory."""
    return gfile.isdir(dirname)


def ListDirectory(dirname):  # noqa: N802
    """TF1's name for `tf.io.gfile.listdir`: the entries of a directory."""
    return gfile.listdir(dirname)


def MakeDirs(dirname):  # noqa: N802
    """TF1's name for `tf.io.gfile.makedirs`: create a directory and its missing parents."""
    gfile.makedirs(dirname)


def MkDir(dirname):  # noqa: N802
    """TF1's name for `tf.io.gfile.mkdir`: create one directory."""
    gfile.mkdir(dirname)


def Remove(filename):  # noqa: N802
    """TF1's name for `tf.io.gfile.remove`: delete a file."""
    gfile.remove(filename)


def Rename(oldname, newname, overwrite=False):  # noqa: N802
    """TF1's name for `tf.io.gfile.rename`: rename a file or directory."""
    gfile.rename(oldname, newname, overwrite)


def Stat(filename):  # noqa: N802
    """TF1's name for `tf.io.gfile.stat`: a file's FileStatistics."""
    return gfile.stat(filename)


def Walk(top, in_order=True):  # noqa: N802
    """TF1's name for `tf.io.gfile.walk`: (dirname, subdirs, files) for each directory under `top`.
    """
    return gfile.walk(top, topdown=in_order)


__getattr__ = _missing_names(__name__, "tf.compat.v1.gfile")
