"""Forward mode, JAX's `jvp`, by the double-vjp construction: the vjp u -> J^T u is linear in
u, so differentiating it w.r.t. u in the direction t gives J t. It needs nothing but the one
reverse sweep, so it goes through every gradient janusgrad knows, custom_gradient, overrides
and gradient blocks included (their gradients only need to be linear in the incoming dy).
"""
from collections.abc import Callable, Sequence
from typing import Any

from ..framework.context import executing_eagerly
from ..framework.nest import flatten, pack_sequence_as
from ..framework.tensor import convert_to_tensor
from .gradients import gradients
from .tape import GradientTape
from .transforms import as_source


def jvp(f: Callable[..., Any], primals: Sequence[Any], tangents: Sequence[Any]) -> tuple:
    """`(f(*primals), J t)`: f's output and its derivative in the direction `tangents` (JAX's
    jvp). Works eagerly, in graphs and inside tf.function; it costs two reverse sweeps, and so
    goes through custom gradients and estimators, whose reverse rule it uses.

    Args:
        f: a function of tensors.
        primals: a tuple (or list) of f's arguments.
        tangents: a tuple (or list) of the same structure, dtypes and shapes.

    Returns:
        `(value, tangent_out)`, both with the structure of f's output.

    Raises:
        TypeError: primals or tangents is not a tuple or list.
        ValueError: primals and tangents differ in number, shape or dtype.

    Examples:
        >>> import janusgrad as tf
        >>> y, y_dot = tf.jvp(lambda x: x * x, (tf.constant(3.0),), (tf.constant(1.0),))
        >>> float(y), float(y_dot)
        (9.0, 6.0)
    """
    if not isinstance(primals, (list, tuple)) or not isinstance(tangents, (list, tuple)):
        raise TypeError("jvp: primal and tangent arguments must be tuples or lists, got "
                        f"{type(primals).__name__} and {type(tangents).__name__}")
    primals = [as_source(p) for p in primals]
    xs = flatten(primals)
    ts = flatten(list(tangents))
    if len(ts) != len(xs):
        raise ValueError(f"jvp: {len(xs)} primals but {len(ts)} tangents (they must have the "
                         "same structure)")
    ts = [_tangent(t, x, i) for i, (t, x) in enumerate(zip(ts, xs))]
    from ..ops.array import zeros_like
    if executing_eagerly():
        with GradientTape(watch_accessed_variables=False) as outer:
            with GradientTape(watch_accessed_variables=False) as inner:
                inner.watch(xs)
                out = f(*primals)
            ys = flatten(out)
            us = [zeros_like(y) for y in ys]            # the dummy cotangents u
            outer.watch(us)
            pulled = inner.gradient(ys, xs, output_gradients=us, unconnected_gradients="zero")
        pushed = outer.gradient(pulled, us, output_gradients=ts, unconnected_gradients="zero")
    else:
        out = f(*primals)
        ys = flatten(out)
        us = [zeros_like(y) for y in ys]
        pulled = gradients(ys, xs, grad_ys=us, unconnected_gradients="zero")
        pushed = gradients(pulled, us, grad_ys=ts, unconnected_gradients="zero")
    pushed = [p if y.dtype.is_differentiable else zeros_like(y) for p, y in zip(pushed, ys)]
    return out, pack_sequence_as(out, pushed)


def _tangent(t, x, i):
    t = convert_to_tensor(t, dtype=x.dtype if not hasattr(t, "dtype") else None)
    x = convert_to_tensor(x)
    if t.dtype is not x.dtype:
        raise TypeError(f"jvp: tangent {i} has dtype {t.dtype.name}, its primal "
                        f"{x.dtype.name}")
    if not t.shape.is_compatible_with(x.shape):
        raise ValueError(f"jvp: tangent {i} has shape {t.shape}, its primal {x.shape}")
    return t

