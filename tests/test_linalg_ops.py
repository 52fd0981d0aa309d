"""tf.linalg: forward values against NumPy/SciPy, dtypes, static shapes in graphs, TF's errors,
and gradients of composite expressions."""
import numpy as np
import pytest

import janusgrad as tf
from janusgrad.check import check_gradients
from janusgrad.framework.errors import InvalidArgumentError

SIZES = [(1, 1), (3, 3), (2, 4, 4), (2, 3, 5, 5)]
DTYPES = [np.float32, np.float64]


def _tol(dtype):
    return dict(rtol=2e-4, atol=2e-4) if dtype == np.float32 else dict(rtol=1e-10, atol=1e-10)


def _invertible(rng, shape, dtype):
    n = shape[-1]
    return (np.eye(n) * 3.0 + rng.standard_normal(shape)).astype(dtype)


def _spd(rng, shape, dtype):
    x = rng.standard_normal(shape)
    return (x @ np.swapaxes(x, -1, -2) + shape[-1] * np.eye(shape[-1])).astype(dtype)


def _graph_run(fn, *arrays, shapes=None):
    """fn built on placeholders (of `shapes`, default the arrays' shapes) in a fresh graph."""
    g = tf.Graph()
    with g.as_default():
        phs = [tf.compat.v1.placeholder(tf.as_dtype(a.dtype), s)
               for a, s in zip(arrays, shapes or [a.shape for a in arrays])]
        out = fn(*phs)
        with tf.compat.v1.Session(graph=g) as sess:
            return out, sess.run(out, dict(zip(phs, arrays)))


# -- forward values --------------------------------------------------------------------------

@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("shape", SIZES)
def test_inv_det_slogdet_match_numpy(rng, shape, dtype):
    a = _invertible(rng, shape, dtype)
    a[..., 0, :] *= -1.0                     # some negative determinants
    inv = tf.linalg.inv(a)
    det = tf.linalg.det(a)
    sign, logabs = tf.linalg.slogdet(a)
    assert inv.dtype == det.dtype == sign.dtype == logabs.dtype == tf.as_dtype(dtype)
    assert inv.shape == shape and det.shape == shape[:-2]
    np.testing.assert_allclose(inv.numpy(), np.linalg.inv(a), **_tol(dtype))
    np.testing.assert_allclose(det.numpy(), np.linalg.det(a), **_tol(dtype))
    ref_sign, ref_log = np.linalg.slogdet(a)
    np.testing.assert_array_equal(sign.numpy(), ref_sign)
    np.testing.assert_allclose(logabs.numpy(), ref_log, **_tol(dtype))


def test_inv_adjoint_inverts_the_transpose(rng):
    a = _invertible(rng, (2, 3, 3), np.float64)
    np.testing.assert_allclose(tf.linalg.inv(a, adjoint=True).numpy(),
                               np.linalg.inv(np.swapaxes(a, -1, -2)), rtol=1e-12)


def test_half_precision_is_computed_in_float32_and_returned_as_half(rng):
    a = _invertible(rng, (3, 3), np.float16)
    out = tf.linalg.inv(a)
    assert out.dtype == tf.float16
    np.testing.assert_allclose(out.numpy(), np.linalg.inv(a.astype(np.float32)), rtol=1e-2,
                               atol=1e-2)


def test_slogdet_of_huge_determinant_does_not_overflow():
    a = np.eye(60, dtype=np.float32) * 10.0       # det = 1e60, beyond float32
    sign, logabs = tf.linalg.slogdet(a)
    assert np.isinf(tf.linalg.det(a).numpy())
    assert sign.numpy() == 1.0
    np.testing.assert_allclose(logabs.numpy(), 60 * np.log(10.0), rtol=1e-6)


def test_det_of_singular_matrix_is_zero_and_slogdet_minus_inf():
    a = np.array([[1.0, 2.0], [2.0, 4.0]], np.float32)
    assert tf.linalg.det(a).numpy() == 0.0
    sign, logabs = tf.linalg.slogdet(a)
    assert sign.numpy() == 0.0 and logabs.numpy() == -np.inf


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("shape", SIZES)
def test_cholesky_matches_numpy_and_reads_only_the_lower_triangle(rng, shape, dtype):
    a = _spd(rng, shape, dtype)
    junk = a + np.triu(rng.standard_normal(shape), 1).astype(dtype) * 100.0
    low = tf.linalg.cholesky(junk)
    assert low.dtype == tf.as_dtype(dtype)
    np.testing.assert_allclose(low.numpy(), np.linalg.cholesky(a), **_tol(dtype))
    np.testing.assert_array_equal(np.triu(low.numpy(), 1), 0.0)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("adjoint", [False, True])
def test_solve_matches_numpy(rng, dtype, adjoint):
    for shape, k in [((3, 3), 1), ((2, 4, 4), 3), ((1, 1), 2)]:
        a = _invertible(rng, shape, dtype)
        b = rng.standard_normal(shape[:-1] + (k,)).astype(dtype)
        x = tf.linalg.solve(a, b, adjoint=adjoint)
        ref = np.linalg.solve(np.swapaxes(a, -1, -2) if adjoint else a, b)
        assert x.dtype == tf.as_dtype(dtype) and x.shape == b.shape
        np.testing.assert_allclose(x.numpy(), ref, **_tol(dtype))


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("lower", [True, False])
@pytest.mark.parametrize("adjoint", [False, True])
def test_triangular_solve_matches_scipy_and_ignores_the_other_triangle(rng, dtype, lower,
                                                                       adjoint):
    from scipy.linalg import solve_triangular
    a = _invertible(rng, (2, 4, 4), dtype)
    b = rng.standard_normal((2, 4, 3)).astype(dtype)
    x = tf.linalg.triangular_solve(a, b, lower=lower, adjoint=adjoint)
    assert x.dtype == tf.as_dtype(dtype)
    for i in range(2):
        ref = solve_triangular(a[i], b[i], lower=lower, trans=1 if adjoint else 0)
        np.testing.assert_allclose(x.numpy()[i], ref, **_tol(dtype))


def test_triangular_solve_broadcasts_batch_dimensions(rng):
    a = np.tril(_invertible(rng, (3, 1, 3, 3), np.float64))
    b = rng.standard_normal((2, 3, 2))
    x = tf.linalg.triangular_solve(a, b)
    assert x.shape == (3, 2, 3, 2)
    # (b[None]: NumPy 1.x's solve takes a b of one rank less than a for a stack of vectors)
    np.testing.assert_allclose(x.numpy(), np.linalg.solve(a, b[None]), rtol=1e-10)


def test_triangular_solve_with_zero_pivot_gives_inf_like_tf():
    a = np.array([[1.0, 0.0], [1.0, 0.0]], np.float32)
    x = tf.linalg.triangular_solve(a, np.ones((2, 1), np.float32))
    assert not np.all(np.isfinite(x.numpy()))


def test_cholesky_solve_and_logdet(rng):
    a = _spd(rng, (2, 4, 4), np.float64)
    b = rng.standard_normal((2, 4, 2))
    chol = tf.linalg.cholesky(a)
    np.testing.assert_allclose(tf.linalg.cholesky_solve(chol, b).numpy(), np.linalg.solve(a, b),
                               rtol=1e-10)
    np.testing.assert_allclose(tf.linalg.logdet(a).numpy(), np.linalg.slogdet(a)[1], rtol=1e-12)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("shape", [(3, 3), (2, 4, 4), (1, 1)])
def test_eigh_matches_numpy(rng, shape, dtype):
    a = _spd(rng, shape, dtype)
    junk = a + np.triu(rng.standard_normal(shape), 1).astype(dtype)   # only tril is read
    e, v = tf.linalg.eigh(junk)
    assert e.dtype == v.dtype == tf.as_dtype(dtype)
    assert e.shape == shape[:-1] and v.shape == shape
    np.testing.assert_allclose(e.numpy(), np.linalg.eigvalsh(a), **_tol(dtype))
    # a v = v diag(e), v orthonormal
    vn = v.numpy()
    np.testing.assert_allclose(a @ vn, vn * e.numpy()[..., None, :], **_tol(dtype))
    np.testing.assert_allclose(np.swapaxes(vn, -1, -2) @ vn, np.broadcast_to(np.eye(shape[-1]),
                                                                            shape), **_tol(dtype))
    np.testing.assert_allclose(tf.linalg.eigvalsh(junk).numpy(), e.numpy(), **_tol(dtype))


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("shape", [(3, 3), (4, 2), (2, 5), (2, 3, 4, 2)])
def test_svd_returns_s_u_v_in_tf_order(rng, shape, dtype):
    a = rng.standard_normal(shape).astype(dtype)
    s, u, v = tf.linalg.svd(a)
    p = min(shape[-2:])
    assert s.dtype == u.dtype == v.dtype == tf.as_dtype(dtype)
    assert s.shape == shape[:-2] + (p,)
    assert u.shape == shape[:-1] + (p,) and v.shape == shape[:-2] + (shape[-1], p)
    np.testing.assert_allclose(s.numpy(), np.linalg.svd(a, compute_uv=False), **_tol(dtype))
    rebuilt = (u.numpy() * s.numpy()[..., None, :]) @ np.swapaxes(v.numpy(), -1, -2)
    np.testing.assert_allclose(rebuilt, a, **_tol(dtype))
    only_s = tf.linalg.svd(a, compute_uv=False)
    np.testing.assert_allclose(only_s.numpy(), s.numpy(), **_tol(dtype))


def test_svd_full_matrices_shapes_and_orthogonality(rng):
    a = rng.standard_normal((2, 5, 3))
    s, u, v = tf.linalg.svd(a, full_matrices=True)
    assert s.shape == (2, 3) and u.shape == (2, 5, 5) and v.shape == (2, 3, 3)
    np.testing.assert_allclose(np.swapaxes(u.numpy(), -1, -2) @ u.numpy(),
                               np.broadcast_to(np.eye(5), (2, 5, 5)), atol=1e-12)


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("shape", [(3, 3), (5, 3), (3, 5), (2, 4, 2)])
@pytest.mark.parametrize("full", [False, True])
def test_qr_matches_numpy(rng, shape, dtype, full):
    a = rng.standard_normal(shape).astype(dtype)
    q, r = tf.linalg.qr(a, full_matrices=full)
    m, n = shape[-2:]
    p = m if full else min(m, n)
    assert q.shape == shape[:-2] + (m, p) and r.shape == shape[:-2] + (p, n)
    assert q.dtype == r.dtype == tf.as_dtype(dtype)
    ref_q, ref_r = np.linalg.qr(a, mode="complete" if full else "reduced")
    np.testing.assert_allclose(q.numpy(), ref_q, **_tol(dtype))
    np.testing.assert_allclose(r.numpy(), ref_r, **_tol(dtype))
    np.testing.assert_allclose(q.numpy() @ r.numpy(), a, **_tol(dtype))


def test_trace_diag_and_band_part(rng):
    x = rng.standard_normal((2, 3, 4)).astype(np.float32)
    np.testing.assert_allclose(tf.linalg.trace(x).numpy(), np.trace(x, axis1=-2, axis2=-1),
                               rtol=1e-6)
    np.testing.assert_array_equal(tf.linalg.diag_part(x).numpy(),
                                  np.diagonal(x, axis1=-2, axis2=-1))
    d = rng.standard_normal((2, 3)).astype(np.float32)
    np.testing.assert_array_equal(tf.linalg.diag(d).numpy(), np.stack([np.diag(r) for r in d]))
    out = tf.linalg.set_diag(x, d).numpy()
    np.testing.assert_array_equal(np.diagonal(out, axis1=-2, axis2=-1), d)
    mask = ~np.eye(3, 4, dtype=bool)
    np.testing.assert_array_equal(out[:, mask], x[:, mask])
    np.testing.assert_array_equal(tf.linalg.band_part(x, 1, 0).numpy(),
                                  np.tril(x) - np.tril(x, -2))
    np.testing.assert_array_equal(tf.linalg.band_part(x, -1, 0).numpy(), np.tril(x))
    np.testing.assert_array_equal(tf.linalg.band_part(x, 0, -1).numpy(), np.triu(x))
    np.testing.assert_array_equal(tf.linalg.matrix_transpose(x).numpy(), np.swapaxes(x, -1, -2))
    np.testing.assert_array_equal(tf.linalg.adjoint(x).numpy(), np.swapaxes(x, -1, -2))


def test_matvec_and_reexports(rng):
    a = rng.standard_normal((2, 3, 4))
    b = rng.standard_normal((2, 4))
    np.testing.assert_allclose(tf.linalg.matvec(a, b).numpy(), np.einsum("bij,bj->bi", a, b))
    assert tf.linalg.matmul is tf.matmul
    assert tf.linalg.eye is tf.eye
    assert tf.norm is tf.linalg.norm


def test_empty_matrices():
    empty = np.zeros((0, 0), np.float32)
    assert tf.linalg.inv(empty).shape == (0, 0)
    assert tf.linalg.det(empty).numpy() == 1.0
    assert tf.linalg.cholesky(empty).shape == (0, 0)
    batch = np.zeros((0, 3, 3), np.float64)
    assert tf.linalg.inv(batch).shape == (0, 3, 3)
    assert tf.linalg.det(batch).shape == (0,)
    assert tf.linalg.solve(batch, np.zeros((0, 3, 2))).shape == (0, 3, 2)
    assert tf.linalg.triangular_solve(batch, np.zeros((0, 3, 2))).shape == (0, 3, 2)
    s, u, v = tf.linalg.svd(np.zeros((2, 0, 3)))
    assert s.shape == (2, 0) and u.shape == (2, 0, 0) and v.shape == (2, 3, 0)
    q, r = tf.linalg.qr(np.zeros((3, 0)))
    assert q.shape == (3, 0) and r.shape == (0, 0)
    assert tf.linalg.eigh(np.zeros((2, 0, 0)))[1].shape == (2, 0, 0)


# -- norms -----------------------------------------------------------------------------------

@pytest.mark.parametrize("order", ["euclidean", 1, 2, np.inf, 3, 0.5])
@pytest.mark.parametrize("axis", [None, 0, -1])
@pytest.mark.parametrize("keepdims", [False, True])
def test_vector_norms_match_numpy(rng, order, axis, keepdims):
    x = rng.standard_normal((3, 4)).astype(np.float32)
    out = tf.norm(x, ord=order, axis=axis, keepdims=keepdims)
    np_ord = 2 if order == "euclidean" else order
    flat = x.ravel() if axis is None else x
    ref = np.linalg.norm(flat, ord=np_ord, axis=0 if axis is None else axis)
    if keepdims:
        ref = np.reshape(ref, (1, 1)) if axis is None else np.expand_dims(ref, axis)
    assert out.dtype == tf.float32 and out.shape == np.shape(ref)
    np.testing.assert_allclose(out.numpy(), ref, rtol=1e-5)


@pytest.mark.parametrize("order,np_ord", [("euclidean", "fro"), ("fro", "fro"), (1, 1), (2, 2),
                                        (np.inf, np.inf)])
@pytest.mark.parametrize("axis", [(-2, -1), (2, 0)])
@pytest.mark.parametrize("keepdims", [False, True])
def test_matrix_norms_match_numpy(rng, order, np_ord, axis, keepdims):
    x = rng.standard_normal((2, 3, 4)).astype(np.float64)
    out = tf.linalg.norm(x, ord=order, axis=axis, keepdims=keepdims)
    ref = np.linalg.norm(x, ord=np_ord, axis=axis, keepdims=keepdims)
    assert out.shape == ref.shape
    np.testing.assert_allclose(out.numpy(), ref, rtol=1e-10)


@pytest.mark.parametrize("kwargs", [dict(ord="fro"), dict(ord=0), dict(ord=-1),
                                    dict(ord=3, axis=(0, 1)), dict(axis=(0, 1, 2)),
                                    dict(axis=(1, 1)), dict(axis=1.5)])
def test_norm_rejects_bad_ord_and_axis_with_value_error(kwargs):
    with pytest.raises(ValueError):
        tf.norm(np.ones((2, 3, 4), np.float32), **kwargs)


def test_norm_rejects_integers():
    with pytest.raises(TypeError, match="int32"):
        tf.norm([1, 2, 3])


@pytest.mark.filterwarnings("ignore::RuntimeWarning")
def test_norm_gradient_at_zero_is_nan_as_in_tf():
    x = tf.zeros([3])
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = tf.norm(x)
    assert y.numpy() == 0.0
    assert np.all(np.isnan(tape.gradient(y, x).numpy()))


# -- errors ----------------------------------------------------------------------------------

@pytest.mark.parametrize("fn,op_type", [(tf.linalg.inv, "MatrixInverse"),
                                        (tf.linalg.det, "MatrixDeterminant"),
                                        (lambda a: tf.linalg.slogdet(a)[1],
                                         "LogMatrixDeterminant"),
                                        (tf.linalg.cholesky, "Cholesky"),
                                        (tf.linalg.eigh, "SelfAdjointEigV2"),
                                        (tf.linalg.eigvalsh, "SelfAdjointEigV2")])
def test_non_square_input_is_an_error_naming_op_and_shape(fn, op_type):
    a = np.ones((2, 2, 3), np.float32)
    with pytest.raises(InvalidArgumentError, match=rf"{op_type}.*\[2, 2, 3\].*must be square"):
        fn(a)
    g = tf.Graph()
    with g.as_default():        # static shape known: a ValueError when the graph is built
        with pytest.raises(ValueError, match=rf"{op_type}.*\[2,2,3\]"):
            fn(tf.compat.v1.placeholder(tf.float32, [2, 2, 3]))
        with pytest.raises(ValueError, match=rf"rank 2 but is rank 1 for '{op_type}'"):
            fn(tf.compat.v1.placeholder(tf.float32, [3]))


def test_non_square_fed_into_unknown_shape_fails_at_run_time():
    g = tf.Graph()
    with g.as_default():
        x = tf.compat.v1.placeholder(tf.float32, [None, None])
        y = tf.linalg.inv(x)
        assert y.shape.as_list() == [None, None]
        with tf.compat.v1.Session(graph=g) as sess:
            with pytest.raises(InvalidArgumentError, match="MatrixInverse.*must be square"):
                sess.run(y, {x: np.ones((2, 3), np.float32)})


def test_singular_matrix_is_an_invalid_argument_error():
    a = np.array([[1.0, 2.0], [2.0, 4.0]], np.float32)
    with pytest.raises(InvalidArgumentError, match="MatrixInverse.*Input is not invertible."):
        tf.linalg.inv(a)
    with pytest.raises(ValueError, match="MatrixSolve.*Input matrix is not invertible."):
        tf.linalg.solve(a, np.ones((2, 1), np.float32))


def test_cholesky_of_non_positive_definite_is_an_invalid_argument_error():
    a = np.array([[1.0, 2.0], [2.0, 1.0]], np.float32)
    with pytest.raises(InvalidArgumentError, match="Cholesky decomposition was not successful"):
        tf.linalg.cholesky(a)


def test_integer_input_is_a_type_error():
    with pytest.raises(TypeError, match="MatrixInverse.*int32"):
        tf.linalg.inv([[1, 2], [3, 4]])


def test_solve_shape_and_dtype_errors():
    a = np.eye(3, dtype=np.float32)
    with pytest.raises(InvalidArgumentError, match="incompatible"):
        tf.linalg.solve(a, np.ones((2, 1), np.float32))
    with pytest.raises(InvalidArgumentError, match="outer dimensions"):
        tf.linalg.solve(np.stack([a, a]), np.ones((3, 3, 1), np.float32))
    with pytest.raises(TypeError, match="MatrixSolve"):
        tf.linalg.solve(a, np.ones((3, 1), np.float64))
    g = tf.Graph()
    with g.as_default():
        with pytest.raises(ValueError, match="MatrixSolve"):
            tf.linalg.solve(tf.compat.v1.placeholder(tf.float32, [3, 3]),
                            tf.compat.v1.placeholder(tf.float32, [2, 1]))
        with pytest.raises(ValueError, match="MatrixTriangularSolve"):
            tf.linalg.triangular_solve(tf.compat.v1.placeholder(tf.float32, [3, 3]),
                                       tf.compat.v1.placeholder(tf.float32, [2, 1]))


# -- graph mode: static shapes and values ----------------------------------------------------

def test_static_shapes_in_graph_mode(rng):
    a = rng.standard_normal((2, 5, 3)).astype(np.float32)
    (s, u, v), vals = _graph_run(lambda x: tf.linalg.svd(x), a, shapes=[[None, 5, 3]])
    assert s.shape.as_list() == [None, 3] and u.shape.as_list() == [None, 5, 3]
    assert v.shape.as_list() == [None, 3, 3]
    np.testing.assert_allclose(vals[0], np.linalg.svd(a, compute_uv=False), rtol=1e-5)
    (q, r), _ = _graph_run(lambda x: tf.linalg.qr(x, full_matrices=True), a)
    assert q.shape.as_list() == [2, 5, 5] and r.shape.as_list() == [2, 5, 3]
    sq = _spd(rng, (2, 3, 3), np.float32)
    (sign, logabs), vals = _graph_run(tf.linalg.slogdet, sq)
    assert sign.shape.as_list() == [2] and logabs.shape.as_list() == [2]
    np.testing.assert_allclose(vals[1], np.linalg.slogdet(sq)[1], rtol=1e-5)
    (e, vec), _ = _graph_run(tf.linalg.eigh, sq, shapes=[[2, None, None]])
    assert e.shape.as_list() == [2, None] and vec.shape.as_list() == [2, None, None]
    x, vals = _graph_run(lambda m, b: tf.linalg.triangular_solve(m, b), sq,
                         rng.standard_normal((4, 1, 3, 2)).astype(np.float32))
    assert x.shape.as_list() == [4, 2, 3, 2] and vals.shape == (4, 2, 3, 2)
    d, vals = _graph_run(tf.linalg.det, sq)
    assert d.shape.as_list() == [2]
    np.testing.assert_allclose(vals, np.linalg.det(sq), rtol=1e-5)


def test_tf_function_traces_linalg(rng):
    a = _invertible(rng, (3, 3), np.float32)

    @tf.function
    def f(x):
        return tf.linalg.trace(tf.linalg.inv(x)) + tf.linalg.logdet(tf.matmul(x, x,
                                                                               transpose_b=True))
    ref = np.trace(np.linalg.inv(a)) + np.linalg.slogdet(a @ a.T)[1]
    np.testing.assert_allclose(f(a).numpy(), ref, rtol=1e-4)


# -- gradients of composite expressions ------------------------------------------------------

def test_gradient_of_log_abs_det_is_inverse_transpose(rng):
    a = tf.constant(_invertible(rng, (2, 4, 4), np.float64))
    with tf.GradientTape(persistent=True) as tape:
        tape.watch(a)
        via_slogdet = tf.reduce_sum(tf.linalg.slogdet(a)[1])
        via_det = tf.reduce_sum(tf.math.log(tf.abs(tf.linalg.det(a))))
    expected = np.swapaxes(np.linalg.inv(a.numpy()), -1, -2)
    np.testing.assert_allclose(tape.gradient(via_slogdet, a).numpy(), expected, rtol=1e-10)
    np.testing.assert_allclose(tape.gradient(via_det, a).numpy(), expected, rtol=1e-10)


def test_gradient_of_solve_equals_gradient_of_inverse_times_rhs(rng):
    a = tf.constant(_invertible(rng, (3, 3), np.float64))
    b = tf.constant(rng.standard_normal((3, 2)))
    with tf.GradientTape(persistent=True) as tape:
        tape.watch([a, b])
        y1 = tf.reduce_sum(tf.sin(tf.linalg.solve(a, b)))
        y2 = tf.reduce_sum(tf.sin(tf.matmul(tf.linalg.inv(a), b)))
    for g1, g2 in zip(tape.gradient(y1, [a, b]), tape.gradient(y2, [a, b])):
        np.testing.assert_allclose(g1.numpy(), g2.numpy(), rtol=1e-9)


def test_composite_expressions_check_to_second_order(rng):
    a = _invertible(rng, (3, 3), np.float64)
    b = rng.standard_normal((3, 3))
    check_gradients(lambda x, y: tf.linalg.slogdet(x)[1] + tf.linalg.trace(tf.matmul(
        tf.linalg.inv(x), y)), a, b, order=2)
    check_gradients(lambda x: tf.norm(tf.linalg.solve(x, tf.linalg.diag_part(x)[:, None])
                                      - 1.0), a, order=2)


def test_cholesky_logdet_gradient_on_symmetric_input(rng):
    a = _spd(rng, (3, 3), np.float64)
    check_gradients(tf.linalg.logdet, a, order=2, symmetric=(0,))
    # for a symmetric matrix the gradient of logdet is inv(A), shared between a_ij and a_ji
    x = tf.constant(a)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = tf.linalg.logdet(x)
    np.testing.assert_allclose(tape.gradient(y, x).numpy(), np.linalg.inv(a), rtol=1e-10)


def test_eigh_gradient_of_a_spectral_function(rng):
    a = _spd(rng, (2, 3, 3), np.float64)

    def sqrtm_trace(x):
        e, v = tf.linalg.eigh(x)
        return tf.linalg.trace(tf.matmul(v * tf.sqrt(e)[..., None, :], v, transpose_b=True))
    check_gradients(sqrtm_trace, a, order=2, symmetric=(0,))


@pytest.mark.parametrize("kwargs", [dict(), dict(ord=1), dict(ord=np.inf), dict(ord=3),
                                    dict(axis=1), dict(ord="fro", axis=(0, 1)),
                                    dict(ord=2, axis=(0, 1)), dict(ord=1, axis=(1, 0)),
                                    dict(ord=np.inf, axis=(0, 1), keepdims=True)])
def test_norm_gradients(rng, kwargs):
    x = rng.standard_normal((3, 4)) + np.where(rng.random((3, 4)) < 0.5, 0.5, -0.5)
    check_gradients(lambda t: tf.norm(t, **kwargs), x, order=1)
