"""tf.compat.v1.logging (and tf.get_logger): TF's logging, through Python's `logging`.

As in TF: one logger named "tensorflow"; when the root logger has no handler, it gets its own
handler on stderr with the format "INFO:tensorflow:message"; its verbosity starts at WARN (INFO
in an interactive session, where it writes to stdout); `set_verbosity` takes a level number or
name. `log_every_n` and `log_first_n` count the calls of each call site (TF counts by the
caller's caller, so that calls made from a module's top level all share one count).
"""
import sys
import threading

# Python's logging levels (logging itself is imported on first use: it costs a tenth of
# janusgrad's import time, and tf.get_logger is on janusgrad's top level)
DEBUG, INFO, WARN, ERROR, FATAL = 10, 20, 30, 40, 50

_logger = []
_lock = threading.Lock()
_counts = {}


def get_logger():
    """The "tensorflow" logger of Python's logging, set up as TF sets it up."""
    if _logger:
        return _logger[0]
    import logging
    with _lock:
        if not _logger:
            logger = logging.getLogger("tensorflow")
            if not logging.getLogger().handlers:
                interactive = hasattr(sys, "ps1") or sys.flags.interactive
                if interactive:
                    logger.setLevel(INFO)
                handler = logging.StreamHandler(sys.stdout if interactive else sys.stderr)
                handler.setFormatter(logging.Formatter(logging.BASIC_FORMAT, None))
                logger.addHandler(handler)
            _logger.append(logger)
    return _logger[0]


def log(level, msg, *args, **kwargs):
    """Log a message at `level` on TF's 'tensorflow' logger."""
    kwargs.setdefault("stacklevel", 2)     # the record names the caller's line
    get_logger().log(level, msg, *args, **kwargs)


def debug(msg, *args, **kwargs):
    """Log a message at DEBUG level on TF's 'tensorflow' logger."""
    kwargs.setdefault("stacklevel", 2)
    get_logger().debug(msg, *args, **kwargs)


def info(msg, *args, **kwargs):
    """Log a message at INFO level on TF's 'tensorflow' logger."""
    kwargs.setdefault("stacklevel", 2)
    get_logger().info(msg, *args, **kwargs)


def warning(msg, *args, **kwargs):
    """Log a message at WARNING level on TF's 'tensorflow' logger."""
    kwargs.setdefault("stacklevel", 2)
    get_logger().warning(msg, *args, **kwargs)


def warn(msg, *args, **kwargs):
    """Log a message at WARNING level on TF's 'tensorflow' logger."""
    kwargs.setdefault("stacklevel", 2)
    get_logger().warning(msg, *args, **kwargs)


def error(msg, *args, **kwargs):
    """Log a message at ERROR level on TF's 'tensorflow' logger."""
    kwargs.setdefault("stacklevel", 2)
    get_logger().error(msg, *args, **kwargs)


def fatal(msg, *args, **kwargs):
    """Log a message at FATAL level on TF's 'tensorflow' logger."""
    kwargs.setdefault("stacklevel", 2)
    get_logger().fatal(msg, *args, **kwargs)


def vlog(level, msg, *args, **kwargs):
    """Log a message at `level` (TF's verbose log, the same as `log`)."""
    kwargs.setdefault("stacklevel", 2)
    get_logger().log(level, msg, *args, **kwargs)


def log_if(level, msg, condition, *args):
    """Log a message at `level` if `condition` is true."""
    if condition:
        get_logger().log(level, msg, *args, stacklevel=2)


def _count():
    """How many times the caller's call site has asked before (0 the first time)."""
    frame = sys._getframe(2)
    key = (frame.f_code.co_filename, frame.f_lineno)
    with _lock:
        _counts[key] = _counts.get(key, -1) + 1
        return _counts[key]


def log_every_n(level, msg, n, *args):
    """Logs the 1st, (n+1)th, (2n+1)th... call of this call site."""
    if not _count() % n:
        get_logger().log(level, msg, *args, stacklevel=2)


def log_first_n(level, msg, n, *args):
    """Logs the first n calls of this call site."""
    if _count() < n:
        get_logger().log(level, msg, *args, stacklevel=2)


def TaskLevelStatusMessage(msg):  # noqa: N802  (TF's name)
    """Log `msg` at ERROR level."""
    get_logger().error(msg, stacklevel=2)


def flush():
    """Raises NotImplementedError, as TF's does."""
    raise NotImplementedError("tf.compat.v1.logging.flush is not implemented (in TF either)")


def get_verbosity():
    """The effective level of TF's 'tensorflow' logger (WARN by default, INFO in an interactive
    session)."""
    return get_logger().getEffectiveLevel()


def set_verbosity(v):
    """A level number (tf.compat.v1.logging.INFO, 20) or name ("INFO"); Python's ValueError
    for an unknown name, as in TF."""
    get_logger().setLevel(v)


# -- a name janusgrad lacks is a clear error --
from ..framework.missing import missing_names as _missing_names  # noqa: E402
__getattr__ = _missing_names(__name__, "tf.compat.v1.logging")
