"""Conv2D over NHWC inputs, and the window arithmetic the pooling layers share."""
from ...framework.shape import TensorShape
from ...ops import conv, nn
from .. import activations, initializers
from .base import Layer, get_constraint, get_regularizer, layer_dtype_cast, serialize
from .core import check_last_axis


def pair(v, what):
    if isinstance(v, int):
        return (v, v)
    v = tuple(int(a) for a in v)
    if len(v) != 2:
        raise ValueError(f"The `{what}` argument must be a tuple of 2 integers. Received: {v}")
    return v


def check_channels_last(data_format, layer):
    if data_format not in (None, "channels_last"):
        raise NotImplementedError(f"{layer}: only data_format='channels_last' is supported")


def conv_length(size, k, stride, padding, dilation=1):
    if size is None:
        return None
    eff = (k - 1) * dilation + 1
    return (size - eff) // stride + 1 if padding == "VALID" else -(-size // stride)


class Conv2D(Layer):
    """2-D convolution over NHWC inputs with a (kh, kw, in, filters) kernel, plus bias."""

    def __init__(self, filters, kernel_size, strides=(1, 1), padding="valid", data_format=None,
                 dilation_rate=(1, 1), activation=None, use_bias=True,
                 kernel_initializer="glorot_uniform", bias_initializer="zeros",
                 kernel_regularizer=None, bias_regularizer=None, kernel_constraint=None,
                 bias_constraint=None, **kwargs):
        super().__init__(**kwargs)
        check_channels_last(data_format, "Conv2D")
        self.filters = int(filters)
        self.kernel_size = pair(kernel_size, "kernel_size")
        self.strides = pair(strides, "strides")
        self.dilation_rate = pair(dilation_rate, "dilation_rate")
        self.padding = padding.upper()
        if self.padding not in ("VALID", "SAME"):
            raise ValueError(f"Conv2D: padding must be 'valid' or 'same', got {padding!r}")
        self.activation = activations.get(activation)
        self.use_bias = use_bias
        self.kernel_initializer = initializers.get(kernel_initializer)
        self.bias_initializer = initializers.get(bias_initializer)
        self.kernel_regularizer = get_regularizer(kernel_regularizer)
        self.bias_regularizer = get_regularizer(bias_regularizer)
        self.kernel_constraint = get_constraint(kernel_constraint)
        self.bias_constraint = get_constraint(bias_constraint)

    def build(self, input_shape):
        input_shape = TensorShape(input_shape)
        if input_shape.rank != 4:
            raise ValueError(f"Input 0 of layer {self.name} is incompatible with the layer: "
                             f"expected ndim=4, found ndim={input_shape.rank}. Full shape "
                             f"received: {input_shape}")
        channels = input_shape[-1]
        if channels is None:
            raise ValueError("The channel dimension of the inputs to Conv2D should be defined.")
        self.kernel = self.add_weight(shape=[*self.kernel_size, channels, self.filters],
                                      name="kernel", initializer=self.kernel_initializer,
                                      regularizer=self.kernel_regularizer,
                                      constraint=self.kernel_constraint)
        self.bias = self.add_weight(shape=[self.filters], name="bias",
                                    initializer=self.bias_initializer,
                                    regularizer=self.bias_regularizer,
                                    constraint=self.bias_constraint) if self.use_bias else None
        self.built = True

    def call(self, inputs):
        inputs = layer_dtype_cast(self, inputs)
        check_last_axis(self, inputs.shape, self.kernel.shape[2])
        y = conv.conv2d(inputs, self.kernel, strides=self.strides, padding=self.padding,
                        dilations=self.dilation_rate)
        if self.use_bias:
            y = nn.bias_add(y, self.bias)
        return self.activation(y)

    def compute_output_shape(self, input_shape):
        n, h, w, _ = TensorShape(input_shape).as_list()
        (kh, kw), (sh, sw), (dh, dw) = self.kernel_size, self.strides, self.dilation_rate
        return TensorShape([n, conv_length(h, kh, sh, self.padding, dh),
                            conv_length(w, kw, sw, self.padding, dw), self.filters])


    def get_config(self):
        return {**super().get_config(), "filters": self.filters,
                "kernel_size": self.kernel_size, "strides": self.strides,
                "padding": self.padding.lower(), "data_format": "channels_last",
                "dilation_rate": self.dilation_rate,
                "activation": activations.serialize(self.activation), "use_bias": self.use_bias,
                "kernel_initializer": serialize(self.kernel_initializer),
                "bias_initializer": serialize(self.bias_initializer),
                "kernel_regularizer": serialize(self.kernel_regularizer),
                "bias_regularizer": serialize(self.bias_regularizer),
                "kernel_constraint": serialize(self.kernel_constraint),
                "bias_constraint": serialize(self.bias_constraint)}
