"""tf.compat.v1.layers: Conv1D, Conv2D, Conv2DTranspose and conv1d, conv2d, conv2d_transpose.

Kernels are TF's: (k, in, filters) for Conv1D, (kh, kw, in, filters) for Conv2D and
(kh, kw, filters, in) for Conv2DTranspose; the ops are janusgrad's conv2d and its transpose
(channels_first inputs run as NCHW convolutions, which janusgrad computes in NHWC).
"""
from ...framework import dtypes
from ...ops import conv, nn
from ...ops.array import expand_dims, shape, squeeze, stack, transpose
from ...ops.indexing import pad
from ...keras import activations
from ..init_ops import zeros_initializer
from .base import Layer, normalize_data_format, normalize_padding, normalize_tuple

# TF's defaults (one instance each, as in TF's signatures)
ZEROS = zeros_initializer()


class _Conv(Layer):
    """What the convolutions share: arguments, the kernel and bias, bias and activation."""
    rank = 2
    transposed = False

    def __init__(self, filters, kernel_size, strides=1, padding="valid",
                 data_format="channels_last", dilation_rate=1, activation=None, use_bias=True,
                 kernel_initializer=None, bias_initializer=ZEROS,
                 kernel_regularizer=None, bias_regularizer=None, activity_regularizer=None,
                 kernel_constraint=None, bias_constraint=None, trainable=True, name=None,
                 **kwargs):
        super().__init__(trainable=trainable, name=name,
                         activity_regularizer=activity_regularizer, **kwargs)
        self.filters = int(filters)
        if self.filters <= 0:
            raise ValueError("Invalid value for argument `filters`. Expected a strictly positive "
                             f"value. Received filters={filters}.")
        self.kernel_size = normalize_tuple(kernel_size, self.rank, "kernel_size")
        self.strides = normalize_tuple(strides, self.rank, "strides")
        self.padding = normalize_padding(padding, causal=self.rank == 1 and not self.transposed)
        self.data_format = normalize_data_format(data_format)
        self.dilation_rate = normalize_tuple(dilation_rate, self.rank, "dilation_rate")
        self.activation = activations.get(activation)
        self.use_bias = use_bias
        self.kernel_initializer = kernel_initializer
        self.bias_initializer = bias_initializer
        self.kernel_regularizer = kernel_regularizer
        self.bias_regularizer = bias_regularizer
        self.kernel_constraint = kernel_constraint
        self.bias_constraint = bias_constraint

    def _channel_axis(self):
        return 1 if self.data_format == "channels_first" else -1

    def build(self, input_shape):
        if input_shape.rank is not None and input_shape.rank != self.rank + 2:
            raise ValueError(f"Input 0 of layer {self.name} is incompatible with the layer: "
                             f"expected ndim={self.rank + 2}, found ndim={input_shape.rank}. "
                             f"Full shape received: {input_shape}")
        axis = self._channel_axis()
        channels = input_shape[axis] if input_shape.rank is not None else None
        if channels is None:
            raise ValueError("The channel dimension of the inputs should be defined. The "
                             f"input_shape received is {input_shape}, where axis {axis} "
                             "(0-based) is the channel dimension, which found to be `None`.")
        pair = (self.filters, channels) if self.transposed else (channels, self.filters)
        self.kernel = self.add_weight("kernel", [*self.kernel_size, *pair],
                                      initializer=self.kernel_initializer,
                                      regularizer=self.kernel_regularizer,
                                      constraint=self.kernel_constraint)
        self.bias = self.add_weight("bias", [self.filters], initializer=self.bias_initializer,
                                    regularizer=self.bias_regularizer,
                                    constraint=self.bias_constraint) if self.use_bias else None
        self.built = True

    def _finish(self, y):
        """Bias (on the channel axis) and activation."""
        if self.use_bias:
            fmt = "NCHW" if self.data_format == "channels_first" and self.rank == 2 else None
            if self.data_format == "channels_first" and self.rank == 1:
                y = transpose(nn.bias_add(transpose(y, [0, 2, 1]), self.bias), [0, 2, 1])
            else:
                y = nn.bias_add(y, self.bias, data_format=fmt)
        return self.activation(y)


class Conv2D(_Conv):
    """2-D convolution (+ bias, activation) of NHWC (or, channels_first, NCHW) inputs."""

    def __init__(self, filters, kernel_size, strides=(1, 1), padding="valid",
                 data_format="channels_last", dilation_rate=(1, 1), **kwargs):
        super().__init__(filters, kernel_size, strides=strides, padding=padding,
                         data_format=data_format, dilation_rate=dilation_rate, **kwargs)

    def call(self, inputs):
        fmt = "NCHW" if self.data_format == "channels_first" else "NHWC"
        y = conv.conv2d(inputs, self.kernel, strides=self.strides,
                        padding=self.padding.upper(), data_format=fmt,
                        dilations=self.dilation_rate)
        return self._finish(y)


class Conv1D(_Conv):
    """1-D convolution of (batch, steps, channels) inputs ('causal' padding pads the start):
    a conv2d over a height of 1."""
    rank = 1

    def call(self, inputs):
        x = inputs
        if self.data_format == "channels_first":
            x = transpose(x, [0, 2, 1])
        padding = self.padding
        if padding == "causal":
            left = (self.kernel_size[0] - 1) * self.dilation_rate[0]
            x = pad(x, [[0, 0], [left, 0], [0, 0]])
            padding = "valid"
        y = conv.conv2d(expand_dims(x, 1), expand_dims(self.kernel, 0),
                        strides=(1, self.strides[0]), padding=padding.upper(),
                        dilations=(1, self.dilation_rate[0]))
        y = squeeze(y, [1])
        if self.data_format == "channels_first":
            y = transpose(y, [0, 2, 1])
        return self._finish(y)


def _deconv_length(size, k, padding, stride):
    """Keras's deconv_output_length (no output padding): an int, or a tensor for a size known
    only when run."""
    if padding == "valid":
        return size * stride + max(k - stride, 0)
    return size * stride


class Conv2DTranspose(_Conv):
    """The transpose of Conv2D (a 'deconvolution'): output (N, H * s, W * s, filters) for
    'same', (H - 1) * s + k for 'valid'."""
    transposed = True

    def __init__(self, filters, kernel_size, strides=(1, 1), padding="valid",
                 data_format="channels_last", **kwargs):
        if "dilation_rate" in kwargs:
            raise TypeError("Conv2DTranspose: tf.compat.v1.layers.Conv2DTranspose takes no "
                            "dilation_rate argument")
        super().__init__(filters, kernel_size, strides=strides, padding=padding,
                         data_format=data_format, **kwargs)

    def call(self, inputs):
        x = inputs
        if self.data_format == "channels_first":
            x = transpose(x, [0, 2, 3, 1])
        dims = x.shape.as_list() if x.shape.rank is not None else [None] * 4
        dynamic = shape(x)
        sizes = []
        for i in (1, 2):
            size = dims[i] if dims[i] is not None else dynamic[i]
            sizes.append(_deconv_length(size, self.kernel_size[i - 1], self.padding,
                                        self.strides[i - 1]))
        batch = dims[0] if dims[0] is not None else dynamic[0]
        if all(isinstance(d, int) for d in [batch, *sizes]):
            output_shape = [batch, *sizes, self.filters]
        else:
            output_shape = stack([batch, *sizes, self.filters])
        y = conv.conv2d_transpose(x, self.kernel, output_shape, strides=self.strides,
                                  padding=self.padding.upper())
        if self.data_format == "channels_first":
            y = transpose(y, [0, 3, 1, 2])
        return self._finish(y)


def _function(cls, doc):
    def layer_function(inputs, filters, kernel_size, *args, name=None, reuse=None, **kwargs):
        return cls(filters, kernel_size, *args, name=name, _scope=name, _reuse=reuse,
                   **kwargs)(inputs)
    layer_function.__doc__ = doc
    return layer_function


def conv2d(inputs, filters, kernel_size, strides=(1, 1), padding="valid",
           data_format="channels_last", dilation_rate=(1, 1), activation=None, use_bias=True,
           kernel_initializer=None, bias_initializer=ZEROS,
           kernel_regularizer=None, bias_regularizer=None, activity_regularizer=None,
           kernel_constraint=None, bias_constraint=None, trainable=True, name=None,
           reuse=None):
    """A 2-D convolution layer on `inputs`: variables `<name or conv2d_N>/kernel`, `/bias`."""
    return Conv2D(filters, kernel_size, strides=strides, padding=padding,
                  data_format=data_format, dilation_rate=dilation_rate, activation=activation,
                  use_bias=use_bias, kernel_initializer=kernel_initializer,
                  bias_initializer=bias_initializer, kernel_regularizer=kernel_regularizer,
                  bias_regularizer=bias_regularizer, activity_regularizer=activity_regularizer,
                  kernel_constraint=kernel_constraint, bias_constraint=bias_constraint,
                  trainable=trainable, name=name, _scope=name, _reuse=reuse)(inputs)


def conv1d(inputs, filters, kernel_size, strides=1, padding="valid",
           data_format="channels_last", dilation_rate=1, activation=None, use_bias=True,
           kernel_initializer=None, bias_initializer=ZEROS,
           kernel_regularizer=None, bias_regularizer=None, activity_regularizer=None,
           kernel_constraint=None, bias_constraint=None, trainable=True, name=None,
           reuse=None):
    """A 1-D convolution layer on `inputs` (batch, steps, channels)."""
    return Conv1D(filters, kernel_size, strides=strides, padding=padding,
                  data_format=data_format, dilation_rate=dilation_rate, activation=activation,
                  use_bias=use_bias, kernel_initializer=kernel_initializer,
                  bias_initializer=bias_initializer, kernel_regularizer=kernel_regularizer,
                  bias_regularizer=bias_regularizer, activity_regularizer=activity_regularizer,
                  kernel_constraint=kernel_constraint, bias_constraint=bias_constraint,
                  trainable=trainable, name=name, _scope=name, _reuse=reuse)(inputs)


def conv2d_transpose(inputs, filters, kernel_size, strides=(1, 1), padding="valid",
                     data_format="channels_last", activation=None, use_bias=True,
                     kernel_initializer=None, bias_initializer=ZEROS,
                     kernel_regularizer=None, bias_regularizer=None, activity_regularizer=None,
                     kernel_constraint=None, bias_constraint=None, trainable=True, name=None,
                     reuse=None):
    """A transposed 2-D convolution layer on `inputs`: kernel (kh, kw, filters, in)."""
    return Conv2DTranspose(filters, kernel_size, strides=strides, padding=padding,
                           data_format=data_format, activation=activation, use_bias=use_bias,
                           kernel_initializer=kernel_initializer,
                           bias_initializer=bias_initializer,
                           kernel_regularizer=kernel_regularizer,
                           bias_regularizer=bias_regularizer,
                           activity_regularizer=activity_regularizer,
                           kernel_constraint=kernel_constraint, bias_constraint=bias_constraint,
                           trainable=trainable, name=name, _scope=name, _reuse=reuse)(inputs)


del dtypes
