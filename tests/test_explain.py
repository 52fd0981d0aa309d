"""explain_gradient names why a gradient is None or zero, and where the path breaks."""
import pytest

import janusgrad as tf
from janusgrad.framework.registry import register_kernel
from janusgrad.framework.execute import execute
from janusgrad.framework.registry import OPS


@tf.custom_gradient
def _drops_gradient(x):
    return x * 2.0, lambda dy: None


def _graph():
    tf.compat.v1.disable_eager_execution()
    return tf.compat.v1.placeholder(tf.float32, [3], name="x")


def test_not_watched_and_untrainable_variables():
    x, v = tf.constant([1.0]), tf.Variable([2.0], trainable=False, name="frozen")
    with tf.GradientTape() as tape:
        y = x * v
    text = tf.explain_gradient(y, x, tape=tape)
    assert "is None" in text and "not watched" in text and "tape.watch(source)" in text
    assert "'frozen:0' is not trainable" in tf.explain_gradient(y, v, tape=tape)


def test_integer_source_and_target():
    k = tf.constant([1, 2])
    x = tf.constant([1.0, 2.0])
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = tf.cast(x, tf.int32)
    assert "dtype int32" in tf.explain_gradient(tf.cast(k, tf.float32), k, tape=tape)
    text = tf.explain_gradient(y, x, tape=tape)
    assert "target has dtype int32" in text


@pytest.mark.parametrize("mode", ["eager", "graph"])
def test_stop_gradient_is_named(mode):
    if mode == "graph":
        x = _graph()
        text = tf.explain_gradient(tf.stop_gradient(x, name="frozen") * 2.0, x)
        assert "tf.stop_gradient at 'frozen' (op type: StopGradient)" in text
        return
    x = tf.constant([1.0, 2.0, 3.0])
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = tf.sin(x) + tf.stop_gradient(x) * 2.0
        z = tf.stop_gradient(tf.sin(x)) * 2.0
    assert "connected" in tf.explain_gradient(y, x, tape=tape)
    assert "tf.stop_gradient at 'StopGradient' (op #5 on the tape)" in \
        tf.explain_gradient(z, x, tape=tape)


@pytest.mark.parametrize("mode", ["eager", "graph"])
def test_a_non_differentiable_op_is_named(mode):
    if mode == "graph":
        x = _graph()
        text = tf.explain_gradient(tf.round(x, name="quantize") * 2.0, x)
        assert "'quantize' (op type: Round) is not differentiable" in text
        return
    x = tf.constant([0.4, 1.6])
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = tf.round(x) * 3.0
    assert "'Round' (op #0 on the tape) is not differentiable" in \
        tf.explain_gradient(y, x, tape=tape)


@pytest.mark.parametrize("mode", ["eager", "graph"])
def test_a_custom_gradient_that_returned_none(mode):
    if mode == "graph":
        x = _graph()
        y = _drops_gradient(x)
    else:
        x = tf.constant([1.0])
        with tf.GradientTape() as tape:
            tape.watch(x)
            y = _drops_gradient(x)
    text = tf.explain_gradient(y, x, tape=None if mode == "graph" else tape)
    assert "custom gradient custom_gradient(_drops_gradient)" in text
    assert "returned None for its argument 0" in text


def test_a_gradient_block_that_returned_none():
    x, w = tf.constant(1.0), tf.constant(2.0)
    with tf.GradientTape() as tape:
        tape.watch([x, w])
        with tf.gradient_block(lambda dy: [dy, None], name="no_w") as block:
            y = block.outputs(tf.sin(x) * w)
    assert "gradient block 'no_w' of" in tf.explain_gradient(y, w, tape=tape)
    assert "connected" in tf.explain_gradient(y, x, tape=tape)


def test_a_missing_gradient_is_named():
    if "ExplainNoGrad" not in OPS:
        register_kernel("ExplainNoGrad", lambda x: x * 2)
    x = _graph()
    y = execute("ExplainNoGrad", [x], name="opaque")[0]
    text = tf.explain_gradient(y, x)
    assert "no gradient is defined for 'opaque' (op type: ExplainNoGrad)" in text
    assert "LookupError" in text


def test_no_path_at_all():
    x = _graph()
    other = tf.compat.v1.placeholder(tf.float32, [3])
    assert "no path from the source to the target" in tf.explain_gradient(other * 2.0, x)


def test_no_path_through_an_integer_tensor_on_a_tape():
    x = tf.constant([1.5, 2.5])
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = tf.cast(tf.cast(x, tf.int32), tf.float32)
    text = tf.explain_gradient(y, x, tape=tape)
    assert "integer tensor" in text and "'Cast' (op #0 on the tape)" in text


def test_a_zero_gradient_names_the_op_that_zeroes_it():
    x = tf.constant([-2.0, -1.0])
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = tf.nn.relu(x) * 5.0
    text = tf.explain_gradient(y, x, tape=tape)
    assert "is zero (not None)" in text and "'Relu' (op #0 on the tape)" in text


def test_eager_tensor_without_a_tape_and_the_active_tape():
    x = tf.constant(1.0)
    text = tf.explain_gradient(tf.sin(x), x)
    assert "no tape was given" in text
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = tf.stop_gradient(x) * 2.0
        assert "tf.stop_gradient" in tf.explain_gradient(y, x)     # found on the active tape


def test_a_used_non_persistent_tape():
    x = tf.constant(1.0)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = x * x
    tape.gradient(y, x)
    assert "used already" in tf.explain_gradient(y, x, tape=tape)


def test_explain_inside_tf_function_and_bad_arguments():
    texts = []

    @tf.function
    def f(x):
        texts.append(tf.explain_gradient(tf.stop_gradient(x, name="held") * 2.0, x))
        return x * 2.0
    f(tf.constant(1.0))
    assert "tf.stop_gradient at 'held' (op type: StopGradient)" in texts[0]
    with pytest.raises(TypeError, match="target must be a tensor"):
        tf.explain_gradient("y", tf.constant(1.0))
