"""Tensors: TF's dtype rules, conversion, repr, operators, in eager and graph mode."""
import numpy as np
import pytest

import janusgrad as tf


def test_python_values_get_tf_default_dtypes():
    assert tf.constant(1.5).dtype is tf.float32
    assert tf.constant(1).dtype is tf.int32
    assert tf.constant([1, 2]).dtype is tf.int32
    assert tf.constant(True).dtype is tf.bool
    assert tf.constant([[1.0, 2], [3, 4]]).dtype is tf.float32


def test_numpy_arrays_keep_their_dtype():
    assert tf.constant(np.array([1.5])).dtype is tf.float64
    assert tf.constant(np.arange(3, dtype=np.int64)).dtype is tf.int64


def test_big_python_ints_become_int64():
    assert tf.constant(2**40).dtype is tf.int64


def test_constant_with_shape_fills_or_reshapes():
    assert tf.constant(0.5, shape=[2, 3]).numpy().tolist() == [[0.5] * 3] * 2
    assert tf.constant([1, 2, 3, 4], shape=[2, 2]).numpy().tolist() == [[1, 2], [3, 4]]
    with pytest.raises(TypeError):
        tf.constant([1, 2, 3], shape=[2, 2])


def test_lossy_conversions_are_refused():
    with pytest.raises(TypeError):
        tf.constant(1.5, dtype=tf.int32)
    with pytest.raises(TypeError):
        tf.constant(300, dtype=tf.uint8)


def test_mixed_dtypes_are_an_error_naming_the_op():
    with pytest.raises(tf.errors.InvalidArgumentError, match="AddV2"):
        tf.constant([1.0]) + tf.constant(np.array([1.0]))
    with pytest.raises(TypeError, match="Mul"):
        tf.constant([1]) * 1.5


def test_python_scalars_take_the_tensor_dtype():
    x = tf.constant(np.array([1.0, 2.0]))
    assert (x * 2).dtype is tf.float64
    assert (2 * x).dtype is tf.float64
    assert (tf.constant([1.0]) * np.float64(2.0)).dtype is tf.float32


def test_integer_true_division_is_float64_as_tf():
    assert (tf.constant(3) / tf.constant(2)).dtype is tf.float64
    assert (tf.constant(3) / tf.constant(2)).numpy() == 1.5
    assert (tf.constant(7) // tf.constant(2)).numpy() == 3


def test_repr_and_str_like_tf():
    assert repr(tf.constant(3.0)) == "<tf.Tensor: shape=(), dtype=float32, numpy=3.0>"
    assert str(tf.constant([1, 2])) == "tf.Tensor([1 2], shape=(2,), dtype=int32)"
    assert repr(tf.constant([[1.0, 2.0]])).startswith("<tf.Tensor: shape=(1, 2), dtype=float32")


def test_scalar_numpy_is_a_numpy_scalar_and_arrays_convert():
    t = tf.constant([[1.0, 2.0], [3.0, 4.0]])
    assert np.asarray(t).shape == (2, 2)
    assert float(tf.constant(2.5)) == 2.5
    assert int(tf.constant(3)) == 3
    assert bool(tf.constant(True))
    assert len(t) == 2


def test_operators():
    x = tf.constant([[1.0, 2.0], [3.0, 4.0]])
    np.testing.assert_allclose((x @ x).numpy(), [[7, 10], [15, 22]])
    np.testing.assert_allclose((-x).numpy(), -x.numpy())
    np.testing.assert_allclose(abs(-x).numpy(), x.numpy())
    np.testing.assert_allclose((x ** 2).numpy(), x.numpy() ** 2)
    np.testing.assert_allclose((1.0 - x).numpy(), 1 - x.numpy())
    np.testing.assert_allclose((x % 3.0).numpy(), x.numpy() % 3)
    assert (x > 2.0).numpy().tolist() == [[False, False], [True, True]]
    assert (x == 2.0).numpy().tolist() == [[False, True], [False, False]]
    assert ((x > 1.0) & (x < 4.0)).numpy().tolist() == [[False, True], [True, False]]


def test_getitem():
    x = tf.constant(np.arange(12.0).reshape(3, 4))
    a = x.numpy()
    np.testing.assert_array_equal(x[1].numpy(), a[1])
    np.testing.assert_array_equal(x[:, -1].numpy(), a[:, -1])
    np.testing.assert_array_equal(x[::-1, 1:3].numpy(), a[::-1, 1:3])
    np.testing.assert_array_equal(x[..., tf.newaxis].numpy(), a[..., None])
    np.testing.assert_array_equal(x[tf.constant(2)].numpy(), a[2])
    with pytest.raises(ValueError):
        x[5]
    with pytest.raises(TypeError):
        x[1.5]


def test_eager_tensors_are_unhashable_but_have_refs():
    t = tf.constant(1.0)
    with pytest.raises(TypeError, match="ref"):
        {t: 1}
    assert {t.ref(): 1}[t.ref()] == 1


def test_eager_tensor_has_no_graph_face():
    t = tf.constant(1.0)
    with pytest.raises(AttributeError):
        t.op
    with pytest.raises(AttributeError):
        t.name


def test_graph_tensor_face():
    tf.compat.v1.disable_eager_execution()
    x = tf.compat.v1.placeholder(tf.float32, [None, 3], name="x")
    y = tf.square(x, name="sq")
    assert y.name == "sq:0" and y.op.type == "Square" and y.op.inputs[0] is x
    assert y.shape.as_list() == [None, 3]
    assert repr(y) == "<tf.Tensor 'sq:0' shape=(None, 3) dtype=float32>"
    assert y.graph is tf.compat.v1.get_default_graph()
    assert {y: 1}[y] == 1                       # hashable in graph mode, as TF1
    assert (y == y) is True                     # identity in TF1 graph mode
    with pytest.raises(TypeError, match="bool"):
        bool(y)
    with pytest.raises(NotImplementedError):
        np.asarray(y)


def test_tensorshape():
    s = tf.TensorShape([None, 3])
    assert s.rank == 2 and not s.is_fully_defined() and s.as_list() == [None, 3]
    assert s.is_compatible_with([5, 3]) and not s.is_compatible_with([5, 4])
    assert tf.TensorShape(None).rank is None
    assert s.merge_with([2, None]).as_list() == [2, 3]
    assert str(tf.TensorShape([2])) == "(2,)"
    with pytest.raises(ValueError):
        s.merge_with([2, 4])


def test_as_dtype():
    assert tf.as_dtype("float32") is tf.float32
    assert tf.as_dtype(np.int64) is tf.int64
    assert tf.as_dtype(float) is tf.float32
    assert tf.float32.is_floating and tf.int32.is_integer and tf.bool.is_bool
    with pytest.raises(TypeError):
        tf.as_dtype("nope")
