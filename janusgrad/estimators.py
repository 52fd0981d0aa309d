"""Gradient estimators: the forward you need, the backward you choose.

Each is a few lines over `custom_gradient`, so it works eagerly, in graphs and inside
tf.function, and its backward is made of janusgrad ops (differentiable again). Parameters that
the backward reads (`strength`, `scale`, clip bounds) may be tensors or variables: a variable
is read when the gradient runs, so a schedule can change it without retracing a tf.function.

    y = estimators.round_ste(x)                 # round forward, identity backward
    f = estimators.reverse_gradient(h, strength=lam)   # identity forward, -lam * dy backward
"""
from collections.abc import Callable
from typing import Any

from .autodiff.custom import custom_gradient
from .autodiff.transforms import vjp_recorded
from .framework.tensor import Tensor, convert_to_tensor
from .ops import math as _math
from .ops.array import identity, shape, stop_gradient
from .ops.reduce import reduce_sum


def straight_through(forward_fn: Callable[..., Any],
                     backward_fn: Callable[..., Any] | None = None) -> Callable[..., Any]:
    """A function with the value of `forward_fn` and the gradient of `backward_fn` (the
    identity when None): the "f forward, g backward" trick without `t + stop_gradient(f - t)`.

    The surrogate `backward_fn` runs in the forward pass too, so the variables it reads get
    gradients; its gradient is made of janusgrad ops, so it is differentiable again.

    Args:
        forward_fn: the function whose value is returned.
        backward_fn: the function whose gradient is used (same inputs and outputs); None for
            the identity, which needs as many inputs as outputs.

    Returns:
        The estimator, a function of tensors.

    Raises:
        ValueError: (when called) without backward_fn, a different number of inputs and
            outputs.

    Examples:
        >>> import janusgrad as tf
        >>> from janusgrad import estimators
        >>> step = estimators.straight_through(lambda x: tf.cast(x > 0, x.dtype), tf.sigmoid)
        >>> x = tf.constant([0.0, 2.0])
        >>> step(x).numpy()
        array([0., 1.], dtype=float32)
        >>> float(tf.grad(lambda x: tf.reduce_sum(step(x)))(x)[0])    # sigmoid'(0)
        0.25
    """
    name = getattr(forward_fn, "__name__", "straight_through")

    def estimator(*xs):
        if backward_fn is None:
            def identity_grad(*dys, variables=None):
                if len(dys) != len(xs):
                    raise ValueError(f"straight_through({name}) without backward_fn passes each "
                                     "output's gradient to one input: it needs as many inputs "
                                     f"as outputs, got {len(xs)} and {len(dys)}")
                return (list(dys), [None] * len(variables)) if variables else list(dys)
            return forward_fn(*xs), identity_grad
        # the surrogate runs in the forward too, so that the variables it reads get gradients
        _, pullback = vjp_recorded(backward_fn, xs)

        def grad(*dys, variables=None):
            grads = pullback(dys, variables or [])
            n = len(xs)
            return (grads[:n], grads[n:]) if variables else grads[:n]
        return forward_fn(*xs), grad

    estimator.__name__ = f"straight_through({name})"
    return custom_gradient(estimator)


def sign_ste(x: Any, clip: float | None = None) -> Tensor:
    """sign(x) forward, identity backward (the straight-through estimator of binarized nets).

    With `clip`, BinaryNet's estimator (Courbariaux et al. 2016): forward +1 where x >= 0 and
    -1 elsewhere (sign(0) = +1, so every output is binary), backward the hardtanh's gradient
    `dy * 1{|x| <= clip}`. Without it, the forward stays tf.sign (sign(0) = 0).

    Args:
        x: a floating tensor (or variable).
        clip: None, or a positive number: the hardtanh's bound.

    Returns:
        A tensor of x's shape and dtype.

    Raises:
        ValueError: clip is not a positive number (or None).
        TypeError: with clip, x is not floating.

    Examples:
        >>> import janusgrad as tf
        >>> from janusgrad import estimators
        >>> x = tf.constant([-2.0, 0.0, 0.5])
        >>> estimators.sign_ste(x, clip=1.0).numpy()
        array([-1.,  1.,  1.], dtype=float32)
        >>> tf.grad(lambda x: tf.reduce_sum(estimators.sign_ste(x, clip=1.0)))(x).numpy()
        array([0., 1., 1.], dtype=float32)
    """
    if clip is None:
        return straight_through(_math.sign)(x)
    if isinstance(clip, bool) or not isinstance(clip, (int, float)) or not clip > 0:
        raise ValueError(f"sign_ste: clip must be a positive number (or None), got {clip!r}")
    if not isinstance(x, Tensor) and not hasattr(x, "_as_tensor"):    # keep variables as is
        x = convert_to_tensor(x)
    if not x.dtype.is_floating:
        raise TypeError(f"sign_ste: x must be a floating tensor, got {x.dtype.name}")
    bound = float(clip)

    def binary_sign(x):
        one = _math.cast(1.0, x.dtype)
        return _math.where_v2(_math.greater_equal(x, _math.cast(0.0, x.dtype)), one, -one)

    def hardtanh(x):         # gradient 1 on [-clip, clip] (ends included, as TF's clip), else 0
        return _math.clip_by_value(x, _math.cast(-bound, x.dtype), _math.cast(bound, x.dtype))
    binary_sign.__name__ = "sign"
    return straight_through(binary_sign, hardtanh)(x)


def round_ste(x: Any) -> Tensor:
    """round(x) forward, identity backward (quantization-aware training).

    Args:
        x: a tensor.

    Returns:
        A tensor of x's shape and dtype.

    Examples:
        >>> import janusgrad as tf
        >>> from janusgrad import estimators
        >>> x = tf.constant([0.2, 1.7])
        >>> estimators.round_ste(x).numpy()
        array([0., 2.], dtype=float32)
        >>> tf.grad(lambda x: tf.reduce_sum(estimators.round_ste(x) * 3.0))(x).numpy()
        array([3., 3.], dtype=float32)
    """
    return straight_through(_math.round)(x)


def binary_stochastic(x: Any, seed: int | None = None) -> Tensor:
    """1 with probability sigmoid(x), else 0, forward; the gradient of sigmoid(x) backward
    (the expected value's gradient: the straight-through sigmoid estimator).

    Args:
        x: a floating tensor of logits.
        seed: the op seed of the uniform draw (with tf.random.set_seed, reproducible).

    Returns:
        A tensor of 0s and 1s, of x's shape and dtype.

    Examples:
        >>> import janusgrad as tf
        >>> from janusgrad import estimators
        >>> x = tf.constant([-50.0, 50.0])
        >>> estimators.binary_stochastic(x).numpy()        # almost surely
        array([0., 1.], dtype=float32)
        >>> float(tf.grad(lambda x: tf.reduce_sum(estimators.binary_stochastic(x)))(0.0))
        0.25
    """
    x = convert_to_tensor(x)

    def sample(logits):
        from .ops.random import uniform
        u = uniform(shape(logits), dtype=logits.dtype, seed=seed)
        return _math.cast(_math.less(u, _math.sigmoid(logits)), logits.dtype)
    sample.__name__ = "binary_stochastic"
    return straight_through(sample, _math.sigmoid)(x)


def reverse_gradient(x: Any, strength: Any = 1.0) -> Tensor:
    """Identity forward, `-strength * dy` backward: the gradient reversal layer of domain-
    adversarial training (Ganin and Lempitsky 2015).

    Args:
        x: a tensor.
        strength: a number, a tensor or a variable (read when the gradient runs, so a
            schedule can change it without retracing a tf.function).

    Returns:
        x's value, as a new tensor.

    Examples:
        >>> import janusgrad as tf
        >>> from janusgrad import estimators
        >>> strength = tf.Variable(0.5)
        >>> float(tf.grad(lambda x: estimators.reverse_gradient(x, strength) * 4.0)(1.0))
        -2.0
    """
    @custom_gradient
    def reverse_gradient(x):
        return identity(x), lambda dy: -_like(strength, dy) * dy
    return reverse_gradient(x)


def clip_gradient(x: Any, lo: Any, hi: Any) -> Tensor:
    """Identity forward; the gradient flowing into x clipped elementwise to [lo, hi].

    Args:
        x: a tensor.
        lo: the lower bound (a number, tensor or variable).
        hi: the upper bound.

    Returns:
        x's value, as a new tensor.

    Examples:
        >>> import janusgrad as tf
        >>> from janusgrad import estimators
        >>> float(tf.grad(lambda x: estimators.clip_gradient(x, -0.5, 0.5) * 4.0)(1.0))
        0.5
    """
    @custom_gradient
    def clip_gradient(x):
        return identity(x), lambda dy: _math.clip_by_value(dy, _like(lo, dy), _like(hi, dy))
    return clip_gradient(x)


def scale_gradient(x: Any, scale: Any) -> Tensor:
    """Identity forward, `scale * dy` backward.

    Args:
        x: a tensor.
        scale: a number, tensor or variable.

    Returns:
        x's value, as a new tensor.

    Examples:
        >>> import janusgrad as tf
        >>> from janusgrad import estimators
        >>> float(tf.grad(lambda x: estimators.scale_gradient(x, 0.5) * 4.0)(1.0))
        2.0
    """
    @custom_gradient
    def scale_gradient(x):
        return identity(x), lambda dy: _like(scale, dy) * dy
    return scale_gradient(x)


def normalize_gradient(x: Any, epsilon: float = 1e-12) -> Tensor:
    """Identity forward; the gradient flowing into x divided by its L2 norm (unit norm, zero
    stays zero).

    Args:
        x: a tensor.
        epsilon: the smallest norm divided by (so that a zero gradient stays zero).

    Returns:
        x's value, as a new tensor.

    Examples:
        >>> import janusgrad as tf
        >>> from janusgrad import estimators
        >>> f = lambda x: tf.reduce_sum(estimators.normalize_gradient(x) * [3.0, 4.0])
        >>> tf.grad(f)(tf.constant([1.0, 1.0])).numpy()
        array([0.6, 0.8], dtype=float32)
    """
    @custom_gradient
    def normalize_gradient(x):
        def grad(dy):
            norm = _math.sqrt(reduce_sum(_math.square(dy)))
            return dy / _math.maximum(norm, _like(epsilon, dy))
        return identity(x), grad
    return normalize_gradient(x)


def gradient_hook(x: Any, fn: Callable[[Tensor], Any]) -> Tensor:
    """Identity forward; `fn(dy)` sees the gradient flowing into x (through the returned
    tensor) and may return a replacement (None keeps dy).

    Eagerly dy holds values; in a graph or tf.function it is the symbolic gradient, so `fn`
    can tf.print it, keep it to fetch, or transform it with janusgrad ops.

    Args:
        x: a tensor.
        fn: `fn(dy)` -> None, or the gradient to pass on instead (converted to dy's dtype).

    Returns:
        x's value, as a new tensor.

    Examples:
        >>> import janusgrad as tf
        >>> from janusgrad import estimators
        >>> seen = []
        >>> g = tf.grad(lambda x: estimators.gradient_hook(x, seen.append) * 3.0)(1.0)
        >>> float(seen[0]), float(g)
        (3.0, 3.0)
    """
    @custom_gradient
    def gradient_hook(x):
        def grad(dy):
            out = fn(dy)
            return dy if out is None else convert_to_tensor(out, dtype=dy.dtype)
        return identity(x), grad
    return gradient_hook(x)


def _like(value, dy):
    """`value` (number, tensor or variable) as a constant of dy's dtype, read now."""
    t = value if isinstance(value, Tensor) else convert_to_tensor(
        value, dtype=None if hasattr(value, "_as_tensor") else dy.dtype)
    if t.dtype is not dy.dtype:
        t = _math.cast(t, dy.dtype)
    return stop_gradient(t)


__all__ = ["straight_through", "sign_ste", "round_ste", "binary_stochastic", "reverse_gradient",
           "clip_gradient", "scale_gradient", "normalize_gradient", "gradient_hook"]
