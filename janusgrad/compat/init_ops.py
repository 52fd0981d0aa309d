"""TF1's initializers (tf.compat.v1.glorot_uniform_initializer & co, TF's init_ops): objects
called as `init(shape, dtype=None, partition_info=None)`, usable as get_variable's
`initializer=`. The dtype given to the constructor is the default of the call.

Random ones draw from janusgrad's random ops: reproducible under tf.random.set_seed (and
tf.compat.v1.set_random_seed) or their `seed=`, but not TF's random streams. The variance
scaling is Keras's (keras/initializers.py), with TF1's defaults and "normal" meaning truncated
normal.
"""
import math

import numpy as np

from ..framework import dtypes
from ..framework.context import executing_eagerly
from ..framework.shape import TensorShape
from ..framework.tensor import constant, to_array
from ..keras import initializers as keras_initializers
from ..ops.array import eye, fill, reshape, transpose
from ..ops.linalg import matrix_diag_part, qr
from ..ops.math import sign
from ..ops.random import normal, truncated_normal, uniform


class Initializer:
    """Base of TF1's initializers: `init(shape, dtype=None, partition_info=None)` -> tensor."""

    def __call__(self, shape, dtype=None, partition_info=None):
        raise NotImplementedError

    def get_config(self):
        return {}

    @classmethod
    def from_config(cls, config):
        return cls(**config)

    def _dtype(self, dtype):
        return self.dtype if dtype is None else dtypes.as_dtype(dtype)


def _shape(shape, who):
    try:
        return TensorShape(shape).as_list()
    except (TypeError, ValueError):
        raise TypeError(f"{who}: shape must be a list of ints, got {shape!r}") from None


def _float_dtype(dtype):
    dtype = dtypes.as_dtype(dtype)
    if not dtype.is_floating:
        raise ValueError(f"Argument `dtype` is expected to be floating point. Received: {dtype}.")
    return dtype


class Zeros(Initializer):
    """TF1's `zeros_initializer`: a tensor of zeros of the requested shape."""
    def __init__(self, dtype=dtypes.float32):
        self.dtype = dtypes.as_dtype(dtype)

    def __call__(self, shape, dtype=None, partition_info=None):
        dtype = self._dtype(dtype)
        return fill(_shape(shape, "zeros_initializer"), np.zeros((), dtype.np))

    def get_config(self):
        return {"dtype": self.dtype.name}


class Ones(Initializer):
    """TF1's `ones_initializer`: a tensor of ones of the requested shape."""
    def __init__(self, dtype=dtypes.float32):
        self.dtype = dtypes.as_dtype(dtype)

    def __call__(self, shape, dtype=None, partition_info=None):
        dtype = self._dtype(dtype)
        return fill(_shape(shape, "ones_initializer"), np.ones((), dtype.np))

    def get_config(self):
        return {"dtype": self.dtype.name}


class Constant(Initializer):
    """`value` (a scalar fills the shape; a list or array of as many elements is reshaped to
    it). In graph mode, as TF1's constant, fewer elements are padded with the last one."""

    def __init__(self, value=0, dtype=dtypes.float32, verify_shape=False):
        if not (np.isscalar(value) or isinstance(value, (list, tuple, np.ndarray))):
            raise TypeError(f"Invalid type for initial value={value} of type: "
                            f"{type(value).__name__}. Expected Python scalar, list or tuple of "
                            "values, or numpy.ndarray.")
        self.value = value
        self.dtype = dtypes.as_dtype(dtype)
        self._verify_shape = verify_shape

    def __call__(self, shape, dtype=None, partition_info=None, verify_shape=None):
        dtype = self._dtype(dtype)
        verify_shape = self._verify_shape if verify_shape is None else verify_shape
        shape = tuple(_shape(shape, "constant_initializer"))
        arr = to_array(self.value, dtype)
        n = int(np.prod(shape))
        if verify_shape and arr.shape != shape:
            raise TypeError(f"Expected Tensor's shape: {TensorShape(shape)}, but got "
                            f"{TensorShape(arr.shape)}.")
        if arr.size not in (1, n) and not executing_eagerly():
            if arr.size > n:
                raise ValueError(f"Too many elements provided. Takes at most {n}, but got "
                                 f"{arr.size}.")
            flat = arr.reshape(-1)
            arr = np.concatenate([flat, np.full(n - flat.size, flat[-1], flat.dtype)])
        return constant(arr, dtype, shape=shape)

    def get_config(self):
        return {"value": self.value, "dtype": self.dtype.name}


class RandomUniform(Initializer):
    """Uniform in [minval, maxval); maxval 1 for floats (an int dtype needs maxval)."""

    def __init__(self, minval=0.0, maxval=None, seed=None, dtype=dtypes.float32):
        self.minval, self.maxval, self.seed = minval, maxval, seed
        self.dtype = dtypes.as_dtype(dtype)

    def __call__(self, shape, dtype=None, partition_info=None):
        dtype = self._dtype(dtype)
        if self.maxval is None and dtype.is_integer:
            raise ValueError(f"Must specify maxval for integer dtype {dtype!r}")
        return uniform(_shape(shape, "random_uniform_initializer"), self.minval, self.maxval,
                       dtype, seed=self.seed)

    def get_config(self):
        return {"minval": self.minval, "maxval": self.maxval, "seed": self.seed,
                "dtype": self.dtype.name}


class RandomNormal(Initializer):
    """TF1's `random_normal_initializer`: normal values with `mean` and `stddev` (1.0 by default).
    """
    def __init__(self, mean=0.0, stddev=1.0, seed=None, dtype=dtypes.float32):
        self.mean, self.stddev, self.seed = mean, stddev, seed
        self.dtype = _float_dtype(dtype)

    def __call__(self, shape, dtype=None, partition_info=None):
        return normal(_shape(shape, "random_normal_initializer"), self.mean, self.stddev,
                      self._dtype(dtype), seed=self.seed)

    def get_config(self):
        return {"mean": self.mean, "stddev": self.stddev, "seed": self.seed,
                "dtype": self.dtype.name}


class TruncatedNormal(RandomNormal):
    """Normal values redrawn when more than two stddev from the mean."""

    def __call__(self, shape, dtype=None, partition_info=None):
        return truncated_normal(_shape(shape, "truncated_normal_initializer"), self.mean,
                                self.stddev, self._dtype(dtype), seed=self.seed)


class VarianceScaling(Initializer):
    """Variance scale / n, n = fan_in, fan_out or their mean (`mode`); "normal" is TF1's
    deprecated name of "truncated_normal"."""

    def __init__(self, scale=1.0, mode="fan_in", distribution="truncated_normal", seed=None,
                 dtype=dtypes.float32):
        if scale <= 0.0:
            raise ValueError(f"Argument `scale` must be a positive float. Received: {scale}")
        if mode not in ("fan_in", "fan_out", "fan_avg"):
            raise ValueError("Argument `mode` should be one of ('fan_in', 'fan_out', "
                             f"'fan_avg'). Received: {mode}")
        distribution = str(distribution).lower()
        if distribution not in ("normal", "uniform", "truncated_normal", "untruncated_normal"):
            raise ValueError("Argument `distribution` should be one of ('normal', uniform', "
                             f"'truncated_normal', 'untruncated_normal'). Received: "
                             f"{distribution}")
        self.scale, self.mode, self.distribution, self.seed = scale, mode, distribution, seed
        self.dtype = _float_dtype(dtype)

    def __call__(self, shape, dtype=None, partition_info=None):
        shape = _shape(shape, "variance_scaling_initializer")
        distribution = "truncated_normal" if self.distribution == "normal" else self.distribution
        keras = keras_initializers.VarianceScaling(self.scale, self.mode, distribution, self.seed)
        return keras(shape, self._dtype(dtype))

    def get_config(self):
        return {"scale": self.scale, "mode": self.mode, "distribution": self.distribution,
                "seed": self.seed, "dtype": self.dtype.name}


class GlorotUniform(VarianceScaling):
    """Uniform in [-limit, limit], limit = sqrt(6 / (fan_in + fan_out))."""

    def __init__(self, seed=None, dtype=dtypes.float32):
        # as TF's, `dtype` is not passed on: the default dtype stays float32
        super().__init__(1.0, "fan_avg", "uniform", seed)

    def get_config(self):
        return {"seed": self.seed, "dtype": self.dtype.name}


class GlorotNormal(VarianceScaling):
    """Truncated normal of stddev sqrt(2 / (fan_in + fan_out)) (after truncation)."""

    def __init__(self, seed=None, dtype=dtypes.float32):
        # as TF's, `dtype` is not passed on: the default dtype stays float32
        super().__init__(1.0, "fan_avg", "truncated_normal", seed)

    def get_config(self):
        return {"seed": self.seed, "dtype": self.dtype.name}


class Orthogonal(Initializer):
    """An orthogonal matrix (the Q of a normal matrix's QR, signs fixed by R's diagonal),
    reshaped to `shape` (rows: the product of all dims but the last), times `gain`."""

    def __init__(self, gain=1.0, seed=None, dtype=dtypes.float32):
        self.gain, self.seed = gain, seed
        self.dtype = _float_dtype(dtype)

    def __call__(self, shape, dtype=None, partition_info=None):
        dtype = self._dtype(dtype)
        shape = _shape(shape, "orthogonal_initializer")
        if len(shape) < 2:
            raise ValueError("The tensor to initialize, specified by argument `shape` must be at "
                             f"least two-dimensional. Received shape={shape}")
        rows, cols = math.prod(shape[:-1]), shape[-1]
        a = normal([max(rows, cols), min(rows, cols)], dtype=dtype, seed=self.seed)
        q, r = qr(a)
        q = q * sign(matrix_diag_part(r))
        if rows < cols:
            q = transpose(q)
        return self.gain * reshape(q, shape)

    def get_config(self):
        return {"gain": self.gain, "seed": self.seed, "dtype": self.dtype.name}


class Identity(Initializer):
    """`gain` times the identity matrix (2-D shapes only)."""

    def __init__(self, gain=1.0, dtype=dtypes.float32):
        self.gain = gain
        self.dtype = _float_dtype(dtype)

    def __call__(self, shape, dtype=None, partition_info=None):
        shape = _shape(shape, "identity_initializer")
        if len(shape) != 2:
            raise ValueError("The tensor to initialize, specified by argument `shape` must be at "
                             f"least two-dimensional. Received shape={shape}")
        return self.gain * eye(shape[0], shape[1], dtype=self._dtype(dtype))

    def get_config(self):
        return {"gain": self.gain, "dtype": self.dtype.name}


def lecun_normal(seed=None):
    """TF1's LeCun normal initializer: truncated normal with variance 1 / fan_in."""
    return VarianceScaling(1.0, "fan_in", "truncated_normal", seed)


def lecun_uniform(seed=None):
    """TF1's LeCun uniform initializer: uniform with variance 1 / fan_in."""
    return VarianceScaling(1.0, "fan_in", "uniform", seed)


def he_normal(seed=None):
    """TF1's He normal initializer: truncated normal with variance 2 / fan_in."""
    return VarianceScaling(2.0, "fan_in", "truncated_normal", seed)


def he_uniform(seed=None):
    """TF1's He uniform initializer: uniform with variance 2 / fan_in."""
    return VarianceScaling(2.0, "fan_in", "uniform", seed)


zeros_initializer = Zeros
ones_initializer = Ones
constant_initializer = Constant
random_uniform_initializer = RandomUniform
random_normal_initializer = RandomNormal
truncated_normal_initializer = TruncatedNormal
variance_scaling_initializer = VarianceScaling
glorot_uniform_initializer = GlorotUniform
glorot_normal_initializer = GlorotNormal
orthogonal_initializer = Orthogonal
identity_initializer = Identity
