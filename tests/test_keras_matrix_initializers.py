"""keras.initializers Orthogonal and Identity (issue 18). Values are checked by NumPy (a seeded
Orthogonal draws from NumPy's generator for its seed, as janusgrad's seeded initializers do);
configs, names and messages are Keras 3 / TF 2.21's, checked there by hand."""
import numpy as np
import pytest

import janusgrad as tf

init = tf.keras.initializers


def numpy_orthogonal(shape, seed, gain=1.0):
    rows, cols = int(np.prod(shape[:-1])), shape[-1]
    a = np.random.default_rng(seed).standard_normal((max(rows, cols), min(rows, cols)))
    q, r = np.linalg.qr(a.astype(np.float32).astype(np.float64))
    q = q * np.sign(np.diag(r))
    return gain * (q.T if rows < cols else q).reshape(shape)


@pytest.mark.parametrize("shape", [(4, 4), (6, 3), (3, 5), (2, 3, 4)])
def test_orthogonal_seeded_matches_numpy_and_is_orthogonal(shape):
    w = init.Orthogonal(gain=1.5, seed=7)(shape).numpy()
    assert w.shape == shape and w.dtype == np.float32
    np.testing.assert_allclose(w, numpy_orthogonal(shape, 7, 1.5), rtol=1e-4, atol=1e-5)
    flat = w.reshape(-1, shape[-1])
    small = flat.T @ flat if flat.shape[0] >= flat.shape[1] else flat @ flat.T
    np.testing.assert_allclose(small, 1.5 ** 2 * np.eye(len(small)), atol=1e-5)
    np.testing.assert_array_equal(init.Orthogonal(gain=1.5, seed=7)(shape).numpy(), w)


def test_orthogonal_unseeded_by_name_and_in_a_layer():
    w = init.get("orthogonal")((5, 3)).numpy()
    np.testing.assert_allclose(w.T @ w, np.eye(3), atol=1e-5)
    layer = tf.keras.layers.Dense(4, kernel_initializer="orthogonal")
    layer(np.zeros((1, 4), np.float32))
    k = layer.kernel.numpy()
    np.testing.assert_allclose(k.T @ k, np.eye(4), atol=1e-5)
    assert init.Orthogonal().get_config() == {"seed": None, "gain": 1.0}
    assert init.OrthogonalInitializer is init.Orthogonal


def test_identity():
    np.testing.assert_array_equal(init.Identity(2.0)((2, 3)).numpy(), 2 * np.eye(2, 3))
    assert init.get("identity")((3, 3), dtype="float64").numpy().dtype == np.float64
    assert init.Identity(2.0).get_config() == {}
    assert init.IdentityInitializer is init.Identity


def test_bad_shapes_raise_as_keras():
    with pytest.raises(ValueError) as info:
        init.Orthogonal()((3,))
    assert str(info.value) == ("The tensor to initialize must be at least two-dimensional. "
                               "Received: shape=(3,) of rank 1.")
    with pytest.raises(ValueError) as info:
        init.Identity()((2, 2, 2))
    assert str(info.value) == ("Identity matrix initializer can only be used for 2D "
                               "matrices. Received: shape=(2, 2, 2) of rank 3.")
    with pytest.raises(ValueError, match="seed"):
        init.Orthogonal(seed="x")
