"""tf.gradients and a Session's first run hold Python's cycle collector off while they build,
and leave it as they found it (enabled, or disabled by the user), errors included."""
import gc

import numpy as np
import pytest

import janusgrad as tf
from janusgrad.framework import collector


def _graph():
    g = tf.Graph()
    with g.as_default():
        p = tf.compat.v1.placeholder(tf.float32, [3])
        y = tf.reduce_sum(tf.sin(p) * p)
    return g, p, y


@pytest.mark.parametrize("enabled", [True, False])
def test_gradients_and_session_leave_the_collector_as_they_found_it(enabled):
    seen = []
    g, p, y = _graph()
    (gc.enable if enabled else gc.disable)()
    try:
        with g.as_default():
            orig = collector.gc.disable

            def spy():
                seen.append("disable")
                orig()
            collector.gc.disable = spy
            try:
                (dx,) = tf.gradients(y, p)
                assert gc.isenabled() is enabled
                with tf.compat.v1.Session(graph=g) as sess:
                    got = sess.run(dx, {p: [0.5, 1.0, 2.0]})
            finally:
                collector.gc.disable = orig
        assert gc.isenabled() is enabled
        x = np.array([0.5, 1.0, 2.0], np.float32)
        np.testing.assert_allclose(got, np.sin(x) + x * np.cos(x), rtol=1e-6)
        # paused twice (the sweep, the plan) when it was on; left alone when it was off
        assert seen == (["disable", "disable"] if enabled else [])
    finally:
        gc.enable()


def test_an_error_inside_still_restores_the_collector():
    assert gc.isenabled()
    with pytest.raises(ValueError):
        with collector.paused():
            assert not gc.isenabled()
            raise ValueError("inside")
    assert gc.isenabled()
    g = tf.Graph()
    with g.as_default():
        p = tf.compat.v1.placeholder(tf.float32, [2])
        with pytest.raises(TypeError):
            tf.gradients(tf.reduce_sum(p), p, grad_ys=["not a tensor"])
    assert gc.isenabled()
