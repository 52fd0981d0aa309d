"""Reshaping layers (issue 18): UpSampling2D, ZeroPadding2D, Cropping2D (NHWC), Permute,
RepeatVector."""
import numpy as np

from ...framework.shape import TensorShape
from ...framework.tensor import convert_to_tensor
from ...ops.array import expand_dims, transpose
from ...ops.indexing import gather, pad, tile
from .base import Layer
from .convolutional import check_channels_last, pair


def _check_ndim(layer, x, ndim):
    if x.shape.rank is not None and x.shape.rank != ndim:
        raise ValueError(f"Input 0 of layer '{layer.name}' is incompatible with the layer: "
                         f"expected ndim={ndim}, found ndim={x.shape.rank}. Full shape "
                         f"received: {tuple(x.shape.as_list())}")


def _two_pairs(value, what):
    """Keras' (int | (a, b) | ((top, bottom), (left, right))) for padding and cropping."""
    if isinstance(value, int):
        return ((value, value), (value, value))
    value = tuple(value)
    if len(value) != 2:
        raise ValueError(f"`{what}` should have two elements. Received: {what}={value}.")
    return tuple(pair(v, what) for v in value)


class UpSampling2D(Layer):
    """Repeats each row size[0] times and each column size[1] times (nearest neighbour)."""

    def __init__(self, size=(2, 2), data_format=None, interpolation="nearest", **kwargs):
        super().__init__(**kwargs)
        check_channels_last(data_format, "UpSampling2D")
        if interpolation != "nearest":   # bilinear and the rest need image resizing
            raise NotImplementedError("UpSampling2D: only interpolation='nearest' is "
                                      f"supported, got {interpolation!r}")
        self.size = pair(size, "size")
        self.interpolation = interpolation

    def call(self, inputs):
        x = convert_to_tensor(inputs)
        _check_ndim(self, x, 4)
        for axis, k in ((1, self.size[0]), (2, self.size[1])):
            n = x.shape[axis]
            if n is None:
                raise ValueError(f"UpSampling2D: the input's dimension {axis} must be known, "
                                 f"got shape {x.shape}")
            # gather with repeated indices: its gradient sums each block back, as nearest's
            x = gather(x, np.repeat(np.arange(n, dtype=np.int32), k), axis=axis)
        return x

    def compute_output_shape(self, input_shape):
        n, h, w, c = TensorShape(input_shape).as_list()
        return TensorShape([n, None if h is None else h * self.size[0],
                            None if w is None else w * self.size[1], c])

    def get_config(self):
        return {**super().get_config(), "size": self.size, "data_format": "channels_last",
                "interpolation": self.interpolation}


class ZeroPadding2D(Layer):
    """Zero rows above/below and zero columns left/right of each image."""

    def __init__(self, padding=(1, 1), data_format=None, **kwargs):
        super().__init__(**kwargs)
        check_channels_last(data_format, "ZeroPadding2D")
        self.padding = _two_pairs(padding, "padding")

    def call(self, inputs):
        x = convert_to_tensor(inputs)
        _check_ndim(self, x, 4)
        return pad(x, [[0, 0], list(self.padding[0]), list(self.padding[1]), [0, 0]])

    def compute_output_shape(self, input_shape):
        n, h, w, c = TensorShape(input_shape).as_list()
        (t, b), (left, r) = self.padding
        return TensorShape([n, None if h is None else h + t + b,
                            None if w is None else w + left + r, c])

    def get_config(self):
        return {**super().get_config(), "padding": self.padding,
                "data_format": "channels_last"}


class Cropping2D(Layer):
    """Drops rows from the top/bottom and columns from the left/right of each image."""

    def __init__(self, cropping=((0, 0), (0, 0)), data_format=None, **kwargs):
        super().__init__(**kwargs)
        check_channels_last(data_format, "Cropping2D")
        self.cropping = _two_pairs(cropping, "cropping")

    def call(self, inputs):
        x = convert_to_tensor(inputs)
        _check_ndim(self, x, 4)
        (t, b), (left, r) = self.cropping
        h, w = x.shape[1], x.shape[2]
        if (h is not None and t + b >= h) or (w is not None and left + r >= w):
            raise ValueError("Values in `cropping` argument should be smaller than the "
                             "corresponding spatial dimension of the input. Received: "
                             f"inputs.shape={tuple(x.shape.as_list())}, "
                             f"cropping={self.cropping}")
        return x[:, t:(-b if b else None), left:(-r if r else None), :]

    def compute_output_shape(self, input_shape):
        n, h, w, c = TensorShape(input_shape).as_list()
        (t, b), (left, r) = self.cropping
        return TensorShape([n, None if h is None else h - t - b,
                            None if w is None else w - left - r, c])

    def get_config(self):
        return {**super().get_config(), "cropping": self.cropping,
                "data_format": "channels_last"}


class Permute(Layer):
    """Permutes the non-batch axes: dims is a permutation of 1..rank-1."""

    def __init__(self, dims, **kwargs):
        super().__init__(**kwargs)
        self.dims = tuple(dims)
        if sorted(self.dims) != list(range(1, len(self.dims) + 1)):
            raise ValueError("Invalid permutation argument `dims` for Permute Layer. The set "
                             "of indices in `dims` must be consecutive and start from 1. "
                             f"Received dims={self.dims}")

    def call(self, inputs):
        x = convert_to_tensor(inputs)
        _check_ndim(self, x, len(self.dims) + 1)
        return transpose(x, [0, *self.dims])

    def compute_output_shape(self, input_shape):
        s = TensorShape(input_shape).as_list()
        return TensorShape([s[0], *(s[d] for d in self.dims)])

    def get_config(self):
        return {**super().get_config(), "dims": self.dims}


class RepeatVector(Layer):
    """(batch, features) -> (batch, n, features)."""

    def __init__(self, n, **kwargs):
        super().__init__(**kwargs)
        if not isinstance(n, int):
            raise TypeError(f"Expected an integer value for `n`, got {type(n)}.")
        self.n = n

    def call(self, inputs):
        x = convert_to_tensor(inputs)
        _check_ndim(self, x, 2)
        return tile(expand_dims(x, 1), [1, self.n, 1])

    def compute_output_shape(self, input_shape):
        b, f = TensorShape(input_shape).as_list()
        return TensorShape([b, self.n, f])

    def get_config(self):
        return {**super().get_config(), "n": self.n}
