"""Convolution and pooling (NHWC): conv2d, conv2d_transpose, max and average pooling.

Kernel and gradient side by side; the conv backprop ops and the pooling gradient and grad-grad
ops are themselves differentiable (for second order), and share the window geometry.

Kernels are vectorized: conv2d and its filter gradient copy the windows once into a column
matrix (im2col) for one BLAS call; pooling works on strided views of the input, or, where the
windows tile it, on one tap-major copy; the only Python loops run over the taps of a kernel
window, never over pixels or batch elements.
"""
import numpy as np
from numpy.lib.stride_tricks import sliding_window_view

from ..framework import dtypes
from ..framework.context import executing_eagerly as _eager
from ..framework.errors import InvalidArgumentError, UnimplementedError, in_api, short_repr
from ..framework.execute import execute, run_eager
from ..framework.registry import OPS, gradient, register_kernel
from ..framework.shape import TensorShape
from ..framework.tensor import EagerTensor, Tensor, convert_to_tensor
from .array import concat, constant_value, reshape, shape, transpose, zeros_like
from .define import as_ints, convert_same_dtype, fixed, floating
from .nn import attr_or, is_real, shape_text   # shared with the activations and xents
from .state import Variable


# unsigned integers of each item size: a value's bits times a 0/1 mask keeps them or makes +0
_UINT = {1: np.uint8, 2: np.uint16, 4: np.uint32, 8: np.uint64}


def _bits(a):
    """The unsigned integer dtype of a's item size, where a is a real number (else None)."""
    return _UINT.get(a.dtype.itemsize) if a.dtype.kind in "fiu" else None


# -- windows: the geometry shared by conv2d and pooling (NHWC) ----------------------------------

def _trunc_div(a, b):
    """C++ integer division (toward zero), which TF's output-size rule uses."""
    q = abs(a) // b
    return q if a >= 0 else -q


def _window_geometry(size, k, stride, dilation, padding, explicit=(0, 0)):
    """(pad_before, pad_after, output size) along one spatial dim, by TF's rules."""
    eff = (k - 1) * dilation + 1
    if padding == "SAME":
        out = -(-size // stride)
        total = max((out - 1) * stride + eff - size, 0)
        return total // 2, total - total // 2, out
    before, after = explicit if padding == "EXPLICIT" else (0, 0)
    out = _trunc_div(size + before + after - eff + stride, stride)
    if out < 0:
        raise ValueError(f"Computed output size would be negative: {out} [input_size: {size}, "
                         f"effective_filter_size: {eff}, stride: {stride}]")
    return before, after, out


def _geometry(x_shape, k_hw, attrs):
    """((top, bottom, left, right), out_h, out_w) of an NHWC input under a window op's attrs;
    an output dim is None where the input or window dim is unknown (graph mode)."""
    s, d = attrs["strides"], attrs.get("dilations", (1, 1, 1, 1))
    explicit = attrs.get("explicit_paddings") or (0, 0, 0, 0)
    pads, out = [], []
    for i in (1, 2):
        if x_shape[i] is None or k_hw[i - 1] is None:
            before, after, size = 0, 0, None
        else:
            before, after, size = _window_geometry(x_shape[i], k_hw[i - 1], s[i], d[i],
                                                   attrs["padding"], explicit[2 * i - 2:2 * i])
        pads += [before, after]
        out.append(size)
    return tuple(pads), out[0], out[1]


def _pad(x, pads, fill=0):
    """x with `pads` (top, bottom, left, right) of `fill` around its two spatial axes (one
    allocation and one copy: np.pad costs several times that on small images)."""
    top, bottom, left, right = pads
    if not (top or bottom or left or right):
        return x
    n, h, w, c = x.shape
    shape = (n, h + top + bottom, w + left + right, c)
    # np.zeros: a fraction of np.full's cost on small images
    out = np.zeros(shape, x.dtype) if fill == 0 else np.full(shape, fill, x.dtype)
    out[:, top:top + h, left:left + w, :] = x
    return out


def _sizes(v):
    """A sizes input (an int array) as a tuple of ints (tolist: no NumPy scalar per item)."""
    return tuple(int(d) for d in np.asarray(v).tolist())


def _windows(xp, k_hw, attrs, oh, ow):
    """Strided view (N, OH, OW, C, kh, kw) of the padded input: no copy."""
    s, d = attrs["strides"], attrs.get("dilations", (1, 1, 1, 1))
    ekh, ekw = (k_hw[0] - 1) * d[1] + 1, (k_hw[1] - 1) * d[2] + 1
    v = sliding_window_view(xp, (ekh, ekw), axis=(1, 2))
    v = v[:, ::s[1], ::s[2], :, ::d[1], ::d[2]]
    return v[:, :oh, :ow]


def _tap(i, j, attrs, oh, ow):
    """The slice of the padded input that kernel tap (i, j) reads, for all outputs at once."""
    s, d = attrs["strides"], attrs.get("dilations", (1, 1, 1, 1))
    rows = slice(i * d[1], i * d[1] + s[1] * (oh - 1) + 1, s[1])
    cols = slice(j * d[2], j * d[2] + s[2] * (ow - 1) + 1, s[2])
    return (slice(None), rows, cols, slice(None))


def _columns(xp, k_hw, attrs, oh, ow):
    """im2col: the windows of the padded NHWC input as a (kh * kw * C, N * OH * OW) matrix, its
    rows in the filter's HWIO order, made with one copy of a strided view; BLAS takes either of
    its two layouts without a copy."""
    n, _, _, c = xp.shape
    kh, kw = k_hw
    s, d = attrs["strides"], attrs.get("dilations", (1, 1, 1, 1))
    xp = np.ascontiguousarray(xp)
    batch, row, col, depth = xp.strides
    taps, outs = (row * d[1], col * d[2], depth), (batch, row * s[1], col * s[2])
    # The copy costs mostly per inner loop: lay the matrix out where that loop runs longest, a
    # window row (kw * C adjacent values; C with dilations) or an output row (OW values, strided
    # unless C is 1: counted at half), as the transpose of (N * OH * OW, kh * kw * C) or as is.
    # np.ndarray over xp's buffer is as_strided's view without its Python overhead.
    window_run = c * kw if d[2] == 1 else c
    if ow > 2 * window_run:
        view = np.ndarray((kh, kw, c, n, oh, ow), xp.dtype, xp, 0, taps + outs)
        return view.reshape(kh * kw * c, n * oh * ow)
    view = np.ndarray((n, oh, ow, kh, kw, c), xp.dtype, xp, 0, outs + taps)
    return view.reshape(n * oh * ow, kh * kw * c).T


def _wide_columns(xp, k_hw, attrs, oh, ow):
    """im2col for stride 1 as _columns lays it out when output rows are long, but with each
    image's positions one run: all Wp (padded width) positions of every output row but the
    last, so (oh - 1) * Wp + ow positions per image, the Wp - ow extra ones per row (windows
    that wrap around into the next padded row) computed and thrown away. None where that does
    not pay; else the (kh * kw * C, N * positions) matrix and `real(a)`, the (N, OH, OW, F)
    view of the real positions in the rows of an (N * positions, F) C-contiguous array."""
    n, hp, wp, c = xp.shape
    kh, kw = k_hw
    d = attrs.get("dilations", (1, 1, 1, 1))
    span = (oh - 1) * wp + ow
    window_run = c * kw if d[2] == 1 else c           # as in _columns
    # a copy costs mostly per run, the matmul per position: worth it while the extra
    # positions are at most a quarter of the real ones
    if tuple(attrs["strides"][1:3]) != (1, 1) or 4 * (wp - ow) > ow or span <= 2 * window_run:
        return None
    xp = np.ascontiguousarray(xp)
    e = xp.itemsize
    # the last position of an image reads its last padded element: within the image
    view = np.ndarray((kh, kw, c, n, span), xp.dtype, xp, 0,
                      (d[1] * wp * c * e, d[2] * c * e, e, hp * wp * c * e, c * e))

    def real(a):
        f, e = a.shape[1], a.itemsize
        return np.ndarray((n, oh, ow, f), a.dtype, a, 0, (span * f * e, wp * f * e, f * e, e))
    return view.reshape(kh * kw * c, n * span), real


def _padded_zeros(x_shape, pads, dtype):
    n, h, w, c = x_shape
    return np.zeros((n, h + pads[0] + pads[1], w + pads[2] + pads[3], c), dtype)


def _crop(xp, pads, x_shape):
    return xp[:, pads[0]:pads[0] + x_shape[1], pads[2]:pads[2] + x_shape[2], :]


def _spatial(value, name, data_format="NHWC"):
    """TF's 1, 2 or 4 numbers for ksize / strides / dilations, as an NHWC 4-tuple."""
    v = as_ints(None, name, value)
    if len(v) == 1:
        return (1, v[0], v[0], 1)
    if len(v) == 2:
        return (1, v[0], v[1], 1)
    if len(v) == 4:
        return (v[0], v[2], v[3], v[1]) if data_format == "NCHW" else tuple(v)
    raise ValueError(in_api(f"{name} should be of length 1, 2 or 4 but was {len(v)}"))


def _data_format(data_format, op_name):
    if data_format in (None, "NHWC"):
        return "NHWC"
    if data_format == "NCHW":
        return "NCHW"
    raise ValueError(f"{op_name}: data_format must be 'NHWC' or 'NCHW', got "
                     f"{short_repr(data_format)}")


def _check_window(values, name, what):
    if values[0] != 1 or values[3] != 1:
        raise InvalidArgumentError(f"Current implementation does not yet support {what} in the "
                                   "batch and depth dimensions.")
    if values[1] < 1 or values[2] < 1:
        raise InvalidArgumentError(f"{name}: the height and width {what} must be > 0, got "
                                   f"{list(values)}")


def _nchw_wrapped(fn, x, data_format):
    """Run an NHWC op on an NCHW input (TF's CPU kernels are NHWC only; we transpose)."""
    if data_format != "NCHW":
        return fn(x)
    return transpose(fn(transpose(x, [0, 2, 3, 1])), [0, 3, 1, 2])


# -- conv2d --------------------------------------------------------------------------------------

def _check_conv(x, w):
    """TF's Conv2D shape rules on (partly) known shapes."""
    x, w = TensorShape(x), TensorShape(w)

    def where():
        return f"for 'Conv2D' with input shapes: {shape_text(x)}, {shape_text(w)}."
    for s in (x, w):
        if s.rank is not None and s.rank != 4:
            raise ValueError(f"conv2d: Shape must be rank 4 but is rank {s.rank} {where()}")
    if x.rank is None or w.rank is None:
        return
    depth, filter_depth = x.dims[3], w.dims[2]
    if depth is None or filter_depth is None or depth == filter_depth:
        return
    if filter_depth == 0 or depth % filter_depth:
        raise ValueError(f"Depth of input ({depth}) is not a multiple of input depth of filter "
                         f"({filter_depth}) {where()}")
    raise UnimplementedError(f"conv2d: grouped convolution (input depth {depth}, filter input "
                             f"depth {filter_depth}) is not supported {where()}")


def _conv2d_kernel(x, w, **attrs):
    """attrs: strides, padding, dilations, explicit_paddings (see conv2d)."""
    if x.shape[3] != w.shape[2]:
        _check_conv(x.shape, w.shape)
    pads, oh, ow = _geometry(x.shape, w.shape[:2], attrs)
    n, f = x.shape[0], w.shape[3]
    if not (oh and ow and x.size):
        return np.zeros((n, oh, ow, f), x.dtype)
    xp = _pad(x, pads)
    wide = _wide_columns(xp, w.shape[:2], attrs, oh, ow)
    if wide is not None:
        cols, real = wide
        return np.array(real(cols.T @ w.reshape(-1, f)), x.dtype, order="C")
    cols = _columns(xp, w.shape[:2], attrs, oh, ow)
    y = cols.T @ w.reshape(-1, f)                           # HWIO rows match the columns
    return y.reshape(n, oh, ow, f).astype(x.dtype, copy=False)


def _check_out_backprop(op_type, dy_shape, oh, ow):
    if tuple(dy_shape[1:3]) != (oh, ow):
        raise InvalidArgumentError(f"{op_type}: Size of out_backprop doesn't match computed: "
                                   f"actual = {list(dy_shape[1:3])}, computed = {[oh, ow]}")


def _conv_backprop_input_kernel(input_sizes, w, dy, **attrs):
    """d conv2d / d input: scatter dy @ w^T back onto the padded input, one tap at a time."""
    x_shape = _sizes(input_sizes)
    pads, oh, ow = _geometry(x_shape, w.shape[:2], attrs)
    _check_out_backprop("Conv2DBackpropInput", dy.shape, oh, ow)
    dxp = _padded_zeros(x_shape, pads, dy.dtype)
    if oh and ow:
        f = w.shape[3]
        cols = (dy.reshape(-1, f) @ w.reshape(-1, f).T).reshape(dy.shape[:3] + w.shape[:3])
        for i in range(w.shape[0]):
            for j in range(w.shape[1]):
                dxp[_tap(i, j, attrs, oh, ow)] += cols[:, :, :, i, j, :]
    return _crop(dxp, pads, x_shape)


def _conv_backprop_filter_kernel(x, filter_sizes, dy, **attrs):
    """d conv2d / d filter: the input's columns times dy (one BLAS call), already HWIO."""
    w_shape = _sizes(filter_sizes)
    pads, oh, ow = _geometry(x.shape, w_shape[:2], attrs)
    _check_out_backprop("Conv2DBackpropFilter", dy.shape, oh, ow)
    if not (oh and ow and x.size):
        return np.zeros(w_shape, x.dtype)
    # (not _wide_columns: dy would need the same extra positions, as zeros, and the copy
    # that takes costs what the shorter column copy saves)
    cols = _columns(_pad(x, pads), w_shape[:2], attrs, oh, ow)
    dw = cols @ dy.reshape(-1, dy.shape[3])
    return dw.reshape(w_shape).astype(x.dtype, copy=False)


def _conv_infer(inputs, attrs):
    x, w = inputs[0].shape, inputs[1].shape
    _check_conv(x, w)
    xd = x.dims if x.rank is not None else [None] * 4
    wd = w.dims if w.rank is not None else [None] * 4
    _, oh, ow = _geometry(xd, wd[:2], attrs)
    return [(inputs[0].dtype, TensorShape([xd[0], oh, ow, wd[3]]))]


def _sizes_infer(index, fallback):
    """Static shape of a backprop op's output, from its sizes input: a constant, or the Shape
    of a tensor (whose known dims count); what the other inputs tell (`fallback(inputs)`, a
    list with None for unknown dims) fills the rest."""
    def infer(inputs, attrs):
        sizes = inputs[index]
        value = constant_value(sizes)
        if value is not None:
            dims = [int(v) for v in value]
        else:
            dims = fallback(inputs)
            source = getattr(sizes, "op", None)
            if source is not None and source.type == "Shape" and source.inputs[0].shape.rank:
                known = source.inputs[0].shape.dims
                dims = [k if k is not None else d for k, d in zip(known, dims)]
        return [(inputs[-1].dtype, TensorShape(dims))]
    return infer


def _dim(t, i):
    return t.shape.dims[i] if t.shape.rank is not None else None


register_kernel("Conv2D", _conv2d_kernel, infer=_conv_infer)
register_kernel("Conv2DBackpropInput", _conv_backprop_input_kernel, infer=_sizes_infer(
    0, lambda i: [_dim(i[2], 0), None, None, _dim(i[1], 2)]))
register_kernel("Conv2DBackpropFilter", _conv_backprop_filter_kernel, infer=_sizes_infer(
    1, lambda i: [None, None, _dim(i[0], 3), _dim(i[2], 3)]))


def _conv_padding(padding, data_format="NHWC"):
    """(padding, explicit_paddings (top, bottom, left, right)) from TF's "SAME", "VALID" or a
    list of 4 [before, after] pairs in the data format's order."""
    if isinstance(padding, str):
        if padding in ("SAME", "VALID"):
            return padding, ()
        if padding == "EXPLICIT":
            raise ValueError(in_api('"EXPLICIT" is not a valid value for `padding`. To use '
                                    "explicit padding, `padding` must be a list."))
        raise ValueError(in_api(f"padding must be 'SAME', 'VALID' or a list of [before, after] "
                                f"pairs, got {short_repr(padding)}"))
    try:
        pairs = np.asarray(constant_value(padding) if isinstance(padding, Tensor) else padding)
    except ValueError:                        # a ragged list
        pairs = np.asarray(None)
    if pairs.shape != (4, 2) or pairs.dtype.kind not in "iu" or (pairs < 0).any():
        raise ValueError(in_api("When explicit padding is used, `padding` must be a list of 4 "
                                "[before, after] pairs of non-negative ints, got "
                                f"{short_repr(padding)}"))
    spatial, other = ([2, 3], [0, 1]) if data_format == "NCHW" else ([1, 2], [0, 3])
    if pairs[other].any():
        raise ValueError("conv2d: explicit padding is not allowed in the batch and depth "
                         f"dimensions, got {short_repr(padding)}")
    return "EXPLICIT", tuple(int(v) for v in pairs[spatial].ravel())


def _conv_call_attrs(strides, padding, dilations, data_format):
    padding, explicit = _conv_padding(padding, data_format)
    attrs = {"strides": _spatial(strides, "strides", data_format), "padding": padding,
             "dilations": _spatial(1 if dilations is None else dilations, "dilations",
                                   data_format),
             "explicit_paddings": explicit}
    _check_window(attrs["strides"], "conv2d", "strides")
    _check_window(attrs["dilations"], "conv2d", "dilations")
    return attrs


# The attrs parsed from the window arguments of conv2d and the poolings, by those arguments (as
# given: ints, strings; lists as tuples): the eager fast paths parse a call's arguments
# once. Only arguments the general path accepted get here; the attrs dicts are never written.
_PARSED = {}


def _key(*args):
    """A hashable key for window arguments, or None (a tensor, nested lists: parse each time)."""
    key = []
    for a in args:
        if type(a) is list or type(a) is tuple:
            if not all(type(v) is int for v in a):
                return None
            a = tuple(a)
        elif a is not None and type(a) not in (int, str):
            return None
        key.append(a)
    return tuple(key)


def _remember(key, attrs):
    if key is not None:
        if len(_PARSED) >= 256:
            _PARSED.clear()
        _PARSED[key] = attrs


def conv2d(input, filters, strides, padding, data_format="NHWC", dilations=None,  # noqa: A002
           name=None):
    """2-D cross-correlation of an NHWC `input` with HWIO `filters`.

        y = tf.nn.conv2d(images, filters, strides=2, padding="SAME")   # [N, ceil(H/2), ...]

    `strides` / `dilations`: an int or 1, 2 or 4 ints; `padding`: "SAME", "VALID" or explicit
    [[0, 0], [top, bottom], [left, right], [0, 0]]. Inputs of rank > 4 are batches of batches.
    """
    key = _key("Conv2D", strides, padding, dilations, data_format)
    attrs = _PARSED.get(key) if key is not None else None
    if attrs is not None and type(input) is EagerTensor and _eager():
        # eager, arguments seen before: the checks of the general path on arrays, then the op
        w = filters.value() if type(filters) is Variable else filters
        xv = input._value
        if type(w) is EagerTensor and w.dtype is input.dtype and input.dtype.is_floating and \
                xv.ndim == 4 and w._value.ndim == 4 and xv.shape[3] == w._value.shape[2]:
            return run_eager(OPS["Conv2D"], input, w, attrs)
        filters = w
    x, w = convert_same_dtype("Conv2D", [input, filters], ["input", "filters"])
    if not x.dtype.is_floating:
        raise TypeError(f"Value passed to parameter 'input' of op 'Conv2D' has DataType "
                        f"{x.dtype.name} not in the list of allowed values: float16, float32, "
                        "float64")
    fmt = _data_format(data_format, "conv2d")
    attrs = _conv_call_attrs(strides, padding, dilations, fmt)
    if fmt == "NHWC":
        _remember(key, attrs)
    batch = None
    if x.shape.rank is not None and x.shape.rank > 4:
        x, batch = _fold_batch(x)
    _check_conv(x.shape if fmt == "NHWC" else _to_nhwc(x.shape), w.shape)
    y = _nchw_wrapped(lambda t: execute("Conv2D", [t, w], attrs, name=name)[0], x, fmt)
    return y if batch is None else _unfold_batch(y, batch)


def conv2d_transpose(input, filters, output_shape, strides, padding="SAME",  # noqa: A002
                     data_format="NHWC", dilations=None, name=None):
    """The transpose (gradient) of conv2d: maps [N, OH, OW, O] to `output_shape` [N, H, W, C]."""
    if _data_format(data_format, "conv2d_transpose") == "NCHW":
        raise UnimplementedError("conv2d_transpose: only NHWC is supported")
    return conv2d_backprop_input(output_shape, filters, input, strides, padding, dilations,
                                 "conv2d_transpose" if name is None else name)


def _to_nhwc(s):
    return s if s.rank != 4 else TensorShape([s.dims[i] for i in (0, 2, 3, 1)])


def _fold_batch(x):
    """[*batch, A, B, C] -> [-1, A, B, C], and the batch dims (a list, or a shape tensor)."""
    if x.shape.is_fully_defined():
        dims = x.shape.dims
        return reshape(x, [-1] + dims[-3:]), dims[:-3]
    dims = shape(x)
    return reshape(x, concat([[-1], dims[-3:]], 0)), dims[:-3]


def _unfold_batch(y, batch):
    if isinstance(batch, list) and y.shape.is_fully_defined():
        return reshape(y, batch + y.shape.dims[1:])
    if isinstance(batch, list):
        batch = convert_to_tensor(batch, dtype=dtypes.int32)
    return reshape(y, concat([batch, shape(y)[1:]], 0))


def _conv_attrs(op):
    return {"strides": op.get_attr("strides"), "padding": op.get_attr("padding"),
            "dilations": op.get_attr("dilations"),
            "explicit_paddings": attr_or(op, "explicit_paddings", ())}


@gradient("Conv2D")
def _conv2d_grad(op, dy):
    """backprop_input(shape(x), w, dy), backprop_filter(x, shape(w), dy)"""
    x, w = op.inputs
    a = _conv_attrs(op)
    skip = op.skip_input_indices or ()       # eager: e.g. no gradient for the input images
    dx = None if 0 in skip else execute("Conv2DBackpropInput", [shape(x), w, dy], a)[0]
    dw = None if 1 in skip else execute("Conv2DBackpropFilter", [x, shape(w), dy], a)[0]
    return dx, dw


@gradient("Conv2DBackpropInput")
def _conv_backprop_input_grad(op, g):
    """linear in (w, dy): d/dw = backprop_filter(g, shape(w), dy), d/ddy = conv2d(g, w)"""
    _, w, dy = op.inputs
    a = _conv_attrs(op)
    return (None, execute("Conv2DBackpropFilter", [g, shape(w), dy], a)[0],
            execute("Conv2D", [g, w], a)[0])


@gradient("Conv2DBackpropFilter")
def _conv_backprop_filter_grad(op, g):
    """linear in (x, dy): d/dx = backprop_input(shape(x), g, dy), d/ddy = conv2d(x, g)"""
    x, _, dy = op.inputs
    a = _conv_attrs(op)
    return (execute("Conv2DBackpropInput", [shape(x), g, dy], a)[0], None,
            execute("Conv2D", [x, g], a)[0])


def conv2d_backprop_input(input_sizes, filters, out_backprop, strides, padding, dilations=None,
                          name=None):
    """The gradient of conv2d w.r.t. its input, for an input of shape `input_sizes` (NHWC)."""
    w, dy = convert_same_dtype("Conv2DBackpropInput", [filters, out_backprop],
                               ["filter", "out_backprop"])
    attrs = _conv_call_attrs(strides, padding, dilations, "NHWC")
    sizes = convert_to_tensor(input_sizes, dtype=dtypes.int32)
    return execute("Conv2DBackpropInput", [sizes, w, dy], attrs, name=name)[0]


def conv2d_backprop_filter(input, filter_sizes, out_backprop, strides, padding,  # noqa: A002
                           dilations=None):
    """The gradient of conv2d w.r.t. its filters, of shape `filter_sizes` (HWIO)."""
    x, dy = convert_same_dtype("Conv2DBackpropFilter", [input, out_backprop],
                               ["input", "out_backprop"])
    attrs = _conv_call_attrs(strides, padding, dilations, "NHWC")
    sizes = convert_to_tensor(filter_sizes, dtype=dtypes.int32)
    return execute("Conv2DBackpropFilter", [x, sizes, dy], attrs)[0]


# -- pooling -------------------------------------------------------------------------------------

def _lowest(dtype):
    return -np.inf if dtype.kind == "f" else np.iinfo(dtype).min


def _never_max(dtype):
    """Padding for finding the maxima: NaN equals nothing, so it never takes a gradient (even
    where the real maximum is -inf); integers have no NaN."""
    return np.nan if dtype.kind == "f" else np.iinfo(dtype).min


def _window_taps(attrs, oh, ow):
    """The slice of the padded input that each tap (i, j) of the windows reads, in row-major
    order: pooling is a loop over the kh * kw taps of elementwise ops on output-sized views."""
    _, kh, kw, _ = attrs["ksize"]
    return [_tap(i, j, attrs, oh, ow) for i in range(kh) for j in range(kw)]


def _first_max_masks(xp, y, attrs, oh, ow):
    """For each tap: its slice and where it holds its window's first maximum `y` (TF gives the
    gradient to the first one among ties, e.g. the all-zero windows after a relu)."""
    taken = None
    for tap in _window_taps(attrs, oh, ow):
        hit = xp[tap] == y
        first = hit if taken is None else hit > taken       # a maximum no earlier tap took
        taken = hit if taken is None else taken | hit
        yield tap, first


def _route(mask, values, finite):
    """values where mask, else 0. Multiplying by the 0/1 mask costs a fraction of np.where on an
    irregular mask, and is exact while values are finite (0 * inf would leak a NaN)."""
    if finite:
        return mask * values
    return np.where(mask, values, np.zeros((), values.dtype))


def _all_finite(a):
    return a.dtype.kind != "f" or bool(np.isfinite(a).all())


def _tiling(attrs, pads):
    """(kh, kw) where the windows tile the input (ksize == strides, no padding; rows and
    columns past the last window belong to none), else None."""
    k_hw = tuple(attrs["ksize"][1:3])
    return k_hw if k_hw == tuple(attrs["strides"][1:3]) and not any(pads) else None


def _tap_major(x, k_hw, oh, ow):
    """The taps of windows that tile x, as (kh * kw, N, OH, OW, C) in row-major tap order: one
    copy, after which the ops over taps run on whole arrays (NumPy's ops on strided views of
    the taps cost several times as much per element as the copy)."""
    (kh, kw), (n, c) = k_hw, (x.shape[0], x.shape[3])
    windows = x[:, :oh * kh, :ow * kw].reshape(n, oh, kh, ow, kw, c)
    taps = np.ascontiguousarray(windows.transpose(2, 4, 0, 1, 3, 5))
    return taps.reshape(kh * kw, n, oh, ow, c)


def _max_pool_kernel(x, **attrs):
    """attrs: ksize, strides, padding (NHWC 4-tuples, "SAME" / "VALID")."""
    pads, oh, ow = _geometry(x.shape, attrs["ksize"][1:3], attrs)
    if not (oh and ow and x.size):
        return np.zeros((x.shape[0], oh, ow, x.shape[3]), x.dtype)
    # padding never wins a max: SAME max pooling ignores it
    xp = _pad(x, pads, _lowest(x.dtype))
    (_, kh, kw, _), (_, sh, sw, _) = attrs["ksize"], attrs["strides"]
    # separable: the maximum over each window's rows, then over its columns (kh + kw - 2
    # elementwise maxima of strided views, the first ones over whole rows; NumPy's reduction
    # over small strided window axes costs several times more)
    rows = _maximum_of([xp[:, i:i + sh * (oh - 1) + 1:sh] for i in range(kh)])
    return _maximum_of([rows[:, :, j:j + sw * (ow - 1) + 1:sw] for j in range(kw)])


def _maximum_of(views):
    """The elementwise maximum of same-shaped arrays, as a new array."""
    if len(views) == 1:
        return views[0].copy()
    out = np.maximum(views[0], views[1])
    for v in views[2:]:
        np.maximum(out, v, out=out)
    return out


def _max_pool_grad_kernel(orig_input, orig_output, grad, **attrs):
    """Each dy goes to the first maximum `orig_output` of its window."""
    pads, oh, ow = _geometry(orig_input.shape, attrs["ksize"][1:3], attrs)
    n, _, _, c = orig_input.shape
    k_hw = _tiling(attrs, pads)
    if k_hw is not None and oh and ow and n and c and _bits(grad) is not None and \
            orig_output.shape == grad.shape == (n, oh, ow, c):
        return _max_pool_grad_tiled(orig_input, orig_output, grad, k_hw)
    dxp = _padded_zeros(orig_input.shape, pads, grad.dtype)
    if oh and ow and orig_input.size:
        xp = _pad(orig_input, pads, _never_max(orig_input.dtype))
        finite = _all_finite(grad)
        (_, kh, kw, _), (_, sh, sw, _) = attrs["ksize"], attrs["strides"]
        overlap = sh < kh or sw < kw        # else each input element gets one dy at most
        for tap, first in _first_max_masks(xp, orig_output, attrs, oh, ow):
            if overlap:
                dxp[tap] += _route(first, grad, finite)
            elif finite:
                np.multiply(first, grad, out=dxp[tap])    # written in place: half the cost
            else:
                dxp[tap] = _route(first, grad, finite)
    return _crop(dxp, pads, orig_input.shape)


def _max_pool_grad_tiled(x, y, dy, k_hw):
    """MaxPoolGrad where the windows tile the input: the first maximum of each window found
    and dy routed to it on the tap-major copy, and one copy puts dx back in place."""
    (kh, kw), (n, oh, ow, c) = k_hw, y.shape
    taps = kh * kw
    hit = np.equal(_tap_major(x, k_hw, oh, ow), y).reshape(taps, -1)
    taken = hit[0]                          # a maximum seen at an earlier tap of the window
    for t in range(1, taps):
        np.greater(hit[t], taken, out=hit[t])
        if t < taps - 1:
            taken = np.logical_or(taken, hit[t], out=None if t == 1 else taken)
    # dy's bits times the 0/1 mask: exact for any dy (a float product makes 0 * inf a NaN)
    bits = _bits(dy)
    routed = np.multiply(dy.view(bits).reshape(-1), hit).reshape(kh, kw, n, oh, ow, c)
    dx = np.empty((n, oh, kh, ow, kw, c), bits)
    np.copyto(dx, routed.transpose(2, 3, 0, 4, 1, 5))
    dx = dx.view(dy.dtype).reshape(n, oh * kh, ow * kw, c)
    if dx.shape == x.shape:
        return dx
    full = np.zeros(x.shape, dy.dtype)
    full[:, :oh * kh, :ow * kw] = dx
    return full


def _max_pool_grad_grad_kernel(orig_input, orig_output, grad, **attrs):
    """For each output, the input-shaped `grad` read at the first maximum of its window."""
    pads, oh, ow = _geometry(orig_input.shape, attrs["ksize"][1:3], attrs)
    out = np.zeros(orig_output.shape, grad.dtype)
    if oh and ow and orig_input.size:
        xp = _pad(orig_input, pads, _never_max(orig_input.dtype))
        gp = _pad(grad, pads)
        finite = _all_finite(grad)
        for tap, first in _first_max_masks(xp, orig_output, attrs, oh, ow):
            out += _route(first, gp[tap], finite)
    return out


def _window_counts(h, w, attrs):
    """(OH, OW): how many real (unpadded) elements each window covers."""
    k_hw = attrs["ksize"][1:3]
    pads, oh, ow = _geometry((1, h, w, 1), k_hw, attrs)
    ones = _pad(np.ones((1, h, w, 1)), pads)
    return _windows(ones, k_hw, attrs, oh, ow).sum(axis=(3, 4, 5))[0]


def _avg_pool_kernel(x, **attrs):
    """attrs: ksize, strides, padding (NHWC 4-tuples, "SAME" / "VALID")."""
    pads, oh, ow = _geometry(x.shape, attrs["ksize"][1:3], attrs)
    if not (oh and ow and x.size):
        return np.zeros((x.shape[0], oh, ow, x.shape[3]), x.dtype)
    win = _windows(_pad(x, pads), attrs["ksize"][1:3], attrs, oh, ow)
    # SAME: divide by the number of real elements in the window, not the window size
    counts = _window_counts(x.shape[1], x.shape[2], attrs)
    return (win.sum(axis=(4, 5)) / counts[:, :, None]).astype(x.dtype, copy=False)


def _avg_pool_grad_kernel(orig_input_shape, grad, **attrs):
    """Each dy, divided by its window's count, spread over the window."""
    x_shape = _sizes(orig_input_shape)
    _, kh, kw, _ = attrs["ksize"]
    pads, oh, ow = _geometry(x_shape, (kh, kw), attrs)
    dxp = _padded_zeros(x_shape, pads, grad.dtype)
    if oh and ow:
        counts = _window_counts(x_shape[1], x_shape[2], attrs)
        share = (grad / counts[:, :, None]).astype(grad.dtype, copy=False)
        for i in range(kh):
            for j in range(kw):
                dxp[_tap(i, j, attrs, oh, ow)] += share
    return _crop(dxp, pads, x_shape)


def _pool_infer(inputs, attrs):
    x = inputs[0].shape
    if x.rank is not None and x.rank != 4:
        raise ValueError(f"Shape must be rank 4 but is rank {x.rank} for pooling with input "
                         f"shape {shape_text(x)}.")
    dims = x.dims if x.rank is not None else [None] * 4
    _, oh, ow = _geometry(dims, attrs["ksize"][1:3], attrs)
    return [(inputs[0].dtype, TensorShape([dims[0], oh, ow, dims[3]]))]


register_kernel("MaxPool", _max_pool_kernel, infer=_pool_infer)
register_kernel("MaxPoolGrad", _max_pool_grad_kernel, infer=fixed(shape=lambda i, a: i[0].shape))
register_kernel("MaxPoolGradGrad", _max_pool_grad_grad_kernel,
                infer=fixed(shape=lambda i, a: i[1].shape))
register_kernel("AvgPool", _avg_pool_kernel, infer=_pool_infer)
register_kernel("AvgPoolGrad", _avg_pool_grad_kernel, infer=_sizes_infer(
    0, lambda i: [_dim(i[1], 0), None, None, _dim(i[1], 3)]))


def _pool(op_type, x, ksize, strides, padding, data_format, name, allowed):
    key = _key(op_type, ksize, strides, padding, data_format)
    attrs = _PARSED.get(key) if key is not None else None
    if attrs is not None and type(x) is EagerTensor and x._value.ndim == 4 and \
            allowed(x.dtype) and _eager():
        return run_eager(OPS[op_type], x, None, attrs)     # eager, arguments seen before
    public = "max_pool2d" if op_type == "MaxPool" else "avg_pool2d"
    x = convert_to_tensor(x)
    if not allowed(x.dtype):
        raise TypeError(f"Value passed to parameter 'input' of op '{op_type}' has DataType "
                        f"{x.dtype.name} not in the list of allowed values")
    fmt = _data_format(data_format, public)
    if not isinstance(padding, str) or padding not in ("SAME", "VALID"):
        raise ValueError(f"{public}: padding must be 'SAME' or 'VALID', got {short_repr(padding)}")
    attrs = {"ksize": _spatial(ksize, "ksize", fmt), "strides": _spatial(strides, "strides", fmt),
             "padding": padding}
    _check_window(attrs["ksize"], public, "pooling")
    _check_window(attrs["strides"], public, "strides")
    if x.shape.rank is not None and x.shape.rank != 4:
        raise ValueError(f"{public}: Shape must be rank 4 but is rank {x.shape.rank} for "
                         f"'{op_type}' with input shape {shape_text(x.shape)}.")
    if fmt == "NHWC":
        _remember(key, attrs)
    return _nchw_wrapped(lambda t: execute(op_type, [t], attrs, name=name)[0], x, fmt)


def max_pool2d(input, ksize, strides, padding, data_format="NHWC", name=None):  # noqa: A002
    """The maximum of each window (SAME padding never wins a max)."""
    return _pool("MaxPool", input, ksize, strides, padding, data_format,
                 "MaxPool2d" if name is None else name, is_real)


def avg_pool2d(input, ksize, strides, padding, data_format="NHWC", name=None):  # noqa: A002
    """The mean of each window (SAME: over its real elements only, as TF)."""
    return _pool("AvgPool", input, ksize, strides, padding, data_format,
                 "AvgPool2D" if name is None else name, floating)


def _only_4d(x, public):
    x = convert_to_tensor(x)
    if x.shape.rank is not None and x.shape.rank != 4:
        raise UnimplementedError(f"{public}: only 4-D inputs (2-D pooling) are supported, got "
                                 f"shape {shape_text(x.shape)}")
    return x


def max_pool(input, ksize, strides, padding, data_format=None, name=None):  # noqa: A002
    """tf.nn.max_pool on 4-D inputs: max_pool2d. Pooling other than 2-D NHWC is a
    NotImplementedError."""
    return max_pool2d(_only_4d(input, "max_pool"), ksize, strides, padding, data_format, name)


def avg_pool(input, ksize, strides, padding, data_format=None, name=None):  # noqa: A002
    """tf.nn.avg_pool on 4-D inputs: avg_pool2d. Pooling other than 2-D NHWC is a
    NotImplementedError."""
    return avg_pool2d(_only_4d(input, "avg_pool"), ksize, strides, padding, data_format,
                      "AvgPool" if name is None else name)


def _pool_attrs(op):
    return {k: op.get_attr(k) for k in ("ksize", "strides", "padding")}


def _pool_call_attrs(ksize, strides, padding):
    return {"ksize": _spatial(ksize, "ksize"), "strides": _spatial(strides, "strides"),
            "padding": padding}


def max_pool_grad(orig_input, orig_output, grad, ksize, strides, padding):
    """The gradient of max_pool2d (NHWC): each grad goes to the first maximum of its window."""
    inputs = convert_same_dtype("MaxPoolGrad", [orig_input, orig_output, grad],
                                ["orig_input", "orig_output", "grad"])
    return execute("MaxPoolGrad", inputs, _pool_call_attrs(ksize, strides, padding))[0]


def max_pool_grad_grad(orig_input, orig_output, grad, ksize, strides, padding):
    """The gradient of max_pool_grad w.r.t. its grad: `grad` (input-shaped) read at the maxima."""
    inputs = convert_same_dtype("MaxPoolGradGrad", [orig_input, orig_output, grad],
                                ["orig_input", "orig_output", "grad"])
    return execute("MaxPoolGradGrad", inputs, _pool_call_attrs(ksize, strides, padding))[0]


def avg_pool_grad(orig_input_shape, grad, ksize, strides, padding):
    """The gradient of avg_pool2d (NHWC) for an input of shape `orig_input_shape`."""
    sizes = convert_to_tensor(orig_input_shape, dtype=dtypes.int32)
    return execute("AvgPoolGrad", [sizes, convert_to_tensor(grad)],
                   _pool_call_attrs(ksize, strides, padding))[0]


@gradient("MaxPool")
def _max_pool_grad(op, dy):
    """dy routed to the first maximum of each window"""
    return execute("MaxPoolGrad", [op.inputs[0], op.outputs[0], dy], _pool_attrs(op))[0]


@gradient("MaxPoolGrad")
def _max_pool_grad_grad(op, g):
    """linear in dy: max_pool_grad_grad(x, y, g); the routing is piecewise constant in x"""
    x, y, _ = op.inputs
    return (zeros_like(x), zeros_like(y),
            execute("MaxPoolGradGrad", [x, y, g], _pool_attrs(op))[0])


@gradient("MaxPoolGradGrad")
def _max_pool_grad_grad_grad(op, g):
    """linear in grad: max_pool_grad(x, y, g)"""
    x, y, _ = op.inputs
    return zeros_like(x), zeros_like(y), execute("MaxPoolGrad", [x, y, g], _pool_attrs(op))[0]


@gradient("AvgPool")
def _avg_pool_grad(op, dy):
    """dy / count spread over each window"""
    return execute("AvgPoolGrad", [shape(op.inputs[0]), dy], _pool_attrs(op))[0]


@gradient("AvgPoolGrad")
def _avg_pool_grad_grad(op, g):
    """linear in dy: avg_pool(g)"""
    return None, execute("AvgPool", [g], _pool_attrs(op))[0]
