"""tf.compat.v1.layers, tf.compat.v1.losses and tf.keras.regularizers give TF 2.21's results:
the cases of tests/tf1_layers_cases.py against tests/data/tf1_layers_losses.json, recorded
from real TF by tools/record_tf1_layers.py. Beyond them: eager mode, dropout's statistics and
gradients checked numerically."""
import json
import math
from pathlib import Path

import numpy as np
import pytest

import janusgrad as jg
import janusgrad.compat.v1 as tf
from janusgrad.keras import regularizers

from . import tf1_layers_cases as cases

RECORD = json.loads((Path(__file__).parent / "data" / "tf1_layers_losses.json").read_text())


def assert_close(got, want, path="", rtol=2e-5, atol=1e-5):
    """Equal structure, names and classes; floats within rtol/atol (float32 sums of products,
    whose order differs between NumPy releases and TF: NumPy 1.24's conv2d_transpose lands
    5e-6 from TF's on values of order 1)."""
    if isinstance(want, dict):
        assert isinstance(got, dict) and sorted(got) == sorted(want), f"{path}: keys {got}"
        for k in want:
            assert_close(got[k], want[k], f"{path}.{k}", rtol, atol)
    elif isinstance(want, list):
        assert isinstance(got, list) and len(got) == len(want), f"{path}: {got} != {want}"
        for i, (g, w) in enumerate(zip(got, want)):
            assert_close(g, w, f"{path}[{i}]", rtol, atol)
    elif isinstance(want, float) and not isinstance(got, str):
        assert got is not None and math.isclose(got, want, rel_tol=rtol, abs_tol=atol), \
            f"{path}: got {got}, TF {want}"
    else:
        assert got == want, f"{path}: got {got!r}, TF {want!r}"


@pytest.mark.parametrize("case", cases.CASES, ids=lambda c: c.__name__)
def test_case_gives_tensorflows_results(case):
    assert_close(case(tf), RECORD[case.__name__], case.__name__)


def test_regularizers_give_keras_3s_results():
    assert_close(cases.regularizer_values(regularizers, cases.K_DENSE),
                 RECORD["regularizer_values"])


def test_eager_layers_give_tensorflows_results():
    assert tf.executing_eagerly()
    assert_close(cases.eager_layers(tf), RECORD["eager_layers"])


def test_dropout_when_training_keeps_a_fraction_scaled_up():
    x = np.ones((200, 50), np.float32)
    y = tf.layers.dropout(x, rate=0.25, training=True).numpy()
    kept = y != 0
    np.testing.assert_allclose(y[kept], 1 / 0.75, rtol=1e-6)
    assert abs(kept.mean() - 0.75) < 0.02
    with tf.Graph().as_default():
        flag = tf.placeholder_with_default(False, [])
        out = tf.layers.dropout(x, rate=0.25, training=flag)
        with tf.Session() as sess:
            np.testing.assert_array_equal(sess.run(out), x)
            assert abs((sess.run(out, {flag: True}) != 0).mean() - 0.75) < 0.02


def test_batch_normalization_gradients_match_finite_differences():
    layer = tf.layers.BatchNormalization(momentum=0.5,
                                         gamma_initializer=tf.constant_initializer(1.5))
    jg.check_gradients(lambda x: layer(x, training=True) * cases.OUT_W,
                       cases.X4.astype(np.float64))
    assert layer.moving_mean.dtype == jg.float64          # the inputs' dtype, as TF


@pytest.mark.parametrize("loss", [
    lambda x: tf.losses.softmax_cross_entropy(cases.ONEHOT, x, weights=cases.W_BATCH,
                                              label_smoothing=0.1),
    lambda x: tf.losses.sparse_softmax_cross_entropy(cases.CLASSES, x),
    lambda x: tf.losses.sigmoid_cross_entropy(cases.BINARY, x, weights=cases.W_BATCH[:, None],
                                              label_smoothing=0.2),
    lambda x: tf.losses.hinge_loss(cases.BINARY, x, reduction=tf.losses.Reduction.MEAN),
    lambda x: tf.losses.huber_loss(cases.ONEHOT, x, delta=0.7),
    lambda x: tf.losses.mean_squared_error(cases.ONEHOT, x, weights=cases.W_BATCH[:, None]),
])
def test_loss_gradients_match_finite_differences(loss):
    # TF computes the weighted losses in float32: finite differences need a wide step
    jg.check_gradients(loss, cases.LOGITS.astype(np.float64) + 0.05, delta=1e-3, rtol=2e-3,
                       atol=2e-3)


@pytest.mark.parametrize("regularizer", [regularizers.l1(0.1), regularizers.l2(0.3),
                                         regularizers.l1_l2(0.2, 0.4)],
                         ids=["l1", "l2", "l1_l2"])
def test_regularizer_gradients_match_finite_differences(regularizer):
    jg.check_gradients(regularizer, cases.K_DENSE.astype(np.float64) + 0.05)


def test_regularizer_keeps_the_weights_dtype():
    assert regularizers.l2(0.1)(cases.K_DENSE.astype(np.float64)).dtype == jg.float64
    assert tf.keras.regularizers.L1L2 is regularizers.L1L2


def test_a_missing_layer_names_itself():
    with pytest.raises(AttributeError, match="tf.compat.v1.layers.Conv3D is not implemented"):
        tf.layers.Conv3D


def test_eager_layer_losses_and_tape_gradients():
    """Executing eagerly, a layer's regularization loss is in layer.losses (no collection) and
    the tape reaches its variables: d/dk [sum(x @ k + b) + 0.1 * sum(k ** 2)] = 3 + 0.2 k."""
    layer = tf.layers.Dense(2, kernel_regularizer=regularizers.l2(0.1))
    x = np.ones((3, 4), np.float32)
    with jg.GradientTape() as tape:
        loss = jg.reduce_sum(layer(x)) + jg.add_n(layer.losses)
    grad_k, grad_b = tape.gradient(loss, layer.trainable_variables)
    np.testing.assert_allclose(grad_k.numpy(), 3 + 0.2 * layer.kernel.numpy(), rtol=1e-6)
    np.testing.assert_allclose(grad_b.numpy(), [3.0, 3.0])
    assert tf.get_collection(tf.GraphKeys.REGULARIZATION_LOSSES) == []
