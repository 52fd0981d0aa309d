"""Reductions: reduce_sum/mean/prod/max/min/any/all, argmax/argmin, cumsum, logsumexp, norms.

Kernel and gradient side by side (BroadcastReduced and ProdOfOthers are ops of the gradients),
then clip_by_norm, global_norm and clip_by_global_norm; builds on math.py and array.py.
"""
from math import prod as _count

import numpy as np

from ..framework import dtypes
from ..framework.context import executing_eagerly
from ..framework.errors import short_repr
from ..framework.execute import execute, run_eager
from ..framework.registry import OPS, gradient, not_differentiable, register_kernel
from ..framework.shape import TensorShape
from ..framework.tensor import EagerTensor, Tensor, constant, convert_to_tensor
from .array import (constant_value, identity, ones_like, reshape, shape, size, stack,
                    stop_gradient, zeros_like)
from .control import op_scope
from .define import fixed, invalid, numeric
from .indexed_slices import IndexedSlices
from .math import (add, cast, divide_no_nan, equal, exp, greater, is_finite, log, maximum,
                   minimum, not_equal, scalar_int_tensor, sqrt, where_v2)


# -- reductions --------------------------------------------------------------------------------

def _axis_tuple(axis, rank, op_type):
    """axis as a tuple of non-negative ints (None: all), checked against a known rank."""
    if axis is None:
        return None
    if isinstance(axis, Tensor):
        value = constant_value(axis)
        if value is None:
            raise NotImplementedError(f"{op_type}: axis must be known when the graph is built")
        axis = value.tolist()
    if isinstance(axis, (np.ndarray, np.generic)):
        axis = axis.tolist()
    axes = tuple(axis) if isinstance(axis, (list, tuple)) else (axis,)
    for a in axes:
        if not isinstance(a, (int, np.integer)) or isinstance(a, bool):
            raise TypeError(f"{op_type}: axis must be an int or a list of ints, got "
                            f"{short_repr(axis)}")
    if rank is None:
        return tuple(int(a) for a in axes)
    out = []
    for a in axes:
        if not -rank <= a < max(rank, 1):
            raise invalid(f"Invalid reduction dimension {a} for input with {rank} dimensions "
                          f"({op_type})")
        out.append(int(a) % rank if rank else 0)
    return tuple(sorted(set(out)))


def _reduce_infer(inputs, attrs):
    x = inputs[0]
    axis, keepdims = attrs["axis"], attrs["keepdims"]
    dims = x.shape.dims
    dtype = attrs.get("out_dtype") or x.dtype
    if dims is None:
        return [(dtype, TensorShape(None))]
    axes = range(len(dims)) if axis is None else [a % len(dims) for a in axis] if dims else []
    if keepdims:
        shape = [1 if i in axes else d for i, d in enumerate(dims)]
    else:
        shape = [d for i, d in enumerate(dims) if i not in axes]
    return [(dtype, TensorShape(shape))]


def _np_reduce(fn):
    """`fn`: a ufunc's reduce (np.sum and the like only add a Python layer over it)."""
    def kernel(x, *, axis, keepdims, out_dtype=None):
        return np.asarray(fn(x, axis=axis, keepdims=keepdims), dtype=x.dtype)
    return kernel


def _mean_kernel(x, *, axis, keepdims):
    if x.dtype.kind in "iu":   # integer mean truncates toward zero, as TF (C++ division)
        total = np.sum(x, axis=axis, keepdims=keepdims, dtype=np.int64)
        n = max(x.size // max(total.size, 1), 1)
        return (np.sign(total) * (np.abs(total) // n)).astype(x.dtype)
    if x.size == 0:       # NaN, as TF; np.mean would warn "Mean of empty slice"
        total = np.sum(x, axis=axis, keepdims=keepdims)
        return np.asarray(total / np.zeros((), x.dtype), dtype=x.dtype)
    if x.dtype.kind == "f" and x.dtype.itemsize >= 4:
        # np.mean's sum and division without its Python layers (the division is correctly
        # rounded either way: np.mean divides in float64, exact after rounding to float32)
        total = np.add.reduce(x, axis=axis, keepdims=keepdims)
        return np.asarray(total / (x.size // total.size), dtype=x.dtype)
    return np.asarray(np.mean(x, axis=axis, keepdims=keepdims), dtype=x.dtype)


def _minmax(fn, name):
    def kernel(x, *, axis, keepdims):
        if x.size == 0:    # TF: the identity of the reduction, as NumPy refuses
            shape = np.sum(np.zeros(x.shape, np.int8), axis=axis, keepdims=keepdims).shape
            fill = -np.inf if name == "Max" else np.inf
            if x.dtype.kind != "f":
                info = np.iinfo(x.dtype) if x.dtype.kind in "iu" else None
                fill = (info.min if name == "Max" else info.max) if info else name != "Max"
            return np.full(shape, fill, x.dtype)
        return np.asarray(fn(x, axis=axis, keepdims=keepdims), dtype=x.dtype)
    return kernel


register_kernel("Sum", _np_reduce(np.add.reduce), infer=_reduce_infer)
register_kernel("Prod", _np_reduce(np.multiply.reduce), infer=_reduce_infer)
register_kernel("Mean", _mean_kernel, infer=_reduce_infer)
register_kernel("Max", _minmax(np.maximum.reduce, "Max"), infer=_reduce_infer)
register_kernel("Min", _minmax(np.minimum.reduce, "Min"), infer=_reduce_infer)
register_kernel("Any", _np_reduce(np.logical_or.reduce), infer=_reduce_infer)
register_kernel("All", _np_reduce(np.logical_and.reduce), infer=_reduce_infer)


# the attrs of a reduction over all axes (the usual loss), one dict per keepdims
_ALL_AXES = {False: {"axis": None, "keepdims": False}, True: {"axis": None, "keepdims": True}}


def _reduce(op_type, x, axis, keepdims, name, check=None):
    if axis is None and type(x) is EagerTensor and type(keepdims) is bool and \
            executing_eagerly() and (check is None or check(x.dtype)):
        return run_eager(OPS[op_type], x, None, _ALL_AXES[keepdims])     # eager, all axes
    x = convert_to_tensor(x)
    if check is not None and not check(x.dtype):
        raise TypeError(f"{op_type}: input of dtype {x.dtype.name} is not supported")
    if isinstance(axis, Tensor) and constant_value(axis) is None:
        # a graph tensor of unknown value: the axis is resolved when the graph runs
        if not axis.dtype.is_integer:
            raise TypeError(f"{op_type}: axis must be int32 or int64, got {axis.dtype.name}")
        return execute("DynamicReduce", [x, axis], {"reduction": op_type,
                                                    "keepdims": bool(keepdims)}, name=name)[0]
    axes = _axis_tuple(axis, x.shape.rank, op_type)
    return execute(op_type, [x], {"axis": axes, "keepdims": bool(keepdims)}, name=name)[0]


def reduce_sum(input_tensor, axis=None, keepdims=False, name=None):
    """Sum over `axis` (all axes when None)."""
    return _reduce("Sum", input_tensor, axis, keepdims, name, numeric)


def reduce_mean(input_tensor, axis=None, keepdims=False, name=None):
    """Mean over `axis` (integer inputs: truncated, as TF)."""
    return _reduce("Mean", input_tensor, axis, keepdims, name, numeric)


def reduce_prod(input_tensor, axis=None, keepdims=False, name=None):
    """The product of the elements over `axis` (all axes by default)."""
    return _reduce("Prod", input_tensor, axis, keepdims, name, numeric)


def reduce_max(input_tensor, axis=None, keepdims=False, name=None):
    """The maximum of the elements over `axis` (all axes by default)."""
    return _reduce("Max", input_tensor, axis, keepdims, name, numeric)


def reduce_min(input_tensor, axis=None, keepdims=False, name=None):
    """The minimum of the elements over `axis` (all axes by default)."""
    return _reduce("Min", input_tensor, axis, keepdims, name, numeric)


def reduce_any(input_tensor, axis=None, keepdims=False, name=None):
    """Logical OR of a bool tensor's elements over `axis` (all axes by default)."""
    return _reduce("Any", input_tensor, axis, keepdims, name, lambda d: d.is_bool)


def reduce_all(input_tensor, axis=None, keepdims=False, name=None):
    """Logical AND of a bool tensor's elements over `axis` (all axes by default)."""
    return _reduce("All", input_tensor, axis, keepdims, name, lambda d: d.is_bool)


def _broadcast_reduced_kernel(dy, x, *, axis, keepdims):
    """dy (the result of reducing x over axis) reshaped with kept dims, then broadcast to x."""
    if not keepdims:
        if axis is not None:
            axis = [a % x.ndim for a in axis]   # (negative: an input of unknown rank)
        shape = [1 if axis is None or i in axis else d for i, d in enumerate(x.shape)]
        dy = dy.reshape(shape)
    out = np.empty(x.shape, dy.dtype)       # (np.broadcast_to(...).copy() costs 3 us more)
    np.copyto(out, dy)
    return out


register_kernel("BroadcastReduced", _broadcast_reduced_kernel,
                infer=fixed(shape=lambda i, a: i[1].shape))


def _broadcast_reduced(dy, op):
    x = op.inputs[0]
    return execute("BroadcastReduced", [dy, x], {"axis": _known_axes(op), "keepdims":
                                                 op.get_attr("keepdims")})[0]


def _known_axes(op):
    """The reduction's axes, non-negative where x's rank is known (else the kernels of the
    gradient ops take them modulo the rank they see)."""
    axis = op.get_attr("axis")
    rank = op.inputs[0].shape.rank
    if axis is None or rank is None:
        return axis
    return tuple(a % rank for a in axis)


@gradient("BroadcastReduced", inputs=(), outputs=())
def _broadcast_reduced_grad(op, dy):
    """sum dy back over the broadcast axes"""
    return reduce_sum(dy, op.get_attr("axis"), keepdims=op.get_attr("keepdims")), None


@gradient("Sum", inputs=(), outputs=())
def _sum_grad(op, dy):
    """broadcast dy back to x's shape"""
    return _broadcast_reduced(dy, op)


@gradient("Mean", inputs=(), outputs=())
def _mean_grad(op, dy):
    """broadcast dy / n back to x's shape"""
    x, y = op.inputs[0], op.outputs[0]
    if type(x) is EagerTensor:          # (maybe a stand-in: its shape, no array)
        n = _count(x._value.shape) / max(_count(y._value.shape), 1)
        return _broadcast_reduced(dy / n if n != 1 else dy, op)
    xs, ys = x.shape, y.shape
    if xs.is_fully_defined() and ys.is_fully_defined():     # always in eager: n is a number
        n = xs.num_elements() / max(ys.num_elements(), 1)
        return _broadcast_reduced(dy / n if n != 1 else dy, op)
    n = cast(size(x), x.dtype) / cast(maximum(size(y), 1), x.dtype)
    return _broadcast_reduced(dy / n, op)


@gradient("Prod")
def _prod_grad(op, dy):
    """dy * prod / x (exact where x has no zeros; TF's cumprod trick is used for zeros)"""
    x = op.inputs[0]
    y = op.outputs[0]
    dyb = _broadcast_reduced(dy, op)
    yb = _broadcast_reduced(y, op)
    nonzero = not_equal(x, zeros_like(x))
    safe = where_v2(nonzero, x, ones_like(x))
    # where x has a single zero in its slice, the product of the others is its gradient
    others = execute("ProdOfOthers", [x], {"axis": _known_axes(op)})[0]
    return dyb * where_v2(nonzero, yb / safe, others)


def _prod_of_others_kernel(x, *, axis):
    """For each element, the product of the other elements of its reduction slice."""
    if x.size == 0:
        return np.zeros_like(x)              # no elements, no gradient entries
    axes = tuple(range(x.ndim)) if axis is None else tuple(axis)
    moved = np.moveaxis(x, axes, tuple(range(x.ndim - len(axes), x.ndim)))
    lead = moved.shape[:x.ndim - len(axes)]
    flat = moved.reshape(lead + (-1,))
    left = np.cumprod(np.concatenate([np.ones(lead + (1,), x.dtype), flat[..., :-1]], -1), -1)
    right = np.cumprod(np.concatenate([np.ones(lead + (1,), x.dtype), flat[..., :0:-1]], -1),
                       -1)[..., ::-1]
    out = (left * right).reshape(moved.shape)
    return np.moveaxis(out, tuple(range(x.ndim - len(axes), x.ndim)), axes)


register_kernel("ProdOfOthers", _prod_of_others_kernel)


@gradient("ProdOfOthers")
def _prod_of_others_grad(op, dy):
    """(sum(dy * y) - dy * y) / x: exact where x != 0; 0 at zeros of x (TF's cumprod gradient
    has the same limit)"""
    x, y = op.inputs[0], op.outputs[0]
    total = reduce_sum(dy * y, op.get_attr("axis"), keepdims=True)
    return divide_no_nan(total - dy * y, x)


def _minmax_grad(op, dy):
    """dy shared equally among the elements equal to the extremum (TF's tie rule)"""
    x, y = op.inputs[0], op.outputs[0]
    yb = _broadcast_reduced(y, op)
    indicators = cast(equal(yb, x), dy.dtype)
    axis = _known_axes(op)
    count = reduce_sum(indicators, axis, keepdims=True)
    return indicators / count * _broadcast_reduced(dy, op)


gradient("Max")(_minmax_grad)
gradient("Min")(_minmax_grad)
not_differentiable("Any", "All")


# -- reductions over an axis known only when the graph runs ------------------------------------

def _run_time_axes(axis, rank, op_type):
    """The axis tensor's value as a sorted tuple of non-negative ints, checked against rank."""
    axes = [int(a) for a in np.asarray(axis).reshape(-1)]
    for a in axes:
        if not -rank <= a < max(rank, 1):
            raise ValueError(f"Invalid reduction dimension {a} for input with {rank} dimensions "
                             f"({op_type})")
    return tuple(sorted({a % rank if rank else 0 for a in axes}))


def _dynamic_reduce_kernel(x, axis, *, reduction, keepdims):
    axes = _run_time_axes(axis, x.ndim, reduction)
    return OPS[reduction].kernel(x, axis=axes, keepdims=keepdims)


def _dynamic_reduce_infer(inputs, attrs):
    """As TF: with keepdims the rank stays (every dim unknown); without it, nothing is known."""
    x = inputs[0]
    rank = x.shape.rank if attrs["keepdims"] else None
    return [(x.dtype, TensorShape(None if rank is None else [None] * rank))]


register_kernel("DynamicReduce", _dynamic_reduce_kernel, infer=_dynamic_reduce_infer)


def _dynamic_broadcast_reduced_kernel(dy, x, axis, *, keepdims):
    """BroadcastReduced with the axis given as a tensor."""
    axes = _run_time_axes(axis, x.ndim, "BroadcastReduced")
    return _broadcast_reduced_kernel(dy, x, axis=axes, keepdims=keepdims)


register_kernel("DynamicBroadcastReduced", _dynamic_broadcast_reduced_kernel,
                infer=fixed(shape=lambda i, a: i[1].shape))


def _dynamic_reduce(reduction, x, axis, keepdims):
    return execute("DynamicReduce", [x, axis], {"reduction": reduction, "keepdims": keepdims})[0]


@gradient("DynamicBroadcastReduced")
def _dynamic_broadcast_reduced_grad(op, dy):
    """sum dy back over the broadcast axes"""
    return _dynamic_reduce("Sum", dy, op.inputs[2], op.get_attr("keepdims")), None, None


@gradient("DynamicReduce")
def _dynamic_reduce_grad(op, dy):
    """the gradients of Sum, Mean, Max and Min, with the axis broadcast back at run time"""
    x, axis = op.inputs
    y = op.outputs[0]
    reduction, keepdims = op.get_attr("reduction"), op.get_attr("keepdims")

    def back(t):
        return execute("DynamicBroadcastReduced", [t, x, axis], {"keepdims": keepdims})[0]

    if reduction == "Sum":
        return back(dy), None
    if reduction == "Mean":
        n = cast(size(x), x.dtype) / cast(maximum(size(y), 1), x.dtype)
        return back(dy / n), None
    if reduction in ("Max", "Min"):
        indicators = cast(equal(back(y), x), dy.dtype)
        count = _dynamic_reduce("Sum", indicators, axis, True)
        return indicators / count * back(dy), None
    if reduction == "Prod":     # as Prod's gradient
        nonzero = not_equal(x, zeros_like(x))
        safe = where_v2(nonzero, x, ones_like(x))
        others = execute("DynamicProdOfOthers", [x, axis], {})[0]
        return back(dy) * where_v2(nonzero, back(y) / safe, others), None
    return None, None           # Any, All


def _dynamic_prod_of_others_kernel(x, axis):
    """ProdOfOthers with the axis given as a tensor."""
    return _prod_of_others_kernel(x, axis=_run_time_axes(axis, x.ndim, "ProdOfOthers"))


register_kernel("DynamicProdOfOthers", _dynamic_prod_of_others_kernel,
                infer=fixed(shape=lambda i, a: i[0].shape))


@gradient("DynamicProdOfOthers")
def _dynamic_prod_of_others_grad(op, dy):
    """(sum(dy * y) - dy * y) / x, as ProdOfOthers"""
    x, axis = op.inputs
    y = op.outputs[0]
    total = _dynamic_reduce("Sum", dy * y, axis, True)
    return divide_no_nan(total - dy * y, x), None


def _arg_infer(inputs, attrs):
    dims = inputs[0].shape.dims
    if dims is None:
        return [(attrs["output_type"], TensorShape(None))]
    a = attrs["axis"] % len(dims)
    return [(attrs["output_type"], TensorShape(dims[:a] + dims[a + 1:]))]


def _arg_kernel(find, nan_as):
    def kernel(x, *, axis, output_type):
        if x.dtype.kind == "f":
            nan = np.isnan(x)
            if nan.any():       # as TF's: a NaN never wins (NumPy picks the first NaN)
                x = np.where(nan, np.asarray(nan_as, x.dtype), x)
        return find(x, axis).astype(output_type.np)
    return kernel


register_kernel("ArgMax", _arg_kernel(np.argmax, -np.inf), infer=_arg_infer)
register_kernel("ArgMin", _arg_kernel(np.argmin, np.inf), infer=_arg_infer)


def _dynamic_arg_kernel(x, axis, *, arg, output_type):
    """ArgMax or ArgMin (`arg`) with the axis given as a tensor (known only at run time)."""
    if np.ndim(axis) != 0:
        raise ValueError(f"{arg}: dim must be a scalar, but received tensor of shape: "
                         f"{list(np.shape(axis))}")
    a = int(axis)
    if not -x.ndim <= a < x.ndim:
        raise ValueError(f"{arg}: Expected dimension in the range [{-x.ndim}, {x.ndim}), but "
                         f"got {a}")
    return OPS[arg].kernel(x, axis=a, output_type=output_type)


def _dynamic_arg_infer(inputs, attrs):
    """As TF: the input's rank less one, every dim unknown."""
    rank = inputs[0].shape.rank
    return [(attrs["output_type"], TensorShape(None if not rank else [None] * (rank - 1)))]


register_kernel("DynamicArg", _dynamic_arg_kernel, infer=_dynamic_arg_infer)
not_differentiable("ArgMax", "ArgMin", "DynamicArg")


def _arg(op_type, x, axis, output_type, name):
    x = convert_to_tensor(x)
    if not numeric(x.dtype):
        raise TypeError(f"{op_type}: input of dtype {x.dtype.name} is not supported")
    output_type = dtypes.as_dtype(output_type)
    if output_type not in (dtypes.int16, dtypes.int32, dtypes.int64, dtypes.uint16):
        raise TypeError(f"{op_type}: output_type must be int32 or int64, got {output_type.name}")
    if isinstance(axis, Tensor) and constant_value(axis) is None:
        # a graph tensor of unknown value: the axis is resolved when the graph runs
        if not axis.dtype.is_integer:
            raise TypeError(f"{op_type}: axis must be int32 or int64, got {axis.dtype.name}")
        if axis.shape.rank not in (None, 0):
            raise ValueError(f"{op_type}: axis must be a scalar, got shape {axis.shape}")
        return execute("DynamicArg", [x, axis], {"arg": op_type, "output_type": output_type},
                       name=name)[0]
    axis = 0 if axis is None else _axis_tuple(axis, None, op_type)
    if not isinstance(axis, int):
        if len(axis) != 1:
            raise ValueError(f"{op_type}: axis must be a single dimension, got {list(axis)}")
        axis = axis[0]
    rank = x.shape.rank
    if rank is not None and not -rank <= axis < rank:
        raise invalid(f"{op_type}: Expected dimension in the range [{-rank}, {rank}), but "
                      f"got {axis}")
    return execute(op_type, [x], {"axis": axis, "output_type": output_type}, name=name)[0]


def argmax(input, axis=None, output_type=dtypes.int64, name=None):  # noqa: A002
    """The index of the largest value along `axis` (0 when None); the first one on ties."""
    return _arg("ArgMax", input, axis, output_type, name)


def argmin(input, axis=None, output_type=dtypes.int64, name=None):  # noqa: A002
    """The index of the smallest value along `axis` (0 when None); the first one on ties."""
    return _arg("ArgMin", input, axis, output_type, name)


# -- cumulative sums, log-sum-exp, clipping by norm --------------------------------------------

def _cumsum_kernel(x, axis, *, exclusive, reverse):
    a = int(axis)
    if not -x.ndim <= a < x.ndim:
        raise ValueError(f"Cumsum: axis {a} out of range for input of rank {x.ndim}")
    if reverse:
        x = np.flip(x, a)
    if exclusive:   # shift x by one along the axis: [0, x0, x1, ...] sums to [0, x0, x0 + x1, ...]
        pad = [(0, 0)] * x.ndim
        pad[a] = (1, 0)
        x = np.pad(x, pad)[(slice(None),) * (a % x.ndim) + (slice(0, -1),)]
    out = np.cumsum(x, axis=a, dtype=x.dtype)
    return np.flip(out, a) if reverse else out


register_kernel("Cumsum", _cumsum_kernel)


def cumsum(x, axis=0, exclusive=False, reverse=False, name=None):
    """Running sums along `axis`; `exclusive` leaves the current element out, `reverse` sums
    from the end."""
    x = convert_to_tensor(x)
    if not numeric(x.dtype):
        raise TypeError(f"Cumsum: input of dtype {x.dtype.name} is not supported")
    axis = scalar_int_tensor(axis, "Cumsum", "axis")
    value, rank = constant_value(axis), x.shape.rank
    if value is not None and rank is not None and not -rank <= int(value) < rank:
        raise invalid(f"Cumsum: ScanOp: Expected scan axis in the range [{-rank}, {rank}), but "
                      f"got {int(value)}")
    return execute("Cumsum", [x, axis], {"exclusive": bool(exclusive), "reverse": bool(reverse)},
                   name=name)[0]


@gradient("Cumsum")
def _cumsum_grad(op, dy):
    """cumsum(dy) in the other direction"""
    return (cumsum(dy, op.inputs[1], exclusive=op.get_attr("exclusive"),
                   reverse=not op.get_attr("reverse")), None)


def reduce_logsumexp(input_tensor, axis=None, keepdims=False, name=None):
    """log(sum(exp(x))) over `axis`, computed stably: the max is subtracted first (and kept out
    of the gradient, as TF does)."""
    x = convert_to_tensor(input_tensor)
    if not x.dtype.is_floating:
        raise TypeError(f"reduce_logsumexp: input must be floating, got {x.dtype.name}")
    with op_scope(name, "ReduceLogSumExp") as name:
        raw_max = reduce_max(x, axis, keepdims=True)
        finite = is_finite(raw_max)
        x_max = stop_gradient(where_v2(finite, raw_max, zeros_like(raw_max)))
        result = log(reduce_sum(exp(x - x_max), axis, keepdims=keepdims))
        if not keepdims:
            x_max = reshape(x_max, shape(result))
        return add(result, x_max, name=name)


def clip_by_norm(t, clip_norm, axes=None, name=None):
    """t * clip_norm / max(l2norm(t), clip_norm): t unchanged when its L2 norm (over `axes`)
    is at most clip_norm. IndexedSlices: the norm of their values, un-summed, as TF's."""
    if type(t) is IndexedSlices:
        return IndexedSlices(clip_by_norm(t.values, clip_norm, axes, name), t.indices,
                             t.dense_shape)
    t = convert_to_tensor(t)
    if not t.dtype.is_floating:
        raise TypeError(f"clip_by_norm: t must be floating, got {t.dtype.name}")
    with op_scope(name, "clip_by_norm") as name:
        l2sum = reduce_sum(t * t, axes, keepdims=True)
        nonzero = greater(l2sum, 0.0)
        # sqrt only where the sum is positive, so that the gradient at t = 0 is finite
        l2norm = where_v2(nonzero, sqrt(where_v2(nonzero, l2sum, ones_like(l2sum))), l2sum)
        return identity(t * clip_norm / maximum(l2norm, clip_norm), name=name)


def global_norm(t_list, name=None):
    """sqrt(sum of squares of every entry of every tensor in t_list), computed as TF computes
    it: sqrt(2 * sum(l2_loss(t))); None entries skipped, 0.0 (float32) for no tensor at all."""
    if not isinstance(t_list, (list, tuple)):
        raise TypeError("global_norm: t_list should be a sequence of tensors, got "
                        f"{type(t_list).__name__}")
    values = [convert_to_tensor(t.values if type(t) is IndexedSlices else t)   # (as TF's)
              for t in t_list if t is not None]
    for i, v in enumerate(values):
        if not v.dtype.is_floating or v.dtype is not values[0].dtype:
            raise TypeError(f"global_norm: every tensor of t_list must have one floating dtype, "
                            f"got {v.dtype.name}" + (f" after {values[0].dtype.name}" if i else ""))
    with op_scope(name, "global_norm") as scope:
        if not values:
            half_squared = constant(np.float32(0.0))
        else:
            half_squared = reduce_sum(stack([execute("L2Loss", [v])[0] for v in values]))
        two = constant(np.array(2.0, half_squared.dtype.np))
        return sqrt(half_squared * two, name="global_norm" if scope is not None else None)


def clip_by_global_norm(t_list, clip_norm, use_norm=None, name=None):
    """(t_list scaled by clip_norm / max(global_norm, clip_norm), global_norm), as TF: every
    result is NaN when the norm is infinite or NaN; None entries stay None."""
    if not isinstance(t_list, (list, tuple)) or isinstance(t_list, str):
        raise TypeError("clip_by_global_norm: t_list should be a sequence, got "
                        f"{type(t_list).__name__}")
    t_list = [None if t is None else t if type(t) is IndexedSlices else convert_to_tensor(t)
              for t in t_list]
    norm = global_norm(t_list, name) if use_norm is None else convert_to_tensor(use_norm)
    with op_scope(name, "clip_by_global_norm") as scope:
        one = constant(1.0, norm.dtype)
        scale = clip_norm * minimum(one / norm, one / clip_norm)
        scale = where_v2(is_finite(norm), scale, constant(np.nan, norm.dtype))
        clipped = [None if t is None else _scaled(t, scale, scope and f"{scope}_{i}")
                   for i, t in enumerate(t_list)]
    return clipped, norm


def _scaled(t, scale, name=None):
    if type(t) is IndexedSlices:
        return IndexedSlices(_scaled(t.values, scale, name), t.indices, t.dense_shape)
    return identity(t * cast(scale, t.dtype), name=name)
