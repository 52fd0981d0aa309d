"""tf.image basics (issue 18): values and dtypes as TF 2.21's, recorded by
tools/record_tf_image.py into tests/data/tf_image.json; gradients against finite differences."""
import json
import pathlib

import numpy as np
import pytest

import janusgrad as tf
from janusgrad.check import check_gradients
from tools.record_tf_image import CASES, inputs

REC = json.loads((pathlib.Path(__file__).parent / "data" / "tf_image.json")
                 .read_text(encoding="utf-8"))["cases"]
X = inputs()


def run(case, graph=False):
    fn, x, kwargs = CASES[case]
    fn = getattr(tf.image, fn)
    if not graph:
        return fn(X[x], **kwargs).numpy()
    with tf.Graph().as_default():
        ph = tf.compat.v1.placeholder(tf.as_dtype(X[x].dtype), None)     # shape unknown
        out = fn(ph, **kwargs)
        with tf.compat.v1.Session() as sess:
            return sess.run(out, {ph: X[x]})


@pytest.mark.parametrize("graph", [False, True], ids=["eager", "graph"])
@pytest.mark.parametrize("case", sorted(CASES))
def test_as_tf(case, graph):
    want = REC[case]
    got = run(case, graph)
    assert got.dtype == np.dtype(want["dtype"])
    if got.dtype.kind in "iu":
        np.testing.assert_array_equal(got, want["value"])
    else:
        np.testing.assert_allclose(got, want["value"], rtol=1e-5, atol=1e-6)


def test_gradients():
    x = X["float"].astype(np.float64)
    check_gradients(lambda i: tf.image.flip_left_right(i * i), x)
    check_gradients(lambda i: tf.image.flip_up_down(i) * 2.0, x)
    # these two compute in float32, as TF: finite differences need a larger step
    check_gradients(tf.image.rgb_to_grayscale, x, rtol=2e-3, atol=2e-3, delta=1e-3)
    check_gradients(tf.image.per_image_standardization, x[0], rtol=2e-3, atol=2e-3,
                    delta=1e-3)


def test_bad_input_as_tf():
    with pytest.raises(ValueError, match="flip_left_right.*three-dimensional"):
        tf.image.flip_left_right([[1.0]])
    with pytest.raises(ValueError, match="per_image_standardization"):
        tf.image.per_image_standardization([[1.0]])
    with pytest.raises(AttributeError, match="image dtype"):
        tf.image.convert_image_dtype([True], tf.float32)
    with pytest.raises(AttributeError, match="dtype must be"):
        tf.image.convert_image_dtype([1.0], tf.bool)
