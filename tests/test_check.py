"""The checker itself: it must catch a wrong gradient (autograd's test_tests)."""
import numpy as np
import pytest

import janusgrad as tf
from janusgrad.check import GradientCheckError, check_gradients, compute_gradient


def _sin_with(grad_name):
    def f(x):
        if tf.executing_eagerly():
            return tf.custom_gradient(lambda x: (tf.sin(x), lambda dy: dy * tf.cos(x) * 2.001))(x)
        with tf.get_default_graph().gradient_override_map({"Sin": grad_name}):
            return tf.sin(x)
    return f


def test_checker_catches_a_wrong_gradient_in_both_modes():
    @tf.RegisterGradient("WrongSin")
    def _wrong(op, dy):
        return dy * tf.cos(op.inputs[0]) * 2.001

    for mode in ("eager", "graph"):
        with pytest.raises(GradientCheckError) as info:
            check_gradients(_sin_with("WrongSin"), np.linspace(-1, 1, 4), modes=(mode,))
        text = str(info.value)
        assert "input 0" in text and "finite differences give" in text and mode in text


def test_checker_catches_a_wrong_second_derivative():
    # first derivative right, second wrong: d/dx of the custom grad is not cos' derivative
    @tf.custom_gradient
    def f(x):
        return tf.sin(x), lambda dy: dy * tf.stop_gradient(tf.cos(x))
    check_gradients(f, np.linspace(-1, 1, 3), order=1, modes=("eager",))
    with pytest.raises(GradientCheckError):
        check_gradients(f, np.linspace(-1, 1, 3), order=2, modes=("eager",))


def test_checker_passes_a_right_gradient_to_second_order():
    check_gradients(lambda x, y: tf.sin(x) * y, np.linspace(-1, 1, 3), np.ones(3), order=2)


def test_compute_gradient_matches_tf_layout():
    theoretical, numerical = compute_gradient(lambda x: x * x, [np.array([1.0, 2.0, 3.0])])
    assert theoretical[0].shape == (3, 3)
    np.testing.assert_allclose(theoretical[0], np.diag([2.0, 4.0, 6.0]))
    np.testing.assert_allclose(numerical[0], np.diag([2.0, 4.0, 6.0]), atol=1e-6)


def test_compute_gradient_rows_are_outputs_columns_inputs():
    theoretical, _ = compute_gradient(lambda x: tf.reduce_sum(x) * tf.ones([2]),
                                      [np.ones(3, np.float32)])
    assert theoretical[0].shape == (2, 3) and theoretical[0].dtype == np.float32


def test_compute_gradient_rejects_non_list():
    with pytest.raises(ValueError):
        compute_gradient(lambda x: x, np.ones(2))


def test_check_gradients_rejects_an_unknown_mode():
    # a typo in modes= is a clear ValueError naming the argument, before anything runs
    with pytest.raises(ValueError, match="check_gradients: modes must be 'eager' and/or "
                                         "'graph', got 'egaer'"):
        check_gradients(tf.sin, np.array([0.5]), modes=("graph", "egaer"))
    with pytest.raises(ValueError, match="got 'Graph'"):
        check_gradients(tf.sin, np.array([0.5]), modes="Graph")
