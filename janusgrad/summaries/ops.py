"""The summary ops, with TF's op types: TF1's ScalarSummary, HistogramSummary and
TensorSummaryV2 (text), each over (tag, value) as TF's, and MergeSummary, whose value is a
serialized Summary (a string scalar; b"" without the `tensorboard` extra); TF2's WriteSummary,
which writes to a writer when it runs (in a tf.function or a graph) and says whether it did.
None has a gradient.
"""
import numpy as np

from ..framework import dtypes
from ..framework.errors import InvalidArgumentError
from ..framework.registry import not_differentiable, register_kernel
from ..framework.shape import TensorShape
from . import events


def _string(inputs, attrs):
    return [(dtypes.string, TensorShape([]))]


def _bytes(b):
    return np.array(b, dtype=object)


def _tag(tags):
    t = np.asarray(tags, object).item()
    return t.decode() if isinstance(t, bytes) else str(t)


def _scalar_kernel(tags, values):
    tag = _tag(tags)
    if np.ndim(values) != 0:
        raise InvalidArgumentError(f"ScalarSummary '{tag}': tags and values are not the same "
                                   f"shape: [] != {list(np.shape(values))} (the value of a "
                                   "scalar summary is one number)")
    return _bytes(events.scalar_v1(tag, values))


def _histogram_kernel(tag, values):
    return _bytes(events.histogram_v1(_tag(tag), values))


def _text_kernel(tag, values):
    return _bytes(events.text_v1(_tag(tag), values))


def _merge_kernel(*summaries):
    return _bytes(events.merge([np.asarray(s, object).item() for s in summaries]))


def _write_kernel(step, data, *condition, writer, tag, plugin, buckets):
    """Write `data` at `step` (when `condition`, if given, holds); True when written."""
    if (condition and not bool(condition[0])) or writer.closed:
        return np.array(False)
    writer.write_value(tag, data, int(step), plugin, buckets)
    return np.array(True)


register_kernel("ScalarSummary", _scalar_kernel, infer=_string)
register_kernel("HistogramSummary", _histogram_kernel, infer=_string)
register_kernel("TensorSummaryV2", _text_kernel, infer=_string)
register_kernel("MergeSummary", _merge_kernel, infer=_string)
register_kernel("WriteSummary", _write_kernel, side_effect=True,
                infer=lambda i, a: [(dtypes.bool, TensorShape([]))])
not_differentiable("ScalarSummary", "HistogramSummary", "TensorSummaryV2", "MergeSummary",
                   "WriteSummary")
