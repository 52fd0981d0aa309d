"""Array ops: constants, placeholders, identities, shapes, filling, reshaping, stacking, where.

Kernel and gradient side by side. Slicing, padding, gathering and tiling live in indexing.py,
which builds on this file.
"""
import numpy as np

from ..framework import dtypes
from ..framework.context import executing_eagerly
from ..framework.errors import short_repr
from ..framework.execute import execute, run_eager
from ..framework.registry import OPS, gradient, not_differentiable, register_kernel
from ..framework.shape import TensorShape
from ..framework.tensor import (EagerTensor, Tensor, constant, convert_to_tensor, is_tensor_like,
                                register_conversion)
from .control import op_scope
from .define import as_int, as_ints, convert_same_dtype, fixed, invalid

newaxis = None


# -- leaves ------------------------------------------------------------------------------------

def _const_infer(inputs, attrs):
    v = attrs["value"]
    return [(attrs["dtype"], TensorShape(v.shape))]


def _placeholder_kernel(*, dtype, shape, name=None):
    raise ValueError(f"You must feed a value for placeholder tensor with dtype {dtype.name} and "
                     f"shape {shape}")


register_kernel("Const", lambda *, value, dtype: value, infer=_const_infer)
register_kernel("Placeholder", _placeholder_kernel,
                infer=lambda i, a: [(a["dtype"], a["shape"])])
not_differentiable("Const", "Placeholder")


def placeholder(dtype, shape=None, name=None):
    """A graph input fed through `Session.run(feed_dict=...)`; shape None dims are free."""
    from ..framework.context import current_graph
    graph = current_graph()
    if graph is None:
        raise RuntimeError("tf.placeholder() is not compatible with eager execution.")
    dtype = dtypes.as_dtype(dtype)
    shape = TensorShape(shape) if shape is not None else TensorShape(None)
    return graph.add_op("Placeholder", [], {"dtype": dtype, "shape": shape},
                        [(dtype, shape)], name=name or "Placeholder").outputs[0]


# -- TF1 scopes, variables, collections (issue 18): placeholder_with_default --------------------

register_kernel("PlaceholderWithDefault", lambda x, *, dtype, shape: x,
                infer=lambda i, a: [(a["dtype"], a["shape"])])


def placeholder_with_default(input, shape, name=None):  # noqa: A002
    """`input`, unless a value is fed for it (Session.run's feed_dict); `shape` may be less
    specific than input's (None dims), and is the static shape of the result."""
    x = convert_to_tensor(input)
    shape = TensorShape(shape)
    if not executing_eagerly() and not x.shape.is_compatible_with(shape):
        raise ValueError(f"placeholder_with_default: the input's shape {x.shape} is not "
                         f"compatible with shape={shape}")
    return execute("PlaceholderWithDefault", [x], {"dtype": x.dtype, "shape": shape},
                   name=name)[0]


@gradient("PlaceholderWithDefault", inputs=(), outputs=())
def _placeholder_with_default_grad(op, dy):
    """dy"""
    return dy


def constant_value(t):
    """The value of `t` if it is known when the graph is built, else None (TF's constant_value)."""
    if isinstance(t, EagerTensor):
        return t._value
    if not isinstance(t, Tensor):
        return np.asarray(t)
    op = t.op
    if op.type == "Const":
        return op.attrs["value"]
    if op.type == "Shape" and op.inputs[0].shape.is_fully_defined():
        return np.array(op.inputs[0].shape.as_list(), op.attrs["out_type"].np)
    if op.type in ("Identity", "StopGradient"):
        return constant_value(op.inputs[0])
    if op.type == "Cast":
        v = constant_value(op.inputs[0])
        return None if v is None else v.astype(op.attrs["DstT"].np)
    if op.type in ("Pack", "Transpose", "Reshape", "ConcatV2", "StridedSlice"):
        # small shape arithmetic in gradients: fold it so that static shapes stay known
        vs = [constant_value(x) for x in op.inputs]
        return None if any(v is None for v in vs) else OPS[op.type].kernel(*vs, **op.attrs)
    return None


def shape_entries(t):
    """The entries of a 1-D int tensor known when the graph is built, None for the others, or
    None when even its length is unknown (TF's constant_value_as_shape): shape(x) gives x's
    static dims, and packs, concats and slices of such tensors keep what is known."""
    value = constant_value(t)
    if value is not None:
        return [int(v) for v in np.reshape(value, -1)]
    op = getattr(t, "op", None)
    if op is not None and op.type == "Shape":
        return op.inputs[0].shape.dims
    if op is not None and op.type == "Pack" and op.attrs["axis"] == 0:
        values = [constant_value(x) for x in op.inputs]
        return [None if v is None else int(v) for v in values]
    if op is not None and op.type == "ConcatV2":
        parts = [shape_entries(x) for x in op.inputs]
        return None if any(p is None for p in parts) else [d for p in parts for d in p]
    if op is not None and op.type == "Cast":
        return shape_entries(op.inputs[0])
    if op is not None and op.type == "StridedSlice" and len(op.inputs) == 1 \
            and len(op.attrs["key"]) == 1 and isinstance(op.attrs["key"][0], slice):
        entries = shape_entries(op.inputs[0])
        return None if entries is None else entries[op.attrs["key"][0]]
    n = t.shape[0] if t.shape.rank == 1 else None
    return None if n is None else [None] * n


# -- identities --------------------------------------------------------------------------------

register_kernel("Identity", lambda x: x)
register_kernel("StopGradient", lambda x: x)
register_kernel("IdentityN", lambda *xs: list(xs), multi=True,
                infer=lambda i, a: [(t.dtype, t.shape) for t in i])
not_differentiable("StopGradient")


def identity(input, name=None):  # noqa: A002
    """The same value; an op of its own, so that its gradient can be overridden."""
    return execute("Identity", [convert_to_tensor(input)], name=name)[0]


def identity_n(input, name=None):  # noqa: A002
    """Return a list of tensors unchanged, as one `IdentityN` op."""
    if not isinstance(input, (list, tuple)):
        raise TypeError(f"identity_n: input must be a list of tensors, got {type(input).__name__}")
    return execute("IdentityN", [convert_to_tensor(x) for x in input], name=name)


def stop_gradient(input, name=None):  # noqa: A002
    """The same value, but no gradient flows through it (a constant to autodiff)."""
    return execute("StopGradient", [convert_to_tensor(input)], name=name)[0]


@gradient("Identity", inputs=(), outputs=())
def _identity_grad(op, dy):
    """dy"""
    return dy


@gradient("IdentityN", inputs=(), outputs=())
def _identity_n_grad(op, *dys):
    """dys"""
    return list(dys)


# -- shape queries -----------------------------------------------------------------------------

register_kernel("Shape", lambda x, *, out_type: np.array(np.shape(x), out_type.np),
                infer=lambda i, a: [(a["out_type"], TensorShape([i[0].shape.rank]))])
register_kernel("Size", lambda x, *, out_type: np.array(np.size(x), out_type.np),
                infer=lambda i, a: [(a["out_type"], TensorShape([]))])
register_kernel("Rank", lambda x: np.array(np.ndim(x), np.int32),
                infer=lambda i, a: [(dtypes.int32, TensorShape([]))])
not_differentiable("Shape", "Size", "Rank")


def shape(input, out_type=dtypes.int32, name=None):  # noqa: A002
    """The shape of `input` as a 1-D tensor (int32, or `out_type`), known at run time."""
    return execute("Shape", [convert_to_tensor(input)], {"out_type": dtypes.as_dtype(out_type)},
                   name=name)[0]


def size(input, out_type=dtypes.int32, name=None):  # noqa: A002
    """The number of elements of `input` as a scalar tensor (int32, or `out_type`)."""
    return execute("Size", [convert_to_tensor(input)], {"out_type": dtypes.as_dtype(out_type)},
                   name=name)[0]


def rank(input, name=None):  # noqa: A002
    """The number of dimensions of `input`, as an int32 scalar tensor."""
    return execute("Rank", [convert_to_tensor(input)], name=name)[0]


# -- filling -----------------------------------------------------------------------------------

def _ones_like_kernel(x):
    out = np.empty(x.shape, x.dtype)        # np.ones_like's Python layers cost 1.5 us
    out.fill(1)
    return out


register_kernel("ZerosLike", lambda x: np.zeros(x.shape, x.dtype))
register_kernel("OnesLike", _ones_like_kernel)
not_differentiable("ZerosLike", "OnesLike")


def zeros_like(input, dtype=None, name="zeros_like"):  # noqa: A002
    """A tensor of zeros with the shape of `input` (and its dtype unless `dtype` is given)."""
    x = convert_to_tensor(input)
    out = execute("ZerosLike", [x], name=name)[0]
    return out if dtype is None else _cast(out, dtype)


def ones_like(input, dtype=None, name="ones_like"):  # noqa: A002
    """A tensor of ones with the shape of `input` (and its dtype unless `dtype` is given)."""
    x = convert_to_tensor(input)
    out = execute("OnesLike", [x], name=name)[0]
    return out if dtype is None else _cast(out, dtype)


def _fill_infer(inputs, attrs):
    if inputs[1].shape.rank not in (None, 0):
        raise ValueError(f"Fill: value must be a scalar, got shape {inputs[1].shape}")
    dims = shape_entries(inputs[0])
    return [(inputs[1].dtype, TensorShape(dims))]


def _fill_kernel(dims, value):
    if value.ndim:
        raise ValueError(f"Fill: value must be a scalar, got shape {list(value.shape)}")
    if np.any(dims < 0):
        raise ValueError(f"Fill dimensions must be >= 0, got {dims.tolist()}")
    return np.full(tuple(dims.tolist()), value, value.dtype)


register_kernel("Fill", _fill_kernel, infer=_fill_infer)
not_differentiable("Fill")


def shape_tensor(shape, op_type):
    """An int tensor for a shape given as a list (of ints or scalar tensors), a TensorShape or
    an int tensor."""
    if isinstance(shape, TensorShape):
        shape = shape.as_list()
    if isinstance(shape, (int, np.integer)):
        shape = [shape]
    if isinstance(shape, (list, tuple)) and any(is_tensor_like(d) for d in shape):
        shape = stack([int_tensor(d, op_type, "shape") for d in shape])
    if isinstance(shape, Tensor):
        if not shape.dtype.is_integer:
            raise TypeError(f"{op_type}: shape must be an int32/int64 tensor, got "
                            f"{short_repr(shape)}")
        return shape
    try:
        arr = np.asarray(shape)
    except ValueError:            # a ragged list
        arr = np.asarray(None)
    if (arr.size or arr.ndim != 1) and arr.dtype.kind not in "iu":
        raise TypeError(f"{op_type}: shape must be a list of ints or an int32 tensor, "
                        f"got {short_repr(shape)}")
    return constant(arr.astype(np.int32))


def fill(dims, value, name=None):
    """A tensor of shape `dims` with every element `value` (of `value`'s dtype)."""
    return execute("Fill", [shape_tensor(dims, "Fill"), convert_to_tensor(value)], name=name)[0]


def zeros(shape, dtype=dtypes.float32, name="zeros"):
    """A tensor of shape `shape` filled with zeros (float32 by default)."""
    dtype = dtypes.as_dtype(dtype)
    return fill(shape, np.zeros((), dtype.np), name=name)


def ones(shape, dtype=dtypes.float32, name="ones"):
    """A tensor of shape `shape` filled with ones (float32 by default)."""
    dtype = dtypes.as_dtype(dtype)
    return fill(shape, np.ones((), dtype.np), name=name)


def _eye_kernel(*, num_rows, num_columns, batch_shape, dtype):
    m = np.eye(num_rows, num_columns, dtype=dtype.np)
    return np.broadcast_to(m, tuple(batch_shape) + m.shape).copy() if batch_shape else m


register_kernel("Eye", _eye_kernel, infer=lambda i, a: [
    (a["dtype"], TensorShape(list(a["batch_shape"]) + [a["num_rows"], a["num_columns"]]))])
not_differentiable("Eye")


def _dynamic_eye_kernel(num_rows, num_columns, batch_shape, *, dtype):
    """Eye with its sizes given as tensors (known only when the graph runs)."""
    for what, v in (("num_rows", num_rows), ("num_columns", num_columns)):
        if v.ndim != 0 or v < 0:
            raise ValueError(f"eye: {what} must be a non-negative scalar, got {v.tolist()}")
    if batch_shape.ndim != 1 or np.any(batch_shape < 0):
        raise ValueError(f"eye: batch_shape must be a vector of sizes >= 0, got "
                         f"{batch_shape.tolist()}")
    return _eye_kernel(num_rows=int(num_rows), num_columns=int(num_columns),
                       batch_shape=tuple(batch_shape.tolist()), dtype=dtype)


def _dynamic_eye_infer(inputs, attrs):
    batch = shape_entries(inputs[2])
    if batch is None:
        return [(attrs["dtype"], TensorShape(None))]
    sizes = [constant_value(t) for t in inputs[:2]]
    return [(attrs["dtype"], TensorShape(batch + [None if v is None else int(v) for v in sizes]))]


register_kernel("DynamicEye", _dynamic_eye_kernel, infer=_dynamic_eye_infer)
not_differentiable("DynamicEye")


def eye(num_rows, num_columns=None, batch_shape=None, dtype=dtypes.float32, name=None):
    """The identity matrix (or a batch of them); sizes may be tensors fed at run time."""
    if isinstance(batch_shape, (list, tuple)) and any(isinstance(d, Tensor) for d in batch_shape):
        batch_shape = shape_tensor(batch_shape, "eye")         # one tensor for the list
    if any(isinstance(v, Tensor) and constant_value(v) is None
           for v in (num_rows, num_columns, batch_shape)):      # known only when the graph runs
        rows = int_tensor(num_rows, "eye", "num_rows")
        cols = rows if num_columns is None else int_tensor(num_columns, "eye", "num_columns")
        batch = shape_tensor([] if batch_shape is None else batch_shape, "eye")
        for what, t in (("num_rows", rows), ("num_columns", cols)):
            if t.shape.rank not in (None, 0):
                raise ValueError(f"eye: {what} must be a scalar, got shape {t.shape}")
        with op_scope(name, "eye") as scope:
            return execute("DynamicEye", [rows, cols, batch], {"dtype": dtypes.as_dtype(dtype)},
                           name=scope and "diag")[0]
    num_rows = as_int("eye", "num_rows", num_rows)
    num_columns = num_rows if num_columns is None else as_int("eye", "num_columns", num_columns)
    if num_rows < 0 or num_columns < 0:
        raise ValueError(f"eye: num_rows and num_columns must be >= 0, got {num_rows}, "
                         f"{num_columns}")
    attrs = {"num_rows": num_rows, "num_columns": num_columns,
             "batch_shape": tuple(as_ints("eye", "batch_shape",
                                          [] if batch_shape is None else batch_shape)),
             "dtype": dtypes.as_dtype(dtype)}
    with op_scope(name, "eye") as scope:         # TF's result: "eye/diag"
        return execute("Eye", [], attrs, name=scope and "diag")[0]


def _cast(x, dtype):
    from .math import cast
    return cast(x, dtype)


# -- reshaping ---------------------------------------------------------------------------------

def _reshape_kernel(tensor, shape):
    try:
        return tensor.reshape(tuple(shape.tolist()))
    except ValueError:
        unknown = [i for i, d in enumerate(shape.tolist()) if d == -1]
        if len(unknown) > 1:
            raise ValueError(f"Only one input size may be -1, not both {unknown[0]} and "
                             f"{unknown[1]}") from None
        known = [int(d) for d in shape.tolist() if d != -1]
        n = int(np.prod(known))
        # TF's words (-1 in the shape: "requires a multiple of")
        want = f"requires a multiple of {n}" if len(known) < shape.size else f"has {n}"
        raise ValueError(f"Input to reshape is a tensor with {tensor.size} values, but the "
                         f"requested shape {want}") from None


def _reshape_infer(inputs, attrs):
    x, s = inputs
    dims = shape_entries(s)
    if dims is None:
        return [(x.dtype, TensorShape(None))]
    if sum(d == -1 for d in dims) > 1:
        raise ValueError(f"Reshape: can only infer one unknown dimension, got shape {dims}")
    if any(d is not None and d < -1 for d in dims):
        raise ValueError(f"Reshape: dimensions must be >= -1, got {dims}")
    n = x.shape.num_elements()
    known = None if None in dims else int(np.prod([d for d in dims if d != -1]))
    if -1 in dims:
        if n is not None and known:
            if n % known:
                raise ValueError(f"Cannot reshape a tensor with {n} elements to shape {dims}")
            dims = [n // known if d == -1 else d for d in dims]
        else:
            dims = [None if d == -1 else d for d in dims]
    elif n is not None and known is not None and n != known:
        raise ValueError(f"Cannot reshape a tensor with {n} elements to shape {dims} "
                         f"({known} elements) for 'Reshape' with input shapes: {x.shape}")
    return [(x.dtype, TensorShape(dims))]


register_kernel("Reshape", _reshape_kernel, infer=_reshape_infer)
register_kernel("ReshapeLike", lambda x, like: x.reshape(np.shape(like)),
                infer=fixed(shape=lambda i, a: i[1].shape))


def reshape(tensor, shape, name=None):
    """The same values in a new shape (one dim may be -1)."""
    if type(tensor) is EagerTensor and type(shape) in (list, tuple) and executing_eagerly():
        s = _eager_shape(shape)
        if s is not None:
            return run_eager(OPS["Reshape"], tensor, s)
    return execute("Reshape", [convert_to_tensor(tensor), shape_tensor(shape, "Reshape")],
                   name=name)[0]


_SHAPES = {}        # tuple of ints -> its int32 shape tensor (eager tensors are immutable)


def _eager_shape(shape):
    """The shape tensor for a list of Python ints, made once (a training loop reshapes to the
    same few shapes); None for anything else."""
    for d in shape:
        if type(d) is not int:
            return None
    key = tuple(shape)
    t = _SHAPES.get(key)
    if t is None:
        if len(_SHAPES) >= 256:
            _SHAPES.clear()
        t = _SHAPES[key] = shape_tensor(shape, "Reshape")
    return t


def reshape_like(x, like):
    """x reshaped to the shape of `like` (used by gradients; no shape tensor needed)."""
    if type(x) is EagerTensor and type(like) is EagerTensor and executing_eagerly():
        # (`like` may be a record's stand-in: its shape, no array)
        if x._value.shape == like._value.shape:
            return x
        return run_eager(OPS["ReshapeLike"], x, like)
    if like.shape.is_fully_defined() and x.shape == like.shape:
        return x
    return execute("ReshapeLike", [x, like])[0]


@gradient("Reshape", inputs=(1,), outputs=())
def _reshape_grad(op, dy):
    """dy reshaped to x's shape"""
    return reshape_like(dy, op.inputs[0]), None


@gradient("ReshapeLike", inputs=(), outputs=())
def _reshape_like_grad(op, dy):
    """dy reshaped to x's shape"""
    return reshape_like(dy, op.inputs[0]), None


def _transpose_infer(inputs, attrs):
    dims = inputs[0].shape.dims
    perm = attrs["perm"]
    if dims is None:
        return [(inputs[0].dtype, TensorShape(None if perm is None else [None] * len(perm)))]
    perm = perm if perm is not None else tuple(reversed(range(len(dims))))
    return [(inputs[0].dtype, TensorShape([dims[p] for p in perm]))]


register_kernel("Transpose", lambda x, *, perm: np.transpose(x, perm), infer=_transpose_infer)


def transpose(a, perm=None, conjugate=False, name="transpose"):
    """Permute the dimensions of `a` by `perm` (reversed by default), conjugating when asked."""
    a = convert_to_tensor(a)
    rank = a.shape.rank
    if perm is not None:
        perm = tuple(as_ints("Transpose", "perm", perm))
        if rank is not None and sorted(p % rank if rank else p for p in perm) != \
                list(range(rank)):
            bad = next((p for p in perm if not 0 <= p < rank), None)   # TF's words for it
            out = f"{bad} is out of range [0 .. {rank}): " if bad is not None else ""
            raise invalid(f"Transpose: {out}perm {list(perm)} is not a permutation of "
                          f"{list(range(rank))} (input rank {rank})")
        perm = tuple(p % rank for p in perm) if rank else perm
    elif rank is not None:
        perm = tuple(reversed(range(rank)))
    return execute("Transpose", [a], {"perm": perm}, name=name)[0]


@gradient("Transpose", inputs=(), outputs=())
def _transpose_grad(op, dy):
    """transpose(dy, inverse(perm))"""
    perm = op.get_attr("perm")
    if perm is None:
        return transpose(dy)
    return transpose(dy, tuple(int(i) for i in np.argsort(perm)))


def _expand_infer(inputs, attrs):
    dims = inputs[0].shape.dims
    if dims is None:
        return [(inputs[0].dtype, TensorShape(None))]
    a = attrs["axis"]
    a = a if a >= 0 else len(dims) + 1 + a
    return [(inputs[0].dtype, TensorShape(dims[:a] + [1] + dims[a:]))]


def _expand_dims_kernel(x, *, axis):
    a = axis if axis >= 0 else axis + x.ndim + 1          # (np.expand_dims: 3 us of Python)
    return x.reshape(x.shape[:a] + (1,) + x.shape[a:])


register_kernel("ExpandDims", _expand_dims_kernel, infer=_expand_infer)


def expand_dims(input, axis, name=None):  # noqa: A002
    """Insert a dimension of size 1 at `axis` (negative counts from the end)."""
    x = convert_to_tensor(input)
    axis = as_int("ExpandDims", "axis", axis)
    r = x.shape.rank
    if r is not None and not -r - 1 <= axis <= r:
        raise invalid(f"ExpandDims: Tried to expand dim index {axis} for tensor with {r} "
                      f"dimensions. (axis out of range [{-r - 1}, {r}])")
    return execute("ExpandDims", [x], {"axis": axis}, name=name)[0]


@gradient("ExpandDims", inputs=(1,), outputs=())
def _expand_dims_grad(op, dy):
    """dy reshaped to x's shape"""
    return reshape_like(dy, op.inputs[0])


def _squeeze_kernel(x, *, axis):
    if axis:
        for a in axis:
            if x.shape[a] != 1:
                raise ValueError(f"Can not squeeze dim[{a}], expected a dimension of 1, got "
                                 f"{x.shape[a]}")
    return np.squeeze(x, axis=axis if axis else None)


def _squeeze_infer(inputs, attrs):
    dims = inputs[0].shape.dims
    axis = attrs["axis"]
    if dims is None:
        return [(inputs[0].dtype, TensorShape(None))]
    if axis:
        axis = [a % len(dims) for a in axis]
        for a in axis:
            if dims[a] is not None and dims[a] != 1:
                raise ValueError(f"Can not squeeze dim[{a}], expected a dimension of 1, got "
                                 f"{dims[a]} for 'Squeeze' with input shapes: {inputs[0].shape}")
        return [(inputs[0].dtype, TensorShape([d for i, d in enumerate(dims) if i not in axis]))]
    if any(d is None for d in dims):
        return [(inputs[0].dtype, TensorShape(None))]
    return [(inputs[0].dtype, TensorShape([d for d in dims if d != 1]))]


register_kernel("Squeeze", _squeeze_kernel, infer=_squeeze_infer)


def squeeze(input, axis=None, name=None, squeeze_dims=None):  # noqa: A002
    """Remove dimensions of size 1: all of them, or those in `axis` (TF1's `squeeze_dims`)."""
    x = convert_to_tensor(input)
    axis = axis if axis is not None else squeeze_dims
    if axis is not None:
        axis = tuple(as_ints("Squeeze", "axis", axis))
        r = x.shape.rank
        if r is not None:
            for a in axis:
                if not -r <= a < r:
                    raise invalid(f"Squeeze: axis {a} out of range for input of rank {r}")
            axis = tuple(a % r for a in axis)
    return execute("Squeeze", [x], {"axis": axis or ()}, name=name)[0]


@gradient("Squeeze", inputs=(), outputs=())
def _squeeze_grad(op, dy):
    """dy reshaped to x's shape"""
    return reshape_like(dy, op.inputs[0])


# -- stacking ----------------------------------------------------------------------------------

def _pack_infer(inputs, attrs):
    shape = inputs[0].shape
    for t in inputs[1:]:
        if not shape.is_compatible_with(t.shape):
            raise ValueError(f"Shapes of all inputs must match for 'Pack': {shape} != {t.shape}")
        shape = shape.merge_with(t.shape)
    if shape.rank is None:
        return [(inputs[0].dtype, TensorShape(None))]
    dims = shape.as_list()
    a = attrs["axis"] % (len(dims) + 1)
    return [(inputs[0].dtype, TensorShape(dims[:a] + [len(inputs)] + dims[a:]))]


def _pack_kernel(*xs, axis):
    return np.stack(xs, axis)


register_kernel("Pack", _pack_kernel, infer=_pack_infer)


def stack(values, axis=0, name="stack"):
    """Tensors of one shape stacked along a new axis."""
    if not isinstance(values, (list, tuple)) or not values:
        return _stack_whole(values, axis, name)
    values = convert_same_dtype("Pack", list(values), [f"values[{i}]" for i in range(len(values))])
    axis = as_int("Pack", "axis", axis)
    r = values[0].shape.rank
    if r is not None and not -r - 1 <= axis <= r:
        raise ValueError(f"stack: axis {axis} out of range [{-r - 1}, {r}]")
    return execute("Pack", values, {"axis": axis}, name=name)[0]


def _stack_whole(values, axis, name):
    """TF's stack of what is not a list of tensors: along axis 0, the value itself as a tensor
    (an empty list is a float32 empty vector); along another axis, an eager tensor's rows."""
    if values is None or isinstance(values, (str, bytes, dict)) or \
            (not isinstance(values, (list, tuple)) and not is_tensor_like(values)
             and not isinstance(values, np.ndarray)):
        raise ValueError(f"stack: values must be a list of tensors or a tensor, got "
                         f"{short_repr(values)}")
    if as_int("Pack", "axis", axis) == 0:
        return convert_to_tensor(values) if name == "stack" else identity(values, name=name)
    if not is_tensor_like(values):
        raise ValueError(f"stack: expected a list for 'values' when axis={axis}, got "
                         f"{short_repr(values)}")
    t = convert_to_tensor(values)
    if not isinstance(t, EagerTensor):
        raise TypeError(f"stack: expected a list for 'values' when axis={axis}, got {t!r}")
    if t.shape.rank == 0 or t.shape[0] == 0:
        raise ValueError(f"stack: cannot unpack a tensor of shape {t.shape} along axis 0")
    return stack(unstack(t), axis, name)


@gradient("Pack", inputs=(), outputs=())
def _pack_grad(op, dy):
    """unstack(dy)"""
    return unstack(dy, num=len(op.inputs), axis=op.get_attr("axis"))


def stack_nested(value, dtype=None):
    """A tensor from a (nested) list that mixes tensors and Python numbers."""
    if isinstance(value, (list, tuple)):
        parts = [stack_nested(v, dtype) for v in value]
        return stack(parts)
    return convert_to_tensor(value, dtype=dtype)


def _autopack(value, dtype=None, name=None, as_ref=False):
    """convert_to_tensor of a (nested) list or tuple: stacked when it holds a tensor or a
    variable (TF's autopacking), else a constant (NotImplemented: not ours)."""
    for v in _leaves(value):
        if isinstance(v, Tensor) or hasattr(v, "_as_tensor"):
            return stack_nested(value, dtype)
    return NotImplemented


def _leaves(seq):
    """The leaves of a nested list (without recursion: any depth is fine)."""
    pending = [iter(seq)]
    while pending:
        for v in pending[-1]:
            if isinstance(v, (list, tuple)):
                pending.append(iter(v))
                break
            yield v
        else:
            pending.pop()


register_conversion((list, tuple), _autopack)


def _unpack_infer(inputs, attrs):
    dims = inputs[0].shape.dims
    a, num = attrs["axis"], attrs["num"]
    if dims is None:
        return [(inputs[0].dtype, TensorShape(None))] * num
    a = a % len(dims)
    return [(inputs[0].dtype, TensorShape(dims[:a] + dims[a + 1:]))] * num


def _unpack_kernel(x, *, num, axis):
    if x.shape[axis] != num:
        raise ValueError(f"Unpack: input has {x.shape[axis]} entries on axis {axis}, expected "
                         f"{num}")
    return [np.take(x, i, axis) for i in range(num)]


register_kernel("Unpack", _unpack_kernel, infer=_unpack_infer, multi=True)


def unstack(value, num=None, axis=0, name="unstack"):
    """The slices of `value` along `axis`, as a list."""
    x = convert_to_tensor(value)
    dims = x.shape.dims
    axis = as_int("Unpack", "axis", axis)
    if dims is not None and not -len(dims) <= axis < len(dims):
        raise ValueError(f"unstack: axis {axis} out of range for input of rank {len(dims)}")
    if num is None:
        if dims is None or dims[axis] is None:
            raise ValueError(f"unstack: cannot infer argument `num` from shape {x.shape}")
        num = dims[axis]
    return execute("Unpack", [x], {"num": as_int("Unpack", "num", num), "axis": axis},
                   name=name)


@gradient("Unpack", inputs=(), outputs=())
def _unpack_grad(op, *dys):
    """stack(dys)"""
    return stack(list(dys), axis=op.get_attr("axis"))


def _concat_infer(inputs, attrs):
    a = attrs["axis"]
    dims = None
    for t in inputs:
        if t.shape.rank is None:
            return [(inputs[0].dtype, TensorShape(None))]
        d = t.shape.as_list()
        if dims is None:
            dims = d
            a = a % len(d)
            continue
        if len(d) != len(dims):
            raise ValueError(f"ConcatV2: inputs must have the same rank, got {inputs[0].shape} "
                             f"and {t.shape}")
        for i, (p, q) in enumerate(zip(dims, d)):
            if i == a:
                dims[i] = None if p is None or q is None else p + q
            elif p is not None and q is not None and p != q:
                raise ValueError(f"ConcatV2: dimension {i} of the inputs must match, got "
                                 f"{inputs[0].shape} and {t.shape}")
            elif p is None:
                dims[i] = q
    return [(inputs[0].dtype, TensorShape(dims))]


register_kernel("ConcatV2", lambda *xs, axis: np.concatenate(xs, axis), infer=_concat_infer)


def concat(values, axis, name="concat"):
    """Join a list of tensors along `axis` (TF's `tf.concat`)."""
    if not isinstance(values, (list, tuple)) or not values:
        raise ValueError("concat: values must be a non-empty list of tensors")
    values = convert_same_dtype("ConcatV2", list(values),
                                [f"values[{i}]" for i in range(len(values))])
    axis = as_int("ConcatV2", "axis", axis)
    if len(values) == 1:
        return identity(values[0], name=name)
    return execute("ConcatV2", values, {"axis": axis}, name=name)[0]


@gradient("ConcatV2", inputs=(), outputs=())
def _concat_grad(op, dy):
    """dy split back into the inputs' pieces"""
    return execute("SplitLike", [dy, *op.inputs], {"axis": op.get_attr("axis")})


def _split_like_kernel(dy, *likes, axis):
    sizes = np.cumsum([np.shape(x)[axis] for x in likes])[:-1]
    return np.split(dy, sizes, axis)


register_kernel("SplitLike", _split_like_kernel, multi=True,
                infer=lambda i, a: [(i[0].dtype, t.shape) for t in i[1:]])


@gradient("SplitLike")
def _split_like_grad(op, *dys):
    """concat(dys)"""
    return [concat(list(dys), op.get_attr("axis"))] + [None] * (len(op.inputs) - 1)


def _split_kernel(split_dim, value, *, num_split):
    a = int(split_dim)
    if not -value.ndim <= a < value.ndim:
        raise ValueError(f"Split: axis {a} out of range for input of rank {value.ndim}")
    if value.shape[a] % num_split:
        raise ValueError(f"Number of ways to split should evenly divide the split dimension, but "
                         f"got split_dim {a} (size = {value.shape[a]}) and num_split {num_split}")
    return np.split(value, num_split, a)


def _splitv_kernel(value, size_splits, split_dim, *, num_split):
    a = int(split_dim)
    if not -value.ndim <= a < value.ndim:
        raise ValueError(f"SplitV: axis {a} out of range for input of rank {value.ndim}")
    if size_splits.shape != (num_split,):
        raise ValueError(f"SplitV: size_splits must be a vector of {num_split} sizes, got "
                         f"{size_splits.tolist()}")
    sizes = _resolve_sizes(size_splits.tolist(), value.shape[a])
    return np.split(value, np.cumsum(sizes)[:-1], a)


def _resolve_sizes(sizes, n):
    """size_splits with its -1 (at most one) filled in; checked against the dimension n."""
    if sizes.count(-1) > 1 or any(s < -1 for s in sizes):
        raise ValueError(f"SplitV: size_splits {sizes} may hold one -1 and otherwise sizes >= 0")
    known = sum(s for s in sizes if s != -1)
    if -1 in sizes and n is not None:
        if known > n:
            raise ValueError(f"SplitV: size_splits {sizes} exceed the dimension size {n}")
        sizes = [n - known if s == -1 else s for s in sizes]
    elif n is not None and known != n:
        raise ValueError(f"Determined shape must either match input shape along split_dim "
                         f"exactly if fully specified, or be less than the size of the input "
                         f"along split_dim if not fully specified. Got: {known} vs. {n}")
    return [None if s == -1 else s for s in sizes]


def _split_infer(inputs, attrs):
    value, sizes = (inputs[1], None) if len(inputs) == 2 else (inputs[0], inputs[1])
    axis = constant_value(inputs[0] if len(inputs) == 2 else inputs[2])
    num = attrs["num_split"]
    dims = value.shape.dims
    if dims is None or axis is None:
        return [(value.dtype, TensorShape(None if dims is None else [None] * len(dims)))] * num
    a = int(axis)
    if not -len(dims) <= a < len(dims):
        raise ValueError(f"Split: axis {a} out of range for input of rank {len(dims)}")
    n = dims[a]
    if sizes is None:
        if n is not None and n % num:
            raise ValueError(f"Number of ways to split should evenly divide the split dimension, "
                             f"but got split_dim {a} (size = {n}) and num_split {num}")
        pieces = [None if n is None else n // num] * num
    else:
        known = constant_value(sizes)
        pieces = [None] * num if known is None else _resolve_sizes(known.tolist(), n)
    return [(value.dtype, TensorShape(dims[:a % len(dims)] + [p] + dims[a % len(dims) + 1:]))
            for p in pieces]


register_kernel("Split", _split_kernel, infer=_split_infer, multi=True)
register_kernel("SplitV", _splitv_kernel, infer=_split_infer, multi=True)


def split(value, num_or_size_splits, axis=0, num=None, name="split"):
    """`value` cut along `axis` into num_or_size_splits equal pieces (an int), or into pieces of
    the given sizes (a list; one may be -1 for the rest). Returns a list of tensors."""
    x = convert_to_tensor(value)
    axis_t = int_tensor(axis, "Split", "axis")
    if isinstance(num_or_size_splits, Tensor):
        known = constant_value(num_or_size_splits)
        if known is not None and known.ndim == 0:
            num_or_size_splits = int(known)
    if isinstance(num_or_size_splits, (int, np.integer)):
        n = int(num_or_size_splits)
        if n <= 0:
            raise ValueError(f"Split: num_or_size_splits must be positive, got {n}")
        return execute("Split", [axis_t, x], {"num_split": n}, name=name)
    sizes = int_tensor(num_or_size_splits, "SplitV", "size_splits")
    count = sizes.shape[0] if sizes.shape.rank == 1 else None
    if count is None:
        count = num
    if count is None:
        raise ValueError(f"split: cannot infer argument `num` from shape {sizes.shape}")
    count = as_int("SplitV", "num", count)
    return execute("SplitV", [x, sizes, axis_t], {"num_split": count}, name=name)


@gradient("Split")
def _split_grad(op, *dys):
    """concat(dys) along the split axis"""
    return None, concat(list(dys), constant_value(op.inputs[0]))


@gradient("SplitV")
def _splitv_grad(op, *dys):
    """concat(dys) along the split axis"""
    return concat(list(dys), constant_value(op.inputs[2])), None, None


def int_tensor(value, op_type, what):
    """An int32/int64 tensor for `value` (a list of ints, an int or an integer tensor)."""
    if isinstance(value, TensorShape):
        value = value.as_list()
    if isinstance(value, (list, tuple)) and not value:
        value = np.zeros(0, np.int32)      # [] would be float32
    t = value if isinstance(value, Tensor) else convert_to_tensor(value)
    if not t.dtype.is_integer:
        raise TypeError(f"{op_type}: {what} must be int32 or int64, got {t.dtype.name} "
                        f"({short_repr(value)})")
    return t

# -- where ------------------------------------------------------------------------------------

register_kernel("Where", lambda c: np.argwhere(c).astype(np.int64),
                infer=lambda i, a: [(dtypes.int64, TensorShape([None, i[0].shape.rank]))])
not_differentiable("Where")


def where(condition, x=None, y=None, name=None):
    """3 args: elementwise choice with broadcasting. 1 arg: the indices of true elements."""
    if x is None and y is None:
        c = convert_to_tensor(condition)
        if not c.dtype.is_bool:
            from .math import cast
            c = cast(c, dtypes.bool)
        return execute("Where", [c], name=name)[0]
    if x is None or y is None:
        raise ValueError("where: x and y must both be non-None or both be None.")
    from .math import where_v2
    return where_v2(condition, x, y, name=name)
