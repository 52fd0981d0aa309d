"""Reductions over an axis known only when the graph runs, Einsum gradients for repeated labels,
gather_nd with batch_dims: values against NumPy, static shapes, errors and gradients."""
import numpy as np
import pytest

import janusgrad as tf

RNG = np.random.default_rng(7)


def run_graph(build, feeds):
    """build(*placeholders) -> fetches, run on feeds = [(value, static shape)]."""
    g = tf.Graph()
    with g.as_default():
        phs = [tf.compat.v1.placeholder(tf.as_dtype(v.dtype), s) for v, s in feeds]
        fetches = build(*phs)
        with tf.compat.v1.Session(graph=g) as sess:
            return fetches, sess.run(fetches, dict(zip(phs, [v for v, _ in feeds])))


# -- reductions whose axis is a placeholder ----------------------------------------------------

@pytest.mark.parametrize("fn,ref", [(tf.reduce_sum, np.sum), (tf.reduce_mean, np.mean),
                                    (tf.reduce_max, np.max), (tf.reduce_min, np.min),
                                    (tf.reduce_prod, np.prod)])
@pytest.mark.parametrize("axis", [0, -1, [0, 2], [-1, 1]])
@pytest.mark.parametrize("keepdims", [False, True])
def test_dynamic_axis_values_and_static_shape(fn, ref, axis, keepdims):
    x = RNG.standard_normal((2, 3, 4)).astype(np.float32)
    (y,), (v,) = run_graph(lambda p, a: [fn(p, a, keepdims=keepdims)],
                           [(x, [2, 3, 4]), (np.array(axis, np.int32), None)])
    axes = tuple(np.atleast_1d(axis))
    np.testing.assert_allclose(v, ref(x, axis=axes, keepdims=keepdims), rtol=1e-5, atol=1e-6)
    assert v.dtype == np.float32
    # as TF: with keepdims the rank is known (not the dims), without it nothing is
    if keepdims:
        assert y.shape.as_list() == [None] * 3
    else:
        assert y.shape.rank is None


def test_dynamic_axis_int_bool_and_logsumexp():
    x = np.array([[3, -7, 2], [4, 5, -9]], np.int32)
    b = np.array([[True, False], [True, True]])
    _, (s, m, any_, all_) = run_graph(
        lambda p, q, a: [tf.reduce_sum(p, a), tf.reduce_mean(p, a), tf.reduce_any(q, a),
                         tf.reduce_all(q, a)], [(x, [2, 3]), (b, [2, 2]), (np.int32(1), [])])
    np.testing.assert_array_equal(s, [-2, 0])
    np.testing.assert_array_equal(m, [0, 0])       # -2 / 3 and 0 / 3 truncate to 0
    assert s.dtype == np.int32
    np.testing.assert_array_equal(any_, [True, True])
    np.testing.assert_array_equal(all_, [False, True])
    f = RNG.standard_normal((3, 2)).astype(np.float32)
    _, (lse,) = run_graph(lambda p, a: [tf.reduce_logsumexp(p, a)],
                          [(f, [None, None]), (np.int64(0), [])])
    np.testing.assert_allclose(lse, np.log(np.exp(f).sum(0)), rtol=1e-5)


def test_dynamic_axis_out_of_range_and_bad_dtype():
    x = np.ones((2, 3), np.float32)
    with pytest.raises(tf.errors.InvalidArgumentError, match="Invalid reduction dimension 2"):
        run_graph(lambda p, a: [tf.reduce_sum(p, a)], [(x, [2, 3]), (np.int32(2), [])])
    with pytest.raises(TypeError, match="Sum: axis must be int"):
        run_graph(lambda p, a: [tf.reduce_sum(p, a)], [(x, [2, 3]), (np.float32(1), [])])


@pytest.mark.parametrize("fn", [tf.reduce_sum, tf.reduce_mean, tf.reduce_max, tf.reduce_min,
                                tf.reduce_prod, tf.reduce_logsumexp])
@pytest.mark.parametrize("keepdims", [False, True])
def test_dynamic_axis_gradient_matches_static_axis(fn, keepdims):
    x = RNG.permutation(12).reshape(3, 4).astype(np.float32) * 0.3
    w = RNG.standard_normal((3, 1) if keepdims else (3,)).astype(np.float32)

    def grads(dynamic):
        def build(p, a):
            y = fn(p, a if dynamic else -1, keepdims=keepdims)
            return tf.compat.v1.gradients(tf.reduce_sum(y * w), p)
        return run_graph(build, [(x, [None, 4]), (np.int32(-1), [])])[1][0]

    np.testing.assert_allclose(grads(True), grads(False), rtol=1e-6)
    assert np.any(grads(True) != 0)


@pytest.mark.parametrize("fn", [tf.reduce_sum, tf.reduce_mean, tf.reduce_max, tf.reduce_min,
                                tf.reduce_prod, tf.reduce_logsumexp])
@pytest.mark.parametrize("keepdims", [False, True])
@pytest.mark.parametrize("axis", [-1, [-2], [0, -1]])
def test_negative_axis_gradient_of_an_input_of_unknown_rank(fn, keepdims, axis):
    """A negative axis is taken modulo the rank when the graph runs (it raised before)."""
    x = RNG.permutation(24).reshape(2, 3, 4).astype(np.float64) * 0.1 + 0.05
    with tf.GradientTape() as tape:
        t = tf.constant(x)
        tape.watch(t)
        y = fn(t, axis, keepdims=keepdims)
        loss = tf.reduce_sum(y * y)
    want = tape.gradient(loss, t).numpy()
    (got,) = run_graph(lambda p: tf.gradients(tf.reduce_sum(fn(p, axis, keepdims=keepdims) ** 2),
                                              p), [(x, None)])[1]
    np.testing.assert_allclose(got, want, rtol=1e-12)
    assert np.any(want != 0)


# -- Einsum gradients with a label repeated in one input ------------------------------------------

def test_einsum_repeated_label_gradients():
    a = tf.constant(RNG.standard_normal((3, 3)).astype(np.float32))
    b = tf.constant(RNG.standard_normal((3, 3, 2)).astype(np.float32))
    v = tf.constant([2.0, -1.0])
    with tf.GradientTape(persistent=True) as tape:
        tape.watch([a, b, v])               # an unwatched v would get None, as in TF
        diag = tf.einsum("ii->i", a)
        trace = tf.einsum("ii->", a)
        bd = tf.einsum("iij,j->i", b, v)
    np.testing.assert_allclose(diag.numpy(), np.diag(a.numpy()))
    np.testing.assert_allclose(
        tape.gradient(diag, a, output_gradients=tf.constant([1.0, 2.0, 3.0])).numpy(),
        np.diag([1.0, 2.0, 3.0]))
    np.testing.assert_allclose(tape.gradient(trace, a).numpy(), np.eye(3))
    want = np.zeros((3, 3, 2), np.float32)
    for i in range(3):
        want[i, i] = [2.0, -1.0]
    np.testing.assert_allclose(tape.gradient(bd, b).numpy(), want)
    np.testing.assert_allclose(tape.gradient(bd, v).numpy(),
                               np.einsum("iij->j", b.numpy()), rtol=1e-6)


# -- gather_nd with batch_dims -------------------------------------------------------------------

def _batch_gather_nd_ref(p, i, b):
    bp, bi = p.reshape((-1,) + p.shape[b:]), i.reshape((-1,) + i.shape[b:])
    out = [q[tuple(np.moveaxis(j, -1, 0))] for q, j in zip(bp, bi)]
    return np.stack(out).reshape(i.shape[:-1] + p.shape[b + i.shape[-1]:])


@pytest.mark.parametrize("pshape,ishape,b", [((2, 3, 2), (2, 2, 1), 1),
                                             ((2, 4, 3, 2), (2, 3, 2), 1),
                                             ((2, 3, 4), (2, 3, 2, 1), 2), ((3, 4, 5), (3, 2), 1)])
@pytest.mark.parametrize("idtype", [np.int32, np.int64])
def test_gather_nd_batch_dims_values(pshape, ishape, b, idtype):
    p = RNG.standard_normal(pshape).astype(np.float64)
    bounds = np.array(pshape[b:b + ishape[-1]])
    i = (RNG.integers(0, 100, ishape) % bounds).astype(idtype)
    want = _batch_gather_nd_ref(p, i, b)
    got = tf.gather_nd(p, i, batch_dims=b)
    assert got.dtype == tf.float64 and got.shape == want.shape
    np.testing.assert_array_equal(got.numpy(), want)
    (y,), (v,) = run_graph(lambda q, j: [tf.gather_nd(q, j, batch_dims=b)],
                           [(p, pshape), (i, ishape)])
    assert y.shape.as_list() == list(want.shape)
    np.testing.assert_array_equal(v, want)


def test_gather_nd_batch_dims_gradient_accumulates_per_batch():
    p = tf.constant(np.arange(12.0).reshape(2, 3, 2))
    i = [[[1], [1]], [[0], [2]]]
    with tf.GradientTape() as tape:
        tape.watch(p)
        y = tf.gather_nd(p, i, batch_dims=1)
    want = np.zeros((2, 3, 2))
    want[0, 1] = 2.0
    want[1, 0] = want[1, 2] = 1.0
    np.testing.assert_array_equal(tape.gradient(y, p).numpy(), want)


def test_gather_nd_batch_dims_errors():
    with pytest.raises(ValueError, match="GatherNd: batch_dims"):
        tf.gather_nd(np.ones((2, 3)), [[0], [1]], batch_dims=2)
    with pytest.raises(ValueError, match=r"GatherNd: params.shape\[:1\]"):
        tf.gather_nd(np.ones((2, 3)), [[0], [1], [0]], batch_dims=1)
