"""Pooling over NHWC inputs: MaxPooling2D, AveragePooling2D, GlobalAveragePooling2D."""
from ...framework.shape import TensorShape
from ...framework.tensor import convert_to_tensor
from ...ops import conv
from ...ops.reduce import reduce_max, reduce_mean
from .base import Layer
from .convolutional import check_channels_last, conv_length, pair


class _Pooling2D(Layer):
    """A window function over each pool_size window (strides default to pool_size)."""

    def __init__(self, pool_size=(2, 2), strides=None, padding="valid", data_format=None,
                 **kwargs):
        super().__init__(**kwargs)
        what = type(self).__name__
        check_channels_last(data_format, what)
        self.pool_size = pair(pool_size, "pool_size")
        self.strides = pair(strides, "strides") if strides is not None else self.pool_size
        self.padding = padding.upper()
        if self.padding not in ("VALID", "SAME"):
            raise ValueError(f"{what}: padding must be 'valid' or 'same', got {padding!r}")

    def compute_output_shape(self, input_shape):
        n, h, w, c = TensorShape(input_shape).as_list()
        (ph, pw), (sh, sw) = self.pool_size, self.strides
        return TensorShape([n, conv_length(h, ph, sh, self.padding),
                            conv_length(w, pw, sw, self.padding), c])

    def get_config(self):
        return {**super().get_config(), "pool_size": self.pool_size, "padding":
                self.padding.lower(), "strides": self.strides, "data_format": "channels_last"}


class MaxPooling2D(_Pooling2D):
    """The maximum of each `pool_size` window of 2-D inputs (NHWC, channels last; strides default
    to pool_size)."""
    def call(self, inputs):
        return conv.max_pool2d(inputs, self.pool_size, self.strides, self.padding)


class AveragePooling2D(_Pooling2D):
    """The mean of each window (with padding='same', of the window's cells inside the input)."""

    def call(self, inputs):
        return conv.avg_pool2d(inputs, self.pool_size, self.strides, self.padding)


class _GlobalPooling2D(Layer):
    """`_reduce` over height and width: (n, h, w, c) -> (n, c), or (n, 1, 1, c) with keepdims."""

    _reduce = None

    def __init__(self, data_format=None, keepdims=False, **kwargs):
        super().__init__(**kwargs)
        check_channels_last(data_format, type(self).__name__)
        self.keepdims = keepdims

    def call(self, inputs):
        x = convert_to_tensor(inputs)
        if x.shape.rank is not None and x.shape.rank != 4:
            raise ValueError(f"Input 0 of layer '{self.name}' is incompatible with the layer: "
                             f"expected ndim=4, found ndim={x.shape.rank}. Full shape "
                             f"received: {tuple(x.shape.as_list())}")
        return type(self)._reduce(x, axis=[1, 2], keepdims=self.keepdims)

    def compute_output_shape(self, input_shape):
        n, _, _, c = TensorShape(input_shape).as_list()
        return TensorShape([n, 1, 1, c] if self.keepdims else [n, c])

    def get_config(self):
        return {**super().get_config(), "data_format": "channels_last",
                "keepdims": self.keepdims}


class GlobalAveragePooling2D(_GlobalPooling2D):
    """The mean over height and width."""

    _reduce = reduce_mean


class GlobalMaxPooling2D(_GlobalPooling2D):
    """The max over height and width (issue 18)."""

    _reduce = reduce_max
