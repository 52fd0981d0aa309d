"""BatchNormalization and LayerNormalization, as Keras 3 computes them."""
from ...framework.shape import TensorShape
from ...ops import nn
from ...ops.array import reshape
from ...ops.math import rsqrt
from .. import initializers
from .base import Layer, get_constraint, get_regularizer, layer_dtype_cast, serialize


def _axes(axis, rank, layer):
    axes = [axis] if isinstance(axis, int) else list(axis)
    out = []
    for a in axes:
        if not -rank <= a < rank:
            raise ValueError(f"{layer}: invalid axis {a} for inputs of rank {rank}")
        out.append(a % rank)
    return sorted(out)


class _Normalization(Layer):
    def __init__(self, axis=-1, epsilon=1e-3, center=True, scale=True,
                 beta_initializer="zeros", gamma_initializer="ones", beta_regularizer=None,
                 gamma_regularizer=None, beta_constraint=None, gamma_constraint=None, **kwargs):
        super().__init__(**kwargs)
        self.axis, self.epsilon, self.center, self.scale = axis, float(epsilon), center, scale
        self.beta_initializer = initializers.get(beta_initializer)
        self.gamma_initializer = initializers.get(gamma_initializer)
        self.beta_regularizer = get_regularizer(beta_regularizer)
        self.gamma_regularizer = get_regularizer(gamma_regularizer)
        self.beta_constraint = get_constraint(beta_constraint)
        self.gamma_constraint = get_constraint(gamma_constraint)

    def _build_params(self, input_shape):
        """gamma and beta over the normalized axes (None where not centred/scaled)."""
        input_shape = TensorShape(input_shape)
        rank = input_shape.rank
        self._axes = _axes(self.axis, rank, type(self).__name__)
        dims = [input_shape[a] for a in self._axes]
        if any(d is None for d in dims):
            raise ValueError(f"{type(self).__name__}: axis {self.axis} of input shape "
                             f"{input_shape} must be defined")
        self._param_shape = dims
        # shape the parameters broadcast as, over inputs of this rank
        self._broadcast = [input_shape[a] if a in self._axes else 1 for a in range(rank)]
        self.gamma = self.add_weight(shape=dims, name="gamma",
                                     initializer=self.gamma_initializer,
                                     regularizer=self.gamma_regularizer,
                                     constraint=self.gamma_constraint) if self.scale else None
        self.beta = self.add_weight(shape=dims, name="beta", initializer=self.beta_initializer,
                                    regularizer=self.beta_regularizer,
                                    constraint=self.beta_constraint) if self.center else None

    def _shaped(self, v):
        return None if v is None else reshape(v, self._broadcast)

    def _normalize(self, x, mean, variance):
        """(x - mean) * gamma / sqrt(variance + epsilon) + beta."""
        inv = rsqrt(variance + self.epsilon)
        if self.gamma is not None:
            inv = inv * self._shaped(self.gamma)
        y = (x - mean) * inv
        return y + self._shaped(self.beta) if self.beta is not None else y

    def compute_output_shape(self, input_shape):
        return TensorShape(input_shape)

    def get_config(self):
        return {**super().get_config(), "axis": self.axis, "epsilon": self.epsilon,
                "center": self.center, "scale": self.scale,
                "beta_initializer": serialize(self.beta_initializer),
                "gamma_initializer": serialize(self.gamma_initializer),
                "beta_regularizer": serialize(self.beta_regularizer),
                "gamma_regularizer": serialize(self.gamma_regularizer),
                "beta_constraint": serialize(self.beta_constraint),
                "gamma_constraint": serialize(self.gamma_constraint)}


class BatchNormalization(_Normalization):
    """Normalize over the batch (training=True: the batch's mean and variance, and the moving
    statistics move towards them by `1 - momentum`) or with the moving statistics (inference,
    the default)."""

    def __init__(self, axis=-1, momentum=0.99, epsilon=1e-3, center=True, scale=True,
                 beta_initializer="zeros", gamma_initializer="ones",
                 moving_mean_initializer="zeros", moving_variance_initializer="ones",
                 beta_regularizer=None, gamma_regularizer=None, beta_constraint=None,
                 gamma_constraint=None, synchronized=False, **kwargs):
        for key in ("renorm", "fused", "virtual_batch_size", "adjustment"):
            if kwargs.pop(key, None):
                raise NotImplementedError(f"BatchNormalization: {key} is not supported")
        kwargs.pop("renorm_clipping", None)
        kwargs.pop("renorm_momentum", None)
        super().__init__(axis, epsilon, center, scale, beta_initializer, gamma_initializer,
                         beta_regularizer, gamma_regularizer, beta_constraint, gamma_constraint,
                         **kwargs)
        self.momentum = float(momentum)
        self.moving_mean_initializer = initializers.get(moving_mean_initializer)
        self.moving_variance_initializer = initializers.get(moving_variance_initializer)

    def build(self, input_shape):
        self._build_params(input_shape)
        self.moving_mean = self.add_weight(shape=self._param_shape, name="moving_mean",
                                           initializer=self.moving_mean_initializer,
                                           trainable=False)
        self.moving_variance = self.add_weight(shape=self._param_shape, name="moving_variance",
                                               initializer=self.moving_variance_initializer,
                                               trainable=False)
        self.built = True

    def call(self, inputs, training=None, mask=None):
        x = layer_dtype_cast(self, inputs)
        if training and self.trainable:
            reduce_axes = [a for a in range(x.shape.rank) if a not in self._axes]
            mean, variance = nn.moments(x, reduce_axes, keepdims=True)
            keep = self.momentum
            self.moving_mean.assign(self.moving_mean * keep +
                                    reshape(mean, self._param_shape) * (1.0 - keep))
            self.moving_variance.assign(self.moving_variance * keep +
                                        reshape(variance, self._param_shape) * (1.0 - keep))
            return self._normalize(x, mean, variance)
        return self._normalize(x, self._shaped(self.moving_mean),
                               self._shaped(self.moving_variance))

    def get_config(self):
        return {**super().get_config(), "momentum": self.momentum,
                "moving_mean_initializer": serialize(self.moving_mean_initializer),
                "moving_variance_initializer": serialize(self.moving_variance_initializer)}


class LayerNormalization(_Normalization):
    """Normalize each example over `axis` (the last by default) with its own mean and
    variance, then scale by gamma and shift by beta."""

    def __init__(self, axis=-1, epsilon=1e-3, center=True, scale=True, rms_scaling=False,
                 beta_initializer="zeros", gamma_initializer="ones", beta_regularizer=None,
                 gamma_regularizer=None, beta_constraint=None, gamma_constraint=None, **kwargs):
        if rms_scaling:
            raise NotImplementedError("LayerNormalization: rms_scaling is not supported")
        super().__init__(axis, epsilon, center, scale, beta_initializer, gamma_initializer,
                         beta_regularizer, gamma_regularizer, beta_constraint, gamma_constraint,
                         **kwargs)

    def build(self, input_shape):
        self._build_params(input_shape)
        self.built = True

    def call(self, inputs):
        x = layer_dtype_cast(self, inputs)
        mean, variance = nn.moments(x, self._axes, keepdims=True)
        return self._normalize(x, mean, variance)
