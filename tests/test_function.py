"""tf.function: tracing per signature, captures, variables, gradients across and inside."""
import numpy as np
import pytest

import janusgrad as tf


def test_traces_once_per_signature():
    @tf.function
    def f(x, y):
        return x * y + 1.0
    assert f(tf.constant(2.0), tf.constant(3.0)).numpy() == 7.0
    f(tf.constant(5.0), tf.constant(1.0))
    assert f.trace_count == 1
    f(tf.constant([5.0]), tf.constant(1.0))      # new shape
    f(tf.constant(5.0, tf.float64), tf.constant(1.0, tf.float64))   # new dtype
    assert f.trace_count == 3


def test_python_arguments_are_part_of_the_signature():
    @tf.function
    def f(x, power):
        return x ** power
    assert f(tf.constant(2.0), 2).numpy() == 4.0
    assert f(tf.constant(2.0), 3).numpy() == 8.0
    assert f(tf.constant(3.0), 3).numpy() == 27.0
    assert f.trace_count == 2


def test_input_signature():
    @tf.function(input_signature=[tf.TensorSpec([None], tf.float32)])
    def f(x):
        return tf.reduce_sum(x)
    assert f(tf.constant([1.0, 2.0])).numpy() == 3.0
    assert f(np.ones(5, np.float32)).numpy() == 5.0
    assert f.trace_count == 1
    with pytest.raises(ValueError):
        f(tf.constant([[1.0]]))


def test_not_executing_eagerly_inside_and_graph_ops():
    seen = []

    @tf.function
    def f(x):
        seen.append(tf.executing_eagerly())
        return x + 1.0
    f(tf.constant(1.0))
    assert seen == [False]


def test_nested_structures_in_and_out():
    @tf.function
    def f(d):
        return {"sum": d["a"] + d["b"][0], "none": None, "pair": (d["a"], d["b"][1])}
    out = f({"a": tf.constant(1.0), "b": [tf.constant(2.0), tf.constant(3.0)]})
    assert out["sum"].numpy() == 3.0 and out["none"] is None and out["pair"][1].numpy() == 3.0


def test_captured_eager_tensor_gets_gradient():
    c = tf.constant(3.0)

    @tf.function
    def f(x):
        return x * c
    with tf.GradientTape() as tape:
        tape.watch(c)
        y = f(tf.constant(2.0))
    assert tape.gradient(y, c).numpy() == 2.0


def test_gradients_inside_a_function():
    @tf.function
    def sigmoid_grad(x):
        return tf.gradients(tf.sigmoid(x), x)[0]
    x = np.array([-1.0, 0.0, 2.0], np.float32)
    s = 1 / (1 + np.exp(-x))
    np.testing.assert_allclose(sigmoid_grad(tf.constant(x)).numpy(), s * (1 - s), rtol=1e-6)


def test_tape_inside_a_function():
    @tf.function
    def f(x):
        with tf.GradientTape() as tape:
            tape.watch(x)
            y = x * x * x
        return tape.gradient(y, x)
    assert f(tf.constant(2.0)).numpy() == 12.0


def test_second_order_across_a_function():
    @tf.function
    def f(x):
        return tf.sin(x) * x
    x = tf.constant(0.7)
    with tf.GradientTape() as t2:
        t2.watch(x)
        with tf.GradientTape() as t1:
            t1.watch(x)
            y = f(x)
        g = t1.gradient(y, x)
    np.testing.assert_allclose(t2.gradient(g, x).numpy(), 2 * np.cos(0.7) - 0.7 * np.sin(0.7),
                               rtol=1e-5)


def test_side_effects_run_even_when_not_returned():
    v = tf.Variable(0.0)

    @tf.function
    def bump(x):
        v.assign_add(x)
        return tf.constant(1.0)
    bump(tf.constant(2.0))
    bump(tf.constant(3.0))
    assert v.numpy() == 5.0


def test_function_called_in_graph_mode():
    @tf.function
    def f(x):
        return x * 2.0
    tf.compat.v1.disable_eager_execution()
    x = tf.compat.v1.placeholder(tf.float32, [])
    y = f(x)
    (g,) = tf.gradients(y, x)
    with tf.compat.v1.Session() as sess:
        assert sess.run([y, g], {x: 3.0}) == [6.0, 2.0]


def test_methods_can_be_functions():
    class Model:
        def __init__(self):
            self.w = tf.Variable(2.0)

        @tf.function
        def __call__(self, x):
            return self.w * x
    m = Model()
    with tf.GradientTape() as tape:
        y = m(tf.constant(3.0))
    assert y.numpy() == 6.0 and tape.gradient(y, m.w).numpy() == 3.0


def test_calling_in_a_loop_does_not_retrace_or_grow():
    @tf.function
    def f(x):
        return tf.tanh(x) * 2.0
    f(tf.constant(1.0))
    cf = f.get_concrete_function(tf.constant(1.0))
    n_ops = len(cf.graph.get_operations())
    for i in range(50):
        f(tf.constant(float(i)))
    assert f.trace_count == 1 and len(cf.graph.get_operations()) == n_ops


def test_tf_gradients_inside_a_function_reaches_captured_variables_and_tensors():
    """tf.gradients w.r.t. a variable (or an eager tensor) the function captures: its reads go
    through the capture, and so must the gradient (TF 2.21 gives [2, 3, 6])."""
    v, c = tf.Variable(2.0), tf.constant(5.0)

    @tf.function
    def f(x):
        return tf.gradients(x * v * c / 5.0 + 0.0 * c, [x, v, c])
    assert [g.numpy() for g in f(tf.constant(3.0))] == [2.0, 3.0, np.float32(1.2)]
    dense = tf.keras.layers.Dense(2)
    x = tf.ones([3, 4])
    dense(x)

    @tf.function
    def g(x):
        return tf.gradients(tf.reduce_sum(dense(x)), dense.trainable_variables)
    kernel_grad, bias_grad = g(x)
    np.testing.assert_allclose(kernel_grad.numpy(), np.full((4, 2), 3.0))
    np.testing.assert_allclose(bias_grad.numpy(), [3.0, 3.0])
