"""Broken user code: gradient functions (RegisterGradient, gradient_override_map,
custom_gradient) and traced functions that raise or return the wrong thing. The error says
which op; afterwards the tape, the graph and the thread's context work as before.
"""
import numpy as np
import pytest

import janusgrad as tf
from janusgrad.framework import context
from janusgrad.framework.registry import GRADIENTS


class UserBug(ValueError):
    pass


def _raise(*_):
    raise UserBug("bug in the user's gradient")


def context_is_clean():
    ctx = context.ctx
    return ctx.tapes == [] and ctx.graph_stack == [] and ctx.var_watchers == [] \
        and not ctx.force_eager and tf.executing_eagerly()


def broken_square(rule):
    """tf.square(x) in a graph whose gradient is `rule` (registered under a fresh name)."""
    name = f"ReliabilityBroken{id(rule)}"
    tf.RegisterGradient(name)(lambda op, dy: rule(dy))
    return name


# -- what the errors say -----------------------------------------------------------------------

def test_registered_gradient_with_the_wrong_count_names_the_op():
    name = broken_square(lambda dy: [dy, dy])
    g = tf.Graph()
    with g.as_default():
        p = tf.compat.v1.placeholder(tf.float32, [2])
        with g.gradient_override_map({"Square": name}):
            y = tf.square(p, name="my_square")
        with pytest.raises(ValueError, match=r"'my_square' \(op type: Square\) returned 2 "
                                             r"gradients, but the op has 1 inputs"):
            tf.gradients(y, p)


def test_registered_gradient_returning_a_non_tensor_names_the_op_and_the_input():
    name = broken_square(lambda dy: "not a tensor")
    g = tf.Graph()
    with g.as_default():
        p = tf.compat.v1.placeholder(tf.float32, [2])
        with g.gradient_override_map({"Square": name}):
            y = tf.square(p, name="my_square")
        with pytest.raises(TypeError, match=r"'my_square' \(op type: Square\) returned str for "
                                            r"input 0; expected a Tensor or None"):
            tf.gradients(y, p)


@pytest.mark.parametrize("shape", [(3,), (1,), (2, 1)])
def test_registered_gradient_of_the_wrong_shape_names_the_op_and_both_shapes(shape):
    name = broken_square(lambda dy: tf.ones(shape))
    g = tf.Graph()
    with g.as_default():
        p = tf.compat.v1.placeholder(tf.float32, [2])
        with g.gradient_override_map({"Square": name}):
            y = tf.square(p, name="my_square")
        with pytest.raises(ValueError, match=rf"'my_square' \(op type: Square\) returned a "
                                             rf"gradient of shape \({shape[0]},"):
            tf.gradients(y, p)


@pytest.mark.parametrize("mode", ["eager", "graph"])
@pytest.mark.parametrize("shape", [(3,), (1,)])
def test_custom_gradient_of_the_wrong_shape_is_a_value_error(mode, shape):
    """A gradient that would broadcast, (1,) for (2,), is refused too: it would be wrong."""
    @tf.custom_gradient
    def f(x):
        return x * 2.0, lambda dy: tf.ones(shape)

    with pytest.raises(ValueError, match=rf"returned a gradient of shape \({shape[0]},\) for "
                                         r"input 1, which has shape \(2,\)"):
        _gradient(f, mode)


@pytest.mark.parametrize("mode", ["eager", "graph"])
def test_custom_gradient_with_the_wrong_count_is_a_value_error(mode):
    @tf.custom_gradient
    def f(x):
        return x * 2.0, lambda dy: [dy, dy]

    with pytest.raises(ValueError, match="custom_gradient function expected to return 1 "
                                         "gradients, but returned 2"):
        _gradient(f, mode)


@pytest.mark.parametrize("mode", ["eager", "graph"])
def test_custom_gradient_returning_a_non_tensor_is_a_type_error(mode):
    @tf.custom_gradient
    def f(x):
        return x * 2.0, lambda dy: object()

    with pytest.raises(TypeError, match=r"returned object for input 1; expected a Tensor"):
        _gradient(f, mode)


def _gradient(f, mode):
    x = np.array([1.0, 2.0], np.float32)
    if mode == "eager":
        t = tf.constant(x)
        with tf.GradientTape() as tape:
            tape.watch(t)
            y = f(t)
        return tape.gradient(y, t)
    g = tf.Graph()
    with g.as_default():
        p = tf.compat.v1.placeholder(tf.float32, [2])
        (dx,) = tf.gradients(f(p), p)
    with tf.compat.v1.Session(graph=g) as sess:
        return sess.run(dx, {p: x})


# -- the tape stays usable ---------------------------------------------------------------------

def test_persistent_tape_works_after_a_gradient_function_raised():
    @tf.custom_gradient
    def broken(x):
        return x * 2.0, _raise

    x = tf.constant([0.5, 1.0])
    with tf.GradientTape(persistent=True) as tape:
        tape.watch(x)
        bad = tf.reduce_sum(broken(x))
        good = tf.reduce_sum(tf.sin(x))
        with pytest.raises(UserBug):
            tape.gradient(bad, x)
        assert context.ctx.tapes == [tape]             # still recording
        later = tf.reduce_sum(x * x)
    np.testing.assert_allclose(tape.gradient(good, x), np.cos([0.5, 1.0]), rtol=1e-6)
    np.testing.assert_allclose(tape.gradient(later, x), [1.0, 2.0], rtol=1e-6)
    assert context_is_clean()


def test_non_persistent_tape_after_a_failed_gradient_leaves_no_trace():
    @tf.custom_gradient
    def broken(x):
        return x * 2.0, _raise

    x = tf.constant([0.5, 1.0])
    with tf.GradientTape() as outer:
        outer.watch(x)
        with tf.GradientTape() as inner:
            inner.watch(x)
            y = tf.reduce_sum(broken(x))
            with pytest.raises(UserBug):
                inner.gradient(y, x)
        z = tf.reduce_sum(tf.square(x))
    assert context_is_clean()
    # the outer tape kept recording through the inner failure
    np.testing.assert_allclose(outer.gradient(z, x), [1.0, 2.0], rtol=1e-6)


def test_registered_gradient_that_raises_leaves_the_registry_and_graph_usable():
    before = dict(GRADIENTS)
    name = broken_square(_raise)
    g = tf.Graph()
    with g.as_default():
        p = tf.compat.v1.placeholder(tf.float32, [2])
        with g.gradient_override_map({"Square": name}):
            y = tf.square(p)
        z = tf.sin(p)
        with pytest.raises(UserBug):
            tf.gradients(y, p)
        assert g.get_name_scope() == ""                # the "gradients" scope was left
        (dz,) = tf.gradients(z, p)                     # other gradients still build
        plain = tf.square(p)                           # no override map left behind
        (dplain,) = tf.gradients(plain, p)
    with tf.compat.v1.Session(graph=g) as sess:
        y_val, dz_val, dplain_val = sess.run([y, dz, dplain], {p: [0.5, 1.0]})
    np.testing.assert_allclose(y_val, [0.25, 1.0])
    np.testing.assert_allclose(dz_val, np.cos([0.5, 1.0]), rtol=1e-6)
    np.testing.assert_allclose(dplain_val, [1.0, 2.0])
    assert set(GRADIENTS) - set(before) == {name}
    assert context_is_clean()


def test_custom_gradient_whose_forward_raises_leaves_the_context_clean():
    v = tf.Variable(1.0)

    @tf.custom_gradient
    def f(x):
        _ = v * x                      # reads a variable: a watcher is active while f runs
        raise UserBug("forward failed")

    with tf.GradientTape() as tape:
        x = tf.constant(2.0)
        tape.watch(x)
        with pytest.raises(UserBug):
            f(x)
        y = x * 3.0
    assert context_is_clean()
    assert float(tape.gradient(y, x)) == 3.0


# -- tf.function and graphs stay usable --------------------------------------------------------

def test_function_whose_trace_raises_can_be_called_again():
    calls = []

    @tf.function
    def f(x):
        calls.append(1)
        if len(calls) == 1:
            raise UserBug("first trace fails")
        return x * 2.0

    with pytest.raises(UserBug):
        f(tf.constant(1.0))
    assert context_is_clean()
    assert float(f(tf.constant(1.5))) == 3.0
    assert float(f(tf.constant(2.5))) == 5.0
    assert len(calls) == 2                             # the failed trace was not cached


def test_function_that_fails_at_run_time_keeps_working():
    @tf.function
    def f(x):
        return tf.debugging.check_numerics(x, "x") * 2.0

    with pytest.raises(tf.errors.InvalidArgumentError, match="x : Tensor had NaN"):
        f(tf.constant([np.nan, 1.0]))
    np.testing.assert_array_equal(f(tf.constant([1.0, 2.0])), [2.0, 4.0])
    assert f.experimental_get_tracing_count() == 1
    assert context_is_clean()


def test_graph_build_error_inside_a_block_restores_scopes_and_control_dependencies():
    g = tf.Graph()
    with g.as_default():
        a = tf.constant(1.0, name="a")
        with pytest.raises(ValueError):
            with tf.name_scope("outer"), tf.control_dependencies([a]):
                tf.reshape(tf.ones([6]), [4, 2])
        b = tf.constant(2.0, name="b")
    assert b.op.name == "b" and b.op.control_inputs == []
    assert context_is_clean()
