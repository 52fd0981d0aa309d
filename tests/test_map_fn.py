"""tf.map_fn and tf.vectorized_map: values against NumPy, gradients in every mode (the modes
harness and numerical checks), nested elems and outputs, lengths known only when the graph
runs, and TF 2.21's behaviour and errors (checked with TensorFlow and written down)."""
import numpy as np
import pytest

import janusgrad as tf
from janusgrad.check import check_gradients

from .test_modes import assert_modes_agree

v1 = tf.compat.v1
R = np.random.default_rng(3)
X = R.uniform(0.5, 1.5, (3, 2))
W = R.uniform(-1.0, 1.0, (2, 2))


# -- values and gradients in every mode --------------------------------------------------------

def test_rows_with_a_captured_tensor_agree_in_every_mode():
    out, _ = assert_modes_agree(
        lambda x, w: tf.map_fn(lambda r: tf.tanh(tf.linalg.matvec(w, r)), x), X, W)
    np.testing.assert_allclose(out[0], np.tanh(X @ W.T), rtol=1e-12)


def test_nested_elems_and_outputs_agree_in_every_mode():
    def fn(x, y):
        out = tf.map_fn(lambda t: (t[0] * t[1][0], tf.reduce_sum(tf.sin(t[0]))), (x, y))
        return [out[0], out[1]]
    y = W[:, ::-1][[0, 1, 0]]
    out, _ = assert_modes_agree(fn, X, y)
    np.testing.assert_allclose(out[0], X * y[:, :1], rtol=1e-12)
    np.testing.assert_allclose(out[1], np.sin(X).sum(axis=1), rtol=1e-12)


def test_vectorized_map_agrees_in_every_mode():
    def fn(x, w):
        a, b = tf.vectorized_map(lambda r: (r * w[0], tf.reduce_prod(r)), x)
        return [a, b]
    out, _ = assert_modes_agree(fn, X, W)
    np.testing.assert_allclose(out[0], X * W[0], rtol=1e-12)
    np.testing.assert_allclose(out[1], X.prod(axis=1), rtol=1e-12)


def test_second_order_gradients():
    check_gradients(lambda x, w: tf.map_fn(lambda r: tf.exp(r * w[1]) * tf.reduce_sum(r), x),
                    X, W, order=2)


def test_gradient_through_a_variable_read_inside_fn():
    w = tf.Variable(2.0, dtype=tf.float64)
    x = tf.constant(X)
    with tf.GradientTape() as tape:
        y = tf.reduce_sum(tf.map_fn(lambda r: r * r * w, x))
    np.testing.assert_allclose(tape.gradient(y, w), (X * X).sum())
    with tf.Graph().as_default():
        wg = tf.Variable(2.0, dtype=tf.float64)
        p = v1.placeholder(tf.float64, [None, 2])
        y = tf.reduce_sum(tf.map_fn(lambda r: r * r * wg, p))
        dw, dp = tf.gradients(y, [wg, p])
        with v1.Session() as sess:
            sess.run(wg.initializer)
            got_w, got_p = sess.run([dw, dp], {p: X})
    np.testing.assert_allclose(got_w, (X * X).sum())
    np.testing.assert_allclose(got_p, 4.0 * X)


# -- graphs: one op, any length ----------------------------------------------------------------

def test_graph_map_is_one_op_and_runs_any_length():
    with tf.Graph().as_default() as g:
        p = v1.placeholder(tf.float32, [None, 2])
        m = tf.map_fn(lambda r: r * 2.0, p)
        s = tf.map_fn(lambda r: r * 2.0, tf.constant(np.ones((3, 2), np.float32)))
        assert (m.shape.as_list(), s.shape.as_list()) == ([None, 2], [3, 2])
        assert m.name.startswith("map/") and s.name.startswith("map_1/")
        assert [op.type for op in g.get_operations() if "Map" in op.type] == [
            "StatelessMapFn", "StatelessMapFn"]
        (dp,) = tf.gradients(tf.reduce_sum(m * m), [p])
        with v1.Session() as sess:
            for n in (0, 1, 5):
                x = np.arange(2.0 * n, dtype=np.float32).reshape(n, 2)
                got, grad = sess.run([m, dp], {p: x})
                np.testing.assert_array_equal(got, 2 * x)
                np.testing.assert_array_equal(grad, 8 * x)
                assert got.shape == (n, 2)


def test_fn_is_traced_once_in_graphs_and_called_per_row_eagerly():
    calls = []

    def fn(r):
        calls.append(1)
        return r + 1.0
    tf.map_fn(fn, tf.constant(X))
    assert len(calls) == 3
    with tf.Graph().as_default():
        tf.map_fn(fn, tf.constant(X))
    assert len(calls) == 4


def test_get_variable_inside_fn_in_a_graph_makes_one_variable():
    with tf.Graph().as_default():
        def fn(r):
            with v1.variable_scope("cell", reuse=v1.AUTO_REUSE):
                w = v1.get_variable("w", [2], initializer=v1.ones_initializer())
            return r * w
        y = tf.map_fn(fn, tf.constant(X, tf.float32))
        assert [v.name for v in v1.global_variables()] == ["cell/w:0"]
        with v1.Session() as sess:
            sess.run(v1.global_variables_initializer())
            np.testing.assert_allclose(sess.run(y), X, rtol=1e-6)


def test_side_effects_run_for_every_row():
    with tf.Graph().as_default() as g:
        counter = tf.Variable(0, dtype=tf.int32)

        def fn(r):
            with tf.control_dependencies([counter.assign_add(1, read_value=False)]):
                return tf.identity(r)
        y = tf.map_fn(fn, tf.constant(X))
        assert "MapFn" in [op.type for op in g.get_operations()]
        with v1.Session() as sess:
            sess.run(counter.initializer)
            sess.run(y)
            assert sess.run(counter.read_value()) == 3


# -- TF's structure rules, signatures and errors -----------------------------------------------

@pytest.fixture(params=["eager", "graph"])
def run(request):
    if request.param == "eager":
        yield _numpy
    else:
        with tf.Graph().as_default():
            sess = v1.Session()
            yield lambda t: sess.run(t)
            sess.close()


def _numpy(t):
    if isinstance(t, dict):
        return {k: _numpy(v) for k, v in t.items()}
    if isinstance(t, (list, tuple)):
        return type(t)(_numpy(v) for v in t)
    return t.numpy()


def test_structures_and_signatures(run):
    x = tf.constant(X, tf.float32)
    got = run(tf.map_fn(lambda d: {"a": d["a"] * 2, "b": d["b"]}, {"a": x, "b": x[:, 0]}))
    np.testing.assert_allclose(got["a"], 2 * X, rtol=1e-6)
    np.testing.assert_allclose(got["b"], X[:, 0], rtol=1e-6)
    got = run(tf.map_fn(lambda t: t[0] * t[1], (x, x[:, 0]), fn_output_signature=tf.float32))
    np.testing.assert_allclose(got, X * X[:, :1], rtol=1e-6)
    got = run(tf.map_fn(lambda r: tf.reduce_sum(r) > 2.0, x, dtype=tf.bool))
    assert got.tolist() == (X.sum(axis=1) > 2).tolist()
    got = run(tf.map_fn(lambda r: tf.reduce_sum(r), x,
                        fn_output_signature=tf.TensorSpec([], tf.float32)))
    np.testing.assert_allclose(got, X.sum(axis=1), rtol=1e-6)
    got = run(tf.map_fn(lambda r: (r, tf.reduce_sum(r)), x,
                        fn_output_signature=(tf.float32, tf.float32)))
    np.testing.assert_allclose(got[1], X.sum(axis=1), rtol=1e-6)
    got = run(tf.map_fn(lambda t: [t[0], t[1]], [x, x]))
    assert isinstance(got, list) and len(got) == 2
    got = run(tf.map_fn(lambda r: tf.constant(1.0), x))        # fn ignores its row
    assert got.tolist() == [1.0, 1.0, 1.0]
    got = run(tf.vectorized_map(lambda r: tf.cast(r, tf.int32), x))
    assert got.dtype == np.int32 and got.shape == (3, 2)
    got = run(tf.map_fn(lambda r: r * 2, np.arange(3.0)))
    assert got.dtype == np.float64 and got.tolist() == [0.0, 2.0, 4.0]
    got = run(tf.map_fn(lambda r: tf.reduce_sum(r), x, dtype=tf.int32,    # the signature wins
                        fn_output_signature=tf.float32))
    np.testing.assert_allclose(got, X.sum(axis=1), rtol=1e-6)
    got = run(tf.map_fn(lambda r: r * 2, x, back_prop=False, parallel_iterations=4))
    np.testing.assert_allclose(got, 2 * X, rtol=1e-6)


def test_errors(run):
    x = tf.constant(X, tf.float32)
    with pytest.raises(ValueError, match="structure"):
        tf.map_fn(lambda t: t[0] + t[1], [x, x])             # output structure is not elems'
    with pytest.raises(ValueError, match="1\\+ dimensional"):
        tf.map_fn(lambda r: r * 2, tf.constant(3.0))
    with pytest.raises(ValueError, match="1\\+ dimensional"):
        tf.map_fn(lambda r: r * 2, [1.0, 2.0])                # a list is a nest of scalars
    with pytest.raises(ValueError, match="Dimensions 3 and 2 are not compatible"):
        tf.map_fn(lambda t: t[0], (x, tf.constant([1.0, 2.0])))
    with pytest.raises(tf.errors.InvalidArgumentError):
        run(tf.map_fn(lambda r: tf.cast(r, tf.int32), x))     # int rows, float signature
    with pytest.raises((ValueError, tf.errors.InvalidArgumentError)):   # rows' shapes differ
        run(tf.map_fn(lambda r: tf.range(tf.cast(r[0], tf.int32)),
                      tf.constant([[1.0], [2.0]]), fn_output_signature=tf.int32))


def test_fn_must_be_callable():
    # TF means a TypeError here too, but its message fails first (AttributeError: 'int' object
    # has no attribute '__name__')
    with pytest.raises(TypeError, match="map_fn: fn must be callable"):
        tf.map_fn(3, tf.constant(X))


def test_empty_elems():
    got = tf.map_fn(lambda r: r * 2, tf.zeros([0, 2]))
    assert (got.shape, got.dtype) == ((0,), tf.float32)        # fn never runs: TF's shape
    got = tf.vectorized_map(lambda r: (r * 2, tf.reduce_sum(r)), tf.zeros([0, 2]))
    assert [t.shape.as_list() for t in got] == [[0, 2], [0]]


def test_back_prop_false_stops_gradients_in_graphs_only():
    x = tf.constant(X)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = tf.reduce_sum(tf.map_fn(lambda r: r * r, x, back_prop=False))
    np.testing.assert_allclose(tape.gradient(y, x), 2 * X)     # eagerly TF ignores it
    with tf.Graph().as_default():
        p = v1.placeholder(tf.float64, [None, 2])
        y = tf.reduce_sum(tf.map_fn(lambda r: r * r, p, back_prop=False))
        assert tf.gradients(y, p) == [None]

    @tf.function
    def f(a):
        return tf.gradients(tf.reduce_sum(tf.map_fn(lambda r: r * r, a, back_prop=False)), a)
    assert f(x) == [None]
