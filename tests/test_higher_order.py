"""Second derivatives through custom gradients, blocks and estimators, in both modes: a grad_fn
that uses intermediates of its forward must be differentiated through them, never silently
treated as constants."""
import numpy as np
import pytest

import janusgrad as tf
from janusgrad import estimators
from janusgrad.check import GradientCheckError, check_gradients

X = np.linspace(-1.5, 1.5, 5)


@tf.custom_gradient
def log1pexp(x):
    e = tf.exp(x)                                 # an intermediate the grad_fn closes over
    return tf.math.log(1.0 + e), lambda dy: dy * (1.0 - 1.0 / (1.0 + e))


def test_closure_over_an_intermediate_gives_the_right_second_derivative():
    check_gradients(log1pexp, X, order=2)


def test_closure_over_the_output_itself():
    @tf.custom_gradient
    def sigmoid(x):
        y = 1.0 / (1.0 + tf.exp(-x))
        return y, lambda dy: dy * y * (1.0 - y)
    check_gradients(sigmoid, X, order=2)


def test_intermediates_held_in_containers_and_globals():
    saved = {}

    @tf.custom_gradient
    def in_a_dict(x):
        saved["c"] = [tf.cos(x)]
        return tf.sin(x), lambda dy: dy * saved["c"][0]
    check_gradients(in_a_dict, X, order=2)

    @tf.custom_gradient
    def in_a_global(x):
        _CACHE["s"] = tf.exp(x) - tf.exp(-x)
        return tf.exp(x) + tf.exp(-x), lambda dy: dy * _CACHE["s"]
    check_gradients(in_a_global, X, order=2)


_CACHE = {}


def test_grad_fn_of_inputs_only_leaves_no_forward_records():
    @tf.custom_gradient
    def cube(x):
        return x * x * x, lambda dy: dy * 3.0 * x * x
    check_gradients(cube, X, order=2)
    x = tf.constant(2.0)
    with tf.GradientTape() as tape:
        tape.watch(x)
        cube(x)
    assert [r.type for r in tape.records_since()] == ["IdentityN"]
    with tf.GradientTape() as tape:
        tape.watch(x)
        log1pexp(x)
    assert [r.type for r in tape.records_since()] == ["IdentityN"]   # one tape: grad_fn is not
    with tf.GradientTape() as outer:                          # differentiated, f unrecorded
        outer.watch(x)
        with tf.GradientTape() as tape:
            tape.watch(x)
            log1pexp(x)       # grad_fn holds f's intermediate: an outer tape needs its history
    assert [r.type for r in tape.records_since()][-1] == "IdentityN" and tape.mark() > 1


def test_nested_tapes_eagerly_and_inside_tf_function():
    def second(x):
        with tf.GradientTape() as outer:
            outer.watch(x)
            with tf.GradientTape() as inner:
                inner.watch(x)
                y = log1pexp(x)
            g = inner.gradient(y, x)
        return g, outer.gradient(g, x)
    x = tf.constant(0.4)
    s = 1 / (1 + np.exp(-0.4))
    for fn in (second, tf.function(second)):
        g, h = fn(x)
        np.testing.assert_allclose([g.numpy(), h.numpy()], [s, s * (1 - s)], rtol=1e-6)


def test_second_order_with_tf_gradients_in_a_graph():
    tf.compat.v1.disable_eager_execution()
    x = tf.compat.v1.placeholder(tf.float32, [3])
    (g,) = tf.gradients(tf.reduce_sum(log1pexp(x)), x)
    (h,) = tf.gradients(tf.reduce_sum(g), x)
    value = np.array([-1.0, 0.0, 2.0], np.float32)
    with tf.compat.v1.Session() as sess:
        got = sess.run(h, {x: value})
    s = 1 / (1 + np.exp(-value))
    np.testing.assert_allclose(got, s * (1 - s), rtol=1e-6)


def test_a_deliberately_constant_grad_fn_is_caught_by_the_checker():
    @tf.custom_gradient
    def frozen(x):
        e = tf.stop_gradient(tf.exp(x))
        return tf.math.log(1.0 + tf.exp(x)), lambda dy: dy * (1.0 - 1.0 / (1.0 + e))
    check_gradients(frozen, X, order=1)
    with pytest.raises(GradientCheckError):
        check_gradients(frozen, X, order=2)


def test_custom_gradient_with_variables_to_second_order():
    v = tf.Variable(1.5)

    @tf.custom_gradient
    def scaled_square(x):
        h = x * v

        def grad(dy, variables=None):
            return dy * 2.0 * h * v, [dy * 2.0 * h * x]
        return h * h, grad
    x = tf.constant(0.7)
    with tf.GradientTape() as outer:
        outer.watch(x)
        with tf.GradientTape() as inner:
            inner.watch(x)
            y = scaled_square(x)
        gx = inner.gradient(y, x)
    np.testing.assert_allclose(gx.numpy(), 2 * 0.7 * 1.5 ** 2, rtol=1e-6)
    gxx, gxv = outer.gradient(gx, [x, v])
    np.testing.assert_allclose([gxx.numpy(), gxv.numpy()], [2 * 1.5 ** 2, 4 * 0.7 * 1.5],
                               rtol=1e-6)


def test_default_composition_to_second_order():
    @tf.custom_gradient
    def doubled(x):
        return tf.sin(x) * x, lambda dy, default: default(dy) * 2.0
    check_gradients(lambda x: doubled(x) - tf.stop_gradient(doubled(x)) +
                    tf.stop_gradient(2.0 * tf.sin(x) * x), X, order=2)


def test_gradient_block_to_second_order():
    def f(x):
        with tf.gradient_block(lambda dy, default: default(dy) * 3.0) as block:
            y = block.outputs(tf.exp(x) * tf.sin(x))
        return y - tf.stop_gradient(y) + tf.stop_gradient(3.0 * y)
    check_gradients(f, X, order=2)


def test_estimators_to_second_order():
    st = estimators.straight_through(tf.round, tf.sigmoid)
    check_gradients(lambda x: st(x) - tf.stop_gradient(st(x)) + tf.stop_gradient(tf.sigmoid(x)),
                    X, order=2)


def test_recompute_grad_to_second_order():
    check_gradients(tf.recompute_grad(lambda x: tf.sin(x) * tf.exp(x)), X, order=2)
