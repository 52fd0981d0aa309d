"""TensorBoard event files and the Summary protocol buffers in them, through tensorboardX.

tensorboardX (`pip install 'janusgrad[tensorboard]'`) brings the protocol buffer definitions of
TF's Summary and Event and the record writer of event files. Without it, `protos()` is None
(after one UserWarning), every encoder returns b"" and event files write nothing.

The summaries are encoded as TF 2.21 with TensorBoard 2.21 writes them: TF1's ScalarSummary as a
`simple_value`, HistogramSummary as a HistogramProto over TF's default buckets; TF2's as tensors
with the plugin's name in their metadata ("scalars": float32, "histograms": [k, 3] float64 rows
of left edge, right edge, count; "text": strings).
"""
import atexit
import itertools
import os
import socket
import sys
import threading
import time
import types
import warnings
import weakref

import numpy as np

from ..framework.errors import InvalidArgumentError

EXTRA = "tensorboard"
_PB = []                    # [the protos namespace] once looked up, [None] without tensorboardX
_LOCK = threading.Lock()


def protos():
    """tensorboardX's protocol buffer classes and record writer, or None when it is not
    installed: the first such call warns that summaries are dropped."""
    if _PB:
        return _PB[0]
    with _LOCK:
        if not _PB:
            _PB.append(_load())
    return _PB[0]


def _load():
    try:
        from tensorboardX.proto import event_pb2, graph_pb2, node_def_pb2, summary_pb2
        from tensorboardX.proto import tensor_pb2, tensor_shape_pb2
        from tensorboardX.record_writer import RecordWriter, directory_check
    except ImportError:
        warnings.warn("janusgrad: TensorBoard summaries are dropped (nothing is written): "
                      "writing event files needs tensorboardX, installed by janusgrad's "
                      f"'{EXTRA}' extra: pip install 'janusgrad[{EXTRA}]'", UserWarning,
                      stacklevel=4)
        return None
    return types.SimpleNamespace(
        Summary=summary_pb2.Summary, SummaryMetadata=summary_pb2.SummaryMetadata,
        HistogramProto=summary_pb2.HistogramProto, Event=event_pb2.Event,
        TensorProto=tensor_pb2.TensorProto, TensorShapeProto=tensor_shape_pb2.TensorShapeProto,
        GraphDef=graph_pb2.GraphDef, NodeDef=node_def_pb2.NodeDef,
        RecordWriter=RecordWriter, directory_check=directory_check)


# -- TF1's summaries: serialized Summary protocol buffers ----------------------------------------

def scalar_v1(tag, value):
    """ScalarSummary's value: a Summary with `tag`'s simple_value."""
    pb = protos()
    if pb is None:
        return b""
    return pb.Summary(value=[pb.Summary.Value(tag=tag, simple_value=float(value))]) \
        .SerializeToString()


def histogram_v1(tag, values):
    """HistogramSummary's value: TF's histogram of `values` over its default buckets (limits
    growing by 10 % from 1e-12 to 1e20, mirrored below zero), runs of empty buckets merged."""
    v = np.asarray(values, np.float64).reshape(-1)
    if np.isnan(v).any():
        raise InvalidArgumentError(f"Nan in summary histogram for: {tag}")
    if np.isinf(v).any():
        raise InvalidArgumentError(f"Infinity in summary histogram for: {tag}")
    pb = protos()
    if pb is None:
        return b""
    limits = _default_limits()
    counts = np.bincount(np.searchsorted(limits, v, side="right"), minlength=len(limits))
    kept_limits, kept_counts = [], []
    i, n = 0, len(limits)
    while i < n:                    # TF's Histogram::EncodeToProto
        end, count, j = limits[i], counts[i], i + 1
        if count == 0:
            while j < n and counts[j] == 0:
                end = limits[j]
                j += 1
        kept_limits.append(float(end))
        kept_counts.append(float(count))
        i = j
    dbl_max = sys.float_info.max
    histo = pb.HistogramProto(
        min=float(v.min()) if v.size else dbl_max, max=float(v.max()) if v.size else -dbl_max,
        num=float(v.size), sum=float(np.cumsum(v)[-1]) if v.size else 0.0,
        sum_squares=float(np.cumsum(v * v)[-1]) if v.size else 0.0,
        bucket_limit=kept_limits, bucket=kept_counts)
    return pb.Summary(value=[pb.Summary.Value(tag=tag, histo=histo)]).SerializeToString()


_LIMITS = []


def _default_limits():
    if not _LIMITS:
        pos, v = [], 1.0e-12
        while v < 1.0e20:
            pos.append(v)
            v *= 1.1
        pos.append(sys.float_info.max)
        _LIMITS.append(np.array([-x for x in reversed(pos)] + [0.0] + pos))
    return _LIMITS[0]


def text_v1(tag, values):
    """tf.compat.v1.summary.text's value: the strings as a tensor for the "text" plugin."""
    pb = protos()
    if pb is None:
        return b""
    return pb.Summary(value=[_tensor_value(pb, tag, np.asarray(values, object), "text")]) \
        .SerializeToString()


def merge(serialized):
    """MergeSummary's value: the values of the serialized Summaries, in order; a tag that
    comes twice is TF's InvalidArgumentError."""
    pb = protos()
    if pb is None:
        return b""
    out, seen = pb.Summary(), set()
    for s in serialized:
        part = pb.Summary.FromString(bytes(s))
        for value in part.value:
            if value.tag in seen:
                raise InvalidArgumentError(f"Duplicate tag {value.tag} found in summary inputs")
            seen.add(value.tag)
        out.value.extend(part.value)
    return out.SerializeToString()


# -- TF2's summaries: tensors for TensorBoard's plugins -----------------------------------------

def summary_v2(tag, value, plugin):
    """A Summary holding `value` (a NumPy array) as a tensor for `plugin`; None without the
    extra."""
    pb = protos()
    if pb is None:
        return None
    return pb.Summary(value=[_tensor_value(pb, tag, value, plugin)])


def histogram_v2(values, buckets=None):
    """TensorBoard 2.21's histogram of `values`: [k, 3] rows (left edge, right edge, count),
    k = buckets (30 by default) equal-width buckets from min to max; all counts in the last bucket
    when every value is the same; zeros when there is no value."""
    k = 30 if buckets is None else max(0, int(buckets))
    v = np.asarray(values, np.float64).reshape(-1)
    if v.size == 0 or k == 0:
        return np.zeros((k, 3))
    lo, hi = v.min(), v.max()
    if hi == lo:
        counts = np.zeros(k)
        counts[-1] = v.size
        edges = np.full(k, hi)
        return np.stack([edges, edges, counts], axis=1)
    width = (hi - lo) / k
    index = np.minimum(np.floor((v - lo) / width).astype(np.int64), k - 1)
    counts = np.bincount(index, minlength=k).astype(np.float64)
    edges = np.linspace(lo, hi, k + 1)
    edges[-1] = hi
    return np.stack([edges[:-1], edges[1:], counts], axis=1)


_DT_ENUM = {"float32": 1, "float64": 2, "int32": 3, "uint8": 4, "int16": 5, "int8": 6,
            "int64": 9, "bool": 10, "uint16": 17, "float16": 19, "uint32": 22, "uint64": 23}


def _tensor_value(pb, tag, value, plugin):
    a = np.asarray(value)
    shape = pb.TensorShapeProto(dim=[pb.TensorShapeProto.Dim(size=d) for d in a.shape])
    if a.dtype.kind in "OSU":
        strings = [s if isinstance(s, bytes) else str(s).encode() for s in a.reshape(-1)]
        tensor = pb.TensorProto(dtype=7, tensor_shape=shape, string_val=strings)
    else:
        tensor = pb.TensorProto(dtype=_DT_ENUM[a.dtype.name], tensor_shape=shape,
                                tensor_content=a.astype(a.dtype.newbyteorder("<")).tobytes())
    metadata = pb.SummaryMetadata(plugin_data=pb.SummaryMetadata.PluginData(plugin_name=plugin))
    return pb.Summary.Value(tag=tag, tensor=tensor, metadata=metadata)


# -- event files ----------------------------------------------------------------------------------

_OPEN = weakref.WeakSet()           # event files flushed when the program exits
_COUNT = itertools.count()


def next_number():
    """A number used once in this process (TF2's event file names count their writers)."""
    return next(_COUNT)


class EventFile:
    """One event file in `logdir` (made now, with its "brain.Event:2" header, as TF's writers
    make theirs), written synchronously; nothing at all without the extra."""

    def __init__(self, logdir, suffix=""):
        self.logdir = logdir
        self.path = None
        self.closed = False
        self._records = None
        self._lock = threading.Lock()
        pb = protos()
        if pb is None:
            return
        pb.directory_check(logdir)
        stem = os.path.join(logdir, f"events.out.tfevents.{int(time.time())}."
                                    f"{socket.gethostname()}")
        path = stem + suffix
        while os.path.exists(path):        # two writers in one second: never the same file
            path = f"{stem}.{next(_COUNT)}{suffix}"
        self.path = path
        self._records = pb.RecordWriter(path)
        self.add_event(pb.Event(wall_time=time.time(), file_version="brain.Event:2"))
        _OPEN.add(self)

    def add_summary(self, summary, step=None):
        """Write `summary` (a Summary, or one serialized: bytes, possibly empty) at `step`."""
        pb = protos()
        if pb is None or self._records is None:
            return
        if isinstance(summary, np.ndarray):         # a string tensor's value
            summary = summary.item()
        if isinstance(summary, (bytes, bytearray)):
            summary = pb.Summary.FromString(bytes(summary))
        event = pb.Event(wall_time=time.time(), summary=summary)
        if step is not None:
            event.step = int(step)
        self.add_event(event)

    def add_graph_def(self, graph_def, step=None):
        pb = protos()
        if pb is None or self._records is None:
            return
        event = pb.Event(wall_time=time.time(), graph_def=graph_def.SerializeToString())
        if step is not None:
            event.step = int(step)
        self.add_event(event)

    def add_event(self, event):
        with self._lock:
            if self._records is not None and not self.closed:
                self._records.write(event.SerializeToString())

    def flush(self):
        with self._lock:
            if self._records is not None and not self.closed:
                self._records.flush()

    def close(self):
        with self._lock:
            if self._records is not None and not self.closed:
                self._records.close()
            self.closed = True


def graph_def(graph):
    """A GraphDef of a janusgrad graph for TensorBoard's graph view: each op's name, type and
    inputs (janusgrad keeps no NodeDef attrs); None without the extra."""
    pb = protos()
    if pb is None:
        return None
    nodes = []
    for op in graph.get_operations():
        inputs = [t.name[:-2] if t.name.endswith(":0") else t.name for t in op.inputs]
        inputs += ["^" + c.name for c in op.control_inputs]
        nodes.append(pb.NodeDef(name=op.name, op=op.type, input=inputs))
    return pb.GraphDef(node=nodes)


@atexit.register
def _flush_all():
    for f in list(_OPEN):
        try:
            f.flush()
        except Exception:       # a file system gone at exit: nothing more to do
            pass
