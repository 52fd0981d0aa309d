"""TF1's spellings of tensor functions (tf.compat.v1.to_float, random_uniform, assign,
reduce_sum(keep_dims=, reduction_indices=), argmax(dimension=), placeholder_with_default),
Tensor.set_shape, tf.stack of a tensor and TF1's Dimension, against TF 2.21's behaviour
(checked with TensorFlow and written down; values computed with NumPy)."""
import numpy as np
import pytest

import janusgrad as tf
from janusgrad.check import check_gradients

v1 = tf.compat.v1
X = np.array([[1.0, 2.0, -3.0], [4.0, -5.0, 6.0]], np.float32)


@pytest.fixture(params=["eager", "graph"])
def run(request):
    """Evaluate tensors in the mode: eagerly, or built in a graph and run in a Session."""
    if request.param == "eager":
        yield lambda t: t.numpy() if hasattr(t, "numpy") else t
    else:
        with tf.Graph().as_default():
            sess = v1.Session()
            yield lambda t: sess.run(t)
            sess.close()


def test_casts(run):
    assert run(v1.to_float(tf.constant([1, 2]))).tolist() == [1.0, 2.0]
    assert run(v1.to_int32(tf.constant([1.7, -2.5]))).tolist() == [1, -2]
    assert run(v1.to_int64(1.5)).dtype == np.int64
    assert run(v1.to_double(tf.constant(1.0))).dtype == np.float64
    x = tf.constant(1.0)
    assert v1.to_float(x) is x                    # already float32: x itself, as TF
    if not tf.executing_eagerly():
        names = [v1.to_float(tf.constant([1])).name, v1.to_int32(x).name,
                 v1.to_int64(x).name, v1.to_double(x).name]
        assert names == ["ToFloat_1:0", "ToInt32_1:0", "ToInt64_1:0", "ToDouble_1:0"]


def test_random_ops(run):
    u = v1.random_uniform([2, 3], seed=1)
    n = v1.random_normal([4], mean=1.0, stddev=0.0)
    t = v1.truncated_normal([1000], stddev=2.0)
    i = v1.random_uniform([50], 0, 3, dtype=tf.int32)
    assert u.dtype == tf.float32 and u.shape.as_list() == [2, 3]
    assert run(n).tolist() == [1.0] * 4
    assert np.abs(run(t)).max() <= 4.0
    assert set(run(i).tolist()) <= {0, 1, 2}
    s = run(v1.random_shuffle(tf.constant([1, 2, 3])))
    assert sorted(s.tolist()) == [1, 2, 3]
    if not tf.executing_eagerly():
        assert (n.name, t.name) == ("random_normal:0", "truncated_normal:0")


def test_log(run):
    np.testing.assert_allclose(run(v1.log(tf.constant([1.0, np.e]))), [0.0, 1.0], rtol=1e-6)


def test_assign_functions(run):
    v = tf.Variable([1.0, 2.0])
    if tf.executing_eagerly():
        np.testing.assert_array_equal(v1.assign(v, [3.0, 4.0]), [3.0, 4.0])
        v1.assign_add(v, [1.0, 1.0])
        v1.assign_sub(v, [0.5, 0.5])
        assert v.numpy().tolist() == [3.5, 4.5]
    else:
        run(v.initializer)
        assert run(v1.assign(v, [3.0, 4.0])).tolist() == [3.0, 4.0]
        assert run(v1.assign_add(v, [1.0, 1.0])).tolist() == [4.0, 5.0]
        assert run(v1.assign_sub(v, [0.5, 0.5])).tolist() == [3.5, 4.5]
    with pytest.raises(AttributeError, match="assign: ref must be a tf.Variable|has no "
                                             "attribute 'assign'"):
        v1.assign(tf.constant(1.0), 2.0)
    with pytest.raises(ValueError):
        v1.assign(v, [1.0, 2.0, 3.0])


REDUCTIONS = {"reduce_sum": np.sum, "reduce_mean": np.mean, "reduce_max": np.max,
              "reduce_min": np.min, "reduce_prod": np.prod,
              "reduce_logsumexp": lambda a, axis, keepdims: np.log(np.sum(
                  np.exp(a), axis=axis, keepdims=keepdims))}


def test_reductions_with_tf1_argument_names(run):
    for name, ref in REDUCTIONS.items():
        fn = getattr(v1, name)
        np.testing.assert_allclose(run(fn(X, 1, keep_dims=True)), ref(X, axis=1, keepdims=True),
                                   rtol=1e-6)
        np.testing.assert_allclose(run(fn(X, reduction_indices=[0])), ref(X, axis=0,
                                                                          keepdims=False),
                                   rtol=1e-6)
        np.testing.assert_allclose(run(fn(X, axis=1, keepdims=True)), ref(X, axis=1,
                                                                          keepdims=True),
                                   rtol=1e-6)
        np.testing.assert_allclose(run(fn(X)), ref(X, axis=None, keepdims=False), rtol=1e-6)
        with pytest.raises(ValueError, match="Cannot specify both 'reduction_indices' and "
                                             "'axis'"):
            fn(X, axis=1, reduction_indices=1)
        with pytest.raises(ValueError, match="Cannot specify both 'keep_dims' and 'keepdims'"):
            fn(X, axis=1, keepdims=True, keep_dims=True)
    b = X > 0
    assert run(v1.reduce_any(b, 1, keep_dims=True)).tolist() == [[True], [True]]
    assert run(v1.reduce_all(b, reduction_indices=1)).tolist() == [False, False]


def test_argmax_dimension(run):
    assert run(v1.argmax(X, dimension=1)).tolist() == [1, 2]
    assert run(v1.argmin(X, dimension=0)).tolist() == [0, 1, 0]
    assert run(v1.argmax(X)).tolist() == [1, 0, 1]            # axis 0 by default
    assert run(v1.argmax(X, 1, output_type=tf.int32)).dtype == np.int32
    with pytest.raises(ValueError, match="Cannot specify both 'dimension' and 'axis'"):
        v1.argmax(X, axis=1, dimension=1)


def test_reduction_gradients_keep_dims():
    check_gradients(lambda x: v1.reduce_logsumexp(x, reduction_indices=1, keep_dims=True) * x,
                    X.astype(np.float64))


# -- placeholder_with_default ------------------------------------------------------------------

def test_placeholder_with_default_in_graphs():
    with tf.Graph().as_default():
        x = tf.constant(X)
        p = v1.placeholder_with_default(x, [None, 3])
        assert (p.name, p.op.type, p.shape.as_list()) == (
            "PlaceholderWithDefault:0", "PlaceholderWithDefault", [None, 3])
        scalar = v1.placeholder_with_default(3.0, [])
        assert scalar.dtype == tf.float32
        assert v1.placeholder_with_default([1, 2], shape=None).shape.rank is None
        with pytest.raises(ValueError, match="not compatible|must be equal"):
            v1.placeholder_with_default(x, [3, 3])
        y = 2.0 * p
        (dx,) = tf.gradients(tf.reduce_sum(y * y), [x])
        with v1.Session() as sess:
            np.testing.assert_array_equal(sess.run(y), 2 * X)
            np.testing.assert_array_equal(sess.run(y, {p: np.ones((4, 3))}), 2 * np.ones((4, 3)))
            np.testing.assert_array_equal(sess.run(dx), 8 * X)
            with pytest.raises(ValueError, match="Cannot feed value of shape"):
                sess.run(y, {p: np.ones((4, 4))})


def test_placeholder_with_default_eagerly():
    x = tf.constant(X)
    with tf.GradientTape() as tape:
        tape.watch(x)
        p = v1.placeholder_with_default(x, [None, 3])
        y = tf.reduce_sum(p * p)
    assert p.shape == (2, 3)
    np.testing.assert_array_equal(p, X)
    np.testing.assert_array_equal(tape.gradient(y, x), 2 * X)


# -- set_shape, stack of a tensor, Dimension ---------------------------------------------------

def test_set_shape_checks_eager_tensors():
    t = tf.ones([2, 3])
    t.set_shape([None, 3])
    t.set_shape([2, 3])
    assert t.shape == (2, 3)
    with pytest.raises(ValueError, match=r"Tensor's shape \(2, 3\) is not compatible with "
                                         r"supplied shape \(2, 4\)"):
        t.set_shape([2, 4])
    with pytest.raises(ValueError, match="not compatible"):
        t.set_shape([2])


def test_set_shape_refines_graph_tensors():
    with tf.Graph().as_default():
        p = v1.placeholder(tf.float32, [None, 3])
        p.set_shape([2, 3])
        assert p.shape.as_list() == [2, 3] and p.get_shape().as_list() == [2, 3]
        with pytest.raises(ValueError):
            p.set_shape([2, 4])
        with pytest.raises(ValueError):
            p.set_shape([2])


def test_stack_of_a_tensor():
    x = tf.constant([[1.0, 2.0], [3.0, 4.0]])
    assert tf.stack(x).numpy().tolist() == [[1.0, 2.0], [3.0, 4.0]]
    assert tf.stack(x, axis=1).numpy().tolist() == [[1.0, 3.0], [2.0, 4.0]]   # its rows
    assert tf.stack(np.ones(2)).dtype == tf.float64
    assert tf.stack(tf.Variable([[1.0, 2.0]]), axis=1).numpy().tolist() == [[1.0], [2.0]]
    empty = tf.stack([])
    assert (empty.dtype, empty.shape) == (tf.float32, (0,))
    with pytest.raises(ValueError, match="stack|expected a sequence"):
        tf.stack(np.ones((2, 2)), axis=1)
    with tf.Graph().as_default():
        p = v1.placeholder(tf.float32, [None, 2])
        assert tf.stack(p) is p
        with pytest.raises(TypeError, match="xpected (a )?list for 'values'"):
            tf.stack(p, axis=1)


def test_tensor_shape_items_are_ints_as_in_tf2():
    x = tf.ones([2, 3])
    assert x.shape[1] == 3 and type(x.shape[1]) is int
    assert x.get_shape().as_list() == [2, 3]
    with tf.Graph().as_default():
        p = v1.placeholder(tf.float32, [None, 3])
        assert p.shape[0] is None and p.shape.as_list() == [None, 3]


def test_dimension():
    D = v1.Dimension
    assert D(3).value == 3 and D(None).value is None and D(D(4)).value == 4
    assert (repr(D(3)), str(D(3)), str(D(None))) == ("Dimension(3)", "3", "?")
    assert D(3) == 3 and D(3) != 4 and (D(None) == 3) is None and (D(3) < D(None)) is None
    assert (D(3) + 2).value == 5 and (2 * D(3)).value == 6 and (D(None) + 1).value is None
    assert (D(7) // 2).value == 3 and (D(7) % 4).value == 3 and (10 - D(3)).value == 7
    assert int(D(5)) == 5 and [0, 1, 2][D(1)] == 1
    assert D(3).is_compatible_with(None) and not D(3).is_compatible_with(4)
    assert D(None).merge_with(4).value == 4
    with pytest.raises(ValueError, match="Dimensions 3 and 4 are not compatible"):
        D(3).merge_with(4)
    with pytest.raises(ValueError, match="Dimension -1 must be >= 0"):
        D(-1)
    with pytest.raises(TypeError, match="Dimension value must be integer or None"):
        D("a")
    with pytest.raises(TypeError, match="please use // instead"):
        D(4) / 2
    assert tf.TensorShape([D(2), D(None)]).as_list() == [2, None]
    shape = tf.ones([2, 3]).shape
    assert v1.dimension_value(shape[1]) == 3 and v1.dimension_value(D(4)) == 4
    assert tf.compat.dimension_value(D(None)) is None
    assert v1.dimension_at_index(shape, 1).value == 3
    assert tf.compat.dimension_at_index(tf.TensorShape(None), 5).value is None


def test_v1_name_scope_and_ops_name_scope():
    from janusgrad import ops
    with tf.Graph().as_default():
        with v1.name_scope(None, "default", []) as a:
            c = tf.constant(1.0)
        with v1.name_scope("named", "ignored") as b:
            pass
        with ops.name_scope("via_ops") as d:
            with v1.name_scope("inner") as e:
                pass
        assert (a, c.name, b, d, e) == ("default/", "default/Const:0", "named/", "via_ops/",
                                        "via_ops/inner/")
