"""tf.histogram_fixed_width: counts of values in nbins equal bins over value_range (values
outside it count in the first or last bin). Not differentiable, as TF's."""
import numpy as np

from ..framework import dtypes
from ..framework.errors import InvalidArgumentError
from ..framework.execute import execute
from ..framework.registry import not_differentiable, register_kernel
from ..framework.shape import TensorShape
from ..framework.tensor import convert_to_tensor
from .array import constant_value, int_tensor
from .control import op_scope


def _histogram_kernel(values, value_range, nbins, *, dtype):
    if value_range.shape != (2,):
        raise InvalidArgumentError("HistogramFixedWidth: value_range should be a vector of 2 "
                                   f"elements, not shape {list(value_range.shape)}")
    lo, hi = value_range
    if not lo < hi:
        raise InvalidArgumentError("HistogramFixedWidth: value_range should satisfy "
                                   f"value_range[0] < value_range[1], but got {[lo, hi]}")
    if nbins.ndim != 0 or int(nbins) <= 0:
        raise InvalidArgumentError(f"HistogramFixedWidth: nbins should be a positive number, "
                                   f"but got {nbins.tolist()}")
    n = int(nbins)
    # TF's kernel: the bin of max(v, lo) - lo in steps of (hi - lo) / n, in float64, capped
    step = (float(hi) - float(lo)) / n
    shifted = np.maximum(values.astype(np.float64), float(lo)) - float(lo)
    bins = np.minimum(shifted / step, n - 1).astype(np.int64).reshape(-1)
    return np.bincount(bins, minlength=n).astype(dtype.np)


def _histogram_infer(inputs, attrs):
    n = constant_value(inputs[2])
    return [(attrs["dtype"], TensorShape([None if n is None else int(n)]))]


register_kernel("HistogramFixedWidth", _histogram_kernel, infer=_histogram_infer)
not_differentiable("HistogramFixedWidth")


def histogram_fixed_width(values, value_range, nbins=100, dtype=dtypes.int32, name=None):
    """How many of `values` fall in each of nbins equal bins spanning value_range = [lo, hi]
    (values below lo count in bin 0, values from hi up in the last bin)."""
    values = convert_to_tensor(values)
    if values.dtype not in (dtypes.int32, dtypes.int64, dtypes.float32, dtypes.float64):
        raise TypeError(f"HistogramFixedWidth: values must be int32, int64, float32 or "
                        f"float64, got {values.dtype.name}")
    value_range = convert_to_tensor(value_range, dtype=values.dtype)
    nbins = int_tensor(nbins, "HistogramFixedWidth", "nbins")
    dtype = dtypes.as_dtype(dtype)
    if dtype not in (dtypes.int32, dtypes.int64):
        raise TypeError(f"HistogramFixedWidth: dtype must be int32 or int64, got {dtype.name}")
    with op_scope(name, "histogram_fixed_width") as name:     # (TF's name)
        return execute("HistogramFixedWidth", [values, value_range, nbins], {"dtype": dtype},
                       name=name)[0]
