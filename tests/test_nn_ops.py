"""tf.nn: forward values against NumPy references (loops written here, in the test only),
static shapes in graph mode, TF's error classes, and the gradients of the composite functions
(the op types themselves are checked numerically in tests/op_cases/nn.py)."""
import math

import numpy as np
import pytest
from scipy.special import erf

import janusgrad as tf
from janusgrad import check_gradients

R = np.random.default_rng(5)


def randn(*shape, dtype=np.float64):
    return R.standard_normal(shape).astype(dtype)


def run_graph(fn, *arrays, shapes=None):
    """fn built on placeholders (static `shapes`, default the arrays' own) and run in a session;
    returns (values, the static shapes of the outputs)."""
    g = tf.Graph()
    with g.as_default():
        phs = [tf.compat.v1.placeholder(tf.as_dtype(a.dtype), s if shapes else a.shape)
               for a, s in zip(arrays, shapes or arrays)]
        out = fn(*phs)
        outs = out if isinstance(out, (list, tuple)) else [out]
        static = [o.shape.as_list() if o.shape.rank is not None else None for o in outs]
        with tf.compat.v1.Session(graph=g) as sess:
            values = sess.run(list(outs), dict(zip(phs, arrays)))
    return (values if isinstance(out, (list, tuple)) else values[0]), \
        (static if isinstance(out, (list, tuple)) else static[0])


# -- activations ---------------------------------------------------------------------------

SCALE, ALPHA = 1.0507009873554805, 1.6732632423543772


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_activations_match_numpy(dtype):
    x = np.array([[-3.0, -0.5, 0.0, 0.25], [1.5, 5.9, 6.0, 8.0]], dtype)
    checks = {
        tf.nn.relu: np.maximum(x, 0),
        tf.nn.relu6: np.minimum(np.maximum(x, 0), 6),
        tf.nn.leaky_relu: np.where(x > 0, x, 0.2 * x),
        tf.nn.elu: np.where(x > 0, x, np.exp(x) - 1),
        tf.nn.selu: SCALE * np.where(x > 0, x, ALPHA * (np.exp(x) - 1)),
        tf.nn.gelu: 0.5 * x * (1 + erf(x / np.sqrt(2))),
        tf.nn.silu: x / (1 + np.exp(-x)),
        tf.nn.swish: x / (1 + np.exp(-x)),
        tf.nn.sigmoid: 1 / (1 + np.exp(-x)),
        tf.nn.tanh: np.tanh(x),
    }
    for fn, want in checks.items():
        got = fn(x)
        assert got.dtype == tf.as_dtype(dtype), fn.__name__
        np.testing.assert_allclose(got.numpy(), want, rtol=1e-6, atol=1e-7, err_msg=fn.__name__)


def test_gelu_approximate_and_leaky_alpha():
    x = np.linspace(-4, 4, 17).astype(np.float32)
    approx = 0.5 * x * (1 + np.tanh(np.sqrt(2 / np.pi) * (x + 0.044715 * x ** 3)))
    np.testing.assert_allclose(tf.nn.gelu(x, approximate=True).numpy(), approx, rtol=1e-6,
                               atol=1e-6)
    np.testing.assert_allclose(tf.nn.leaky_relu(x, alpha=0.5).numpy(), np.where(x > 0, x, x / 2))
    np.testing.assert_allclose(tf.nn.silu(x, beta=2.0).numpy(), x / (1 + np.exp(-2 * x)),
                               rtol=1e-6)


def test_activation_dtypes_as_tf():
    ints = tf.constant([-2, 3])
    assert tf.nn.relu(ints).dtype == tf.int32 and tf.nn.relu(ints).numpy().tolist() == [0, 3]
    assert tf.nn.relu6(tf.constant([-1, 9])).numpy().tolist() == [0, 6]
    leaky = tf.nn.leaky_relu(ints)            # TF casts integers to float32 first
    assert leaky.dtype == tf.float32
    np.testing.assert_allclose(leaky.numpy(), [-0.4, 3.0])
    with pytest.raises(TypeError):
        tf.nn.elu(ints)
    with pytest.raises(ValueError):
        tf.nn.gelu(ints)
    half = tf.nn.relu(np.array([-1.0, 2.0], np.float16))
    assert half.dtype == tf.float16


def test_activations_on_empty_tensors():
    for fn in (tf.nn.relu, tf.nn.relu6, tf.nn.elu, tf.nn.selu, tf.nn.gelu, tf.nn.softmax,
               tf.nn.log_softmax):
        assert fn(np.zeros((0, 3), np.float32)).shape == (0, 3), fn.__name__


def test_rectifier_gradients_at_and_around_kinks():
    x = tf.constant([-1.0, 0.0, 3.0, 6.0, 7.0])
    with tf.GradientTape(persistent=True) as tape:
        tape.watch(x)
        r, r6, lk = tf.nn.relu(x), tf.nn.relu6(x), tf.nn.leaky_relu(x, 0.1)
    # TF: the gradient at a kink is that of the flat side (0 at 0 for relu, 0 at 6 for relu6)
    np.testing.assert_allclose(tape.gradient(r, x).numpy(), [0, 0, 1, 1, 1])
    np.testing.assert_allclose(tape.gradient(r6, x).numpy(), [0, 0, 1, 0, 0])
    np.testing.assert_allclose(tape.gradient(lk, x).numpy(), [0.1, 0.1, 1, 1, 1])


@pytest.mark.parametrize("fn", [tf.nn.gelu, lambda x: tf.nn.gelu(x, approximate=True),
                                tf.nn.silu, lambda x: tf.nn.silu(x, beta=1.7)])
def test_smooth_activation_gradients(fn):
    check_gradients(fn, np.linspace(-3, 3, 7), order=2)


def test_relu_graph_op_types():
    g = tf.Graph()
    with g.as_default():
        x = tf.compat.v1.placeholder(tf.float32, [None, 3])
        y = tf.nn.relu(x)
        (dx,) = tf.gradients(y, [x])
    assert y.op.type == "Relu" and dx.op.type == "ReluGrad"
    assert dx.shape.as_list() == [None, 3]


# -- softmax -------------------------------------------------------------------------------

def softmax_ref(x, axis=-1):
    e = np.exp(x - x.max(axis, keepdims=True))
    return e / e.sum(axis, keepdims=True)


@pytest.mark.parametrize("axis", [None, -1, 0, 1])
def test_softmax_and_log_softmax_match_numpy(axis):
    x = randn(3, 4, 5)
    want = softmax_ref(x, -1 if axis is None else axis)
    np.testing.assert_allclose(tf.nn.softmax(x, axis=axis).numpy(), want, rtol=1e-12)
    np.testing.assert_allclose(tf.nn.log_softmax(x, axis=axis).numpy(), np.log(want),
                               rtol=1e-12)


def test_softmax_large_logits_stay_finite():
    x = np.array([[1000.0, 0.0, -1000.0], [-1e4, -1e4, -1e4]], np.float32)
    s, ls = tf.nn.softmax(x).numpy(), tf.nn.log_softmax(x).numpy()
    assert s.dtype == np.float32 and np.isfinite(s).all() and np.isfinite(ls).all()
    np.testing.assert_allclose(s, [[1, 0, 0], [1 / 3] * 3], atol=1e-7)
    np.testing.assert_allclose(ls[0], [0, -1000, -2000])


def test_softmax_errors():
    with pytest.raises(tf.errors.InvalidArgumentError, match="range"):
        tf.nn.softmax(np.zeros((2, 3)), axis=2)
    with pytest.raises(ValueError):
        tf.nn.softmax(np.float32(1.0))
    with pytest.raises(TypeError, match="Softmax"):
        tf.nn.softmax(tf.constant([1, 2]))


def test_softmax_built_by_create_op_uses_the_last_axis():
    x = randn(2, 3)
    g = tf.Graph()
    with g.as_default():
        t = tf.constant(x)
        y = g.create_op("Softmax", [t]).outputs[0]
        (dx,) = tf.gradients(y[:, 0], [t])
        with tf.compat.v1.Session() as sess:
            value, grad = sess.run([y, dx])
    p = softmax_ref(x)
    np.testing.assert_allclose(value, p)
    np.testing.assert_allclose(grad, p[:, :1] * (np.eye(3)[0] - p), atol=1e-12)


def test_softmax_graph_static_shape_and_op_type():
    x = randn(2, 3).astype(np.float32)
    value, static = run_graph(lambda t: tf.nn.log_softmax(t, axis=0), x, shapes=[[None, 3]])
    assert static == [None, 3]
    np.testing.assert_allclose(value, np.log(softmax_ref(x, 0)), rtol=1e-5)
    g = tf.Graph()
    with g.as_default():
        y = tf.nn.softmax(tf.compat.v1.placeholder(tf.float32, [2, 3]))
    assert y.op.type == "Softmax"


# -- cross-entropies -----------------------------------------------------------------------

def test_sigmoid_cross_entropy_matches_formula_and_is_stable():
    x = np.array([-200.0, -3.0, -0.5, 0.0, 0.5, 3.0, 200.0], np.float32)
    z = np.array([0.0, 1.0, 0.3, 0.5, 1.0, 0.0, 0.2], np.float32)
    loss = tf.nn.sigmoid_cross_entropy_with_logits(labels=z, logits=x)
    assert loss.dtype == tf.float32
    want = np.maximum(x, 0) - x * z + np.log1p(np.exp(-np.abs(x.astype(np.float64))))
    np.testing.assert_allclose(loss.numpy(), want, rtol=1e-6, atol=1e-30)
    xt = tf.constant(x)
    with tf.GradientTape() as tape:
        tape.watch(xt)
        loss = tf.nn.sigmoid_cross_entropy_with_logits(labels=z, logits=xt)
    grad = tape.gradient(loss, xt).numpy()
    assert np.isfinite(grad).all()
    np.testing.assert_allclose(grad, 1 / (1 + np.exp(-x.astype(np.float64))) - z, atol=1e-6)


def test_sigmoid_cross_entropy_gradients_and_errors():
    check_gradients(lambda x, z: tf.nn.sigmoid_cross_entropy_with_logits(labels=z, logits=x),
                    randn(2, 3) + 0.1, R.uniform(0, 1, (2, 3)), order=2)
    with pytest.raises(ValueError, match="same shape"):
        tf.nn.sigmoid_cross_entropy_with_logits(labels=np.zeros(3), logits=np.zeros((2, 2)))
    with pytest.raises(ValueError):
        tf.nn.sigmoid_cross_entropy_with_logits(logits=np.zeros(3))


def test_softmax_cross_entropy_matches_formula_with_label_gradient():
    x, z = randn(4, 5), softmax_ref(randn(4, 5))
    xt, zt = tf.constant(x), tf.constant(z)
    with tf.GradientTape(persistent=True) as tape:
        tape.watch([xt, zt])
        loss = tf.nn.softmax_cross_entropy_with_logits(labels=zt, logits=xt)
    log_p = np.log(softmax_ref(x))
    np.testing.assert_allclose(loss.numpy(), -(z * log_p).sum(-1), rtol=1e-12)
    np.testing.assert_allclose(tape.gradient(loss, xt).numpy(), softmax_ref(x) - z, atol=1e-12)
    np.testing.assert_allclose(tape.gradient(loss, zt).numpy(), -log_p, rtol=1e-12)


def test_softmax_cross_entropy_axis_int_labels_and_large_logits():
    x = np.array([[1000.0, -1000.0], [0.0, 0.0], [-1000.0, 1000.0]], np.float32)
    labels = np.array([[1, 0], [0, 0], [0, 1]], np.int32)      # one-hot along axis 0
    loss = tf.nn.softmax_cross_entropy_with_logits(labels=labels, logits=x, axis=0)
    assert loss.dtype == tf.float32 and loss.shape == (2,)
    np.testing.assert_allclose(loss.numpy(), [0.0, 0.0], atol=1e-6)
    loss = tf.nn.softmax_cross_entropy_with_logits(labels=[[0.0, 1.0]], logits=[[1000.0, 0.0]])
    np.testing.assert_allclose(loss.numpy(), [1000.0])
    with pytest.raises(ValueError, match="broadcastable"):
        tf.nn.softmax_cross_entropy_with_logits(labels=np.zeros((2, 3)), logits=np.zeros((2, 4)))


def test_sparse_softmax_cross_entropy_values_gradient_and_dtypes():
    x = randn(3, 4).astype(np.float32)
    labels = np.array([3, 0, 1], np.int64)
    xt = tf.constant(x)
    with tf.GradientTape() as tape:
        tape.watch(xt)
        loss = tf.nn.sparse_softmax_cross_entropy_with_logits(labels=labels, logits=xt)
    assert loss.dtype == tf.float32 and loss.shape == (3,)
    p = softmax_ref(x.astype(np.float64))
    np.testing.assert_allclose(loss.numpy(), -np.log(p[np.arange(3), labels]), rtol=1e-5)
    np.testing.assert_allclose(tape.gradient(loss, xt).numpy(), p - np.eye(4)[labels],
                               atol=1e-6)
    big = tf.nn.sparse_softmax_cross_entropy_with_logits(labels=[0, 1],
                                                         logits=[[1e4, 0.0], [1e4, 0.0]])
    np.testing.assert_allclose(big.numpy(), [0.0, 1e4])


def test_sparse_softmax_cross_entropy_errors():
    with pytest.raises(tf.errors.InvalidArgumentError, match="outside the valid range"):
        tf.nn.sparse_softmax_cross_entropy_with_logits(labels=[0, 4], logits=np.zeros((2, 4)))
    with pytest.raises(tf.errors.InvalidArgumentError, match="-1"):
        tf.nn.sparse_softmax_cross_entropy_with_logits(labels=[-1, 0], logits=np.zeros((2, 4)))
    with pytest.raises(ValueError, match="Rank mismatch"):
        tf.nn.sparse_softmax_cross_entropy_with_logits(labels=[[0]], logits=np.zeros((1, 4)))
    with pytest.raises(ValueError, match="Shape mismatch"):
        tf.nn.sparse_softmax_cross_entropy_with_logits(labels=[0, 1, 2], logits=np.zeros((2, 4)))
    with pytest.raises(TypeError):
        tf.nn.sparse_softmax_cross_entropy_with_logits(labels=[0.0], logits=np.zeros((1, 4)))
    # in graph mode the label range is known only when the session runs
    g = tf.Graph()
    with g.as_default():
        labels = tf.compat.v1.placeholder(tf.int32, [None])
        loss = tf.nn.sparse_softmax_cross_entropy_with_logits(labels=labels,
                                                              logits=tf.zeros([2, 3]))
        assert loss.shape.as_list() == [2]
        with tf.compat.v1.Session() as sess:
            np.testing.assert_allclose(sess.run(loss, {labels: [0, 2]}), [np.log(3)] * 2,
                                       rtol=1e-6)
            with pytest.raises(tf.errors.InvalidArgumentError):
                sess.run(loss, {labels: [0, 3]})


def test_cross_entropies_static_shapes_in_graph_mode():
    x, z = randn(2, 3), softmax_ref(randn(2, 3))
    _, static = run_graph(lambda a, b: tf.nn.softmax_cross_entropy_with_logits(b, a), x, z,
                          shapes=[[None, 3], [None, 3]])
    assert static == [None]
    _, static = run_graph(lambda a: tf.nn.softmax_cross_entropy_with_logits(z, a, axis=0), x)
    assert static == [3]


def test_softmax_cross_entropy_second_order_through_backprop():
    # d/dx of the gradient: the Hessian of the loss is diag(p) - p p^T (rows summing to zero)
    x = randn(1, 4)
    z = softmax_ref(randn(1, 4))
    xt = tf.constant(x)
    with tf.GradientTape() as outer:
        outer.watch(xt)
        with tf.GradientTape() as inner:
            inner.watch(xt)
            loss = tf.nn.softmax_cross_entropy_with_logits(labels=z, logits=xt)
        g = inner.gradient(loss, xt)
    hessian = outer.jacobian(g, xt).numpy().reshape(4, 4)
    p = softmax_ref(x)[0]
    np.testing.assert_allclose(hessian, np.diag(p) - np.outer(p, p), atol=1e-12)


# -- conv2d --------------------------------------------------------------------------------

def _same_pads(size, k, s, d):
    out = math.ceil(size / s)
    total = max((out - 1) * s + (k - 1) * d + 1 - size, 0)
    return total // 2, total - total // 2


def conv_ref(x, w, strides=(1, 1), padding="SAME", dilations=(1, 1)):
    """Direct convolution, one output element at a time."""
    n, h, wd, _ = x.shape
    kh, kw, _, o = w.shape
    (sh, sw), (dh, dw) = strides, dilations
    if padding == "SAME":
        (top, _), (left, _) = _same_pads(h, kh, sh, dh), _same_pads(wd, kw, sw, dw)
        pads = (top, _same_pads(h, kh, sh, dh)[1], left, _same_pads(wd, kw, sw, dw)[1])
    elif padding == "VALID":
        pads = (0, 0, 0, 0)
    else:
        pads = (padding[1][0], padding[1][1], padding[2][0], padding[2][1])
    oh = (h + pads[0] + pads[1] - (kh - 1) * dh - 1) // sh + 1
    ow = (wd + pads[2] + pads[3] - (kw - 1) * dw - 1) // sw + 1
    out = np.zeros((n, oh, ow, o))
    for b in range(n):
        for i in range(oh):
            for j in range(ow):
                for di in range(kh):
                    for dj in range(kw):
                        r, c = i * sh + di * dh - pads[0], j * sw + dj * dw - pads[2]
                        if 0 <= r < h and 0 <= c < wd:
                            out[b, i, j] += x[b, r, c] @ w[di, dj]
    return out


CONV_CASES = [  # x shape, w shape, strides, padding, dilations
    ((2, 5, 5, 3), (3, 3, 3, 4), (1, 1), "SAME", (1, 1)),
    ((1, 7, 6, 2), (3, 2, 2, 3), (2, 2), "SAME", (1, 1)),
    ((2, 7, 6, 1), (3, 3, 1, 2), (2, 3), "VALID", (1, 1)),
    ((1, 8, 7, 2), (3, 2, 2, 1), (1, 1), "SAME", (2, 3)),
    ((1, 9, 8, 2), (2, 3, 2, 2), (1, 1), "VALID", (3, 2)),
    ((1, 9, 9, 1), (2, 2, 1, 2), (2, 2), "SAME", (2, 2)),
    ((1, 6, 5, 2), (2, 3, 2, 2), (2, 1), [[0, 0], [1, 2], [0, 3], [0, 0]], (1, 1)),
    ((3, 1, 1, 4), (1, 1, 4, 5), (1, 1), "VALID", (1, 1)),
]


@pytest.mark.parametrize("x_shape,w_shape,strides,padding,dilations", CONV_CASES)
def test_conv2d_matches_direct_reference(x_shape, w_shape, strides, padding, dilations):
    x, w = randn(*x_shape), randn(*w_shape)
    want = conv_ref(x, w, strides, padding, dilations)
    got = tf.nn.conv2d(x, w, list(strides), padding, dilations=list(dilations))
    assert got.shape == want.shape
    np.testing.assert_allclose(got.numpy(), want, rtol=1e-10, atol=1e-12)
    got32 = tf.nn.conv2d(x.astype(np.float32), w.astype(np.float32), list(strides), padding,
                         dilations=list(dilations))
    assert got32.dtype == tf.float32
    np.testing.assert_allclose(got32.numpy(), want, rtol=1e-4, atol=1e-4)


def test_conv2d_stride_forms_nchw_and_batch_dims():
    x, w = randn(2, 6, 6, 3), randn(3, 3, 3, 2)
    want = conv_ref(x, w, (2, 2), "SAME")
    for strides in (2, [2], [2, 2], [1, 2, 2, 1]):
        np.testing.assert_allclose(tf.nn.conv2d(x, w, strides, "SAME").numpy(), want,
                                   rtol=1e-10)
    nchw = tf.nn.conv2d(x.transpose(0, 3, 1, 2), w, [1, 1, 2, 2], "SAME", data_format="NCHW")
    np.testing.assert_allclose(nchw.numpy(), want.transpose(0, 3, 1, 2), rtol=1e-10)
    batched = tf.nn.conv2d(np.stack([x, 2 * x]), w, 2, "SAME")     # [2, 2, H, W, C]
    np.testing.assert_allclose(batched.numpy(), np.stack([want, 2 * want]), rtol=1e-10)


def test_conv2d_output_shapes_follow_tf_rules():
    w = np.zeros((3, 3, 1, 1))
    for size, stride, same, valid in [(5, 1, 5, 3), (5, 2, 3, 2), (6, 2, 3, 2), (7, 3, 3, 2),
                                      (3, 2, 2, 1), (2, 2, 1, 0)]:
        x = np.zeros((1, size, size, 1))
        assert tf.nn.conv2d(x, w, stride, "SAME").shape == (1, same, same, 1)
        assert tf.nn.conv2d(x, w, stride, "VALID").shape == (1, valid, valid, 1)
    with pytest.raises(ValueError, match="negative"):
        tf.nn.conv2d(np.zeros((1, 1, 1, 1)), w, 1, "VALID")


def test_conv2d_static_shapes_in_graph_mode():
    x, w = randn(2, 7, 6, 3), randn(3, 3, 3, 4)
    value, static = run_graph(lambda a, b: tf.nn.conv2d(a, b, 2, "SAME"), x, w,
                              shapes=[[None, 7, 6, 3], [3, 3, 3, 4]])
    assert static == [None, 4, 3, 4]
    np.testing.assert_allclose(value, conv_ref(x, w, (2, 2)), rtol=1e-10)
    _, static = run_graph(lambda a, b: tf.nn.conv2d(a, b, 1, "VALID", dilations=2), x, w)
    assert static == [2, 3, 2, 4]
    # unknown spatial dims: the kernel still applies TF's rules at run time
    value, static = run_graph(lambda a, b: tf.nn.conv2d(a, b, 1, "VALID"), x, w,
                              shapes=[[None, None, None, 3], [3, 3, 3, 4]])
    assert static == [None, None, None, 4] and value.shape == (2, 5, 4, 4)


def test_conv2d_gradients_in_graph_mode_have_static_shapes():
    g = tf.Graph()
    with g.as_default():
        x = tf.compat.v1.placeholder(tf.float32, [None, 6, 6, 2])
        w = tf.compat.v1.placeholder(tf.float32, [3, 3, 2, 4])
        y = tf.nn.conv2d(x, w, 2, "SAME")
        dx, dw = tf.gradients(tf.reduce_sum(y), [x, w])
    assert dx.op.type == "Conv2DBackpropInput" and dw.op.type == "Conv2DBackpropFilter"
    assert dx.shape.as_list() == [None, 6, 6, 2] and dw.shape.as_list() == [3, 3, 2, 4]


def test_conv2d_transpose_is_the_input_gradient():
    x, w = tf.constant(randn(2, 5, 5, 3)), tf.constant(randn(3, 3, 3, 4))
    dy = tf.constant(randn(2, 3, 3, 4))
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = tf.nn.conv2d(x, w, 2, "SAME")
    dx = tape.gradient(y, x, output_gradients=dy)
    t = tf.nn.conv2d_transpose(dy, w, [2, 5, 5, 3], 2, "SAME")
    np.testing.assert_allclose(t.numpy(), dx.numpy(), rtol=1e-12)
    assert t.shape == (2, 5, 5, 3)


def test_conv2d_transpose_checks_the_output_shape():
    with pytest.raises(ValueError, match="out_backprop"):
        tf.nn.conv2d_transpose(np.zeros((1, 3, 3, 2)), np.zeros((3, 3, 4, 2)), [1, 4, 4, 4], 2)


def test_conv_and_pools_on_an_empty_batch():
    x, w = tf.constant(np.zeros((0, 4, 4, 2))), tf.constant(np.ones((3, 3, 2, 3)))
    with tf.GradientTape() as tape:
        tape.watch([x, w])
        y = tf.nn.conv2d(x, w, 2, "SAME")
        p, a = tf.nn.max_pool2d(x, 2, 2, "SAME"), tf.nn.avg_pool2d(x, 2, 1, "VALID")
        loss = tf.reduce_sum(y) + tf.reduce_sum(p) + tf.reduce_sum(a)
    assert (y.shape, p.shape, a.shape) == ((0, 2, 2, 3), (0, 2, 2, 2), (0, 3, 3, 2))
    dx, dw = tape.gradient(loss, [x, w])
    assert dx.shape == (0, 4, 4, 2)
    np.testing.assert_array_equal(dw.numpy(), np.zeros((3, 3, 2, 3)))


def test_conv2d_errors():
    x, w = np.zeros((1, 4, 4, 3)), np.zeros((2, 2, 3, 2))
    with pytest.raises(ValueError, match=r"conv2d.*rank 4.*\[4,4,3\], \[2,2,3,2\]"):
        tf.nn.conv2d(np.zeros((4, 4, 3)), w, 1, "SAME")
    with pytest.raises(ValueError, match="rank 4"):
        tf.nn.conv2d(x, np.zeros((2, 3, 2)), 1, "SAME")
    with pytest.raises(ValueError, match=r"Depth of input \(3\) is not a multiple of input "
                                         r"depth of filter \(2\)"):
        tf.nn.conv2d(x, np.zeros((2, 2, 2, 2)), 1, "SAME")
    with pytest.raises(NotImplementedError, match="grouped"):
        tf.nn.conv2d(np.zeros((1, 4, 4, 4)), w[:, :, :2], 1, "SAME")
    for padding in ("same", "FULL", "EXPLICIT", [[0, 0], [1, 1]], [[1, 0], [0, 0], [0, 0],
                                                                    [0, 0]]):
        with pytest.raises(ValueError):
            tf.nn.conv2d(x, w, 1, padding)
    with pytest.raises(ValueError, match="length 1, 2 or 4"):
        tf.nn.conv2d(x, w, [1, 1, 1], "SAME")
    with pytest.raises(ValueError, match="batch and depth"):
        tf.nn.conv2d(x, w, [2, 1, 1, 1], "SAME")
    with pytest.raises(ValueError):
        tf.nn.conv2d(x, w, 0, "SAME")
    with pytest.raises(TypeError):
        tf.nn.conv2d(np.zeros((1, 4, 4, 3), np.int32), np.zeros((2, 2, 3, 2), np.int32), 1,
                     "SAME")
    with pytest.raises(tf.errors.InvalidArgumentError, match="Conv2D"):   # TF: eagerly
        tf.nn.conv2d(tf.constant(x, tf.float32), tf.constant(w), 1, "SAME")
    g = tf.Graph()
    with g.as_default():
        with pytest.raises(ValueError, match="conv2d"):
            tf.nn.conv2d(tf.compat.v1.placeholder(tf.float32, [None, 4, 4]),
                         tf.zeros([2, 2, 4, 1]), 1, "SAME")


# -- pooling -------------------------------------------------------------------------------

def pool_ref(x, k, s, padding, reduce):
    """Pooling one window at a time over the real (unpadded) elements only."""
    n, h, w, c = x.shape
    if padding == "SAME":
        oh, ow = math.ceil(h / s[0]), math.ceil(w / s[1])
        top, left = _same_pads(h, k[0], s[0], 1)[0], _same_pads(w, k[1], s[1], 1)[0]
    else:
        oh, ow, top, left = (h - k[0]) // s[0] + 1, (w - k[1]) // s[1] + 1, 0, 0
    out = np.zeros((n, oh, ow, c), x.dtype)
    for i in range(oh):
        for j in range(ow):
            r0, c0 = i * s[0] - top, j * s[1] - left
            window = x[:, max(r0, 0):r0 + k[0], max(c0, 0):c0 + k[1], :]
            out[:, i, j, :] = reduce(window, axis=(1, 2))
    return out


POOL_CASES = [  # x shape, ksize, strides, padding
    ((2, 5, 5, 3), (2, 2), (2, 2), "SAME"),
    ((1, 7, 6, 2), (3, 3), (2, 2), "SAME"),
    ((1, 7, 6, 2), (3, 3), (2, 2), "VALID"),
    ((2, 4, 7, 1), (2, 3), (1, 2), "SAME"),
    ((1, 5, 5, 1), (5, 5), (1, 1), "SAME"),
    ((1, 6, 6, 2), (1, 1), (3, 3), "VALID"),
]


@pytest.mark.parametrize("x_shape,ksize,strides,padding", POOL_CASES)
def test_pools_match_reference(x_shape, ksize, strides, padding):
    x = randn(*x_shape) - 3.0      # all negative: a padded zero would win a wrong max
    got = tf.nn.max_pool2d(x, list(ksize), list(strides), padding)
    np.testing.assert_allclose(got.numpy(), pool_ref(x, ksize, strides, padding, np.max))
    got = tf.nn.avg_pool2d(x, list(ksize), list(strides), padding)
    np.testing.assert_allclose(got.numpy(), pool_ref(x, ksize, strides, padding, np.mean),
                               rtol=1e-12)


def test_pool_dtypes_int_forms_and_nchw():
    x = R.integers(-50, 50, (1, 4, 4, 2)).astype(np.int32)
    y = tf.nn.max_pool2d(x, 2, 2, "VALID")
    assert y.dtype == tf.int32
    np.testing.assert_array_equal(y.numpy(), pool_ref(x, (2, 2), (2, 2), "VALID", np.max))
    xf = randn(1, 5, 4, 3).astype(np.float32)
    avg = tf.nn.avg_pool2d(xf, 3, [1, 2, 2, 1], "SAME")
    assert avg.dtype == tf.float32
    np.testing.assert_allclose(avg.numpy(), pool_ref(xf, (3, 3), (2, 2), "SAME", np.mean),
                               rtol=1e-6)
    nchw = tf.nn.max_pool2d(xf.transpose(0, 3, 1, 2), 3, 2, "SAME", data_format="NCHW")
    np.testing.assert_allclose(nchw.numpy(),
                               pool_ref(xf, (3, 3), (2, 2), "SAME", np.max).transpose(0, 3, 1, 2))


def test_pool_static_shapes_and_errors():
    x = randn(2, 7, 5, 3)
    _, static = run_graph(lambda t: tf.nn.max_pool2d(t, 3, 2, "SAME"), x,
                          shapes=[[None, 7, 5, 3]])
    assert static == [None, 4, 3, 3]
    _, static = run_graph(lambda t: tf.nn.avg_pool2d(t, [3, 2], 2, "VALID"), x)
    assert static == [2, 3, 2, 3]
    with pytest.raises(ValueError, match="rank 4"):
        tf.nn.max_pool2d(np.zeros((4, 4, 1)), 2, 2, "SAME")
    with pytest.raises(ValueError, match="padding"):
        tf.nn.avg_pool2d(x, 2, 2, "same")
    with pytest.raises(ValueError, match="length"):
        tf.nn.max_pool2d(x, [2, 2, 2], 2, "SAME")
    with pytest.raises(TypeError):
        tf.nn.avg_pool2d(np.zeros((1, 2, 2, 1), np.int32), 2, 2, "SAME")
    with pytest.raises(ValueError, match="negative"):
        tf.nn.max_pool2d(np.zeros((1, 2, 2, 1)), 5, 1, "VALID")


def test_generic_pool_names_on_4d_inputs():
    x = randn(1, 4, 6, 2)
    np.testing.assert_array_equal(tf.nn.max_pool(x, [1, 2, 2, 1], [1, 2, 2, 1], "SAME").numpy(),
                                  tf.nn.max_pool2d(x, 2, 2, "SAME").numpy())
    np.testing.assert_array_equal(tf.nn.avg_pool(x, 3, 1, "VALID").numpy(),
                                  tf.nn.avg_pool2d(x, 3, 1, "VALID").numpy())
    with pytest.raises(NotImplementedError):
        tf.nn.max_pool(np.zeros((1, 4, 2)), 2, 2, "SAME")


def test_max_pool_gradient_goes_to_the_first_maximum():
    x = tf.constant(np.array([[1.0, 3.0, 3.0], [3.0, 0.0, 2.0]]).reshape(1, 2, 3, 1))
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = tf.nn.max_pool2d(x, 2, 1, "VALID")           # two windows, both with ties at 3
    dx = tape.gradient(y, x, output_gradients=tf.constant([[[[10.0], [100.0]]]], tf.float64))
    np.testing.assert_array_equal(dx.numpy().reshape(2, 3), [[0, 110, 0], [0, 0, 0]])


def test_pool_second_order_in_both_modes():
    x = np.arange(16.0).reshape(1, 4, 4, 1) * 0.1

    def grad_norm(t):
        with tf.GradientTape() as tape:
            tape.watch(t)
            y = tf.nn.max_pool2d(t, 2, 2, "SAME")
            z = tf.nn.avg_pool2d(t, 3, 1, "SAME")
            loss = tf.reduce_sum(y * y) + tf.reduce_sum(z * z)
        return tape.gradient(loss, t)
    check_gradients(grad_norm, x, order=1)


# -- bias_add ------------------------------------------------------------------------------

def test_bias_add_formats_and_errors():
    x, b = randn(2, 3, 4, 5), randn(5)
    np.testing.assert_allclose(tf.nn.bias_add(x, b).numpy(), x + b)
    bc = randn(3)
    nchw = tf.nn.bias_add(x, bc, data_format="NCHW")
    np.testing.assert_allclose(nchw.numpy(), x + bc[:, None, None])
    np.testing.assert_allclose(tf.nn.bias_add(x[..., 0], bc, data_format="NCW").numpy(),
                               x[..., 0] + bc[:, None])
    with pytest.raises(ValueError, match="Dimensions must be equal"):
        tf.nn.bias_add(x, randn(4))
    with pytest.raises(ValueError, match="Dimensions must be equal"):
        tf.nn.bias_add(x, np.ones(1))                     # no silent broadcasting
    with pytest.raises(ValueError, match="at least rank 2"):
        tf.nn.bias_add(randn(3), randn(3))
    with pytest.raises(ValueError, match="rank 1"):
        tf.nn.bias_add(x, randn(1, 5))
    _, static = run_graph(lambda a, c: tf.nn.bias_add(a, c, data_format="NCHW"), x, bc,
                          shapes=[[None, None, 4, 5], [3]])
    assert static == [None, 3, 4, 5]


# -- dropout -------------------------------------------------------------------------------

def test_dropout_scales_kept_values_and_zeroes_the_rest():
    x = np.ones((200, 50), np.float32)
    y = tf.nn.dropout(x, rate=0.3, seed=3).numpy()
    assert y.dtype == np.float32
    kept = y != 0
    np.testing.assert_allclose(y[kept], 1 / 0.7, rtol=1e-6)
    assert 0.65 < kept.mean() < 0.75
    assert tf.nn.dropout(x, rate=0.0) is not None
    np.testing.assert_array_equal(tf.nn.dropout(x, 0.0).numpy(), x)


def test_dropout_is_reproducible_under_set_seed():
    x = np.ones((8, 8), np.float32)
    tf.random.set_seed(7)
    a1, b1 = tf.nn.dropout(x, 0.5, seed=1).numpy(), tf.nn.dropout(x, 0.5).numpy()
    tf.random.set_seed(7)
    a2, b2 = tf.nn.dropout(x, 0.5, seed=1).numpy(), tf.nn.dropout(x, 0.5).numpy()
    np.testing.assert_array_equal(a1, a2)
    np.testing.assert_array_equal(b1, b2)
    assert not np.array_equal(tf.nn.dropout(x, 0.5).numpy(), tf.nn.dropout(x, 0.5).numpy()) \
        or not np.array_equal(a1, b1)


def test_dropout_noise_shape_tensor_rate_and_gradient():
    x = tf.constant(randn(6, 40).astype(np.float32))
    y = tf.nn.dropout(x, 0.5, noise_shape=[1, 40], seed=2).numpy()
    dropped = y == 0
    assert (dropped == dropped[0]).all()                       # one mask for every row
    y = tf.nn.dropout(x, tf.constant(0.25), noise_shape=[None, 1]).numpy()
    assert ((y == 0).all(axis=1) | (y != 0).all(axis=1)).all()      # whole rows kept or not
    np.testing.assert_allclose(y[y != 0], x.numpy()[y != 0] / 0.75, rtol=1e-6)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = tf.nn.dropout(x, 0.5, seed=4)
    dx = tape.gradient(y, x).numpy()
    np.testing.assert_allclose(dx, np.where(y.numpy() != 0, 2.0, 0.0))


def test_dropout_errors():
    for rate in (-0.1, 1.0, 1.5):
        with pytest.raises(ValueError, match="rate"):
            tf.nn.dropout(np.ones(3, np.float32), rate)
    with pytest.raises(ValueError, match="floating"):
        tf.nn.dropout(tf.constant([1, 2]), 0.5)
    with pytest.raises(ValueError):
        tf.nn.dropout(np.ones(3, np.float32), "half")
    with pytest.raises(ValueError):
        tf.nn.dropout(np.ones((2, 3), np.float32), 0.5, noise_shape=[2, 2])


def test_dropout_in_graph_mode_with_unknown_batch():
    x = np.ones((5, 4), np.float32)
    g = tf.Graph()
    with g.as_default():
        ph = tf.compat.v1.placeholder(tf.float32, [None, 4])
        y = tf.nn.dropout(ph, 0.5)
        col = tf.nn.dropout(ph, 0.5, noise_shape=[None, 1])
        assert y.shape.as_list() == [None, 4]
        with tf.compat.v1.Session() as sess:
            a, c = sess.run([y, col], {ph: x})
            b = sess.run(y, {ph: x})
    assert set(np.unique(a)) <= {0.0, 2.0} and not np.array_equal(a, b)   # new mask per run
    assert ((c == 0).all(axis=1) | (c == 2).all(axis=1)).all()


def test_dropout_noise_shape_known_only_at_run_time():
    """`noise_shape=[tf.shape(x)[0], 1]` with x's batch unknown: one mask entry per row, drawn
    when the graph runs; its length is checked against x's rank when it is known."""
    g = tf.Graph()
    with g.as_default():
        ph = tf.compat.v1.placeholder(tf.float32, [None, 4])
        rows = tf.nn.dropout(ph, 0.5, noise_shape=[tf.shape(ph)[0], 1])
        full = tf.nn.dropout(ph, 0.5, noise_shape=tf.shape(ph))
        assert rows.shape.as_list() == [None, 4] and full.shape.as_list() == [None, 4]
        (grad,) = tf.gradients(tf.reduce_sum(rows), ph)
        with pytest.raises(ValueError, match="noise_shape of length 3 must have the rank of x"):
            tf.nn.dropout(ph, 0.5, noise_shape=[tf.shape(ph)[0], 1, 1])
        with tf.compat.v1.Session() as sess:
            r, f, d = sess.run([rows, full, grad], {ph: np.ones((40, 4), np.float32)})
    assert ((r == 0).all(axis=1) | (r == 2).all(axis=1)).all() and 0 < (r == 0).mean() < 1
    whole_rows = (f == 0).all(axis=1) | (f == 2).all(axis=1)
    assert set(np.unique(f)) == {0.0, 2.0} and not whole_rows.all()     # a mask per element
    np.testing.assert_array_equal(d, r)         # the gradient: the same mask, scaled
    eager = tf.nn.dropout(tf.ones([6, 4]), 0.5, noise_shape=[tf.constant(6), 1]).numpy()
    assert ((eager == 0).all(axis=1) | (eager == 2).all(axis=1)).all()


# -- losses and normalization --------------------------------------------------------------

def test_embedding_lookup():
    params = randn(5, 3)
    np.testing.assert_array_equal(tf.nn.embedding_lookup(params, [[4, 0], [1, 1]]).numpy(),
                                  params[[[4, 0], [1, 1]]])
    np.testing.assert_array_equal(tf.nn.embedding_lookup([params], [2]).numpy(), params[[2]])


def test_l2_loss():
    x = randn(3, 4).astype(np.float32)
    loss = tf.nn.l2_loss(x)
    assert loss.dtype == tf.float32 and loss.shape == ()
    np.testing.assert_allclose(loss.numpy(), (x.astype(np.float64) ** 2).sum() / 2, rtol=1e-6)
    assert tf.nn.l2_loss(np.zeros((0,), np.float32)).numpy() == 0
    with pytest.raises(TypeError):
        tf.nn.l2_loss(tf.constant([1, 2]))


@pytest.mark.parametrize("axes,keepdims", [([0], False), ([0, 2], True), ([1], False)])
def test_moments(axes, keepdims):
    x = randn(4, 3, 5)
    mean, var = tf.nn.moments(x, axes, keepdims=keepdims)
    np.testing.assert_allclose(mean.numpy(), x.mean(tuple(axes), keepdims=keepdims))
    np.testing.assert_allclose(var.numpy(), x.var(tuple(axes), keepdims=keepdims))
    check_gradients(lambda t: tf.nn.moments(t, axes, keepdims=keepdims), randn(3, 2, 2),
                    order=2)


def test_moments_float16_and_graph_shapes():
    x = randn(6, 3).astype(np.float16)
    mean, var = tf.nn.moments(x, [0])
    assert mean.dtype == tf.float16 and var.dtype == tf.float16
    np.testing.assert_allclose(var.numpy(), x.astype(np.float64).var(0), rtol=2e-3)
    _, static = run_graph(lambda t: tf.nn.moments(t, [0]), randn(6, 3), shapes=[[None, 3]])
    assert static == [[3], [3]]


def test_l2_normalize():
    x = randn(3, 4)
    np.testing.assert_allclose(tf.nn.l2_normalize(x, axis=1).numpy(),
                               x / np.linalg.norm(x, axis=1, keepdims=True))
    np.testing.assert_allclose(tf.nn.l2_normalize(x).numpy(), x / np.linalg.norm(x))
    np.testing.assert_array_equal(tf.nn.l2_normalize(np.zeros(3)).numpy(), np.zeros(3))
    check_gradients(lambda t: tf.nn.l2_normalize(t, axis=0), randn(3, 2), order=2)


def test_batch_normalization():
    x, mean, var = randn(4, 3), randn(3), R.uniform(0.5, 2, 3)
    offset, scale = randn(3), randn(3)
    got = tf.nn.batch_normalization(x, mean, var, offset, scale, 1e-3)
    np.testing.assert_allclose(got.numpy(), (x - mean) / np.sqrt(var + 1e-3) * scale + offset)
    got = tf.nn.batch_normalization(x, mean, var, None, None, 1e-3)
    np.testing.assert_allclose(got.numpy(), (x - mean) / np.sqrt(var + 1e-3))
    check_gradients(lambda *a: tf.nn.batch_normalization(*a, 1e-3), x, mean, var, offset,
                    scale, order=2)


def test_tiled_max_pool_matches_an_argmax_reference():
    """2x2 / stride 2 pooling (windows that tile the input): values and the routing of dy."""
    from janusgrad.framework.registry import OPS
    rng = np.random.default_rng(3)
    x = rng.standard_normal((2, 4, 6, 3)).astype(np.float32)
    attrs = {"ksize": (1, 2, 2, 1), "strides": (1, 2, 2, 1), "padding": "VALID"}
    y = OPS["MaxPool"].kernel(x, **attrs)
    ref = np.lib.stride_tricks.sliding_window_view(x, (2, 2), axis=(1, 2))[:, ::2, ::2]
    np.testing.assert_array_equal(y, ref.max(axis=(4, 5)))
    dy = rng.standard_normal(y.shape).astype(np.float32)
    dx = OPS["MaxPoolGrad"].kernel(x, y, dy, **attrs)
    arg = ref.reshape(ref.shape[:4] + (-1,)).argmax(-1)      # the first maximum of each window
    general = np.zeros_like(x)
    for i in range(2):
        for j in range(2):
            general[:, i::2, j::2, :] += np.where(arg == i * 2 + j, dy, 0)
    np.testing.assert_array_equal(dx, general)


def test_tied_maxima_send_the_gradient_to_the_first_only_as_tf():
    from janusgrad.framework.registry import OPS
    x = np.zeros((1, 2, 2, 1), np.float32)            # one window, four equal maxima
    attrs = {"ksize": (1, 2, 2, 1), "strides": (1, 2, 2, 1), "padding": "VALID"}
    y = OPS["MaxPool"].kernel(x, **attrs)
    dx = OPS["MaxPoolGrad"].kernel(x, y, np.ones_like(y), **attrs)
    assert dx.ravel().tolist() == [1.0, 0.0, 0.0, 0.0]
    g = OPS["MaxPoolGradGrad"].kernel(x, y, np.arange(4, dtype=np.float32).reshape(1, 2, 2, 1),
                                      **attrs)
    assert g.ravel().tolist() == [0.0]                 # read at the first maximum
