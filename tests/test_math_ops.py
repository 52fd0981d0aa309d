"""Math ops against NumPy/SciPy: values, dtypes, broadcasting, empty tensors, static shapes in
graph mode, gradients TF defines specially, and the errors TF raises."""
import numpy as np
import pytest
from scipy.special import erf, logsumexp

import janusgrad as tf
from janusgrad.check import check_gradients
from janusgrad.framework.errors import InvalidArgumentError

v1 = tf.compat.v1
R = np.random.default_rng(0)
DTYPES = [np.float32, np.float64, np.int32]


def values(shape, dtype):
    if np.dtype(dtype).kind == "f":
        return R.standard_normal(shape).astype(dtype)
    return R.integers(-5, 6, shape).astype(dtype)


def nonzero(shape, dtype):
    v = values(shape, dtype)
    return np.where(v == 0, 3, v).astype(dtype)


def in_graph(fn, *arrays, shapes=None):
    """fn built on placeholders (of `shapes`, default the arrays' shapes) and run once:
    (the static shapes of its outputs, their values)."""
    g = tf.Graph()
    with g.as_default():
        phs = [v1.placeholder(tf.as_dtype(a.dtype), a.shape if shapes is None else s)
               for a, s in zip(arrays, shapes or arrays)]
        out = fn(*phs)
        outs = out if isinstance(out, (list, tuple)) else [out]
        static = [t.shape for t in outs]
        with v1.Session(graph=g) as sess:
            got = sess.run(list(outs), dict(zip(phs, arrays)))
    return static, got


def grad(f, *xs):
    ts = [tf.constant(x) for x in xs]
    with tf.GradientTape() as tape:
        for t in ts:
            tape.watch(t)
        y = f(*ts)
    return tape.gradient(y, ts)


# -- elementwise --------------------------------------------------------------------------------

BINARY = [(tf.add, np.add), (tf.subtract, np.subtract), (tf.multiply, np.multiply),
          (tf.maximum, np.maximum), (tf.minimum, np.minimum),
          (tf.math.squared_difference, lambda x, y: (x - y) ** 2),
          (tf.math.floordiv, np.floor_divide), (tf.math.mod, np.mod),
          (tf.math.floormod, np.mod)]


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("fn,ref", BINARY, ids=lambda v: getattr(v, "__name__", ""))
@pytest.mark.parametrize("sx,sy", [((3, 2), (3, 2)), ((3, 2), (1, 2)), ((3, 2), ()),
                                   ((2,), (3, 2)), ((0, 2), (2,))])
def test_binary_matches_numpy(fn, ref, dtype, sx, sy):
    x, y = values(sx, dtype), nonzero(sy, dtype)
    out = fn(x, y)
    expected = ref(x, y)
    assert out.dtype.np == np.dtype(dtype) and out.shape == expected.shape
    np.testing.assert_allclose(out.numpy(), expected, rtol=1e-6)


def test_floordiv_and_mod_follow_the_sign_of_the_divisor():
    x = np.array([7, -7, 7, -7], np.int32)
    y = np.array([2, 2, -2, -2], np.int32)
    np.testing.assert_array_equal(tf.math.floordiv(x, y).numpy(), [3, -4, -4, 3])
    np.testing.assert_array_equal(tf.math.mod(x, y).numpy(), [1, 1, -1, -1])
    np.testing.assert_allclose(tf.math.mod([5.5, -5.5], 2.0).numpy(), [1.5, 0.5])
    assert (tf.constant(7) // 2).numpy() == 3 and (tf.constant(-7) % 3).numpy() == 2


def test_integer_division_by_zero_raises():
    with pytest.raises(InvalidArgumentError, match="division by zero"):
        tf.math.floordiv(tf.constant([1, 2]), tf.constant([1, 0]))
    with pytest.raises(InvalidArgumentError, match="division by zero"):
        tf.math.mod(tf.constant([1, 2]), 0)


def test_floordiv_has_no_gradient_and_mod_has_tfs():
    x, y = np.array([2.3, -1.7]), np.array([0.7, 0.9])
    dx, dy = grad(lambda a, b: tf.math.floordiv(a, b) * a, x, y)
    np.testing.assert_allclose(dx.numpy(), np.floor_divide(x, y))   # only through `* a`
    assert dy is None
    dx, dy = grad(lambda a, b: tf.math.mod(a, b), x, y)
    np.testing.assert_allclose(dx.numpy(), [1.0, 1.0])
    np.testing.assert_allclose(dy.numpy(), -np.floor(x / y))


def test_divide_no_nan():
    out = tf.math.divide_no_nan(tf.constant([1.0, np.inf, np.nan, 6.0]), [0.0, 0.0, 0.0, 3.0])
    np.testing.assert_array_equal(out.numpy(), [0.0, 0.0, 0.0, 2.0])
    with pytest.raises(TypeError, match="DivNoNan"):
        tf.math.divide_no_nan(tf.constant([1, 2]), 1)


def test_truediv_of_integers_is_floating_like_tf():
    assert tf.divide(tf.constant([1, 2]), 2).dtype is tf.float64
    assert tf.divide(tf.constant([1, 2], tf.int16), 2).dtype is tf.float32
    np.testing.assert_allclose(tf.truediv([3, 4], [2, 8]).numpy(), [1.5, 0.5])


UNARY = [(tf.negative, np.negative), (tf.abs, np.abs), (tf.sign, np.sign),
         (tf.square, np.square), (tf.exp, np.exp), (tf.sin, np.sin), (tf.cos, np.cos),
         (tf.tanh, np.tanh), (tf.math.expm1, np.expm1), (tf.math.erf, erf),
         (tf.sigmoid, lambda x: 1 / (1 + np.exp(-x))),
         (tf.math.softplus, lambda x: np.logaddexp(0.0, x))]


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("fn,ref", UNARY, ids=lambda v: getattr(v, "__name__", ""))
def test_unary_keeps_the_float_dtype(fn, ref, dtype):
    x = values((2, 3), dtype)
    out = fn(x)
    expected = ref(x.astype(np.float64))
    assert out.dtype.np == np.dtype(dtype)
    np.testing.assert_allclose(out.numpy(), expected, rtol=2e-6 if dtype == np.float32 else 1e-12)


@pytest.mark.parametrize("fn", [tf.exp, tf.math.log, tf.sqrt, tf.math.rsqrt, tf.sin,
                                tf.math.is_nan, tf.math.is_finite, tf.math.is_inf])
def test_float_only_ops_reject_integers_naming_the_op(fn):
    with pytest.raises(TypeError, match=r"of op '\w+'"):
        fn(tf.constant([1, 2]))


def test_mixed_dtypes_name_the_op_eagerly_invalid_argument_in_a_graph_type_error():
    # TF: eagerly the kernel refuses (InvalidArgumentError), a graph refuses to build (TypeError)
    with pytest.raises(tf.errors.InvalidArgumentError, match=r"cannot compute AddV2 as input "
                       r"#1\(zero-based\) was expected to be a float tensor but is a int32"):
        tf.add(tf.constant([1.0]), tf.constant([1], tf.int32))
    with pytest.raises(tf.errors.InvalidArgumentError, match="Mul"):
        tf.multiply(tf.constant([1.0], tf.float64), tf.constant([1.0]))
    with tf.Graph().as_default():
        with pytest.raises(TypeError, match="Input 'y' of 'AddV2' Op has type int32"):
            tf.add(tf.constant([1.0]), tf.constant([1], tf.int32))


def test_incompatible_shapes_fail_in_both_modes():
    with pytest.raises(ValueError):
        tf.add(tf.ones([2, 3]), tf.ones([4]))
    with tf.Graph().as_default():
        with pytest.raises(ValueError):
            tf.add(v1.placeholder(tf.float32, [None, 3]), v1.placeholder(tf.float32, [2]))


def test_comparisons_logic_and_predicates():
    x, y = np.array([1.0, 2.0, np.nan, np.inf]), np.array([2.0, 2.0, 0.0, 1.0])
    np.testing.assert_array_equal(tf.equal(x, y).numpy(), x == y)
    np.testing.assert_array_equal(tf.not_equal(x, y).numpy(), x != y)
    np.testing.assert_array_equal(tf.math.is_nan(x).numpy(), np.isnan(x))
    np.testing.assert_array_equal(tf.math.is_finite(x).numpy(), np.isfinite(x))
    np.testing.assert_array_equal(tf.math.is_inf(x).numpy(), np.isinf(x))
    a, b = np.array([True, True, False, False]), np.array([True, False, True, False])
    np.testing.assert_array_equal(tf.logical_and(a, b).numpy(), a & b)
    np.testing.assert_array_equal(tf.logical_or(a, b).numpy(), a | b)
    np.testing.assert_array_equal(tf.math.logical_xor(a, b).numpy(), a ^ b)
    np.testing.assert_array_equal(tf.logical_not(a).numpy(), ~a)
    with pytest.raises(TypeError, match="LogicalAnd"):
        tf.logical_and(tf.constant([1]), tf.constant([0]))


def test_where_three_and_one_argument():
    c = np.array([[True, False], [False, True]])
    out = tf.where(c, np.ones((2, 2), np.float32), np.float32(-1.0))
    np.testing.assert_array_equal(out.numpy(), np.where(c, 1.0, -1.0))
    idx = tf.where(c)
    assert idx.dtype is tf.int64
    np.testing.assert_array_equal(idx.numpy(), np.argwhere(c))
    np.testing.assert_array_equal(tf.where([0, 3, 0, 5]).numpy(), [[1], [3]])
    with pytest.raises(ValueError):
        tf.where(c, 1.0)
    with tf.Graph().as_default():
        assert tf.where(v1.placeholder(tf.bool, [None, 3])).shape.as_list() == [None, 2]


def test_clip_by_value_and_add_n():
    x = np.array([-2.0, 0.5, 3.0], np.float32)
    np.testing.assert_array_equal(tf.clip_by_value(x, -1.0, 1.0).numpy(), [-1.0, 0.5, 1.0])
    np.testing.assert_array_equal(tf.add_n([x, x, x]).numpy(), 3 * x)
    with pytest.raises(ValueError):
        tf.add_n([tf.ones([2]), tf.ones([3])])


# -- reductions ---------------------------------------------------------------------------------

REDUCTIONS = [(tf.reduce_sum, np.sum), (tf.reduce_max, np.max), (tf.reduce_min, np.min),
              (tf.reduce_prod, np.prod), (tf.reduce_mean, np.mean)]


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("fn,ref", REDUCTIONS, ids=lambda v: getattr(v, "__name__", ""))
@pytest.mark.parametrize("axis,keepdims", [(None, False), (0, False), (-1, True), ([0, 2], False),
                                           ((1,), True)])
def test_reductions_match_numpy(fn, ref, dtype, axis, keepdims):
    x = values((2, 3, 2), dtype)
    out = fn(x, axis=axis, keepdims=keepdims)
    ax = tuple(axis) if isinstance(axis, list) else axis
    expected = ref(x, axis=ax, keepdims=keepdims)
    if ref is np.mean and np.dtype(dtype).kind == "i":   # TF truncates toward zero
        expected = np.trunc(np.sum(x, axis=ax, keepdims=keepdims) / (x.size / expected.size))
    assert out.dtype.np == np.dtype(dtype) and out.shape == np.shape(expected)
    np.testing.assert_allclose(out.numpy(), expected, rtol=1e-5)


def test_integer_mean_truncates_toward_zero():
    assert tf.reduce_mean(tf.constant([-1, -2])).numpy() == -1
    assert tf.reduce_mean(tf.constant([1, 2])).numpy() == 1


def test_reductions_of_empty_tensors_give_the_identity():
    e = np.zeros((0, 3), np.float32)
    np.testing.assert_array_equal(tf.reduce_sum(e, 0).numpy(), [0, 0, 0])
    np.testing.assert_array_equal(tf.reduce_prod(e, 0).numpy(), [1, 1, 1])
    np.testing.assert_array_equal(tf.reduce_max(e, 0).numpy(), [-np.inf] * 3)
    assert tf.reduce_sum(e, 1).shape == (0,)
    assert tf.reduce_logsumexp(e).numpy() == -np.inf


def test_reduction_axis_errors():
    with pytest.raises(ValueError, match="Invalid reduction dimension"):
        tf.reduce_sum(tf.ones([2, 3]), axis=2)
    with pytest.raises(TypeError):
        tf.reduce_sum(tf.ones([2, 3]), axis=1.0)
    with pytest.raises(TypeError, match="Any"):
        tf.reduce_any(tf.ones([2]))
    with pytest.raises(TypeError, match="Sum"):
        tf.reduce_sum(tf.constant([True]))


def test_reduce_any_all():
    x = np.array([[True, False], [True, True]])
    np.testing.assert_array_equal(tf.reduce_any(x, 1).numpy(), [True, True])
    np.testing.assert_array_equal(tf.reduce_all(x, 1).numpy(), [False, True])
    assert tf.reduce_all(np.zeros((0,), bool)).numpy()


def test_reduce_max_ties_share_the_gradient_equally():
    x = np.array([[1.0, 3.0, 3.0], [2.0, 2.0, 2.0]])
    (dx,) = grad(lambda t: tf.reduce_max(t, axis=1), x)
    np.testing.assert_allclose(dx.numpy(), [[0, 0.5, 0.5], [1 / 3, 1 / 3, 1 / 3]])
    (dx,) = grad(lambda t: tf.reduce_min(t), x)
    np.testing.assert_allclose(dx.numpy(), [[1.0, 0, 0], [0, 0, 0]])


def test_reduce_prod_gradient_with_zeros():
    x = np.array([[0.0, 2.0, 3.0], [0.0, 0.0, 4.0], [1.0, 2.0, 5.0]])
    (dx,) = grad(lambda t: tf.reduce_prod(t, axis=1), x)
    np.testing.assert_allclose(dx.numpy(), [[6, 0, 0], [0, 0, 0], [10, 5, 2]])


@pytest.mark.parametrize("axis,keepdims", [(None, False), (1, False), (0, True), ([0, 1], True)])
def test_reduce_logsumexp_is_stable(axis, keepdims):
    x = np.array([[1000.0, 1000.5, -3.0], [-1e4, 2.0, 3.0]], np.float32)
    out = tf.reduce_logsumexp(x, axis=axis, keepdims=keepdims)
    ax = tuple(axis) if isinstance(axis, list) else axis
    expected = logsumexp(x.astype(np.float64), axis=ax, keepdims=keepdims)
    assert out.dtype is tf.float32 and out.shape == np.shape(expected)
    np.testing.assert_allclose(out.numpy(), expected, rtol=1e-6)


def test_reduce_logsumexp_infinities_and_gradient():
    out = tf.reduce_logsumexp(tf.constant([[-np.inf, -np.inf], [np.inf, 1.0]]), axis=1)
    np.testing.assert_array_equal(out.numpy(), [-np.inf, np.inf])
    x = np.array([[1000.0, 1000.0], [0.0, np.log(3.0)]])
    (dx,) = grad(lambda t: tf.reduce_logsumexp(t, axis=1), x)
    np.testing.assert_allclose(dx.numpy(), [[0.5, 0.5], [0.25, 0.75]])
    check_gradients(lambda t: tf.reduce_logsumexp(t, axis=0), R.standard_normal((3, 2)), order=2)
    with pytest.raises(TypeError, match="reduce_logsumexp"):
        tf.reduce_logsumexp(tf.constant([1, 2]))


def test_argmax_argmin():
    x = np.array([[1, 5, 5], [7, 0, 7]], np.int32)
    out = tf.argmax(x, 1)
    assert out.dtype is tf.int64
    np.testing.assert_array_equal(out.numpy(), [1, 0])        # first of the ties
    np.testing.assert_array_equal(tf.argmin(x, axis=0, output_type=tf.int32).numpy(), [0, 1, 0])
    np.testing.assert_array_equal(tf.argmax(x).numpy(), [1, 0, 1])   # axis None: 0
    np.testing.assert_array_equal(tf.argmax(x, tf.constant(-1)).numpy(), [1, 0])
    with pytest.raises(ValueError, match="ArgMax"):
        tf.argmax(x, 2)
    with pytest.raises(ValueError, match="ArgMax"):
        tf.argmax(tf.constant(3.0))
    with pytest.raises(TypeError, match="output_type"):
        tf.argmax(x, 0, output_type=tf.float32)
    with pytest.raises(InvalidArgumentError):
        tf.argmax(np.zeros((0, 2), np.float32), 0)


def test_argmax_argmin_pass_over_nan():
    """TF 2.21: a NaN never wins (NumPy's argmax picks the first NaN)."""
    nan = np.nan
    assert tf.argmax([1.0, nan, 3.0]).numpy() == 2
    assert tf.argmin([1.0, nan, 3.0, nan]).numpy() == 0
    assert tf.argmax([nan, nan]).numpy() == 0
    np.testing.assert_array_equal(tf.argmax([[nan, 1.0], [2.0, nan]], axis=1).numpy(), [1, 0])
    np.testing.assert_array_equal(tf.argmin(np.array([[nan, 1.0], [-2.0, nan]]), 0).numpy(),
                                  [1, 0])


def test_argmax_argmin_over_an_axis_known_at_run_time():
    """An axis fed at run time (a placeholder, a tf.function argument): TF's static shape (the
    rank less one, dims unknown) and TF's errors when the run gives a bad axis."""
    xv = np.array([[1, 5, 5], [7, 0, 7]], np.float32)
    with tf.Graph().as_default():
        x, ax = v1.placeholder(tf.float32, [2, 3]), v1.placeholder(tf.int32, [])
        big, small = tf.argmax(x, ax), tf.argmin(x, axis=ax, output_type=tf.int32)
        assert big.shape.as_list() == [None] and big.dtype is tf.int64 and small.dtype is tf.int32
        assert tf.argmax(v1.placeholder(tf.float32, None), ax).shape.rank is None
        assert tf.gradients(tf.cast(big, tf.float32), x) == [None]     # not differentiable
        with v1.Session() as sess:
            for a in (0, 1, -1):
                b, s = sess.run([big, small], {x: xv, ax: a})
                np.testing.assert_array_equal(b, np.argmax(xv, a))
                np.testing.assert_array_equal(s, np.argmin(xv, a))
            for a in (2, -3):
                with pytest.raises(InvalidArgumentError, match=r"range \[-2, 2\), but got"):
                    sess.run(big, {x: xv, ax: a})
            vec = v1.placeholder(tf.int32, None)
            with pytest.raises(InvalidArgumentError, match="dim must be a scalar"):
                sess.run(tf.argmax(x, vec), {x: xv, vec: [1]})
        with pytest.raises(ValueError, match="ArgMax: axis must be a scalar"):
            tf.argmax(x, v1.placeholder(tf.int32, [2]))
        with pytest.raises(TypeError, match="ArgMin: axis must be int32 or int64"):
            tf.argmin(x, v1.placeholder(tf.float32, []))

    @tf.function
    def f(x, a):
        return tf.argmax(x, a)
    for a in (0, 1):
        np.testing.assert_array_equal(f(xv, tf.constant(a)).numpy(), np.argmax(xv, a))


# -- cumsum -------------------------------------------------------------------------------------

def _cumsum_ref(x, axis, exclusive, reverse):
    if reverse:
        x = np.flip(x, axis)
    out = np.cumsum(x, axis)
    if exclusive:
        out = out - x
    return np.flip(out, axis) if reverse else out


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("exclusive", [False, True])
@pytest.mark.parametrize("reverse", [False, True])
@pytest.mark.parametrize("axis", [0, 1, -1])
def test_cumsum_matches_numpy(dtype, exclusive, reverse, axis):
    x = values((3, 4), dtype)
    out = tf.math.cumsum(x, axis=axis, exclusive=exclusive, reverse=reverse)
    assert out.dtype.np == np.dtype(dtype)
    np.testing.assert_allclose(out.numpy(), _cumsum_ref(x, axis, exclusive, reverse), rtol=1e-5,
                               atol=1e-6)


def test_cumsum_edge_cases_and_errors():
    assert tf.cumsum(np.zeros((0, 2), np.float32), exclusive=True).shape == (0, 2)
    np.testing.assert_array_equal(tf.cumsum([1, 2, 3], exclusive=True).numpy(), [0, 1, 3])
    (dx,) = grad(lambda t: tf.cumsum(t) * tf.constant([1.0, 10.0, 100.0]), np.ones(3, np.float32))
    np.testing.assert_allclose(dx.numpy(), [111.0, 110.0, 100.0])
    with pytest.raises(ValueError, match="Cumsum"):
        tf.cumsum(tf.ones([2, 2]), axis=2)
    with pytest.raises(TypeError, match="Cumsum"):
        tf.cumsum(tf.ones([2]), axis=0.5)
    with pytest.raises(TypeError, match="Cumsum"):
        tf.cumsum(tf.constant([True]))


# -- clipping by norm ---------------------------------------------------------------------------

def test_clip_by_norm():
    x = np.array([[3.0, 4.0], [0.3, 0.4]], np.float32)
    np.testing.assert_allclose(tf.clip_by_norm(x, 1.0).numpy(), x / np.linalg.norm(x), rtol=1e-6)
    np.testing.assert_allclose(tf.clip_by_norm(x, 1.0, axes=[1]).numpy(),
                               [[0.6, 0.8], [0.3, 0.4]], rtol=1e-6)
    np.testing.assert_array_equal(tf.clip_by_norm(x, 100.0).numpy(), x)
    (dx,) = grad(lambda t: tf.reduce_sum(tf.clip_by_norm(t, 1.0)), np.zeros((2, 2)))
    np.testing.assert_array_equal(dx.numpy(), np.ones((2, 2)))    # finite at zero
    check_gradients(lambda t: tf.clip_by_norm(t, 1.0, axes=0), R.standard_normal((3, 2)) * 2.0,
                    order=2)
    with pytest.raises(TypeError, match="clip_by_norm"):
        tf.clip_by_norm(tf.constant([1, 2]), 1)


def test_clip_by_global_norm():
    a, b = np.array([3.0, 0.0], np.float32), np.array([[4.0]], np.float32)
    clipped, norm = tf.clip_by_global_norm([a, None, b], 1.0)
    assert norm.numpy() == pytest.approx(5.0)
    assert clipped[1] is None
    np.testing.assert_allclose(clipped[0].numpy(), a / 5.0, rtol=1e-6)
    np.testing.assert_allclose(clipped[2].numpy(), b / 5.0, rtol=1e-6)
    same, _ = tf.clip_by_global_norm([a, b], 10.0)
    np.testing.assert_allclose(same[0].numpy(), a, rtol=1e-6)
    nans, norm = tf.clip_by_global_norm([np.array([np.inf, 1.0], np.float32)], 1.0)
    assert norm.numpy() == np.inf and np.isnan(nans[0].numpy()).all()
    clipped, _ = tf.clip_by_global_norm([a], 1.0, use_norm=tf.constant(2.0))
    np.testing.assert_allclose(clipped[0].numpy(), a / 2.0)
    with pytest.raises(TypeError, match="sequence"):
        tf.clip_by_global_norm(tf.constant(a), 1.0)


# -- range and linspace -------------------------------------------------------------------------

@pytest.mark.parametrize("args,kwargs,expected", [
    ((5,), {}, np.arange(5, dtype=np.int32)),
    ((2, 9, 3), {}, np.arange(2, 9, 3, dtype=np.int32)),
    ((5, 1, -2), {}, np.array([5, 3], np.int32)),
    ((0.0, 1.0, 0.25), {}, np.arange(0, 1, 0.25, dtype=np.float32)),
    ((1, 2.5), {}, np.array([1.0, 2.0], np.float32)),
    ((4,), {"dtype": tf.float64}, np.arange(4, dtype=np.float64)),
    ((3, 3), {}, np.zeros(0, np.int32)),
])
def test_range(args, kwargs, expected):
    out = tf.range(*args, **kwargs)
    assert out.dtype.np == expected.dtype
    np.testing.assert_allclose(out.numpy(), expected)


def test_range_errors_and_static_shape():
    with pytest.raises(InvalidArgumentError, match="delta != 0"):
        tf.range(0, 5, 0)
    with pytest.raises(InvalidArgumentError, match="start <= limit"):
        tf.range(5, 0)
    with pytest.raises(TypeError):
        tf.range(tf.constant([1, 2]))
    assert tf.range(tf.constant(3, tf.int64)).dtype is tf.int64
    static, got = in_graph(lambda n: tf.range(n), np.array(4, np.int32))
    assert static[0].as_list() == [None]
    np.testing.assert_array_equal(got[0], np.arange(4))
    with tf.Graph().as_default():
        assert tf.range(1, 10, 2).shape.as_list() == [5]
        n = tf.compat.v1.placeholder(tf.int32, None)        # a scalar only when it runs
        r = tf.range(n, 5)
        with tf.compat.v1.Session() as sess:
            assert sess.run(r, {n: 3}).tolist() == [3, 4]
            for bad in ([], [1, 2]):
                with pytest.raises(InvalidArgumentError, match="start must be a scalar"):
                    sess.run(r, {n: bad})


def test_linspace():
    out = tf.linspace(10.0, 12.0, 3)
    assert out.dtype is tf.float32
    np.testing.assert_allclose(out.numpy(), [10.0, 11.0, 12.0])
    np.testing.assert_allclose(tf.linspace(2.0, 3.0, 1).numpy(), [2.0])
    start, stop = np.array([0.0, 5.0]), np.array([10.0, 40.0])
    np.testing.assert_allclose(tf.linspace(start, stop, 5).numpy(), np.linspace(start, stop, 5))
    np.testing.assert_allclose(tf.linspace(start, stop, 5, axis=-1).numpy(),
                               np.linspace(start, stop, 5, axis=-1))
    np.testing.assert_allclose(tf.linspace(start, 1.0, 3).numpy(), np.linspace(start, 1.0, 3))
    with pytest.raises(TypeError, match="LinSpace"):
        tf.linspace(0, 10, 5)
    with pytest.raises(InvalidArgumentError, match="num > 0"):
        tf.linspace(0.0, 1.0, 0)
    with pytest.raises(ValueError, match="axis"):
        tf.linspace(start, stop, 3, axis=2)


def test_linspace_gradient():
    ds, de = grad(lambda a, b: tf.linspace(a, b, 5) * tf.constant([1.0, 0, 0, 0, 2.0]),
                  np.array(1.0, np.float32), np.array(3.0, np.float32))
    assert ds.numpy() == pytest.approx(1.0) and de.numpy() == pytest.approx(2.0)


# -- matmul, tensordot, einsum ------------------------------------------------------------------

@pytest.mark.parametrize("dtype", DTYPES)
def test_matmul_batched_and_transposed(dtype):
    a, b = values((2, 1, 3, 4), dtype), values((3, 5, 4), dtype)
    out = tf.matmul(a, b, transpose_b=True)
    assert out.dtype.np == np.dtype(dtype) and out.shape == (2, 3, 3, 5)
    np.testing.assert_allclose(out.numpy(), a @ np.swapaxes(b, -1, -2), rtol=1e-5)
    with pytest.raises(ValueError, match="Dimensions must be equal"):
        with tf.Graph().as_default():
            tf.matmul(v1.placeholder(tf.float32, [None, 3]), v1.placeholder(tf.float32, [4, 2]))
    with pytest.raises(ValueError, match="rank >= 2"):
        tf.matmul(tf.ones([3]), tf.ones([3, 2]))


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("axes", [1, 0, 2, [[0], [1]], [[1, 0], [0, 1]], [2, 0], [[-2], [-3]]])
def test_tensordot_matches_numpy(axes, dtype):
    a, b = values((3, 4, 2), dtype), values((4, 3, 2), dtype)
    if axes == 1:
        b = values((2, 5), dtype)
    elif axes == 2:
        b = values((4, 2, 3), dtype)
    elif axes == [2, 0]:
        axes = [[2], [0]]
        b = values((2, 3), dtype)
    out = tf.tensordot(a, b, axes)
    expected = np.tensordot(a, b, axes)
    assert out.dtype.np == np.dtype(dtype) and out.shape == expected.shape
    np.testing.assert_allclose(out.numpy(), expected, rtol=1e-5)


def test_tensordot_unknown_dims_gradient_and_errors():
    a, b = R.standard_normal((2, 3)), R.standard_normal((3, 4))
    static, got = in_graph(lambda x, y: tf.tensordot(x, y, 1), a, b,
                           shapes=[[None, 3], [3, None]])
    assert static[0].as_list() == [None, None]
    np.testing.assert_allclose(got[0], a @ b)
    static, got = in_graph(lambda x, y: tf.tensordot(x, y, [[0], [1]]), a, b.T[:, :2],
                           shapes=[[None, 3], [4, None]])
    assert static[0].as_list() == [3, 4]
    np.testing.assert_allclose(got[0], a.T @ b[:2])
    check_gradients(lambda x, y: tf.tensordot(x, y, [[1, 0], [0, 2]]),
                    R.standard_normal((2, 3)), R.standard_normal((3, 2, 2)), order=2)
    with pytest.raises(ValueError, match="Different number of contraction axes"):
        tf.tensordot(tf.ones([2, 3]), tf.ones([3, 2]), [[1], [0, 1]])
    with pytest.raises(ValueError, match="must be equal"):
        tf.tensordot(tf.ones([2, 3]), tf.ones([2, 3]), 1)
    with pytest.raises(ValueError, match="at least 0"):
        tf.tensordot(tf.ones([2, 3]), tf.ones([3, 2]), -1)


@pytest.mark.parametrize("equation,shapes", [
    ("ij,jk->ik", [(2, 3), (3, 4)]), ("ij,jk", [(2, 3), (3, 4)]), ("ij->ji", [(2, 3)]),
    ("ii->i", [(3, 3)]), ("ii", [(3, 3)]), ("ij->", [(2, 3)]), ("i,i->", [(3,), (3,)]),
    ("i,j->ij", [(2,), (3,)]), ("bij,bjk->bik", [(2, 2, 3), (2, 3, 2)]),
    ("...ij,...jk->...ik", [(2, 1, 2, 3), (3, 3, 2)]), ("...j,j", [(2, 3), (3,)]),
    ("ab,bc,cd->ad", [(2, 3), (3, 2), (2, 4)]), ("ij,ij->ij", [(2, 3), (2, 3)]),
    ("b i , b j -> b i j", [(2, 3), (2, 2)]), ("ij,jk->ik", [(0, 3), (3, 2)]),
])
@pytest.mark.parametrize("dtype", DTYPES)
def test_einsum_matches_numpy(equation, shapes, dtype):
    xs = [values(s, dtype) for s in shapes]
    out = tf.einsum(equation, *xs)
    expected = np.einsum(equation.replace(" ", ""), *xs)
    assert out.dtype.np == np.dtype(dtype) and out.shape == expected.shape
    # (a sum that cancels may differ in its last float32 bits between summation orders)
    np.testing.assert_allclose(out.numpy(), expected, rtol=1e-5, atol=1e-6)
    with tf.Graph().as_default():
        phs = [v1.placeholder(tf.as_dtype(dtype), [None] * len(s)) for s in shapes]
        assert tf.einsum(equation, *phs).shape.rank == expected.ndim


def test_einsum_static_shapes_gradient_and_errors():
    static, got = in_graph(lambda x, y: tf.einsum("bij,jk->bki", x, y),
                           np.ones((2, 3, 4), np.float32), np.ones((4, 5), np.float32),
                           shapes=[[None, 3, 4], [4, 5]])
    assert static[0].as_list() == [None, 5, 3] and got[0].shape == (2, 5, 3)
    check_gradients(lambda x, y: tf.einsum("i,ij->j", x, y), R.standard_normal(3),
                    R.standard_normal((3, 2)), order=2)
    (dx,) = grad(lambda x: tf.einsum("ii->i", x), np.ones((2, 2)))   # a repeated label
    np.testing.assert_array_equal(dx.numpy(), np.eye(2))
    with pytest.raises(ValueError, match="names 2 inputs"):
        tf.einsum("ij,jk->ik", tf.ones([2, 2]))
    with pytest.raises(ValueError, match="sizes 3 and 4"):
        tf.einsum("ij,jk->ik", tf.ones([2, 3]), tf.ones([4, 2]))
    with pytest.raises(ValueError, match="sizes 2 and 1"):      # labels do not broadcast
        tf.einsum("ij,ij->ij", tf.ones([2, 3]), tf.ones([1, 3]))
    with tf.Graph().as_default():
        with pytest.raises(ValueError, match="sizes 3 and 4"):
            tf.einsum("ij,jk", v1.placeholder(tf.float32, [None, 3]), tf.ones([4, 2]))
    with pytest.raises(ValueError, match="output subscripts"):
        tf.einsum("ij->k", tf.ones([2, 3]))
    with pytest.raises(TypeError, match="Einsum"):
        tf.einsum("ij->ji", tf.constant([[True]]))


def test_einsum_sums_no_ellipsis_dims_away():
    """As TF: '...' dims missing from the output are an error (NumPy would sum them, but only
    with optimize), eagerly InvalidArgumentError, at graph construction ValueError, at run time
    (shapes unknown until then) InvalidArgumentError; a '...' that covers no dims is fine."""
    a, b = tf.ones([2, 3, 4]), tf.ones([2, 4, 5])
    for eq, xs in [("...ij,...jk->ik", (a, b)), ("...i->i", (tf.ones([2, 3]),))]:
        with pytest.raises(InvalidArgumentError, match=r"cover 1 broadcasting dimension.*no "
                           r"ellipsis \(\.\.\.\) was found in the output"):
            tf.einsum(eq, *xs)
    with pytest.raises(InvalidArgumentError, match="sizes 3 and 4"):   # eagerly TF's class too
        tf.einsum("ij,jk->ik", tf.ones([2, 3]), tf.ones([4, 2]))
    with tf.Graph().as_default():
        with pytest.raises(ValueError, match="no ellipsis") as e:
            tf.einsum("...ij,...jk->ik", v1.placeholder(tf.float32, [None, 3, 4]), b)
        assert not isinstance(e.value, InvalidArgumentError)
        p = v1.placeholder(tf.float32, None)
        z = tf.einsum("...ij,...jk->ik", p, tf.ones([4, 5]))
        with v1.Session() as sess:
            np.testing.assert_allclose(sess.run(z, {p: np.ones((3, 4), np.float32)}),
                                       np.full((3, 5), 4.0))
            with pytest.raises(InvalidArgumentError, match="'Einsum'.*no ellipsis"):
                sess.run(z, {p: np.ones((2, 3, 4), np.float32)})
    x, y = R.standard_normal((3, 4)), R.standard_normal((4, 2))
    np.testing.assert_allclose(tf.einsum("...ij,...jk->ik", x, y).numpy(), x @ y, rtol=1e-12)
    check_gradients(lambda x, y: tf.einsum("...ij,...jk->ik", x, y), x, y, order=2)
    check_gradients(lambda x: tf.einsum("...i->i", x), R.standard_normal(3), order=2)


def test_einsum_gradient_sums_the_ellipsis_dims_an_input_lacks():
    """d/db of '...ij,jk->...ik' sums over a's '...' dims after the product (the op itself sums
    none): with the rank known, and with a rank known only at run time."""
    av, bv = R.standard_normal((2, 2, 3)), R.standard_normal((3, 2))
    check_gradients(lambda a, b: tf.einsum("...ij,jk->...ik", a, b), av, bv, order=2)
    want = [2 * np.einsum("...ik,jk->...ij", av @ bv, bv),
            2 * np.einsum("bij,bik->jk", av, av @ bv)]
    with tf.Graph().as_default():
        pa, pb = v1.placeholder(tf.float64, None), v1.placeholder(tf.float64, [3, 2])
        grads = tf.gradients(tf.reduce_sum(tf.einsum("...ij,jk->...ik", pa, pb) ** 2), [pa, pb])
        with v1.Session() as sess:
            for got, w in zip(sess.run(grads, {pa: av, pb: bv}), want):
                np.testing.assert_allclose(got, w, rtol=1e-12)


# -- integer inputs give no gradient ------------------------------------------------------------

def test_integer_paths_give_none():
    x = tf.constant([1.5, 2.5])
    with tf.GradientTape(persistent=True) as tape:
        tape.watch(x)
        i = tf.cast(x, tf.int32)
        y = tf.reduce_sum(tf.cast(tf.cumsum(i * 2), tf.float32))
        z = tf.reduce_sum(tf.cast(tf.argmax(tf.stack([x, -x])), tf.float32))
    assert tape.gradient(y, x) is None
    assert tape.gradient(z, x) is None


# -- TF's gradient kernels of Sqrt, Rsqrt and Reciprocal ------------------------------------------

def test_sqrt_rsqrt_reciprocal_gradients_are_zero_where_no_gradient_comes_in():
    """TF 2.21's raw_ops SqrtGrad / RsqrtGrad / ReciprocalGrad: 0 where dy == 0 even at y = 0,
    Inf or NaN, so the safe-where pattern has a finite gradient at x <= 0, eagerly and in a
    graph."""
    y = np.array([0.0, np.nan, np.inf, 2.0, 0.0, -0.0, np.nan], np.float32)
    dy = np.array([0.0, 0.0, 0.0, 0.0, 1.0, 1.0, np.nan], np.float32)
    want = {"sqrt_grad": [0.0, 0.0, 0.0, 0.0, np.inf, -np.inf, np.nan],
            "rsqrt_grad": [0.0, 0.0, 0.0, 0.0, -0.0, 0.0, np.nan],
            "reciprocal_grad": [0.0, 0.0, 0.0, 0.0, -0.0, -0.0, np.nan]}
    from janusgrad.ops import math as _math
    for name, w in want.items():
        got = getattr(_math, name)(y, dy).numpy()
        np.testing.assert_array_equal(got, np.array(w, np.float32))
        real = ~np.isnan(got)
        np.testing.assert_array_equal(np.signbit(got[real]), np.signbit(np.array(w)[real]))

    def f(x):
        safe = [tf.where(x > 0.0, g(x), 0.0) for g in (tf.sqrt, tf.math.rsqrt, tf.math.reciprocal)]
        return tf.reduce_sum(safe[0] + 2.0 * safe[1] + 3.0 * safe[2])
    x0 = np.array([-1.0, 0.0, 4.0], np.float32)
    want_dx = [0.0, 0.0, 0.5 / 2.0 - 2.0 * 0.5 / 8.0 - 3.0 / 16.0]
    x = tf.constant(x0)
    with tf.GradientTape() as tape:
        tape.watch(x)
        loss = f(x)
    np.testing.assert_allclose(tape.gradient(loss, x).numpy(), want_dx, rtol=1e-6)
    with tf.Graph().as_default():
        p = v1.placeholder(tf.float32, [3])
        (g,) = tf.gradients(f(p), p)
        with v1.Session() as sess:
            np.testing.assert_allclose(sess.run(g, {p: x0}), want_dx, rtol=1e-6)


def test_clip_by_value_is_minimum_then_maximum_as_tf():
    """TF 2.21 numbers: a lower bound above the upper one wins, and takes every gradient;
    a NaN element sends its gradient to the lower bound."""
    x0 = np.array([-5.0, 0.0, 5.0, np.nan, 2.0], np.float32)
    for lo0, hi0, want, want_dx, want_dlo, want_dhi in [
            (3.0, 1.0, [3, 3, 3, np.nan, 3], [0, 0, 0, 0, 0], 5.0, 0.0),
            (-1.0, 1.0, [-1, 0, 1, np.nan, 1], [0, 1, 0, 0, 0], 2.0, 2.0)]:
        x, lo, hi = tf.constant(x0), tf.constant(lo0), tf.constant(hi0)
        with tf.GradientTape() as tape:
            tape.watch([x, lo, hi])
            y = tf.clip_by_value(x, lo, hi)
        np.testing.assert_array_equal(y.numpy(), np.array(want, np.float32))
        dx, dlo, dhi = tape.gradient(y, [x, lo, hi])
        np.testing.assert_array_equal(dx.numpy(), want_dx)
        assert (dlo.numpy(), dhi.numpy()) == (want_dlo, want_dhi)


_RNG7 = np.random.default_rng(7)


def run_fed_graph(build, feeds):
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
    x = _RNG7.standard_normal((2, 3, 4)).astype(np.float32)
    (y,), (v,) = run_fed_graph(lambda p, a: [fn(p, a, keepdims=keepdims)],
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
    _, (s, m, any_, all_) = run_fed_graph(
        lambda p, q, a: [tf.reduce_sum(p, a), tf.reduce_mean(p, a), tf.reduce_any(q, a),
                         tf.reduce_all(q, a)], [(x, [2, 3]), (b, [2, 2]), (np.int32(1), [])])
    np.testing.assert_array_equal(s, [-2, 0])
    np.testing.assert_array_equal(m, [0, 0])       # -2 / 3 and 0 / 3 truncate to 0
    assert s.dtype == np.int32
    np.testing.assert_array_equal(any_, [True, True])
    np.testing.assert_array_equal(all_, [False, True])
    f = _RNG7.standard_normal((3, 2)).astype(np.float32)
    _, (lse,) = run_fed_graph(lambda p, a: [tf.reduce_logsumexp(p, a)],
                          [(f, [None, None]), (np.int64(0), [])])
    np.testing.assert_allclose(lse, np.log(np.exp(f).sum(0)), rtol=1e-5)


def test_dynamic_axis_out_of_range_and_bad_dtype():
    x = np.ones((2, 3), np.float32)
    with pytest.raises(tf.errors.InvalidArgumentError, match="Invalid reduction dimension 2"):
        run_fed_graph(lambda p, a: [tf.reduce_sum(p, a)], [(x, [2, 3]), (np.int32(2), [])])
    with pytest.raises(TypeError, match="Sum: axis must be int"):
        run_fed_graph(lambda p, a: [tf.reduce_sum(p, a)], [(x, [2, 3]), (np.float32(1), [])])


@pytest.mark.parametrize("fn", [tf.reduce_sum, tf.reduce_mean, tf.reduce_max, tf.reduce_min,
                                tf.reduce_prod, tf.reduce_logsumexp])
@pytest.mark.parametrize("keepdims", [False, True])
def test_dynamic_axis_gradient_matches_static_axis(fn, keepdims):
    x = _RNG7.permutation(12).reshape(3, 4).astype(np.float32) * 0.3
    w = _RNG7.standard_normal((3, 1) if keepdims else (3,)).astype(np.float32)

    def grads(dynamic):
        def build(p, a):
            y = fn(p, a if dynamic else -1, keepdims=keepdims)
            return tf.compat.v1.gradients(tf.reduce_sum(y * w), p)
        return run_fed_graph(build, [(x, [None, 4]), (np.int32(-1), [])])[1][0]

    np.testing.assert_allclose(grads(True), grads(False), rtol=1e-6)
    assert np.any(grads(True) != 0)


@pytest.mark.parametrize("fn", [tf.reduce_sum, tf.reduce_mean, tf.reduce_max, tf.reduce_min,
                                tf.reduce_prod, tf.reduce_logsumexp])
@pytest.mark.parametrize("keepdims", [False, True])
@pytest.mark.parametrize("axis", [-1, [-2], [0, -1]])
def test_negative_axis_gradient_of_an_input_of_unknown_rank(fn, keepdims, axis):
    """A negative axis is taken modulo the rank when the graph runs (it raised before)."""
    x = _RNG7.permutation(24).reshape(2, 3, 4).astype(np.float64) * 0.1 + 0.05
    with tf.GradientTape() as tape:
        t = tf.constant(x)
        tape.watch(t)
        y = fn(t, axis, keepdims=keepdims)
        loss = tf.reduce_sum(y * y)
    want = tape.gradient(loss, t).numpy()
    (got,) = run_fed_graph(
        lambda p: tf.gradients(tf.reduce_sum(fn(p, axis, keepdims=keepdims) ** 2), p),
        [(x, None)])[1]
    np.testing.assert_allclose(got, want, rtol=1e-12)
    assert np.any(want != 0)


# -- Einsum gradients with a label repeated in one input ------------------------------------------

def test_einsum_repeated_label_gradients():
    a = tf.constant(_RNG7.standard_normal((3, 3)).astype(np.float32))
    b = tf.constant(_RNG7.standard_normal((3, 3, 2)).astype(np.float32))
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
