"""tf.summary (TF2): file writers, the default writer and step (per thread, as TF's), record_if,
and scalar / histogram / text / write. Eagerly a summary is written at once; in a graph (a
tf.function being traced) it is a WriteSummary op that writes each time it runs. Each returns
a bool tensor: whether it wrote (False without a default writer, or when record_if says no).
"""
import os
import threading

import numpy as np

from ..framework import dtypes
from ..framework.context import current_graph
from ..framework.errors import UnimplementedError
from ..framework.execute import execute
from ..framework.tensor import EagerTensor, Tensor, constant, convert_to_tensor
from ..ops.control import eager_name_scope
from ..ops.state import Variable
from . import events
from . import ops as _ops  # noqa: F401  (registers the summary ops)


class _State(threading.local):
    def __init__(self):
        self.writer = None          # the default writer
        self.step = None            # tf.summary.experimental.set_step's
        self.recording = True       # record_if's condition: bool, callable or bool tensor


STATE = _State()


class SummaryWriter:
    """tf.summary.SummaryWriter: writes summaries to one event file (create_file_writer)."""

    def __init__(self, logdir, filename_suffix=None):
        self._file = None
        if logdir is not None:
            suffix = f".{os.getpid()}.{events.next_number()}.v2" + (filename_suffix or "")
            self._file = events.EventFile(os.fspath(logdir), suffix)
        self._closed = False

    @property
    def closed(self):
        return self._closed

    def as_default(self, step=None):
        """Make this the default writer (and `step` the default step) inside a `with`; the
        writer is flushed when the block ends."""
        if self._closed:
            raise RuntimeError(f"SummaryWriter {self!r} is already closed")
        return _Default(self, step)

    def set_as_default(self, step=None):
        if self._closed:
            raise RuntimeError(f"SummaryWriter {self!r} is already closed")
        STATE.writer = self
        if step is not None:
            STATE.step = step

    def init(self):
        """Nothing to do: the event file was made with the writer."""
        if self._closed:
            raise RuntimeError(f"SummaryWriter {self!r} is already closed")

    def flush(self):
        if self._file is not None and not self._closed:
            self._file.flush()

    def close(self):
        if self._file is not None and not self._closed:
            self._file.close()
        self._closed = True

    def write_value(self, tag, value, step, plugin, buckets=None):
        """Write the NumPy `value` of a summary as `plugin` stores it, at `step`."""
        if self._file is None or self._closed:
            return
        if plugin == "scalars":
            value = np.asarray(value, np.float32)
        elif plugin == "histograms":
            value = events.histogram_v2(value, buckets)
        summary = events.summary_v2(tag, value, plugin)
        if summary is not None:
            self._file.add_summary(summary, step)


class _Default:
    __slots__ = ("writer", "step", "old")

    def __init__(self, writer, step):
        self.writer, self.step = writer, step

    def __enter__(self):
        self.old = (STATE.writer, STATE.step)
        STATE.writer = self.writer
        if self.step is not None:
            STATE.step = self.step
        return self.writer

    def __exit__(self, *exc):
        self.writer.flush()
        STATE.writer = self.old[0]
        if self.step is not None:
            STATE.step = self.old[1]
        return False


def create_file_writer(logdir, max_queue=None, flush_millis=None, filename_suffix=None,
                       name=None, experimental_trackable=False, experimental_mesh=None):
    """A SummaryWriter whose event file is made now in `logdir` (written through tensorboardX:
    without janusgrad's `tensorboard` extra, one warning and nothing is written)."""
    if logdir is None:
        raise ValueError("create_file_writer: Argument `logdir` cannot be None")
    if not isinstance(logdir, (str, bytes, os.PathLike)):
        raise TypeError(f"create_file_writer: `logdir` must be a path, got {logdir!r}")
    return SummaryWriter(logdir, filename_suffix)


def create_noop_writer():
    """A writer that writes nothing."""
    return SummaryWriter(None)


class record_if:
    """Inside, summaries are written only when `condition` (a bool, a bool tensor or a callable
    returning one) holds."""

    def __init__(self, condition):
        self.condition = condition

    def __enter__(self):
        self.old = STATE.recording
        STATE.recording = self.condition

    def __exit__(self, *exc):
        STATE.recording = self.old
        return False


def _condition():
    """record_if's condition now: True, False, or a graph tensor (decided when it runs)."""
    c = STATE.recording
    if callable(c):
        c = c()
    if isinstance(c, Variable):
        c = c.value()
    if isinstance(c, EagerTensor):
        return bool(c._value)
    if isinstance(c, Tensor):
        return c
    return bool(c)


def should_record_summaries():
    """Whether summaries are written now (a default writer, and record_if's condition)."""
    if STATE.writer is None:
        return constant(False)
    c = _condition()
    return c if isinstance(c, Tensor) else constant(c)


def flush(writer=None, name=None):
    """Flush `writer` (default: the default writer)."""
    writer = writer if writer is not None else STATE.writer
    if writer is not None:
        writer.flush()


def set_step(step):
    STATE.step = step


def get_step():
    return STATE.step


def summary_tag(name):
    """TF2's tag: the name under the current name scope (graph or eager), never numbered."""
    graph = current_graph()
    scope = graph.get_name_scope() if graph is not None else eager_name_scope()
    return f"{scope}/{name}" if scope else name


def write(tag, tensor, step=None, metadata=None, name=None):
    """Write `tensor` under `tag` (as it is, with the plugin named in `metadata`, a
    SummaryMetadata, if any); True when written."""
    plugin = getattr(getattr(metadata, "plugin_data", None), "plugin_name", "") or ""
    return write_summary("write", tag, tensor, step, plugin, scoped=False)


def scalar(name, data, step=None, description=None):
    """Write the scalar `data` (as float32) under `name`; True when written."""
    return write_summary("scalar", name, data, step, "scalars")


def histogram(name, data, step=None, buckets=None, description=None):
    """Write a histogram of `data`'s values ("buckets" equal buckets, 30 by default)."""
    return write_summary("histogram", name, data, step, "histograms", buckets=buckets)


def text(name, data, step=None, description=None):
    """Write the string tensor `data` (its strings, for TensorBoard's text plugin)."""
    return write_summary("text", name, data, step, "text")


def write_summary(fn, name, data, step, plugin, buckets=None, scoped=True):
    """One TF2 summary: written now eagerly, a WriteSummary op in a graph; a bool tensor."""
    writer = STATE.writer
    if writer is None:
        return constant(False)
    condition = _condition()
    if condition is False:
        return constant(False)
    if not isinstance(name, str):
        raise TypeError(f"tf.summary.{fn}: `name` must be a string, got {name!r}")
    step = STATE.step if step is None else step
    if step is None:
        raise ValueError("No step set. Please specify one either through the `step` argument "
                         "or through tf.summary.experimental.set_step()")
    step = _step_tensor(fn, step)
    data = data.value() if isinstance(data, Variable) else convert_to_tensor(data)
    if plugin == "scalars":
        if data.shape.rank is not None and data.shape.rank != 0:
            raise ValueError(f"Expected scalar shape, saw shape: {data.shape}.")
        if data.dtype is dtypes.string:
            raise UnimplementedError(f"tf.summary.scalar '{name}': Cast string to float is "
                                     "not supported")
    tag = summary_tag(name) if scoped else name
    graph = current_graph()
    if graph is None and not isinstance(condition, Tensor):
        if writer.closed:
            raise RuntimeError(f"SummaryWriter {writer!r} is already closed")
        writer.write_value(tag, data._value, int(step._value), plugin, buckets)
        return constant(True)
    inputs = [step, data] + ([condition] if isinstance(condition, Tensor) else [])
    attrs = {"writer": writer, "tag": tag, "plugin": plugin, "buckets": buckets}
    return execute("WriteSummary", inputs, attrs)[0]


def _step_tensor(fn, step):
    if isinstance(step, Variable):
        step = step.value()
    try:
        t = convert_to_tensor(step)
    except (TypeError, ValueError):
        raise TypeError(f"tf.summary.{fn}: `step` must be an integer, got {step!r}") from None
    if not t.dtype.is_integer or t.shape.rank not in (0, None):
        raise TypeError(f"tf.summary.{fn}: `step` must be an integer scalar (int64-castable), "
                        f"got {step!r}")
    return t
