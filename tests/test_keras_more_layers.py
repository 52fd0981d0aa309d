"""More Keras 3 layers real TF programs use (issue 18): LeakyReLU, ReLU, ELU,
GlobalMaxPooling2D, UpSampling2D, ZeroPadding2D, Cropping2D, Permute, RepeatVector, and
keras.utils.to_categorical.

Reference values, input gradients, configs and errors were recorded from Keras 3 / TF 2.21 by
tools/record_keras_more_layers.py, on the same inputs (`seq`)."""
import numpy as np
import pytest

import janusgrad as tf
from janusgrad.check import check_gradients

from .keras_more_layers_expected import CASES, ERRORS, R

L = tf.keras.layers


def seq(shape, a=0.7, s=1.0):
    n = int(np.prod(shape))
    return (np.sin(np.arange(n) * a) * s).reshape(shape).astype(np.float32)


X4 = seq((2, 3, 4, 2), 0.7, 3.0)
X2 = seq((2, 3), 1.1, 2.0)


@pytest.fixture(autouse=True)
def fresh_names():
    tf.keras.backend.clear_session()


@pytest.mark.parametrize("key,src,xin", CASES, ids=[c[0] for c in CASES])
def test_layer_values_gradients_and_config_as_keras(key, src, xin):
    layer = eval(src)
    x = tf.constant(eval(xin))
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = layer(x)
        s = tf.reduce_sum(y * tf.constant(seq(y.shape, 0.37)))
    expected = R[key]
    assert list(y.shape) == expected["shape"]
    assert y.dtype == tf.float32
    np.testing.assert_allclose(y.numpy(), np.float32(expected["y"]), rtol=1e-6, atol=1e-6)
    np.testing.assert_allclose(tape.gradient(s, x).numpy(), np.float32(expected["grad"]),
                               rtol=1e-6, atol=1e-6)
    assert list(layer.compute_output_shape(x.shape)) == expected["shape"]
    config = layer.get_config()
    for k, v in expected["config"].items():
        assert config[k] == (tuple(v) if isinstance(v, list) else v), k


@pytest.mark.parametrize("key,src,xin", CASES, ids=[c[0] for c in CASES])
def test_layer_gradients_by_finite_differences(key, src, xin):
    layer = eval(src)
    x = np.asarray(eval(xin), np.float64) + 0.013     # off the kinks (X4 has an exact 0)
    check_gradients(lambda t: layer(t), x)


def test_layers_in_a_functional_model_and_under_tf_function():
    inp = tf.keras.Input((3, 4, 2))
    h = L.UpSampling2D()(L.ZeroPadding2D(1)(inp))
    h = L.Cropping2D(((1, 1), (2, 2)))(L.LeakyReLU()(h))
    out = L.RepeatVector(2)(L.GlobalMaxPool2D()(L.Permute((2, 1, 3))(h)))
    model = tf.keras.Model(inp, out)
    assert model.output_shape == (None, 2, 2)
    x = X4[:, :, :, :]
    # NumPy: the same pipeline by hand
    p = np.pad(x, [(0, 0), (1, 1), (1, 1), (0, 0)]).repeat(2, 1).repeat(2, 2)
    p = np.where(p >= 0, p, 0.3 * p)[:, 1:-1, 2:-2]
    want = np.repeat(p.transpose(0, 2, 1, 3).max(axis=(1, 2))[:, None], 2, axis=1)
    np.testing.assert_allclose(model(x).numpy(), want, rtol=1e-6)
    np.testing.assert_allclose(tf.function(lambda t: model(t))(x).numpy(), want, rtol=1e-6)


@pytest.mark.parametrize("key,src", ERRORS, ids=[e[0] for e in ERRORS])
def test_bad_arguments_raise_as_keras(key, src):
    cls, message = R["error_" + key]
    with pytest.raises(getattr(__builtins__, cls, None) or eval(cls)) as info:
        eval(src)
    if "incompatible with the layer" in message:
        # Keras also names the input ("Input 0 with name 'None' of layer ..."); the rest agrees
        assert message.split(": ", 1)[1] in str(info.value)
    else:
        assert str(info.value) == message


def test_leaky_relu_accepts_keras2_alpha():
    np.testing.assert_allclose(L.LeakyReLU(alpha=0.1)(np.float32([-2.0, 3.0])).numpy(),
                               [-0.2, 3.0], rtol=1e-6)


def test_unsupported_options_are_clear():
    with pytest.raises(NotImplementedError, match="UpSampling2D.*nearest"):
        L.UpSampling2D(interpolation="bilinear")
    with pytest.raises(NotImplementedError, match="ZeroPadding2D.*channels_last"):
        L.ZeroPadding2D(data_format="channels_first")


# -- keras.utils.to_categorical ------------------------------------------------------------------

def test_to_categorical_as_keras():
    cat = tf.keras.utils.to_categorical
    assert cat([1, 0, 2]).tolist() == R["cat_list"]
    assert str(cat([1, 0, 2]).dtype) == R["cat_dtype"]
    assert cat([[1], [2]]).tolist() == R["cat_trailing1"]
    assert list(cat(np.array([[1, 2], [0, 1]])).shape) == R["cat_2d_shape"]
    assert cat([1, 2], num_classes=4).tolist() == R["cat_num_classes"]
    assert cat([-1, 0], num_classes=3).tolist() == R["cat_negative"]
    assert cat([1.7, 2]).tolist() == R["cat_float_ids"]
    t = cat(tf.constant([1, 0, 2]), num_classes=3)
    assert [t.dtype.name, t.numpy().tolist()] == R["cat_tensor"]


def test_to_categorical_bad_input():
    with pytest.raises(IndexError, match="to_categorical"):
        tf.keras.utils.to_categorical([1, 5], num_classes=3)
    with pytest.raises(ValueError, match="to_categorical.*num_classes"):
        tf.keras.utils.to_categorical(tf.constant([1, 0]))
