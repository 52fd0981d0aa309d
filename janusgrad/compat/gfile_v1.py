"""tf.compat.v1.gfile (tf.gfile): TF 1's names for tf.io.gfile's functions."""
from ..framework.missing import missing_names as _missing_names
from . import gfile
from .gfile import GFile

Open = GFile
FastGFile = GFile


def Copy(oldpath, newpath, overwrite=False):  # noqa: N802  (TF 1's names)
    gfile.copy(oldpath, newpath, overwrite)


def DeleteRecursively(dirname):  # noqa: N802
    gfile.rmtree(dirname)


def Exists(filename):  # noqa: N802
    return gfile.exists(filename)


def Glob(filename):  # noqa: N802
    return gfile.glob(filename)


def IsDirectory(dirname):  # noqa: N802
    return gfile.isdir(dirname)


def ListDirectory(dirname):  # noqa: N802
    return gfile.listdir(dirname)


def MakeDirs(dirname):  # noqa: N802
    gfile.makedirs(dirname)


def MkDir(dirname):  # noqa: N802
    gfile.mkdir(dirname)


def Remove(filename):  # noqa: N802
    gfile.remove(filename)


def Rename(oldname, newname, overwrite=False):  # noqa: N802
    gfile.rename(oldname, newname, overwrite)


def Stat(filename):  # noqa: N802
    return gfile.stat(filename)


def Walk(top, in_order=True):  # noqa: N802
    return gfile.walk(top, topdown=in_order)


__getattr__ = _missing_names(__name__, "tf.compat.v1.gfile")
