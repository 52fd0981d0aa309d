"""The tensorflow.python.* modules real code imports (janusgrad/compat/tf_python): TF's names and
argument names for janusgrad's objects, eager and in graphs, against NumPy's numbers."""
import numpy as np
import pytest

import janusgrad as tf
from janusgrad.compat.tf_python.client import device_lib
from janusgrad.compat.tf_python.eager import backprop, context
from janusgrad.compat.tf_python.framework import constant_op, dtypes, ops, tensor_shape
from janusgrad.compat.tf_python.ops import (array_ops, control_flow_ops, gen_array_ops,
                                            gen_math_ops, gen_nn_ops, math_ops, nn, nn_ops,
                                            resource_variable_ops, state_ops, variables)
from janusgrad.compat.tf_python.training import optimizer, training_util
from janusgrad.compat.tf_python.util import nest

RNG = np.random.default_rng(0)


def both(fn, *arrays):
    """fn's value from a graph run by a Session, checked to equal its eager value."""
    eager = fn(*[tf.constant(x) for x in arrays]).numpy()
    g = tf.Graph()
    with g.as_default():
        out = fn(*[tf.constant(x) for x in arrays])
        with tf.compat.v1.Session(graph=g) as sess:
            graph = sess.run(out)
    np.testing.assert_allclose(eager, graph, rtol=1e-6, atol=1e-7)
    return graph


def a(*shape):
    return RNG.standard_normal(shape).astype(np.float32)


# -- gen_nn_ops: the gradient ops, with TF's argument names --------------------------------------

def test_activation_grads():
    g, f = a(3, 4), a(3, 4)
    np.testing.assert_allclose(both(lambda g, f: gen_nn_ops.relu_grad(gradients=g, features=f),
                                    g, f), g * (f > 0))
    np.testing.assert_allclose(both(gen_nn_ops.relu6_grad, g, f * 4),
                               g * ((f * 4 > 0) & (f * 4 < 6)))
    np.testing.assert_allclose(both(lambda g, f: gen_nn_ops.leaky_relu_grad(g, f, alpha=0.3),
                                    g, f), np.where(f > 0, g, 0.3 * g), rtol=1e-6)
    y = np.where(f > 0, f, np.expm1(f))                         # elu's output
    np.testing.assert_allclose(both(lambda g, y: gen_nn_ops.elu_grad(gradients=g, outputs=y),
                                    g, y), np.where(y > 0, g, g * (y + 1)), rtol=1e-6)
    scale, alpha = 1.0507009873554805, 1.6732632423543772
    y = np.where(f > 0, scale * f, scale * alpha * np.expm1(f))
    np.testing.assert_allclose(both(gen_nn_ops.selu_grad, g, y),
                               np.where(y > 0, g * scale, g * (y + scale * alpha)), rtol=1e-5)
    np.testing.assert_allclose(both(gen_nn_ops.softplus_grad, g, f), g / (1 + np.exp(-f)),
                               rtol=1e-5)


def test_softplus_grad_is_differentiable():
    tf.check_gradients(lambda g, f: gen_nn_ops.softplus_grad(g, f), a(2, 3), a(2, 3))


def test_bias_add_grad_and_softmax_xent():
    dy = a(2, 3, 4)
    np.testing.assert_allclose(both(lambda d: gen_nn_ops.bias_add_grad(d, data_format="NHWC"),
                                    dy), dy.sum((0, 1)), rtol=1e-5)
    logits, labels = a(2, 3), np.float32([[0.2, 0.3, 0.5], [1.0, 0.0, 0.0]])
    loss, backprop_ = gen_nn_ops.softmax_cross_entropy_with_logits(logits, labels)
    p = np.exp(logits) / np.exp(logits).sum(1, keepdims=True)
    np.testing.assert_allclose(loss.numpy(), -(labels * np.log(p)).sum(1), rtol=1e-5)
    np.testing.assert_allclose(backprop_.numpy(), p - labels, rtol=1e-5, atol=1e-7)
    r = gen_nn_ops.sparse_softmax_cross_entropy_with_logits(logits, np.int32([2, 0]))
    np.testing.assert_allclose(r.loss.numpy(), -np.log(p[[0, 1], [2, 0]]), rtol=1e-5)


def _windows(x, k, s):
    n, h, w, c = x.shape
    oh, ow = (h - k) // s + 1, (w - k) // s + 1
    return [(i, j, x[:, i * s:i * s + k, j * s:j * s + k, :]) for i in range(oh)
            for j in range(ow)], oh, ow


def test_pool_grads():
    x = a(1, 4, 4, 2)
    wins, oh, ow = _windows(x, 2, 2)
    y = np.zeros((1, oh, ow, 2), np.float32)
    for i, j, w in wins:
        y[:, i, j] = w.max((1, 2))
    dy = a(1, oh, ow, 2)
    want = np.zeros_like(x)
    for i, j, w in wins:
        for c in range(2):
            r, q = np.unravel_index(np.argmax(w[0, :, :, c]), (2, 2))
            want[0, i * 2 + r, j * 2 + q, c] += dy[0, i, j, c]
    got = both(lambda x, y, d: gen_nn_ops.max_pool_grad(x, y, d, ksize=[1, 2, 2, 1],
                                                        strides=[1, 2, 2, 1], padding="VALID",
                                                        data_format="NHWC"), x, y, dy)
    np.testing.assert_allclose(got, want)
    got = gen_nn_ops.avg_pool_grad(np.int32([1, 4, 4, 2]), dy, [1, 2, 2, 1], [1, 2, 2, 1],
                                   "VALID").numpy()
    np.testing.assert_allclose(got, np.repeat(np.repeat(dy, 2, 1), 2, 2) / 4, rtol=1e-6)
    with pytest.raises(NotImplementedError, match="NHWC"):
        gen_nn_ops.max_pool_grad(x, y, dy, [1, 1, 2, 2], [1, 1, 2, 2], "VALID",
                                 data_format="NCHW")


def test_conv_backprops():
    x, w = a(1, 4, 4, 2), a(2, 2, 2, 3)
    dy = a(1, 3, 3, 3)
    dx, dw = np.zeros_like(x), np.zeros_like(w)
    for i in range(3):
        for j in range(3):
            dx[:, i:i + 2, j:j + 2, :] += np.einsum("no,hwio->nhwi", dy[:, i, j], w)
            dw += np.einsum("nhwi,no->hwio", x[:, i:i + 2, j:j + 2, :], dy[:, i, j])
    got = both(lambda f, d: gen_nn_ops.conv2d_backprop_input(
        input_sizes=[1, 4, 4, 2], filter=f, out_backprop=d, strides=[1, 1, 1, 1],
        padding="VALID", use_cudnn_on_gpu=True, data_format="NHWC"), w, dy)
    np.testing.assert_allclose(got, dx, rtol=1e-4, atol=1e-5)
    got = both(lambda x, d: gen_nn_ops.conv2d_backprop_filter(
        x, [2, 2, 2, 3], d, [1, 1, 1, 1], "VALID"), x, dy)
    np.testing.assert_allclose(got, dw, rtol=1e-4, atol=1e-5)
    y = np.zeros((1, 3, 3, 3), np.float32)
    for i in range(3):
        for j in range(3):
            y[:, i, j] = np.einsum("nhwi,hwio->no", x[:, i:i + 2, j:j + 2, :], w)
    np.testing.assert_allclose(gen_nn_ops.conv2d(x, w, [1, 1, 1, 1], "VALID").numpy(), y,
                               rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(nn_ops.conv2d(x, filter=w, strides=[1, 1, 1, 1], padding="VALID",
                                             use_cudnn_on_gpu=False).numpy(), y, rtol=1e-4,
                               atol=1e-5)
    explicit = gen_nn_ops.conv2d(x, w, [1, 1, 1, 1], "EXPLICIT",
                                 explicit_paddings=[0, 0, 1, 1, 1, 1, 0, 0]).numpy()
    assert explicit.shape == (1, 5, 5, 3)


# -- gen_math_ops ------------------------------------------------------------------------------

def test_math_grads_take_y_and_dy():
    y, dy = np.abs(a(5)) + 0.5, a(5)
    for fn, want in [(gen_math_ops.sigmoid_grad, dy * y * (1 - y)),
                     (gen_math_ops.tanh_grad, dy * (1 - y * y)),
                     (gen_math_ops.sqrt_grad, dy * 0.5 / y),
                     (gen_math_ops.rsqrt_grad, dy * -0.5 * y ** 3),
                     (gen_math_ops.reciprocal_grad, -dy * y * y)]:
        np.testing.assert_allclose(both(lambda y, dy, fn=fn: fn(y=y, dy=dy), y, dy), want,
                                   rtol=1e-5)


def test_generated_math_wrappers():
    x, y = a(2, 3), a(3, 2)
    np.testing.assert_allclose(gen_math_ops.mat_mul(x, x, transpose_b=True).numpy(), x @ x.T,
                               rtol=1e-5)
    np.testing.assert_allclose(gen_math_ops.batch_mat_mul_v2(x[None], y[None]).numpy(),
                               (x @ y)[None], rtol=1e-5)
    np.testing.assert_allclose(gen_math_ops._sum(x, [1], keep_dims=True).numpy(),
                               x.sum(1, keepdims=True), rtol=1e-5)
    np.testing.assert_allclose(gen_math_ops.mean(x, 0).numpy(), x.mean(0), rtol=1e-5)
    assert gen_math_ops.cast(x, DstT=tf.int32).dtype is tf.int32
    assert gen_math_ops.arg_max(x, dimension=1).numpy().tolist() == x.argmax(1).tolist()
    np.testing.assert_allclose(gen_math_ops.add_v2(x, 1.0).numpy(), x + 1)
    np.testing.assert_allclose(gen_math_ops.real_div(x, 2.0).numpy(), x / 2)
    assert gen_array_ops.concat_v2([x, x], axis=0).shape == (4, 3)
    np.testing.assert_allclose(gen_array_ops.select_v2(x > 0, x, 0.0).numpy(),
                               np.where(x > 0, x, 0))


# -- framework, eager, training ----------------------------------------------------------------

def test_framework_modules():
    assert ops.RegisterGradient is tf.RegisterGradient and ops.Graph is tf.Graph
    assert ops.Operation is tf.Operation and ops.Tensor is tf.Tensor
    assert ops.get_default_graph is tf.compat.v1.get_default_graph
    assert ops.convert_to_tensor([1.0]).dtype is tf.float32
    assert ops.NotDifferentiable is tf.NotDifferentiable and ops.name_scope is tf.name_scope
    assert dtypes.float32 is tf.float32 and dtypes.as_dtype("int32") is tf.int32
    assert tensor_shape.TensorShape([2, None]).as_list() == [2, None]
    assert tensor_shape.unknown_shape().rank is None
    assert constant_op.constant(3.0).numpy() == 3.0
    g = tf.Graph()
    with g.as_default():
        with ops.colocate_with(tf.constant(1.0).op), ops.device("/gpu:0"):
            c = tf.constant(2.0)
        assert isinstance(c, ops.SymbolicTensor) and not ops.inside_function()
    with pytest.raises(RuntimeError, match="functions"):
        ops.device_v2(lambda op: "/cpu:0")


def test_register_gradient_through_ops_module():
    @ops.RegisterGradient("TripleGradInternalModules")
    def _triple(op, grad):
        return 3.0 * grad

    g = tf.Graph()
    with g.as_default():
        x = tf.constant([1.0, 2.0])
        with g.gradient_override_map({"Identity": "TripleGradInternalModules"}):
            y = array_ops.identity(x)
        dx, = tf.gradients(math_ops.reduce_sum(y), [x])
        with tf.compat.v1.Session() as sess:
            assert sess.run(dx).tolist() == [3.0, 3.0]


def test_eager_context_and_backprop():
    assert context.executing_eagerly() and context.context().executing_eagerly()
    ctx = context.context()
    assert ctx.num_gpus() == 0 and ctx.device_name.endswith("device:CPU:0")
    assert ctx.list_physical_devices("GPU") == []
    assert isinstance(ctx.config, tf.compat.v1.ConfigProto)
    assert backprop.GradientTape is tf.GradientTape
    tf.compat.v1.disable_eager_execution()
    try:
        assert not context.executing_eagerly()
    finally:
        tf.compat.v1.enable_eager_execution()


def test_training_modules():
    assert optimizer.Optimizer is tf.compat.v1.train.Optimizer
    g = tf.Graph()
    with g.as_default():
        step = training_util.get_or_create_global_step()
        assert step is training_util.get_global_step()


# -- ops modules with TF 1's signatures --------------------------------------------------------

def test_v1_dropout_takes_keep_prob():
    x = np.ones((200, 50), np.float32)
    y = nn_ops.dropout(x, 0.75, seed=1).numpy()         # keep_prob 0.75, not rate 0.75
    kept = y != 0
    assert 0.65 < kept.mean() < 0.85
    np.testing.assert_allclose(y[kept], 1 / 0.75, rtol=1e-6)
    assert nn.dropout(x, keep_prob=1.0).numpy().tolist() == x.tolist()
    assert (nn_ops.dropout_v2(x, rate=0.75, seed=1).numpy() != 0).mean() < 0.35
    with pytest.raises(ValueError, match="Cannot specify both"):
        nn_ops.dropout(x, 0.5, rate=0.5)
    with pytest.raises(ValueError, match="rate"):
        nn_ops.dropout(x)


def test_v1_softmax_xent_stops_at_the_labels():
    labels, logits = tf.constant([[0.2, 0.8]]), tf.constant([[1.0, 2.0]])
    with tf.GradientTape(persistent=True) as tape:
        tape.watch([labels, logits])
        v1 = nn.softmax_cross_entropy_with_logits(labels=labels, logits=logits)
        v2 = nn.softmax_cross_entropy_with_logits_v2(labels=labels, logits=logits)
    np.testing.assert_allclose(v1.numpy(), v2.numpy())
    assert tape.gradient(v1, labels) is None and tape.gradient(v2, labels) is not None
    with pytest.raises(ValueError, match="named arguments"):
        nn.softmax_cross_entropy_with_logits(labels, logits)
    assert tf.compat.v1.nn.softmax_cross_entropy_with_logits is \
        nn.softmax_cross_entropy_with_logits


def test_v1_moments_keep_dims():
    x = a(3, 4)
    mean, var = nn.moments(x, [0], keep_dims=True)
    assert mean.shape == (1, 4)
    np.testing.assert_allclose(var.numpy(), x.var(0, keepdims=True), rtol=1e-5)


def test_variables_and_state_ops():
    v = variables.Variable([1.0, 2.0])
    assert isinstance(v, resource_variable_ops.ResourceVariable)
    state_ops.assign(v, [3.0, 4.0])
    state_ops.assign_add(v, [1.0, 1.0])
    state_ops.assign_sub(v, [0.5, 0.5])
    assert v.numpy().tolist() == [3.5, 4.5]
    with pytest.raises(AttributeError, match="only variables"):
        state_ops.assign(tf.constant(1.0), 2.0)


def test_control_flow_ops_and_nest():
    g = tf.Graph()
    with g.as_default():
        v = tf.Variable(1.0)
        bump = v.assign_add(1.0)
        out = control_flow_ops.with_dependencies([bump], tf.constant(5.0))
        with tf.compat.v1.Session() as sess:
            sess.run(v.initializer)
            assert sess.run(out) == 5.0 and sess.run(v) == 2.0
    r = control_flow_ops.cond(tf.constant(True), lambda: tf.constant(1), lambda: tf.constant(2))
    assert int(r) == 1
    assert nest.flatten({"a": [1, 2], "b": 3}) == [1, 2, 3] and nest.is_nested([1])


def test_device_lib_lists_the_cpu():
    devices = device_lib.list_local_devices()
    assert [(d.name, d.device_type) for d in devices] == [("/device:CPU:0", "CPU")]
