"""Eager fast paths for variables (reads inside public ops and matmul, optimizer updates) and
the reduction kernels on ufunc.reduce: the same values, gradients, watches and errors as the
general paths."""
import warnings

import numpy as np
import pytest

import janusgrad as tf
from janusgrad.ops import math as jmath


def _reads(tape):
    return [r for r in tape.records_since() if r.type == "ReadVariableOp"]


@pytest.mark.parametrize("expr", [
    lambda v, x: x + v, lambda v, x: v + x, lambda v, x: v * 2.0, lambda v, x: 0.5 * v,
    lambda v, x: tf.multiply(x, v), lambda v, x: tf.sin(v), lambda v, x: tf.matmul(x, v),
])
def test_a_variable_operand_is_read_once_and_watched(expr):
    v = tf.Variable(np.arange(1.0, 5.0, dtype=np.float32).reshape(2, 2))
    x = tf.constant(np.array([[0.5, -1.0], [2.0, 3.0]], np.float32))
    with tf.GradientTape() as tape:
        y = tf.reduce_sum(expr(v, x))
    assert len(_reads(tape)) == 1            # one read: the fast path does not read it again
    assert tape.watched_variables() == (v,)
    g = tape.gradient(y, v)
    # the same gradient through the general path (the variable read by hand first)
    with tf.GradientTape() as tape2:
        tape2.watch(v)
        y2 = tf.reduce_sum(expr(v.value(), x))
    np.testing.assert_allclose(g.numpy(), tape2.gradient(y2, v).numpy(), rtol=1e-6)
    np.testing.assert_allclose(y.numpy(), y2.numpy(), rtol=1e-6)


def test_a_variable_of_another_dtype_is_read_once_and_refused():
    v = tf.Variable(np.ones(3, np.float64))
    x = tf.constant(np.ones(3, np.float32))
    with tf.GradientTape() as tape:
        with pytest.raises(tf.errors.InvalidArgumentError, match="AddV2"):
            x + v
    assert len(_reads(tape)) == 1


def test_custom_gradient_sees_a_variable_read_by_an_op():
    v = tf.Variable([1.0, 2.0])

    @tf.custom_gradient
    def f(x):
        def grad(dy, variables=None):
            return dy * 3.0, [dy * 5.0]
        return x * v, grad

    x = tf.constant([1.0, 1.0])
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = tf.reduce_sum(f(x))
    gx, gv = tape.gradient(y, [x, v])
    assert gx.numpy().tolist() == [3.0, 3.0]
    assert gv.numpy().tolist() == [5.0, 5.0]


def test_a_variable_watched_after_an_op_used_it_counts_from_the_watch_on():
    v = tf.Variable([1.0, 2.0])
    x = tf.constant([3.0, 4.0])
    with tf.GradientTape(watch_accessed_variables=False) as tape:
        tape.watch(x)
        y = x * v.value()               # v not watched yet: y is a constant in v (as TF)
        tape.watch(v)                   # a late watch: the sweep must prune again
        z = tf.reduce_sum(y * v)
    gv, gx = tape.gradient(z, [v, x])
    np.testing.assert_allclose(gv.numpy(), [3.0 * 1.0, 4.0 * 2.0])
    np.testing.assert_allclose(gx.numpy(), [1.0 * 1.0, 2.0 * 2.0])


def test_unwatched_reads_are_not_recorded():
    v = tf.Variable([1.0, 2.0], trainable=False)
    with tf.GradientTape() as tape:
        y = v * 2.0
    assert _reads(tape) == [] and tape.watched_variables() == ()
    assert tape.gradient(y, v) is None


def test_assign_sub_fast_path_updates_in_place_or_keeps_old_reads():
    v = tf.Variable(np.array([1.0, 2.0, 3.0], np.float32))
    before = v.value()                      # a read shares the array: no in-place write now
    v.assign_sub(tf.constant(np.array([0.5, 0.5, 0.5], np.float32)))
    assert before.numpy().tolist() == [1.0, 2.0, 3.0]
    assert v.numpy().tolist() == [0.5, 1.5, 2.5]
    del before
    address = v._resource.value.ctypes.data
    v.assign_add(tf.constant(np.array([1.0, 1.0, 1.0], np.float32)))
    assert v._resource.value.ctypes.data == address     # nobody else held it: in place
    assert v.numpy().tolist() == [1.5, 2.5, 3.5]


def test_assign_with_a_bad_value_leaves_the_variable_unchanged():
    v = tf.Variable(np.array([1.0, 2.0], np.float32))
    with pytest.raises(ValueError, match="AssignSubVariableOp.*shape"):
        v.assign_sub(tf.constant(np.ones(3, np.float32)))
    with pytest.raises(ValueError, match="requested dtype float32 for Tensor with dtype float64"):
        v.assign_add(tf.constant(np.ones(2, np.float64)))
    assert v.numpy().tolist() == [1.0, 2.0]
    v.assign(tf.constant(np.array([7.0, 8.0], np.float32)))
    assert v.numpy().tolist() == [7.0, 8.0]


def test_an_sgd_step_inside_and_outside_tf_function_agree():
    rng = np.random.default_rng(0)
    w0 = rng.standard_normal((3, 2)).astype(np.float32)
    x = tf.constant(rng.standard_normal((4, 3)).astype(np.float32))

    def make():
        w = tf.Variable(w0)

        def step():
            with tf.GradientTape() as tape:
                loss = tf.reduce_mean(tf.square(tf.matmul(x, w)))
            w.assign_sub(0.1 * tape.gradient(loss, w))
            return loss
        return w, step

    w1, eager = make()
    w2, traced = make()
    traced = tf.function(traced)
    for _ in range(3):
        np.testing.assert_allclose(eager().numpy(), traced().numpy(), rtol=1e-6)
    np.testing.assert_allclose(w1.numpy(), w2.numpy(), rtol=1e-6)


# -- reductions on ufunc.reduce -----------------------------------------------------------------

@pytest.mark.parametrize("dtype", [np.float16, np.float32, np.float64, np.int8, np.int32])
@pytest.mark.parametrize("axis", [None, 0, 1, (0, 1)])
def test_sum_prod_max_min_match_numpy(dtype, axis):
    a = (np.arange(12).reshape(3, 4) % 7 - 3).astype(dtype)
    for fn, ref in [(tf.reduce_sum, np.sum), (tf.reduce_prod, np.prod), (tf.reduce_max, np.max),
                    (tf.reduce_min, np.min)]:
        got = fn(tf.constant(a), axis=axis, keepdims=True).numpy()
        want = np.asarray(ref(a, axis=axis, keepdims=True), dtype=dtype)
        assert got.dtype == dtype and got.shape == want.shape
        np.testing.assert_array_equal(got, want)


def test_integer_sum_wraps_as_the_input_dtype():
    a = np.array([100, 100, 100], np.int8)          # 300 wraps to 44 in int8, as TF
    assert tf.reduce_sum(tf.constant(a)).numpy() == np.int8(44)


def test_any_all_and_empty_reductions():
    b = np.array([[True, False], [False, False]])
    assert tf.reduce_any(tf.constant(b), axis=1).numpy().tolist() == [True, False]
    assert tf.reduce_all(tf.constant(b), axis=0).numpy().tolist() == [False, False]
    empty = tf.constant(np.zeros((0, 3), np.float32))
    assert tf.reduce_sum(empty, axis=0).numpy().tolist() == [0.0, 0.0, 0.0]
    assert tf.reduce_all(tf.constant(np.zeros((0,), bool))).numpy()
    assert not tf.reduce_any(tf.constant(np.zeros((0,), bool))).numpy()


@pytest.mark.parametrize("keepdims", [False, True])
def test_sum_and_mean_gradients_broadcast_back(keepdims):
    x = tf.constant(np.arange(6.0, dtype=np.float32).reshape(2, 3))
    with tf.GradientTape(persistent=True) as tape:
        tape.watch(x)
        s = tf.reduce_sum(x, axis=1, keepdims=keepdims) * tf.constant([[2.0], [3.0]] if keepdims
                                                                      else [2.0, 3.0])
        m = tf.reduce_mean(x)
    np.testing.assert_array_equal(tape.gradient(s, x).numpy(), [[2.0] * 3, [3.0] * 3])
    gm = tape.gradient(m, x).numpy()
    assert gm.dtype == np.float32 and gm.shape == (2, 3)
    np.testing.assert_allclose(gm, np.full((2, 3), 1 / 6, np.float32))


def test_unbroadcast_sums_the_broadcast_axes():
    dx = tf.constant(np.arange(24.0, dtype=np.float32).reshape(2, 3, 4))
    like = tf.constant(np.zeros((3, 1), np.float32))
    got = jmath.unbroadcast(dx, like).numpy()
    np.testing.assert_array_equal(got, dx.numpy().sum(axis=(0, 2)).reshape(3, 1))


# -- operands of binary ops called eagerly -------------------------------------------------------

def test_python_numbers_take_the_tensor_dtype_or_are_refused_as_tf_does():
    i = tf.constant(np.array([1, 2], np.int32))
    assert (i + 3).dtype == tf.int32 and (3 - i).numpy().tolist() == [2, 1]
    with pytest.raises(TypeError):
        i * 0.5                                     # a float into int32: refused, as TF
    u = tf.constant(np.array([1, 2], np.uint8))
    with warnings.catch_warnings():
        warnings.simplefilter("error")              # (NumPy 1.x would wrap them, and warn)
        for n in (300, -1):
            with pytest.raises((TypeError, ValueError)):
                u + n                               # out of uint8's range
    f = tf.constant(np.array([1.0, 2.0], np.float64))
    assert (0.5 * f).dtype == tf.float64


def test_variables_on_both_sides_and_with_numbers():
    v = tf.Variable([1.0, 2.0])
    with tf.GradientTape() as tape:
        y = tf.reduce_sum(v * v + 2.0 * v - v / 4.0)
    assert len(_reads(tape)) == 4                   # one read per use, as TF
    np.testing.assert_allclose(tape.gradient(y, v).numpy(), [2.0 + 2.0 - 0.25, 4.0 + 1.75])
    with pytest.raises(tf.errors.InvalidArgumentError, match="Mul"):
        v * tf.constant(np.array([1.0, 2.0], np.float64))


@pytest.mark.parametrize("dtype", [np.float16, np.float32, np.float64])
@pytest.mark.parametrize("dx_shape,like_shape", [
    ((32, 8, 8, 16), (16,)), ((128, 10), (10,)), ((128, 10), (1, 10)), ((5, 3), ()),
    ((5, 3), (1, 1)), ((2, 3, 4), (3, 1)), ((4, 1, 3), (1, 3)), ((0, 3), (3,)),
])
def test_unbroadcast_of_leading_axes_matches_a_float64_sum(dtype, dx_shape, like_shape):
    """The bias case (leading axes summed) is one BLAS product for float32/64: the same sums
    as add.reduce within rounding, in the input's dtype and the target's shape."""
    dx = np.random.default_rng(1).standard_normal(dx_shape).astype(dtype)
    got = jmath.unbroadcast(tf.constant(dx), tf.constant(np.zeros(like_shape, dtype))).numpy()
    extra = dx.ndim - len(like_shape)
    axes = tuple(range(extra)) + tuple(i + extra for i, d in enumerate(like_shape)
                                       if d == 1 and dx_shape[i + extra] != 1)
    want = dx.astype(np.float64).sum(axis=axes, keepdims=True).reshape(like_shape)
    assert got.dtype == dtype and got.shape == like_shape
    np.testing.assert_allclose(got, want, rtol=1e-2 if dtype == np.float16 else 1e-5,
                               atol=1e-1 if dtype == np.float16 else 1e-4)


def test_unbroadcast_propagates_nan_and_inf_and_reads_strided_input():
    dx = np.ones((6, 4), np.float32)
    dx[2, 1], dx[3, 2], dx[4, 2], dx[0, 3] = np.nan, np.inf, -np.inf, np.inf
    got = jmath.unbroadcast(tf.constant(dx), tf.constant(np.zeros(4, np.float32))).numpy()
    assert np.isnan(got[1]) and np.isnan(got[2]) and got[3] == np.inf and got[0] == 6.0
    strided = np.arange(48, dtype=np.float32).reshape(6, 8)[:, ::2]     # not contiguous
    got = jmath.unbroadcast(tf.constant(strided), tf.constant(np.zeros(4, np.float32))).numpy()
    np.testing.assert_array_equal(got, strided.sum(axis=0))


# -- eager entries of the loss functions ---------------------------------------------------------

@pytest.mark.parametrize("keepdims", [False, True])
def test_reductions_over_all_axes(keepdims):
    a = np.arange(6.0, dtype=np.float32).reshape(2, 3)
    for fn, ref in [(tf.reduce_sum, np.sum), (tf.reduce_mean, np.mean), (tf.reduce_max, np.max)]:
        got = fn(tf.constant(a), keepdims=keepdims).numpy()
        assert got.dtype == np.float32 and got.shape == (() if not keepdims else (1, 1))
        np.testing.assert_allclose(got, ref(a, keepdims=keepdims))
    with pytest.raises(TypeError, match="Any"):
        tf.reduce_any(tf.constant(a))                       # the dtype check still runs
    assert tf.reduce_any(tf.constant(np.array([False, True]))).numpy()


@pytest.mark.parametrize("axis", [-1, 0, 1])
def test_softmax_cross_entropy_eager_entry_matches_the_general_path(axis):
    rng = np.random.default_rng(3)
    logits = tf.constant(rng.standard_normal((4, 5)).astype(np.float32))
    labels = tf.constant(rng.dirichlet(np.ones(5), 4).astype(np.float32))
    with tf.GradientTape() as tape:
        tape.watch([logits, labels])
        fast = tf.nn.softmax_cross_entropy_with_logits(labels=labels, logits=logits, axis=axis)
    g_fast = tape.gradient(fast, [logits, labels])
    with tf.GradientTape() as tape:
        tape.watch([logits, labels])
        # labels as a list: the general path (conversion, cast, checks)
        slow = tf.nn.softmax_cross_entropy_with_logits(labels=labels.numpy().tolist(),
                                                        logits=logits, axis=axis)
    np.testing.assert_allclose(fast.numpy(), slow.numpy(), rtol=1e-6)
    g_slow = tape.gradient(slow, [logits])[0]
    np.testing.assert_allclose(g_fast[0].numpy(), g_slow.numpy(), rtol=1e-6)
    assert g_fast[1] is not None and g_fast[1].shape == labels.shape


def test_softmax_cross_entropy_bad_arguments_still_raise():
    logits = tf.constant(np.zeros((2, 3), np.float32))
    with pytest.raises(tf.errors.InvalidArgumentError):
        tf.nn.softmax_cross_entropy_with_logits(labels=tf.constant(np.zeros((2, 4), np.float32)),
                                                logits=logits)
    with pytest.raises(tf.errors.InvalidArgumentError):
        tf.nn.softmax_cross_entropy_with_logits(labels=logits, logits=logits, axis=2)
    with pytest.raises(TypeError):
        tf.nn.softmax_cross_entropy_with_logits(labels=tf.constant([1, 2]),
                                                logits=tf.constant([1, 2]))
    mixed = tf.nn.softmax_cross_entropy_with_logits(          # labels cast to logits' dtype
        labels=tf.constant(np.array([[0.0, 1.0, 0.0]], np.float64)), logits=logits[:1])
    assert mixed.dtype == tf.float32


@pytest.mark.parametrize("shape, axis, keepdims", [
    ((40, 30), None, False), ((40, 30), 1, True), ((4, 5, 6), [0, 2], False), ((3,), 0, False),
])
def test_mean_gradient_eager_equals_graph(shape, axis, keepdims):
    # (40, 30) float32 is over the size a record keeps: the sweep sees stand-ins for x and y
    xv = np.random.default_rng(0).standard_normal(shape).astype(np.float32)
    x = tf.constant(xv)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = tf.reduce_mean(x, axis=axis, keepdims=keepdims)
        loss = tf.reduce_sum(y * y)
    eager = tape.gradient(loss, x).numpy()
    g = tf.Graph()
    with g.as_default():
        xg = tf.constant(xv)
        yg = tf.reduce_mean(xg, axis=axis, keepdims=keepdims)
        grad = tf.gradients(tf.reduce_sum(yg * yg), xg)[0]
    with tf.compat.v1.Session(graph=g) as sess:
        want = sess.run(grad)
    np.testing.assert_allclose(eager, want, rtol=1e-6)
    ax = tuple(axis) if isinstance(axis, list) else axis
    n = xv.size / np.mean(xv, axis=ax).size
    ref = 2 * np.mean(xv, axis=ax, keepdims=True) / n
    np.testing.assert_allclose(eager, np.broadcast_to(ref, shape), rtol=1e-5)


def test_ones_and_zeros_like_kernels_keep_shape_and_dtype():
    for v in (np.float32(2.5), np.ones((3, 0), np.int64), np.arange(6.0).reshape(2, 3).T,
              np.array([True, False])):
        for fn, want in ((tf.ones_like, np.ones_like(v)), (tf.zeros_like, np.zeros_like(v))):
            got = fn(tf.constant(v)).numpy()
            assert got.dtype == want.dtype and got.shape == want.shape
            np.testing.assert_array_equal(got, want)
