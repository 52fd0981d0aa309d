"""tf.gradients in graph mode: grad_ys, stop_gradients, unconnected gradients, errors."""
import numpy as np
import pytest

import janusgrad as tf


@pytest.fixture(autouse=True)
def graph_mode():
    tf.compat.v1.disable_eager_execution()


def _run(*fetches, feed=None):
    with tf.compat.v1.Session() as sess:
        sess.run(tf.compat.v1.global_variables_initializer())
        return sess.run(list(fetches), feed)


def test_gradients_in_eager_mode_is_a_runtime_error():
    tf.compat.v1.enable_eager_execution()
    with pytest.raises(RuntimeError, match="GradientTape"):
        tf.gradients(tf.constant(1.0), tf.constant(1.0))


def test_intermediate_sources_and_stop_gradients():
    a = tf.constant(0.0)
    b = 2 * a
    c = a + b
    assert _run(*tf.gradients(c, [a, b])) == [3.0, 1.0]
    assert _run(*tf.gradients(c, [a, b], stop_gradients=[a, b])) == [1.0, 1.0]


def test_unconnected_is_none_or_zeros():
    x = tf.constant([1.0, 2.0])
    z = tf.constant([3.0, 4.0])
    y = x * 2.0
    assert tf.gradients(y, z) == [None]
    (zero,) = tf.gradients(y, z, unconnected_gradients="zero")
    assert _run(zero)[0].tolist() == [0.0, 0.0]


def test_grad_ys_weights_the_targets():
    x = tf.constant([1.0, 2.0])
    y = x * x
    (g,) = tf.gradients(y, x, grad_ys=tf.constant([1.0, 0.5]))
    assert _run(g)[0].tolist() == [2.0, 2.0]
    with pytest.raises(ValueError):
        tf.gradients([y], x, grad_ys=[tf.constant(1.0), tf.constant(2.0)])


def test_several_ys_are_summed():
    x = tf.constant(2.0)
    (g,) = tf.gradients([x * x, x * 3.0], x)
    assert _run(g) == [7.0]


def test_stop_gradient_op():
    w1 = tf.Variable(2.0)
    w2 = tf.Variable(2.0)
    b = tf.stop_gradient(w1 * 3.0) * w2
    g1, g2 = tf.gradients(b, [w1, w2])
    assert g1 is None and _run(g2) == [6.0]


def test_gradient_ops_are_named_under_gradients():
    x = tf.constant(1.0)
    (g,) = tf.gradients(tf.sin(x), x)
    assert g.op.name.startswith("gradients/")
    (g2,) = tf.gradients(tf.sin(x), x)
    assert g2.op.name.startswith("gradients_1/")


def test_second_order_by_gradients_of_gradients():
    x = tf.constant(0.7)
    (g,) = tf.gradients(tf.sin(x) * x, x)
    (h,) = tf.gradients(g, x)
    np.testing.assert_allclose(_run(h)[0], 2 * np.cos(0.7) - 0.7 * np.sin(0.7), rtol=1e-6)


def test_hessians():
    x = tf.constant([1.0, 2.0])
    (h,) = tf.hessians(tf.reduce_sum(x * x * x), x)
    np.testing.assert_allclose(_run(h)[0], [[6.0, 0.0], [0.0, 12.0]])


def test_gradient_flows_only_between_xs_and_ys():
    # an op with no gradient upstream of ys but not between xs and ys is not an error
    from janusgrad.framework.registry import register_kernel
    from janusgrad.framework.execute import execute
    from janusgrad.framework.registry import OPS
    if "NoGradUpstream" not in OPS:
        register_kernel("NoGradUpstream", lambda x: x + 1)
    c = execute("NoGradUpstream", [tf.constant(1.0)])[0]
    x = tf.constant(2.0)
    (g,) = tf.gradients(c * x, x)
    assert _run(g) == [2.0]
    with pytest.raises(LookupError, match="NoGradUpstream"):
        tf.gradients(c * x, c.op.inputs[0])


def test_placeholders_with_unknown_dims():
    x = tf.compat.v1.placeholder(tf.float32, [None, 2])
    y = tf.reduce_mean(tf.square(x) + tf.constant([1.0, 2.0]))
    (g,) = tf.gradients(y, x)
    assert g.shape.as_list() == [None, 2]
    value = np.arange(6, dtype=np.float32).reshape(3, 2)
    np.testing.assert_allclose(_run(g, feed={x: value})[0], 2 * value / 6, rtol=1e-6)
