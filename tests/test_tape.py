"""GradientTape: watch, persistence, nesting, output gradients, unconnected gradients."""
import numpy as np
import pytest

import janusgrad as tf


def test_gradient_of_watched_constant():
    x = tf.constant([1.0, 2.0, 3.0])
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = tf.reduce_sum(tf.sin(x) * x)
    np.testing.assert_allclose(tape.gradient(y, x).numpy(),
                               np.sin([1, 2, 3]) + np.cos([1, 2, 3]) * [1, 2, 3], rtol=1e-6)


def test_unwatched_source_gives_none_or_zero():
    x, z = tf.constant(1.0), tf.constant(2.0)
    with tf.GradientTape(persistent=True) as tape:
        tape.watch(x)
        y = x * 2.0
    assert tape.gradient(y, z) is None
    zero = tape.gradient(y, z, unconnected_gradients=tf.UnconnectedGradients.ZERO)
    assert zero.numpy() == 0.0 and zero.dtype is tf.float32
    assert tape.gradient(y, z, unconnected_gradients="zero").numpy() == 0.0


def test_non_persistent_tape_gives_one_set_of_gradients():
    x = tf.constant(1.0)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = x * x
    tape.gradient(y, x)
    with pytest.raises(RuntimeError, match="non-persistent"):
        tape.gradient(y, x)


def test_persistent_tape_and_nested_sources():
    x = tf.constant(2.0)
    with tf.GradientTape(persistent=True) as tape:
        tape.watch(x)
        y = x * x * x
    out = tape.gradient(y, {"a": x, "b": [x, (x,)]})
    assert out["a"].numpy() == 12.0 and out["b"][1][0].numpy() == 12.0
    assert isinstance(out["b"][1], tuple)
    assert tape.gradient(y, x).numpy() == 12.0


def test_persistent_tape_records_a_gradient_taken_inside_its_block():
    """As TF: the sweep's ops are recorded, so a gradient taken inside the `with` of a
    persistent tape can be differentiated again by the same tape (TF 2.21 numbers)."""
    v = tf.Variable(3.0)
    with tf.GradientTape(persistent=True) as tape:
        y = v * v * v
        g = tape.gradient(y, v)                 # 3 v^2
    assert g.numpy() == 27.0 and tape.gradient(g, v).numpy() == 18.0
    x = tf.constant(2.0)
    with tf.GradientTape(persistent=True) as tape:
        tape.watch(x)
        g = tape.gradient(x * x, x)             # 2 x, itself a function of x
        z = g * x
    assert tape.gradient(z, x).numpy() == 8.0
    with tf.GradientTape() as tape:             # a non-persistent tape stops recording
        tape.watch(x)
        g = tape.gradient(x * x, x)
        z = g * x
    with pytest.raises(RuntimeError, match="non-persistent"):
        tape.gradient(z, x)


def test_output_gradients_and_several_targets():
    x = tf.constant([1.0, 2.0])
    with tf.GradientTape(persistent=True) as tape:
        tape.watch(x)
        y = x * x
        z = x * 3.0
    np.testing.assert_allclose(tape.gradient(y, x, output_gradients=tf.constant([1.0, 10.0]))
                               .numpy(), [2.0, 40.0])
    np.testing.assert_allclose(tape.gradient([y, z], x).numpy(), [5.0, 7.0])


def test_gradient_inside_the_with_block():
    x = tf.constant(3.0)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = x * x
        g = tape.gradient(y, x)
    assert g.numpy() == 6.0


def test_stop_recording():
    x = tf.constant(3.0)
    with tf.GradientTape(persistent=True) as tape:
        tape.watch(x)
        with tape.stop_recording():
            y = x * x
        z = x * 2.0
    assert tape.gradient(y, x) is None            # y was not recorded: no path to x
    assert tape.gradient(z, x).numpy() == 2.0
    with tf.GradientTape() as tape:
        tape.watch(x)
        with tape.stop_recording():
            y = x * x
        z = y + x
    assert tape.gradient(z, x).numpy() == 1.0


def test_reset_forgets_what_was_recorded():
    x = tf.constant(3.0)
    with tf.GradientTape() as tape:
        tape.watch(x)
        x * x                 # recorded, then forgotten by reset()
        tape.reset()
        tape.watch(x)
        z = x * 5.0
    assert tape.gradient(z, x).numpy() == 5.0


def test_nested_tapes_give_second_order():
    x = tf.constant(3.0)
    with tf.GradientTape() as outer:
        outer.watch(x)
        with tf.GradientTape() as inner:
            inner.watch(x)
            y = x * x * x
        dy = inner.gradient(y, x)
    assert dy.numpy() == 27.0
    assert outer.gradient(dy, x).numpy() == 18.0


def test_third_order_through_three_tapes():
    x = tf.constant(0.5)
    with tf.GradientTape() as t3:
        t3.watch(x)
        with tf.GradientTape() as t2:
            t2.watch(x)
            with tf.GradientTape() as t1:
                t1.watch(x)
                y = tf.sin(x)
            d1 = t1.gradient(y, x)
        d2 = t2.gradient(d1, x)
    np.testing.assert_allclose(t3.gradient(d2, x).numpy(), -np.cos(0.5), rtol=1e-6)


def test_integer_tensors_are_not_watched():
    x = tf.constant(3)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = x * x
    assert tape.gradient(y, x) is None


def test_no_gradient_through_comparisons_and_round():
    x = tf.constant([0.3, 1.7])
    with tf.GradientTape(persistent=True) as tape:
        tape.watch(x)
        r = tf.round(x)
        c = tf.cast(x > 1.0, tf.float32)
    assert tape.gradient(r, x) is None
    assert tape.gradient(c, x) is None


def test_watch_rejects_non_tensors():
    with tf.GradientTape() as tape:
        with pytest.raises(ValueError):
            tape.watch("x")


def test_jacobian_and_batch_jacobian():
    x = tf.constant([[1.0, 2.0], [3.0, 4.0]])
    with tf.GradientTape(persistent=True) as tape:
        tape.watch(x)
        y = x * x
    j = tape.jacobian(y, x).numpy()
    assert j.shape == (2, 2, 2, 2)
    assert j[1, 0, 1, 0] == 6.0 and j[1, 0, 0, 0] == 0.0
    bj = tape.batch_jacobian(y, x).numpy()
    assert bj.shape == (2, 2, 2)
    np.testing.assert_allclose(bj[1], [[6.0, 0.0], [0.0, 8.0]])


def test_lookup_error_names_the_op_and_how_to_fix_it():
    from janusgrad.framework.registry import OPS
    from janusgrad.framework.registry import register_kernel
    if "NoGradHere" not in OPS:
        register_kernel("NoGradHere", lambda x: x * 2)
    from janusgrad.framework.execute import execute
    x = tf.constant(1.0)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = execute("NoGradHere", [x])[0]
    with pytest.raises(LookupError, match=r"No gradient defined for operation.*NoGradHere.*"
                                          r"RegisterGradient"):
        tape.gradient(y, x)
