"""tf.keras.optimizers: SGD (momentum, Nesterov) and Adam, with Keras 3's update formulas.

    opt = tf.keras.optimizers.Adam(1e-3)
    with tf.GradientTape() as tape:
        loss = loss_fn(model(x), y)
    grads = tape.gradient(loss, model.trainable_variables)
    opt.apply_gradients(zip(grads, model.trainable_variables))

Slots are created on the first update (also from inside a tf.function, as variables created
while tracing live outside it). The learning rate is a variable: assigning to it between
calls of a compiled step takes effect without retracing.

Threads: each slot is made once, and an eager step runs under its optimizer's lock, so that steps
from several threads give what the same steps one after another would (slots, iteration count
and all). Numerics: under `tf.debugging.enable_check_numerics()` a gradient holding NaN or Inf
changes no variable (train/optimizer.py's `validate_gradients`).
"""
import threading

import numpy as np

from ...autodiff.tape import GradientTape
from ...compat.replica_state import aggregate_gradients as _aggregate_gradients
from ...framework.context import current_graph
from ...framework.context import init_scope
from ...framework.tensor import convert_to_tensor
from ...ops.control import control_dependencies, group, name_scope
from ...ops.indexed_slices import IndexedSlices
from ...ops.math import clip_by_value, maximum, sqrt, square
from ...ops.reduce import clip_by_global_norm, clip_by_norm
from ...ops.state import Variable
from ...train.optimizer import SlotStore, validate_gradients
from ...train.optimizer import hyper as _hyper
from . import schedules
from .missing_gradients import warn_missing_gradients  # issue 19 (error paths)
from .schedules import LearningRateSchedule


class Optimizer:
    """Base class: subclasses define `build(var_list)` (slots) and
    `update_step(gradient, variable, learning_rate)` (one update, in janusgrad ops)."""

    def __init__(self, learning_rate=0.001, weight_decay=None, clipnorm=None, clipvalue=None,
                 global_clipnorm=None, name=None, check_finite=False, **kwargs):
        unknown = set(kwargs) - {"use_ema", "ema_momentum", "ema_overwrite_frequency",
                                 "loss_scale_factor", "gradient_accumulation_steps"}
        if unknown:
            raise TypeError(f"Unexpected keyword argument(s) for optimizer: {sorted(unknown)}")
        if kwargs.get("use_ema") or kwargs.get("gradient_accumulation_steps"):
            raise NotImplementedError("janusgrad optimizers support neither use_ema nor "
                                      "gradient_accumulation_steps")
        if sum(c is not None for c in (clipnorm, clipvalue, global_clipnorm)) > 1:
            raise ValueError("Only one of `clipnorm`, `clipvalue` and `global_clipnorm` can "
                             f"be set. Received: clipnorm={clipnorm}, clipvalue={clipvalue}, "
                             f"global_clipnorm={global_clipnorm}")
        self.name = name or type(self).__name__.lower()
        self.check_finite = check_finite    # janusgrad's: refuse NaN / Inf gradients, atomically
        self.weight_decay = weight_decay
        self.clipnorm, self.clipvalue, self.global_clipnorm = clipnorm, clipvalue, global_clipnorm
        self._slots = SlotStore(self.name)
        self._lock = threading.RLock()      # held by an eager step: one step at a time
        with init_scope():
            self._iterations = Variable(np.int64(0), trainable=False,
                                        name=f"{self.name}/iteration")
            if callable(learning_rate):
                self._learning_rate = learning_rate
            else:
                self._learning_rate = Variable(np.float32(learning_rate), trainable=False,
                                               name=f"{self.name}/learning_rate")

    # -- hyperparameters ---------------------------------------------------------------------
    @property
    def iterations(self):
        return self._iterations

    @property
    def learning_rate(self):
        """The learning rate now (a variable, or the schedule's value at this step)."""
        lr = self._learning_rate
        if isinstance(lr, LearningRateSchedule):
            return lr(self._iterations)
        if callable(lr) and not isinstance(lr, Variable):
            return lr()
        return lr

    @learning_rate.setter
    def learning_rate(self, value):
        if isinstance(self._learning_rate, Variable) and not callable(value):
            self._learning_rate.assign(np.float32(value))
        else:
            self._learning_rate = value

    lr = learning_rate

    @property
    def variables(self):
        """The optimizer's own variables: iteration count, learning rate, then the slots."""
        own = [self._iterations]
        if isinstance(self._learning_rate, Variable):
            own.append(self._learning_rate)
        return own + [s for _, _, s in self._slots.items]

    def _checkpoint_children(self):
        kids = {"iteration": self._iterations}
        if isinstance(self._learning_rate, Variable):
            kids["learning_rate"] = self._learning_rate
        return kids

    # -- updates -----------------------------------------------------------------------------
    def build(self, var_list):
        """Create the slots of `var_list` (the first apply_gradients does it)."""

    def update_step(self, gradient, variable, learning_rate):
        raise NotImplementedError

    def apply_gradients(self, grads_and_vars, name=None, **kwargs):
        """Apply one update per (gradient, variable); pairs with a None gradient are skipped.

        Returns the incremented iteration count (an op to run, in graph mode)."""
        pairs = [(g, v) for g, v in grads_and_vars]
        if not any(g is not None for g, _ in pairs):
            raise ValueError(f"No gradients provided for any variable: "
                             f"{[v.name for _, v in pairs]}.")
        warn_missing_gradients(pairs)
        # in a step of several replicas: every replica's gradients, summed, as TF (issue 23)
        if kwargs.get("experimental_aggregate_gradients", True) and \
                not kwargs.get("skip_gradients_aggregation", False):
            pairs = list(zip(_aggregate_gradients([g for g, _ in pairs]), [v for _, v in pairs]))
        given, checks = validate_gradients(self.name, [(g, v) for g, v in pairs if g is not None],
                                           self.check_finite)
        grads = self._clip([g for g, _ in given])
        var_list = [v for _, v in given]
        if current_graph() is not None:
            return self._update(grads, var_list, checks, name)
        with self._lock:
            return self._update(grads, var_list, checks, name)

    def _update(self, grads, var_list, checks, name):
        self.build(var_list)
        with name_scope(name or self.name), control_dependencies(checks):
            lr = self.learning_rate
            updates = self._apply_weight_decay(var_list, lr)
            with control_dependencies(_graph_only(updates)):
                updates += [self.update_step(g, v, lr)
                            for g, v in zip(grads, var_list, strict=True)]
            # a weight's constraint (a Keras layer's kernel_constraint) after its update, as
            # Keras 3 applies it (layers and models, issue 20)
            constrained = [v for v in var_list if v.constraint is not None]
            if constrained:
                with control_dependencies(_graph_only(updates)):
                    updates += [v.assign(v.constraint(v)) for v in constrained]
            with control_dependencies(_graph_only(updates)):
                step = self._iterations.assign_add(1, read_value=False)
        return group(step, name="update") if current_graph() is not None else self._iterations

    def minimize(self, loss, var_list, tape=None):
        """Compute the gradients of `loss` (a callable, or a tensor recorded by `tape`) with
        respect to `var_list` and apply them."""
        if callable(var_list):
            var_list = var_list()
        var_list = list(var_list)
        if callable(loss):
            with GradientTape() as tape:
                tape.watch(var_list)
                loss = loss()
        elif tape is None:
            raise ValueError("`tape` is required when a `Tensor` loss is passed. Received: "
                             f"loss={loss}, tape={tape}")
        grads = tape.gradient(loss, var_list)
        return self.apply_gradients(zip(grads, var_list, strict=True))

    def _clip(self, grads):
        if self.clipnorm:
            return [clip_by_norm(g, self.clipnorm) for g in grads]
        if self.global_clipnorm:
            return clip_by_global_norm(grads, self.global_clipnorm)[0]
        if self.clipvalue:
            return [clip_by_value(g, -self.clipvalue, self.clipvalue) for g in grads]
        return grads

    def _apply_weight_decay(self, var_list, lr):
        """var -= var * weight_decay * lr, before the update (Keras's decoupled decay)."""
        if not self.weight_decay:
            return []
        return [v.assign(v - v * hyper(self.weight_decay, v.dtype) * hyper(lr, v.dtype),
                         read_value=False) for v in var_list]


def hyper(value, dtype):
    """A hyperparameter in the variable's dtype: Python numbers are converted straight to it
    (Keras's `ops.cast(0.9, float64)` is exactly 0.9), tensors and variables are cast."""
    if isinstance(value, (int, float)):
        return convert_to_tensor(value, dtype=dtype)
    return _hyper(value, dtype)


def _graph_only(ops):
    return [o for o in ops if o is not None] if current_graph() is not None else []


class SGD(Optimizer):
    """Without momentum: var -= lr * g. With it: m = momentum * m - lr * g, then
    var += m (or, Nesterov, var += momentum * m - lr * g)."""

    def __init__(self, learning_rate=0.01, momentum=0.0, nesterov=False, weight_decay=None,
                 clipnorm=None, clipvalue=None, global_clipnorm=None, name="SGD", **kwargs):
        super().__init__(learning_rate, weight_decay, clipnorm, clipvalue, global_clipnorm,
                         name, **kwargs)
        if not isinstance(momentum, (int, float)) or momentum < 0 or momentum > 1:
            raise ValueError("`momentum` must be a float between [0, 1].")
        self.momentum = float(momentum)
        self.nesterov = bool(nesterov)

    def build(self, var_list):
        if self.momentum != 0:
            for v in var_list:
                self._slots.make(v, "momentum")

    def update_step(self, gradient, variable, learning_rate):
        dtype = variable.dtype
        lr = hyper(learning_rate, dtype)
        gradient = hyper(gradient, dtype)
        if self.momentum == 0:
            return variable.assign_sub(gradient * lr, read_value=False)
        momentum = hyper(self.momentum, dtype)
        m = self._slots.get(variable, "momentum")
        m_t = m.assign(m * momentum - gradient * lr)
        if self.nesterov:
            return variable.assign_add(m_t * momentum - gradient * lr, read_value=False)
        return variable.assign_add(m_t, read_value=False)


class Adam(Optimizer):
    """m += (g - m)(1 - beta_1); v += (g^2 - v)(1 - beta_2);
    var -= lr sqrt(1 - beta_2^t) / (1 - beta_1^t) * m / (sqrt(v) + epsilon), t = step + 1
    (amsgrad: v replaced by its running maximum)."""

    def __init__(self, learning_rate=0.001, beta_1=0.9, beta_2=0.999, epsilon=1e-07,
                 amsgrad=False, weight_decay=None, clipnorm=None, clipvalue=None,
                 global_clipnorm=None, name="adam", **kwargs):
        super().__init__(learning_rate, weight_decay, clipnorm, clipvalue, global_clipnorm,
                         name, **kwargs)
        self.beta_1, self.beta_2, self.epsilon = beta_1, beta_2, epsilon
        self.amsgrad = bool(amsgrad)

    def build(self, var_list):
        for v in var_list:
            self._slots.make(v, "momentum")
            self._slots.make(v, "velocity")
            if self.amsgrad:
                self._slots.make(v, "velocity_hat")

    def update_step(self, gradient, variable, learning_rate):
        dtype = variable.dtype
        lr = hyper(learning_rate, dtype)
        grad_sq = None
        if type(gradient) is IndexedSlices:
            # as Keras 3: the square of each slice, added up per row (not the square of the
            # summed row) for the second moment; the slices summed for the first
            grad_sq = hyper(IndexedSlices(square(gradient.values), gradient.indices,
                                          gradient.dense_shape), dtype)
        gradient = hyper(gradient, dtype)
        if grad_sq is None:
            grad_sq = square(gradient)
        local_step = hyper(self._iterations + 1, dtype)
        beta_1, beta_2 = hyper(self.beta_1, dtype), hyper(self.beta_2, dtype)
        alpha = lr * sqrt(1 - beta_2 ** local_step) / (1 - beta_1 ** local_step)
        m = self._slots.get(variable, "momentum")
        v = self._slots.get(variable, "velocity")
        # (1 - beta) in Python floats, then float32, as Keras rounds it
        m_t = m.assign_add((gradient - m) * (1 - self.beta_1))
        v_t = v.assign_add((grad_sq - v) * (1 - self.beta_2))
        if self.amsgrad:
            v_hat = self._slots.get(variable, "velocity_hat")
            v_t = v_hat.assign(maximum(v_hat, v_t))
        step = m_t * alpha / (sqrt(v_t) + hyper(self.epsilon, dtype))
        return variable.assign_sub(step, read_value=False)


# -- RMSprop, compile()'s default optimizer (issue 20, the Keras training loop) --
class RMSprop(Optimizer):
    """v = rho v + (1 - rho) g^2; centered: a = rho a + (1 - rho) g, denominator v - a^2;
    increment = lr g / sqrt(denominator + epsilon); with momentum: m = momentum m +
    increment, var -= m; else var -= increment (Keras 3's formulas)."""

    def __init__(self, learning_rate=0.001, rho=0.9, momentum=0.0, epsilon=1e-07,
                 centered=False, weight_decay=None, clipnorm=None, clipvalue=None,
                 global_clipnorm=None, name="rmsprop", **kwargs):
        super().__init__(learning_rate, weight_decay, clipnorm, clipvalue, global_clipnorm,
                         name, **kwargs)
        self.rho, self.momentum, self.epsilon = rho, momentum, epsilon
        self.centered = bool(centered)

    def build(self, var_list):
        for v in var_list:
            self._slots.make(v, "velocity")
            if self.momentum > 0:
                self._slots.make(v, "momentum")
            if self.centered:
                self._slots.make(v, "average_gradient")

    def update_step(self, gradient, variable, learning_rate):
        dtype = variable.dtype
        lr = hyper(learning_rate, dtype)
        gradient = hyper(gradient, dtype)
        rho = hyper(self.rho, dtype)
        v = self._slots.get(variable, "velocity")
        v_t = v.assign(rho * v + (1 - self.rho) * square(gradient))
        if self.centered:
            a = self._slots.get(variable, "average_gradient")
            a_t = a.assign(rho * a + (1 - self.rho) * gradient)
            denominator = v_t - square(a_t) + hyper(self.epsilon, dtype)
        else:
            denominator = v_t + hyper(self.epsilon, dtype)
        increment = lr * gradient / sqrt(denominator)
        if self.momentum > 0:
            m = self._slots.get(variable, "momentum")
            m_t = m.assign(hyper(self.momentum, dtype) * m + increment)
            return variable.assign_sub(m_t, read_value=False)
        return variable.assign_sub(increment, read_value=False)


def get(identifier):
    """An optimizer from its name ('sgd', 'adam', 'rmsprop') or an optimizer instance."""
    if isinstance(identifier, Optimizer):
        return identifier
    table = {"sgd": SGD, "adam": Adam, "rmsprop": RMSprop,
             "adagrad": Adagrad, "adamw": AdamW}  # issue 18, more Keras names
    if not isinstance(identifier, str) or identifier.lower() not in table:
        raise ValueError(f"Could not interpret optimizer identifier: {identifier!r}")
    return table[identifier.lower()]()


__all__ = ["Optimizer", "SGD", "Adam", "RMSprop", "schedules", "get"]

# -- more optimizers real TF programs use (issue 18, more Keras names) --
from .adagrad import Adagrad  # noqa: E402
from .adamw import AdamW  # noqa: E402

__all__ += ["Adagrad", "AdamW"]

# -- a name janusgrad lacks is a clear error (issue 18, running TF programs unchanged) --
from ...framework.missing import missing_names as _missing_names  # noqa: E402
__getattr__ = _missing_names(__name__)
