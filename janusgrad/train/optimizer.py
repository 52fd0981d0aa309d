"""TF1 optimizers (tf.compat.v1.train): minimize = compute_gradients + apply_gradients.

Each optimizer writes its update with janusgrad ops, so one definition runs eagerly, builds
graph nodes for a Session, and traces into a tf.function. Per-variable state ("slots") lives in
a `SlotStore`, shared with the Keras optimizers and saved by tf.train.Checkpoint.

Threads: state made on first use (slots, Adam's beta powers) is made once, under a lock taken
only when it is missing; an eager step runs under its optimizer's lock, so that steps from
several threads give what the same steps one after another would. Numerics: under
`tf.debugging.enable_check_numerics()` a gradient holding NaN or Inf changes no variable (see
`validate_gradients`).
"""
import threading

import numpy as np

from ..autodiff.tape import GradientTape
from ..debug import numerics_check_enabled
from ..framework import dtypes
from ..framework.context import current_graph, get_default_graph, init_scope
from ..framework.errors import InvalidArgumentError
from ..framework.tensor import convert_to_tensor
from ..ops.array import identity_n
from ..ops.control import control_dependencies, group, name_scope
from ..ops.math import cast, sqrt, square
from ..ops.state import Variable, trainable_variables


def base_name(var):
    """A variable's name without the ':0' output suffix."""
    return var.name.split(":")[0]


class SlotStore:
    """Per-variable optimizer state, created on first use as non-trainable zero variables.

    A checkpoint restored before the slots exist leaves their values in `pending`; a slot made
    later starts from that value instead of zeros (TF's deferred restoration).
    """

    def __init__(self, owner_name):
        self.owner_name = owner_name
        self.by_var = {}        # id(var) -> {slot name: slot variable}
        self.items = []         # (var, slot name, slot variable) in creation order
        self.pending = {}       # (id(var), slot name) -> array from a checkpoint
        # values whose variable did not exist at restore time either: found by the variable's
        # checkpoint path once it exists (`resolve()` walks the checkpoint's objects again)
        self.pending_paths = {}     # (variable path, slot name) -> array
        self.resolve = None         # () -> {id(var): path}
        self._paths = None
        # taken only to make state on first use (slots in `make`, the TF1 optimizers' non-slot
        # variables), never by a step that finds its state made
        self.lock = threading.RLock()

    def get(self, var, slot_name):
        return self.by_var.get(id(var), {}).get(slot_name)

    def make(self, var, slot_name):
        """The slot `slot_name` of `var`, created (zeros, or a restored value) on first call,
        once even when several threads ask at the same time."""
        slot = self.get(var, slot_name)
        if slot is not None:            # the common case: no lock
            return slot
        with self.lock:
            slot = self.get(var, slot_name)
            if slot is not None:        # another thread made it meanwhile
                return slot
            value = self._restored(var, slot_name)
            if value is None:
                value = _zeros_for(var)
            with init_scope():
                slot = Variable(value, trainable=False, dtype=var.dtype,
                                name=f"{base_name(var)}/{self.owner_name}/{slot_name}")
            self.items.append((var, slot_name, slot))
            self.by_var.setdefault(id(var), {})[slot_name] = slot     # published last
        return slot

    def _restored(self, var, slot_name):
        """The value a checkpoint left for this slot, or None. One that does not fit `var`
        raises and stays pending, so that no slot is made from it, now or on a retry."""
        where, key = self.pending, (id(var), slot_name)
        if key not in where and self.pending_paths:
            if self._paths is None or id(var) not in self._paths[0]:
                self._paths = self.resolve()
            where, key = self.pending_paths, (self._paths[0].get(id(var)), slot_name)
        if key not in where:
            return None
        value = where[key]
        if value.dtype != var.dtype.np or not var.shape.is_compatible_with(value.shape):
            raise ValueError(f"{self.owner_name}: the checkpoint holds a value of dtype "
                             f"{value.dtype} and shape {list(value.shape)} for the slot "
                             f"{slot_name!r} of {var.name}, whose dtype is {var.dtype.name} "
                             f"and shape {var.shape}; no variable was changed")
        del where[key]
        if not self.pending_paths:
            self._paths = None
        return value

    def names(self):
        return sorted({name for _, name, _ in self.items})


def _zeros_for(var):
    if var.shape.is_fully_defined():
        return np.zeros(var.shape.as_list(), var.dtype.np)
    from ..ops.array import zeros_like
    return lambda: zeros_like(var.initial_value)


def validate_gradients(owner, pairs, check_finite=False):
    """Every (gradient, variable) checked before any variable changes, so that a step is all or
    nothing: the gradient has the variable's shape and dtype and, with `check_finite`, no NaN or
    Inf (in graph mode, checks that the updates wait for). Returns (pairs, checks): the updates
    read the returned gradients and wait for `checks`.

    Under the numerics check (`tf.debugging.enable_check_numerics()`) too: eagerly every
    gradient is checked here when the check is on; in a graph (Session, tf.function) every
    gradient goes through one IdentityN that all updates read, whose kernel the check wraps
    while it is on, so that a NaN or Inf in any gradient stops the step before any update runs,
    whether the graph was built before or after the check was turned on."""
    out = []
    for g, v in pairs:
        g = convert_to_tensor(g)
        if not v.shape.is_compatible_with(g.shape):
            raise ValueError(f"{owner}: gradient of shape {g.shape} does not match variable "
                             f"{v.name} of shape {v.shape}; no variable was changed")
        if g.dtype is not v.dtype:
            raise TypeError(f"{owner}: gradient of dtype {g.dtype.name} for variable {v.name} "
                            f"of dtype {v.dtype.name}; no variable was changed")
        out.append((g, v))
    if current_graph() is None:
        if not (check_finite or numerics_check_enabled()):
            return out, []
        for g, v in out:
            if not np.all(np.isfinite(g.numpy())):
                raise InvalidArgumentError(f"{owner}: the gradient for variable {v.name} contains "
                                           "NaN or Inf; no variable was changed")
        return out, []
    if not check_finite:
        gated = identity_n([g for g, _ in out], name="checked_gradients")
        return [(g, v) for g, (_, v) in zip(gated, out, strict=True)], [gated[0].op]
    from ..ops.control import check_numerics
    checks = [check_numerics(g, f"{owner}: the gradient for variable {v.name}") for g, v in out]
    return out, checks


def hyper(value, dtype):
    """A hyperparameter (number, tensor, variable or zero-argument callable) as a tensor."""
    if callable(value) and not hasattr(value, "_as_tensor"):
        value = value()
    value = convert_to_tensor(value)
    return value if value.dtype is dtype else cast(value, dtype)


class Optimizer:
    """Base class: subclasses define `_apply(grad, var)` (one update, in janusgrad ops) and may
    define `_prepare(var_list)` (create slots) and `_finish(updates)` (after all updates)."""

    def __init__(self, use_locking=False, name=None, check_finite=False):
        self._name = name or type(self).__name__
        self._check_finite = check_finite       # refuse NaN / Inf gradients (before any update)
        self._slots = SlotStore(self._name)
        self._non_slot = {}     # name -> variable (e.g. Adam's beta powers)
        self._pending_restore = {}      # checkpoint values of non-slot variables not made yet
        # held by an eager step: steps from several threads run one at a time, as serial ones
        self._lock = threading.RLock()

    def get_name(self):
        return self._name

    def compute_gradients(self, loss, var_list=None, gate_gradients=1, aggregation_method=None,
                          colocate_gradients_with_ops=False, grad_loss=None, tape=None):
        """[(gradient, variable)] for the variables `loss` depends on."""
        if callable(loss):
            with GradientTape() as t:
                if var_list is not None:
                    t.watch(var_list)
                value = loss()
            var_list = list(var_list) if var_list is not None else list(t.watched_variables())
            grads = t.gradient(value, var_list, output_gradients=grad_loss)
            return list(zip(grads, var_list, strict=True))
        if current_graph() is None:
            if tape is None:
                raise RuntimeError("`loss` passed to Optimizer.compute_gradients should be a "
                                   "function when eager execution is enabled.")
            grads = tape.gradient(loss, var_list)
            return list(zip(grads, var_list, strict=True))
        from ..autodiff.gradients import gradients
        var_list = list(var_list) if var_list is not None else trainable_variables()
        if not var_list:
            raise ValueError("No variables to optimize.")
        grads = gradients(loss, var_list, grad_ys=grad_loss)
        return list(zip(grads, var_list, strict=True))

    def apply_gradients(self, grads_and_vars, global_step=None, name=None):
        """One update per (gradient, variable); an op that runs them all (graph mode)."""
        pairs = [(g, v) for g, v in grads_and_vars]
        if not any(g is not None for g, _ in pairs):
            raise ValueError(f"No gradients provided for any variable: "
                             f"{[v.name for _, v in pairs]}")
        pairs, checks = validate_gradients(
            self._name, [(g, v) for g, v in pairs if g is not None], self._check_finite)
        if current_graph() is not None:
            return self._update(pairs, checks, global_step, name)
        with self._lock:
            return self._update(pairs, checks, global_step, name)

    def _update(self, pairs, checks, global_step, name):
        self._prepare([v for _, v in pairs])
        with name_scope(name or self._name), control_dependencies(checks):
            updates = [self._apply(g, v) for g, v in pairs]
            updates = self._finish(updates)
            if global_step is not None:
                with control_dependencies(_graph_only(updates)):
                    updates.append(global_step.assign_add(1, read_value=False))
        return group(*updates, name=name or self._name)

    def minimize(self, loss, global_step=None, var_list=None, gate_gradients=1,
                 aggregation_method=None, colocate_gradients_with_ops=False, name=None,
                 grad_loss=None, tape=None):
        grads_and_vars = self.compute_gradients(loss, var_list, grad_loss=grad_loss, tape=tape)
        return self.apply_gradients(grads_and_vars, global_step, name)

    # -- state -----------------------------------------------------------------------------
    def _prepare(self, var_list):
        pass

    def _finish(self, updates):
        return updates

    def _non_slot_variable(self, name, initial):
        found = self._non_slot.get(name)
        if found is not None:           # the common case: no lock
            return found
        with self._slots.lock:
            if name not in self._non_slot:
                restored = self._pending_restore.get(name)
                shape = () if callable(initial) else np.shape(initial)
                if restored is not None and (restored.dtype != np.float32 or
                                             restored.shape != shape):
                    raise ValueError(f"{self._name}: the checkpoint holds a value of dtype "
                                     f"{restored.dtype} and shape {list(restored.shape)} for "
                                     f"{name}, a float32 of shape {list(shape)}; no variable "
                                     "was changed")
                self._pending_restore.pop(name, None)
                with init_scope():
                    self._non_slot[name] = Variable(
                        restored if restored is not None else initial, trainable=False,
                        dtype=dtypes.float32, name=f"{self._name}/{name}")
            return self._non_slot[name]

    def get_slot(self, var, name):
        return self._slots.get(var, name)

    def get_slot_names(self):
        return self._slots.names()

    def variables(self):
        """The optimizer's own variables: non-slot ones, then slots in creation order."""
        return list(self._non_slot.values()) + [s for _, _, s in self._slots.items]

    def _checkpoint_children(self):
        return dict(self._non_slot)


def _graph_only(ops):
    """Control inputs in graph mode (eager updates have already run)."""
    return [o for o in ops if o is not None] if current_graph() is not None else []


class GradientDescentOptimizer(Optimizer):
    """var -= learning_rate * grad"""

    def __init__(self, learning_rate, use_locking=False, name="GradientDescent",
                 check_finite=False):
        super().__init__(use_locking, name, check_finite)
        self._lr = learning_rate

    def _apply(self, grad, var):
        return var.assign_sub(hyper(self._lr, var.dtype) * grad, read_value=False)


class MomentumOptimizer(Optimizer):
    """accum = momentum * accum + grad; var -= lr * accum
    (nesterov: var -= lr * grad + lr * momentum * accum), TF's ApplyMomentum."""

    def __init__(self, learning_rate, momentum, use_locking=False, name="Momentum",
                 use_nesterov=False, check_finite=False):
        super().__init__(use_locking, name, check_finite)
        self._lr = learning_rate
        self._momentum = momentum
        self._nesterov = bool(use_nesterov)

    def _prepare(self, var_list):
        for v in var_list:
            self._slots.make(v, "momentum")

    def _apply(self, grad, var):
        lr = hyper(self._lr, var.dtype)
        momentum = hyper(self._momentum, var.dtype)
        accum = self._slots.get(var, "momentum")
        accum_t = accum.assign(accum * momentum + grad)
        step = lr * grad + lr * momentum * accum_t if self._nesterov else lr * accum_t
        return var.assign_sub(step, read_value=False)


class AdamOptimizer(Optimizer):
    """m += (g - m)(1 - b1); v += (g^2 - v)(1 - b2);
    var -= lr sqrt(1 - b2^t) / (1 - b1^t) * m / (sqrt(v) + eps), TF's ApplyAdam."""

    def __init__(self, learning_rate=0.001, beta1=0.9, beta2=0.999, epsilon=1e-08,
                 use_locking=False, name="Adam",
                 check_finite=False):
        super().__init__(use_locking, name, check_finite)
        self._lr = learning_rate
        self._beta1 = beta1
        self._beta2 = beta2
        self._epsilon = epsilon

    def _prepare(self, var_list):
        # the running powers b1^t, b2^t start at b1, b2 and advance after each step
        self._non_slot_variable("beta1_power", _initial(self._beta1))
        self._non_slot_variable("beta2_power", _initial(self._beta2))
        for v in var_list:
            self._slots.make(v, "m")
            self._slots.make(v, "v")

    def _apply(self, grad, var):
        dtype = var.dtype
        beta1, beta2 = hyper(self._beta1, dtype), hyper(self._beta2, dtype)
        beta1_power = hyper(self._non_slot["beta1_power"], dtype)
        beta2_power = hyper(self._non_slot["beta2_power"], dtype)
        alpha = hyper(self._lr, dtype) * sqrt(1 - beta2_power) / (1 - beta1_power)
        m, v = self._slots.get(var, "m"), self._slots.get(var, "v")
        m_t = m.assign_add((grad - m) * (1 - beta1))
        v_t = v.assign_add((square(grad) - v) * (1 - beta2))
        step = m_t * alpha / (sqrt(v_t) + hyper(self._epsilon, dtype))
        return var.assign_sub(step, read_value=False)

    def _finish(self, updates):
        b1p, b2p = self._non_slot["beta1_power"], self._non_slot["beta2_power"]
        with control_dependencies(_graph_only(updates)):
            return updates + [b1p.assign(b1p * hyper(self._beta1, b1p.dtype), read_value=False),
                              b2p.assign(b2p * hyper(self._beta2, b2p.dtype), read_value=False)]


def _initial(value):
    return (lambda: hyper(value, dtypes.float32)) if callable(value) else np.float32(value)


GLOBAL_STEP = "global_step"
_global_step_lock = threading.Lock()


def get_global_step(graph=None):
    """The graph's global step variable, or None."""
    graph = graph or get_default_graph()
    found = graph.get_collection(GLOBAL_STEP)
    return found[0] if found else None


def get_or_create_global_step(graph=None):
    """An int64 step counter, kept in the default graph's 'global_step' collection (an eager
    variable when executing eagerly), so that every call returns the same one."""
    graph = graph or get_default_graph()
    step = get_global_step(graph)
    if step is not None:                # the common case: no lock
        return step
    with _global_step_lock:             # made once, even when threads ask at the same time
        step = get_global_step(graph)
        if step is None:
            if current_graph() is None:
                step = Variable(np.int64(0), trainable=False, name=GLOBAL_STEP)
            else:
                with graph.as_default():
                    step = Variable(np.int64(0), trainable=False, name=GLOBAL_STEP)
            graph.add_to_collection(GLOBAL_STEP, step)
    return step
