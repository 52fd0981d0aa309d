"""custom_gradient, grad_pass_through, recompute_grad: eager, graph and tf.function."""
import numpy as np
import pytest

import janusgrad as tf


@tf.custom_gradient
def clip_grad_square(x):
    def grad(dy):
        return tf.clip_by_value(dy * 2.0 * x, -1.0, 1.0)
    return x * x, grad


def _grad_eager(f, *xs):
    xs = [tf.constant(x) for x in xs]
    with tf.GradientTape() as tape:
        tape.watch(xs)
        y = f(*xs)
    return [None if g is None else g.numpy() for g in tape.gradient(y, xs)]


def _grad_graph(f, *xs):
    g = tf.Graph()
    with g.as_default():
        ts = [tf.constant(x) for x in xs]
        y = f(*ts)
        grads = tf.gradients(y, ts)
        with tf.compat.v1.Session() as sess:
            return [None if gr is None else sess.run(gr) for gr in grads]


def _grad_function(f, *xs):
    fn = tf.function(f)
    xs = [tf.constant(x) for x in xs]
    with tf.GradientTape() as tape:
        tape.watch(xs)
        y = fn(*xs)
    return [None if g is None else g.numpy() for g in tape.gradient(y, xs)]


MODES = [_grad_eager, _grad_graph, _grad_function]


@pytest.mark.parametrize("grad", MODES)
def test_custom_gradient_replaces_the_gradient_in_every_mode(grad):
    x = np.array([0.1, 0.4, 3.0], np.float32)
    (g,) = grad(lambda x: tf.reduce_sum(clip_grad_square(x)), x)
    np.testing.assert_allclose(g, [0.2, 0.8, 1.0], rtol=1e-6)


@pytest.mark.parametrize("grad", MODES)
def test_several_inputs_outputs_and_none_gradients(grad):
    @tf.custom_gradient
    def f(a, b):
        def g(dy1, dy2):
            return dy1 * 10.0 + dy2, None
        return (a * b, a + b), g
    ga, gb = grad(lambda a, b: tf.add_n(list(f(a, b))), np.float32(2.0), np.float32(3.0))
    assert ga == 11.0 and gb is None


@pytest.mark.parametrize("grad", MODES)
def test_grad_pass_through(grad):
    (g,) = grad(lambda x: tf.reduce_sum(tf.grad_pass_through(tf.round)(x) * 3.0),
                np.array([0.2, 1.7], np.float32))
    assert g.tolist() == [3.0, 3.0]


def test_wrong_number_of_gradients_is_a_value_error():
    @tf.custom_gradient
    def f(x):
        return x * 2.0, lambda dy: (dy, dy)
    x = tf.constant(1.0)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = f(x)
    with pytest.raises(ValueError, match="expected to return 1 gradients"):
        tape.gradient(y, x)


def test_variables_need_the_variables_keyword():
    v = tf.Variable(2.0)

    @tf.custom_gradient
    def bad(x):
        return x * v, lambda dy: dy
    with pytest.raises(TypeError, match="variables"):
        bad(tf.constant(1.0))

    @tf.custom_gradient
    def good(x):
        def grad(dy, variables=None):
            return dy * 100.0, [dy * 1000.0]
        return x * v, grad
    x = tf.constant(3.0)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = good(x)
    gx, gv = tape.gradient(y, [x, v])
    assert gx.numpy() == 100.0 and gv.numpy() == 1000.0


def test_variables_in_graph_mode():
    tf.compat.v1.disable_eager_execution()
    v = tf.Variable(2.0)

    @tf.custom_gradient
    def good(x):
        def grad(dy, variables=None):
            return dy * 100.0, [dy * 1000.0]
        return x * v, grad
    x = tf.constant(3.0)
    gx, gv = tf.gradients(good(x), [x, v])
    with tf.compat.v1.Session() as sess:
        sess.run(v.initializer)
        assert sess.run([gx, gv]) == [100.0, 1000.0]


def test_forward_ops_are_not_recorded_twice():
    x = tf.constant(2.0)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = clip_grad_square(x)
    assert [r.type for r in tape.records_since()] == ["IdentityN"]
    assert tape.gradient(y, x).numpy() == 1.0


def test_nested_custom_gradients():
    @tf.custom_gradient
    def outer(x):
        return clip_grad_square(x) * 3.0, lambda dy: dy * 7.0
    x = tf.constant(5.0)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = outer(x)
    assert y.numpy() == 75.0 and tape.gradient(y, x).numpy() == 7.0


def test_second_order_through_a_differentiable_grad_fn():
    @tf.custom_gradient
    def cube(x):
        return x * x * x, lambda dy: dy * 3.0 * x * x
    x = tf.constant(2.0)
    with tf.GradientTape() as t2:
        t2.watch(x)
        with tf.GradientTape() as t1:
            t1.watch(x)
            y = cube(x)
        g = t1.gradient(y, x)
    assert g.numpy() == 12.0 and t2.gradient(g, x).numpy() == 12.0


def test_recompute_grad_gives_the_same_gradient():
    def block(x):
        return tf.sin(x) * tf.exp(x)
    x = tf.constant([0.3, -1.2])
    with tf.GradientTape(persistent=True) as tape:
        tape.watch(x)
        plain = tf.reduce_sum(block(x))
        saved = tf.reduce_sum(tf.recompute_grad(block)(x))
    np.testing.assert_allclose(tape.gradient(saved, x).numpy(), tape.gradient(plain, x).numpy(),
                               rtol=1e-6)
