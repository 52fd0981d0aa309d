"""custom_gradient's fast path (eager, tensors in, at most one tape) against its general path:
same values, same gradients (first and second order), same errors."""
import contextlib

import numpy as np
import pytest

import janusgrad as tf
from janusgrad.autodiff import custom
from janusgrad.framework.context import ctx


@contextlib.contextmanager
def general_path():
    """custom_gradient calls made inside take the general path: it does whenever an enclosing
    custom_gradient collects the variables read (ctx.var_watchers)."""
    ctx.var_watchers.append([])
    try:
        yield
    finally:
        ctx.var_watchers.pop()


PATHS = [contextlib.nullcontext, general_path]


@tf.custom_gradient
def ste_sign(x):
    def grad(dy):
        return dy * tf.cast(tf.abs(x) <= 1.0, dy.dtype)
    return tf.sign(x), grad


@tf.custom_gradient
def scaled_product(a, b):
    def grad(dy):
        return dy * b * 10.0, dy * a
    return a * b, grad


@tf.custom_gradient
def cube(x):                    # grad_fn uses ops on x: differentiable again (second order)
    def grad(dy):
        return dy * 3.0 * x * x
    return x * x * x, grad


X = np.array([-1.5, -0.5, 0.25, 2.0], np.float32)


def _node_gradient_types(tape):
    return [type(r.grad_fn) for r in tape.records_since() if r.type == "IdentityN"]


def test_the_common_call_takes_the_fast_path_and_the_helper_forces_the_general_one():
    x = tf.constant(X)
    with tf.GradientTape() as tape:
        tape.watch(x)
        ste_sign(x)
        with general_path():
            ste_sign(x)
    assert _node_gradient_types(tape) == [custom._EagerNodeGradient, custom._NodeGradient]


@pytest.mark.parametrize("path", PATHS)
def test_chain_values_and_gradients(path):
    x = tf.constant(X)
    with tf.GradientTape() as tape:
        tape.watch(x)
        with path():
            y = x
            for _ in range(5):
                y = ste_sign(y)
        loss = tf.reduce_sum(y * tf.constant([1.0, 2.0, 3.0, 4.0]))
    g = tape.gradient(loss, x)
    np.testing.assert_array_equal(y.numpy(), np.sign(X))
    # the first sign sees X (|x| <= 1 only at -0.5, 0.25), the others see +-1 (always inside)
    np.testing.assert_array_equal(g.numpy(), [0.0, 2.0, 3.0, 0.0])
    assert g.dtype == tf.float32


@pytest.mark.parametrize("path", PATHS)
def test_several_arguments_none_gradients_and_int_arguments(path):
    @tf.custom_gradient
    def f(a, n, b):
        def grad(dy):
            return dy * 2.0, None, tf.ones_like(b) * 5.0
        return a * tf.cast(n, tf.float32) + b, grad

    a, b = tf.constant([1.0, 2.0]), tf.constant([3.0, 4.0])
    n = tf.constant(3)
    with tf.GradientTape() as tape:
        tape.watch([a, b])
        with path():
            y = f(a, n, b)
    ga, gn, gb = tape.gradient(y, [a, n, b])
    np.testing.assert_array_equal(y.numpy(), [6.0, 10.0])
    np.testing.assert_array_equal(ga.numpy(), [2.0, 2.0])
    np.testing.assert_array_equal(gb.numpy(), [5.0, 5.0])
    assert gn is None


@pytest.mark.parametrize("path", PATHS)
def test_two_arguments_gradients(path):
    a, b = tf.constant([1.0, -2.0]), tf.constant([3.0, 0.5])
    with tf.GradientTape() as tape:
        tape.watch([a, b])
        with path():
            y = scaled_product(a, b)
    ga, gb = tape.gradient(y, [a, b])
    np.testing.assert_array_equal(ga.numpy(), [30.0, 5.0])
    np.testing.assert_array_equal(gb.numpy(), [1.0, -2.0])


@pytest.mark.parametrize("path", PATHS)
def test_persistent_tape_gives_the_same_gradient_twice(path):
    x = tf.constant(X)
    with tf.GradientTape(persistent=True) as tape:
        tape.watch(x)
        with path():
            y = cube(x)
    first = tape.gradient(y, x).numpy()
    second = tape.gradient(y, x).numpy()
    np.testing.assert_allclose(first, 3.0 * X * X, rtol=1e-6)
    np.testing.assert_array_equal(first, second)


@pytest.mark.parametrize("path", PATHS)
def test_second_order_through_a_grad_fn_that_calls_a_custom_gradient(path):
    # the inner sweep runs grad_fn while only the outer tape records: cube's call inside it
    # is a fast-path call (one tape), and the outer tape differentiates it
    @tf.custom_gradient
    def f(x):
        def grad(dy):
            return dy * cube(x)         # d f / dx = x**3, so d2 f / dx2 = 3 x**2
        return x ** 4 / 4.0, grad

    x = tf.constant(X)
    with tf.GradientTape() as outer:
        outer.watch(x)
        with tf.GradientTape() as inner:
            inner.watch(x)
            y = f(x)
        with path():
            g = inner.gradient(y, x)
    gg = outer.gradient(g, x)
    np.testing.assert_allclose(g.numpy(), X ** 3, rtol=1e-6)
    np.testing.assert_allclose(gg.numpy(), 3.0 * X * X, rtol=1e-6)


@pytest.mark.parametrize("path", PATHS)
def test_nested_tapes_second_order(path):
    x = tf.constant(X)
    with tf.GradientTape() as outer:
        outer.watch(x)
        with tf.GradientTape() as inner:
            inner.watch(x)
            with path():
                y = cube(x)
        g = inner.gradient(y, x)
    gg = outer.gradient(g, x)
    np.testing.assert_allclose(gg.numpy(), 6.0 * X, rtol=1e-6)


@pytest.mark.parametrize("path", PATHS)
def test_variables_read_in_f(path):
    v = tf.Variable([2.0, 3.0])

    @tf.custom_gradient
    def f(x):
        def grad(dy, variables=None):
            return dy * v, [dy * x * 100.0]
        return x * v, grad

    x = tf.constant([1.0, -1.0])
    with tf.GradientTape() as tape:
        tape.watch(x)
        with path():
            y = f(x)
    gx, gv = tape.gradient(y, [x, v])
    np.testing.assert_array_equal(gx.numpy(), [2.0, 3.0])
    np.testing.assert_array_equal(gv.numpy(), [100.0, -100.0])


@pytest.mark.parametrize("path", PATHS)
@pytest.mark.parametrize("taped", [True, False])
def test_variables_without_the_keyword_is_a_type_error(path, taped):
    v = tf.Variable([2.0])
    f = tf.custom_gradient(lambda x: (x * v, lambda dy: dy))
    x = tf.constant([1.0])
    with tf.GradientTape() if taped else contextlib.nullcontext():
        with path(), pytest.raises(TypeError, match="must accept a keyword argument 'variables'"):
            f(x)


def _default_scaled(dy, default=None):      # outside f: `default` recomputes f's ops
    return default(dy) * 0.5


@pytest.mark.parametrize("path", PATHS)
def test_a_grad_fn_from_outside_f_with_default(path):
    f = tf.custom_gradient(lambda x: (x * x, _default_scaled))
    x = tf.constant([3.0, -1.0])
    with tf.GradientTape() as tape:
        tape.watch(x)
        with path():
            y = f(x)
    np.testing.assert_array_equal(tape.gradient(y, x).numpy(), [3.0, -1.0])


def test_without_a_tape_the_result_is_fs_own():
    # (the general_path helper would not do here: under an enclosing custom_gradient, a node
    # is made even without a tape)
    made = []

    @tf.custom_gradient
    def f(x):
        made.append(x * 2.0)
        return made[-1], lambda dy: dy
    y = f(tf.constant([1.0]))
    assert y is made[-1]


@pytest.mark.parametrize("path", PATHS)
def test_several_outputs(path):
    @tf.custom_gradient
    def f(x):
        return (x * 2.0, x * 3.0), lambda d1, d2: d1 + 10.0 * d2
    x = tf.constant([1.0, 2.0])
    with tf.GradientTape() as tape:
        tape.watch(x)
        with path():
            y1, y2 = f(x)
    np.testing.assert_array_equal(y2.numpy(), [3.0, 6.0])
    np.testing.assert_array_equal(tape.gradient([y1, y2], x).numpy(), [11.0, 11.0])


# -- what grad_fn returns is checked the same way on both paths --------------------------------

def _gradient_error(path, grad_result, n_args=1):
    """The exception tape.gradient raises when grad_fn returns grad_result(dy, *args)."""
    f = tf.custom_gradient(lambda *a: (a[0] * 2.0, lambda dy: grad_result(dy, *a)))
    args = [tf.constant([1.0, 2.0]) for _ in range(n_args)]
    with tf.GradientTape() as tape:
        tape.watch(args)
        with path():
            y = f(*args)
    with pytest.raises(Exception) as info:
        tape.gradient(y, args)
    return info.value


BAD = [
    ("shape", lambda dy, x: tf.ones((3,)), 1, ValueError,
     r"returned a gradient of shape \(3,\) for input 1, which has shape \(2,\)"),
    ("dtype", lambda dy, x: tf.ones((2,), tf.int32), 1, TypeError,
     "dtype int32 for input 1, which has dtype float32"),
    ("float64", lambda dy, x: tf.cast(dy, tf.float64), 1, TypeError,
     "dtype float64 for input 1"),
    ("count", lambda dy, x: (dy, dy), 1, ValueError, "expected to return 1 gradients"),
    ("second of two", lambda dy, a, b: (dy, tf.ones((5,))), 2, ValueError,
     r"shape \(5,\) for input 2"),
    ("string", lambda dy, x: "oops", 1, TypeError, "returned str for input 1"),
]


@pytest.mark.parametrize("what, grad_result, n_args, cls, match", BAD, ids=[b[0] for b in BAD])
def test_bad_gradients_raise_the_same_errors_on_both_paths(what, grad_result, n_args, cls,
                                                           match):
    fast = _gradient_error(contextlib.nullcontext, grad_result, n_args)
    general = _gradient_error(general_path, grad_result, n_args)
    assert type(fast) is cls and type(general) is cls
    assert str(fast) == str(general)
    assert "'custom_gradient(<lambda>)'" in str(fast) and "IdentityN" in str(fast)
    with pytest.raises(cls, match=match):
        raise fast


@pytest.mark.parametrize("path", PATHS)
def test_non_tensor_gradients_are_converted(path):
    f = tf.custom_gradient(lambda x: (x * 2.0, lambda dy: np.array([4.0, 5.0], np.float32)))
    g = tf.custom_gradient(lambda x, y: (x * y, lambda dy: [None, [7.0, 8.0]]))
    x = tf.constant([1.0, 2.0])
    with tf.GradientTape(persistent=True) as tape:
        tape.watch(x)
        with path():
            y1 = f(x)
            y2 = g(tf.constant([1.0, 1.0]), x)
    for y, want in [(y1, [4.0, 5.0]), (y2, [7.0, 8.0])]:
        for _ in range(2):          # again: the node checks the same way the second time
            got = tape.gradient(y, x)
            assert got.dtype == tf.float32
            np.testing.assert_array_equal(got.numpy(), want)


def test_a_gradient_for_an_int_argument_is_dropped_on_both_paths():
    @tf.custom_gradient
    def f(x, n):
        return x * tf.cast(n, tf.float32), lambda dy: (dy * 3.0, tf.ones((2,)))
    for path in PATHS:
        x, n = tf.constant([1.0, 2.0]), tf.constant([1, 1])
        with tf.GradientTape() as tape:
            tape.watch(x)
            with path():
                y = f(x, n)
        np.testing.assert_array_equal(tape.gradient(y, x).numpy(), [3.0, 3.0])


@pytest.mark.parametrize("path", PATHS)
def test_f_returning_its_argument_or_an_outside_tensor(path):
    # the one-argument record's rare cases: f's output is already watched (its argument), or
    # its argument is not watched while the output is
    @tf.custom_gradient
    def same(x):
        return x, lambda dy: dy * 4.0

    w = tf.constant([1.0, 2.0])
    with tf.GradientTape(persistent=True) as tape:
        tape.watch(w)
        outside = w * 1.0

        @tf.custom_gradient
        def ignores(x):
            return outside, lambda dy: dy * 7.0
        with path():
            y = same(w)
            z = ignores(tf.constant([5.0, 6.0]))
    np.testing.assert_array_equal(tape.gradient(y, w).numpy(), [4.0, 4.0])
    # z passes no gradient to w: its node's only gradient is grad_fn's, for its argument
    assert tape.gradient(z, w) is None
    np.testing.assert_array_equal(z.numpy(), [1.0, 2.0])


@pytest.mark.parametrize("path", PATHS)
def test_an_unwatched_argument_makes_no_record_and_an_int_output_is_not_watched(path):
    @tf.custom_gradient
    def positive(x):
        return tf.cast(x > 0.0, tf.int32), lambda dy: tf.zeros_like(x)

    x, u = tf.constant([1.0, -1.0]), tf.constant([3.0, 4.0])
    with tf.GradientTape() as tape:
        tape.watch(x)
        with path():
            ste_sign(u)
            n = tape.mark()
            p = positive(x)
    assert n == 0                               # nothing watched reached ste_sign
    assert p.dtype is tf.int32 and not tape.watches(p)
    np.testing.assert_array_equal(p.numpy(), [1, 0])


def test_the_record_keeps_a_large_argument_as_a_stand_in_and_a_small_one_whole():
    from janusgrad.framework.tensor import DroppedValue
    small, large = tf.constant(X), tf.constant(np.ones(1000, np.float32))
    with tf.GradientTape() as tape:
        tape.watch([small, large])
        ys, yl = ste_sign(small), ste_sign(large)
    (rs, rl) = tape.records_since()
    assert rs.inputs[1] is small and rs.skip_input_indices == (0,)
    assert isinstance(rl.inputs[1]._value, DroppedValue) and rl.inputs[1]._id == large._id
    assert rl.inputs[0]._value is yl._value           # f's output, whole (the node's value)
    gs, gl = tape.gradient([ys, yl], [small, large])
    np.testing.assert_array_equal(gs.numpy(), [0.0, 1.0, 1.0, 0.0])
    np.testing.assert_array_equal(gl.numpy(), np.ones(1000, np.float32))
