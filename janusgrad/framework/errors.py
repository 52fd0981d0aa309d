"""Error classes: each subclasses the builtin that TensorFlow's counterpart behaves as."""
import reprlib
import sys


class OpError(Exception):
    """Base of run-time op errors (TF's `tf.errors.OpError`)."""


class InvalidArgumentError(OpError, ValueError):
    """An op received an invalid argument (inputs of two dtypes, an index or axis out of range
    ...). janusgrad's also derives from ValueError (TF's only from OpError)."""
    pass


class FailedPreconditionError(OpError, RuntimeError):
    """E.g. reading a variable that was never initialized."""


class NotFoundError(OpError, LookupError):
    """A file or other entity was not found. janusgrad's also derives from LookupError (TF's only
    from OpError)."""
    pass


class UnimplementedError(OpError, NotImplementedError):
    """The operation is not implemented or supported. janusgrad's also derives from
    NotImplementedError (TF's only from OpError)."""
    pass


class DataLossError(OpError, ValueError):
    """Unrecoverable data loss or corruption, e.g. a truncated checkpoint file."""


# -- files (issue 18: tf.io.gfile); as in TF, OpErrors and no builtin's subclasses --
class AlreadyExistsError(OpError):
    """An entity to be created exists already (a file, with `overwrite=False`)."""
    pass


class PermissionDeniedError(OpError):
    """The caller may not do this (a file it may not read or write)."""
    pass


# -- distributed training (issue 23): a replica that died; as TF's collectives, an OpError --
class UnavailableError(OpError):
    """A peer (another replica's process) is gone: the step cannot finish."""


# -- tf.function (issue 19): Python control flow on a symbolic tensor; as TF, a TypeError --
class OperatorNotAllowedInGraphError(TypeError):
    """A Python `if`, `while`, `bool()` or `for` on a symbolic tensor (there is no AutoGraph)."""


def op_error(op_type, name, message, cls=ValueError):
    """An error that names the op (and the node, in graph mode) before saying what went wrong."""
    where = f"'{op_type}'" if not name else f"'{op_type}' (node {name})"
    return cls(f"{where}: {message}")


_GENERIC = frozenset({"public", "wrapped", "wrapper", "decorated", "inner"})


def api_name():
    """The public janusgrad function the user called, found on the stack (so only errors pay
    for it): the outermost janusgrad frame with a public name before the user's own code."""
    frame = sys._getframe(1)
    name = None
    while frame is not None:
        if not frame.f_globals.get("__name__", "").startswith("janusgrad."):
            break
        code = frame.f_code.co_name
        if code == "public":                      # an @op function: its op type
            name = frame.f_locals.get("op_type", name)
        elif code == "__call__" or not code.startswith(("_", "<")) and code not in _GENERIC:
            owner = frame.f_locals.get("self") if "self" in frame.f_code.co_varnames else None
            if owner is None:
                name = code
            else:
                name = type(owner).__name__ + ("" if code == "__call__" else "." + code)
        frame = frame.f_back
    return name


def in_api(message):
    """`message` with the public function being called in front, unless it already names it."""
    name = api_name()
    if name is None or name.lower().replace("_", "") in message.lower().replace("_", ""):
        return message
    return f"{name}: {message}"


_REPR = reprlib.Repr()
_REPR.maxstring = _REPR.maxother = 40


def short_repr(value):
    """repr(value) cut to a readable length (and depth: a list nested 5000 deep is fine)."""
    return _REPR.repr(value)
