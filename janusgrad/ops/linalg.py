"""Linear algebra (tf.linalg): inverses, determinants, solves and decompositions with TF's op
types and TF's gradients, and the matrix-diagonal ops those gradients are made of.

Kernels run NumPy's LAPACK on the innermost two axes (batched); SciPy is imported lazily inside
the one kernel that needs it. Gradients are janusgrad ops (eager, graph, second order), written
for real dtypes: complex inputs run forward, but their gradients would need a conjugation that
janusgrad's matmul(adjoint_a=True) does not do.
"""
import numpy as np

from ..framework.errors import InvalidArgumentError, in_api, short_repr
from ..framework.execute import execute
from ..framework.registry import gradient, register_kernel
from ..framework.shape import TensorShape, broadcast_static
from ..framework.tensor import convert_to_tensor
from .array import concat, expand_dims, squeeze, transpose, zeros_like
from .control import op_scope
from .define import as_int
from .math import abs, log, pow, reciprocal, sqrt, unbroadcast  # noqa: A004
from .matmul import matmul
from .reduce import reduce_max, reduce_sum

_ALLOWED = "float16, float32, float64, complex64, complex128"


# -- input checks: dtypes and shapes in the public functions, static shapes in `infer`,
#    run-time shapes in the kernels (their ValueErrors become InvalidArgumentErrors naming the op)

def _matrix(x, op_type, param="input"):
    """x as a tensor of a floating dtype, with rank >= 2 where the rank is known."""
    t = convert_to_tensor(x)
    if not (t.dtype.is_floating or t.dtype.is_complex):
        raise TypeError(f"Value passed to parameter '{param}' of op '{op_type}' has DataType "
                        f"{t.dtype.name} not in list of allowed values: {_ALLOWED}")
    _static_rank(op_type, t.shape)
    return t


def _same_dtype(op_type, a, b):
    if a.dtype is not b.dtype:
        raise TypeError(f"Input 'rhs' of '{op_type}' Op has type {b.dtype.name} that does not "
                        f"match type {a.dtype.name} of argument 'matrix'.")


def _fmt(s):
    return "?" if s.rank is None else "[" + ",".join("?" if d is None else str(d) for d in s) + "]"


def _static_rank(op_type, s, *more):
    if s.rank is not None and s.rank < 2:
        shapes = ", ".join(_fmt(t) for t in (s, *more))
        raise ValueError(f"Shape must be at least rank 2 but is rank {s.rank} for '{op_type}' "
                         f"with input shapes: {shapes}.")


def _static_square(op_type, s, *more):
    """TF's shape-function check of a [..., M, M] input, at graph-build time."""
    _static_rank(op_type, s, *more)
    if s.rank is not None and None not in (s[-1], s[-2]) and s[-1] != s[-2]:
        shapes = ", ".join(_fmt(t) for t in (s, *more))
        raise ValueError(f"Dimensions must be equal, but are {s[-2]} and {s[-1]} for "
                         f"'{op_type}' with input shapes: {shapes}.")


def _square_infer(op_type, out_shape):
    def infer(inputs, attrs):
        s = inputs[0].shape
        _static_square(op_type, s)
        return [(inputs[0].dtype, TensorShape(None) if s.rank is None else out_shape(s))]
    return infer


def _check_square(a):
    if a.ndim < 2:
        raise ValueError(f"Input tensor 0 must have rank >= 2, got {a.ndim}")
    if a.shape[-1] != a.shape[-2]:
        raise ValueError("Input matrix must be square.")


def _lapack(a):
    """a in a dtype LAPACK takes (half is computed in float32, as TF does)."""
    return a.astype(np.float32) if a.dtype == np.float16 else a


def _adjoint_np(a):
    return np.conj(np.swapaxes(a, -1, -2))


def adjoint(matrix, name=None):
    """The conjugate transpose of the innermost two axes."""
    with op_scope(name, "adjoint"):
        return matrix_transpose(matrix, conjugate=True)


# -- inverse and determinants ------------------------------------------------------------------

def _inverse_kernel(a, *, adjoint):
    _check_square(a)
    x = _lapack(a)
    try:
        out = np.linalg.inv(_adjoint_np(x) if adjoint else x)
    except np.linalg.LinAlgError:        # an exact zero pivot, the only case TF rejects
        raise InvalidArgumentError("Input is not invertible.") from None
    return out.astype(a.dtype, copy=False)


register_kernel("MatrixInverse", _inverse_kernel,
                infer=_square_infer("MatrixInverse", lambda s: s))


def inv(input, adjoint=False, name=None):  # noqa: A002
    """The inverse of each innermost square matrix (of its adjoint when `adjoint`). With
    `adjoint=True` the gradient keeps the transpose TF's drops."""
    a = _matrix(input, "MatrixInverse")
    return execute("MatrixInverse", [a], {"adjoint": bool(adjoint)}, name=name)[0]


@gradient("MatrixInverse")
def _inverse_grad(op, dy):
    """-Y^T dy Y^T with Y = inv(A); with adjoint, Y = inv(A^T) and the result is transposed"""
    y = op.outputs[0]
    dx = -matmul(y, matmul(dy, y, adjoint_b=True), adjoint_a=True)
    # TF's gradient omits this transpose, which is wrong for adjoint=True
    return matrix_transpose(dx) if op.get_attr("adjoint") else dx


def _det_kernel(a):
    _check_square(a)
    with np.errstate(over="ignore"):           # TF returns inf silently where det overflows
        return np.asarray(np.linalg.det(_lapack(a))).astype(a.dtype, copy=False)


register_kernel("MatrixDeterminant", _det_kernel,
                infer=_square_infer("MatrixDeterminant", lambda s: s[:-2]))


def det(input, name=None):  # noqa: A002
    """The determinant of each innermost square matrix."""
    a = _matrix(input, "MatrixDeterminant")
    return execute("MatrixDeterminant", [a], name=name)[0]


def _scale_matrices(c, m):
    """c[..., None, None] * m"""
    return expand_dims(expand_dims(c, -1), -1) * m


@gradient("MatrixDeterminant")
def _det_grad(op, dy):
    """(dy * det(A)) inv(A)^T"""
    a, c = op.inputs[0], op.outputs[0]
    return _scale_matrices(dy * c, inv(a, adjoint=True))


def _slogdet_kernel(a):
    _check_square(a)
    sign, logabs = np.linalg.slogdet(_lapack(a))
    return [np.asarray(sign).astype(a.dtype, copy=False),
            np.asarray(logabs).astype(a.dtype, copy=False)]


def _slogdet_infer(inputs, attrs):
    det_spec = _square_infer("LogMatrixDeterminant", lambda s: s[:-2])(inputs, attrs)[0]
    return [det_spec, det_spec]


register_kernel("LogMatrixDeterminant", _slogdet_kernel, infer=_slogdet_infer, multi=True)


def slogdet(input, name=None):  # noqa: A002
    """(sign, log|det|) of each innermost square matrix; robust where det over/underflows."""
    a = _matrix(input, "LogMatrixDeterminant")
    sign, logabs = execute("LogMatrixDeterminant", [a], name=name)
    return sign, logabs


@gradient("LogMatrixDeterminant")
def _slogdet_grad(op, dsign, dlogabs):
    """dlogabs inv(A)^T (the sign is piecewise constant)"""
    return _scale_matrices(dlogabs, inv(op.inputs[0], adjoint=True))


# -- Cholesky and solves -----------------------------------------------------------------------

def _cholesky_kernel(a):
    _check_square(a)
    try:
        out = np.linalg.cholesky(_lapack(a))      # reads the lower triangle only, as TF
    except np.linalg.LinAlgError:
        raise InvalidArgumentError("Cholesky decomposition was not successful. The input might "
                                   "not be valid.") from None
    return out.astype(a.dtype, copy=False)


register_kernel("Cholesky", _cholesky_kernel, infer=_square_infer("Cholesky", lambda s: s))


def cholesky(input, name=None):  # noqa: A002
    """L, lower triangular, with L L^T = A for each innermost positive-definite matrix A.
    Only the lower triangle of A is read."""
    a = _matrix(input, "Cholesky")
    return execute("Cholesky", [a], name=name)[0]


@gradient("Cholesky")
def _cholesky_grad(op, dy):
    """sym(L^-T Phi(L^T dy) L^-1), Phi: lower triangle with the diagonal halved"""
    low = op.outputs[0]
    middle = matmul(low, dy, adjoint_a=True)
    middle = matrix_band_part(matrix_set_diag(middle, 0.5 * matrix_diag_part(middle)), -1, 0)
    # L^-T middle L^-1 by two triangular solves (TF forms L^-1 explicitly)
    left = triangular_solve(low, middle, adjoint=True)
    dx = adjoint(triangular_solve(low, adjoint(left), adjoint=True))
    return 0.5 * (dx + adjoint(dx))


def _solve_kernel(matrix, rhs, *, adjoint):
    _check_square(matrix)
    if rhs.ndim != matrix.ndim:
        raise ValueError("All input tensors must have the same rank.")
    if rhs.shape[:-2] != matrix.shape[:-2]:
        raise ValueError("All input tensors must have the same outer dimensions.")
    if rhs.shape[-2] != matrix.shape[-1]:
        raise ValueError("Input matrix and rhs are incompatible.")
    a, b = _lapack(matrix), _lapack(rhs)
    if a.size == 0 or b.size == 0:
        return np.zeros(rhs.shape, rhs.dtype)
    try:
        out = np.linalg.solve(_adjoint_np(a) if adjoint else a, b)
    except np.linalg.LinAlgError:
        raise InvalidArgumentError("Input matrix is not invertible.") from None
    return out.astype(rhs.dtype, copy=False)


def _solve_infer(inputs, attrs):
    a, b = inputs[0].shape, inputs[1].shape
    _static_square("MatrixSolve", a, b)
    _static_rank("MatrixSolve", b, a)
    if a.rank is None or b.rank is None:
        return [(inputs[0].dtype, TensorShape(None))]
    if a.rank != b.rank:
        raise ValueError(f"Shape must be rank {a.rank} but is rank {b.rank} for 'MatrixSolve' "
                         f"with input shapes: {_fmt(a)}, {_fmt(b)}.")
    if not (a[:-2].is_compatible_with(b[:-2])
            and TensorShape([a[-1]]).is_compatible_with([b[-2]])):
        raise ValueError(f"Dimensions must be equal for 'MatrixSolve' with input shapes: "
                         f"{_fmt(a)}, {_fmt(b)}.")
    batch = a[:-2].merge_with(b[:-2])
    return [(inputs[0].dtype, batch.concatenate([a[-1] if a[-1] is not None else b[-2], b[-1]]))]


register_kernel("MatrixSolve", _solve_kernel, infer=_solve_infer)


def solve(matrix, rhs, adjoint=False, name=None):
    """X with A X = rhs (A^H X = rhs when `adjoint`), for each innermost square A; the batch
    shapes of matrix and rhs must be equal (no broadcasting, as TF)."""
    a = _matrix(matrix, "MatrixSolve", "matrix")
    b = _matrix(rhs, "MatrixSolve", "rhs")
    _same_dtype("MatrixSolve", a, b)
    return execute("MatrixSolve", [a, b], {"adjoint": bool(adjoint)}, name=name)[0]


@gradient("MatrixSolve")
def _solve_grad(op, dy):
    """db = A^-T dy; dA = -db X^T (with adjoint: -X db^T)"""
    a, x = op.inputs[0], op.outputs[0]
    adj = op.get_attr("adjoint")
    db = solve(a, dy, adjoint=not adj)
    da = -matmul(x, db, adjoint_b=True) if adj else -matmul(db, x, adjoint_b=True)
    return da, db


def _triangular_solve_kernel(matrix, rhs, *, lower, adjoint):
    from scipy.linalg import get_blas_funcs
    _check_square(matrix)
    if rhs.ndim < 2:
        raise ValueError(f"In[1] ndims must be >= 2: {rhs.ndim}")
    if rhs.shape[-2] != matrix.shape[-1]:
        raise ValueError(f"In[0] mismatch In[1] shape: {matrix.shape[-1]} vs. {rhs.shape[-2]}")
    batch = np.broadcast_shapes(matrix.shape[:-2], rhs.shape[:-2])
    m, k = rhs.shape[-2:]
    out = np.zeros(batch + (m, k), rhs.dtype)
    if out.size == 0:
        return out
    a = np.broadcast_to(_lapack(matrix), batch + (m, m)).reshape(-1, m, m)
    b = np.broadcast_to(_lapack(rhs), batch + (m, k)).reshape(-1, m, k)
    tri = np.tril(a) if lower else np.triu(a)             # only one triangle is read
    if np.all(np.diagonal(tri, axis1=-2, axis2=-1) != 0):
        # the whole batch in one call (LU on a triangular matrix needs no pivoting)
        t = np.conj(np.swapaxes(tri, -1, -2)) if adjoint else tri
        out.reshape(-1, m, k)[...] = np.linalg.solve(t, b)
        return out
    # a zero pivot: BLAS trsm, matrix by matrix, returns inf/nan there as TF's kernel does
    # (np.linalg.solve and scipy.linalg.solve_triangular would raise)
    trsm = get_blas_funcs("trsm", (a, b))
    flat = out.reshape(-1, m, k)
    for i in range(a.shape[0]):
        flat[i] = trsm(1.0, a[i], b[i], lower=int(lower), trans_a=2 if adjoint else 0)
    return out


def _triangular_solve_infer(inputs, attrs):
    a, b = inputs[0].shape, inputs[1].shape
    _static_square("MatrixTriangularSolve", a, b)
    _static_rank("MatrixTriangularSolve", b, a)
    if a.rank is None or b.rank is None:
        return [(inputs[0].dtype, TensorShape(None))]
    if None not in (a[-1], b[-2]) and a[-1] != b[-2]:
        raise ValueError(f"Dimensions must be equal, but are {a[-1]} and {b[-2]} for "
                         f"'MatrixTriangularSolve' with input shapes: {_fmt(a)}, {_fmt(b)}.")
    batch = broadcast_static(a[:-2], b[:-2])
    return [(inputs[0].dtype, batch.concatenate([b[-2], b[-1]]))]


register_kernel("MatrixTriangularSolve", _triangular_solve_kernel,
                infer=_triangular_solve_infer)


def triangular_solve(matrix, rhs, lower=True, adjoint=False, name=None):
    """X with A X = rhs for triangular A (lower or upper; the other triangle is never read);
    batch dimensions broadcast."""
    with op_scope(name, "triangular_solve"):
        return _triangular_solve(matrix, rhs, lower, adjoint)


def _triangular_solve(matrix, rhs, lower, adjoint, name=None):
    a = _matrix(matrix, "MatrixTriangularSolve", "matrix")
    b = _matrix(rhs, "MatrixTriangularSolve", "rhs")
    _same_dtype("MatrixTriangularSolve", a, b)
    return execute("MatrixTriangularSolve", [a, b],
                   {"lower": bool(lower), "adjoint": bool(adjoint)}, name=name)[0]


@gradient("MatrixTriangularSolve")
def _triangular_solve_grad(op, dy):
    """db = A^-T dy; dA = triangle of (-db X^T) (with adjoint: of -X db^T); unbroadcast"""
    a, b = op.inputs
    x = op.outputs[0]
    adj, lower = op.get_attr("adjoint"), op.get_attr("lower")
    db = _triangular_solve(a, dy, lower, not adj)
    da = -matmul(x, db, adjoint_b=True) if adj else -matmul(db, x, adjoint_b=True)
    da = matrix_band_part(da, -1, 0) if lower else matrix_band_part(da, 0, -1)
    return unbroadcast(da, a), unbroadcast(db, b)


def cholesky_solve(chol, rhs, name=None):
    """X with A X = rhs, given chol = cholesky(A)."""
    with op_scope(name, "cholesky_solve"):
        y = _triangular_solve(chol, rhs, True, False)
        return _triangular_solve(chol, y, True, True)


# -- eigendecomposition of self-adjoint matrices -----------------------------------------------

def _eig_kernel(a, *, compute_v):
    _check_square(a)
    if not compute_v:
        e = np.linalg.eigvalsh(_lapack(a), UPLO="L")
        return [e.astype(a.dtype, copy=False), np.zeros((0,), a.dtype)]
    e, v = np.linalg.eigh(_lapack(a), UPLO="L")
    return [e.astype(a.dtype, copy=False), v.astype(a.dtype, copy=False)]


def _eig_infer(inputs, attrs):
    s = inputs[0].shape
    _static_square("SelfAdjointEigV2", s)
    dtype = inputs[0].dtype
    if s.rank is None:
        return [(dtype, TensorShape(None)), (dtype, TensorShape(None if attrs["compute_v"]
                                                                 else [0]))]
    return [(dtype, s[:-1]), (dtype, s if attrs["compute_v"] else TensorShape([0]))]


register_kernel("SelfAdjointEigV2", _eig_kernel, multi=True, infer=_eig_infer)


def eigh(tensor, name=None):
    """(e, v): eigenvalues (ascending) and eigenvectors (columns) of self-adjoint matrices;
    only the lower triangle of the input is read."""
    a = _matrix(tensor, "SelfAdjointEigV2")
    e, v = execute("SelfAdjointEigV2", [a], {"compute_v": True}, name=name)
    return e, v


def eigvalsh(tensor, name=None):
    """The eigenvalues (ascending) of self-adjoint matrices."""
    a = _matrix(tensor, "SelfAdjointEigV2")
    return execute("SelfAdjointEigV2", [a], {"compute_v": False}, name=name)[0]


def _safe_reciprocal(x, epsilon=1e-20):
    """1/x, but 0 (not inf) where x == 0: degenerate eigen/singular values (TF's broadening)"""
    return x * reciprocal(x * x + epsilon)


def _gap_reciprocals(e):
    """F[..., i, j] = 1 / (e_j - e_i) off the diagonal, 0 on it"""
    return matrix_set_diag(_safe_reciprocal(expand_dims(e, -2) - expand_dims(e, -1)),
                           zeros_like(e))


@gradient("SelfAdjointEigV2")
def _eigh_grad(op, de, dv):
    """V (diag(de) + F o (V^T dV)) V^T, folded into the lower triangle that the forward reads"""
    e, v = op.outputs
    if op.get_attr("compute_v"):
        inner = matrix_diag(de) + _gap_reciprocals(e) * matmul(v, dv, adjoint_a=True)
    else:
        _, v = eigh(op.inputs[0])
        inner = matrix_diag(de)
    da = matmul(v, matmul(inner, v, adjoint_b=True))
    da = matrix_band_part(da + adjoint(da), -1, 0)
    return matrix_set_diag(da, 0.5 * matrix_diag_part(da))


# -- SVD and QR --------------------------------------------------------------------------------

def _svd_kernel(a, *, compute_uv, full_matrices):
    x = _lapack(a)
    if not compute_uv:
        s = np.linalg.svd(x, compute_uv=False)
        empty = np.zeros((0,), a.dtype)
        return [s.astype(a.dtype, copy=False), empty, empty]
    u, s, vh = np.linalg.svd(x, full_matrices=full_matrices)
    return [s.astype(a.dtype, copy=False), u.astype(a.dtype, copy=False),
            _adjoint_np(vh).astype(a.dtype, copy=False)]


def _svd_infer(inputs, attrs):
    s = inputs[0].shape
    _static_rank("Svd", s)
    dtype = inputs[0].dtype
    vec = TensorShape([0])              # u and v when compute_uv=False, as TF
    if s.rank is None:
        unknown = TensorShape(None)
        return [(dtype, unknown)] + [(dtype, unknown if attrs["compute_uv"] else vec)] * 2
    batch, m, n = s[:-2], s[-2], s[-1]
    p = None if None in (m, n) else min(m, n)
    out = [(dtype, batch.concatenate([p]))]
    if not attrs["compute_uv"]:
        return out + [(dtype, vec)] * 2
    full = attrs["full_matrices"]
    return out + [(dtype, batch.concatenate([m, m if full else p])),
                  (dtype, batch.concatenate([n, n if full else p]))]


register_kernel("Svd", _svd_kernel, infer=_svd_infer, multi=True)


def svd(tensor, full_matrices=False, compute_uv=True, name=None):
    """(s, u, v) with A = u diag(s) v^H, s descending (TF's order; NumPy returns u, s, v^H);
    s alone when compute_uv=False."""
    a = _matrix(tensor, "Svd")
    s, u, v = execute("Svd", [a], {"compute_uv": bool(compute_uv),
                                   "full_matrices": bool(full_matrices)}, name=name)
    return (s, u, v) if compute_uv else s


@gradient("Svd")
def _svd_grad(op, ds, du, dv):
    """TF's: U (dS + (F o U^T dU + sym) S + S (F o V^T dV + sym)) V^T + the terms of the
    non-square part, F_ij = 1/(s_j^2 - s_i^2); for the wide case, the gradient of A^T"""
    a = op.inputs[0]
    if not op.get_attr("compute_uv"):
        s, u, v = svd(a, compute_uv=True)
        return matmul(u, matmul(matrix_diag(ds), v, adjoint_b=True))
    m, n = a.shape[-2], a.shape[-1]
    if m is None or n is None:
        raise NotImplementedError("SVD gradient has not been implemented for input with unknown "
                                  "inner matrix shape.")
    full = op.get_attr("full_matrices")
    s, u, v = op.outputs
    transposed = m > n
    if transposed:          # work on A^T = V S U^T, whose rows are fewer than its columns
        m, n = n, m
        u, v, du, dv = v, u, dv, du
    if full and n - m > 1:
        raise NotImplementedError("svd gradient is not implemented for abs(m - n) > 1 when "
                                  "full_matrices is True")
    s_mat = matrix_diag(s)
    f = _gap_reciprocals(s * s)
    v1, dv1 = v[..., :, :m], dv[..., :, :m]
    f_u = f * matmul(u, du, adjoint_a=True)
    f_v = f * matmul(v1, dv1, adjoint_a=True)
    inner = (matrix_diag(ds) + matmul(f_u + adjoint(f_u), s_mat)
             + matmul(s_mat, f_v + adjoint(f_v)))
    da = matmul(u, matmul(inner, v1, adjoint_b=True))
    if m != n:
        dv1_t = adjoint(dv1)
        rest = dv1_t - matmul(matmul(dv1_t, v1), v1, adjoint_b=True)
        if full:
            v2, dv2 = v[..., :, m:n], dv[..., :, m:n]
            rest = rest - matmul(matmul(v1, dv2, adjoint_a=True), v2, adjoint_b=True)
        da = da + matmul(matmul(u, matrix_diag(_safe_reciprocal(s))), rest)
    return adjoint(da) if transposed else da


def _qr_kernel(a, *, full_matrices):
    q, r = np.linalg.qr(_lapack(a), mode="complete" if full_matrices else "reduced")
    return [q.astype(a.dtype, copy=False), r.astype(a.dtype, copy=False)]


def _qr_infer(inputs, attrs):
    s = inputs[0].shape
    _static_rank("Qr", s)
    dtype = inputs[0].dtype
    if s.rank is None:
        return [(dtype, TensorShape(None))] * 2
    batch, m, n = s[:-2], s[-2], s[-1]
    p = m if attrs["full_matrices"] else (None if None in (m, n) else min(m, n))
    return [(dtype, batch.concatenate([m, p])), (dtype, batch.concatenate([p, n]))]


register_kernel("Qr", _qr_kernel, infer=_qr_infer, multi=True)


def qr(input, full_matrices=False, name=None):  # noqa: A002
    """(q, r): q with orthonormal columns, r upper triangular, A = q r."""
    a = _matrix(input, "Qr")
    q, r = execute("Qr", [a], {"full_matrices": bool(full_matrices)}, name=name)
    return q, r


def _times_inv_rt(x, r):
    """x R^-T for upper-triangular R, as (R^-1 x^T)^T"""
    return adjoint(triangular_solve(r, adjoint(x), lower=False))


def _qr_grad_tall(q, r, dq, dr):
    """rows >= cols, reduced: Q (dR + copyltu(M) R^-T) + (dQ - Q Q^T dQ) R^-T"""
    qdq = matmul(q, dq, adjoint_a=True)
    rdr = matmul(r, dr, adjoint_b=True)
    low = matrix_band_part(qdq - adjoint(qdq) + rdr - adjoint(rdr), -1, 0)
    return (matmul(q, dr + _times_inv_rt(low, r))
            + _times_inv_rt(dq - matmul(q, qdq), r))


@gradient("Qr")
def _qr_grad(op, dq, dr):
    """TF's: the square/tall reduced formula; a wide A = [X, Y] reduces to it for X"""
    q, r = op.outputs
    m, n = q.shape[-2], r.shape[-1]
    if m is None or n is None:
        raise NotImplementedError("QrGrad not implemented with dynamic shapes.")
    if m > n and op.get_attr("full_matrices"):
        raise NotImplementedError("QrGrad not implemented when nrows > ncols and full_matrices "
                                  "is true.")
    if m >= n:
        return _qr_grad_tall(q, r, dq, dr)
    y = op.inputs[0][..., :, m:]
    u = r[..., :, :m]
    du, dv = dr[..., :, :m], dr[..., :, m:]
    dx = _qr_grad_tall(q, u, dq + matmul(y, dv, adjoint_b=True), du)
    return concat([dx, matmul(q, dv)], axis=-1)


# -- diagonal and band helpers -----------------------------------------------------------------

def _band_kernel(x, *, lower, upper):
    m, n = x.shape[-2:]
    i = np.arange(m)[:, None]
    j = np.arange(n)[None, :]
    keep = np.ones((m, n), bool)
    if lower >= 0:
        keep &= (i - j) <= lower
    if upper >= 0:
        keep &= (j - i) <= upper
    return np.where(keep, x, np.zeros((), x.dtype))


def _band_infer(inputs, attrs):
    _static_rank("MatrixBandPart", inputs[0].shape)
    return [(inputs[0].dtype, inputs[0].shape)]


register_kernel("MatrixBandPart", _band_kernel, infer=_band_infer)


def matrix_band_part(input, num_lower, num_upper, name=None):  # noqa: A002
    """Keep the band of `num_lower` sub- and `num_upper` super-diagonals (-1: all)."""
    x = convert_to_tensor(input)
    _static_rank("MatrixBandPart", x.shape)
    attrs = {"lower": as_int("MatrixBandPart", "num_lower", num_lower),
             "upper": as_int("MatrixBandPart", "num_upper", num_upper)}
    return execute("MatrixBandPart", [x], attrs, name=name)[0]


@gradient("MatrixBandPart")
def _band_grad(op, dy):
    """band_part(dy)"""
    return matrix_band_part(dy, op.get_attr("lower"), op.get_attr("upper"))


def _set_diag_kernel(x, d):
    k = min(x.shape[-2:])
    if d.shape != x.shape[:-2] + (k,):
        raise ValueError(f"diagonal must have shape {list(x.shape[:-2]) + [k]}, got "
                         f"{list(d.shape)}")
    out = x.copy()
    idx = np.arange(k)
    out[..., idx, idx] = d
    return out


def _set_diag_infer(inputs, attrs):
    s = inputs[0].shape
    _static_rank("MatrixSetDiagV3", s, inputs[1].shape)
    return [(inputs[0].dtype, s)]


register_kernel("MatrixSetDiagV3", _set_diag_kernel, infer=_set_diag_infer)


def matrix_set_diag(input, diagonal, name="set_diag", k=0, align="RIGHT_LEFT"):  # noqa: A002
    """input with its main diagonal replaced by `diagonal`. Other diagonals (`k`) are a
    NotImplementedError."""
    if k != 0:
        raise NotImplementedError("matrix_set_diag: only the main diagonal (k=0) is supported")
    x = convert_to_tensor(input)
    d = convert_to_tensor(diagonal, dtype=x.dtype)
    _static_rank("MatrixSetDiagV3", x.shape, d.shape)
    return execute("MatrixSetDiagV3", [x, d], name=name)[0]


@gradient("MatrixSetDiagV3")
def _set_diag_grad(op, dy):
    """dy with a zero diagonal, diag_part(dy)"""
    return matrix_set_diag(dy, zeros_like(op.inputs[1])), matrix_diag_part(dy)


def _diag_part_kernel(x):
    return np.diagonal(x, axis1=-2, axis2=-1).copy()


def _diag_part_infer(inputs, attrs):
    s = inputs[0].shape
    _static_rank("MatrixDiagPartV3", s)
    if s.rank is None:
        return [(inputs[0].dtype, TensorShape(None))]
    dims = s.as_list()
    k = None if None in dims[-2:] else min(dims[-2:])
    return [(inputs[0].dtype, TensorShape(dims[:-2] + [k]))]


register_kernel("MatrixDiagPartV3", _diag_part_kernel, infer=_diag_part_infer)


def matrix_diag_part(input, name="diag_part", k=0, padding_value=0,  # noqa: A002
                     align="RIGHT_LEFT"):
    """The main diagonal of each innermost matrix: shape [..., min(M, N)]. Other diagonals
    (`k`) are a NotImplementedError."""
    if k != 0:
        raise NotImplementedError("matrix_diag_part: only the main diagonal (k=0) is supported")
    x = convert_to_tensor(input)
    _static_rank("MatrixDiagPartV3", x.shape)
    return execute("MatrixDiagPartV3", [x], name=name)[0]


@gradient("MatrixDiagPartV3")
def _diag_part_grad(op, dy):
    """dy on the diagonal of zeros shaped like x"""
    return matrix_set_diag(zeros_like(op.inputs[0]), dy)


def _diag_kernel(d):
    n = d.shape[-1]
    out = np.zeros(d.shape + (n,), d.dtype)
    idx = np.arange(n)
    out[..., idx, idx] = d
    return out


def _diag_infer(inputs, attrs):
    s = inputs[0].shape
    if s.rank is None:
        return [(inputs[0].dtype, TensorShape(None))]
    if s.rank < 1:
        raise ValueError(f"Shape must be at least rank 1 but is rank 0 for 'MatrixDiagV3' with "
                         f"input shapes: {_fmt(s)}.")
    return [(inputs[0].dtype, s.concatenate([s[-1]]))]


register_kernel("MatrixDiagV3", _diag_kernel, infer=_diag_infer)


def matrix_diag(diagonal, name="diag", k=0, num_rows=-1, num_cols=-1, padding_value=0,
                align="RIGHT_LEFT"):
    """Square matrices with `diagonal` on the main diagonal: shape [..., N, N]. Other
    diagonals (`k`) and non-square shapes are a NotImplementedError."""
    if k != 0 or num_rows != -1 or num_cols != -1:
        raise NotImplementedError("matrix_diag: only square matrices with the main diagonal "
                                  "(k=0) are supported")
    d = convert_to_tensor(diagonal)
    _diag_infer([d], {})
    return execute("MatrixDiagV3", [d], name=name)[0]


@gradient("MatrixDiagV3")
def _diag_grad(op, dy):
    """diag_part(dy)"""
    return matrix_diag_part(dy)


# -- composites (no op type of their own, as in TF) --------------------------------------------

def matrix_transpose(a, name="matrix_transpose", conjugate=False):
    """Swap the innermost two axes (conjugating when asked)."""
    a = convert_to_tensor(a)
    r = a.shape.rank
    if r is None:
        raise ValueError(in_api("matrix_transpose needs a known rank"))
    if r < 2:
        raise ValueError(in_api(f"matrix_transpose: input must have rank >= 2, got shape "
                                f"{a.shape}"))
    if conjugate and a.dtype.is_complex:
        raise NotImplementedError(in_api("matrix_transpose: conjugate=True is not supported for "
                                         "complex dtypes"))
    with op_scope(name, "matrix_transpose"):
        return transpose(a, list(range(r - 2)) + [r - 1, r - 2])


def trace(x, name=None):
    """The sum of the main diagonal of each innermost matrix."""
    with op_scope(name, "Trace") as name:
        return reduce_sum(matrix_diag_part(x), axis=-1, name=name)


def logdet(matrix, name=None):
    """log(det(A)) of Hermitian positive-definite A, via Cholesky: 2 sum(log(diag(L)))."""
    with op_scope(name, "logdet"):
        return 2.0 * reduce_sum(log(matrix_diag_part(cholesky(matrix))), axis=-1)


def matvec(a, b, transpose_a=False, adjoint_a=False, name=None):
    """a @ b for a batch of matrices a and vectors b."""
    b = convert_to_tensor(b)
    with op_scope(name, "MatVec"):
        return squeeze(matmul(a, expand_dims(b, -1), transpose_a=transpose_a,
                              adjoint_a=adjoint_a), axis=-1)


def _norm_axes(axis):
    """TF's validation of `axis`: None, an int, or 2 distinct ints (a matrix norm)."""
    if isinstance(axis, (tuple, list)) and len(axis) == 2:
        axis = tuple(axis)
        if not all(isinstance(a, (int, np.integer)) for a in axis) or axis[0] == axis[1]:
            raise ValueError(f"norm: 'axis' must be None, an integer, or a tuple of 2 unique "
                             f"integers, got {axis}")
        return tuple(int(a) for a in axis), True
    if not (axis is None or isinstance(axis, (int, np.integer))):
        raise ValueError(f"norm: 'axis' must be None, an integer, or a tuple of 2 unique "
                         f"integers, got {short_repr(axis)}")
    return (None if axis is None else (int(axis),)), False


def norm(tensor, ord="euclidean", axis=None, keepdims=None, name=None):  # noqa: A002
    """Vector norms (ord 'euclidean', 1, 2, inf or any p > 0) over all entries or `axis`, or
    matrix norms ('euclidean'/'fro', 1, 2, inf) over a 2-tuple `axis`.

    As TF, the Euclidean norm is sqrt(sum(x^2)), so its gradient at x = 0 is NaN.
    """
    axis, is_matrix = _norm_axes(axis)
    keepdims = bool(keepdims)
    if is_matrix:
        if ord not in ("euclidean", "fro", 1, 2, np.inf):
            raise ValueError(f"'ord' must be a supported matrix norm in ['euclidean', 'fro', 1, "
                             f"2, inf], got {ord}")
    elif not (ord in ("euclidean", 1, 2, np.inf)
              or (not isinstance(ord, str) and np.isreal(ord) and ord > 0)):
        raise ValueError(f"'ord' must be a supported vector norm, got {ord}")
    x = convert_to_tensor(tensor)
    if not (x.dtype.is_floating or x.dtype.is_complex):
        raise TypeError(f"norm: dtype {x.dtype.name} is not supported (floating types only)")
    with op_scope(name, "norm"):
        return _norm(x, ord, axis, keepdims, is_matrix)


def _norm(x, ord, axis, keepdims, is_matrix):  # noqa: A002
    if is_matrix and ord == 2 and not isinstance(ord, str):
        return _matrix_2_norm(x, axis, keepdims)
    if ord in ("fro", "euclidean", 2):
        if x.dtype.is_complex:
            raise NotImplementedError("norm: complex inputs are not supported")
        result = sqrt(reduce_sum(x * x, axis, keepdims=True))
    elif ord == 1:
        result = reduce_sum(abs(x), None if axis is None else axis[0], keepdims=True)
        if is_matrix:
            result = reduce_max(result, axis[1], keepdims=True)
    elif ord == np.inf:
        result = abs(x)
        if is_matrix:
            result = reduce_sum(result, axis[1], keepdims=True)
        result = reduce_max(result, None if axis is None else axis[0], keepdims=True)
    else:                                       # general p-norm, p > 0
        result = pow(reduce_sum(pow(abs(x), float(ord)), axis, keepdims=True), 1.0 / ord)
    if not keepdims:
        result = squeeze(result, axis)
    return result


def _matrix_2_norm(x, axis, keepdims):
    """The largest singular value over the two axes in `axis`."""
    r = x.shape.rank
    if r is None:
        raise ValueError("norm: the matrix 2-norm needs an input of known rank")
    pos = [a % r if -r <= a < r else None for a in axis]
    if None in pos or pos[0] == pos[1]:
        raise ValueError(f"norm: axis {axis} is invalid for an input of rank {r}")
    others = [i for i in range(r) if i not in pos]
    s = svd(transpose(x, others + pos), compute_uv=False)
    result = reduce_max(abs(s), axis=-1)
    if keepdims:
        for a in sorted(pos):
            result = expand_dims(result, a)
    return result

