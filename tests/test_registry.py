"""The op tables have one owner (framework/registry.py): replacing a gradient updates every
table at once, a gradient rule declares whether it takes zeros or None for unreached outputs,
kernels are swapped through it, and tensor conversions are registered from above."""
import numpy as np
import pytest

import janusgrad as tf
from janusgrad.framework import registry
from janusgrad.framework.execute import execute
from janusgrad.framework.shape import TensorShape


@pytest.fixture
def op_type(request):
    """A fresh op type name, unregistered again after the test."""
    name = "TestRegistry" + request.node.name.title().replace("_", "")[:40]
    yield name
    registry.unregister_kernel(name)
    registry.remove_gradient(name)


def _big(n=1000):
    return tf.constant(np.linspace(-1.0, 1.0, n, dtype=np.float32))


# -- one gradient, one set of declarations ------------------------------------------------------

def test_a_replaced_gradient_drops_what_the_old_one_declared(op_type):
    registry.register_kernel(op_type, lambda x: x * 3.0)
    registry.gradient(op_type, inputs=())(lambda op, dy: dy * 3.0)   # reads no input value
    assert op_type in registry.SAVES
    tf.unregister_gradient(op_type)
    assert op_type not in registry.SAVES

    @tf.RegisterGradient(op_type)
    def _reads_its_input(op, dy):
        return dy * op.inputs[0]

    assert op_type not in registry.SAVES
    x = _big()
    with tf.GradientTape() as tape:
        tape.watch(x)
        (y,) = execute(op_type, [x])
    # the record kept x's array (a stand-in would raise when the new gradient reads it)
    np.testing.assert_allclose(tape.gradient(y, x).numpy(), x.numpy())


def test_putting_janusgrad_s_gradient_back_declares_its_saved_values_again():
    sin_grad = registry.GRADIENTS["Sin"]
    declared = registry.SAVES["Sin"]
    tf.unregister_gradient("Sin")
    assert "Sin" not in registry.SAVES
    registry.set_gradient("Sin", sin_grad)
    assert registry.SAVES["Sin"] == declared
    x = _big()
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = tf.sin(x)
    np.testing.assert_allclose(tape.gradient(y, x).numpy(), np.cos(x.numpy()), rtol=1e-6)


def test_no_gradient_and_a_user_gradient_are_not_trusted_or_saved(op_type):
    registry.register_kernel(op_type, lambda x: x)
    tf.no_gradient(op_type)
    assert registry.GRADIENTS[op_type] is None and op_type not in registry.SAVES
    tf.unregister_gradient(op_type)

    def wrong(op, dy):
        return tf.ones([3])             # the wrong shape: the sweep must check it

    tf.RegisterGradient(op_type)(wrong)
    assert wrong not in registry.TRUSTED
    x = tf.constant([1.0, 2.0])
    with tf.GradientTape() as tape:
        tape.watch(x)
        (y,) = execute(op_type, [x])
    with pytest.raises(ValueError, match="shape"):
        tape.gradient(y, x)


# -- zeros for outputs no gradient reached: the rule's declared choice ---------------------------

def _two_outputs(op_type, zeros):
    """An op with two outputs (x, 2x) whose gradient records what it was given."""
    seen = []
    registry.register_kernel(op_type, lambda x: [x, 2.0 * x], multi=True,
                             infer=lambda i, a: [(i[0].dtype, i[0].shape)] * 2)

    @registry.gradient(op_type, zeros=zeros)
    def _grad(op, d_first, d_second):
        seen.append((d_first, d_second))
        total = 0.0
        if d_first is not None:
            total = total + d_first
        if d_second is not None:
            total = total + 2.0 * d_second
        return total

    return seen


@pytest.mark.parametrize("zeros", [True, False])
def test_a_rule_gets_zeros_or_none_for_an_output_nothing_reached(op_type, zeros):
    seen = _two_outputs(op_type, zeros)
    x = tf.constant([1.0, -2.0])
    with tf.GradientTape() as tape:
        tape.watch(x)
        first, second = execute(op_type, [x])
        y = tf.reduce_sum(second * 3.0)             # only the second output is used
    np.testing.assert_allclose(tape.gradient(y, x).numpy(), [6.0, 6.0])
    (d_first, d_second), = seen
    assert d_second is not None
    if zeros:
        np.testing.assert_array_equal(d_first.numpy(), [0.0, 0.0])
    else:
        assert d_first is None


@pytest.mark.parametrize("zeros", [True, False])
def test_the_same_choice_holds_in_graphs(op_type, zeros):
    seen = _two_outputs(op_type, zeros)
    with tf.Graph().as_default():
        x = tf.compat.v1.placeholder(tf.float32, [2])
        first, second = execute(op_type, [x])
        (g,) = tf.gradients(tf.reduce_sum(first), [x])
        with tf.compat.v1.Session() as sess:
            np.testing.assert_allclose(sess.run(g, {x: [1.0, 2.0]}), [1.0, 1.0])
    (d_first, d_second), = seen
    assert d_first is not None
    assert (d_second is None) is (not zeros)
    if zeros:
        assert d_second.op.type == "ZerosLike"


def test_xent_gradients_skip_the_second_order_term_nothing_reached():
    """SoftmaxCrossEntropyWithLogits takes None for its backprop output: first order computes
    no term for it, and a second-order sweep that reaches only backprop (the first-order
    gradient reads it, not the loss) is still right, in both modes."""
    logits = np.array([[1.0, 2.0, 0.5], [0.1, -1.0, 3.0]])
    labels = np.array([[0.0, 1.0, 0.0], [0.2, 0.3, 0.5]])

    def loss(z):
        return tf.nn.softmax_cross_entropy_with_logits(labels=tf.constant(labels), logits=z)

    p = np.exp(logits) / np.exp(logits).sum(1, keepdims=True)
    z = tf.constant(logits)
    with tf.GradientTape() as tape:
        tape.watch(z)
        y = tf.reduce_sum(loss(z))
    np.testing.assert_allclose(tape.gradient(y, z).numpy(), p - labels, rtol=1e-12)
    tf.check_gradients(loss, logits, order=2)
    tf.check_gradients(lambda y_: tf.nn.softmax_cross_entropy_with_logits(
        labels=y_, logits=tf.constant(logits)), labels, order=2)


def test_custom_gradient_gets_zeros_for_its_unused_outputs():
    @tf.custom_gradient
    def split(x):
        def grad(d_a, d_b):
            assert d_a is not None and d_b is not None
            return d_a + 3.0 * d_b
        return (x * 1.0, x * 3.0), grad

    x = tf.constant([1.0, 2.0])
    with tf.GradientTape() as tape:
        tape.watch(x)
        a, b = split(x)
        y = tf.reduce_sum(b)
    np.testing.assert_allclose(tape.gradient(y, x).numpy(), [3.0, 3.0])
    with tf.Graph().as_default():
        xp = tf.compat.v1.placeholder(tf.float32, [2])
        a, b = split(xp)
        (g,) = tf.gradients(tf.reduce_sum(a), [xp])
        with tf.compat.v1.Session() as sess:
            np.testing.assert_allclose(sess.run(g, {xp: [1.0, 2.0]}), [1.0, 1.0])


# -- kernels ------------------------------------------------------------------------------------

def test_swapping_kernels_recompiles_plans_and_swapping_back_restores(op_type):
    registry.register_kernel(op_type, lambda x: x + 1.0)
    with tf.Graph().as_default():
        x = tf.compat.v1.placeholder(tf.float32, [])
        (y,) = execute(op_type, [x])
        with tf.compat.v1.Session() as sess:
            assert sess.run(y, {x: 1.0}) == 2.0
            epoch = registry.KERNELS_EPOCH[0]
            old = registry.swap_kernels({op_type: lambda x: x + 10.0})
            assert registry.KERNELS_EPOCH[0] > epoch
            assert sess.run(y, {x: 1.0}) == 11.0          # the plan took the new kernel
            registry.swap_kernels(old)
            assert sess.run(y, {x: 1.0}) == 2.0


def test_a_kernel_name_is_registered_once(op_type):
    registry.register_kernel(op_type, lambda x: x)
    with pytest.raises(KeyError, match="already registered"):
        registry.register_kernel(op_type, lambda x: x)


# -- tensor conversions registered from above ---------------------------------------------------

class _Celsius:
    def __init__(self, degrees):
        self.degrees = degrees


def test_a_registered_conversion_makes_a_type_usable_as_a_tensor():
    def convert(value, dtype=None, name=None, as_ref=False):
        return tf.constant(value.degrees, dtype=dtype or tf.float32)

    tf.register_tensor_conversion_function(_Celsius, convert)
    t = tf.convert_to_tensor(_Celsius([20.0, 25.0]))
    np.testing.assert_array_equal(t.numpy(), [20.0, 25.0])
    np.testing.assert_array_equal(tf.add(_Celsius([1.0]), 1.0).numpy(), [2.0])
    with tf.Graph().as_default():
        g = tf.convert_to_tensor(_Celsius(3.0))
        assert g.op.type == "Const" and g.shape == TensorShape([])


def test_a_conversion_may_decline_and_must_return_a_tensor_of_the_dtype():
    class Declines:
        pass

    class Bad:
        pass

    tf.register_tensor_conversion_function(Declines, lambda v, dtype=None, name=None,
                                           as_ref=False: NotImplemented)
    tf.register_tensor_conversion_function(Bad, lambda v, dtype=None, name=None,
                                           as_ref=False: tf.constant(1))
    with pytest.raises(TypeError, match="Cannot convert"):
        tf.convert_to_tensor(Declines())        # declined: then not convertible
    with pytest.raises(RuntimeError, match="incompatible dtype"):
        tf.convert_to_tensor(Bad(), dtype=tf.float32)


def test_numbers_and_arrays_cannot_get_a_conversion():
    for t in (float, int, np.ndarray, np.float32):
        with pytest.raises(TypeError, match="Python numeric types"):
            tf.register_tensor_conversion_function(t, lambda v, **kw: v)
    with pytest.raises(TypeError, match="base_type"):
        tf.register_tensor_conversion_function("list", lambda v, **kw: v)


def test_lists_of_tensors_are_stacked_by_the_conversion_ops_registered():
    a = tf.constant([1.0, 2.0])
    t = tf.convert_to_tensor([a, [3.0, 4.0]])
    np.testing.assert_array_equal(t.numpy(), [[1.0, 2.0], [3.0, 4.0]])
    with tf.Graph().as_default():
        p = tf.compat.v1.placeholder(tf.float32, [2])
        g = tf.convert_to_tensor([p, p])
        assert g.op.type == "Pack" and g.shape.as_list() == [2, 2]
