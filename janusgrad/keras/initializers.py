"""tf.keras.initializers: `init(shape, dtype)` -> a tensor of initial weights.

Unseeded random initializers draw from janusgrad's random ops, so `tf.random.set_seed` makes
them reproducible; a seeded one gives the same values on every call, as Keras 3's does (from
NumPy's generator for that seed: not the values TF draws).
"""
import math

import numpy as np

from ..framework import dtypes
from ..framework.tensor import convert_to_tensor
from ..ops.array import fill
from ..ops.random import normal, truncated_normal, uniform

# -- the gaps the TF programs found (issue 18): Constant with an array value --
from ..framework.errors import InvalidArgumentError, UnimplementedError  # noqa: E402
from ..ops.math import cast, multiply  # noqa: E402


class Initializer:
    """Base class of Keras initializers: `init(shape, dtype=None)` returns a tensor; `get_config()`
    gives its arguments. Seeded values are drawn by NumPy, not TF's."""
    def __call__(self, shape, dtype=None, **kwargs):
        raise NotImplementedError

    def get_config(self):
        return {}


class Zeros(Initializer):
    """A tensor of zeros of the requested shape."""
    def __call__(self, shape, dtype=None, **kwargs):
        return fill(list(shape), np.zeros((), _dtype(dtype).np))


class Ones(Initializer):
    """A tensor of ones of the requested shape."""
    def __call__(self, shape, dtype=None, **kwargs):
        return fill(list(shape), np.ones((), _dtype(dtype).np))


class Constant(Initializer):
    """Every element `value` (a scalar, or an array of the requested shape)."""
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


def _check_seed(seed):
    if seed is not None and (isinstance(seed, bool) or not isinstance(seed, (int, np.integer))):
        raise ValueError("`seed` argument should be an instance of "
                         "`keras.random.SeedGenerator()` or an integer. Received: "
                         f"seed={seed}")
    return seed


def _draw(kind, shape, a, b, dtype, seed):
    """uniform [a, b), normal (mean a, stddev b) or normal truncated to 2 stddevs: from the
    random ops unseeded, from NumPy's generator for `seed` (the same values each call)."""
    dtype = _dtype(dtype)
    shape = [int(d) for d in shape]
    if seed is None:
        op = {"uniform": uniform, "normal": normal, "truncated": truncated_normal}[kind]
        return op(shape, a, b, dtype)
    rng = np.random.default_rng(int(seed))
    if kind == "uniform":
        values = rng.uniform(a, b, shape)
    else:
        values = rng.standard_normal(shape)
        if kind == "truncated":
            bad = np.abs(values) > 2
            while bad.any():
                values[bad] = rng.standard_normal(int(bad.sum()))
                bad = np.abs(values) > 2
        values = a + b * values
    return convert_to_tensor(values.astype(dtype.np))


class RandomUniform(Initializer):
    """Uniform values in [minval, maxval) (-0.05 to 0.05 by default). Seeded values repeat as
    Keras's do, but are drawn by NumPy, not TF's values."""
    def __init__(self, minval=-0.05, maxval=0.05, seed=None):
        self.minval, self.maxval, self.seed = minval, maxval, _check_seed(seed)

    def __call__(self, shape, dtype=None, **kwargs):
        return _draw("uniform", shape, self.minval, self.maxval, dtype, self.seed)

    def get_config(self):
        return {"seed": self.seed, "minval": self.minval, "maxval": self.maxval}


class RandomNormal(Initializer):
    """Normal values with `mean` and `stddev` (0.05 by default). Seeded values repeat as Keras's
    do, but are drawn by NumPy, not TF's values."""
    def __init__(self, mean=0.0, stddev=0.05, seed=None):
        self.mean, self.stddev, self.seed = mean, stddev, _check_seed(seed)

    def __call__(self, shape, dtype=None, **kwargs):
        return _draw("normal", shape, self.mean, self.stddev, dtype, self.seed)

    def get_config(self):
        return {"seed": self.seed, "mean": self.mean, "stddev": self.stddev}


class TruncatedNormal(RandomNormal):
    """Normal values more than two standard deviations from the mean drawn again."""

    def __call__(self, shape, dtype=None, **kwargs):
        return _draw("truncated", shape, self.mean, self.stddev, dtype, self.seed)


class VarianceScaling(Initializer):
    """Variance `scale / n` with n = fan_in, fan_out or their mean (`mode`)."""

    def __init__(self, scale=1.0, mode="fan_in", distribution="truncated_normal", seed=None):
        if scale <= 0.0:
            raise ValueError(f"`scale` must be positive. Received: scale={scale}")
        if mode not in ("fan_in", "fan_out", "fan_avg"):
            raise ValueError(f"Invalid `mode` argument: {mode!r}")
        if distribution not in ("truncated_normal", "untruncated_normal", "normal", "uniform"):
            raise ValueError(f"Invalid `distribution` argument: {distribution!r}")
        self.scale, self.mode, self.distribution = scale, mode, distribution
        self.seed = _check_seed(seed)

    def __call__(self, shape, dtype=None, **kwargs):
        dtype = _dtype(dtype)
        fan_in, fan_out = compute_fans(shape)
        n = {"fan_in": fan_in, "fan_out": fan_out, "fan_avg": (fan_in + fan_out) / 2.0}[self.mode]
        variance = self.scale / max(1.0, n)
        if self.distribution == "uniform":
            limit = math.sqrt(3.0 * variance)
            return _draw("uniform", shape, -limit, limit, dtype, self.seed)
        if self.distribution == "truncated_normal":
            # the stddev of a unit normal truncated to [-2, 2]
            stddev = math.sqrt(variance) / 0.87962566103423978
            return _draw("truncated", shape, 0.0, stddev, dtype, self.seed)
        return _draw("normal", shape, 0.0, math.sqrt(variance), dtype, self.seed)

    def get_config(self):
        if type(self) is VarianceScaling:
            return {"scale": self.scale, "mode": self.mode,
                    "distribution": self.distribution, "seed": self.seed}
        return {"seed": self.seed}


class GlorotUniform(VarianceScaling):
    """Uniform in [-limit, limit], limit = sqrt(6 / (fan_in + fan_out))."""

    def __init__(self, seed=None):
        super().__init__(1.0, "fan_avg", "uniform", seed)


class GlorotNormal(VarianceScaling):
    """Truncated normal with variance 2 / (fan_in + fan_out) (Glorot, Xavier). Seeded values repeat
    as Keras's do, but are drawn by NumPy, not TF's values."""
    def __init__(self, seed=None):
        super().__init__(1.0, "fan_avg", "truncated_normal", seed)


class HeUniform(VarianceScaling):
    """Uniform with variance 2 / fan_in: limit sqrt(6 / fan_in). Seeded values are NumPy's, not
    TF's."""
    def __init__(self, seed=None):
        super().__init__(2.0, "fan_in", "uniform", seed)


class HeNormal(VarianceScaling):
    """Truncated normal with variance 2 / fan_in (He et al.). Seeded values are NumPy's, not TF's.
    """
    def __init__(self, seed=None):
        super().__init__(2.0, "fan_in", "truncated_normal", seed)


class LecunNormal(VarianceScaling):
    """Truncated normal with variance 1 / fan_in (LeCun). Seeded values are NumPy's, not TF's."""
    def __init__(self, seed=None):
        super().__init__(1.0, "fan_in", "truncated_normal", seed)


class LecunUniform(VarianceScaling):
    """Uniform with variance 1 / fan_in: limit sqrt(3 / fan_in). Seeded values are NumPy's, not
    TF's."""
    def __init__(self, seed=None):
        super().__init__(1.0, "fan_in", "uniform", seed)


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
    # layers and models (issue 20)
    "uniform": RandomUniform, "normal": RandomNormal, "truncated_normal": TruncatedNormal,
    "lecun_uniform": LecunUniform,
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
    if isinstance(identifier, dict) and "class_name" in identifier:    # a get_config entry
        cls = globals().get(identifier["class_name"])
        if not (isinstance(cls, type) and issubclass(cls, Initializer)):
            raise ValueError(f"Could not interpret initializer identifier: {identifier!r}")
        return cls(**identifier.get("config", {}))
    if isinstance(identifier, type):
        return identifier()
    if callable(identifier):
        return identifier
    raise ValueError(f"Could not interpret initializer identifier: {identifier!r}")


zeros = Zeros
ones = Ones
glorot_uniform = GlorotUniform


# -- Orthogonal (the recurrent kernels' default) and Identity, as Keras 3's (issue 18); a seeded
# Orthogonal draws as the other seeded initializers (NumPy's generator: not TF's values) --
from ..ops.array import eye  # noqa: E402


class Orthogonal(Initializer):
    """gain * Q of the QR of a normal matrix (rows: the product of all but the last axis),
    its columns' signs fixed by R's diagonal, transposed when it has more columns than rows."""

    def __init__(self, gain=1.0, seed=None):
        self.gain, self.seed = gain, _check_seed(seed)

    def __call__(self, shape, dtype=None, **kwargs):
        shape = [int(d) for d in shape]
        if len(shape) < 2:
            raise ValueError("The tensor to initialize must be at least two-dimensional. "
                             f"Received: shape={tuple(shape)} of rank {len(shape)}.")
        rows, cols = int(np.prod(shape[:-1])), shape[-1]
        a = np.asarray(_draw("normal", [max(rows, cols), min(rows, cols)], 0.0, 1.0,
                             "float64", self.seed))
        q, r = np.linalg.qr(a)
        q = q * np.sign(np.diag(r))
        if rows < cols:
            q = q.T
        return convert_to_tensor((self.gain * q).reshape(shape).astype(_dtype(dtype).np))

    def get_config(self):
        return {"gain": self.gain, "seed": self.seed}


class Identity(Initializer):
    """gain * eye(rows, cols), for 2-D shapes only."""

    def __init__(self, gain=1.0):
        self.gain = gain

    def __call__(self, shape, dtype=None, **kwargs):
        shape = [int(d) for d in shape]
        if len(shape) != 2:
            raise ValueError("Identity matrix initializer can only be used for 2D matrices. "
                             f"Received: shape={tuple(shape)} of rank {len(shape)}.")
        return eye(*shape, dtype=_dtype(dtype)) * self.gain

    def get_config(self):
        return {}       # Keras 3's lists no gain either


IdentityInitializer, OrthogonalInitializer = Identity, Orthogonal
_BY_NAME.update({"orthogonal": Orthogonal, "identity": Identity})
orthogonal = Orthogonal

# -- a name janusgrad lacks is a clear error (issue 18, running TF programs unchanged) --
from ..framework.missing import missing_names as _missing_names  # noqa: E402
__getattr__ = _missing_names(__name__)
