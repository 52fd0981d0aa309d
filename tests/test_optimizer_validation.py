"""An optimizer step is all or nothing: every gradient is checked before any variable changes
(issue 7), in eager mode, in graph mode, for the Keras and the TF1 optimizers; with
`check_finite=True`, and for any optimizer while `tf.debugging.enable_check_numerics()` is on
(issue 17), a gradient holding NaN or Inf changes no variable."""
import numpy as np
import pytest

import janusgrad as tf
from janusgrad.framework.errors import InvalidArgumentError

OPTIMIZERS = {
    "keras SGD": lambda **kw: tf.keras.optimizers.SGD(0.1, **kw),
    "keras Adam": lambda **kw: tf.keras.optimizers.Adam(0.1, **kw),
    # weight decay writes every variable before the updates; clipnorm reads each gradient
    "keras SGD momentum decay clipnorm": lambda **kw: tf.keras.optimizers.SGD(
        0.1, momentum=0.9, weight_decay=0.01, clipnorm=1.0, **kw),
    "v1 GradientDescent": lambda **kw: tf.compat.v1.train.GradientDescentOptimizer(0.1, **kw),
    "v1 Momentum": lambda **kw: tf.compat.v1.train.MomentumOptimizer(0.1, 0.9, **kw),
    "v1 Adam": lambda **kw: tf.compat.v1.train.AdamOptimizer(0.1, **kw),
    "v1 RMSProp": lambda **kw: tf.compat.v1.train.RMSPropOptimizer(0.1, momentum=0.9, **kw),
}
each_optimizer = pytest.mark.parametrize("make", list(OPTIMIZERS.values()), ids=list(OPTIMIZERS))


def _step(opt, grads_and_vars):
    out = opt.apply_gradients(grads_and_vars)
    return out


@each_optimizer
def test_wrong_shape_or_dtype_changes_no_variable(make):
    a, b = tf.Variable([1.0, 2.0]), tf.Variable([3.0])
    opt = make()
    with pytest.raises(ValueError, match="no variable was changed"):
        _step(opt, [(tf.constant([1.0, 1.0]), a), (tf.constant([1.0, 1.0]), b)])
    with pytest.raises(TypeError, match="dtype"):
        _step(opt, [(tf.constant([1.0, 1.0]), a), (tf.constant([1], tf.int32), b)])
    assert a.numpy().tolist() == [1.0, 2.0] and b.numpy().tolist() == [3.0]


@each_optimizer
def test_non_finite_gradients_are_refused_when_asked(make):
    a, b = tf.Variable([1.0, 2.0]), tf.Variable([3.0])
    opt = make(check_finite=True)
    with pytest.raises(InvalidArgumentError, match="NaN or Inf"):
        _step(opt, [(tf.constant([1.0, 1.0]), a), (tf.constant([np.nan]), b)])
    assert a.numpy().tolist() == [1.0, 2.0] and b.numpy().tolist() == [3.0]
    _step(opt, [(tf.constant([1.0, 1.0]), a), (tf.constant([1.0]), b)])
    assert a.numpy()[0] < 1.0                                  # a finite step still runs


@each_optimizer
def test_non_finite_gradients_in_graph_mode_change_no_variable(make):
    tf.compat.v1.disable_eager_execution()
    a, b = tf.Variable([1.0, 2.0]), tf.Variable([3.0])
    g = tf.compat.v1.placeholder(tf.float32, [1])
    step = make(check_finite=True).apply_gradients([(tf.constant([1.0, 1.0]), a), (g, b)])
    with tf.compat.v1.Session() as sess:
        sess.run(tf.compat.v1.global_variables_initializer())
        with pytest.raises(InvalidArgumentError):
            sess.run(step, {g: [np.inf]})
        assert sess.run(a).tolist() == [1.0, 2.0] and sess.run(b).tolist() == [3.0]
        sess.run(step, {g: [1.0]})
        assert sess.run(a)[0] < 1.0


# -- under tf.debugging.enable_check_numerics() --------------------------------------------------

GOOD = np.array([1.0, -1.0], np.float32)


@pytest.fixture
def numerics_check():
    yield tf.debugging.enable_check_numerics
    tf.debugging.disable_check_numerics()


def _values(variables):
    return [np.array(v.numpy()) for v in variables]


def _assert_unchanged(before, variables):
    for want, v in zip(before, variables, strict=True):
        np.testing.assert_array_equal(v.numpy(), want, err_msg=v.name)


def _own(opt):
    return opt.variables() if callable(opt.variables) else opt.variables


@pytest.mark.parametrize("bad", [np.nan, np.inf])
@pytest.mark.parametrize("mode", ["eager", "function"])
@each_optimizer
def test_numerics_check_stops_a_step_with_a_non_finite_gradient_before_any_change(
        make, mode, bad, numerics_check):
    """The finite gradient comes first: its variable would be updated before the bad one is
    read, were every gradient not checked first. Slots, iteration count and beta powers exist
    (a first step ran) and stay as they are too."""
    a, b = tf.Variable([1.0, 2.0]), tf.Variable([3.0])
    opt = make()

    def step(ga, gb):
        opt.apply_gradients([(ga, a), (gb, b)])
    if mode == "function":
        step = tf.function(step)
    step(tf.constant(GOOD), tf.constant([0.5]))
    state = [a, b] + _own(opt)
    before = _values(state)
    numerics_check()
    with pytest.raises(InvalidArgumentError, match="NaN or Inf|produced (NaN|Inf)"):
        step(tf.constant(GOOD), tf.constant([bad]))
    _assert_unchanged(before, state)
    step(tf.constant(GOOD), tf.constant([0.5]))                 # a finite step still runs
    assert a.numpy()[0] != before[0][0]


@each_optimizer
def test_numerics_check_stops_a_session_step_with_a_non_finite_gradient(make, numerics_check):
    numerics_check()
    tf.compat.v1.disable_eager_execution()
    a, b = tf.Variable([1.0, 2.0]), tf.Variable([3.0])
    g = tf.compat.v1.placeholder(tf.float32, [1])
    opt = make()
    step = opt.apply_gradients([(tf.constant(GOOD), a), (g, b)])
    state = [a, b] + _own(opt)
    with tf.compat.v1.Session() as sess:
        sess.run(tf.compat.v1.global_variables_initializer())
        sess.run(step, {g: [0.5]})
        before = sess.run(state)
        with pytest.raises(InvalidArgumentError, match="produced NaN"):
            sess.run(step, {g: [np.nan]})
        for want, got in zip(before, sess.run(state), strict=True):
            np.testing.assert_array_equal(got, want)
        sess.run(step, {g: [0.5]})
        assert sess.run(a)[0] != before[0][0]


@each_optimizer
def test_numerics_check_turned_on_after_a_session_step_was_built_still_stops_it(
        make, numerics_check):
    """A graph built while the check was off: turned on, the check still stops the whole step
    (off, a NaN or Inf goes through, as TF's optimizers let it)."""
    tf.compat.v1.disable_eager_execution()
    a, b = tf.Variable([1.0, 2.0]), tf.Variable([3.0])
    p = tf.compat.v1.placeholder(tf.float32, [1])
    opt = make()
    step = opt.apply_gradients([(tf.constant(GOOD), a), (p, b)])
    state = [a, b] + _own(opt)
    with tf.compat.v1.Session() as sess:
        sess.run(tf.compat.v1.global_variables_initializer())
        sess.run(step, {p: [0.5]})
        before = sess.run(state)
        numerics_check()
        with pytest.raises(InvalidArgumentError, match="produced Inf"):
            sess.run(step, {p: [np.inf]})
        for want, got in zip(before, sess.run(state), strict=True):
            np.testing.assert_array_equal(got, want)
        tf.debugging.disable_check_numerics()
        sess.run(step, {p: [np.inf]})
        assert not np.isfinite(sess.run(b)).any()


@each_optimizer
def test_numerics_check_turned_on_after_a_function_step_was_traced_still_stops_it(
        make, numerics_check):
    a, b = tf.Variable([1.0, 2.0]), tf.Variable([3.0])
    opt = make()

    @tf.function
    def step(gb):
        opt.apply_gradients([(tf.constant(GOOD), a), (gb, b)])
    step(tf.constant([0.5]))                                    # traced (and run) while off
    state = [a, b] + _own(opt)
    before = _values(state)
    numerics_check()
    with pytest.raises(InvalidArgumentError, match="produced Inf"):
        step(tf.constant([np.inf]))
    _assert_unchanged(before, state)
    assert step.experimental_get_tracing_count() == 1
