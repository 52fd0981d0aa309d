"""tf.keras.initializers: `init(shape, dtype)` -> a tensor of initial weights.

Random initializers draw from janusgrad's random ops, so `tf.random.set_seed` (or a `seed`
argument) makes them reproducible within janusgrad (not TF's random streams).
"""
import math

import numpy as np

from ..framework import dtypes
from ..ops.array import fill
from ..ops.random import normal, truncated_normal, uniform

# -- the gaps the TF programs found (issue 18): Constant with an array value --
from ..framework.errors import InvalidArgumentError, UnimplementedError  # noqa: E402
from ..framework.tensor import convert_to_tensor  # noqa: E402
from ..ops.math import cast, multiply  # noqa: E402


class Initializer:
    def __call__(self, shape, dtype=None, **kwargs):
        raise NotImplementedError

    def get_config(self):
        return {}


class Zeros(Initializer):
    def __call__(self, shape, dtype=None, **kwargs):
        return fill(list(shape), np.zeros((), _dtype(dtype).np))


class Ones(Initializer):
    def __call__(self, shape, dtype=None, **kwargs):
        return fill(list(shape), np.ones((), _dtype(dtype).np))


class Constant(Initializer):
    def __init__(self, value=0):
        self.value = value

    def __call__(self, shape, dtype=None, **kwargs):
        dtype = _dtype(dtype)
        value = self.value
        if not hasattr(value, "shape"):         # (a tensor stays one)
            try:
                value = np.asarray(value)
            except ValueError:
                raise ValueError("Constant: Can't convert non-rectangular Python sequence to "
                                 f"Tensor (value {self.value!r})") from None
            if value.dtype.kind in "USO":
                raise UnimplementedError(f"Constant: Cast {value.dtype} to {dtype.name} is not "
                                         "supported")
            if value.ndim == 0:
                return fill(list(shape), value.astype(dtype.np))
        # issue 18: an array value, as Keras 3: cast(value) * ones(shape), so that it
        # broadcasts to `shape` (an InvalidArgumentError where it cannot)
        try:
            np.broadcast_shapes(tuple(value.shape), tuple(shape))
        except ValueError:
            raise InvalidArgumentError(f"Constant: Incompatible shapes: value {list(value.shape)} "
                                       f"vs. the requested shape {list(shape)}") from None
        ones = fill(list(shape), np.ones((), dtype.np))
        return multiply(cast(convert_to_tensor(value), dtype), ones)

    def get_config(self):
        value = self.value
        return {"value": value.tolist() if isinstance(value, np.ndarray) else value}


class RandomUniform(Initializer):
    def __init__(self, minval=-0.05, maxval=0.05, seed=None):
        self.minval, self.maxval, self.seed = minval, maxval, seed

    def __call__(self, shape, dtype=None, **kwargs):
        return uniform(list(shape), self.minval, self.maxval, _dtype(dtype), seed=self.seed)


class RandomNormal(Initializer):
    def __init__(self, mean=0.0, stddev=0.05, seed=None):
        self.mean, self.stddev, self.seed = mean, stddev, seed

    def __call__(self, shape, dtype=None, **kwargs):
        return normal(list(shape), self.mean, self.stddev, _dtype(dtype), seed=self.seed)


class VarianceScaling(Initializer):
    """Variance `scale / n` with n = fan_in, fan_out or their mean (`mode`)."""

    def __init__(self, scale=1.0, mode="fan_in", distribution="truncated_normal", seed=None):
        if scale <= 0.0:
            raise ValueError(f"`scale` must be positive. Received: scale={scale}")
        if mode not in ("fan_in", "fan_out", "fan_avg"):
            raise ValueError(f"Invalid `mode` argument: {mode!r}")
        if distribution not in ("truncated_normal", "untruncated_normal", "normal", "uniform"):
            raise ValueError(f"Invalid `distribution` argument: {distribution!r}")
        self.scale, self.mode, self.distribution, self.seed = scale, mode, distribution, seed

    def __call__(self, shape, dtype=None, **kwargs):
        dtype = _dtype(dtype)
        fan_in, fan_out = compute_fans(shape)
        n = {"fan_in": fan_in, "fan_out": fan_out, "fan_avg": (fan_in + fan_out) / 2.0}[self.mode]
        variance = self.scale / max(1.0, n)
        if self.distribution == "uniform":
            limit = math.sqrt(3.0 * variance)
            return uniform(list(shape), -limit, limit, dtype, seed=self.seed)
        if self.distribution == "truncated_normal":
            # the stddev of a unit normal truncated to [-2, 2]
            stddev = math.sqrt(variance) / 0.87962566103423978
            return truncated_normal(list(shape), 0.0, stddev, dtype, seed=self.seed)
        return normal(list(shape), 0.0, math.sqrt(variance), dtype, seed=self.seed)


class GlorotUniform(VarianceScaling):
    """Uniform in [-limit, limit], limit = sqrt(6 / (fan_in + fan_out))."""

    def __init__(self, seed=None):
        super().__init__(1.0, "fan_avg", "uniform", seed)


class GlorotNormal(VarianceScaling):
    def __init__(self, seed=None):
        super().__init__(1.0, "fan_avg", "truncated_normal", seed)


class HeUniform(VarianceScaling):
    def __init__(self, seed=None):
        super().__init__(2.0, "fan_in", "uniform", seed)


class HeNormal(VarianceScaling):
    def __init__(self, seed=None):
        super().__init__(2.0, "fan_in", "truncated_normal", seed)


class LecunNormal(VarianceScaling):
    def __init__(self, seed=None):
        super().__init__(1.0, "fan_in", "truncated_normal", seed)


def compute_fans(shape):
    """(fan_in, fan_out); a conv kernel (..., in, out) counts its receptive field."""
    shape = [int(d) for d in shape]
    if len(shape) == 0:
        return 1, 1
    if len(shape) == 1:
        return shape[0], shape[0]
    if len(shape) == 2:
        return shape[0], shape[1]
    receptive = int(np.prod(shape[:-2]))
    return shape[-2] * receptive, shape[-1] * receptive


def _dtype(dtype):
    return dtypes.as_dtype(dtype) if dtype is not None else dtypes.float32


_BY_NAME = {
    "zeros": Zeros, "ones": Ones, "constant": Constant, "random_uniform": RandomUniform,
    "random_normal": RandomNormal, "glorot_uniform": GlorotUniform,
    "glorot_normal": GlorotNormal, "he_uniform": HeUniform, "he_normal": HeNormal,
    "lecun_normal": LecunNormal, "variance_scaling": VarianceScaling,
}


def get(identifier):
    """An initializer from a name ('glorot_uniform'), a class, or a callable."""
    if identifier is None:
        return None
    if isinstance(identifier, str):
        key = identifier.lower()
        if key not in _BY_NAME:
            raise ValueError(f"Could not interpret initializer identifier: {identifier!r}")
        return _BY_NAME[key]()
    if isinstance(identifier, type):
        return identifier()
    if callable(identifier):
        return identifier
    raise ValueError(f"Could not interpret initializer identifier: {identifier!r}")


zeros = Zeros
ones = Ones
glorot_uniform = GlorotUniform

# -- a name janusgrad lacks is a clear error (issue 18, running TF programs unchanged) --
from ..framework.missing import missing_names as _missing_names  # noqa: E402
__getattr__ = _missing_names(__name__)
