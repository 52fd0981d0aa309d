"""Function transforms (JAX's signatures) and TF's hessians / jacobians: eager, graph and
tf.function, checked against closed forms and finite differences."""
import numpy as np
import pytest

import janusgrad as tf
from janusgrad import estimators

X = np.array([0.3, -1.1, 2.0], np.float32)


def _in_graph(fn, *arrays):
    """Run fn(*placeholders) in a fresh graph; returns the fetched values (nest of arrays)."""
    graph = tf.Graph()
    with graph.as_default():
        ps = [tf.compat.v1.placeholder(tf.as_dtype(np.asarray(a).dtype), np.shape(a))
              for a in arrays]
        out = fn(*ps)
        with tf.compat.v1.Session(graph=graph) as sess:
            return sess.run(out, dict(zip(ps, arrays)))


def _three_ways(fn, *arrays):
    """fn's result eagerly, in a graph and in a tf.function, as NumPy (nested lists kept)."""
    eager = _numpy(fn(*[tf.constant(a) for a in arrays]))
    graph = _in_graph(fn, *arrays)
    function = _numpy(tf.function(fn)(*[tf.constant(a) for a in arrays]))
    return eager, graph, function


def _numpy(out):
    if isinstance(out, (list, tuple)):
        return type(out)(_numpy(o) for o in out)
    return out.numpy()


def _assert_all_close(results, expected, rtol=1e-5):
    for r in results:
        for got, want in zip(_flat(r), _flat(expected)):
            np.testing.assert_allclose(got, want, rtol=rtol, atol=1e-6)


def _flat(x):
    if isinstance(x, (list, tuple)):
        return [v for item in x for v in _flat(item)]
    return [x]


# -- grad / value_and_grad ---------------------------------------------------------------------

def test_grad_in_every_mode():
    dsin = tf.grad(lambda x: tf.reduce_sum(tf.sin(x) * x))
    _assert_all_close(_three_ways(dsin, X), np.sin(X) + X * np.cos(X))


def test_grad_of_grad_and_python_numbers():
    assert abs(tf.grad(tf.sin)(0.5).numpy() - np.cos(0.5)) < 1e-6
    assert abs(tf.grad(tf.grad(tf.sin))(0.5).numpy() + np.sin(0.5)) < 1e-6
    assert tf.grad(tf.sin)(0.5).dtype is tf.float32


def test_argnums_tuples_nests_and_unconnected_zeros():
    def f(a, b, scale):
        return tf.reduce_sum(a["w"] * b) * scale
    a = {"w": tf.constant([1.0, 2.0])}
    b = tf.constant([3.0, 4.0])
    ga, gb = tf.grad(f, argnums=(0, 1))(a, b, 2.0)
    assert ga["w"].numpy().tolist() == [6.0, 8.0] and gb.numpy().tolist() == [2.0, 4.0]
    unused = tf.grad(lambda x, y: tf.reduce_sum(x), argnums=1)(b, tf.constant([1.0]))
    assert unused.numpy().tolist() == [0.0]


def test_value_and_grad_and_has_aux():
    def loss(w):
        y = tf.reduce_sum(w * w)
        return y, {"norm": tf.sqrt(y)}
    w = np.array([3.0, 4.0], np.float32)
    (value, aux), g = tf.value_and_grad(loss, has_aux=True)(w)
    assert value.numpy() == 25.0 and aux["norm"].numpy() == 5.0
    assert g.numpy().tolist() == [6.0, 8.0]
    g2, aux2 = tf.grad(loss, has_aux=True)(w)
    assert g2.numpy().tolist() == [6.0, 8.0] and aux2["norm"].numpy() == 5.0
    values = _in_graph(lambda w: tf.value_and_grad(lambda w: tf.reduce_sum(w * w))(w), w)
    assert values[0] == 25.0 and values[1].tolist() == [6.0, 8.0]


def test_grad_with_respect_to_a_variable():
    v = tf.Variable([1.0, 2.0])
    assert tf.grad(lambda v: tf.reduce_sum(v * v))(v).numpy().tolist() == [2.0, 4.0]


def test_grad_errors():
    with pytest.raises(TypeError, match="scalar-output"):
        tf.grad(tf.sin)(X)
    with pytest.raises(TypeError, match="floating"):
        tf.grad(lambda k: tf.cast(k, tf.float32))(3)
    with pytest.raises(ValueError, match="argnums"):
        tf.grad(tf.sin, argnums=2)(1.0)
    with pytest.raises(TypeError, match="has_aux"):
        tf.grad(tf.sin, has_aux=True)(1.0)


# -- vjp / jvp ---------------------------------------------------------------------------------

def test_vjp_in_every_mode():
    def f(x):
        y, pullback = tf.vjp(lambda a: (tf.sin(a), a * a), x)
        d1, = pullback((tf.ones_like(x), tf.ones_like(x)))
        d2, = pullback((2.0 * tf.ones_like(x), tf.zeros_like(x)))     # called again
        return y[0], d1, d2
    expected = (np.sin(X), np.cos(X) + 2 * X, 2 * np.cos(X))
    _assert_all_close(_three_ways(f, X), expected)


def test_vjp_several_primals_aux_and_errors():
    out, pullback, aux = tf.vjp(lambda a, b: (a * b, "aux"), tf.constant(2.0), tf.constant(5.0),
                                has_aux=True)
    ga, gb = pullback(tf.constant(1.0))
    assert (out.numpy(), ga.numpy(), gb.numpy(), aux) == (10.0, 5.0, 2.0, "aux")
    with pytest.raises(ValueError, match="cotangent has 2 tensors"):
        pullback([1.0, 2.0])


def test_jvp_in_every_mode_matches_finite_differences():
    def f(x):
        return tf.exp(x) * tf.sin(x)
    t = np.array([1.0, 0.5, -2.0], np.float32)
    expected = (np.exp(X) * np.sin(X), (np.exp(X) * (np.sin(X) + np.cos(X))) * t)
    _assert_all_close(_three_ways(lambda x, t: tf.jvp(f, (x,), (t,)), X, t), expected)
    eps = 1e-3
    xd = X.astype(np.float64)
    numeric = (np.exp(xd + eps * t) * np.sin(xd + eps * t)
               - np.exp(xd - eps * t) * np.sin(xd - eps * t)) / (2 * eps)
    np.testing.assert_allclose(tf.jvp(f, (X,), (t,))[1].numpy(), numeric, rtol=1e-3)


def test_jvp_goes_through_custom_gradients_and_several_inputs():
    out, tangent = tf.jvp(lambda x: estimators.round_ste(x) * 3.0, (X,),
                          (np.ones(3, np.float32),))
    assert out.numpy().tolist() == (np.round(X) * 3).tolist()
    assert tangent.numpy().tolist() == [3.0, 3.0, 3.0]
    (_, _), (ta, tb) = tf.jvp(lambda a, b: (a * b, a + b), (2.0, 3.0), (1.0, 10.0))
    assert ta.numpy() == 3.0 + 20.0 and tb.numpy() == 11.0


def test_jvp_errors():
    with pytest.raises(TypeError, match="tuples or lists"):
        tf.jvp(tf.sin, X, X)
    with pytest.raises(ValueError, match="same structure"):
        tf.jvp(tf.sin, (X,), (X, X))
    with pytest.raises(TypeError, match="dtype"):
        tf.jvp(tf.sin, (X,), (X.astype(np.float64),))
    with pytest.raises(ValueError, match="shape"):
        tf.jvp(tf.sin, (X,), (np.ones(2, np.float32),))


# -- hessian, tf.hessians ------------------------------------------------------------------------

def test_hessian_in_every_mode():
    def f(x):
        return tf.reduce_sum(x ** 3) + x[0] * x[1]
    expected = np.diag(6 * X)
    expected[0, 1] = expected[1, 0] = 1.0
    _assert_all_close(_three_ways(tf.hessian(f), X), expected)


def test_hessian_with_several_arguments():
    h = tf.hessian(lambda x, y: tf.reduce_sum(x * x * y), argnums=(0, 1))(
        np.array([1.0, 2.0]), np.array([3.0, 4.0]))
    np.testing.assert_allclose(h[0][0].numpy(), np.diag([6.0, 8.0]))
    np.testing.assert_allclose(h[0][1].numpy(), np.diag([2.0, 4.0]))
    np.testing.assert_allclose(h[1][0].numpy(), np.diag([2.0, 4.0]))
    np.testing.assert_allclose(h[1][1].numpy(), np.zeros((2, 2)))


def test_tf_hessians_for_matrices_and_several_xs():
    tf.compat.v1.disable_eager_execution()
    a = tf.compat.v1.placeholder(tf.float32, [2, 2])
    b = tf.compat.v1.placeholder(tf.float32, [3])
    y = tf.reduce_sum(a * a * a) + tf.reduce_sum(b) * tf.reduce_sum(a) + tf.reduce_sum(b * b)
    ha, hb = tf.hessians(y, [a, b])
    assert ha.shape.as_list() == [2, 2, 2, 2] and hb.shape.as_list() == [3, 3]
    av = np.array([[1.0, 2.0], [3.0, 4.0]], np.float32)
    with tf.compat.v1.Session() as sess:
        got_a, got_b = sess.run([ha, hb], {a: av, b: np.ones(3, np.float32)})
    np.testing.assert_allclose(got_a.reshape(4, 4), np.diag(6 * av.ravel()))
    np.testing.assert_allclose(got_b, 2 * np.eye(3))
    # y linear in b: TF's hessians raises (its TensorArray refuses the None rows)
    with pytest.raises(ValueError, match="None values not supported"):
        tf.hessians(tf.reduce_sum(a * a * a) + tf.reduce_sum(b) * tf.reduce_sum(a), [a, b])


def test_tf_hessians_errors():
    with pytest.raises(RuntimeError, match="eager"):
        tf.hessians(tf.constant(1.0), tf.constant(1.0))
    tf.compat.v1.disable_eager_execution()
    x = tf.compat.v1.placeholder(tf.float32, [None])
    with pytest.raises(ValueError, match="fully known shape"):
        tf.hessians(tf.reduce_sum(x * x), x)


# -- tape.jacobian / batch_jacobian ----------------------------------------------------------

def test_jacobian_values_nested_sources_and_variables():
    x = tf.constant([[1.0, 2.0], [3.0, 4.0]])
    v = tf.Variable([1.0, -1.0])
    with tf.GradientTape(persistent=True) as tape:
        tape.watch(x)
        y = tf.reduce_sum(x * x, axis=1) * v
    jx, (jv,) = tape.jacobian(y, [x, (v,)])
    assert jx.shape == (2, 2, 2) and jv.shape == (2, 2)
    np.testing.assert_allclose(jx.numpy()[1], [[0.0, 0.0], [-6.0, -8.0]])
    np.testing.assert_allclose(jv.numpy(), np.diag([5.0, 25.0]))


def test_jacobian_unconnected_none_or_zeros_of_the_full_shape():
    x, z = tf.constant([1.0, 2.0, 3.0]), tf.constant([[1.0], [2.0]])
    with tf.GradientTape(persistent=True) as tape:
        tape.watch(x)
        y = x * 2.0
    assert tape.jacobian(y, z) is None
    zero = tape.jacobian(y, z, unconnected_gradients=tf.UnconnectedGradients.ZERO)
    assert zero.shape == (3, 2, 1) and not zero.numpy().any()


def test_jacobian_on_a_used_non_persistent_tape_is_an_error():
    x = tf.constant([1.0, 2.0])
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = x * x
    np.testing.assert_allclose(tape.jacobian(y, x).numpy(), np.diag([2.0, 4.0]))
    with pytest.raises(RuntimeError, match="non-persistent"):
        tape.jacobian(y, x)


def test_jacobian_inside_a_tf_function():
    @tf.function
    def jac(x):
        with tf.GradientTape() as tape:
            tape.watch(x)
            y = tf.sin(x)
        return tape.jacobian(y, x)
    np.testing.assert_allclose(jac(tf.constant(X)).numpy(), np.diag(np.cos(X)), rtol=1e-6)


def test_batch_jacobian_shapes_values_and_errors():
    x = tf.constant(np.arange(6, dtype=np.float32).reshape(2, 3))
    with tf.GradientTape(persistent=True) as tape:
        tape.watch(x)
        y = tf.stack([x[:, 0] * x[:, 1], x[:, 2] * 2.0], axis=1)          # [2, 2]
        flat = tf.reduce_sum(x, axis=1)                                    # rank 1
    bj = tape.batch_jacobian(y, x).numpy()
    assert bj.shape == (2, 2, 3)
    np.testing.assert_allclose(bj[1], [[4.0, 3.0, 0.0], [0.0, 0.0, 2.0]])
    other = tf.constant(np.ones((2, 5), np.float32))
    # unconnected: zeros whatever unconnected_gradients says (TF 2.21): with "none" of the
    # target's dtype, with "zero" of the source's
    for mode, dtype in (("none", tf.float32), ("zero", tf.float64)):
        z = tape.batch_jacobian(y, tf.cast(other, tf.float64), unconnected_gradients=mode)
        assert z.dtype is dtype and z.shape == (2, 2, 5) and not z.numpy().any()
    with pytest.raises(ValueError):
        tape.batch_jacobian(y, other, unconnected_gradients="bogus")
    with pytest.raises(ValueError, match="rank >= 2"):
        tape.batch_jacobian(flat, x)
    with pytest.raises(ValueError, match="first"):
        tape.batch_jacobian(y, tf.constant(np.ones((3, 3), np.float32)))
