"""tf.compat.v1.layers.BatchNormalization and batch_normalization.

As tf-keras's legacy layer: variables gamma, beta (trainable), moving_mean, moving_variance
(GLOBAL_VARIABLES only); training normalizes by the batch's mean and (biased) variance and
updates the moving statistics by `moving -= (moving - batch) * (1 - momentum)`, ops that in a
graph go to UPDATE_OPS (the user runs them, usually under control_dependencies) and eagerly run
at the call. `training` False (the default) uses the moving statistics and makes no update; a
bool tensor chooses when run (its update then has momentum 1 when False: a no-op). TF fuses
4-D and 5-D inputs into one FusedBatchNorm op, whose moving variance moves toward the unbiased
batch variance (the output uses the biased one, as unfused); here it is always the composite
(moments, batch_normalization) with that correction where TF would fuse.
"""
from ...framework import dtypes
from ...framework.tensor import convert_to_tensor
from ...ops import nn
from ...ops.array import reshape, size
from ...ops.control import name_scope
from ...ops.math import cast
from ..init_ops import ones_initializer, zeros_initializer
from .base import Layer, smart_cond, static_bool

# TF's defaults (one instance each, as in TF's signatures)
ZEROS = zeros_initializer()
ONES = ones_initializer()


class BatchNormalization(Layer):
    """Batch normalization over every axis but `axis` (an int or a list of ints)."""

    def __init__(self, axis=-1, momentum=0.99, epsilon=1e-3, center=True, scale=True,
                 beta_initializer=ZEROS, gamma_initializer=ONES,
                 moving_mean_initializer=ZEROS,
                 moving_variance_initializer=ONES, beta_regularizer=None,
                 gamma_regularizer=None, beta_constraint=None, gamma_constraint=None,
                 renorm=False, renorm_clipping=None, renorm_momentum=0.99, fused=None,
                 trainable=True, virtual_batch_size=None, adjustment=None, name=None, **kwargs):
        super().__init__(trainable=trainable, name=name, **kwargs)
        unsupported = [arg for arg, value in (("renorm", renorm),
                                              ("virtual_batch_size", virtual_batch_size),
                                              ("adjustment", adjustment)) if value]
        if unsupported:
            raise NotImplementedError(f"BatchNormalization: janusgrad does not support "
                                      f"{', '.join(unsupported)}")
        self.axis = list(axis) if isinstance(axis, (list, tuple)) else axis
        self.momentum = momentum
        self.epsilon = epsilon
        self.center, self.scale = center, scale
        self.beta_initializer, self.gamma_initializer = beta_initializer, gamma_initializer
        self.moving_mean_initializer = moving_mean_initializer
        self.moving_variance_initializer = moving_variance_initializer
        self.beta_regularizer, self.gamma_regularizer = beta_regularizer, gamma_regularizer
        self.beta_constraint, self.gamma_constraint = beta_constraint, gamma_constraint
        self.fused = fused

    def build(self, input_shape):
        rank = input_shape.rank
        if rank is None:
            raise ValueError(f"Input has undefined rank. Received: input_shape={input_shape}.")
        axes = self.axis if isinstance(self.axis, list) else [self.axis]
        for a in axes:
            if not -rank <= int(a) < rank:
                raise ValueError(f"Invalid axis: {a}. Expected -{rank} <= axis < {rank}. "
                                 f"Received: input_shape={input_shape}")
        self.axis = sorted({int(a) % rank for a in axes})
        sizes = [input_shape[a] for a in self.axis]
        if any(s is None for s in sizes):
            raise ValueError(f"Axis {self.axis} of input tensor should have a defined "
                             f"dimension but the layer received an input with shape "
                             f"{input_shape}.")
        param_shape = sizes if len(sizes) > 1 else sizes[:1]
        self.gamma = self.add_weight("gamma", param_shape, initializer=self.gamma_initializer,
                                     regularizer=self.gamma_regularizer,
                                     constraint=self.gamma_constraint) if self.scale else None
        self.beta = self.add_weight("beta", param_shape, initializer=self.beta_initializer,
                                    regularizer=self.beta_regularizer,
                                    constraint=self.beta_constraint) if self.center else None
        self.moving_mean = self.add_weight("moving_mean", param_shape,
                                           initializer=self.moving_mean_initializer,
                                           trainable=False)
        self.moving_variance = self.add_weight("moving_variance", param_shape,
                                               initializer=self.moving_variance_initializer,
                                               trainable=False)
        self._rank = rank
        self.built = True

    def call(self, inputs, training=False):
        x = convert_to_tensor(inputs)
        reduction = [i for i in range(self._rank) if i not in self.axis]
        broadcast = [x.shape[i] if i in self.axis else 1 for i in range(self._rank)]
        need_reshape = self.axis != [self._rank - 1]

        def shaped(v):
            return None if v is None else (reshape(v, broadcast) if need_reshape else v)

        known = static_bool(training)
        if known is False:
            mean, variance = self.moving_mean, self.moving_variance
        else:
            batch_mean, batch_variance = nn.moments(x, reduction)
            mean = smart_cond(training, lambda: batch_mean,
                              lambda: convert_to_tensor(self.moving_mean))
            variance = smart_cond(training, lambda: batch_variance,
                                  lambda: convert_to_tensor(self.moving_variance))
            moving_target = variance
            if self._fused(x):
                # TF's fused kernel moves the moving variance toward the unbiased batch
                # variance (n / (n - 1) times the one it normalizes by)
                n = cast(size(x), batch_variance.dtype) / cast(size(batch_variance),
                                                                batch_variance.dtype)
                moving_target = smart_cond(
                    training, lambda: batch_variance * (n / (n - 1.0)),
                    lambda: convert_to_tensor(self.moving_variance))
            # momentum 1 when a tensor `training` is False: the update changes nothing
            momentum = smart_cond(training, lambda: convert_to_tensor(float(self.momentum)),
                                  lambda: convert_to_tensor(1.0))
            self.add_update(lambda: self._moving_average(self.moving_mean, mean, momentum))
            self.add_update(lambda: self._moving_average(self.moving_variance, moving_target,
                                                         momentum))
        mean = cast(convert_to_tensor(mean), x.dtype)
        variance = cast(convert_to_tensor(variance), x.dtype)
        return nn.batch_normalization(x, shaped(mean), shaped(variance), shaped(self.beta),
                                      shaped(self.gamma), self.epsilon)

    def _fused(self, x):
        """Whether TF runs this call as one FusedBatchNorm: 4-D or 5-D float32/float16
        inputs normalized over their channel axis (first after the batch, or last), unless
        fused=False."""
        return self.fused is not False and self._rank in (4, 5) and \
            self.axis in ([1], [self._rank - 1]) and x.dtype in (dtypes.float32, dtypes.float16)

    @staticmethod
    def _moving_average(variable, value, momentum):
        with name_scope("AssignMovingAvg"):
            decay = cast(1.0 - momentum, variable.dtype)
            return variable.assign_sub((convert_to_tensor(variable) -
                                        cast(value, variable.dtype)) * decay)


def batch_normalization(inputs, axis=-1, momentum=0.99, epsilon=1e-3, center=True, scale=True,
                        beta_initializer=ZEROS,
                        gamma_initializer=ONES,
                        moving_mean_initializer=ZEROS,
                        moving_variance_initializer=ONES, beta_regularizer=None,
                        gamma_regularizer=None, beta_constraint=None, gamma_constraint=None,
                        training=False, trainable=True, name=None, reuse=None, renorm=False,
                        renorm_clipping=None, renorm_momentum=0.99, fused=None,
                        virtual_batch_size=None, adjustment=None):
    """Batch normalization of `inputs`; with `training`, the moving-statistic updates go to
    UPDATE_OPS (graph mode), to be run with the train op."""
    layer = BatchNormalization(
        axis=axis, momentum=momentum, epsilon=epsilon, center=center, scale=scale,
        beta_initializer=beta_initializer, gamma_initializer=gamma_initializer,
        moving_mean_initializer=moving_mean_initializer,
        moving_variance_initializer=moving_variance_initializer,
        beta_regularizer=beta_regularizer, gamma_regularizer=gamma_regularizer,
        beta_constraint=beta_constraint, gamma_constraint=gamma_constraint, renorm=renorm,
        renorm_clipping=renorm_clipping, renorm_momentum=renorm_momentum, fused=fused,
        trainable=trainable, virtual_batch_size=virtual_batch_size, adjustment=adjustment,
        name=name, _scope=name, _reuse=reuse)
    return layer(inputs, training=training)
