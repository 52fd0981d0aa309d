"""DType: a thin, interned wrapper over a NumPy dtype with TensorFlow's names."""
import builtins

import numpy as np


class DType:
    """A tensor's element type (`tf.float32`, `tf.int32` ...): its `name`, its NumPy type
    `as_numpy_dtype` and kind flags (`is_floating`, `is_integer` ...)."""
    __slots__ = ("name", "np", "is_floating", "is_integer", "is_bool", "is_unsigned", "is_complex",
                 "is_differentiable")

    def __init__(self, name, np_dtype):
        self.name = name
        self.np = np.dtype(np_dtype) if np_dtype is not None else None
        kind = self.np.kind if self.np is not None else "V"
        self.is_floating = kind == "f"
        self.is_integer = kind in "iu"
        self.is_unsigned = kind == "u"
        self.is_bool = kind == "b"
        self.is_complex = kind == "c"
        self.is_differentiable = kind in "fc"    # a plain attribute: read on every recorded op

    @property
    def as_numpy_dtype(self):
        return self.np.type

    @property
    def base_dtype(self):
        return self

    @property
    def min(self):
        return np.finfo(self.np).min if self.is_floating else np.iinfo(self.np).min

    @property
    def max(self):
        return np.finfo(self.np).max if self.is_floating else np.iinfo(self.np).max

    @property
    def size(self):
        return self.np.itemsize

    def __repr__(self):
        return f"tf.{self.name}"

    def __reduce__(self):
        return as_dtype, (self.name,)


float16 = DType("float16", np.float16)
float32 = DType("float32", np.float32)
float64 = DType("float64", np.float64)
int8 = DType("int8", np.int8)
int16 = DType("int16", np.int16)
int32 = DType("int32", np.int32)
int64 = DType("int64", np.int64)
uint8 = DType("uint8", np.uint8)
uint16 = DType("uint16", np.uint16)
uint32 = DType("uint32", np.uint32)
uint64 = DType("uint64", np.uint64)
bool = DType("bool", np.bool_)  # noqa: A001  (TF's name)
complex64 = DType("complex64", np.complex64)
complex128 = DType("complex128", np.complex128)
string = DType("string", np.object_)
resource = DType("resource", None)   # variable handles
variant = DType("variant", None)     # anything else a kernel passes around

half = float16
double = float64

_ALL = [float16, float32, float64, int8, int16, int32, int64, uint8, uint16, uint32, uint64,
        bool, complex64, complex128, string]
BY_NAME = {d.name: d for d in _ALL + [resource, variant]}
BY_NAME.update(half=float16, double=float64)
BY_NUMPY = {d.np: d for d in _ALL}


def as_dtype(value):
    """A DType from a DType, a name, a NumPy dtype or a Python type (float -> float32 as TF)."""
    if isinstance(value, DType):
        return value
    if isinstance(value, str) and value in BY_NAME:
        return BY_NAME[value]
    if value is float:
        return float32
    if value is int:
        return int32
    if value is builtins.bool:
        return bool
    try:
        if isinstance(value, (list, tuple, dict)):      # NumPy's structured dtypes: not ours
            raise TypeError(value)
        return BY_NUMPY[np.dtype(value)]
    except (TypeError, KeyError, ValueError):
        from .errors import in_api, short_repr
        raise TypeError(in_api(f"Cannot convert {short_repr(value)} to a dtype: expected a "
                               "tf.DType, a dtype name such as 'float32' or a NumPy dtype")
                        ) from None


def from_numpy(np_dtype):
    """The DType of a NumPy dtype (fast path for kernels' outputs)."""
    try:
        return BY_NUMPY[np_dtype]
    except KeyError:
        return as_dtype(np_dtype)
