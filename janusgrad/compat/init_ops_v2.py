"""TF2's top-level initializers (tf.zeros_initializer, tf.ones_initializer,
tf.constant_initializer, tf.random_uniform_initializer, tf.random_normal_initializer, TF's
init_ops_v2): `init(shape, dtype=tf.float32)`. They take no dtype in the constructor, and
accept only TF's partition keywords (partition_shape, partition_offset).

Random ones draw from janusgrad's random ops (reproducible under tf.random.set_seed, not TF's
random streams); a seeded one gives the same values on every call, as TF's (stateless) do, from
NumPy's generator for its seed. Light on purpose: janusgrad's top level imports it.
"""
import numpy as np

from ..framework import dtypes
from ..framework.shape import TensorShape
from ..framework.tensor import constant
from ..ops.array import fill
from ..ops.random import normal, uniform

_PARTITION = ("partition_shape", "partition_offset")


class Initializer:
    """Base of TF2's initializers: `init(shape, dtype=None, **kwargs)` -> tensor."""

    def __call__(self, shape, dtype=None, **kwargs):
        raise NotImplementedError

    def get_config(self):
        return {}

    @classmethod
    def from_config(cls, config):
        config.pop("dtype", None)
        return cls(**config)

    def _shape(self, shape, kwargs, support_partition=True):
        for k in kwargs:
            if k not in _PARTITION:
                raise TypeError(f"Keyword argument should be one of {list(_PARTITION)}. "
                                f"Received: {k}")
            if not support_partition:
                raise ValueError(f"{type(self).__name__} initializer doesn't support "
                                 "partition-related arguments")
        shape = kwargs.get("partition_shape", shape)
        try:
            return TensorShape(shape).as_list()
        except (TypeError, ValueError):
            raise TypeError(f"{type(self).__name__}: shape must be a list of ints, got "
                            f"{shape!r}") from None


def _numeric(dtype):
    dtype = dtypes.as_dtype(dtype)
    if dtype is dtypes.string or dtype.np is None:
        raise ValueError(f"Argument `dtype` expected to be numeric or boolean. Received {dtype}.")
    return dtype


class Zeros(Initializer):
    """TF2's `tf.zeros_initializer`: a tensor of zeros of the requested shape."""
    def __call__(self, shape, dtype=dtypes.float32, **kwargs):
        shape = self._shape(shape, kwargs)
        return fill(shape, np.zeros((), _numeric(dtype).np))


class Ones(Initializer):
    """TF2's `tf.ones_initializer`: a tensor of ones of the requested shape."""
    def __call__(self, shape, dtype=dtypes.float32, **kwargs):
        shape = self._shape(shape, kwargs)
        return fill(shape, np.ones((), _numeric(dtype).np))


class Constant(Initializer):
    """`value`: a scalar fills the shape, a list or array of as many elements is reshaped to
    it; the dtype is the value's unless given."""

    def __init__(self, value=0, support_partition=False):
        if not (np.isscalar(value) or isinstance(value, (list, tuple, np.ndarray))):
            raise TypeError(f"Invalid type for initial value: {type(value).__name__}. Expected "
                            "Python scalar, list or tuple of values, or numpy.ndarray.")
        self.value = value
        self.support_partition = support_partition

    def __call__(self, shape, dtype=None, **kwargs):
        shape = self._shape(shape, kwargs, self.support_partition)
        return constant(self.value, None if dtype is None else dtypes.as_dtype(dtype),
                        shape=shape)

    def get_config(self):
        return {"value": self.value}


class RandomUniform(Initializer):
    """Uniform in [minval, maxval) (floats and ints)."""

    def __init__(self, minval=-0.05, maxval=0.05, seed=None):
        self.minval, self.maxval, self.seed = minval, maxval, seed

    def __call__(self, shape, dtype=dtypes.float32, **kwargs):
        shape = self._shape(shape, kwargs)
        dtype = dtypes.as_dtype(dtype)
        if not dtype.is_floating and not dtype.is_integer:
            raise ValueError("Argument `dtype` expected to be numeric or boolean. Received "
                             f"{dtype}.")
        if self.seed is not None:
            rng = np.random.default_rng(int(self.seed))
            values = rng.uniform(self.minval, self.maxval, shape) if dtype.is_floating else \
                rng.integers(self.minval, self.maxval, shape)
            return constant(values.astype(dtype.np))
        return uniform(shape, self.minval, self.maxval, dtype, seed=self.seed)

    def get_config(self):
        return {"minval": self.minval, "maxval": self.maxval, "seed": self.seed}


class RandomNormal(Initializer):
    """TF2's `tf.random_normal_initializer`: normal values with `mean` and `stddev` (0.05 by
    default)."""
    def __init__(self, mean=0.0, stddev=0.05, seed=None):
        self.mean, self.stddev, self.seed = mean, stddev, seed

    def __call__(self, shape, dtype=dtypes.float32, **kwargs):
        shape = self._shape(shape, kwargs)
        dtype = dtypes.as_dtype(dtype)
        if not dtype.is_floating:
            raise ValueError(f"Argument `dtype` is expected to be floating point. Received: "
                             f"{dtype}.")
        if self.seed is not None:
            rng = np.random.default_rng(int(self.seed))
            values = self.mean + self.stddev * rng.standard_normal(shape)
            return constant(values.astype(dtype.np))
        return normal(shape, self.mean, self.stddev, dtype, seed=self.seed)

    def get_config(self):
        return {"mean": self.mean, "stddev": self.stddev, "seed": self.seed}


zeros_initializer = Zeros
ones_initializer = Ones
constant_initializer = Constant
random_uniform_initializer = RandomUniform
random_normal_initializer = RandomNormal
