"""Keras layers, models, losses, initializers and backend.

Reference numbers (the UPPER_CASE constants) were computed once with TensorFlow 2.21.0 and
Keras 3.15.1 on CPU, from the same deterministic inputs (`seq` below) and weights set with
`layer.set_weights`; TensorFlow is not needed to run these tests.
"""
import numpy as np
import pytest

import janusgrad as tf

L = tf.keras.layers
LOSSES = tf.keras.losses


def seq(shape, a=0.7, s=1.0):
    n = int(np.prod(shape))
    return (np.sin(np.arange(n) * a) * s).reshape(shape).astype(np.float32)


def close(a, b, rtol=1e-5, atol=1e-6):
    np.testing.assert_allclose(np.asarray(a), b, rtol=rtol, atol=atol)


DENSE = np.array([
    1.2822304, 1.576735, 0.0, 0.2567173], np.float32).reshape((2, 2))
DENSE_RANK3 = np.array([
    1.2822304, 1.576735, 0.0, 0.25671726, 0.0, 0.0, 1.291974, 1.5944177],
    np.float32).reshape((2, 2, 2))
CONV_SAME_1 = np.array([
    -0.91099167, -0.88044465, -0.79481316, 0.7752784, 0.35692576, -0.36783695, 0.988914,
    0.9880336, 0.97177804, -0.15020715, 0.5550758, 0.8536256, -0.93747675, -0.9428047,
    -0.92443806, -0.946413, -0.9724348, -0.9773168, 0.9945162, 0.9740248, 0.7781937,
    0.9934964, 0.9978943, 0.9981035, -0.9622221, -0.70144916, 0.29483292, -0.95440036,
    -0.9847699, -0.9911869, -0.27492726, -0.8167204, -0.95666707, 0.9989936, 0.9986448,
    0.9946102, 0.47540218, 0.92037743, 0.9837354, -0.99857, -0.99482375, -0.96249056,
    -0.37786737, -0.8597235, -0.96807885, 0.87886006, 0.41737327, -0.5303008, 0.9922865,
    0.9976559, 0.99804777, -0.96944946, -0.75710094, 0.18728268, -0.998123, -0.9984478,
    -0.99693334, 0.85635483, 0.48157477, -0.33565363, 0.9210248, 0.82198066, 0.4807633,
    0.6972559, 0.9148535, 0.9634391, -0.98170525, -0.9523153, -0.8233334, -0.92998147,
    -0.96786755, -0.9769947, 0.8852502, 0.822321, 0.61823547], np.float32).reshape((1, 5, 5, 3))
CONV_VALID_2 = np.array([
    0.9945162, 0.9740248, 0.7781937, -0.9622221, -0.70144916, 0.29483292, 0.9922865,
    0.9976559, 0.99804777, -0.998123, -0.9984478, -0.99693334], np.float32).reshape((1, 2, 2, 3))
POOL_VALID = np.array([
    0.5155014, 0.98677194, 0.9985433, 0.60553986, 0.96379536, 0.8273279, 0.68712115,
    0.9985909], np.float32).reshape((1, 2, 2, 2))
POOL_SAME_3_2 = np.array([
    0.5155014, 0.98677194, 0.9985433, 0.60553986, 0.9985433, 0.31909835, 0.96379536,
    0.98677194, 0.9287952, 0.9985909, 0.9287952, 0.42097282, 0.9866276, 0.5147401,
    0.6062464, 0.9985909, 0.3182565, 0.7631327], np.float32).reshape((1, 3, 3, 2))
CCE_PROBS = np.float32(5.5906167)
CCE_LOGITS = np.float32(1.2879357)
CCE_SMOOTH_SW = np.float32(2.2808976)
CCE_NONE = np.array([
    0.19897808, 0.45477694, 16.118095], np.float32).reshape((3,))
CCE_SUM = np.float32(16.77185)
SCCE_PROBS = np.float32(5.5906167)
SCCE_LOGITS = np.float32(1.2879357)
SCCE_LOGITS_COL_SW = np.float32(2.282157)
SCCE_UNNORMALIZED = np.array([
    0.432624, 0.7229587, 16.759949], np.float32).reshape((3,))
BCE_PROBS = np.float32(1.0263085)
BCE_LOGITS = np.float32(1.1376826)
BCE_NONE_SMOOTH = np.array([
    0.4474969, 1.6126955, 1.3553712], np.float32).reshape((3,))
MSE = np.float32(5.005444)
MSE_SW = np.float32(6.0977573)
MSE_FN = np.array([
    1.2634586, 6.983957, 6.7689176], np.float32).reshape((3,))
BCE_FN = np.array([
    0.38275623, 1.3426805, 1.3534889], np.float32).reshape((3,))
CCE_FN = np.array([
    0.1989781, 0.45477697, 3.2100523], np.float32).reshape((3,))
SCCE_FN = np.array([
    0.1989782, 0.45477697, 16.118095], np.float32).reshape((3,))


# -- layers against TensorFlow ------------------------------------------------------------------

def dense_layer():
    d = L.Dense(2, activation="relu")
    d.build((None, 3))
    d.set_weights([seq((3, 2), 0.3), seq((2,), 1.1, 0.1)])
    return d


def test_dense_matches_tensorflow():
    d = dense_layer()
    close(d(seq((2, 3))), DENSE)
    close(d(seq((2, 2, 3))), DENSE_RANK3)          # applied on the last axis
    assert d(seq((2, 2, 3))).shape == (2, 2, 2)


@pytest.mark.parametrize("padding,strides,expected", [("same", 1, "CONV_SAME_1"),
                                                      ("valid", 2, "CONV_VALID_2")])
def test_conv2d_matches_tensorflow(padding, strides, expected):
    c = L.Conv2D(3, 3, strides=strides, padding=padding, activation="tanh")
    c.build((None, 5, 5, 2))
    c.set_weights([seq((3, 3, 2, 3), 0.37, 0.5), seq((3,), 0.9, 0.1)])
    y = c(seq((1, 5, 5, 2)))
    close(y, globals()[expected])
    assert c.compute_output_shape((None, 5, 5, 2)).as_list() == [None] + y.shape.as_list()[1:]


def test_max_pooling_matches_tensorflow():
    x = seq((1, 5, 5, 2), 1.3)
    close(L.MaxPooling2D()(x), POOL_VALID)
    close(L.MaxPooling2D(3, 2, padding="same")(x), POOL_SAME_3_2)
    pool = L.MaxPooling2D(pool_size=2, strides=1)
    y = pool(np.arange(16, dtype=np.float32).reshape(1, 4, 4, 1))
    close(y[0, :, :, 0], [[5, 6, 7], [9, 10, 11], [13, 14, 15]])
    assert pool.compute_output_shape((None, 4, 4, 1)).as_list() == [None, 3, 3, 1]


def test_flatten_keeps_the_batch_axis():
    x = seq((2, 3, 4, 5))
    y = L.Flatten()(x)
    assert y.shape == (2, 60)
    close(y, x.reshape(2, 60))
    assert L.Flatten().compute_output_shape((None, 3, 4, 5)).as_list() == [None, 60]


def test_flatten_with_an_unknown_batch_in_graph_mode():
    tf.compat.v1.disable_eager_execution()
    x = tf.compat.v1.placeholder(tf.float32, [None, 2, 3])
    y = L.Flatten()(x)
    assert y.shape.as_list() == [None, 6]
    with tf.compat.v1.Session() as sess:
        assert sess.run(y, {x: np.ones((4, 2, 3), np.float32)}).shape == (4, 6)


def test_lambda_layer_calls_its_function_with_arguments():
    layer = L.Lambda(lambda x, k: x * k, arguments={"k": 3.0})
    close(layer(tf.constant([1.0, 2.0])), [3.0, 6.0])
    assert layer.trainable_variables == []
    with pytest.raises(TypeError, match="callable"):
        L.Lambda(3)


# -- weights: creation, naming, initialization --------------------------------------------------

def test_weights_are_trainable_variables_named_after_the_layer():
    tf.keras.backend.clear_session()
    d = L.Dense(4)
    assert d.trainable_variables == [] and not d.built
    d(np.zeros((1, 3), np.float32))
    # Keras 3: the variable's name is the weight's, its path the layer's (issue 20)
    assert [v.name for v in d.trainable_variables] == ["kernel", "bias"]
    assert [v.path for v in d.trainable_variables] == ["dense/kernel", "dense/bias"]
    assert d.kernel.shape == (3, 4) and d.bias.shape == (4,)
    assert all(v.trainable for v in d.variables)
    assert L.Dense(1).name == "dense_1"
    assert L.Conv2D(1, 1).name == "conv2d" and L.MaxPooling2D().name == "max_pooling2d"
    np.testing.assert_array_equal(d.bias.numpy(), np.zeros(4))


def test_glorot_uniform_is_bounded_and_seeded():
    def kernel():
        c = L.Conv2D(64, (3, 5))
        c.build((None, 8, 8, 16))
        return c.kernel.numpy()

    tf.random.set_seed(3)
    k1 = kernel()
    tf.random.set_seed(3)
    k2 = kernel()
    np.testing.assert_array_equal(k1, k2)
    limit = np.sqrt(6.0 / (16 * 15 + 64 * 15))
    assert np.abs(k1).max() <= limit and np.abs(k1).max() > 0.95 * limit
    # uniform on [-limit, limit] has variance limit^2 / 3
    assert abs(k1.var() / (limit ** 2 / 3) - 1) < 0.05
    assert not np.array_equal(kernel(), k1)       # the stream moves on


def test_initializer_seed_argument_gives_reproducible_weights():
    init = tf.keras.initializers.GlorotUniform(seed=11)
    a = L.Dense(5, kernel_initializer=init)
    a.build((None, 7))
    tf.random.set_seed(11)
    b = L.Dense(5, kernel_initializer=tf.keras.initializers.GlorotUniform(seed=11))
    b.build((None, 7))
    tf.random.set_seed(11)
    c = L.Dense(5, kernel_initializer=tf.keras.initializers.GlorotUniform(seed=11))
    c.build((None, 7))
    np.testing.assert_array_equal(b.kernel.numpy(), c.kernel.numpy())
    assert a.kernel.dtype is tf.float32


def test_named_initializers():
    assert tf.keras.initializers.get("ones")([2], tf.float32).numpy().tolist() == [1.0, 1.0]
    c = tf.keras.initializers.Constant(2.5)([2, 2], tf.float64)
    assert c.dtype is tf.float64 and c.numpy().sum() == 10.0
    assert tf.keras.initializers.compute_fans([3, 3, 4, 8]) == (36, 72)
    with pytest.raises(ValueError, match="initializer"):
        tf.keras.initializers.get("no_such_init")


def test_bad_layer_arguments_raise():
    with pytest.raises(ValueError, match="units"):
        L.Dense(0)
    with pytest.raises(ValueError, match="padding"):
        L.Conv2D(2, 3, padding="full")
    with pytest.raises(ValueError, match="activation"):
        L.Dense(2, activation="no_such_activation")
    with pytest.raises(TypeError, match="Unrecognized keyword arguments passed to Dense"):
        L.Dense(2, kernal_initializer="zeros")
    with pytest.raises(ValueError, match="regularizer"):
        L.Dense(2, kernel_regularizer="not a regularizer")
    assert L.Dense(2, kernel_regularizer=None).units == 2
    with pytest.raises(ValueError, match="ndim=4"):
        L.Conv2D(2, 3)(np.zeros((2, 5, 5), np.float32))
    tf.compat.v1.disable_eager_execution()
    x = tf.compat.v1.placeholder(tf.float32, [None, None])
    with pytest.raises(ValueError, match="last dimension"):
        L.Dense(2)(x)


# -- models -------------------------------------------------------------------------------------

def test_sequential_calls_its_layers_in_order_and_collects_their_variables():
    m = tf.keras.Sequential([L.Dense(4, activation="relu"), L.Dense(2)])
    x = seq((3, 5))
    y = m(x)
    first, second = m.layers
    expected = np.maximum(x @ first.kernel.numpy(), 0) @ second.kernel.numpy()
    close(y, expected)
    assert len(m.trainable_variables) == 4
    assert [v.shape.as_list() for v in m.trainable_variables] == [[5, 4], [4], [4, 2], [2]]


def test_sequential_with_an_input_shape_is_built_at_once():
    m = tf.keras.Sequential([tf.keras.Input((8, 8, 1)), L.Conv2D(4, 3, padding="same"),
                             L.MaxPooling2D(), L.Flatten(), L.Dense(3)])
    assert m.built and len(m.trainable_variables) == 4
    assert m.layers[-1].kernel.shape == (64, 3)
    m2 = tf.keras.Sequential([L.Dense(2, input_shape=(3,))])
    assert len(m2.trainable_variables) == 2
    m3 = tf.keras.Sequential([L.Dense(2, input_dim=3), L.Dense(1)])
    assert m3.layers[1].kernel.shape == (2, 1)
    lines = []
    m.summary(print_fn=lines.append)
    assert any("(None, 4, 4, 4)" in line for line in lines)
    total = 3 * 3 * 4 + 4 + 64 * 3 + 3
    assert lines[-3] == f" Total params: {total} ({total * 4:.2f} B)"


def test_frozen_layers_move_to_non_trainable():
    m = tf.keras.Sequential([L.Dense(2), L.Dense(1)])
    m(np.ones((1, 3), np.float32))
    m.layers[0].trainable = False
    assert len(m.trainable_variables) == 2 and len(m.non_trainable_variables) == 2
    m.trainable = False
    assert m.trainable_variables == [] and len(m.variables) == 4


def test_subclassed_model_tracks_layers_and_variables():
    class Net(tf.keras.Model):
        def __init__(self):
            super().__init__()
            self.hidden = L.Dense(3, activation="relu")
            self.out = L.Dense(1)
            self.scale = tf.Variable(2.0)

        def call(self, x):
            return self.out(self.hidden(x)) * self.scale

    net = Net()
    y = net(seq((4, 2)))
    assert y.shape == (4, 1)
    assert len(net.trainable_variables) == 5
    with pytest.raises(ValueError, match="KerasTensors"):
        tf.keras.Model(inputs=1, outputs=2)


def test_get_and_set_weights():
    d = dense_layer()
    w = d.get_weights()
    close(w[0], seq((3, 2), 0.3))
    with pytest.raises(ValueError, match="expecting 2 weights"):
        d.set_weights(w[:1])
    with pytest.raises(ValueError, match="not compatible"):
        d.set_weights([w[0].T, w[1]])


def test_layers_work_in_graph_mode():
    tf.compat.v1.disable_eager_execution()
    x = tf.compat.v1.placeholder(tf.float32, [None, 5, 5, 2])
    c = L.Conv2D(3, 3, padding="same", activation="tanh")
    y = c(x)
    assert y.shape.as_list() == [None, 5, 5, 3]
    c_kernel = seq((3, 3, 2, 3), 0.37, 0.5)
    with tf.compat.v1.Session() as sess:
        sess.run(tf.compat.v1.global_variables_initializer())
        sess.run([c.kernel.assign(c_kernel), c.bias.assign(seq((3,), 0.9, 0.1))])
        close(sess.run(y, {x: seq((1, 5, 5, 2))}), CONV_SAME_1)


# -- losses against TensorFlow ------------------------------------------------------------------

Y_ONE_HOT = np.array([[0, 1, 0], [0, 0, 1], [1, 0, 0]], np.float32)
Y_SPARSE = np.array([1, 2, 0])
Y_BINARY = np.array([[0, 1], [1, 1], [0, 0]], np.float32)
WEIGHTS = np.array([1.0, 0.5, 2.0], np.float32)


def logits3():
    return seq((3, 3), 1.7, 2.0)


def probs3():
    e = np.exp(logits3() - logits3().max(-1, keepdims=True))
    p = (e / e.sum(-1, keepdims=True)).astype(np.float32)
    p[2] = [0.0, 0.3, 0.7]                 # an exact zero: clipped to epsilon
    return p


def binary_logits():
    return seq((3, 2), 2.1, 3.0)


def binary_probs():
    p = (1 / (1 + np.exp(-binary_logits().astype(np.float64)))).astype(np.float32)
    p[1, 1] = 1.0
    return p


LOSS_CASES = {
    "cce_probs": (lambda: LOSSES.CategoricalCrossentropy()(Y_ONE_HOT, probs3()), CCE_PROBS),
    "cce_logits": (lambda: LOSSES.CategoricalCrossentropy(from_logits=True)(
        Y_ONE_HOT, logits3()), CCE_LOGITS),
    "cce_smoothing_weights": (lambda: LOSSES.CategoricalCrossentropy(
        from_logits=True, label_smoothing=0.2)(Y_ONE_HOT, logits3(), sample_weight=WEIGHTS),
        CCE_SMOOTH_SW),
    "cce_none": (lambda: LOSSES.CategoricalCrossentropy(reduction="none")(Y_ONE_HOT, probs3()),
                 CCE_NONE),
    "cce_sum_unnormalized": (lambda: LOSSES.CategoricalCrossentropy(reduction="sum")(
        Y_ONE_HOT, probs3() * 2), CCE_SUM),
    "scce_probs": (lambda: LOSSES.SparseCategoricalCrossentropy()(Y_SPARSE, probs3()),
                   SCCE_PROBS),
    "scce_logits": (lambda: LOSSES.SparseCategoricalCrossentropy(from_logits=True)(
        Y_SPARSE, logits3()), SCCE_LOGITS),
    "scce_column_labels_weights": (lambda: LOSSES.SparseCategoricalCrossentropy(
        from_logits=True)(Y_SPARSE[:, None], logits3(), sample_weight=WEIGHTS),
        SCCE_LOGITS_COL_SW),
    "scce_unnormalized": (lambda: LOSSES.SparseCategoricalCrossentropy(reduction="none")(
        Y_SPARSE, probs3() * 3), SCCE_UNNORMALIZED),
    "bce_probs": (lambda: LOSSES.BinaryCrossentropy()(Y_BINARY, binary_probs()), BCE_PROBS),
    "bce_logits": (lambda: LOSSES.BinaryCrossentropy(from_logits=True)(
        Y_BINARY, binary_logits()), BCE_LOGITS),
    "bce_smoothing_none": (lambda: LOSSES.BinaryCrossentropy(
        from_logits=True, label_smoothing=0.1, reduction="none")(Y_BINARY, binary_logits()),
        BCE_NONE_SMOOTH),
    "mse": (lambda: LOSSES.MeanSquaredError()(Y_BINARY, binary_logits()), MSE),
    "mse_weights": (lambda: LOSSES.MeanSquaredError()(
        Y_BINARY, binary_logits(), sample_weight=WEIGHTS), MSE_SW),
    "mse_function": (lambda: LOSSES.mse(Y_BINARY, binary_logits()), MSE_FN),
    "bce_function": (lambda: LOSSES.binary_crossentropy(Y_BINARY, binary_probs()), BCE_FN),
    "cce_function": (lambda: LOSSES.categorical_crossentropy(Y_ONE_HOT, logits3(),
                                                             from_logits=True), CCE_FN),
    "scce_function": (lambda: LOSSES.sparse_categorical_crossentropy(Y_SPARSE, probs3()),
                      SCCE_FN),
}


@pytest.mark.parametrize("name", sorted(LOSS_CASES))
def test_loss_matches_tensorflow(name):
    fn, expected = LOSS_CASES[name]
    value = fn()
    assert value.dtype is tf.float32
    close(value, expected, rtol=2e-6)


@pytest.mark.parametrize("name", ["cce_logits", "scce_logits", "bce_logits", "mse"])
def test_loss_matches_tensorflow_in_graph_mode(name):
    fn, expected = LOSS_CASES[name]
    tf.compat.v1.disable_eager_execution()
    value = fn()
    with tf.compat.v1.Session() as sess:
        close(sess.run(value), expected, rtol=2e-6)


def test_loss_gradients_from_logits():
    # d/dlogits of mean sparse cross-entropy = (softmax - one_hot) / batch
    logits = tf.constant(logits3())
    with tf.GradientTape() as tape:
        tape.watch(logits)
        loss = LOSSES.SparseCategoricalCrossentropy(from_logits=True)(Y_SPARSE, logits)
    e = np.exp(logits3() - logits3().max(-1, keepdims=True))
    expected = (e / e.sum(-1, keepdims=True) - Y_ONE_HOT) / 3
    close(tape.gradient(loss, logits), expected)
    z = tf.constant(binary_logits())
    with tf.GradientTape() as tape:
        tape.watch(z)
        loss = LOSSES.BinaryCrossentropy(from_logits=True)(Y_BINARY, z)
    expected = (1 / (1 + np.exp(-binary_logits())) - Y_BINARY) / 6
    close(tape.gradient(loss, z), expected)


def test_loss_reductions_and_bad_arguments():
    per_sample = LOSSES.mse(Y_BINARY, binary_logits()).numpy()
    close(LOSSES.MeanSquaredError(reduction="sum")(Y_BINARY, binary_logits()), per_sample.sum())
    empty = LOSSES.MeanSquaredError()(np.zeros((0, 2), np.float32), np.zeros((0, 2), np.float32))
    assert empty.shape == (0,)          # as Keras 3 (TF 2.21): no losses are returned as is
    with pytest.raises(ValueError, match="reduction"):
        LOSSES.MeanSquaredError(reduction="average")
    with pytest.raises(ValueError, match="same shape"):
        LOSSES.categorical_crossentropy(np.ones((2, 3)), np.ones((2, 4), np.float32))
    with pytest.raises(ValueError, match="rank"):
        LOSSES.sparse_categorical_crossentropy(np.zeros((2, 3)), np.ones((2, 4), np.float32))
    assert LOSSES.get("mse") is LOSSES.mean_squared_error


def test_sparse_loss_ignore_class():
    loss = LOSSES.SparseCategoricalCrossentropy(from_logits=True, ignore_class=-1,
                                                 reduction="none")
    value = loss(np.array([1, -1, 0]), logits3()).numpy()
    full = LOSSES.sparse_categorical_crossentropy(Y_SPARSE, logits3(), from_logits=True).numpy()
    close(value, [full[0], 0.0, full[2]])


def test_sparse_loss_ignore_class_means_over_the_labels_that_count():
    """As Keras (TF 2.21 / Keras 3 numbers): the mean divides by the labels not ignored, with or
    without sample weights; all ignored gives 0; a sum is unchanged; the gradient follows."""
    y = np.array([[1.0, 2.0, 0.5], [0.3, -1.0, 2.0]], np.float32)
    mean = LOSSES.SparseCategoricalCrossentropy(from_logits=True, ignore_class=-1)
    total = LOSSES.SparseCategoricalCrossentropy(from_logits=True, ignore_class=-1,
                                                  reduction="sum")
    close(mean(np.array([1, -1]), y), 0.4643688)
    close(mean(np.array([[1], [-1]]), y), 0.4643688)
    close(mean(np.array([1, -1]), y, sample_weight=np.array([2.0, 3.0])), 0.9287376)
    close(mean(np.array([1, -1]), y, sample_weight=np.array([[2.0], [3.0]])), 0.9287376)
    close(mean(np.array([-1, -1]), y), 0.0)
    close(total(np.array([1, -1]), y), 0.4643688)
    logits = tf.constant(y)
    with tf.GradientTape() as tape:
        tape.watch(logits)
        value = mean(np.array([1, -1]), logits)
    p = np.exp(y[0]) / np.exp(y[0]).sum()
    close(tape.gradient(value, logits), [p - [0, 1, 0], [0, 0, 0]], atol=1e-6)


# -- backend, activations -----------------------------------------------------------------------

def test_backend_functions():
    K = tf.keras.backend
    x = tf.constant([[1.0, -2.0], [3.0, 4.0]])
    assert K.epsilon() == 1e-7 and K.floatx() == "float32"
    close(K.mean(x, axis=1), [-0.5, 3.5])
    close(K.sum(x), 6.0)
    close(K.clip(x, -1.0, 2.0), [[1.0, -1.0], [2.0, 2.0]])
    close(K.sigmoid(tf.constant(0.0)), 0.5)
    assert K.int_shape(x) == (2, 2) and K.ndim(x) == 2
    v = K.variable([1.0, 2.0])
    K.set_value(v, [3.0, 4.0])
    close(K.get_value(v), [3.0, 4.0])
    # the straight-through trick of seed 003: forward round(x), gradient of x
    xx = tf.constant([0.2, 0.7, 1.6])
    with tf.GradientTape() as tape:
        tape.watch(xx)
        y = xx + K.stop_gradient(tf.round(xx) - xx)
    close(y, [0.0, 1.0, 2.0])
    close(tape.gradient(y, xx), [1.0, 1.0, 1.0])


def test_backend_gradients_in_graph_mode():
    tf.compat.v1.disable_eager_execution()
    x = tf.compat.v1.placeholder(tf.float32, [2])
    (g,) = tf.keras.backend.gradients(tf.reduce_sum(tf.square(x)), [x])
    with tf.compat.v1.Session() as sess:
        close(sess.run(g, {x: [1.0, -3.0]}), [2.0, -6.0])


def test_activations():
    A = tf.keras.activations
    x = np.array([-2.0, -0.5, 0.5, 3.0], np.float32)
    close(A.relu(x, negative_slope=0.1, max_value=2.0), [-0.2, -0.05, 0.5, 2.0])  # TF 2.21
    close(A.relu(x, threshold=1.0), [0.0, 0.0, 0.0, 3.0])
    close(A.get("linear")(x), x)
    close(A.softmax(tf.constant([[0.0, np.log(3.0)]])), [[0.25, 0.75]])
    assert A.get(None) is A.linear


# -- compiled training ----------------------------------------------------------------------------

def test_compiled_training_step_traces_once_per_signature():
    tf.random.set_seed(0)
    model = tf.keras.Sequential([L.Conv2D(4, 3, padding="same", activation="relu"),
                                 L.MaxPooling2D(), L.Flatten(), L.Dense(3)])
    opt = tf.keras.optimizers.SGD(0.1, momentum=0.9)
    loss_fn = LOSSES.SparseCategoricalCrossentropy(from_logits=True)

    @tf.function
    def step(x, y):
        with tf.GradientTape() as tape:
            loss = loss_fn(y, model(x))
        grads = tape.gradient(loss, model.trainable_variables)
        opt.apply_gradients(zip(grads, model.trainable_variables, strict=True))
        return loss

    rng = np.random.default_rng(0)
    x = rng.standard_normal((6, 6, 6, 1)).astype(np.float32)
    y = rng.integers(0, 3, 6)
    losses = [float(step(x, y)) for _ in range(8)]
    assert step.trace_count == 1
    assert losses[-1] < 0.5 * losses[0]           # it learns
    assert opt.iterations.numpy() == 8
    step(x[:4], y[:4])                            # a new batch size: one more trace
    step(x[:4], y[:4])
    assert step.trace_count == 2
    step(x.astype(np.float64).astype(np.float32) + 1, y)
    assert step.trace_count == 2


def test_compiled_and_eager_steps_give_the_same_weights():
    def train(compiled):
        tf.random.set_seed(5)
        model = tf.keras.Sequential([L.Dense(4, activation="relu"), L.Dense(2)])
        opt = tf.keras.optimizers.Adam(0.1)

        def step(x, y):
            with tf.GradientTape() as tape:
                loss = LOSSES.mse(y, model(x))
                loss = tf.reduce_mean(loss)
            grads = tape.gradient(loss, model.trainable_variables)
            opt.apply_gradients(zip(grads, model.trainable_variables, strict=True))

        run = tf.function(step) if compiled else step
        for k in range(3):
            run(seq((5, 3), 0.3 + k), seq((5, 2), 0.9 + k))
        return [v.numpy() for v in model.trainable_variables]

    for a, b in zip(train(False), train(True), strict=True):
        close(a, b, rtol=1e-6)
