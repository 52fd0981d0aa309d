"""Tensor functions real programs use (issue 18): tf.repeat, tf.sequence_mask,
tf.tensor_scatter_nd_*, the segment reductions, reduce_std/variance/euclidean_norm.

Expected values are NumPy formulas; the error classes are those TF 2.21 raises (checked in
~/tfenv)."""
import numpy as np
import pytest

import janusgrad as tf
from janusgrad.check import check_gradients

R = np.random.default_rng(18)
D = R.standard_normal((5, 3))


def in_session(fn, *feeds):
    """fn's result computed in a graph with placeholders of unknown shape for the inputs"""
    with tf.Graph().as_default():
        phs = [tf.compat.v1.placeholder(tf.as_dtype(np.asarray(v).dtype), None) for v in feeds]
        out = fn(*phs)
        with tf.compat.v1.Session() as sess:
            return sess.run(out, dict(zip(phs, feeds)))


# -- repeat --------------------------------------------------------------------------------

@pytest.mark.parametrize("repeats,axis", [(2, None), ([1, 2, 0, 3, 1], 0), ([2, 1, 3], 1),
                                          (3, -1), ([2], 0), ([-1, 2, 1, 1, 1], 0)])
def test_repeat_as_numpy(repeats, axis):
    expected = np.repeat(D, np.maximum(repeats, 0), axis=axis)   # TF: a negative count is 0
    np.testing.assert_array_equal(tf.repeat(D, repeats, axis=axis).numpy(), expected)
    got = in_session(lambda d, r: tf.repeat(d, r, axis=axis), D, np.asarray(repeats, np.int32))
    np.testing.assert_array_equal(got, expected)


def test_repeat_static_shape_and_gradient():
    with tf.Graph().as_default():
        assert tf.repeat(tf.zeros([5, 3]), [1, 2, 0], axis=1).shape.as_list() == [5, 3]
        assert tf.repeat(tf.zeros([5, 3]), 2).shape.as_list() == [30]
    check_gradients(lambda d: tf.repeat(d * d, [1, 2, 0, 3, 1], axis=0), D, order=2)
    check_gradients(lambda d: tf.repeat(d, 2) * 2.0, D)


def test_repeat_bad_input_as_tf():
    with pytest.raises(ValueError, match="repeats"):
        tf.repeat([1, 2], [1, 2, 3])
    with pytest.raises(TypeError, match="repeats"):
        tf.repeat([1, 2], [1.5, 2.0])
    with pytest.raises(ValueError, match="axis=2"):
        tf.repeat([1, 2], 1, axis=2)
    with pytest.raises(tf.errors.InvalidArgumentError, match="repeats"):
        in_session(lambda d, r: tf.repeat(d, r, axis=0), D, np.array([1, 2], np.int32))


# -- sequence_mask --------------------------------------------------------------------------

def test_sequence_mask_as_numpy():
    lengths = np.array([[1, 3], [2, 0]])
    expected = np.arange(3) < lengths[..., None]
    np.testing.assert_array_equal(tf.sequence_mask(lengths).numpy(), expected)
    np.testing.assert_array_equal(in_session(tf.sequence_mask, lengths), expected)
    five = tf.sequence_mask([1, 3, 2], 5, dtype=tf.float32)
    assert five.dtype == tf.float32
    np.testing.assert_array_equal(five.numpy(), np.arange(5) < np.array([[1], [3], [2]]))
    with pytest.raises(ValueError, match="maxlen"):
        tf.sequence_mask([1, 2], [3])


# -- tensor_scatter_nd_* ------------------------------------------------------------------

def test_tensor_scatter_nd_as_numpy():
    idx = np.array([[1], [3], [1]])
    upd = R.standard_normal((3, 3))
    add = D.copy()
    np.add.at(add, idx[:, 0], upd)
    np.testing.assert_allclose(tf.tensor_scatter_nd_add(D, idx, upd).numpy(), add)
    np.testing.assert_allclose(tf.tensor_scatter_nd_sub(D, idx, upd).numpy(), 2 * D - add)
    new = D.copy()
    new[[1, 4]] = upd[:2]
    got = tf.tensor_scatter_nd_update(D, [[1], [4]], upd[:2])
    np.testing.assert_array_equal(got.numpy(), new)
    # an element index into a matrix
    t = np.zeros((2, 3))
    t[1, 2] = 7.0
    np.testing.assert_array_equal(tf.tensor_scatter_nd_update(np.zeros((2, 3)), [[1, 2]],
                                                              [7.0]).numpy(), t)
    check_gradients(lambda d, u: tf.tensor_scatter_nd_update(d * d, [[1], [4]], u * u),
                    D, upd[:2], order=2)
    check_gradients(lambda d, u: tf.tensor_scatter_nd_sub(d, idx, u * u), D, upd, order=2)
    with pytest.raises(tf.errors.InvalidArgumentError, match="indices"):
        tf.tensor_scatter_nd_add([1.0, 2.0], [[5]], [9.0])


@pytest.mark.parametrize("how,ufunc", [("max", np.maximum), ("min", np.minimum)])
def test_tensor_scatter_nd_max_min_as_numpy(how, ufunc):
    fn = getattr(tf, "tensor_scatter_nd_" + how)
    idx = np.array([[1], [3], [1]])           # a repeated index: the max/min of all
    upd = R.standard_normal((3, 3))
    want = D.copy()
    ufunc.at(want, idx[:, 0], upd)
    np.testing.assert_array_equal(fn(D, idx, upd).numpy(), want)
    got = in_session(lambda d, u: fn(d, idx, u), D, upd)
    np.testing.assert_array_equal(got, want)
    with pytest.raises(tf.errors.InvalidArgumentError, match="indices"):
        fn([1.0, 2.0], [[5]], [9.0])


def test_tensor_scatter_nd_max_gradient_splits_ties_as_tf():
    x, u = tf.constant([1.0, 5.0, 3.0, 4.0]), tf.constant([5.0, 7.0, 5.0])
    with tf.GradientTape(persistent=True) as tape:
        tape.watch([x, u])
        y = tf.tensor_scatter_nd_max(x, [[1], [0], [1]], u)
    # TF 2.21's: entry 1 ties three ways (x[1], u[0], u[2])
    np.testing.assert_allclose(tape.gradient(y, x).numpy(), [0.0, 1 / 3, 1.0, 1.0])
    np.testing.assert_allclose(tape.gradient(y, u).numpy(), [1 / 3, 1.0, 1 / 3])


# -- segment reductions ---------------------------------------------------------------------

def np_segments(data, ids, n, reduce, empty):
    out = np.full((n,) + data.shape[1:], empty, data.dtype)
    for i in range(n):
        rows = data[np.asarray(ids) == i]
        if len(rows):
            out[i] = reduce(rows, axis=0)
    return out


UNSORTED = [("max", np.max, np.finfo(np.float64).min), ("min", np.min, np.finfo(np.float64).max),
            ("prod", np.prod, 1.0), ("mean", np.mean, 0.0)]


@pytest.mark.parametrize("how,reduce,empty", UNSORTED)
def test_unsorted_segment_reductions_as_numpy(how, reduce, empty):
    ids = [2, -1, 2, 0, 2]         # a negative id drops its row; segments 1 and 3 are empty
    fn = getattr(tf.math, "unsorted_segment_" + how)
    np.testing.assert_allclose(fn(D, ids, 4).numpy(), np_segments(D, ids, 4, reduce, empty))
    got = in_session(lambda d, i: fn(d, i, 4), D, np.array(ids, np.int32))
    np.testing.assert_allclose(got, np_segments(D, ids, 4, reduce, empty))


def test_unsorted_segment_empty_integer_segments_hold_the_dtype_limits():
    out = tf.math.unsorted_segment_max(tf.constant([1, 2, 3]), [2, -1, 2], 4).numpy()
    assert out.tolist() == [-2**31, -2**31, 3, -2**31]
    out = tf.math.unsorted_segment_min(tf.constant([1, 2, 3]), [2, -1, 2], 4).numpy()
    assert out.tolist() == [2**31 - 1, 2**31 - 1, 1, 2**31 - 1]


@pytest.mark.parametrize("how,reduce,empty", [("sum", np.sum, 0.0), ("mean", np.mean, 0.0),
                                               ("max", np.max, 0.0), ("min", np.min, 0.0),
                                               ("prod", np.prod, 1.0)])
def test_sorted_segment_reductions_as_numpy(how, reduce, empty):
    ids = [0, 0, 2, 2, 3]          # segment 1 is empty: TF leaves it 0 (1 for prod)
    fn = getattr(tf.math, "segment_" + how)
    assert getattr(tf.compat.v1, "segment_" + how) is fn
    np.testing.assert_allclose(fn(D, ids).numpy(), np_segments(D, ids, 4, reduce, empty))
    got = in_session(fn, D, np.array(ids, np.int32))
    np.testing.assert_allclose(got, np_segments(D, ids, 4, reduce, empty))
    check_gradients(lambda d: fn(d * d, ids), D, order=2)


def test_segment_ids_must_be_sorted_as_tf():
    with pytest.raises(tf.errors.InvalidArgumentError, match="not increasing"):
        tf.math.segment_sum(D[:3], [1, 0, 2])
    with pytest.raises(tf.errors.InvalidArgumentError, match="not increasing"):
        in_session(tf.math.segment_max, D[:3], np.array([1, 0, 2], np.int32))
    with pytest.raises(TypeError, match="segment_ids"):
        tf.math.segment_sum(D[:3], [0.0, 1.0, 1.0])


def test_segment_gradients_split_ties_as_tf():
    d = tf.constant([2.0, 2.0, 1.0])
    with tf.GradientTape() as tape:
        tape.watch(d)
        y = tf.math.unsorted_segment_max(d, [0, 0, 0], 1)
    np.testing.assert_array_equal(tape.gradient(y, d).numpy(), [0.5, 0.5, 0.0])
    d = tf.constant([2.0, 0.0, 3.0, 0.0, 5.0])     # one zero: the others' product; two: 0
    with tf.GradientTape() as tape:
        tape.watch(d)
        y = tf.math.unsorted_segment_prod(d, [1, 1, 0, 2, 2], 3)
    np.testing.assert_array_equal(tape.gradient(y, d).numpy(), [0.0, 2.0, 1.0, 5.0, 0.0])
    check_gradients(lambda d: tf.math.unsorted_segment_mean(d * d, [1, -1, 1, 0, 0], 3),
                    D, order=2)


# -- reduce_variance / reduce_std / reduce_euclidean_norm -------------------------------

@pytest.mark.parametrize("axis,keepdims", [(None, False), (1, False), (0, True), ([0, 1], True)])
def test_moments_as_numpy(axis, keepdims):
    ax = tuple(axis) if isinstance(axis, list) else axis
    var = np.var(D, axis=ax, keepdims=keepdims)
    np.testing.assert_allclose(tf.math.reduce_variance(D, axis, keepdims).numpy(), var)
    np.testing.assert_allclose(tf.math.reduce_std(D, axis, keepdims).numpy(), np.sqrt(var))
    norm = np.sqrt(np.sum(D * D, axis=ax, keepdims=keepdims))
    np.testing.assert_allclose(tf.math.reduce_euclidean_norm(D, axis, keepdims).numpy(), norm)
    check_gradients(lambda d: tf.math.reduce_std(d, axis, keepdims), D, order=2)
    check_gradients(lambda d: tf.math.reduce_euclidean_norm(d, axis, keepdims), D, order=2)


def test_moments_dtypes_as_tf():
    z = np.array([1 + 1j, 2 - 1j])
    got = tf.math.reduce_variance(z)
    assert got.dtype == tf.float64
    np.testing.assert_allclose(got.numpy(), np.var(z))
    norm = tf.math.reduce_euclidean_norm(z)
    assert norm.dtype == tf.complex128
    np.testing.assert_allclose(norm.numpy(), np.sqrt(7.0))
    five = tf.math.reduce_euclidean_norm(tf.constant([3, 4]))
    assert five.dtype == tf.int32 and five.numpy() == 5
    with pytest.raises(TypeError, match="reduce_std"):
        tf.math.reduce_std(tf.constant([1, 2]))


# -- histogram_fixed_width --------------------------------------------------------------

def np_histogram(values, lo, hi, nbins):
    """TF's bins: floor((v - lo) / step), values below lo in bin 0, from hi up in the last"""
    idx = np.clip(np.floor((np.asarray(values, np.float64) - lo) / ((hi - lo) / nbins)),
                  0, nbins - 1).astype(int)
    return np.bincount(idx.reshape(-1), minlength=nbins)


def test_histogram_fixed_width_as_tf():
    values = [-1.0, 0.0, 1.5, 2.0, 5.0, 15.0]
    got = tf.histogram_fixed_width(values, [0.0, 5.0], nbins=5)
    assert got.dtype == tf.int32
    np.testing.assert_array_equal(got.numpy(), [2, 1, 1, 0, 2])     # TF 2.21's counts
    x = R.uniform(-2, 12, (4, 25))
    np.testing.assert_array_equal(tf.histogram_fixed_width(x, [0.0, 10.0]).numpy(),
                                  np_histogram(x, 0.0, 10.0, 100))
    ints = tf.histogram_fixed_width(tf.constant([1, 2, 3, 9]), [0, 10], nbins=3,
                                    dtype=tf.int64)
    assert ints.dtype == tf.int64 and ints.numpy().tolist() == [3, 0, 1]
    got = in_session(lambda v: tf.histogram_fixed_width(v, [0.0, 10.0], nbins=7), x)
    np.testing.assert_array_equal(got, np_histogram(x, 0.0, 10.0, 7))
    with tf.Graph().as_default():
        assert tf.histogram_fixed_width(x, [0.0, 10.0], nbins=7).shape.as_list() == [7]


@pytest.mark.parametrize("kwargs,match", [({"value_range": [5.0, 0.0]}, "value_range"),
                                          ({"value_range": [0.0, 5.0, 3.0]}, "value_range"),
                                          ({"nbins": 0}, "nbins"), ({"nbins": -1}, "nbins")])
def test_histogram_fixed_width_bad_input_as_tf(kwargs, match):
    kwargs = {"value_range": [0.0, 5.0], **kwargs}
    with pytest.raises(tf.errors.InvalidArgumentError, match=match):
        tf.histogram_fixed_width([1.0, 2.0], **kwargs)
    with pytest.raises(TypeError, match="dtype"):
        tf.histogram_fixed_width([1.0, 2.0], [0.0, 5.0], dtype=tf.float32)
