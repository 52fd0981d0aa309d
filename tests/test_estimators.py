"""janusgrad.estimators: forward values, surrogate gradients checked numerically (both modes,
second order), schedules through variables, hooks; eager, graph and tf.function."""
import numpy as np
import pytest

import janusgrad as tf
from janusgrad import estimators as est
from janusgrad.check import GradientCheckError, check_gradients
from tests.test_modes import assert_modes_agree

X = np.array([-1.7, -0.4, 0.2, 0.6, 2.3])


def check_surrogate(estimator, surrogate, x=X, order=2):
    """check_gradients of a function whose value is surrogate(x) and whose gradient is the
    estimator's, so finite differences of the surrogate judge the estimator's gradient."""
    def f(x):
        y = estimator(x)
        return y - tf.stop_gradient(y) + tf.stop_gradient(surrogate(x))
    f.__name__ = getattr(estimator, "__name__", "estimator")
    check_gradients(f, x, order=order)


def test_the_surrogate_check_catches_a_wrong_estimator():
    with pytest.raises(GradientCheckError):
        check_surrogate(lambda x: est.scale_gradient(x, 2.0), lambda x: 2.1 * x, order=1)


@pytest.mark.parametrize("estimator, surrogate", [
    (est.sign_ste, lambda x: x),
    (est.round_ste, lambda x: x),
    (est.straight_through(tf.round), lambda x: x),
    (est.straight_through(tf.round, tf.sigmoid), tf.sigmoid),
    (est.straight_through(lambda x: tf.cast(x > 0, x.dtype), lambda x: tf.tanh(2.0 * x)),
     lambda x: tf.tanh(2.0 * x)),
    (lambda x: est.binary_stochastic(x, seed=3), tf.sigmoid),
    (lambda x: est.reverse_gradient(x, 0.7), lambda x: -0.7 * x),
    (lambda x: est.scale_gradient(x, 3.0), lambda x: 3.0 * x),
    (lambda x: est.clip_gradient(x, -0.5, 2.0), lambda x: x),     # unit seeds: not clipped
    (est.normalize_gradient, lambda x: x),                         # unit seeds: norm 1
    (lambda x: est.gradient_hook(x, lambda dy: dy * 2.0), lambda x: 2.0 * x),
], ids=["sign", "round", "st_identity", "st_sigmoid", "st_step_tanh", "binary_stochastic",
        "reverse", "scale", "clip", "normalize", "hook"])
def test_surrogate_gradients(estimator, surrogate):
    check_surrogate(estimator, surrogate)


def test_forward_values():
    x = tf.constant(X.astype(np.float32))
    np.testing.assert_array_equal(est.sign_ste(x).numpy(), np.sign(X).astype(np.float32))
    np.testing.assert_array_equal(est.round_ste(x).numpy(), np.round(X).astype(np.float32))
    for f in (lambda x: est.reverse_gradient(x, 3.0), lambda x: est.scale_gradient(x, 3.0),
              lambda x: est.clip_gradient(x, -1, 1), est.normalize_gradient,
              lambda x: est.gradient_hook(x, lambda dy: None)):
        np.testing.assert_array_equal(f(x).numpy(), x.numpy())
    b = est.binary_stochastic(tf.constant(np.zeros(4000, np.float32)), seed=1).numpy()
    assert set(np.unique(b)) <= {0.0, 1.0} and 0.45 < b.mean() < 0.55
    assert est.binary_stochastic(tf.constant([40.0, -40.0])).numpy().tolist() == [1.0, 0.0]


def _weighted(f):
    return lambda x: f(x) * tf.constant([1.0, -2.0, 3.0, 0.5, -0.1])


@pytest.mark.parametrize("f", [
    est.sign_ste, est.round_ste, est.straight_through(tf.round, tf.sigmoid),
    lambda x: est.reverse_gradient(x, 0.3), lambda x: est.scale_gradient(x, -2.0),
    lambda x: est.clip_gradient(x, -0.2, 0.4), est.normalize_gradient,
    lambda x: est.gradient_hook(x, lambda dy: dy * dy),
], ids=["sign", "round", "st_sigmoid", "reverse", "scale", "clip", "normalize", "hook"])
def test_same_values_and_gradients_in_every_mode(f):
    assert_modes_agree(_weighted(f), X.astype(np.float32))


def test_clip_and_normalize_act_on_the_incoming_gradient():
    x = tf.constant([1.0, 2.0, 3.0])
    dy = tf.constant([-3.0, 0.1, 4.0])
    with tf.GradientTape(persistent=True) as tape:
        tape.watch(x)
        clipped = est.clip_gradient(x, -1.0, 0.5)
        unit = est.normalize_gradient(x)
        zero = est.normalize_gradient(x)
    np.testing.assert_allclose(tape.gradient(clipped, x, output_gradients=dy).numpy(),
                               [-1.0, 0.1, 0.5])
    np.testing.assert_allclose(tape.gradient(unit, x, output_gradients=dy).numpy(),
                               dy.numpy() / np.linalg.norm(dy.numpy()), rtol=1e-6)
    assert tape.gradient(zero, x, output_gradients=tf.zeros([3])).numpy().tolist() == [0.0] * 3


def test_binary_stochastic_gradient_is_the_sigmoid_slope_whatever_the_sample():
    x = tf.constant([-1.0, 0.0, 2.0])
    s = 1 / (1 + np.exp(-x.numpy()))
    for seed in (1, 2):
        with tf.GradientTape() as tape:
            tape.watch(x)
            y = est.binary_stochastic(x, seed=seed)
        np.testing.assert_allclose(tape.gradient(y, x).numpy(), s * (1 - s), rtol=1e-6)


def test_reverse_gradient_schedule_through_a_variable_without_retracing():
    strength = tf.Variable(0.0)

    @tf.function
    def grad_inside(x):
        with tf.GradientTape() as tape:
            tape.watch(x)
            y = tf.reduce_sum(est.reverse_gradient(x, strength) * 2.0)
        return tape.gradient(y, x)

    @tf.function
    def forward(x):
        return tf.reduce_sum(est.reverse_gradient(x, strength) * 2.0)
    x = tf.constant([1.0, 2.0])
    for value in (0.0, 0.5, 1.0):
        strength.assign(value)
        np.testing.assert_allclose(grad_inside(x).numpy(), [-2.0 * value] * 2)
        with tf.GradientTape() as tape:
            tape.watch(x)
            y = forward(x)
        np.testing.assert_allclose(tape.gradient(y, x).numpy(), [-2.0 * value] * 2)
    assert grad_inside.experimental_get_tracing_count() == 1
    assert forward.experimental_get_tracing_count() == 1


def test_reverse_gradient_schedule_in_graph_mode():
    tf.compat.v1.disable_eager_execution()
    strength = tf.Variable(0.25)
    x = tf.compat.v1.placeholder(tf.float32, [2])
    (g,) = tf.gradients(tf.reduce_sum(est.reverse_gradient(x, strength)), x)
    with tf.compat.v1.Session() as sess:
        sess.run(tf.compat.v1.global_variables_initializer())
        assert sess.run(g, {x: [1.0, 2.0]}).tolist() == [-0.25, -0.25]
        sess.run(strength.assign(2.0))
        assert sess.run(g, {x: [1.0, 2.0]}).tolist() == [-2.0, -2.0]


def test_strength_as_a_tensor_and_float64_inputs():
    x = tf.constant([1.0, 2.0], tf.float64)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = est.reverse_gradient(x, tf.constant(0.5))      # float32 strength, float64 x
    g = tape.gradient(y, x)
    assert g.dtype is tf.float64 and g.numpy().tolist() == [-0.5, -0.5]


def test_gradient_hook_sees_the_gradient_in_both_modes():
    seen = []

    def f(x):
        h = est.gradient_hook(x * 3.0, lambda dy: seen.append(dy))
        return tf.reduce_sum(h * tf.constant([1.0, 10.0]))
    x = tf.constant([1.0, 2.0])
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = f(x)
    assert tape.gradient(y, x).numpy().tolist() == [3.0, 30.0]
    assert seen[0].numpy().tolist() == [1.0, 10.0]
    tf.compat.v1.disable_eager_execution()
    p = tf.compat.v1.placeholder(tf.float32, [2])
    (g,) = tf.gradients(f(p), p)
    with tf.compat.v1.Session() as sess:
        dy, dx = sess.run([seen[1], g], {p: [1.0, 2.0]})   # the hook kept the symbolic dy
    assert dy.tolist() == [1.0, 10.0] and dx.tolist() == [3.0, 30.0]


def test_straight_through_backward_reads_variables():
    v = tf.Variable(2.0)
    step = est.straight_through(tf.round, lambda x: x * v)
    x = tf.constant([0.3, 1.6])
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = tf.reduce_sum(step(x))
    gx, gv = tape.gradient(y, [x, v])
    assert gx.numpy().tolist() == [2.0, 2.0] and abs(gv.numpy() - 1.9) < 1e-6


def test_straight_through_identity_needs_one_input_per_output():
    st = est.straight_through(lambda a, b: a + b)
    a, b = tf.constant(1.0), tf.constant(2.0)
    with tf.GradientTape() as tape:
        tape.watch([a, b])
        y = st(a, b)
    with pytest.raises(ValueError, match="as many inputs as outputs"):
        tape.gradient(y, [a, b])


def test_a_variable_argument_is_an_input_in_both_modes():
    v = tf.Variable([0.2, 0.7, 1.4, -2.6])
    w = tf.constant([1.0, -1.0, 2.0, 3.0])
    with tf.GradientTape() as tape:
        loss = tf.reduce_sum(est.round_ste(v) * w)
    assert tape.gradient(loss, v).numpy().tolist() == [1.0, -1.0, 2.0, 3.0]
    tf.compat.v1.disable_eager_execution()
    v = tf.Variable([0.2, 0.7])
    (g,) = tf.gradients(tf.reduce_sum(est.sign_ste(v) * 3.0), v)
    with tf.compat.v1.Session() as sess:
        sess.run(tf.compat.v1.global_variables_initializer())
        assert sess.run(g).tolist() == [3.0, 3.0]


# sign_ste(x, clip=c): BinaryNet's sign (sign(0) = +1) with the hardtanh straight-through
# gradient dy * 1{|x| <= c}; without clip, tf.sign and the identity as before.
XC = np.array([-2.5, -1.0, -0.6, 0.0, 0.3, 1.0, 1.7])


def test_sign_ste_without_clip_keeps_tf_sign_at_zero():
    x = tf.constant([-0.5, 0.0, 0.5])
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = est.sign_ste(x)
    assert y.numpy().tolist() == [-1.0, 0.0, 1.0]          # unchanged: tf.sign, sign(0) = 0
    assert tape.gradient(y, x).numpy().tolist() == [1.0, 1.0, 1.0]


@pytest.mark.parametrize("clip", [1.0, 0.5, 2])
def test_sign_ste_clip_is_binarynet_sign_with_the_hardtanh_gradient(clip):
    x = tf.constant(XC.astype(np.float32))
    dy = np.array([1.0, -2.0, 3.0, 0.5, -0.1, 4.0, 7.0], np.float32)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = est.sign_ste(x, clip=clip)
    np.testing.assert_array_equal(y.numpy(), np.where(XC >= 0, 1.0, -1.0))
    assert set(np.unique(y.numpy())) == {-1.0, 1.0}          # binary: sign(0) = +1
    np.testing.assert_array_equal(tape.gradient(y, x, output_gradients=tf.constant(dy)).numpy(),
                                  dy * (np.abs(XC) <= clip))


def test_sign_ste_clip_surrogate_gradient_checked_numerically():
    # away from the kinks at +-clip, the gradient is hardtanh's (finite differences)
    x = np.array([-1.7, -0.4, 0.2, 0.6, 2.3])
    check_surrogate(lambda x: est.sign_ste(x, clip=1.0), lambda x: tf.clip_by_value(x, -1.0, 1.0),
                    x=x)


def test_sign_ste_clip_same_in_every_mode_and_on_variables():
    assert_modes_agree(_weighted(lambda x: est.sign_ste(x, clip=0.5)), X.astype(np.float32))
    v = tf.Variable([0.0, 3.0, -0.2])       # a shadow weight, as in BinaryNet
    with tf.GradientTape() as tape:
        y = est.sign_ste(v, clip=1.0)
    assert y.numpy().tolist() == [1.0, 1.0, -1.0]
    assert tape.gradient(y, v).numpy().tolist() == [1.0, 0.0, 1.0]


def test_sign_ste_clip_in_tf_function_and_float64():
    f = tf.function(lambda x: est.sign_ste(x, clip=1.0))
    x = tf.constant([-3.0, 0.0, 0.9], tf.float64)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = f(x)
    assert y.dtype == tf.float64 and y.numpy().tolist() == [-1.0, 1.0, 1.0]
    assert tape.gradient(y, x).numpy().tolist() == [0.0, 1.0, 1.0]


@pytest.mark.parametrize("clip, cls", [(0, ValueError), (-1.0, ValueError), ("1", ValueError),
                                       (True, ValueError)])
def test_sign_ste_bad_clip(clip, cls):
    with pytest.raises(cls, match=r"sign_ste: clip"):
        est.sign_ste(tf.constant([1.0]), clip=clip)


def test_sign_ste_clip_needs_a_floating_input():
    with pytest.raises(TypeError, match=r"sign_ste: x must be a floating"):
        est.sign_ste(tf.constant([1, 2]), clip=1.0)
