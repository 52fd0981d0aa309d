"""Numerical gradient checking, shipped with the package (as autograd's and JAX's are).

`check_gradients(f, *xs, order=1|2)` compares the full Jacobian of f computed by janusgrad's
reverse sweep with central finite differences in float64, in eager mode and in graph mode, and
raises `GradientCheckError` with a report naming the input, the element, both values and the
largest errors. Order 2 checks the gradient of the gradient the same way.
`compute_gradient(f, x)` is TF's `tf.test.compute_gradient`: (theoretical, numerical) Jacobians.
"""
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from .autodiff.gradients import gradients
from .autodiff.tape import GradientTape
from .autodiff.transforms import vjp_of
from .framework import dtypes
from .framework.context import graph_as_default
from .framework.graph import Graph
from .framework.nest import flatten
from .framework.tensor import Tensor, constant
from .ops.array import placeholder, zeros_like
from .runtime.session import Session


class GradientCheckError(AssertionError):
    """Raised by `check_gradients`: a gradient disagrees with finite differences.

    An AssertionError, so that a failed check reads as a failed test; its message says in which
    mode, for which input and element, and by how much.
    """


def _floating(a):
    return np.asarray(a).dtype.kind in "fc"


class _Evaluator:
    """f's outputs and vector-Jacobian products at given input arrays, in one mode."""

    def __init__(self, f, xs, mode):
        self.mode = mode
        self.f = f
        self.diff = [i for i, x in enumerate(xs) if _floating(x)]
        if mode == "graph":
            self.graph = Graph()
            with graph_as_default(self.graph):
                self.ph = [placeholder(_dtype(x), np.shape(x)) for x in xs]
                self.outs = [t for t in flatten(f(*self.ph)) if t is not None]
                self.seeds = [placeholder(t.dtype, t.shape) for t in self.outs]
                diff_ph = [self.ph[i] for i in self.diff]
                self.grads = gradients(self.outs, diff_ph, grad_ys=self.seeds,
                                       unconnected_gradients="zero") if self.outs else []
            self.sess = Session(graph=self.graph)

    def outputs(self, xs):
        if self.mode == "eager":
            outs = flatten(self.f(*[constant(x) for x in xs]))
            return [np.asarray(t.numpy(), np.float64) for t in outs if t is not None]
        return [np.asarray(v, np.float64) for v in
                self.sess.run(self.outs, dict(zip(self.ph, xs)))]

    def vjp(self, xs, seeds):
        if self.mode == "eager":
            ts = [constant(x) for x in xs]
            with GradientTape() as tape:
                tape.watch([ts[i] for i in self.diff])
                outs = [t for t in flatten(self.f(*ts)) if t is not None]
            grads = tape.gradient(outs, [ts[i] for i in self.diff],
                                  output_gradients=[constant(s.astype(t.dtype.np))
                                                    for s, t in zip(seeds, outs)],
                                  unconnected_gradients="zero")
            return [np.asarray(g.numpy(), np.float64) for g in grads]
        feed = dict(zip(self.ph, xs))
        feed.update(zip(self.seeds, seeds))
        return [np.asarray(v, np.float64) for v in self.sess.run(self.grads, feed)]


def _dtype(x):
    return dtypes.from_numpy(np.asarray(x).dtype)


def jacobians(f, xs, mode="eager", delta=1e-6, symmetric=()):
    """(theoretical, numerical): for each floating input, a [y_size, x_size] array."""
    xs = [np.asarray(x) for x in xs]
    ev = _Evaluator(f, xs, mode)
    base = ev.outputs(xs)
    sizes = [o.size for o in base]
    y_size = sum(sizes)
    theo, numer = [], []
    for i in ev.diff:
        x = xs[i]
        num = np.zeros((y_size, x.size))
        for j in range(x.size):
            plus, minus = [a.copy() for a in xs], [a.copy() for a in xs]
            idx = [j]
            if i in symmetric:                     # perturb (r, c) and (c, r) together
                multi = list(np.unravel_index(j, x.shape))
                multi[-1], multi[-2] = multi[-2], multi[-1]
                mirror = int(np.ravel_multi_index(multi, x.shape))
                if mirror != j:
                    idx.append(mirror)
            for k2 in idx:
                plus[i].reshape(-1)[k2] += delta
                minus[i].reshape(-1)[k2] -= delta
            up = np.concatenate([o.ravel() for o in ev.outputs(plus)]) if y_size else np.zeros(0)
            down = np.concatenate([o.ravel() for o in ev.outputs(minus)]) if y_size else \
                np.zeros(0)
            num[:, j] = (up - down) / (2 * delta)
        theo.append(np.zeros_like(num))
        numer.append(num)
    for row in range(y_size):
        seeds, offset = [], 0
        for o in base:
            s = np.zeros(o.size)
            if offset <= row < offset + o.size:
                s[row - offset] = 1
            seeds.append(s.reshape(o.shape))
            offset += o.size
        for k, g in enumerate(ev.vjp(xs, seeds)):
            i = ev.diff[k]
            if i in symmetric:                     # d/d(a_rc) + d/d(a_cr), diagonal once
                g = g + np.swapaxes(g, -1, -2) - g * np.eye(g.shape[-1])
            theo[k][row] = g.ravel()
    return theo, numer, ev.diff


def check_gradients(f: Callable[..., Any], *xs: Any, order: int = 1,
                    modes: str | Sequence[str] = ("eager", "graph"), delta: float = 1e-6,
                    rtol: float = 1e-5, atol: float = 1e-6, symmetric: Sequence[int] = (),
                    seed: int = 0) -> None:
    """Raise GradientCheckError unless f's gradients match finite differences.

    Inputs are used in float64 (integer inputs stay constant); each floating input's Jacobian
    is compared with central differences, in each mode, and for order 2 and up the gradient
    (along a random direction, from `seed`) is checked the same way.

    Args:
        f: a function of tensors returning a tensor or a nest of them.
        *xs: its inputs (numbers or arrays).
        order: the highest derivative checked.
        modes: "eager", "graph" or both: how f is run (eagerly with a tape, or in a graph
            with `tf.gradients` and a Session).
        delta: the finite-difference step.
        rtol: relative tolerance (ten times more for each order above the first).
        atol: absolute tolerance (likewise).
        symmetric: indices of inputs that are symmetric matrices, perturbed symmetrically (for
            ops that read one triangle).
        seed: seeds the random directions of the higher orders.

    Raises:
        GradientCheckError: a gradient disagrees; the message names the mode, the input, the
            element and both values.
        ValueError: a mode other than "eager" and "graph".

    Examples:
        >>> import numpy as np
        >>> import janusgrad as tf
        >>> tf.check_gradients(lambda x: tf.sin(x) * x, np.linspace(-1, 1, 5), order=2)
        >>> @tf.custom_gradient
        ... def bad_square(x):
        ...     return x * x, lambda dy: dy * x     # should be 2 * x * dy
        >>> tf.check_gradients(bad_square, np.array([0.3]))  # doctest: +ELLIPSIS
        Traceback (most recent call last):
        ...
        janusgrad.check.GradientCheckError: gradient check of bad_square failed (eager mode): ...
    """
    bad_modes = [m for m in ([modes] if isinstance(modes, str) else modes)
                 if m not in ("eager", "graph")]
    if bad_modes:
        raise ValueError(f"check_gradients: modes must be 'eager' and/or 'graph', got "
                         f"{bad_modes[0]!r}")
    xs = [np.asarray(x, np.float64) if _floating(x) else np.asarray(x) for x in xs]
    name = getattr(f, "__name__", "f")
    for mode in ([modes] if isinstance(modes, str) else modes):
        theo, numer, diff = jacobians(f, xs, mode, delta, symmetric)
        for k, i in enumerate(diff):
            _compare(name, mode, i, xs[i].shape, theo[k], numer[k], rtol, atol, order=1)
    if order >= 2:
        rng = np.random.default_rng(seed)
        ev = _Evaluator(f, xs, "eager")
        us = [rng.standard_normal(o.shape) for o in ev.outputs(xs)]
        diff = ev.diff

        def grad_of_f(*args):
            ts = [a if isinstance(a, Tensor) else constant(a) for a in args]
            diff_ts = [ts[i] for i in diff]

            def g(*d):
                full = list(ts)
                for i, t in zip(diff, d):
                    full[i] = t
                return f(*full)
            seeds = [constant(u) for u in us]
            grads = vjp_of(g, diff_ts, seeds)
            return [zeros_like(t) if gr is None else gr for gr, t in zip(grads, diff_ts)]
        grad_of_f.__name__ = f"grad({name})"
        check_gradients(grad_of_f, *xs, order=order - 1, modes=modes, delta=delta,
                        rtol=rtol * 10, atol=atol * 10, symmetric=symmetric, seed=seed + 1)


def _compare(name, mode, index, shape, theo, numer, rtol, atol, order):
    err = np.abs(theo - numer)
    bad = err > atol + rtol * np.abs(numer)
    if not bad.any():
        return
    row, col = np.unravel_index(np.argmax(np.where(bad, err, -1)), err.shape)
    elem = np.unravel_index(col, shape) if shape else ()
    rel = err / np.maximum(np.abs(numer), 1e-12)
    raise GradientCheckError(
        f"gradient check of {name} failed ({mode} mode): input {index} (shape {tuple(shape)}), "
        f"element {tuple(int(e) for e in elem)}, output element {row}: finite differences give "
        f"{numer[row, col]:.8g}, janusgrad gives {theo[row, col]:.8g}; max abs error "
        f"{err.max():.3g}, max rel error {rel[bad].max():.3g}, {int(bad.sum())} of {bad.size} "
        "entries off")


def compute_gradient(f, x, delta=None):
    """TF's tf.test.compute_gradient: ((theoretical...), (numerical...)), each [y_size, x_size]."""
    if not isinstance(x, (list, tuple)):
        raise ValueError("`x` must be a list or tuple of values convertible to a Tensor")
    xs = [np.asarray(v.numpy() if isinstance(v, Tensor) else v) for v in x]
    xs = [v.astype(np.float32) if v.dtype == np.float64 and not isinstance(x0, np.ndarray)
          and not isinstance(x0, Tensor) else v for v, x0 in zip(xs, x)]
    dts = [v.dtype for v in xs]
    if delta is None:
        delta = 1e-3 if any(d == np.float32 for d in dts) else 1e-6
    theo, numer, diff = jacobians(f, xs, "eager", delta)
    return (tuple(t.astype(dts[i]) for t, i in zip(theo, diff)),
            tuple(n.astype(dts[i]) for n, i in zip(numer, diff)))
