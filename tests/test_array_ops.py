"""Array ops against NumPy: values, dtypes, empty tensors, indexing, static shapes with unknown
dims in graph mode, dense gradients of gathers, and the errors TF raises."""
import numpy as np
import pytest

import janusgrad as tf
from janusgrad.check import check_gradients
from janusgrad.framework.errors import InvalidArgumentError

v1 = tf.compat.v1
R = np.random.default_rng(1)
DTYPES = [np.float32, np.float64, np.int32]


def values(shape, dtype=np.float32):
    if np.dtype(dtype).kind == "f":
        return R.standard_normal(shape).astype(dtype)
    return R.integers(-5, 6, shape).astype(dtype)


def in_graph(fn, *arrays, shapes=None):
    """fn built on placeholders (of `shapes`, default the arrays' shapes) and run once:
    (the static shapes of its outputs, their values)."""
    g = tf.Graph()
    with g.as_default():
        phs = [v1.placeholder(tf.as_dtype(a.dtype), a.shape if shapes is None else s)
               for a, s in zip(arrays, shapes or arrays)]
        out = fn(*phs)
        outs = out if isinstance(out, (list, tuple)) else [out]
        static = [t.shape.as_list() if t.shape.rank is not None else None for t in outs]
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


def same(out, expected):
    assert out.dtype.np == np.asarray(expected).dtype, (out.dtype, np.asarray(expected).dtype)
    assert out.shape == np.shape(expected)
    np.testing.assert_array_equal(out.numpy(), expected)


# -- creation, shape queries --------------------------------------------------------------------

def test_zeros_ones_fill_eye_identity():
    same(tf.zeros([2, 3]), np.zeros((2, 3), np.float32))
    same(tf.ones((2,), tf.int32), np.ones(2, np.int32))
    same(tf.zeros([0, 2], tf.float64), np.zeros((0, 2)))
    same(tf.fill([2, 2], 7), np.full((2, 2), 7, np.int32))
    same(tf.fill([3], 0.5), np.full(3, 0.5, np.float32))
    same(tf.eye(2, 3), np.eye(2, 3, dtype=np.float32))
    same(tf.eye(2, batch_shape=[3], dtype=tf.int32), np.broadcast_to(np.eye(2, dtype=np.int32),
                                                                      (3, 2, 2)))
    same(tf.identity([1, 2]), np.array([1, 2], np.int32))
    same(tf.zeros_like(np.ones((2, 1), np.float64)), np.zeros((2, 1)))
    same(tf.ones_like([True, False]), np.array([True, True]))
    with pytest.raises(InvalidArgumentError):
        tf.fill([-1, 2], 1.0)
    with pytest.raises(ValueError):
        tf.fill([2], [1.0, 2.0])
    with pytest.raises(TypeError):
        tf.zeros([2.5])


def test_eye_of_sizes_known_only_at_run_time():
    """tf.eye(tf.shape(x)[1]) in a graph: TF's static shape (what is known of the sizes), the
    run's values, and TF's class of error for a bad size fed at run time."""
    with tf.Graph().as_default():
        x = v1.placeholder(tf.float32, [None, None])
        n, m = tf.shape(x)[0], tf.shape(x)[1]
        square, rect = tf.eye(m), tf.eye(n, 3, dtype=tf.float64)
        batch, both = tf.eye(2, batch_shape=[n]), tf.eye(n, m, batch_shape=[2])
        assert square.shape.as_list() == [None, None] and rect.shape.as_list() == [None, 3]
        assert batch.shape.as_list() == [None, 2, 2] and both.shape.as_list() == [2, None, None]
        assert rect.dtype is tf.float64
        size = v1.placeholder(tf.int32, None)
        bad = tf.eye(size)
        with v1.Session() as sess:
            got = sess.run([square, rect, batch, both], {x: np.ones((2, 4), np.float32)})
            with pytest.raises(InvalidArgumentError, match="num_rows must be a non-negative"):
                sess.run(bad, {size: -1})
            with pytest.raises(InvalidArgumentError, match="num_rows must be a non-negative"):
                sess.run(bad, {size: [2]})
    for g, w in zip(got, [np.eye(4), np.eye(2, 3), np.broadcast_to(np.eye(2), (2, 2, 2)),
                          np.broadcast_to(np.eye(2, 4), (2, 2, 4))]):
        np.testing.assert_array_equal(g, w)
    same(tf.eye(tf.constant(2), batch_shape=[tf.constant(3)]),        # eager: known values
         np.broadcast_to(np.eye(2, dtype=np.float32), (3, 2, 2)))


def test_fill_static_shape_from_a_partly_known_shape():
    static, got = in_graph(lambda x: tf.zeros(tf.shape(x)), np.ones((2, 3), np.float32),
                           shapes=[[None, 3]])
    assert static[0] == [None, 3] and got[0].shape == (2, 3)


def test_shape_size_rank():
    x = np.ones((2, 0, 3), np.float32)
    same(tf.shape(x), np.array([2, 0, 3], np.int32))
    same(tf.shape(x, out_type=tf.int64), np.array([2, 0, 3], np.int64))
    same(tf.size(x), np.array(0, np.int32))
    same(tf.rank(x), np.array(3, np.int32))
    static, got = in_graph(lambda t: [tf.shape(t), tf.size(t), tf.rank(t)],
                           np.ones((4, 3), np.float32), shapes=[[None, 3]])
    assert static == [[2], [], []]
    assert got[0].tolist() == [4, 3] and got[1] == 12 and got[2] == 2


# -- reshaping ----------------------------------------------------------------------------------

@pytest.mark.parametrize("dtype", DTYPES)
def test_reshape_transpose_squeeze_expand(dtype):
    x = values((2, 1, 3), dtype)
    same(tf.reshape(x, [3, -1]), x.reshape(3, -1))
    same(tf.transpose(x), x.T)
    same(tf.transpose(x, [1, 2, 0]), np.transpose(x, (1, 2, 0)))
    same(tf.squeeze(x), x.reshape(2, 3))
    same(tf.squeeze(x, axis=-2), x.reshape(2, 3))
    same(tf.expand_dims(x, -1), x[..., None])
    same(tf.expand_dims(x, 0), x[None])


def test_reshaping_errors():
    with pytest.raises(ValueError):
        tf.reshape(tf.ones([2, 3]), [4, -1])
    with pytest.raises(ValueError, match="permutation"):
        tf.transpose(tf.ones([2, 3]), [0, 0])
    with pytest.raises(ValueError, match="squeeze"):
        tf.squeeze(tf.ones([2, 3]), axis=0)
    with pytest.raises(ValueError, match="ExpandDims"):
        tf.expand_dims(tf.ones([2]), 3)


def test_reshape_keeps_known_dims_in_graph_mode():
    static, _ = in_graph(lambda x: [tf.reshape(x, [-1]), tf.reshape(x, [-1, 6]),
                                    tf.reshape(x, tf.stack([tf.shape(x)[0], 3, 2]))],
                         np.ones((2, 6), np.float32), shapes=[[None, 6]])
    assert static == [[None], [None, 6], [None, 3, 2]]


# -- stacking and splitting ---------------------------------------------------------------------

@pytest.mark.parametrize("dtype", DTYPES)
def test_concat_stack_unstack(dtype):
    a, b = values((2, 3), dtype), values((2, 1), dtype)
    same(tf.concat([a, b], axis=-1), np.concatenate([a, b], -1))
    same(tf.stack([a, a], axis=1), np.stack([a, a], 1))
    for got, want in zip(tf.unstack(a, axis=1), np.moveaxis(a, 1, 0)):
        same(got, want)
    with pytest.raises(ValueError):
        tf.concat([a, values((3, 1), dtype)], 1)
    with pytest.raises(ValueError):
        tf.stack([a, b])


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("splits,axis", [(3, 1), (2, 0), (1, -1), ([1, 2], 1), ([2, -1, 0], -1),
                                         ([0, 2], 0), (np.array([1, 1]), 0)])
def test_split_matches_numpy(splits, axis, dtype):
    x = values((2, 3), dtype)
    parts = tf.split(x, splits, axis=axis)
    if isinstance(splits, int):
        expected = np.split(x, splits, axis)
    else:
        sizes = list(splits)
        if -1 in sizes:
            sizes[sizes.index(-1)] = x.shape[axis] - sum(s for s in sizes if s != -1)
        expected = np.split(x, np.cumsum(sizes)[:-1], axis)
    assert len(parts) == len(expected)
    for got, want in zip(parts, expected):
        same(got, want)


def test_split_op_types_errors_and_static_shapes():
    x = tf.ones([4, 6])
    assert tf.split(x, 2)[0].shape == (2, 6)
    with pytest.raises(InvalidArgumentError, match="evenly divide"):
        tf.split(x, 4, axis=1)
    with pytest.raises(InvalidArgumentError):
        tf.split(x, [1, 2], axis=1)
    with pytest.raises(InvalidArgumentError):
        tf.split(x, [-1, -1, 2], axis=1)
    static, got = in_graph(lambda t: tf.split(t, [1, -1, 2], axis=1) + tf.split(t, 2),
                           np.ones((4, 6), np.float32), shapes=[[None, 6]])
    assert static == [[None, 1], [None, 3], [None, 2], [None, 6], [None, 6]]
    assert [g.shape for g in got] == [(4, 1), (4, 3), (4, 2), (2, 6), (2, 6)]
    with tf.Graph().as_default():
        t = v1.placeholder(tf.float32, [None, 6])
        assert tf.split(t, 3, axis=1)[0].op.type == "Split"
        assert tf.split(t, [3, 3], axis=1)[0].op.type == "SplitV"
        with pytest.raises(ValueError, match="evenly divide"):
            tf.split(t, 4, axis=1)


# -- tile, broadcast_to, reverse, slice, pad ----------------------------------------------------

@pytest.mark.parametrize("dtype", DTYPES)
def test_tile_broadcast_to_reverse(dtype):
    x = values((2, 3), dtype)
    same(tf.tile(x, [2, 1]), np.tile(x, (2, 1)))
    same(tf.tile(x, tf.constant([1, 3], tf.int64)), np.tile(x, (1, 3)))
    same(tf.tile(x, [0, 2]), np.tile(x, (0, 2)))
    same(tf.broadcast_to(x[0], [4, 3]), np.broadcast_to(x[0], (4, 3)))
    same(tf.broadcast_to(x, [2, 2, 3]), np.broadcast_to(x, (2, 2, 3)))
    same(tf.reverse(x, [1]), x[:, ::-1])
    same(tf.reverse(x, [-1, 0]), x[::-1, ::-1])
    same(tf.reverse(x, []), x)


def test_tile_broadcast_reverse_errors():
    with pytest.raises(InvalidArgumentError, match="length 2"):
        tf.tile(tf.ones([2, 3]), [2])
    with pytest.raises(TypeError, match="multiples"):
        tf.tile(tf.ones([2]), [1.5])
    with pytest.raises(InvalidArgumentError, match="Incompatible shapes"):
        tf.broadcast_to(tf.ones([2, 3]), [3, 3])
    with pytest.raises(ValueError, match="more than once"):
        tf.reverse(tf.ones([2, 3]), [1, -1])
    with pytest.raises(ValueError, match="out of range"):
        tf.reverse(tf.ones([2, 3]), [2])
    with tf.Graph().as_default():
        with pytest.raises(ValueError, match="Tile"):
            tf.tile(v1.placeholder(tf.float32, [None, 3]), [1, 2, 3])
        with pytest.raises(ValueError, match="BroadcastTo"):
            tf.broadcast_to(v1.placeholder(tf.float32, [None, 3]), [4, 2])


def test_tile_gradient_sums_the_copies():
    (dx,) = grad(lambda t: tf.tile(t, [2, 3]) * tf.reshape(tf.range(24.0), [4, 6]),
                 np.ones((2, 2), np.float32))
    w = np.arange(24.0).reshape(4, 6)
    np.testing.assert_allclose(dx.numpy(), sum(w[i:i + 2, j:j + 2] for i in (0, 2)
                                               for j in (0, 2, 4)))


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("begin,size", [([0, 0], [-1, -1]), ([1, 1], [1, 2]), ([0, 2], [2, 0]),
                                        ([2, 0], [0, 3])])
def test_slice_matches_numpy(begin, size, dtype):
    x = values((2, 3), dtype)
    idx = tuple(slice(b, None if s == -1 else b + s) for b, s in zip(begin, size))
    same(tf.slice(x, begin, size), x[idx])


def test_slice_errors_and_gradient():
    with pytest.raises(InvalidArgumentError, match="size"):
        tf.slice(tf.ones([2, 3]), [1, 1], [2, 1])
    with pytest.raises(InvalidArgumentError, match="begin"):
        tf.slice(tf.ones([2, 3]), [-1, 0], [1, 1])
    with pytest.raises(InvalidArgumentError):
        tf.slice(tf.ones([2, 3]), [0], [1])
    (dx,) = grad(lambda t: tf.slice(t, [1, 0], [1, 2]) * 3.0, np.ones((2, 3), np.float32))
    np.testing.assert_array_equal(dx.numpy(), [[0, 0, 0], [3, 3, 0]])


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("mode", ["CONSTANT", "REFLECT", "SYMMETRIC", "reflect"])
def test_pad_matches_numpy(mode, dtype):
    x = values((3, 4), dtype)
    pads = [[1, 2], [3, 0]]
    out = tf.pad(x, pads, mode)
    same(out, np.pad(x, pads, mode=mode.lower()))
    expected_type = "Pad" if mode == "CONSTANT" else "MirrorPad"
    with tf.Graph().as_default():
        assert tf.pad(tf.constant(x), pads, mode).op.type == expected_type


def test_pad_constant_values_empty_and_errors():
    x = np.ones((2, 2), np.float32)
    out = tf.pad(x, [[1, 0], [0, 1]], constant_values=-2.0)
    same(out, np.pad(x, [[1, 0], [0, 1]], constant_values=-2.0))
    with tf.Graph().as_default():
        assert tf.pad(tf.constant(x), [[1, 0], [0, 1]], constant_values=3).op.type == "PadV2"
    same(tf.pad(np.zeros((0, 2), np.int32), [[1, 1], [0, 0]]), np.zeros((2, 2), np.int32))
    with pytest.raises(InvalidArgumentError, match="REFLECT"):
        tf.pad(x, [[2, 0], [0, 0]], "REFLECT")
    with pytest.raises(InvalidArgumentError, match="SYMMETRIC"):
        tf.pad(x, [[3, 0], [0, 0]], "SYMMETRIC")
    with pytest.raises(InvalidArgumentError, match="shape"):
        tf.pad(x, [[1, 1]])
    with pytest.raises(InvalidArgumentError, match="non-negative"):
        tf.pad(x, [[-1, 1], [0, 0]])
    with pytest.raises(ValueError, match="mode"):
        tf.pad(x, [[1, 1], [0, 0]], "WRAP")
    with tf.Graph().as_default():
        with pytest.raises(ValueError, match="REFLECT"):
            tf.pad(v1.placeholder(tf.float32, [None, 2]), [[0, 0], [2, 0]], "REFLECT")


def test_mirror_pad_gradient_folds_back():
    (dx,) = grad(lambda t: tf.pad(t, [[2, 1]], "REFLECT") * tf.range(1.0, 7.0),
                 np.zeros(3, np.float32))
    # padded = [x2, x1, x0, x1, x2, x1] weighted by 1..6
    np.testing.assert_allclose(dx.numpy(), [3.0, 2.0 + 4.0 + 6.0, 1.0 + 5.0])
    (dx,) = grad(lambda t: tf.pad(t, [[1, 2]], "SYMMETRIC") * tf.range(1.0, 7.0),
                 np.zeros(3, np.float32))
    # padded = [x0, x0, x1, x2, x2, x1]
    np.testing.assert_allclose(dx.numpy(), [1.0 + 2.0, 3.0 + 6.0, 4.0 + 5.0])


def test_pad_static_shapes():
    static, got = in_graph(lambda t: [tf.pad(t, [[1, 1], [0, 2]]),
                                      tf.pad(t, [[1, 1], [1, 1]], "SYMMETRIC")],
                           np.ones((2, 3), np.float32), shapes=[[None, 3]])
    assert static == [[None, 5], [None, 5]]
    assert [g.shape for g in got] == [(4, 5), (4, 5)]


# -- gather, gather_nd, scatter_nd --------------------------------------------------------------

@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("indices,axis", [([2, 0, 2], 0), ([[1], [0]], 1), (1, -1), ([], 0),
                                          (np.array([[0, 1], [1, 1]], np.int64), 2)])
def test_gather_matches_numpy(indices, axis, dtype):
    x = values((3, 2, 2), dtype)
    out = tf.gather(x, indices, axis=axis)
    same(out, np.take(x, np.asarray(indices, None if np.size(indices) else np.int32), axis=axis))


def test_gather_batch_dims():
    params = values((2, 3, 4))
    indices = np.array([[2, 0], [1, 1]], np.int32)
    out = tf.gather(params, indices, axis=1, batch_dims=1)
    expected = np.stack([params[b][indices[b]] for b in range(2)])
    same(out, expected)
    out = tf.gather(params, indices[:, :1], axis=2, batch_dims=1)
    same(out, np.stack([params[b][:, indices[b, :1]] for b in range(2)]))
    out = tf.gather(params, indices, batch_dims=-1)   # axis defaults to batch_dims: -1 as TF
    same(out, np.stack([params[b][:, indices[b]] for b in range(2)]))


def test_gather_batch_dims_equal_to_the_rank_of_indices():
    """One index per row (the per-row pick after an argmax): TF 2.21 gives [1, 4, 11]."""
    params = np.arange(12.0).reshape(3, 4)
    same(tf.gather(params, [1, 0, 3], axis=1, batch_dims=1), np.array([1.0, 4.0, 11.0]))
    p3 = np.arange(24.0).reshape(2, 3, 4)
    same(tf.gather(p3, [[1, 0, 2], [0, 0, 1]], axis=2, batch_dims=2),
         np.array([[1.0, 4.0, 10.0], [12.0, 16.0, 21.0]]))
    check_gradients(lambda a: tf.gather(a, [1, 0, 3], axis=1, batch_dims=1), params, order=2)
    with pytest.raises(ValueError, match=r"batch_dims \(2\) must be less than or equal to axis"):
        tf.gather(params, [1, 0, 3], axis=1, batch_dims=2)
    with pytest.raises(ValueError, match="less than or equal to rank"):
        tf.gather(p3, [1, 0], axis=2, batch_dims=2)


def test_gather_errors():
    x = tf.ones([3, 2])
    with pytest.raises(InvalidArgumentError, match=r"indices\[1\] = 3 is not in \[0, 3\)"):
        tf.gather(x, [0, 3])
    with pytest.raises(InvalidArgumentError, match="not in"):
        tf.gather(x, [-1])
    with pytest.raises(ValueError, match="axis"):
        tf.gather(x, [0], axis=2)
    with pytest.raises(TypeError, match="indices"):
        tf.gather(x, [0.5])
    with pytest.raises(ValueError, match="batch_dims"):
        tf.gather(x, [[0]], axis=0, batch_dims=1)
    with pytest.raises(ValueError, match="at least 1"):
        tf.gather(tf.constant(1.0), [0])


def test_gather_gradient_accumulates_repeats():
    # off axis 0: dense, as TF's; along axis 0: IndexedSlices (tests/test_indexed_slices.py)
    (dx,) = grad(lambda t: tf.gather(t, [2, 0, 2], axis=1) * tf.constant([1.0, 10.0, 100.0]),
                 np.ones((2, 3), np.float32))
    np.testing.assert_array_equal(dx.numpy(), [[10, 0, 101], [10, 0, 101]])
    dx, di = grad(lambda t, i: tf.gather(t, i), np.ones(3, np.float32), np.array([1, 1]))
    assert isinstance(dx, tf.IndexedSlices)
    np.testing.assert_array_equal(tf.convert_to_tensor(dx).numpy(), [0, 2, 0])
    assert di is None


def test_gather_static_shapes():
    static, got = in_graph(lambda p, i: [tf.gather(p, i, axis=1), tf.gather(p, [[0, 1]]),
                                         tf.gather(p, i, axis=-1)],
                           values((2, 3)), np.array([0, 2, 2], np.int32),
                           shapes=[[None, 3], [None]])
    assert static == [[None, None], [1, 2, 3], [None, None]]
    assert [g.shape for g in got] == [(2, 3), (1, 2, 3), (2, 3)]


@pytest.mark.parametrize("dtype", DTYPES)
def test_gather_nd_and_scatter_nd(dtype):
    x = values((3, 2, 2), dtype)
    same(tf.gather_nd(x, [[0, 1], [2, 0]]), x[[0, 2], [1, 0]])
    same(tf.gather_nd(x, [[[1]], [[0]]]), x[np.array([[1], [0]])])
    same(tf.gather_nd(x, [[0, 1, 1]]), x[[0], [1], [1]])
    upd = values((3,), dtype)
    out = tf.scatter_nd([[1], [3], [1]], upd, [5])
    expected = np.zeros(5, dtype)
    np.add.at(expected, [1, 3, 1], upd)
    same(out, expected)
    same(tf.scatter_nd(np.zeros((0, 2), np.int32), np.zeros((0, 3), dtype), [2, 2, 3]),
         np.zeros((2, 2, 3), dtype))


def test_gather_nd_scatter_nd_errors_and_gradients():
    with pytest.raises(InvalidArgumentError, match="not in"):
        tf.gather_nd(tf.ones([2, 2]), [[0, 2]])
    with pytest.raises(InvalidArgumentError, match="innermost"):
        tf.gather_nd(tf.ones([2, 2]), [[0, 0, 0]])
    with pytest.raises(InvalidArgumentError, match="updates"):
        tf.scatter_nd([[0]], [1.0, 2.0], [3])
    with pytest.raises(ValueError, match="must match"):     # batch dims 2 and 1
        tf.gather_nd(tf.ones([2, 2]), [[0]], batch_dims=1)
    (dx,) = grad(lambda t: tf.gather_nd(t, [[0, 1], [0, 1], [1, 0]]), np.ones((2, 2), np.float32))
    np.testing.assert_array_equal(dx.numpy(), [[0, 2], [1, 0]])
    (du,) = grad(lambda u: tf.scatter_nd([[2], [0]], u, [3]) * tf.constant([1.0, 2.0, 3.0]),
                 np.ones(2, np.float32))
    np.testing.assert_array_equal(du.numpy(), [3, 1])


# -- one_hot, boolean_mask ----------------------------------------------------------------------

def test_one_hot():
    out = tf.one_hot([0, 2, -1, 5], 3)
    same(out, np.array([[1, 0, 0], [0, 0, 1], [0, 0, 0], [0, 0, 0]], np.float32))
    same(tf.one_hot([1, 0], 2, axis=0), np.array([[0, 1], [1, 0]], np.float32))
    same(tf.one_hot([1], 3, on_value=5, off_value=-1), np.array([[-1, 5, -1]], np.int32))
    same(tf.one_hot([1], 2, dtype=tf.float64), np.array([[0.0, 1.0]]))
    same(tf.one_hot(np.zeros((0,), np.int64), 2), np.zeros((0, 2), np.float32))
    same(tf.one_hot([[0, 1]], 2, axis=1), np.array([[[1, 0], [0, 1]]], np.float32))
    with pytest.raises(TypeError, match="OneHot"):
        tf.one_hot([0.5], 2)
    with pytest.raises(TypeError, match="OneHot"):
        tf.one_hot([0], 2, on_value=1.0, off_value=0)
    with pytest.raises(ValueError, match="axis"):
        tf.one_hot([0], 2, axis=3)
    with tf.Graph().as_default():
        t = tf.one_hot(v1.placeholder(tf.int32, [None]), 4)
        assert t.shape.as_list() == [None, 4] and t.op.type == "OneHot"


def test_one_hot_gives_no_gradient():
    on = tf.constant(2.0)
    with tf.GradientTape() as tape:
        tape.watch(on)
        y = tf.reduce_sum(tf.one_hot([0, 1], 2, on_value=on, off_value=0.0))
    assert tape.gradient(y, on) is None


@pytest.mark.parametrize("dtype", DTYPES)
def test_boolean_mask_matches_numpy(dtype):
    x = values((2, 3, 2), dtype)
    m1 = np.array([True, False])
    m2 = np.array([[True, False, True], [False, True, True]])
    same(tf.boolean_mask(x, m1), x[m1])
    same(tf.boolean_mask(x, m2), x[m2])
    same(tf.boolean_mask(x, np.array([False, True, True]), axis=1), x[:, [1, 2]])
    same(tf.boolean_mask(x, np.zeros(2, bool)), x[np.zeros(2, bool)])


def test_boolean_mask_errors_static_shape_and_gradient():
    with pytest.raises(ValueError, match="scalar"):
        tf.boolean_mask(tf.ones([2]), True)
    with pytest.raises(ValueError, match="mask"):
        tf.boolean_mask(tf.ones([2, 3]), [True, False, True])
    static, got = in_graph(lambda t, m: tf.boolean_mask(t, m), values((4, 3)),
                           np.array([True, False, True, True]), shapes=[[None, 3], [None]])
    assert static == [[None, 3]] and got[0].shape == (3, 3)
    (dx,) = grad(lambda t: tf.boolean_mask(t, [[True, False], [True, True]]) * 2.0,
                 np.ones((2, 2), np.float32))
    np.testing.assert_array_equal(dx.numpy(), [[2, 0], [2, 2]])


# -- Tensor.__getitem__ -------------------------------------------------------------------------

KEYS = [1, -1, np.s_[1:], np.s_[::-1], np.s_[::2, 1], np.s_[-1:0:-2, ::-1], np.s_[..., 0],
        np.s_[None, :, None], np.s_[1, ..., None, -2:], np.s_[5:], np.s_[:, 10:1:-1],
        np.s_[tf.newaxis], np.s_[...]]


@pytest.mark.parametrize("dtype", DTYPES)
@pytest.mark.parametrize("key", KEYS, ids=[str(k) for k in range(len(KEYS))])
def test_getitem_matches_numpy(key, dtype):
    x = values((4, 3, 2), dtype)
    same(tf.constant(x)[key], x[key])
    static, got = in_graph(lambda t: t[key], x, shapes=[[None, 3, 2]])
    np.testing.assert_array_equal(got[0], x[key])
    known = x[key].shape
    assert all(s is None or s == k for s, k in zip(static[0], known))


def test_getitem_with_index_tensors():
    x = values((4, 3))
    same(tf.constant(x)[tf.constant(2)], x[2])
    same(tf.constant(x)[1:tf.constant(3, tf.int64)], x[1:3])
    static, got = in_graph(lambda t, i: [t[i], t[:, i], t[i:], t[::-1][i]], x,
                           np.array(1, np.int32), shapes=[[4, 3], []])
    assert static == [[3], [4], [None, 3], [3]]
    for g, want in zip(got, [x[1], x[:, 1], x[1:], x[::-1][1]]):
        np.testing.assert_array_equal(g, want)
    check_gradients(lambda t, i: t[i] * t[i], values((3, 2)).astype(np.float64),
                    np.array(2, np.int32), order=2)


def test_getitem_errors():
    x = tf.ones([3, 2])
    with pytest.raises(ValueError, match="out of bounds"):
        x[3]
    with pytest.raises(ValueError, match="out of bounds"):
        x[:, -3]
    with pytest.raises(ValueError):
        x[0, 0, 0]
    with pytest.raises(TypeError):
        x[[0, 1]]
    with pytest.raises(TypeError):
        x[1.0]
    with pytest.raises(TypeError):
        x[tf.constant(1.0)]
    with pytest.raises(ValueError, match="step"):
        x[::0]
    with pytest.raises(ValueError, match="ellipsis"):
        x[..., ...]
    with tf.Graph().as_default():
        with pytest.raises(ValueError, match="out of bounds"):
            v1.placeholder(tf.float32, [None, 2])[:, 2]


def test_getitem_gradient_with_negative_strides():
    (dx,) = grad(lambda t: t[::-2, 1] * tf.constant([1.0, 10.0]), np.zeros((4, 2), np.float32))
    np.testing.assert_array_equal(dx.numpy(), [[0, 0], [0, 10], [0, 0], [0, 1]])


def test_symbolic_indices_inside_tf_function():
    @tf.function(input_signature=[tf.TensorSpec([None, 3], tf.float32),
                                  tf.TensorSpec([], tf.int32)])
    def f(x, i):
        rows = tf.gather(x, [i, 0])                   # a list mixing a tensor and an int
        return tf.reduce_sum(x[i] * rows) + tf.reduce_sum(tf.tile(x, [1, 2])[:, ::-1])

    x0 = np.arange(6.0, dtype=np.float32).reshape(2, 3)
    x = tf.constant(x0)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = f(x, tf.constant(1))
    assert y.numpy() == pytest.approx((x0[1] * x0[1]).sum() + (x0[1] * x0[0]).sum()
                                      + 2 * x0.sum())
    expected = np.stack([x0[1] + 2, 2 * x0[1] + x0[0] + 2])
    np.testing.assert_allclose(tape.gradient(y, x).numpy(), expected)


def test_gather_with_batch_dims_matches_a_per_batch_reference_and_its_gradient_accumulates():
    from janusgrad.framework.registry import OPS
    rng = np.random.default_rng(5)
    for b, axis, pshape, ishape in [(1, 1, (3, 5), (3, 4)), (1, 2, (2, 3, 4, 2), (2, 5)),
                                    (2, 2, (2, 3, 6, 2), (2, 3, 4)), (1, 1, (2, 4, 3), (2, 2, 3))]:
        params = rng.standard_normal(pshape).astype(np.float32)
        indices = rng.integers(0, pshape[axis], ishape)
        got = tf.gather(params, indices, axis=axis, batch_dims=b).numpy()
        lead = int(np.prod(pshape[:b]))
        p = params.reshape((lead,) + pshape[b:])
        ind = indices.reshape((lead,) + ishape[b:])
        ref = np.stack([np.take(p[k], ind[k], axis=axis - b) for k in range(lead)])
        np.testing.assert_array_equal(got, ref.reshape(got.shape))
        dy = rng.standard_normal(got.shape).astype(np.float32)
        grad = OPS["GatherGrad"].kernel(dy, params, indices, np.int32(axis), batch_dims=b)
        want = np.zeros((lead,) + pshape[b:], np.float32)
        d = dy.reshape((lead,) + got.shape[b:])
        for k in range(lead):                # the reference may loop: it is the test's
            np.add.at(want[k], (np.s_[:],) * (axis - b) + (ind[k],), d[k])
        np.testing.assert_allclose(grad, want.reshape(pshape), rtol=1e-6)


_RNG7 = np.random.default_rng(7)


def run_fed_graph(build, feeds):
    """build(*placeholders) -> fetches, run on feeds = [(value, static shape)]."""
    g = tf.Graph()
    with g.as_default():
        phs = [tf.compat.v1.placeholder(tf.as_dtype(v.dtype), s) for v, s in feeds]
        fetches = build(*phs)
        with tf.compat.v1.Session(graph=g) as sess:
            return fetches, sess.run(fetches, dict(zip(phs, [v for v, _ in feeds])))


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
    p = _RNG7.standard_normal(pshape).astype(np.float64)
    bounds = np.array(pshape[b:b + ishape[-1]])
    i = (_RNG7.integers(0, 100, ishape) % bounds).astype(idtype)
    want = _batch_gather_nd_ref(p, i, b)
    got = tf.gather_nd(p, i, batch_dims=b)
    assert got.dtype == tf.float64 and got.shape == want.shape
    np.testing.assert_array_equal(got.numpy(), want)
    (y,), (v,) = run_fed_graph(lambda q, j: [tf.gather_nd(q, j, batch_dims=b)],
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
