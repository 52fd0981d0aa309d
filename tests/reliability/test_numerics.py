"""Numerics: tf.debugging.check_numerics, and janusgrad.debug's numerics check, which names
the first op whose output (forward, or while computing a gradient) holds NaN or Inf.
"""
import numpy as np
import pytest

import janusgrad as tf
from janusgrad import debug
from janusgrad.framework.registry import OPS
from janusgrad.framework.graph import OP_HOOKS

v1 = tf.compat.v1


@pytest.fixture(autouse=True)
def check_off_afterwards():
    yield
    debug.disable_numerics_check()


# -- tf.debugging.check_numerics ---------------------------------------------------------------

@pytest.mark.parametrize("bad,what", [(np.nan, "NaN"), (np.inf, "Inf"), (-np.inf, "Inf")])
def test_check_numerics_raises_with_the_message(bad, what):
    with pytest.raises(tf.errors.InvalidArgumentError, match=f"weights : Tensor had {what}"):
        tf.debugging.check_numerics(tf.constant([1.0, bad]), "weights")


def test_check_numerics_passes_finite_values_through():
    x = tf.constant([1.0, -2.0, 3.5])
    np.testing.assert_array_equal(tf.debugging.check_numerics(x, "x"), x)
    np.testing.assert_array_equal(tf.debugging.assert_all_finite(x, "x"), x)


def test_check_numerics_in_a_graph_raises_at_run_time_naming_the_node():
    g = tf.Graph()
    with g.as_default():
        p = v1.placeholder(tf.float32, [2])
        y = tf.debugging.check_numerics(p * 2.0, "scaled", name="guard")
    with v1.Session(graph=g) as sess:
        np.testing.assert_array_equal(sess.run(y, {p: [1.0, 2.0]}), [2.0, 4.0])
        with pytest.raises(tf.errors.InvalidArgumentError, match=r"guard.*scaled : Tensor had "
                                                                 r"NaN"):
            sess.run(y, {p: [np.nan, 2.0]})


def test_check_numerics_checks_the_gradient_too():
    x = tf.constant([0.0, 1.0])
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = tf.sqrt(tf.debugging.check_numerics(x, "x"))
    with pytest.raises(tf.errors.InvalidArgumentError, match=r"in gradient\. x"):
        tape.gradient(y, x)


def test_check_numerics_refuses_integers():
    with pytest.raises(TypeError, match="CheckNumerics"):
        tf.debugging.check_numerics(tf.constant([1, 2]), "ints")


# -- the numerics check: forward ---------------------------------------------------------------

def forward(x):
    a = x * 2.0                 # fine
    b = tf.math.log(a)          # -inf at 0, NaN below
    return tf.exp(b) + 1.0


def test_numerics_check_names_the_first_op_eagerly():
    x = tf.constant([1.0, -1.0])
    with debug.numerics_check():
        with pytest.raises(debug.NumericsError) as info:
            forward(x)
    e = info.value
    assert isinstance(e, tf.errors.InvalidArgumentError) and isinstance(e, ValueError)
    assert (e.op_type, e.found, e.gradient_of, e.node, e.bad_inputs) == \
        ("Log", "NaN", None, None, ())
    assert str(e) == ("numerics check: 'Log' produced NaN in its output, in the forward pass; "
                      "its inputs [float32[2]] hold no NaN or Inf")


def test_numerics_check_names_the_node_in_a_session():
    with debug.numerics_check():
        g = tf.Graph()
        with g.as_default():
            p = v1.placeholder(tf.float32, [2])
            y = forward(p)
        with v1.Session(graph=g) as sess:
            np.testing.assert_allclose(sess.run(y, {p: [1.0, 2.0]}), [3.0, 5.0], rtol=1e-6)
            with pytest.raises(debug.NumericsError, match=r"'Log' \(node Log\) produced -Inf in "
                                                          r"its output, in the forward pass"):
                sess.run(y, {p: [1.0, 0.0]})


def test_graph_built_before_the_check_names_the_node_without_guessing_the_pass():
    g = tf.Graph()
    with g.as_default():
        p = v1.placeholder(tf.float32, [2])
        y = forward(p)
    with debug.numerics_check(), v1.Session(graph=g) as sess:
        with pytest.raises(debug.NumericsError) as info:
            sess.run(y, {p: [1.0, 0.0]})
    assert str(info.value).startswith("numerics check: 'Log' (node Log) produced -Inf in its "
                                      "output; its inputs [float32[2]] hold no NaN or Inf")


def test_numerics_check_inside_a_function():
    f = tf.function(forward)
    f(tf.constant([1.0, 2.0]))                      # traced and run before the check is on
    with debug.numerics_check():
        with pytest.raises(debug.NumericsError) as info:
            f(tf.constant([-1.0, 2.0]))
    assert info.value.op_type == "Log" and info.value.node == "Log"
    assert f.experimental_get_tracing_count() == 1


def test_numerics_check_says_when_the_nan_came_in_from_outside():
    x = tf.constant([np.nan, 1.0])
    with debug.numerics_check():
        with pytest.raises(debug.NumericsError, match=r"'Mul' produced NaN in its output, in the "
                                                      r"forward pass; its input\(s\) 0 already "
                                                      r"held NaN or Inf") as info:
            forward(x)
    assert info.value.bad_inputs == (0,)


def test_numerics_check_reports_several_kinds_at_once():
    with debug.numerics_check():
        with pytest.raises(debug.NumericsError, match="produced NaN and Inf and -Inf"):
            tf.constant([0.0, 1.0, -1.0]) / tf.constant([0.0, 0.0, 0.0])


# -- the numerics check: gradients -------------------------------------------------------------

def test_numerics_check_names_the_gradient_eagerly():
    x = tf.constant([0.0, 4.0])
    with debug.numerics_check():
        with tf.GradientTape() as tape:
            tape.watch(x)
            y = tf.reduce_sum(tf.sqrt(x))           # finite: sqrt(0) = 0
        with pytest.raises(debug.NumericsError) as info:
            tape.gradient(y, x)                     # 0.5 / sqrt(0) = inf
    assert info.value.gradient_of == "the gradient of 'Sqrt'"
    assert "while computing the gradient of 'Sqrt'" in str(info.value)


def test_numerics_check_names_the_gradient_in_a_graph():
    with debug.numerics_check():
        g = tf.Graph()
        with g.as_default():
            p = v1.placeholder(tf.float32, [2])
            y = tf.reduce_sum(tf.sqrt(p, name="root"))
            (dx,) = tf.gradients(y, p)
        with v1.Session(graph=g) as sess:
            assert sess.run(y, {p: [0.0, 4.0]}) == 2.0
            with pytest.raises(debug.NumericsError) as info:
                sess.run(dx, {p: [0.0, 4.0]})
    assert info.value.gradient_of == "the gradient of 'Sqrt' (node root)"
    assert info.value.node.startswith("gradients/")


def test_graph_built_before_the_check_is_on_still_says_gradient():
    g = tf.Graph()
    with g.as_default():
        p = v1.placeholder(tf.float32, [2])
        (dx,) = tf.gradients(tf.reduce_sum(tf.sqrt(p)), p)
    with debug.numerics_check(), v1.Session(graph=g) as sess:
        with pytest.raises(debug.NumericsError, match="while computing a gradient"):
            sess.run(dx, {p: [0.0, 4.0]})


def test_numerics_check_through_a_function_gradient():
    f = tf.function(lambda t: tf.reduce_sum(tf.sqrt(t)))
    x = tf.constant([0.0, 1.0])
    with debug.numerics_check():
        with tf.GradientTape() as tape:
            tape.watch(x)
            y = f(x)
        with pytest.raises(debug.NumericsError) as info:
            tape.gradient(y, x)
    assert "gradient of 'Sqrt'" in info.value.gradient_of


# -- off means off -----------------------------------------------------------------------------

def test_off_by_default_and_restored_exactly():
    originals = {t: d.kernel for t, d in OPS.items()}
    assert not debug.numerics_check_enabled() and OP_HOOKS == []
    debug.enable_numerics_check()
    assert debug.numerics_check_enabled()
    assert sum(OPS[t].kernel is not k for t, k in originals.items()) == len(originals) - 1
    debug.disable_numerics_check()
    assert all(OPS[t].kernel is k for t, k in originals.items()) and OP_HOOKS == []
    y = tf.math.log(tf.constant([0.0, -1.0]))       # NaN and -Inf pass silently again
    assert np.isneginf(y.numpy()[0]) and np.isnan(y.numpy()[1])


def test_session_plans_follow_the_switch():
    g = tf.Graph()
    with g.as_default():
        p = v1.placeholder(tf.float32, [1])
        y = tf.math.log(p)
    with v1.Session(graph=g) as sess:
        assert np.isneginf(sess.run(y, {p: [0.0]}))[0]          # plan compiled while off
        with debug.numerics_check():
            with pytest.raises(debug.NumericsError):
                sess.run(y, {p: [0.0]})                        # recompiled while on
        assert np.isneginf(sess.run(y, {p: [0.0]}))[0]          # and back


def test_nested_blocks_and_tf_debugging_aliases():
    tf.debugging.enable_check_numerics()
    with debug.numerics_check():
        pass
    assert debug.numerics_check_enabled()          # still on: it was on before the block
    tf.debugging.disable_check_numerics()
    assert not debug.numerics_check_enabled()


def test_finite_values_are_unchanged_by_the_check():
    x = tf.constant(np.linspace(0.1, 2.0, 7).astype(np.float32))
    plain = forward(x).numpy()
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = tf.reduce_sum(forward(x))
    plain_grad = tape.gradient(y, x).numpy()
    with debug.numerics_check():
        checked = forward(x).numpy()
        with tf.GradientTape() as tape:
            tape.watch(x)
            y = tf.reduce_sum(forward(x))
        checked_grad = tape.gradient(y, x).numpy()
    np.testing.assert_array_equal(checked, plain)
    np.testing.assert_array_equal(checked_grad, plain_grad)
