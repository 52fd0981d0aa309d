"""Variables in both modes: assign ops, initializers, collections, gradients w.r.t. them."""
import threading

import numpy as np
import pytest

import janusgrad as tf


def test_eager_variable_reads_and_assigns():
    v = tf.Variable([1.0, 2.0], name="v")
    assert v.dtype is tf.float32 and v.shape == [2] and v.name == "v:0"
    before = v.read_value()
    v.assign([5.0, 6.0])
    assert before.numpy().tolist() == [1.0, 2.0]          # a read is a snapshot
    v.assign_add([1.0, 1.0])
    v.assign_sub([0.5, 0.5])
    assert v.numpy().tolist() == [5.5, 6.5]
    assert (v * 2.0).numpy().tolist() == [11.0, 13.0]


def test_assign_checks_shape_and_dtype_and_changes_nothing_on_error():
    v = tf.Variable([1.0, 2.0])
    with pytest.raises(ValueError):
        v.assign([1.0, 2.0, 3.0])
    with pytest.raises(ValueError, match="Tensor conversion requested dtype float32 for Tensor "
                       "with dtype int32"):
        v.assign(tf.constant([1, 2]))
    assert v.numpy().tolist() == [1.0, 2.0]


def test_graph_variable_needs_its_initializer_and_keeps_order():
    tf.compat.v1.disable_eager_execution()
    w = tf.Variable(2.0, name="weight")
    b = tf.Variable(1.0, name="bias", trainable=False)
    assert tf.compat.v1.global_variables() == [w, b]
    assert tf.compat.v1.trainable_variables() == [w]
    step = w.assign_add(1.0)
    with tf.compat.v1.Session() as sess:
        sess.run(tf.compat.v1.variables_initializer([w, b]))
        assert sess.run(step) == 3.0
        assert sess.run(step) == 4.0
        assert sess.run(w) == 4.0


def test_variable_initialized_from_another_variable():
    tf.compat.v1.disable_eager_execution()
    a = tf.Variable(3.0)
    b = tf.Variable(a * 2.0)
    with tf.compat.v1.Session() as sess:
        sess.run(a.initializer)
        sess.run(b.initializer)
        assert sess.run(b) == 6.0


@pytest.mark.parametrize("mode", ["eager", "graph"])
def test_gradient_wrt_variables_matches_finite_differences(mode):
    w0 = np.array([[0.5, -1.0], [2.0, 0.3]])
    x0 = np.array([[1.0, 2.0]])

    def loss(w):
        return tf.reduce_sum(tf.tanh(tf.matmul(x0, w)) * tf.constant([1.0, 3.0], tf.float64))

    def value_and_grad(w_value):
        if mode == "eager":
            w = tf.Variable(w_value)
            with tf.GradientTape() as tape:
                out = loss(w)
            return out.numpy(), tape.gradient(out, w).numpy()
        g = tf.Graph()
        with g.as_default():
            w = tf.Variable(w_value)
            out = loss(w)
            (grad,) = tf.gradients(out, [w])
            with tf.compat.v1.Session() as sess:
                sess.run(w.initializer)
                return sess.run([out, grad])

    _, grad = value_and_grad(w0)
    eps = 1e-6
    numeric = np.zeros_like(w0)
    for i in np.ndindex(w0.shape):
        up, down = w0.copy(), w0.copy()
        up[i] += eps
        down[i] -= eps
        numeric[i] = (value_and_grad(up)[0] - value_and_grad(down)[0]) / (2 * eps)
    np.testing.assert_allclose(grad, numeric, rtol=1e-6, atol=1e-8)


def test_tape_watches_trainable_variables_it_reads():
    v = tf.Variable(3.0)
    frozen = tf.Variable(4.0, trainable=False)
    with tf.GradientTape() as tape:
        y = v * frozen
    assert tape.watched_variables() == (v,)
    gv, gf = tape.gradient(y, [v, frozen])
    assert gv.numpy() == 4.0 and gf is None


def test_watch_accessed_variables_false():
    v = tf.Variable(3.0)
    with tf.GradientTape(watch_accessed_variables=False) as tape:
        y = v * v
    assert tape.gradient(y, v) is None


def test_concurrent_assign_add_loses_no_update():
    v = tf.Variable(0.0)
    def work():
        for _ in range(200):
            v.assign_add(1.0)
    threads = [threading.Thread(target=work) for _ in range(8)]
    [t.start() for t in threads]
    [t.join() for t in threads]
    assert v.numpy() == 1600.0


def test_variable_created_inside_tf_function_lives_outside():
    holder = []

    @tf.function
    def f(x):
        if not holder:
            holder.append(tf.Variable(2.0))
        return holder[0] * x
    assert f(tf.constant(3.0)).numpy() == 6.0
    holder[0].assign(5.0)
    assert f(tf.constant(3.0)).numpy() == 15.0
