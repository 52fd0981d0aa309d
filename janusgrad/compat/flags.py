"""tf.compat.v1.flags (tf.flags, tf.app.flags): absl-py's flags, as TF re-exports them.

absl-py is an optional dependency (`pip install "janusgrad[tf1]"`); it is imported on the first
use of a name here, and without it that use is an ImportError that says so. As in TF, `FLAGS`
parses sys.argv when a flag is first read before the program parsed them, and the DEFINE
functions also take TF 1's argument names (flag_name, default_value, docstring).
"""
import logging
import sys

from ..framework.missing import missing_attribute as _missing_attribute
from ..framework.missing import register_namespace as _register_namespace

_register_namespace(__name__, "tf.compat.v1.flags")

_RENAMED = {"flag_name": "name", "default_value": "default", "docstring": "help"}


def absl_flags():
    """absl.flags, or the ImportError that names the extra that installs it."""
    try:
        from absl import flags
    except ImportError as e:
        raise ImportError("tf.compat.v1.flags (tf.flags, tf.app.flags) uses absl-py, which is "
                          "not installed: pip install \"janusgrad[tf1]\" (or absl-py)",
                          name="absl") from e
    return flags


def _define(define):
    def wrapper(*args, **kwargs):
        renamed = [old for old in _RENAMED if old in kwargs]
        for old in renamed:
            kwargs[_RENAMED[old]] = kwargs.pop(old)
        if renamed:
            logging.warning("Use of the keyword argument names (flag_name, default_value, "
                            "docstring) is deprecated, please use (name, default, help) instead.")
        return define(*args, **kwargs)

    wrapper.__name__ = wrapper.__qualname__ = define.__name__
    wrapper.__doc__ = define.__doc__
    return wrapper


class FlagValuesWrapper:
    """absl's FLAGS, except that reading a flag before the flags were parsed parses sys.argv."""

    def __init__(self, flag_values):
        self.__dict__["_wrapped"] = flag_values

    def __getattr__(self, name):
        wrapped = self.__dict__["_wrapped"]
        if not name.startswith("__") and not wrapped.is_parsed():
            wrapped(sys.argv)
        return getattr(wrapped, name)

    def __setattr__(self, name, value):
        setattr(self.__dict__["_wrapped"], name, value)

    def __delattr__(self, name):
        delattr(self.__dict__["_wrapped"], name)

    def __dir__(self):
        return dir(self.__dict__["_wrapped"])

    def __getitem__(self, name):
        return self.__dict__["_wrapped"][name]

    def __setitem__(self, name, flag):
        self.__dict__["_wrapped"][name] = flag

    def __contains__(self, name):
        return name in self.__dict__["_wrapped"]

    def __len__(self):
        return len(self.__dict__["_wrapped"])

    def __iter__(self):
        return iter(self.__dict__["_wrapped"])

    def __str__(self):
        return str(self.__dict__["_wrapped"])

    def __call__(self, *args, **kwargs):
        return self.__dict__["_wrapped"](*args, **kwargs)


def __getattr__(name):
    if name.startswith("_"):
        raise _missing_attribute(__name__, name)
    flags = absl_flags()
    if name == "FLAGS":
        value = FlagValuesWrapper(flags.FLAGS)
    elif name in ("DEFINE_string", "DEFINE_boolean", "DEFINE_bool", "DEFINE_float",
                  "DEFINE_integer"):
        value = _define(getattr(flags, name))
    elif hasattr(flags, name):
        value = getattr(flags, name)
    else:
        raise _missing_attribute(__name__, name)
    globals()[name] = value
    return value


def __dir__():
    try:
        names = [n for n in dir(absl_flags()) if not n.startswith("_")]
    except ImportError:
        names = []
    return sorted(set(globals()) | set(names))
