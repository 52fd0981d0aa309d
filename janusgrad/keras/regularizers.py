"""tf.keras.regularizers (Keras 3, as in TF 2.21): L1, L2, L1L2, OrthogonalRegularizer, their
lower-case names, get, serialize, deserialize.

A regularizer is called on a weight and returns a scalar penalty: L2(l2)(x) = l2 * sum(x ** 2)
(no 1/2), L1(l1)(x) = l1 * sum(|x|). As in Keras 3, a factor is a float32 number cast to the
weight's dtype (L2(0.1) on float64 weights multiplies by float64(float32(0.1))).
"""
import math

import numpy as np

from ..framework.tensor import convert_to_tensor
from ..ops.array import eye
from ..ops.math import abs as _abs
from ..ops.math import cast, minimum, rsqrt, square
from ..ops.matmul import matmul
from ..ops.reduce import reduce_sum
from .lookup import lookup_functions


def _factor(value, dtype):
    """Keras's ops.cast(python float, dtype): the float32 number, then cast."""
    return cast(convert_to_tensor(np.float32(value)), dtype)


def validate_float_arg(value, name):
    """Keras's check of a penalty factor: a non-negative finite number, as a float."""
    if not isinstance(value, (float, int)) or math.isinf(value) or math.isnan(value) or \
            value < 0:
        raise ValueError(f"Invalid value for argument {name}: expected a non-negative float."
                         f"Received: {name}={value}")
    return float(value)


class Regularizer:
    """Base class: `__call__(x)` returns the penalty of weight x (0.0 here)."""

    def __call__(self, x):
        return 0.0

    @classmethod
    def from_config(cls, config):
        return cls(**config)

    def get_config(self):
        raise NotImplementedError(f"{self} does not implement get_config()")


class L1L2(Regularizer):
    """l1 * sum(|x|) + l2 * sum(x ** 2); both factors default to 0."""

    def __init__(self, l1=0.0, l2=0.0):
        self.l1 = validate_float_arg(0.0 if l1 is None else l1, name="l1")
        self.l2 = validate_float_arg(0.0 if l2 is None else l2, name="l2")

    def __call__(self, x):
        x = convert_to_tensor(x)
        regularization = convert_to_tensor(0.0, dtype=x.dtype)
        if self.l1 != 0.0:
            regularization += _factor(self.l1, x.dtype) * reduce_sum(_abs(x))
        if self.l2 != 0.0:
            regularization += _factor(self.l2, x.dtype) * reduce_sum(square(x))
        return regularization

    def get_config(self):
        return {"l1": self.l1, "l2": self.l2}


class L1(Regularizer):
    """l1 * sum(|x|) (l1 defaults to 0.01)."""

    def __init__(self, l1=0.01):
        l1 = validate_float_arg(0.01 if l1 is None else l1, name="l1")
        self.l1 = float(np.float32(l1))          # Keras keeps it as a float32 tensor

    def __call__(self, x):
        x = convert_to_tensor(x)
        return _factor(self.l1, x.dtype) * reduce_sum(_abs(x))

    def get_config(self):
        return {"l1": self.l1}


class L2(Regularizer):
    """l2 * sum(x ** 2) (l2 defaults to 0.01)."""

    def __init__(self, l2=0.01):
        self.l2 = validate_float_arg(0.01 if l2 is None else l2, name="l2")

    def __call__(self, x):
        x = convert_to_tensor(x)
        return _factor(self.l2, x.dtype) * reduce_sum(square(x))

    def get_config(self):
        return {"l2": self.l2}


class OrthogonalRegularizer(Regularizer):
    """factor * mean over pairs of |cos| between the rows (mode="rows") or the columns of a
    rank-2 weight: factor * 0.5 * sum(|N N^T - diag|) / (n (n - 1) / 2), N the normalized rows."""

    def __init__(self, factor=0.01, mode="rows"):
        validate_float_arg(factor, name="factor")
        self.factor = float(np.float32(factor))
        if mode not in {"rows", "columns"}:
            raise ValueError('Invalid value for argument `mode`. Expected one of {"rows", '
                             f'"columns"}}. Received: mode={mode}')
        self.mode = mode

    def __call__(self, inputs):
        x = convert_to_tensor(inputs)
        if x.shape.rank != 2:
            raise ValueError("Inputs to OrthogonalRegularizer must have rank 2. Received: "
                             f"inputs.shape={x.shape}")
        axis = 1 if self.mode == "rows" else 0
        # Keras's normalize: x * min(rsqrt(sum(x ** 2)), 1 / epsilon), epsilon = 1e-7
        x = x * minimum(rsqrt(reduce_sum(square(x), axis, keepdims=True)),
                        np.asarray(1e7, x.dtype.np))
        product = matmul(x, x, transpose_b=True) if axis == 1 else \
            matmul(x, x, transpose_a=True)
        size = x.shape[0] if axis == 1 else x.shape[1]
        off_diagonal = product * (1.0 - eye(size, dtype=x.dtype))
        pairs = size * (size - 1.0) / 2.0
        return _factor(self.factor, x.dtype) * 0.5 * reduce_sum(_abs(off_diagonal)) / pairs

    def get_config(self):
        return {"factor": self.factor, "mode": self.mode}


l1 = L1
l2 = L2
l1_l2 = L1L2
orthogonal_regularizer = OrthogonalRegularizer

_BY_NAME = {"Regularizer": Regularizer, "L1": L1, "L2": L2, "L1L2": L1L2,
            "OrthogonalRegularizer": OrthogonalRegularizer, "regularizer": Regularizer,
            "l1": L1, "l2": L2, "l1l2": L1L2, "orthogonal_regularizer": OrthogonalRegularizer}


serialize, deserialize, get = lookup_functions("keras.regularizers", "regularizer", _BY_NAME)

# -- a name janusgrad lacks is a clear error (issue 18, running TF programs unchanged) --
from ..framework.missing import missing_names as _missing_names  # noqa: E402
__getattr__ = _missing_names(__name__)
