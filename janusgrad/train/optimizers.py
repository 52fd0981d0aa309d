"""TF1's optimizers (tf.compat.v1.train.*Optimizer), written as TF1 writes them: slots made in
`_create_slots`, hyperparameters made tensors in `_prepare` (a callable one is called there, so
a learning-rate schedule is read at each step), and each update a few janusgrad ops computing
what TF's kernel (training_ops' ApplyGradientDescent, ApplyMomentum, ApplyAdam, ApplyRMSProp,
ApplyCenteredRMSProp, ApplyAdagrad, ApplyAdadelta, ApplyProximalGradientDescent) computes, in
its order of operations. A hyperparameter is converted as TF converts it (a Python float becomes
a float32 tensor) and then cast to the variable's dtype.
"""
import numpy as np

from ..framework import dtypes
from ..framework.tensor import convert_to_tensor
from ..ops.control import control_dependencies, group
from ..ops.math import abs as abs_
from ..ops.math import cast, maximum, rsqrt, sign, sqrt, square
from .optimizer import Optimizer, graph_only, outer_graph, hyper


def _tensor(value, name):
    return convert_to_tensor(Optimizer._call_if_callable(value), name=name)


def _as(t, dtype):
    """The prepared hyperparameter `t` in the variable's dtype."""
    return t if t.dtype is dtype else cast(t, dtype)


class GradientDescentOptimizer(Optimizer):
    """var -= grad * lr"""

    def __init__(self, learning_rate, use_locking=False, name="GradientDescent",
                 check_finite=False):
        super().__init__(use_locking, name, check_finite=check_finite)
        self._learning_rate = learning_rate
        self._learning_rate_tensor = None

    def _prepare(self):
        self._learning_rate_tensor = _tensor(self._learning_rate, "learning_rate")

    def _resource_apply_dense(self, grad, var):
        return var.assign_sub(_as(self._learning_rate_tensor, var.dtype) * grad,
                              read_value=False)

    _apply_dense = _resource_apply_dense


class MomentumOptimizer(Optimizer):
    """accum = accum * momentum + grad; var -= lr * accum
    (nesterov: var -= lr * grad + lr * momentum * accum), TF's ApplyMomentum."""

    _sparse_rows_only = True        # (TF1's sparse kernel: the rows named only)

    def __init__(self, learning_rate, momentum, use_locking=False, name="Momentum",
                 use_nesterov=False, check_finite=False):
        super().__init__(use_locking, name, check_finite=check_finite)
        self._learning_rate = learning_rate
        self._momentum = momentum
        self._use_nesterov = bool(use_nesterov)

    def _create_slots(self, var_list):
        for v in var_list:
            self._zeros_slot(v, "momentum", self._name)

    def _prepare(self):
        self._learning_rate_tensor = _tensor(self._learning_rate, "learning_rate")
        self._momentum_tensor = _tensor(self._momentum, "momentum")

    def _resource_apply_dense(self, grad, var):
        lr = _as(self._learning_rate_tensor, var.dtype)
        momentum = _as(self._momentum_tensor, var.dtype)
        accum = self.get_slot(var, "momentum")
        accum_t = accum.assign(accum * momentum + grad)
        step = lr * grad + lr * momentum * accum_t if self._use_nesterov else lr * accum_t
        return var.assign_sub(step, read_value=False)

    _apply_dense = _resource_apply_dense


class AdamOptimizer(Optimizer):
    """m += (g - m)(1 - b1); v += (g^2 - v)(1 - b2);
    var -= lr sqrt(1 - b2^t) / (1 - b1^t) * m / (sqrt(v) + eps), TF's ApplyAdam; the powers
    b1^t, b2^t are the non-slot variables "beta1_power", "beta2_power"."""

    def __init__(self, learning_rate=0.001, beta1=0.9, beta2=0.999, epsilon=1e-08,
                 use_locking=False, name="Adam", use_own_namescope_for_non_slot_vars=False,
                 check_finite=False):
        super().__init__(use_locking, name, check_finite=check_finite)
        self._lr = learning_rate
        self._beta1 = beta1
        self._beta2 = beta2
        self._epsilon = epsilon

    def _get_beta_accumulators(self):
        graph = outer_graph()
        return (self._get_non_slot_variable("beta1_power", graph),
                self._get_non_slot_variable("beta2_power", graph))

    def _create_slots(self, var_list):
        # the running powers b1^t, b2^t start at b1, b2 and advance after each step
        first = min(var_list, key=lambda x: x.name)
        self._create_non_slot_variable(_initial(self._beta1), "beta1_power", first)
        self._create_non_slot_variable(_initial(self._beta2), "beta2_power", first)
        for v in var_list:
            self._zeros_slot(v, "m", self._name)
            self._zeros_slot(v, "v", self._name)

    def _prepare(self):
        self._lr_t = _tensor(self._lr, "learning_rate")
        self._beta1_t = _tensor(self._beta1, "beta1")
        self._beta2_t = _tensor(self._beta2, "beta2")
        self._epsilon_t = _tensor(self._epsilon, "epsilon")

    def _resource_apply_dense(self, grad, var):
        dtype = var.dtype
        beta1, beta2 = _as(self._beta1_t, dtype), _as(self._beta2_t, dtype)
        beta1_power, beta2_power = (hyper(p, dtype) for p in self._get_beta_accumulators())
        alpha = _as(self._lr_t, dtype) * sqrt(1 - beta2_power) / (1 - beta1_power)
        m, v = self.get_slot(var, "m"), self.get_slot(var, "v")
        m_t = m.assign_add((grad - m) * (1 - beta1))
        v_t = v.assign_add((square(grad) - v) * (1 - beta2))
        step = m_t * alpha / (sqrt(v_t) + _as(self._epsilon_t, dtype))
        return var.assign_sub(step, read_value=False)

    _apply_dense = _resource_apply_dense

    def _finish(self, update_ops, name_scope):
        b1p, b2p = self._get_beta_accumulators()
        with control_dependencies(graph_only(update_ops)):
            update_beta1 = b1p.assign(b1p * _as(self._beta1_t, b1p.dtype), read_value=False)
            update_beta2 = b2p.assign(b2p * _as(self._beta2_t, b2p.dtype), read_value=False)
        return group(*update_ops, update_beta1, update_beta2, name=name_scope)


def _initial(value):
    """A beta's starting power: a float32 scalar (or a callable making one)."""
    return (lambda: hyper(value, dtypes.float32)) if callable(value) else np.float32(value)


class RMSPropOptimizer(Optimizer):
    """ms += (g^2 - ms)(1 - decay); mom = mom * momentum + lr * g / sqrt(ms + eps);
    var -= mom (TF's ApplyRMSProp; "rms" starts at ones). centered: also
    mg += (g - mg)(1 - decay), and the denominator is sqrt(ms - mg^2 + eps)
    (ApplyCenteredRMSProp)."""

    _sparse_rows_only = True        # (TF1's sparse kernel: the rows named only)

    def __init__(self, learning_rate, decay=0.9, momentum=0.0, epsilon=1e-10,
                 use_locking=False, centered=False, name="RMSProp", check_finite=False):
        super().__init__(use_locking, name, check_finite=check_finite)
        self._learning_rate = learning_rate
        self._decay = decay
        self._momentum = momentum
        self._epsilon = epsilon
        self._centered = bool(centered)

    def _create_slots(self, var_list):
        for v in var_list:
            self._get_or_make_slot_with_initializer(v, _ones, v.shape, v.dtype, "rms",
                                                    self._name)
            if self._centered:
                self._zeros_slot(v, "mg", self._name)
            self._zeros_slot(v, "momentum", self._name)

    def _prepare(self):
        self._learning_rate_tensor = _tensor(self._learning_rate, "learning_rate")
        self._decay_tensor = _tensor(self._decay, "decay")
        self._momentum_tensor = _tensor(self._momentum, "momentum")
        self._epsilon_tensor = _tensor(self._epsilon, "epsilon")

    def _resource_apply_dense(self, grad, var):
        dtype = var.dtype
        lr, decay = _as(self._learning_rate_tensor, dtype), _as(self._decay_tensor, dtype)
        momentum, epsilon = _as(self._momentum_tensor, dtype), _as(self._epsilon_tensor, dtype)
        ms, mom = self.get_slot(var, "rms"), self.get_slot(var, "momentum")
        ms_t = ms.assign_add((square(grad) - ms) * (1 - decay))
        if self._centered:
            mg = self.get_slot(var, "mg")
            mg_t = mg.assign_add((grad - mg) * (1 - decay))
            denom = ms_t - square(mg_t) + epsilon
        else:
            denom = ms_t + epsilon
        mom_t = mom.assign(mom * momentum + rsqrt(denom) * lr * grad)
        return var.assign_sub(mom_t, read_value=False)

    _apply_dense = _resource_apply_dense


def _ones(shape, dtype):
    return np.ones(shape, dtype.np)


class AdagradOptimizer(Optimizer):
    """accum += g^2; var -= g * lr / sqrt(accum) (TF's ApplyAdagrad); "accumulator" starts at
    `initial_accumulator_value`."""

    _sparse_rows_only = True        # (TF1's sparse kernel: the rows named only)

    def __init__(self, learning_rate, initial_accumulator_value=0.1, use_locking=False,
                 name="Adagrad", check_finite=False):
        if initial_accumulator_value <= 0.0:
            raise ValueError("initial_accumulator_value must be positive: "
                             f"{initial_accumulator_value}")
        super().__init__(use_locking, name, check_finite=check_finite)
        self._learning_rate = learning_rate
        self._initial_accumulator_value = initial_accumulator_value

    def _create_slots(self, var_list):
        value = self._initial_accumulator_value
        for v in var_list:
            self._get_or_make_slot_with_initializer(
                v, lambda shape, dtype: np.full(shape, value, dtype.np), v.shape, v.dtype,
                "accumulator", self._name)

    def _prepare(self):
        self._learning_rate_tensor = _tensor(self._learning_rate, "learning_rate")

    def _resource_apply_dense(self, grad, var):
        accum = self.get_slot(var, "accumulator")
        accum_t = accum.assign_add(square(grad))
        lr = _as(self._learning_rate_tensor, var.dtype)
        return var.assign_sub(grad * lr * rsqrt(accum_t), read_value=False)

    _apply_dense = _resource_apply_dense


class AdadeltaOptimizer(Optimizer):
    """accum = accum * rho + g^2 (1 - rho);
    update = sqrt(accum_update + eps) / sqrt(accum + eps) * g; var -= update * lr;
    accum_update = accum_update * rho + update^2 (1 - rho) (TF's ApplyAdadelta)."""

    _sparse_rows_only = True        # (TF1's sparse kernel: the rows named only)

    def __init__(self, learning_rate=0.001, rho=0.95, epsilon=1e-8, use_locking=False,
                 name="Adadelta", check_finite=False):
        super().__init__(use_locking, name, check_finite=check_finite)
        self._lr = learning_rate
        self._rho = rho
        self._epsilon = epsilon

    def _create_slots(self, var_list):
        for v in var_list:
            self._zeros_slot(v, "accum", self._name)
            self._zeros_slot(v, "accum_update", self._name)

    def _prepare(self):
        self._lr_t = _tensor(self._lr, "lr")
        self._rho_t = _tensor(self._rho, "rho")
        self._epsilon_t = _tensor(self._epsilon, "epsilon")

    def _resource_apply_dense(self, grad, var):
        dtype = var.dtype
        lr, rho, epsilon = (_as(t, dtype) for t in (self._lr_t, self._rho_t, self._epsilon_t))
        accum, accum_update = self.get_slot(var, "accum"), self.get_slot(var, "accum_update")
        accum_t = accum.assign(accum * rho + square(grad) * (1 - rho))
        update = sqrt(accum_update + epsilon) * rsqrt(accum_t + epsilon) * grad
        var_update = var.assign_sub(update * lr, read_value=False)
        accum_update_t = accum_update.assign(accum_update * rho + square(update) * (1 - rho),
                                             read_value=False)
        return group(var_update, accum_update_t)

    _apply_dense = _resource_apply_dense


class ProximalGradientDescentOptimizer(Optimizer):
    """prox = var - g * lr; var = sign(prox) max(|prox| - lr l1, 0) / (1 + lr l2)
    (TF's ApplyProximalGradientDescent)."""

    _sparse_rows_only = True        # (TF1's sparse kernel: the rows named only)

    def __init__(self, learning_rate, l1_regularization_strength=0.0,
                 l2_regularization_strength=0.0, use_locking=False,
                 name="ProximalGradientDescent", check_finite=False):
        super().__init__(use_locking, name, check_finite=check_finite)
        self._learning_rate = learning_rate
        self._l1_regularization_strength = l1_regularization_strength
        self._l2_regularization_strength = l2_regularization_strength

    def _prepare(self):
        self._learning_rate_tensor = _tensor(self._learning_rate, "learning_rate")
        self._l1_regularization_strength_tensor = _tensor(self._l1_regularization_strength,
                                                          "l1_regularization_strength")
        self._l2_regularization_strength_tensor = _tensor(self._l2_regularization_strength,
                                                          "l2_regularization_strength")

    def _resource_apply_dense(self, grad, var):
        dtype = var.dtype
        lr = _as(self._learning_rate_tensor, dtype)
        l1 = _as(self._l1_regularization_strength_tensor, dtype)
        l2 = _as(self._l2_regularization_strength_tensor, dtype)
        prox = var - grad * lr
        # with l1 = 0 this is prox / (1 + lr l2) exactly (sign(x) |x| = x)
        shrunk = sign(prox) * maximum(abs_(prox) - lr * l1, 0) / (1 + lr * l2)
        return var.assign(shrunk, read_value=False)

    _apply_dense = _resource_apply_dense
