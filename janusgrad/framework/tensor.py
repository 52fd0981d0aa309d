"""Tensors: `EagerTensor` holds a NumPy array, `GraphTensor` is an output of a graph Operation.

Both are `Tensor`s and share the Python operators and the other methods made of ops (`__iter__`,
installed by `ops/operators.py`, where the ops they call live: the framework imports no op).
Conversion follows TF: Python floats become float32, ints int32, NumPy arrays keep their dtype,
and nothing silently becomes float64; conversions that need ops (a list holding tensors) are
registered by the ops that make them (`register_tensor_conversion_function`, TF's registry).
"""
import itertools
import numbers

import numpy as np

from . import dtypes
from .context import current_graph, default_session_for, executing_eagerly_outside_functions
from .dtypes import BY_NUMPY
from .errors import OperatorNotAllowedInGraphError, in_api, short_repr
from .shape import TensorShape
from .shape import get_shape_view


# Every tensor gets a number of its own, never reused (unlike `id()`): tapes and the sweep key
# gradients by it, so a record can hold a light stand-in (`Dropped`) of a tensor its gradient
# does not read while the tensor's array is freed.
next_id = itertools.count(1).__next__


# issue 18: the device of eager tensors and variables, TF's full name of the CPU
EAGER_DEVICE = "/job:localhost/replica:0/task:0/device:CPU:0"


class Tensor:
    """Base of eager and graph tensors; `isinstance(x, tf.Tensor)` holds for both."""
    __slots__ = ()
    __array_priority__ = 100      # NumPy scalars and arrays defer to our reflected operators

    @property
    def ndim(self):
        return self.shape.rank

    def get_shape(self):
        return get_shape_view(self.shape)     # TF1's Dimension items under v1 behaviour

    def ref(self):
        return Reference(self)

    experimental_ref = ref


class EagerTensor(Tensor):
    """A concrete value. `.numpy()` returns the array itself (do not write to it)."""
    __slots__ = ("_value", "dtype", "_id", "_stand_in", "__weakref__")
    # issue 18: where TF's eager tensors say they are (janusgrad computes on the CPU)
    device = EAGER_DEVICE

    # execute.run_eager, the op entries (ops/define.py) and tensor.stand_in fill these slots
    # themselves: keep them in step
    def __init__(self, value, dtype=None):
        self._value = value
        if dtype is None:
            dtype = BY_NUMPY.get(value.dtype) or dtypes.from_numpy(value.dtype)
        self.dtype = dtype
        self._id = next_id()
        self._stand_in = None       # made once, by the first record that drops the array

    def numpy(self):
        return self._value

    def __reduce__(self):
        # a copy (copy, deepcopy, pickle) is a new tensor, with a number of its own
        return EagerTensor, (self._value, self.dtype)

    @property
    def shape(self):
        return TensorShape._known(self._value.shape)

    def set_shape(self, shape):
        """Check that `shape` is compatible with the value's (an eager shape is known)."""
        if not self.shape.is_compatible_with(shape):
            raise ValueError(f"Tensor's shape {self.shape} is not compatible with supplied shape "
                             f"{TensorShape(shape)}.")

    @property
    def op(self):
        raise AttributeError("Tensor.op is undefined when eager execution is enabled.")

    @property
    def name(self):
        raise AttributeError("Tensor.name is undefined when eager execution is enabled.")

    @property
    def graph(self):
        raise AttributeError("Tensor.graph is undefined when eager execution is enabled.")

    def eval(self, feed_dict=None, session=None):
        raise NotImplementedError("eval is not supported when eager execution is enabled, "
                                  "is .numpy() what you're looking for?")

    def __array__(self, dtype=None, copy=None):
        v = np.asarray(self._value)
        return v if dtype is None else v.astype(dtype, copy=False)

    def __bool__(self):
        return bool(self._value)

    def __float__(self):
        return float(self._value)

    def __int__(self):
        return int(self._value)

    def __index__(self):
        if not self.dtype.is_integer:
            raise TypeError(f"Only integer tensors can be used as an index, got {self.dtype.name}")
        return int(self._value)

    def __len__(self):
        if self._value.ndim == 0:
            raise TypeError("Scalar tensor has no `len()`")
        return len(self._value)

    def __hash__(self):
        raise TypeError("Tensor is unhashable. Instead, use tensor.ref() as the key.")

    def __repr__(self):
        text = _numpy_text(self._value, is_repr=True)
        sep = "\n" if "\n" in text else ""
        return f"<tf.Tensor: shape={self.shape}, dtype={self.dtype.name}, numpy={sep}{text}>"

    def __str__(self):
        text = _numpy_text(self._value)
        sep = "\n" if "\n" in text else ""
        return f"tf.Tensor({sep}{text}, shape={self.shape}, dtype={self.dtype.name})"


class DroppedValue:
    """What a tape record holds in place of an array its op's gradient does not read (see
    `registry.gradient`'s `inputs` / `outputs`): the shape and dtype, no data."""
    __slots__ = ("shape", "dtype")

    def __init__(self, shape, dtype):
        self.shape = shape
        self.dtype = dtype

    @property
    def ndim(self):
        return len(self.shape)

    @property
    def size(self):
        return int(np.prod(self.shape))

    @property
    def nbytes(self):
        return self.size * self.dtype.itemsize

    def __array__(self, dtype=None, copy=None):
        raise RuntimeError("janusgrad: a gradient function read the value of a tensor that its "
                           "op's gradient registration says it does not read (registry."
                           "gradient's inputs=/outputs=); fix that registration")


def stand_in(t):
    """`t` as a tape record keeps it when its value is not needed: same number, no array.
    One per tensor (a tensor is often dropped by the op that makes it and the one that reads
    it)."""
    g = t._stand_in
    if g is None:
        g = t._stand_in = _new_eager(EagerTensor)
        v = t._value
        g._value = DroppedValue(v.shape, v.dtype)
        g.dtype = t.dtype
        g._id = t._id
        g._stand_in = None
    return g


_new_eager = object.__new__


class GraphTensor(Tensor):
    """The `index`-th output of a graph Operation; a value only inside `Session.run`."""
    __slots__ = ("op", "value_index", "dtype", "_shape", "_id", "__weakref__")

    def __init__(self, op, index, dtype, shape):
        self.op = op
        self.value_index = index
        self.dtype = dtype
        self._shape = shape
        self._id = next_id()

    @property
    def shape(self):
        return self._shape

    def set_shape(self, shape):
        self._shape = self._shape.merge_with(shape)

    @property
    def name(self):
        return f"{self.op.name}:{self.value_index}"

    @property
    def graph(self):
        return self.op.graph

    @property
    def device(self):
        return self.op.device                 # the tf.device scope's (issue 18)

    def consumers(self):
        return [op for op in self.op.graph.get_operations() if any(t is self for t in op.inputs)]

    def eval(self, feed_dict=None, session=None):
        return default_session_for(self.graph, session).run(self, feed_dict)

    @property
    def numpy(self):
        """As TF's symbolic tensors, none (`hasattr(t, "numpy")` tells an eager tensor)."""
        raise AttributeError(f"'SymbolicTensor' object has no attribute 'numpy': {self.name} "
                             f"{_no_value(self)}")

    def __array__(self, dtype=None, copy=None):
        raise NotImplementedError(f"Cannot convert a symbolic tf.Tensor ({self.name}) to a numpy "
                                  "array. This error may indicate that you're trying to pass a "
                                  "Tensor to a NumPy call, which is not supported.")

    def __bool__(self):
        graph = self.op.graph
        if getattr(graph, "is_function", False):    # a tf.function: TF's AutoGraph would
            # convert the `if`/`while`; janusgrad has none, so say what to write instead
            raise OperatorNotAllowedInGraphError(
                f"Using a symbolic `tf.Tensor` as a Python `bool` is not allowed: {self.name} "
                f"{_no_value(self)}. janusgrad has no AutoGraph to convert Python control flow "
                "on tensors: write `if` as tf.cond(pred, true_fn, false_fn) or an elementwise "
                "choice as tf.where(cond, x, y), and `while` as tf.while_loop(cond, body, "
                "loop_vars); `if t is not None:` tests whether a tensor is defined.")
        raise OperatorNotAllowedInGraphError(
            "Using a symbolic `tf.Tensor` as a Python `bool` is not allowed. Use "
            "`if t is not None:` instead of `if t:` to test if a tensor is defined, "
            "and use TensorFlow ops such as tf.cond to execute subgraphs "
            "conditioned on the value of a tensor.")

    def __len__(self):
        dims = self._shape.dims
        if not dims or dims[0] is None:
            raise TypeError(f"len is not well defined for the symbolic Tensor {self.name} of "
                            f"shape {self._shape}")
        return dims[0]

    def __hash__(self):
        return id(self)

    def __repr__(self):
        return f"<tf.Tensor '{self.name}' shape={self._shape} dtype={self.dtype.name}>"

    __str__ = __repr__


def _no_value(t):
    """Why the symbolic tensor `t` has no value here."""
    graph = t.op.graph
    if getattr(graph, "is_function", False):
        return (f"is being traced in the graph of {graph.name!r} (a tf.function or a control "
                "flow body): it is symbolic and has no value while it is traced (return it, or "
                "print it with tf.print)")
    return "is symbolic: it has a value only inside Session.run (or use eager mode)"


class Reference:
    """A hashable reference to a tensor (`tensor.ref()`), usable as a dict key."""
    __slots__ = ("_t",)

    def __init__(self, t):
        self._t = t

    def deref(self):
        return self._t

    def __hash__(self):
        return id(self._t)

    def __eq__(self, other):
        return isinstance(other, Reference) and other._t is self._t


def _numpy_text(value, is_repr=False):
    if np.ndim(value) == 0:
        return str(np.asarray(value).item() if value.dtype.kind != "f" else value)
    return repr(value) if is_repr else str(value)


# -- conversion ------------------------------------------------------------------------------

_PY_DEFAULTS = {"f": np.float32, "i": np.int32, "b": np.bool_, "c": np.complex128}


def to_array(value, dtype=None, name=None):
    """A NumPy array for a Python / NumPy value with TF's dtype rules (see module docstring)."""
    if dtype is not None:
        dtype = dtypes.as_dtype(dtype)
    if isinstance(value, np.ndarray | np.generic):
        arr = np.asarray(value)
        if arr.dtype.kind not in "US":        # NumPy strings are stored as objects, as below
            if dtype is None or arr.dtype == dtype.np:
                return arr
            return _cast_checked(arr, dtype, value, name)
    else:
        try:
            arr = np.asarray(value)
        except ValueError:
            raise ValueError(in_api(f"Can't convert non-rectangular Python sequence to Tensor: "
                                    f"{short_repr(value)}")) from None
    if arr.dtype == object:
        raise TypeError(_bad_value(value, dtype, name))
    if arr.dtype.kind in "US":
        if dtype is not None and dtype is not dtypes.string:
            raise TypeError(_bad_value(value, dtype, name))
        return arr.astype(object)
    if dtype is None:
        kind = arr.dtype.kind
        if kind == "i" or kind == "u":
            lo, hi = (arr.min(), arr.max()) if arr.size else (0, 0)
            return arr.astype(np.int32 if -2**31 <= lo and hi < 2**31 else np.int64)
        return arr.astype(_PY_DEFAULTS.get(kind, arr.dtype), copy=False)
    return _cast_checked(arr, dtype, value, name)


def _cast_checked(arr, dtype, value, name):
    """Convert to `dtype` only where TF would: no float -> int, no value changed by the cast."""
    target = dtype.np
    if target is None:
        raise TypeError(_bad_value(value, dtype, name))
    if arr.size == 0 and not isinstance(value, np.ndarray | np.generic):
        return arr.astype(target)     # [] has no dtype of its own: tf.constant([], tf.int32)
    if arr.dtype.kind == "f" and target.kind in "iub":
        raise TypeError(_bad_value(value, dtype, name))
    if arr.dtype.kind == "b" and target.kind != "b":
        raise TypeError(_bad_value(value, dtype, name))
    if arr.dtype.kind in "iu" and target.kind in "iu":
        out = arr.astype(target)
        if arr.size and not np.array_equal(out, arr):
            raise TypeError(_bad_value(value, dtype, name) + " (the value does not fit)")
        return out
    if arr.dtype.kind == "c" and target.kind != "c":
        raise TypeError(_bad_value(value, dtype, name))
    return arr.astype(target)


def _bad_value(value, dtype, name):
    where = f" for '{name}'" if name else ""
    want = f" of dtype {dtype.name}" if dtype is not None else ""
    return in_api(f"Cannot convert {short_repr(value)} to a Tensor{want}{where}")


def convert_to_tensor(value, dtype=None, name=None, dtype_hint=None, preferred_dtype=None):
    """A Tensor for `value`: tensors pass through, variables are read, the rest become constants."""
    if isinstance(value, Tensor):
        if dtype is not None and dtypes.as_dtype(dtype) is not value.dtype:
            raise ValueError(in_api(f"Tensor conversion requested dtype "
                                    f"{dtypes.as_dtype(dtype).name} for Tensor with dtype "
                                    f"{value.dtype.name}: {value!r}"))
        return value
    to_tensor = getattr(value, "_as_tensor", None)
    if to_tensor is not None:
        return to_tensor(dtype)
    if dtype is None:
        hint = dtype_hint if dtype_hint is not None else preferred_dtype
        if hint is not None:
            try:
                return constant(value, hint, name=name)
            except (TypeError, ValueError):
                pass
    conversions = _BY_TYPE.get(type(value))
    if conversions is None:
        conversions = _conversions_for(type(value))
    for fn in conversions:
        t = fn(value, dtype=dtype, name=name)
        if t is not NotImplemented:
            return _converted(t, fn, dtype)
    return constant(value, dtype, name=name)


def _converted(t, fn, dtype):
    """What a registered conversion returned, checked as TF checks it."""
    if not isinstance(t, Tensor):
        raise RuntimeError(f"Conversion function {fn!r} returned non-Tensor: {t!r}")
    if dtype is not None and t.dtype is not dtypes.as_dtype(dtype):
        raise RuntimeError(f"Conversion function {fn!r} returned incompatible dtype: requested "
                           f"= {dtypes.as_dtype(dtype).name}, actual = {t.dtype.name}")
    return t


# -- conversions registered from above (TF's tensor_conversion_registry) ------------------------

_CONVERSIONS = []       # [(priority, order, base types, fn)]
_BY_TYPE = {}           # type -> the conversion functions for it, in order (found once per type)
_NUMBERS = (numbers.Number, np.ndarray, np.generic, str, bytes)


def register_tensor_conversion_function(base_type, conversion_func, priority=100):
    """Convert values of `base_type` (a type or a tuple of types) to tensors with
    `conversion_func(value, dtype=None, name=None, as_ref=False)`, which returns a Tensor or
    NotImplemented to let the next function (by `priority`, lowest first) try."""
    types = base_type if isinstance(base_type, tuple) else (base_type,)
    if not all(isinstance(t, type) for t in types):
        raise TypeError(f"base_type must be a type or a tuple of types, got {base_type!r}")
    if any(issubclass(t, _NUMBERS) for t in types):
        raise TypeError("Cannot register conversions for Python numeric types and NumPy scalars "
                        "and arrays.")
    if not callable(conversion_func):
        raise TypeError(f"conversion_func must be callable, got {conversion_func!r}")
    register_conversion(types, conversion_func, priority)


def register_conversion(types, fn, priority=100):
    """register_tensor_conversion_function without its checks, for janusgrad's own (ops/array.py
    registers lists and tuples that hold tensors)."""
    _CONVERSIONS.append((priority, len(_CONVERSIONS), tuple(types), fn))
    _CONVERSIONS.sort(key=lambda c: c[:2])
    _BY_TYPE.clear()


def _conversions_for(cls):
    found = tuple(fn for _, _, types, fn in _CONVERSIONS if issubclass(cls, types))
    _BY_TYPE[cls] = found
    return found


def constant(value, dtype=None, shape=None, name="Const"):
    """tf.constant: a tensor holding `value` (broadcast or reshaped to `shape` when given)."""
    if isinstance(value, Tensor) or hasattr(value, "_as_tensor"):
        if isinstance(value, EagerTensor):
            value = value._value
        else:           # a graph tensor or a variable: its value, cast by the Cast op
            t = convert_to_tensor(value)
            if dtype is None or dtypes.as_dtype(dtype) is t.dtype:
                return t
            from .execute import execute
            return execute("Cast", [t], {"DstT": dtypes.as_dtype(dtype)}, name=name)[0]
    arr = to_array(value, dtype, name=None if name == "Const" else name)
    if shape is not None:
        shape = tuple(TensorShape(shape).as_list())
        if arr.shape != shape:
            if arr.size == 1:
                arr = np.broadcast_to(arr.reshape(()), shape).copy()
            elif arr.size == int(np.prod(shape)):
                arr = arr.reshape(shape)
            else:
                raise TypeError(f"Eager execution of tf.constant with unsupported shape. Tensor "
                                f"has shape {arr.shape} with {arr.size} elements, but "
                                f"requested shape {list(shape)} has {int(np.prod(shape))}.")
    graph = current_graph()
    if graph is None:
        return EagerTensor(arr)
    return graph.constant(arr, name)


def is_tensor_like(x):
    return isinstance(x, Tensor) or hasattr(x, "_as_tensor")


def eq_is_identity():
    """In TF1-style graph mode `==` compares tensors by identity; elsewhere it is elementwise."""
    return not executing_eagerly_outside_functions()


def is_number(x):
    return isinstance(x, numbers.Number) and not isinstance(x, bool)
