"""Equivalence properties: a random chain of ops gives the same values eagerly, in a graph run
by a Session and under tf.function, and the same gradients by GradientTape, tf.gradients and a
tape across tf.function; those gradients agree with central finite differences.
"""
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import janusgrad as tf
from janusgrad.check import check_gradients

# Each step maps a tensor of shape (R, C) to one of shape (R, C) (or the shape noted), and is
# smooth where it is used with `smooth=True` (finite differences need no kinks nearby).
W = np.random.default_rng(3).standard_normal((4, 4)) * 0.5


def _w(x):
    return tf.constant(W[:x.shape[1], :x.shape[1]].astype(x.dtype.np))


STEPS = {
    "tanh": (tf.tanh, True),
    "sigmoid": (tf.sigmoid, True),
    "sin": (tf.sin, True),
    "softplus": (tf.math.softplus, True),
    "square": (lambda x: tf.square(x) * 0.5, True),
    "exp of tanh": (lambda x: tf.exp(tf.tanh(x)), True),
    "log1p of square": (lambda x: tf.math.log1p(tf.square(x)), True),
    "scale and shift": (lambda x: x * 1.5 - 0.25, True),
    "divide by positive": (lambda x: x / (tf.square(x) + 1.0), True),
    "matmul": (lambda x: tf.matmul(x, _w(x)), True),
    "transpose twice": (lambda x: tf.transpose(tf.transpose(x) * 2.0), True),
    "reshape round trip": (lambda x: tf.reshape(tf.reshape(x, [-1]) + 1.0, tf.shape(x)), True),
    "softmax": (lambda x: tf.nn.softmax(x, axis=-1), True),
    "log_softmax": (lambda x: tf.nn.log_softmax(x, axis=0), True),
    "sum broadcast": (lambda x: x + tf.reduce_sum(x, axis=0, keepdims=True), True),
    "mean broadcast": (lambda x: x * tf.reduce_mean(x, axis=1, keepdims=True), True),
    "logsumexp broadcast": (lambda x: x - tf.reduce_logsumexp(x, axis=1, keepdims=True), True),
    "concat and slice": (lambda x: tf.concat([x, x * 2.0], axis=1)[:, 1:1 + x.shape[1]], True),
    "reverse": (lambda x: tf.reverse(x, [0]) * x, True),
    "stack and unstack": (lambda x: tf.unstack(tf.stack([x, -x]), axis=0)[1], True),
    "expand and squeeze": (lambda x: tf.squeeze(tf.expand_dims(x, 1), axis=1), True),
    "where": (lambda x: tf.where(x > 0.0, x * 2.0, x * 0.5), False),
    "relu": (tf.nn.relu, False),
    "abs": (tf.abs, False),
    "maximum": (lambda x: tf.maximum(x, tf.reverse(x, [1])), False),
    "clip": (lambda x: tf.clip_by_value(x, -0.5, 0.5), False),
}
smooth_names = sorted(k for k, (_, smooth) in STEPS.items() if smooth)
shapes = st.tuples(st.integers(1, 3), st.integers(2, 4))


def chain(names):
    def f(x):
        for n in names:
            x = STEPS[n][0](x)
        return x
    f.__name__ = " -> ".join(names)
    return f


def values(shape, seed, dtype=np.float32):
    return np.random.default_rng(seed).uniform(-1.5, 1.5, shape).astype(dtype)


def eager(f, x):
    return f(tf.constant(x)).numpy()


def graph(f, x):
    g = tf.Graph()
    with g.as_default():
        p = tf.compat.v1.placeholder(tf.as_dtype(x.dtype), [None, x.shape[1]])
        y = f(p)
    with tf.compat.v1.Session(graph=g) as sess:
        return sess.run(y, {p: x})


def function(f, x):
    return tf.function(f)(tf.constant(x)).numpy()


def tape_gradient(f, x, seed):
    t = tf.constant(x)
    with tf.GradientTape() as tape:
        tape.watch(t)
        y = f(t)
    return tape.gradient(y, t, output_gradients=tf.constant(seed)).numpy()


def graph_gradient(f, x, seed):
    g = tf.Graph()
    with g.as_default():
        p = tf.compat.v1.placeholder(tf.as_dtype(x.dtype), x.shape)
        (dx,) = tf.gradients(f(p), p, grad_ys=tf.constant(seed))
    with tf.compat.v1.Session(graph=g) as sess:
        return sess.run(dx, {p: x})


def function_gradient(f, x, seed):
    ff = tf.function(f)
    t = tf.constant(x)
    with tf.GradientTape() as tape:
        tape.watch(t)
        y = ff(t)
    return tape.gradient(y, t, output_gradients=tf.constant(seed)).numpy()


def gradients_inside_function(f, x, seed):
    @tf.function
    def grad(t):
        return tf.gradients(f(t), t, grad_ys=tf.constant(seed))[0]
    return grad(tf.constant(x)).numpy()


@given(names=st.lists(st.sampled_from(sorted(STEPS)), min_size=1, max_size=6),
       shape=shapes, seed=st.integers(0, 2**16))
def test_values_agree_eager_graph_and_function(names, shape, seed):
    f, x = chain(names), values(shape, seed)
    expected = eager(f, x)
    assert expected.shape == shape and expected.dtype == np.float32
    # the same kernels run in every mode: the results are the same to the last bit
    np.testing.assert_array_equal(graph(f, x), expected, err_msg=f.__name__)
    np.testing.assert_array_equal(function(f, x), expected, err_msg=f.__name__)


@given(names=st.lists(st.sampled_from(sorted(STEPS)), min_size=1, max_size=5),
       shape=shapes, seed=st.integers(0, 2**16))
def test_gradients_agree_tape_graph_and_function(names, shape, seed):
    f, x = chain(names), values(shape, seed)
    dy = values(shape, seed + 1)
    expected = tape_gradient(f, x, dy)
    assert expected.shape == shape and expected.dtype == np.float32
    for other in (graph_gradient, function_gradient, gradients_inside_function):
        np.testing.assert_allclose(other(f, x, dy), expected, rtol=1e-6, atol=1e-6,
                                   err_msg=f"{other.__name__}: {f.__name__}")


@given(names=st.lists(st.sampled_from(smooth_names), min_size=1, max_size=4),
       shape=shapes, seed=st.integers(0, 2**16))
def test_gradients_match_finite_differences(names, shape, seed):
    f = chain(names)
    check_gradients(f, values(shape, seed, np.float64), order=1, rtol=1e-4, atol=1e-6)


@given(names=st.lists(st.sampled_from(smooth_names), min_size=1, max_size=3),
       seed=st.integers(0, 2**16))
def test_second_order_gradients_match_finite_differences(names, seed):
    check_gradients(chain(names), values((2, 3), seed, np.float64), order=2, rtol=1e-4,
                    atol=1e-5, modes="eager")


def test_the_equivalence_checks_catch_a_mode_difference():
    """Test the tester: a step that behaves differently in graph mode is caught."""
    def sneaky(x):
        return x * 2.0 if tf.executing_eagerly() else x * 2.0001
    STEPS["sneaky"] = (sneaky, True)
    try:
        with pytest.raises(AssertionError):
            test_values_agree_eager_graph_and_function.hypothesis.inner_test(
                names=["tanh", "sneaky"], shape=(2, 3), seed=1)
    finally:
        del STEPS["sneaky"]
