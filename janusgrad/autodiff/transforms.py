"""Function transforms with JAX's signatures (grad, value_and_grad, vjp, hessian; jvp is in
forward.py), built on the one reverse sweep: a tape when eager, tf.gradients in a graph."""
from collections.abc import Callable, Sequence
from typing import Any

import functools

import numpy as np

from ..framework.context import executing_eagerly
from ..framework.nest import flatten, pack_sequence_as
from ..framework.tensor import Tensor, convert_to_tensor
from ..ops.state import Variable
from .gradients import gradients
from .tape import GradientTape


def vjp_of(f, args, dys, variables=()):
    """Gradients of sum(f(*args) * dys) w.r.t. args and variables, in either mode."""
    variables = list(variables)
    if executing_eagerly():
        with GradientTape(watch_accessed_variables=False) as tape:
            tape.watch(list(args) + variables)
            out = f(*args)
        return tape.gradient(flatten(out), list(args) + variables, output_gradients=list(dys))
    out = f(*args)
    return gradients(flatten(out), list(args) + variables, grad_ys=list(dys))


def vjp_recorded(f, args):
    """Run `f(*args)` once and return (its output, pullback): `pullback(dys, variables)` gives
    the gradients of sum(f * dys) w.r.t. args and the variables f read, from that run."""
    args = list(args)
    if executing_eagerly():
        tape = GradientTape(persistent=True)
        with tape:
            tape.watch(args)
            out = f(*args)

        def pullback(dys, variables):
            return tape.gradient(flatten(out), args + list(variables), output_gradients=list(dys))
    else:
        out = f(*args)

        def pullback(dys, variables):
            return gradients(flatten(out), args + list(variables), grad_ys=list(dys))
    return out, pullback


# -- JAX's transforms: each returns a function that works eagerly, in graphs, in tf.function ----

def grad(f: Callable[..., Any], argnums: int | Sequence[int] = 0,
         has_aux: bool = False) -> Callable[..., Any]:
    """The gradient of the scalar function `f` w.r.t. its argument(s) `argnums` (JAX's grad).

    Works eagerly, in graphs and inside `tf.function`, and nests (`grad(grad(f))`).

    Args:
        f: a function of tensors returning a scalar tensor (or `(scalar, aux)` with has_aux).
        argnums: the position, or a tuple of positions, of the arguments to differentiate.
        has_aux: f returns `(value, aux)`; the gradient function then returns `(grad, aux)`.

    Returns:
        A function taking f's arguments (numbers, arrays, tensors, variables or nests of them)
        and returning the gradient with the argument's structure (a tuple of them when argnums
        is a tuple), zeros where unconnected.

    Raises:
        TypeError: f is not callable, or its output is not a scalar.
        ValueError: argnums is out of range for the arguments given.

    Examples:
        >>> import janusgrad as tf
        >>> float(tf.grad(tf.sin)(0.0))                       # cos(0)
        1.0
        >>> round(float(tf.grad(tf.grad(tf.sin))(0.5)), 6)    # -sin(0.5)
        -0.479426
    """
    if not callable(f):
        raise TypeError(f"grad expects a function, got {type(f).__name__}: {f!r}")
    value_and_grad_f = value_and_grad(f, argnums, has_aux)

    @functools.wraps(f)
    def grad_f(*args, **kwargs):
        value, g = value_and_grad_f(*args, **kwargs)
        return (g, value[1]) if has_aux else g
    return grad_f


def value_and_grad(f: Callable[..., Any], argnums: int | Sequence[int] = 0,
                   has_aux: bool = False) -> Callable[..., Any]:
    """`(f(*args), grad(f)(*args))` from one forward pass (JAX's value_and_grad).

    Args:
        f: a function of tensors returning a scalar tensor (or `(scalar, aux)` with has_aux).
        argnums: the position, or a tuple of positions, of the arguments to differentiate.
        has_aux: f returns `(value, aux)`; then the first result is `(value, aux)`.

    Returns:
        A function returning `(value, gradient)`; the gradient as `grad`'s.

    Raises:
        TypeError: f is not callable, or its output is not a scalar.
        ValueError: argnums is out of range for the arguments given.

    Examples:
        >>> import janusgrad as tf
        >>> value, g = tf.value_and_grad(lambda x: x * x)(3.0)
        >>> float(value), float(g)
        (9.0, 6.0)
    """
    if not callable(f):
        raise TypeError(f"value_and_grad expects a function, got {type(f).__name__}: {f!r}")
    @functools.wraps(f)
    def value_and_grad_f(*args, **kwargs):
        args, sources, pack = _select(f, args, argnums)
        out, grads = _forward_and_vjp(f, args, kwargs, sources, has_aux, scalar=True)
        return out, pack(grads)
    return value_and_grad_f


def vjp(f: Callable[..., Any], *primals: Any, has_aux: bool = False) -> tuple:
    """`(f(*primals), vjp_fn)`: f's output and its pullback (JAX's vjp).

    Args:
        f: a function of tensors.
        *primals: its arguments (numbers, arrays, tensors or nests of them).
        has_aux: f returns `(value, aux)`; then the result is `(value, vjp_fn, aux)`.

    Returns:
        `(value, vjp_fn)`, where `vjp_fn(cotangent)` (cotangent: the structure of value) is a
        tuple with one gradient of `sum(value * cotangent)` per primal. vjp_fn may be called
        several times.

    Raises:
        TypeError: f is not callable.
        ValueError: (from vjp_fn) a cotangent whose structure is not the output's.

    Examples:
        >>> import janusgrad as tf
        >>> y, pullback = tf.vjp(lambda x: x * x, tf.constant([1.0, 2.0]))
        >>> pullback(tf.constant([1.0, 10.0]))[0].numpy()
        array([ 2., 40.], dtype=float32)
    """
    if not callable(f):
        raise TypeError(f"vjp expects a function, got {type(f).__name__}: {f!r}")
    primals = [as_source(p) for p in primals]
    flat = flatten(primals)
    if executing_eagerly():
        tape = GradientTape(persistent=True, watch_accessed_variables=False)
        with tape:
            tape.watch(flat)
            out = f(*primals)
    else:
        tape, out = None, f(*primals)
    value, aux = out if has_aux else (out, None)
    ys = flatten(value)

    def vjp_fn(cotangent):
        cts = flatten(cotangent)
        if len(cts) != len(ys):
            raise ValueError(f"vjp_fn: the cotangent has {len(cts)} tensors, the output of "
                             f"{_name(f)} has {len(ys)}")
        cts = [convert_to_tensor(c, dtype=y.dtype) for c, y in zip(cts, ys)]
        if tape is not None:
            grads = tape.gradient(ys, flat, output_gradients=cts, unconnected_gradients="zero")
        else:
            grads = gradients(ys, flat, grad_ys=cts, unconnected_gradients="zero")
        return tuple(pack_sequence_as(list(primals), grads))

    return (value, vjp_fn, aux) if has_aux else (value, vjp_fn)


def hessian(f: Callable[..., Any], argnums: int | Sequence[int] = 0) -> Callable[..., Any]:
    """The Hessian of the scalar function `f` w.r.t. argument(s) `argnums` (JAX's hessian).

    Args:
        f: a function of tensors returning a scalar tensor.
        argnums: the position, or a tuple of positions, of the arguments to differentiate.

    Returns:
        A function returning the Hessian, shaped `x.shape + x.shape`, or a tuple of tuples of
        blocks when argnums is a tuple.

    Raises:
        TypeError: f is not callable, or its output is not a scalar.

    Examples:
        >>> import numpy as np
        >>> import janusgrad as tf
        >>> tf.hessian(lambda x: tf.reduce_sum(x ** 3))(np.array([1.0, 2.0])).numpy()  # diag(6x)
        array([[ 6.,  0.],
               [ 0., 12.]])
    """
    if not callable(f):
        raise TypeError(f"hessian expects a function, got {type(f).__name__}: {f!r}")
    return _jacobian(_jacobian(f, argnums), argnums)


def _jacobian(f, argnums):
    """d out[i...] / d x[j...] shaped out.shape + x.shape, one reverse sweep per output element;
    nested like (outputs, then arguments) when f returns a tuple or argnums is one."""
    @functools.wraps(f)
    def jacobian_f(*args, **kwargs):
        from ..ops.array import reshape, stack, zeros
        args, sources, _ = _select(f, args, argnums)
        flat_x = flatten(sources)
        fixed = list(args)
        positions = _positions(argnums, len(args))

        def of_sources(*xs):
            full = list(fixed)
            for p, x in zip(positions, xs):
                full[p] = x
            return f(*full, **kwargs)

        out, pullback = vjp(of_sources, *[args[p] for p in positions])
        ys = flatten(out)
        blocks = []
        for k, y in enumerate(ys):
            n = y.shape.num_elements()
            if n is None:
                raise ValueError(f"hessian / jacobian of {_name(f)}: output {k} has the "
                                 f"partly unknown shape {y.shape}")
            rows = []
            for i in range(n):
                seeds = [zeros(o.shape.as_list(), o.dtype) for o in ys]
                onehot = np.zeros(n, y.dtype.np)
                onehot[i] = 1
                seeds[k] = reshape(convert_to_tensor(onehot), y.shape.as_list())
                rows.append(flatten(pullback(pack_sequence_as(out, seeds))))
            per_x = []
            for j, x in enumerate(flat_x):
                shape = y.shape.as_list() + x.shape.as_list()
                per_x.append(reshape(stack([r[j] for r in rows]), shape) if rows else
                             zeros(shape, x.dtype))
            blocks.append(per_x[0] if isinstance(argnums, int) and len(per_x) == 1
                          else tuple(per_x))
        if isinstance(out, (list, tuple)):
            return type(out)(blocks)
        return blocks[0]
    return jacobian_f


# -- helpers -----------------------------------------------------------------------------------

def _positions(argnums, n):
    positions = (argnums,) if isinstance(argnums, int) else tuple(argnums)
    for p in positions:
        if not isinstance(p, int) or not -n <= p < n:
            raise ValueError(f"argnums {argnums!r} out of range for {n} positional arguments")
    return [p % n for p in positions]


def _select(f, args, argnums):
    """(args with the differentiated ones as tensors, those sources, pack(grads))."""
    args = list(args)
    positions = _positions(argnums, len(args))
    for p in positions:
        args[p] = as_source(args[p])
        for t in flatten(args[p]):
            dtype = t.dtype
            if not dtype.is_differentiable:
                raise TypeError(f"grad of {_name(f)} requires real- or complex-valued inputs "
                                f"(floating dtype), but argument {p} has dtype {dtype.name}")
    sources = [args[p] for p in positions]

    def pack(grads):
        packed = pack_sequence_as(sources, list(grads))
        return packed[0] if isinstance(argnums, int) else tuple(packed)
    return args, sources, pack


def as_source(a):
    """Tensors and variables stay; numbers, arrays and nests of them become tensors."""
    if isinstance(a, Tensor) or (isinstance(a, Variable)):
        return a
    if isinstance(a, (list, tuple)):
        return type(a)(as_source(v) for v in a)
    if isinstance(a, dict):
        return {k: as_source(v) for k, v in a.items()}
    return convert_to_tensor(a)


def _forward_and_vjp(f, args, kwargs, sources, has_aux, scalar):
    flat = flatten(sources)
    if executing_eagerly():
        with GradientTape(watch_accessed_variables=False) as tape:
            tape.watch(flat)
            out = f(*args, **kwargs)
    else:
        tape, out = None, f(*args, **kwargs)
    if has_aux:
        if not isinstance(out, (list, tuple)) or len(out) != 2:
            raise TypeError(f"{_name(f)} with has_aux=True must return a pair (output, aux)")
        value = out[0]
    else:
        value = out
    value = convert_to_tensor(value)
    if not (value.dtype.is_floating or value.dtype.is_complex):
        raise TypeError(f"{_name(f)} must return a floating-point tensor to be differentiated, "
                        f"got dtype {value.dtype.name}")
    if scalar and value.shape.rank not in (None, 0):
        raise TypeError(f"Gradient only defined for scalar-output functions. Output of "
                        f"{_name(f)} had shape: {value.shape}")
    if tape is not None:
        grads = tape.gradient(value, flat, unconnected_gradients="zero")
    else:
        grads = gradients(value, flat, unconnected_gradients="zero")
    return out, grads


def _name(f):
    return getattr(f, "__name__", repr(f))
