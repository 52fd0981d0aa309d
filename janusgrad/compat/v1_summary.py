"""tf.compat.v1.summary: TF1's summaries. `scalar`, `histogram` and `text` are ops (ScalarSummary,
HistogramSummary, TensorSummaryV2) whose value is a serialized Summary, collected in the graph's
"summaries" collection; `merge` / `merge_all` join them; `FileWriter` writes what Session.run
fetched (`add_summary(summary, global_step)`) and the graph into an event file.

As in TF 2.21, called eagerly with a default TF2 writer and step set, scalar / histogram / text
are written through that writer and return b"" (without them: a warning, then the Summary).
Event files are written through tensorboardX (janusgrad's `tensorboard` extra); without it,
summaries are dropped after one warning and a serialized summary is b"".
"""
import os
import warnings

from ..framework.context import (current_graph, executing_eagerly,
                                 executing_eagerly_outside_functions, get_default_graph)
from ..framework.execute import execute
from ..framework.tensor import Tensor, constant, convert_to_tensor
from ..ops.state import Variable
from ..summaries import events, v2
from ..summaries import ops as _ops  # noqa: F401  (registers the summary ops)
from ..train import get_global_step

SUMMARIES = "summaries"                 # tf.compat.v1.GraphKeys.SUMMARIES


def scalar(name, tensor, collections=None, family=None):
    """A ScalarSummary of the scalar `tensor`, tagged with `name` under the name scope."""
    return _summary("scalar", "ScalarSummary", "scalars", name, tensor, collections, family)


def histogram(name, values, collections=None, family=None):
    """A HistogramSummary of `values` (over TF's default buckets)."""
    return _summary("histogram", "HistogramSummary", "histograms", name, values, collections,
                    family)


def text(name, tensor, collections=None):
    """A summary of the string tensor `tensor` for TensorBoard's text plugin."""
    return _summary("text", "TensorSummaryV2", "text", name, tensor, collections, None)


def merge(inputs, collections=None, name=None):
    """One serialized Summary holding the values of the summaries `inputs` (string tensors)."""
    if executing_eagerly():
        raise RuntimeError("Merging tf.summary.* ops is not compatible with eager execution. "
                           "Use tf.summary (TF2) instead.")
    inputs = [convert_to_tensor(x) for x in inputs]
    bad = [x.dtype.name for x in inputs if x.dtype.name != "string"]
    if bad:
        raise TypeError(f"Tensors in list passed to 'inputs' of 'MergeSummary' Op have types "
                        f"[{', '.join(bad)}] that do not match expected type string.")
    graph = get_default_graph()
    with graph.name_scope(name or "Merge"):
        val = execute("MergeSummary", inputs, {}, name=name or "MergeSummary")[0]
    for key in collections or ():
        graph.add_to_collection(key, val)
    return val


def merge_all(key=SUMMARIES, scope=None, name=None):
    """merge() of the summaries in the graph's collection `key`; None if there are none."""
    if executing_eagerly():
        raise RuntimeError("Merging tf.summary.* ops is not compatible with eager execution. "
                           "Use tf.summary (TF2) instead.")
    summaries = get_default_graph().get_collection(key, scope=scope)
    if not summaries:
        return None
    return merge(summaries, name=name)


class FileWriter:
    """Writes summaries (serialized, as Session.run returns them, or Summary protos), events and
    graphs into a new event file in `logdir` (graph mode only, as TF's)."""

    def __init__(self, logdir, graph=None, max_queue=10, flush_secs=120, graph_def=None,
                 filename_suffix=None, session=None):
        if executing_eagerly():
            raise RuntimeError("v1.summary.FileWriter is not compatible with eager execution. "
                               "Use `tf.summary.create_file_writer`, or a `with "
                               "v1.Graph().as_default():` context")
        if not isinstance(logdir, (str, bytes, os.PathLike)):
            raise TypeError(f"FileWriter: `logdir` must be a path, got {logdir!r}")
        self._logdir = os.fspath(logdir)
        self._suffix = filename_suffix or ""
        self._file = events.EventFile(self._logdir, self._suffix)
        if graph is not None or graph_def is not None:
            self.add_graph(graph, graph_def=graph_def)

    def get_logdir(self):
        return self._logdir

    def add_summary(self, summary, global_step=None):
        """Write `summary` (bytes from Session.run, or a Summary) at `global_step`."""
        if isinstance(summary, Tensor):
            raise TypeError("FileWriter.add_summary: pass the value Session.run returned for "
                            "the summary (bytes), not the summary tensor")
        if summary is None:
            raise TypeError("FileWriter.add_summary: `summary` is None (merge_all() returns "
                            "None when the graph has no summary)")
        self._file.add_summary(summary, _int_step(global_step))

    def add_graph(self, graph, global_step=None, graph_def=None):
        """Write `graph` (its ops' names, types and inputs) for TensorBoard's graph view."""
        if graph_def is None and graph is not None:
            graph_def = events.graph_def(graph)
        if graph_def is not None:
            self._file.add_graph_def(graph_def, _int_step(global_step))

    def add_event(self, event):
        self._file.add_event(event)

    def flush(self):
        self._file.flush()

    def close(self):
        self._file.flush()
        self._file.close()

    def reopen(self):
        """After close(): write on, into a new event file in the same directory."""
        if self._file.closed:
            self._file = events.EventFile(self._logdir, self._suffix)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()
        return False


def __getattr__(name):
    """Summary and Event: the protocol buffer classes (tensorboardX's)."""
    if name in ("Summary", "Event"):
        pb = events.protos()
        if pb is None:
            raise AttributeError(f"tf.compat.v1.summary.{name} is the protocol buffer class, "
                                 f"which needs janusgrad's '{events.EXTRA}' extra: pip install "
                                 f"'janusgrad[{events.EXTRA}]'")
        return getattr(pb, name)
    raise AttributeError(f"module 'tf.compat.v1.summary' has no attribute '{name}'")


def _int_step(step):
    if step is None:
        return None
    if isinstance(step, Variable):
        step = step.numpy()
    elif isinstance(step, Tensor):
        step = step.numpy()
    return int(step)


def _clean(name):
    """TF's clean_tag: characters other than letters, digits, _ - / . become "_"; no leading
    "/"."""
    if name is None:
        return None
    import re
    return re.sub(r"[^-/\w\.]", "_", name).lstrip("/")


def _summary(fn, op_type, plugin, name, value, collections, family):
    if not isinstance(name, str):
        raise TypeError(f"tf.compat.v1.summary.{fn}: `name` must be a string, got {name!r}")
    if family is not None and not isinstance(family, str):
        raise TypeError(f"tf.compat.v1.summary.{fn}: `family` must be a string, got {family!r}")
    name, family = _clean(name), _clean(family)
    if _forwarded(fn, name, family, value, plugin):
        return constant(b"")
    t = value.value() if isinstance(value, Variable) else convert_to_tensor(value)
    if fn == "scalar" and t.shape.is_fully_defined() and t.shape.rank != 0:
        raise ValueError(f"tf.compat.v1.summary.scalar '{name}': tags and values are not the "
                         f"same shape: [] != {t.shape} (the value must be a scalar)")
    op_name = f"{family}/{name}" if family else name
    graph = current_graph()
    if graph is None:                   # eager: the tag is the name under the eager scope
        tag = v2.summary_tag(op_name)
        tags = constant((f"{family}/{tag}" if family else tag).encode())
    else:                               # the op's own (unique) name, as TF's tags
        tag = graph.unique_name(graph.current_scope() + op_name, mark_as_used=False)
        with graph.name_scope(tag + "/"):
            tags = constant((f"{family}/{tag}" if family else tag).encode(), name="tags")
    val = execute(op_type, [tags, t], name=op_name)[0]
    if graph is not None:
        for key in (SUMMARIES,) if collections is None else collections:
            graph.add_to_collection(key, val)
    return val


def _forwarded(fn, name, family, value, plugin):
    """TF 2.21: eagerly (a tf.function traced from eager code too), a TF1 summary goes to the
    default TF2 writer when there is one and a step; then True."""
    if not executing_eagerly_outside_functions():
        return False
    if v2.STATE.writer is None:
        warnings.warn("Cannot activate TF2 compatibility support for TF1 summary ops: default "
                      "summary writer not found.", UserWarning, stacklevel=4)
        return False
    step = v2.get_step()
    if step is None:
        step = get_global_step()
    if step is None:
        warnings.warn("Cannot activate TF2 compatibility support for TF1 summary ops: global "
                      "step not set. To set step for summary writer, use "
                      "`tf.summary.SummaryWriter.as_default(step=_)`, "
                      "`tf.summary.experimental.set_step()` or "
                      "`tf.compat.v1.train.create_global_step()`.", UserWarning, stacklevel=4)
        return False
    tag = v2.summary_tag(f"{family}/{name}" if family else name)
    if family:
        tag = f"{family}/{tag}"
    v2.write_summary(fn, tag, value, step, plugin, scoped=False)
    return True
