"""tf.compat.v1.layers: MaxPooling1D/2D, AveragePooling1D/2D and their functions.

The 2-D pools are janusgrad's max_pool2d / avg_pool2d (NHWC, or NCHW for channels_first); the
1-D pools run as 2-D pools over a height of 1, as Keras does.
"""
from ...ops import conv
from ...ops.array import expand_dims, squeeze
from .base import Layer, normalize_data_format, normalize_padding, normalize_tuple


class _Pooling(Layer):
    rank = 2
    pool = None                       # conv.max_pool2d or conv.avg_pool2d

    def __init__(self, pool_size, strides, padding="valid", data_format="channels_last",
                 name=None, **kwargs):
        super().__init__(name=name, **kwargs)
        self.pool_size = normalize_tuple(pool_size, self.rank, "pool_size")
        self.strides = normalize_tuple(pool_size if strides is None else strides, self.rank,
                                       "strides")
        self.padding = normalize_padding(padding)
        self.data_format = normalize_data_format(data_format)

    def build(self, input_shape):
        if input_shape.rank is not None and input_shape.rank != self.rank + 2:
            raise ValueError(f"Input 0 of layer {self.name} is incompatible with the layer: "
                             f"expected ndim={self.rank + 2}, found ndim={input_shape.rank}. "
                             f"Full shape received: {input_shape}")
        self.built = True

    def call(self, inputs):
        fmt = "NCHW" if self.data_format == "channels_first" else "NHWC"
        pool = type(self).pool
        if self.rank == 2:
            return pool(inputs, self.pool_size, self.strides, self.padding.upper(),
                        data_format=fmt)
        axis = 2 if fmt == "NCHW" else 1     # a height of 1 before the steps
        y = pool(expand_dims(inputs, axis), (1, *self.pool_size), (1, *self.strides),
                 self.padding.upper(), data_format=fmt)
        return squeeze(y, [axis])


class MaxPooling2D(_Pooling):
    """The maximum of each pool_size window (strides default to pool_size)."""
    pool = staticmethod(conv.max_pool2d)


class AveragePooling2D(_Pooling):
    """The mean of each pool_size window ('same': of its real elements only)."""
    pool = staticmethod(conv.avg_pool2d)


class MaxPooling1D(_Pooling):
    """The maximum of each pool_size window of (batch, steps, channels) inputs."""
    rank = 1
    pool = staticmethod(conv.max_pool2d)


class AveragePooling1D(_Pooling):
    """The mean of each pool_size window of (batch, steps, channels) inputs."""
    rank = 1
    pool = staticmethod(conv.avg_pool2d)


def max_pooling2d(inputs, pool_size, strides, padding="valid", data_format="channels_last",
                  name=None):
    """2-D max pooling of `inputs` (pool_size and strides: an int or 2 ints)."""
    return MaxPooling2D(pool_size, strides, padding=padding, data_format=data_format,
                        name=name)(inputs)


def average_pooling2d(inputs, pool_size, strides, padding="valid", data_format="channels_last",
                      name=None):
    """2-D average pooling of `inputs` (pool_size and strides: an int or 2 ints)."""
    return AveragePooling2D(pool_size, strides, padding=padding, data_format=data_format,
                            name=name)(inputs)


def max_pooling1d(inputs, pool_size, strides, padding="valid", data_format="channels_last",
                  name=None):
    """1-D max pooling of (batch, steps, channels) `inputs`."""
    return MaxPooling1D(pool_size, strides, padding=padding, data_format=data_format,
                        name=name)(inputs)


def average_pooling1d(inputs, pool_size, strides, padding="valid", data_format="channels_last",
                      name=None):
    """1-D average pooling of (batch, steps, channels) `inputs`."""
    return AveragePooling1D(pool_size, strides, padding=padding, data_format=data_format,
                            name=name)(inputs)
