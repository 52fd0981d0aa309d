"""TF1's learning-rate decay functions (tf.compat.v1.train.exponential_decay & co).

As in TF 2: building a graph (a Session's, or a tf.function's) each returns the decayed rate as
a tensor of the global step; executing eagerly it returns a zero-argument callable that computes
the rate from the step's value at each call, which the optimizers call at every step. The
formulas are TF's legacy schedules' (keras/optimizer_v2/learning_rate_schedule.py in TF 2.21),
computed in the dtype of the initial learning rate (float32 for a Python float).
"""
import functools
import math

from ..framework.context import executing_eagerly
from ..framework.nest import flatten
from ..framework.tensor import convert_to_tensor
from ..ops.math import (cast, ceil, cos, divide, equal, exp, floor, log, logical_and, minimum,
                        multiply, where_v2)
from ..ops.math import pow as pow_
from ..runtime.control_flow import cond


def _schedule(fn, what, step):
    """`fn(step)`, now (a graph) or as a callable (eagerly), as TF 2 returns it."""
    if executing_eagerly():
        return functools.partial(_call, fn, what, step)
    return _call(fn, what, step)


def _call(fn, what, step):
    if step is None:
        raise ValueError(f"{what}: `global_step` is required (got None).")
    return fn(step)


def _start(learning_rate, step, *others):
    """The initial rate as a tensor, the step and `others` cast to its dtype."""
    lr = convert_to_tensor(learning_rate, name="initial_learning_rate")
    return (lr, cast(step, lr.dtype), *(cast(x, lr.dtype) for x in others))


def exponential_decay(learning_rate, global_step, decay_steps, decay_rate, staircase=False,
                      name=None):
    """learning_rate * decay_rate ^ (global_step / decay_steps) (the exponent floored with
    `staircase`)."""
    def fn(step):
        lr, step, decay_steps_t, decay_rate_t = _start(learning_rate, step, decay_steps,
                                                       decay_rate)
        p = step / decay_steps_t
        if staircase:
            p = floor(p)
        return multiply(lr, pow_(decay_rate_t, p))
    return _schedule(fn, "exponential_decay", global_step)


def natural_exp_decay(learning_rate, global_step, decay_steps, decay_rate, staircase=False,
                      name=None):
    """learning_rate * exp(-decay_rate * global_step / decay_steps) (the step ratio floored with
    `staircase`)."""
    rate = exp(-convert_to_tensor(decay_rate))
    return exponential_decay(learning_rate, global_step, decay_steps, rate, staircase, name)


def inverse_time_decay(learning_rate, global_step, decay_steps, decay_rate, staircase=False,
                       name=None):
    """learning_rate / (1 + decay_rate * global_step / decay_steps) (the ratio floored with
    `staircase`)."""
    def fn(step):
        lr, step, decay_steps_t, decay_rate_t = _start(learning_rate, step, decay_steps,
                                                       decay_rate)
        p = step / decay_steps_t
        if staircase:
            p = floor(p)
        return divide(lr, 1 + decay_rate_t * p)
    return _schedule(fn, "inverse_time_decay", global_step)


def polynomial_decay(learning_rate, global_step, decay_steps, end_learning_rate=0.0001,
                     power=1.0, cycle=False, name=None):
    """(learning_rate - end) * (1 - step / decay_steps) ^ power + end, the step held at
    decay_steps; with `cycle`, decay_steps grows to the next multiple of itself instead."""
    def fn(step):
        lr, step, end, power_t, decay_steps_t = _start(learning_rate, step, end_learning_rate,
                                                       power, decay_steps)
        if cycle:
            multiplier = where_v2(equal(step, 0), cast(1.0, lr.dtype), ceil(step / decay_steps_t))
            decay_steps_t = decay_steps_t * multiplier
        else:
            step = minimum(step, decay_steps_t)
        p = step / decay_steps_t
        return (lr - end) * pow_(1 - p, power_t) + end
    return _schedule(fn, "polynomial_decay", global_step)


def cosine_decay(learning_rate, global_step, decay_steps, alpha=0.0, name=None):
    """learning_rate * ((1 - alpha) * (1 + cos(pi * step / decay_steps)) / 2 + alpha), the step
    held at decay_steps."""
    def fn(step):
        lr, step, decay_steps_t = _start(learning_rate, step, decay_steps)
        fraction = minimum(step, decay_steps_t) / decay_steps_t
        decayed = 0.5 * (1.0 + cos(math.pi * fraction))
        return lr * ((1 - alpha) * decayed + alpha)
    return _schedule(fn, "cosine_decay", global_step)


def cosine_decay_restarts(learning_rate, global_step, first_decay_steps, t_mul=2.0, m_mul=1.0,
                          alpha=0.0, name=None):
    """Cosine decay restarted after first_decay_steps, then t_mul times as many steps each time,
    each restart's rate m_mul times the previous one's (SGDR)."""
    def fn(step):
        lr, step, first, alpha_t, t_mul_t, m_mul_t = _start(learning_rate, step,
                                                            first_decay_steps, alpha, t_mul, m_mul)
        fraction = step / first

        def geometric():
            i = floor(log(1.0 - fraction * (1.0 - t_mul_t)) / log(t_mul_t))
            done = (1.0 - pow_(t_mul_t, i)) / (1.0 - t_mul_t)
            return i, (fraction - done) / pow_(t_mul_t, i)

        def arithmetic():
            i = floor(fraction)
            return i, fraction - i
        if isinstance(t_mul, (int, float)):
            i, fraction = arithmetic() if t_mul == 1.0 else geometric()
        else:
            i, fraction = cond(equal(t_mul_t, 1.0), arithmetic, geometric)
        decayed = 0.5 * pow_(m_mul_t, i) * (1.0 + cos(math.pi * fraction))
        return lr * ((1 - alpha_t) * decayed + alpha_t)
    return _schedule(fn, "cosine_decay_restarts", global_step)


def linear_cosine_decay(learning_rate, global_step, decay_steps, num_periods=0.5, alpha=0.0,
                        beta=0.001, name=None):
    """learning_rate * ((alpha + (decay_steps - step) / decay_steps)
    * (1 + cos(2 pi num_periods step / decay_steps)) / 2 + beta), the step held at
    decay_steps."""
    def fn(step):
        lr, step, decay_steps_t, periods, alpha_t, beta_t = _start(
            learning_rate, step, decay_steps, num_periods, alpha, beta)
        step = minimum(step, decay_steps_t)
        linear = (decay_steps_t - step) / decay_steps_t
        fraction = 2.0 * periods * (step / decay_steps_t)
        cosine = 0.5 * (1.0 + cos(math.pi * fraction))
        return lr * ((alpha_t + linear) * cosine + beta_t)
    return _schedule(fn, "linear_cosine_decay", global_step)


def piecewise_constant(x, boundaries, values, name=None):
    """values[0] while x <= boundaries[0], values[i] while boundaries[i-1] < x <=
    boundaries[i], values[-1] after the last boundary."""
    boundaries = [convert_to_tensor(b) for b in flatten(boundaries)]
    values = [convert_to_tensor(v) for v in flatten(values)]
    if len(boundaries) != len(values) - 1:
        raise ValueError("piecewise_constant: the length of boundaries should be 1 less than "
                         f"the length of values (got {len(boundaries)} boundaries and "
                         f"{len(values)} values)")
    x_dtype = convert_to_tensor(x).dtype
    for i, b in enumerate(boundaries):
        if b.dtype is not x_dtype:
            if b.dtype.name == "int32" and x_dtype.name == "int64":
                boundaries[i] = cast(b, x_dtype)
            else:
                raise ValueError(f"piecewise_constant: Boundaries ({b.dtype.name}) must have "
                                 f"the same dtype as x ({x_dtype.name}).")
    for v in values[1:]:
        if v.dtype is not values[0].dtype:
            raise ValueError("piecewise_constant: Values must have elements all with the same "
                             f"dtype ({values[0].dtype.name} vs {v.dtype.name}).")

    def fn(step):
        step = convert_to_tensor(step)
        out = values[0]
        for low, high, v in zip(boundaries[:-1], boundaries[1:], values[1:-1], strict=True):
            out = where_v2(logical_and(step > low, step <= high), v, out)
        return where_v2(step > boundaries[-1], values[-1], out) if boundaries else out
    return _schedule(fn, "piecewise_constant", x)


piecewise_constant_decay = piecewise_constant
