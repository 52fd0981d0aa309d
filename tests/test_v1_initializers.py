"""TF1's initializers (tf.compat.v1.*_initializer, `init(shape, dtype=None,
partition_info=None)`) and TF2's top-level ones (tf.random_uniform_initializer & co), against
TF 2.21's behaviour: defaults, dtypes, errors (checked with TensorFlow and written down), and
the distributions' statistics computed here from their definitions."""
import numpy as np
import pytest

import janusgrad as tf

v1 = tf.compat.v1


def _value(t):
    return t.numpy() if tf.executing_eagerly() else v1.Session().run(t)


@pytest.fixture(params=["eager", "graph"])
def mode(request):
    if request.param == "eager":
        yield request.param
    else:
        with tf.Graph().as_default():
            yield request.param


def test_zeros_ones_and_their_dtypes(mode):
    assert _value(v1.zeros_initializer()([2, 3])).tolist() == [[0.0] * 3] * 2
    z = v1.zeros_initializer(dtype=tf.int64)([2])
    assert z.dtype == tf.int64 and _value(z).tolist() == [0, 0]
    o = v1.ones_initializer()([2], tf.int32, partition_info=None)
    assert o.dtype == tf.int32 and _value(o).tolist() == [1, 1]


def test_constant_initializer(mode):
    c = v1.constant_initializer
    assert _value(c(3)([2, 2])).tolist() == [[3.0, 3.0], [3.0, 3.0]]
    assert _value(c([1, 2, 3, 4])([2, 2])).tolist() == [[1.0, 2.0], [3.0, 4.0]]
    assert _value(c(np.arange(4.0))([4])).dtype == np.float32       # the initializer's dtype
    assert _value(c([[1, 2], [3, 4]], verify_shape=True)([2, 2])).tolist() == [[1, 2], [3, 4]]
    assert c(2, dtype=tf.int32)([2]).dtype == tf.int32
    with pytest.raises(TypeError, match=r"Expected Tensor.*shape.*\(2, 2\), but got.*\(4,\)"):
        c([1, 2, 3, 4], verify_shape=True)([2, 2])
    with pytest.raises(TypeError, match="2.5"):
        c(2.5)([2], dtype=tf.int32)
    with pytest.raises(TypeError, match="Invalid type for initial value"):
        c({"a": 1})
    with pytest.raises(TypeError, match="Invalid type for initial value"):
        c(tf.constant(1.0))
    if mode == "graph":         # TF1's constant: fewer values are padded with the last one
        assert _value(c([1, 2, 3])([2, 2])).tolist() == [[1, 2], [3, 3]]
        with pytest.raises(ValueError, match="Too many elements provided. Takes at most 4, "
                                             "but got 5"):
            c([1, 2, 3, 4, 5])([2, 2])
    else:
        with pytest.raises(TypeError, match="Eager execution of tf.constant with unsupported "
                                            "shape"):
            c([1, 2, 3])([2, 2])


def test_random_initializers_defaults_and_statistics(mode):
    tf.random.set_seed(1)
    n = 20000
    u = _value(v1.random_uniform_initializer()([n]))
    assert u.dtype == np.float32 and 0.0 <= u.min() and u.max() < 1.0
    assert abs(u.mean() - 0.5) < 0.01
    ui = _value(v1.random_uniform_initializer(0, 10, dtype=tf.int32)([n]))
    assert ui.dtype == np.int32 and set(np.unique(ui)) == set(range(10))
    r = _value(v1.random_normal_initializer(1.0, 2.0)([n]))
    assert abs(r.mean() - 1.0) < 0.05 and abs(r.std() - 2.0) < 0.05
    t = _value(v1.truncated_normal_initializer(stddev=0.5)([n]))
    assert np.abs(t).max() <= 1.0 and abs(t.std() - 0.5 * 0.8796) < 0.01
    with pytest.raises(ValueError, match="Must specify maxval for integer dtype"):
        v1.random_uniform_initializer(dtype=tf.int32)([3])
    for make in (v1.random_normal_initializer, v1.truncated_normal_initializer,
                 v1.variance_scaling_initializer, v1.orthogonal_initializer):
        with pytest.raises(ValueError, match="Argument `dtype` is expected to be floating "
                                             "point"):
            make(dtype=tf.int32)
    # TF's Glorot initializers do not pass their dtype on: it stays float32
    assert v1.glorot_uniform_initializer(dtype=tf.int32).dtype == tf.float32
    assert v1.glorot_normal_initializer(dtype=tf.float64)([2]).dtype == tf.float32


def test_variance_scaling_tf1_defaults(mode):
    init = v1.variance_scaling_initializer()
    assert (init.scale, init.mode, init.distribution, init.seed, init.dtype) == (
        1.0, "fan_in", "truncated_normal", None, tf.float32)
    fan_in, fan_out = 400, 100
    w = _value(init([fan_in, fan_out]))
    stddev = np.sqrt(1.0 / fan_in)                       # after truncation
    assert abs(w.std() - stddev) < 0.03 * stddev
    assert np.abs(w).max() <= 2 * stddev / 0.87962566103423978
    # "normal" is TF1's old name of truncated_normal; untruncated_normal is not truncated
    normal = _value(v1.variance_scaling_initializer(distribution="normal")([fan_in, fan_out]))
    assert np.abs(normal).max() <= 2 * stddev / 0.87962566103423978
    untruncated = _value(v1.variance_scaling_initializer(
        distribution="untruncated_normal")([fan_in, fan_out]))
    assert np.abs(untruncated).max() > 2.5 * stddev
    uniform = _value(v1.variance_scaling_initializer(2.0, "fan_avg", "uniform")([20, 30, 4, 6]))
    limit = np.sqrt(3.0 * 2.0 / ((20 * 30 * 4 + 20 * 30 * 6) / 2.0))   # conv: receptive field
    assert np.abs(uniform).max() <= limit and np.abs(uniform).max() > 0.99 * limit
    with pytest.raises(ValueError, match="Argument `mode` should be one of"):
        v1.variance_scaling_initializer(mode="x")
    with pytest.raises(ValueError, match="Argument `distribution` should be one of"):
        v1.variance_scaling_initializer(distribution="x")
    with pytest.raises(ValueError, match="Argument `scale` must be a positive float"):
        v1.variance_scaling_initializer(scale=0)


def test_glorot(mode):
    fan_in, fan_out = 300, 200
    u = _value(v1.glorot_uniform_initializer()([fan_in, fan_out]))
    limit = np.sqrt(6.0 / (fan_in + fan_out))
    assert np.abs(u).max() <= limit and abs(u.std() - limit / np.sqrt(3)) < 0.02 * limit
    g = _value(v1.glorot_normal_initializer()([fan_in, fan_out]))
    assert abs(g.std() - np.sqrt(2.0 / (fan_in + fan_out))) < 0.03 * np.sqrt(2.0 / 500)
    assert v1.glorot_uniform_initializer().get_config() == {"seed": None, "dtype": "float32"}


def test_orthogonal_and_identity(mode):
    for shape in ([6, 4], [4, 6], [2, 3, 4]):
        q = _value(v1.orthogonal_initializer(gain=2.0)(shape)).reshape(-1, shape[-1])
        if q.shape[0] >= q.shape[1]:
            np.testing.assert_allclose(q.T @ q, 4.0 * np.eye(q.shape[1]), atol=1e-5)
        else:
            np.testing.assert_allclose(q @ q.T, 4.0 * np.eye(q.shape[0]), atol=1e-5)
    with pytest.raises(ValueError, match="must be at least two-dimensional"):
        v1.orthogonal_initializer()([3])
    np.testing.assert_array_equal(_value(v1.initializers.identity(3.0)([2, 3])),
                                  3.0 * np.eye(2, 3))


def test_seeds_make_initializers_reproducible():
    a = v1.truncated_normal_initializer(seed=3)([5]).numpy()
    tf.random.set_seed(0)
    b = v1.truncated_normal_initializer(seed=3)([5]).numpy()
    tf.random.set_seed(0)
    c = v1.truncated_normal_initializer(seed=3)([5]).numpy()
    np.testing.assert_array_equal(b, c)
    assert a.shape == (5,)

    def build():
        with tf.Graph().as_default():
            tf.random.set_seed(7)
            w = v1.get_variable("w", [4, 3])
            with v1.Session() as sess:
                sess.run(v1.global_variables_initializer())
                return sess.run(w)
    np.testing.assert_array_equal(build(), build())


def test_as_get_variable_initializers():
    with tf.Graph().as_default():
        inits = [v1.zeros_initializer(), v1.ones_initializer(), v1.constant_initializer(2),
                 v1.random_uniform_initializer(-1, 1), v1.random_normal_initializer(),
                 v1.truncated_normal_initializer(), v1.variance_scaling_initializer(),
                 v1.glorot_uniform_initializer(), v1.glorot_normal_initializer(),
                 v1.orthogonal_initializer(), tf.random_uniform_initializer(),
                 tf.zeros_initializer(), tf.constant_initializer(3.0)]
        ws = [v1.get_variable(f"w{i}", [3, 2], initializer=init, dtype=tf.float64)
              for i, init in enumerate(inits)]
        with v1.Session() as sess:
            sess.run(v1.global_variables_initializer())
            values = sess.run(ws)
    assert all(v.shape == (3, 2) and v.dtype == np.float64 for v in values)
    assert values[2].tolist() == [[2.0] * 2] * 3 and values[-1].tolist() == [[3.0] * 2] * 3


# -- TF2's top-level initializers --------------------------------------------------------------

def test_tf2_top_level_initializers(mode):
    u = _value(tf.random_uniform_initializer()([5000]))
    assert u.dtype == np.float32 and -0.05 <= u.min() and u.max() < 0.05
    n = _value(tf.random_normal_initializer(seed=1)([5000]))
    assert abs(n.std() - 0.05) < 0.005
    assert _value(tf.constant_initializer(3)([2])).dtype == np.int32     # the value's dtype
    assert _value(tf.constant_initializer([1.0, 2.0])([2])).tolist() == [1.0, 2.0]
    assert _value(tf.zeros_initializer()([2], tf.int32)).tolist() == [0, 0]
    assert _value(tf.ones_initializer()([2])).tolist() == [1.0, 1.0]
    assert tf.random_uniform_initializer(0, 5)([3], tf.int32).dtype == tf.int32
    assert _value(tf.zeros_initializer()([3], partition_shape=[2])).shape == (2,)
    with pytest.raises(TypeError, match=r"Keyword argument should be one of \['partition_shape', "
                                        r"'partition_offset'\]. Received: partition_info"):
        tf.constant_initializer(1)([2], partition_info=None)
    with pytest.raises(ValueError, match="expected to be numeric or boolean"):
        tf.random_uniform_initializer()([3], tf.bool)
    with pytest.raises(ValueError, match="expected to be numeric or boolean"):
        tf.zeros_initializer()([3], tf.string)
    with pytest.raises(ValueError, match="expected to be floating point"):
        tf.random_normal_initializer()([3], tf.int32)
    with pytest.raises(TypeError, match="Eager execution of tf.constant with unsupported shape|"
                                        "Expected Tensor's shape"):
        tf.constant_initializer([1, 2, 3])([2, 2])
    assert tf.random_uniform_initializer(-1, 1, seed=2).get_config() == {
        "minval": -1, "maxval": 1, "seed": 2}
