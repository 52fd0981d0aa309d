"""keras.optimizers Adagrad and AdamW (issue 18): five steps of each, eager and in a
tf.function, against trajectories recorded from Keras 3 / TF 2.21 by
tools/record_keras_more_optimizers.py, and Adagrad's first step by NumPy."""
import numpy as np
import pytest

import janusgrad as tf

from .keras_more_optimizers_expected import CASES, R

optimizers = tf.keras.optimizers


def loss_fn(a, b):
    return tf.reduce_sum((a - tf.constant([1.0, -2.0, 0.5])) ** 2 * tf.constant([1.0, 3.0, 0.2])) \
        + tf.reduce_sum(tf.sin(b) * b)


@pytest.mark.parametrize("compiled", [False, True], ids=["eager", "function"])
@pytest.mark.parametrize("key,src", CASES, ids=[c[0] for c in CASES])
def test_trajectories_as_keras(key, src, compiled):
    opt = eval(src)
    a = tf.Variable([0.3, 0.1, -0.7])
    b = tf.Variable([[0.5, -1.2], [2.0, 0.1]])

    def step():
        with tf.GradientTape() as tape:
            loss = loss_fn(a, b)
        opt.apply_gradients(zip(tape.gradient(loss, [a, b]), [a, b]))

    if compiled:
        step = tf.function(step)
    for want_a, want_b in R[key]:
        step()
        np.testing.assert_allclose(a.numpy(), np.float32(want_a), rtol=2e-6, atol=1e-6)
        np.testing.assert_allclose(b.numpy(), np.float32(want_b), rtol=2e-6, atol=1e-6)


def test_adagrad_first_step_by_numpy():
    v = tf.Variable([1.0, -2.0])
    optimizers.Adagrad(0.1).apply_gradients([(tf.constant([0.5, 3.0]), v)])
    g = np.array([0.5, 3.0])
    want = np.array([1.0, -2.0]) - 0.1 * g / np.sqrt(0.1 + g ** 2 + 1e-7)
    np.testing.assert_allclose(v.numpy(), want, rtol=1e-6)


def test_names_get_and_errors():
    assert [optimizers.Adagrad().name, optimizers.AdamW().name] == R["names"]
    assert isinstance(optimizers.get("adagrad"), optimizers.Adagrad)
    assert isinstance(optimizers.get("AdamW"), optimizers.AdamW)
    with pytest.raises(ValueError) as info:
        optimizers.AdamW(weight_decay=None)
    assert str(info.value) == R["adamw_none"]
