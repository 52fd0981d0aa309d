"""Random ops: shapes, dtypes, seeded reproducibility, and the distributions they sample."""
import numpy as np
import pytest

import janusgrad as tf
from janusgrad.framework.errors import InvalidArgumentError

v1 = tf.compat.v1


def test_categorical_samples_follow_the_softmax_of_each_row():
    logits = np.log(np.array([[0.7, 0.2, 0.1], [0.1, 0.1, 0.8], [1 / 3, 1 / 3, 1 / 3]],
                             np.float32))
    tf.random.set_seed(1)
    s = tf.random.categorical(logits, 20000).numpy()
    assert s.shape == (3, 20000) and s.dtype == np.int64
    assert s.min() >= 0 and s.max() <= 2
    freq = np.stack([np.bincount(row, minlength=3) / 20000 for row in s])
    np.testing.assert_allclose(freq, np.exp(logits), atol=0.015)


def test_categorical_is_reproducible_under_the_seed_and_handles_one_hot_rows():
    logits = np.array([[0.0, -np.inf, -np.inf], [-np.inf, -np.inf, 0.0]], np.float32)
    tf.random.set_seed(7)
    a = tf.random.categorical(logits, 50, dtype=tf.int32).numpy()
    tf.random.set_seed(7)
    b = tf.random.categorical(logits, 50, dtype=tf.int32).numpy()
    assert a.dtype == np.int32 and np.array_equal(a, b)
    assert set(a[0]) == {0} and set(a[1]) == {2}


def test_batched_triangular_solve_matches_per_matrix_solves():
    rng = np.random.default_rng(0)
    m = np.tril(rng.standard_normal((4, 3, 3))) + 3 * np.eye(3)
    b = rng.standard_normal((4, 3, 2))
    for adjoint in (False, True):
        x = tf.linalg.triangular_solve(m, b, lower=True, adjoint=adjoint).numpy()
        ref = np.stack([np.linalg.solve(mi.T if adjoint else mi, bi) for mi, bi in zip(m, b)])
        np.testing.assert_allclose(x, ref, rtol=1e-10)
    m[2, 1, 1] = 0.0                      # a zero pivot: inf / nan as TF, no exception
    x = tf.linalg.triangular_solve(m, b, lower=True).numpy()
    assert not np.all(np.isfinite(x[2])) and np.all(np.isfinite(x[[0, 1, 3]]))


# -- uniform, normal, truncated_normal --------------------------------------------------------

def test_draws_have_their_shape_dtype_range_and_moments():
    tf.random.set_seed(3)
    u = tf.random.uniform([200, 100], 2.0, 4.0).numpy()
    assert u.shape == (200, 100) and u.dtype == np.float32
    assert u.min() >= 2.0 and u.max() < 4.0 and abs(u.mean() - 3.0) < 0.02
    i = tf.random.uniform([1000], 0, 5, dtype=tf.int32).numpy()
    assert i.dtype == np.int32 and set(np.unique(i)) == {0, 1, 2, 3, 4}
    n = tf.random.normal([20000], mean=1.0, stddev=2.0, dtype=tf.float64).numpy()
    assert n.dtype == np.float64 and abs(n.mean() - 1.0) < 0.05 and abs(n.std() - 2.0) < 0.05
    t = tf.random.truncated_normal([20000], stddev=0.5).numpy()
    assert np.abs(t).max() <= 1.0 and 0.4 < t.std() < 0.45   # cut at 2 stddev: std 0.88 * 0.5
    tf.random.set_seed(3)
    np.testing.assert_array_equal(tf.random.uniform([200, 100], 2.0, 4.0).numpy(), u)
    with pytest.raises(ValueError, match="maxval"):
        tf.random.uniform([2], dtype=tf.int32)
    with pytest.raises(ValueError, match=">= 0"):
        tf.random.normal([2, -1])


def test_draws_of_a_shape_known_only_at_run_time():
    """`tf.random.normal(tf.shape(x))` of a placeholder with a None dim (the reparameterization
    trick of a TF1 VAE): TF's static shape from tf.shape(x), the run's shape, a new draw each
    run, and TF's errors for a bad shape fed at run time."""
    with tf.Graph().as_default():
        tf.random.set_seed(5)
        x = v1.placeholder(tf.float32, [None, 3])
        eps = tf.random.normal(tf.shape(x), mean=1.0, stddev=0.1)
        u = tf.random.uniform([tf.shape(x)[0], 4], 0, 5, dtype=tf.int64)
        t = tf.random.truncated_normal(tf.shape(x))
        assert eps.shape.as_list() == [None, 3] and u.shape.as_list() == [None, 4]
        assert u.dtype is tf.int64 and t.dtype is tf.float32
        z = x + eps                                  # differentiable w.r.t. x, not the noise
        (dz,) = tf.gradients(tf.reduce_sum(z), x)
        dims = v1.placeholder(tf.int32, None)
        bad = tf.random.uniform(dims)
        with v1.Session() as sess:
            feed = {x: np.zeros((5, 3), np.float32)}
            a, b, c, d = sess.run([eps, u, t, dz], feed)
            assert a.shape == (5, 3) and b.shape == (5, 4) and c.shape == (5, 3)
            assert np.abs(a - 1.0).max() < 0.6 and b.min() >= 0 and b.max() <= 4
            assert np.abs(c).max() <= 2.0
            np.testing.assert_array_equal(d, np.ones((5, 3)))
            assert not np.array_equal(sess.run(eps, feed), a)           # drawn anew per run
            assert sess.run(eps, {x: np.zeros((2, 3), np.float32)}).shape == (2, 3)
            with pytest.raises(InvalidArgumentError, match="RandomUniform.*>= 0"):
                sess.run(bad, {dims: [2, -1]})
            with pytest.raises(InvalidArgumentError, match="RandomUniform: shape must be a vector"):
                sess.run(bad, {dims: [[2]]})
        with pytest.raises(ValueError, match="RandomStandardNormal: shape must be a vector"):
            tf.random.normal(v1.placeholder(tf.int32, [2, 2]))
