"""tf.keras.constraints (issue 18): MaxNorm, NonNeg, UnitNorm, MinMaxNorm, get, and a layer's
constraints applied by the optimizer after its update. Reference values were recorded from
Keras 3 / TF 2.21 by tools/record_keras_constraints.py on the same inputs."""
import numpy as np
import pytest

import janusgrad as tf

from .keras_constraints_expected import CASES, R

C = tf.keras.constraints


def seq(shape, a=0.7, s=1.0):
    n = int(np.prod(shape))
    return (np.sin(np.arange(n) * a) * s).reshape(shape).astype(np.float32)


W = seq((3, 4), 0.9, 2.5)


@pytest.mark.parametrize("key,src", CASES, ids=[c[0] for c in CASES])
def test_constraints_as_keras(key, src):
    c = eval(src)
    want = R[key]
    assert type(c).__name__ == want["class"]
    assert c.get_config() == want["config"]
    out = c(tf.constant(W))
    np.testing.assert_allclose(out.numpy(), np.float32(want["w"]), rtol=1e-6, atol=1e-6)
    # a variable works too (the optimizer passes the variable itself)
    np.testing.assert_allclose(c(tf.Variable(W)).numpy(), np.float32(want["w"]), rtol=1e-6,
                               atol=1e-6)


def test_constraint_formulas_by_numpy():
    n0 = np.sqrt((W.astype(np.float64) ** 2).sum(axis=0, keepdims=True))
    np.testing.assert_allclose(C.MaxNorm(1.0)(W).numpy(),
                               W * np.minimum(n0, 1.0) / (1e-7 + n0), rtol=1e-6)
    np.testing.assert_allclose(C.NonNeg()(W).numpy(), np.maximum(W, 0))


def test_get_and_bad_identifiers():
    assert C.get(None) is None
    f = lambda w: w  # noqa: E731
    assert C.get(f) is f
    assert isinstance(C.get(C.NonNeg), C.NonNeg)
    assert C.non_neg is C.NonNeg and C.max_norm is C.MaxNorm
    with pytest.raises(ValueError) as info:
        C.get("foo")
    assert str(info.value) == R["get_bad"]
    with pytest.raises(ValueError, match="constraint identifier"):
        tf.keras.layers.Dense(2, kernel_constraint=3)


def test_a_layers_constraints_are_applied_after_the_optimizer_step():
    layer = tf.keras.layers.Dense(3, kernel_constraint="max_norm", bias_constraint=C.NonNeg())
    x = seq((5, 4), 1.3, 2.0)
    layer(x)
    layer.set_weights([seq((4, 3), 0.4, 3.0), seq((3,), 0.8)])
    opt = tf.keras.optimizers.SGD(0.5)
    with tf.GradientTape() as tape:
        loss = tf.reduce_sum(layer(x) ** 2)
    opt.apply_gradients(zip(tape.gradient(loss, layer.trainable_variables),
                            layer.trainable_variables))
    for got, want in zip(layer.get_weights(), R["dense_step"]):
        np.testing.assert_allclose(got, np.float32(want), rtol=1e-5, atol=1e-6)
    config = layer.get_config()
    assert [config["kernel_constraint"], config["bias_constraint"]] == R["dense_config"]
