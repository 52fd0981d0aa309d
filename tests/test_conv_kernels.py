"""The fast conv / pooling kernels against straightforward references written here: conv2d and
its two backprop ops via im2col columns (both column layouts), max pooling as elementwise
maxima over window taps, its gradient and grad-grad routed by masks (first maximum among ties,
exact for non-finite dy), ReluGrad as TF's product; the fast paths: the max-pool gradient
on windows that tile the input, conv2d's wide (stride 1) columns, Relu's bits, the softmax
cross-entropy's formula. References loop over output positions and take each window's real
(unpadded) elements; they share no code with the kernels."""
import math

import numpy as np
import pytest

import janusgrad as tf
from janusgrad import check_gradients
from janusgrad.framework.registry import OPS
from janusgrad.ops import conv as conv_ops

R = np.random.default_rng(11)


def _pads(size, k, s, d, padding):
    """(before, after, out) along one dim by TF's rules."""
    eff = (k - 1) * d + 1
    if padding == "SAME":
        out = math.ceil(size / s)
        total = max((out - 1) * s + eff - size, 0)
        return total // 2, total - total // 2, out
    if padding == "VALID":
        return 0, 0, (size - eff) // s + 1
    before, after = padding
    return before, after, (size + before + after - eff) // s + 1


def _conv_geometry(x_shape, w_shape, strides, padding, dilations):
    (_, h, wd, _), (kh, kw) = x_shape, w_shape[:2]
    explicit = padding if isinstance(padding, str) else None
    top, bottom, oh = _pads(h, kh, strides[0], dilations[0], explicit or padding[1])
    left, right, ow = _pads(wd, kw, strides[1], dilations[1], explicit or padding[2])
    return (top, bottom, left, right), oh, ow


def conv_refs(x, w, dy, strides, padding, dilations):
    """(y, dx, dw) of y = conv2d(x, w) for the cotangent dy (shape of y, or None: ones), in
    float64, one output position at a time on an explicitly zero-padded input."""
    (top, bottom, left, right), oh, ow = _conv_geometry(x.shape, w.shape, strides, padding,
                                                        dilations)
    n, h, wd, c = x.shape
    kh, kw, _, f = w.shape
    (sh, sw), (dh, dw_) = strides, dilations
    xp = np.zeros((n, h + top + bottom, wd + left + right, c))
    xp[:, top:top + h, left:left + wd] = x
    y = np.zeros((n, oh, ow, f))
    dxp, dw = np.zeros_like(xp), np.zeros((kh, kw, c, f))
    dy = np.ones((n, oh, ow, f)) if dy is None else dy.astype(np.float64)
    for i in range(oh):
        for j in range(ow):
            rows = slice(i * sh, i * sh + (kh - 1) * dh + 1, dh)
            cols = slice(j * sw, j * sw + (kw - 1) * dw_ + 1, dw_)
            window = xp[:, rows, cols, :]                                # n, kh, kw, c
            y[:, i, j] = np.einsum("nabc,abcf->nf", window, w)
            dw += np.einsum("nabc,nf->abcf", window, dy[:, i, j])
            dxp[:, rows, cols, :] += np.einsum("nf,abcf->nabc", dy[:, i, j], w)
    return y, dxp[:, top:top + h, left:left + wd], dw


def _attrs(strides, padding, dilations):
    if isinstance(padding, str):
        mode, explicit = padding, ()
    else:
        mode, explicit = "EXPLICIT", tuple(padding[1]) + tuple(padding[2])
    return {"strides": (1,) + tuple(strides) + (1,), "padding": mode,
            "dilations": (1,) + tuple(dilations) + (1,), "explicit_paddings": explicit}


CONV_CASES = [  # x shape, w shape, strides, padding, dilations
    ((32, 8, 8, 1), (3, 3, 1, 16), (1, 1), "SAME", (1, 1)),     # benchmark (d)'s geometry
    ((3, 9, 11, 1), (3, 3, 1, 4), (2, 2), "SAME", (1, 1)),
    ((2, 10, 13, 1), (5, 3, 1, 3), (1, 2), "VALID", (1, 1)),
    ((2, 12, 12, 1), (3, 3, 1, 2), (1, 1), "SAME", (2, 2)),
    ((2, 7, 6, 3), (3, 3, 3, 4), (1, 1), "SAME", (1, 1)),
    ((2, 9, 9, 8), (3, 3, 8, 5), (2, 2), "VALID", (1, 1)),
    ((1, 16, 17, 3), (5, 5, 3, 2), (1, 1), "SAME", (2, 2)),      # window rows of 3: (K, P)
    ((2, 8, 7, 4), (2, 3, 4, 3), (2, 1), "SAME", (1, 2)),
    ((1, 6, 5, 2), (2, 3, 2, 2), (2, 1), [[0, 0], [1, 2], [0, 3], [0, 0]], (1, 1)),
    ((2, 1, 1, 5), (1, 1, 5, 3), (1, 1), "VALID", (1, 1)),
]


@pytest.mark.parametrize("x_shape,w_shape,strides,padding,dilations", CONV_CASES)
def test_conv_kernels_match_the_reference(x_shape, w_shape, strides, padding, dilations):
    attrs = _attrs(strides, padding, dilations)
    x = R.standard_normal(x_shape).astype(np.float32)
    w = R.standard_normal(w_shape).astype(np.float32)
    y = OPS["Conv2D"].kernel(x, w, **attrs)
    dy = R.standard_normal(y.shape).astype(np.float32)
    want_y, want_dx, want_dw = conv_refs(x, w, dy, strides, padding, dilations)
    assert y.dtype == np.float32 and y.shape == want_y.shape
    np.testing.assert_allclose(y, want_y, rtol=1e-4, atol=1e-4)
    dw = OPS["Conv2DBackpropFilter"].kernel(x, np.array(w_shape, np.int32), dy, **attrs)
    assert dw.dtype == np.float32 and dw.shape == w_shape and dw.flags.c_contiguous
    np.testing.assert_allclose(dw, want_dw, rtol=1e-4, atol=1e-3)
    dx = OPS["Conv2DBackpropInput"].kernel(np.array(x_shape, np.int32), w, dy, **attrs)
    assert dx.dtype == np.float32 and dx.shape == x_shape
    np.testing.assert_allclose(dx, want_dx, rtol=1e-4, atol=1e-4)


def test_both_column_layouts_are_exercised_and_equal_a_plain_im2col():
    """_columns picks its memory layout by shape; each one must hold the same matrix."""
    layouts = set()
    for x_shape, k_hw, strides, dilations in [((2, 8, 9, 1), (3, 3), (1, 1), (1, 1)),
                                             ((2, 5, 6, 8), (3, 2), (2, 1), (1, 2)),
                                             ((1, 12, 13, 3), (3, 3), (1, 1), (2, 2)),
                                             ((2, 4, 4, 16), (3, 3), (1, 1), (1, 1))]:
        x = R.standard_normal(x_shape).astype(np.float32)
        attrs = _attrs(strides, "VALID", dilations)
        _, oh, ow = _conv_geometry(x_shape, k_hw, strides, "VALID", dilations)
        cols = conv_ops._columns(x, k_hw, attrs, oh, ow)
        layouts.add(cols.flags.c_contiguous)
        want = np.empty((k_hw[0] * k_hw[1] * x_shape[3], x_shape[0] * oh * ow), np.float32)
        for i in range(k_hw[0]):
            for j in range(k_hw[1]):
                r0, c0 = i * dilations[0], j * dilations[1]
                tap = x[:, r0:r0 + strides[0] * (oh - 1) + 1:strides[0],
                        c0:c0 + strides[1] * (ow - 1) + 1:strides[1], :]
                rows = slice((i * k_hw[1] + j) * x_shape[3], (i * k_hw[1] + j + 1) * x_shape[3])
                want[rows] = tap.reshape(-1, x_shape[3]).T
        np.testing.assert_array_equal(cols, want)
    assert layouts == {True, False}


def test_conv_kernels_take_non_contiguous_read_only_inputs_and_leave_them_alone():
    base = R.standard_normal((6, 7, 2, 3)).astype(np.float32)
    x = base.transpose(2, 0, 1, 3)                  # (2, 6, 7, 3), not contiguous
    w = np.asfortranarray(R.standard_normal((3, 3, 3, 4)).astype(np.float32))
    x.flags.writeable = False
    before = x.copy()
    attrs = _attrs((1, 1), "SAME", (1, 1))
    y = OPS["Conv2D"].kernel(x, w, **attrs)
    dy = R.standard_normal(y.shape).astype(np.float32)
    want_y, _, want_dw = conv_refs(x, w, dy, (1, 1), "SAME", (1, 1))
    np.testing.assert_allclose(y, want_y, rtol=1e-4, atol=1e-4)
    dw = OPS["Conv2DBackpropFilter"].kernel(x, np.array(w.shape), dy, **attrs)
    np.testing.assert_allclose(dw, want_dw, rtol=1e-4, atol=1e-3)
    np.testing.assert_array_equal(x, before)


@pytest.mark.parametrize("dtype", [np.float16, np.float64])
def test_conv_kernels_keep_the_dtype(dtype):
    x = R.standard_normal((2, 5, 5, 1)).astype(dtype)
    w = R.standard_normal((3, 3, 1, 2)).astype(dtype)
    attrs = _attrs((1, 1), "SAME", (1, 1))
    y = OPS["Conv2D"].kernel(x, w, **attrs)
    dw = OPS["Conv2DBackpropFilter"].kernel(x, np.array(w.shape), y, **attrs)
    assert y.dtype == dtype and dw.dtype == dtype
    want_y, _, want_dw = conv_refs(x.astype(np.float64), w.astype(np.float64),
                                   y.astype(np.float64), (1, 1), "SAME", (1, 1))
    tol = 2e-2 if dtype == np.float16 else 1e-12
    np.testing.assert_allclose(y, want_y, rtol=tol, atol=tol)
    np.testing.assert_allclose(dw, want_dw, rtol=tol, atol=tol * 10)


def test_conv2d_tape_gradients_match_the_reference_one_channel():
    x = R.standard_normal((4, 6, 6, 1)).astype(np.float32)
    w = tf.Variable(R.standard_normal((3, 3, 1, 5)).astype(np.float32))
    xt = tf.constant(x)
    with tf.GradientTape(persistent=True) as tape:
        tape.watch(xt)
        loss = tf.reduce_sum(tf.nn.conv2d(xt, w, 2, "SAME", dilations=1))
    _, want_dx, want_dw = conv_refs(x, w.numpy(), None, (2, 2), "SAME", (1, 1))
    np.testing.assert_allclose(tape.gradient(loss, w).numpy(), want_dw, rtol=1e-4, atol=1e-4)
    np.testing.assert_allclose(tape.gradient(loss, xt).numpy(), want_dx, rtol=1e-4, atol=1e-4)


@pytest.mark.parametrize("x_shape,w_shape,strides,padding,dilations", [
    ((2, 5, 5, 1), (3, 3, 1, 2), (1, 1), "SAME", (1, 1)),
    ((1, 7, 6, 1), (2, 3, 1, 2), (2, 1), "VALID", (1, 2)),
    ((1, 5, 6, 3), (3, 2, 3, 2), (2, 2), "SAME", (1, 1)),
])
def test_conv2d_gradients_numerically(x_shape, w_shape, strides, padding, dilations):
    check_gradients(lambda x, w: tf.nn.conv2d(x, w, list(strides), padding,
                                              dilations=list(dilations)),
                    R.standard_normal(x_shape), R.standard_normal(w_shape), order=2)


# -- max pooling ---------------------------------------------------------------------------

def _pool_windows(x_shape, ksize, strides, padding):
    """For each output (i, j): the real (unpadded) rows and cols of its window."""
    _, h, w, _ = x_shape
    top, _, oh = _pads(h, ksize[0], strides[0], 1, padding)
    left, _, ow = _pads(w, ksize[1], strides[1], 1, padding)
    for i in range(oh):
        for j in range(ow):
            r0, c0 = i * strides[0] - top, j * strides[1] - left
            yield i, j, (max(r0, 0), min(r0 + ksize[0], h)), (max(c0, 0), min(c0 + ksize[1], w))


def pool_refs(x, dy, gg, ksize, strides, padding):
    """(y, dx, gradgrad): the max of each window's real elements, dy routed to the first
    (row-major) maximum, and the input-shaped gg read at that maximum."""
    n, _, _, c = x.shape
    wins = list(_pool_windows(x.shape, ksize, strides, padding))
    oh, ow = wins[-1][0] + 1, wins[-1][1] + 1
    y, dx = np.zeros((n, oh, ow, c), x.dtype), np.zeros(x.shape, np.float64)
    gradgrad = np.zeros((n, oh, ow, c), np.float64)
    for i, j, (r0, r1), (c0, c1) in wins:
        window = x[:, r0:r1, c0:c1, :].reshape(n, -1, c)
        first = window.argmax(axis=1)                                   # n, c
        y[:, i, j] = window.max(axis=1)
        rr, cc = r0 + first // (c1 - c0), c0 + first % (c1 - c0)
        nn, ch = np.meshgrid(np.arange(n), np.arange(c), indexing="ij")
        np.add.at(dx, (nn, rr, cc, ch), dy[:, i, j])
        gradgrad[:, i, j] = gg[nn, rr, cc, ch]
    return y, dx, gradgrad


POOL_CASES = [  # x shape, ksize, strides, padding
    ((32, 8, 8, 16), (2, 2), (2, 2), "VALID"),      # benchmark (d): windows tile the input
    ((2, 8, 8, 1), (2, 2), (2, 2), "SAME"),
    ((2, 7, 9, 3), (2, 2), (2, 2), "VALID"),        # odd sizes: the last row / col is left out
    ((2, 7, 9, 3), (2, 2), (2, 2), "SAME"),         # odd sizes: padded windows
    ((2, 7, 6, 2), (3, 3), (2, 2), "SAME"),         # overlapping windows
    ((1, 6, 7, 2), (3, 2), (1, 1), "VALID"),
    ((2, 5, 6, 1), (2, 3), (1, 2), "SAME"),
    ((1, 9, 9, 2), (2, 2), (3, 3), "VALID"),        # gaps between windows
    ((3, 4, 5, 2), (1, 1), (1, 1), "VALID"),
    ((1, 5, 5, 1), (5, 5), (1, 1), "SAME"),
]


def _tied_input(shape):
    """Values on a coarse grid after a relu: many ties, many all-zero windows."""
    return np.maximum(np.round(R.standard_normal(shape) * 2) / 2, 0).astype(np.float32)


@pytest.mark.parametrize("x_shape,ksize,strides,padding", POOL_CASES)
@pytest.mark.parametrize("ties", [False, True])
def test_max_pool_kernels_match_the_reference(x_shape, ksize, strides, padding, ties):
    x = _tied_input(x_shape) if ties else R.standard_normal(x_shape).astype(np.float32)
    attrs = {"ksize": (1,) + ksize + (1,), "strides": (1,) + strides + (1,), "padding": padding}
    y = OPS["MaxPool"].kernel(x, **attrs)
    dy = R.standard_normal(y.shape).astype(np.float32)
    gg = R.standard_normal(x_shape).astype(np.float32)
    want_y, want_dx, want_gg = pool_refs(x, dy, gg, ksize, strides, padding)
    assert y.dtype == np.float32
    np.testing.assert_array_equal(y, want_y)
    dx = OPS["MaxPoolGrad"].kernel(x, y, dy, **attrs)
    assert dx.shape == x.shape and dx.dtype == np.float32
    np.testing.assert_allclose(dx, want_dx, rtol=1e-6, atol=1e-6)
    got_gg = OPS["MaxPoolGradGrad"].kernel(x, y, gg, **attrs)
    assert got_gg.shape == y.shape and got_gg.dtype == np.float32
    np.testing.assert_allclose(got_gg, want_gg, rtol=1e-6, atol=1e-6)


@pytest.mark.parametrize("ksize,strides", [((2, 2), (2, 2)), ((3, 3), (1, 1))])
def test_non_finite_dy_reaches_only_its_own_maximum(ksize, strides):
    """A product with the 0/1 mask would spread NaN (0 * inf) over the window; it must not."""
    x = _tied_input((2, 6, 6, 3))
    attrs = {"ksize": (1,) + ksize + (1,), "strides": (1,) + strides + (1,), "padding": "SAME"}
    y = OPS["MaxPool"].kernel(x, **attrs)
    dy = R.standard_normal(y.shape).astype(np.float32)
    dy[0, 0, 0, 0], dy[1, 1, 1, 2], dy[0, 2, 1, 1] = np.inf, np.nan, -np.inf
    gg = R.standard_normal(x.shape).astype(np.float32)
    gg[0, 0, 0, 0], gg[1, 3, 2, 1] = np.nan, np.inf
    want_y, want_dx, want_gg = pool_refs(x, dy, gg, ksize, strides, "SAME")
    with np.errstate(invalid="ignore"):
        dx = OPS["MaxPoolGrad"].kernel(x, y, dy, **attrs)
        got_gg = OPS["MaxPoolGradGrad"].kernel(x, y, gg, **attrs)
    np.testing.assert_array_equal(np.isnan(dx), np.isnan(want_dx))
    np.testing.assert_allclose(dx, want_dx, rtol=1e-6, atol=1e-6)
    np.testing.assert_array_equal(np.isnan(got_gg), np.isnan(want_gg))
    np.testing.assert_allclose(got_gg, want_gg, rtol=1e-6, atol=1e-6)


def test_same_padding_never_takes_the_gradient_of_a_minus_inf_maximum():
    """3x3 windows, stride 1: the padding comes first (row-major) in the border windows."""
    x = np.full((1, 3, 4, 1), -np.inf, np.float32)
    x[0, 2, 3, 0] = 1.0
    attrs = {"ksize": (1, 3, 3, 1), "strides": (1, 1, 1, 1), "padding": "SAME"}
    y = OPS["MaxPool"].kernel(x, **attrs)
    np.testing.assert_array_equal(y[0, :, :, 0], [[-np.inf] * 4, [-np.inf, -np.inf, 1, 1],
                                                  [-np.inf, -np.inf, 1, 1]])
    dy = np.arange(1, 13, dtype=np.float32).reshape(y.shape)
    dx = OPS["MaxPoolGrad"].kernel(x, y, dy, **attrs)
    _, want_dx, want_gg = pool_refs(x, dy, x, (3, 3), (1, 1), "SAME")
    np.testing.assert_array_equal(dx, want_dx)
    assert dx.sum() == dy.sum()                     # nothing lost in the padding
    gg = OPS["MaxPoolGradGrad"].kernel(x, y, x, **attrs)
    np.testing.assert_array_equal(gg, want_gg)     # -inf read at a real element, not 0


@pytest.mark.parametrize("dtype", [np.float16, np.float64, np.int32])
def test_max_pool_kernels_keep_the_dtype(dtype):
    x = (R.standard_normal((2, 5, 5, 2)) * 4).astype(dtype)
    attrs = {"ksize": (1, 3, 3, 1), "strides": (1, 2, 2, 1), "padding": "SAME"}
    y = OPS["MaxPool"].kernel(x, **attrs)
    dy = np.arange(y.size).reshape(y.shape).astype(dtype)
    want_y, want_dx, _ = pool_refs(x, dy, np.zeros(x.shape), (3, 3), (2, 2), "SAME")
    assert y.dtype == dtype
    np.testing.assert_array_equal(y, want_y)
    dx = OPS["MaxPoolGrad"].kernel(x, y, dy, **attrs)
    assert dx.dtype == dtype
    np.testing.assert_allclose(dx.astype(np.float64), want_dx, rtol=1e-3)


def test_pool_kernels_leave_their_inputs_alone():
    x = _tied_input((2, 6, 6, 2))
    attrs = {"ksize": (1, 2, 2, 1), "strides": (1, 2, 2, 1), "padding": "VALID"}
    y = OPS["MaxPool"].kernel(x, **attrs)
    dy = R.standard_normal(y.shape).astype(np.float32)
    copies = [a.copy() for a in (x, y, dy)]
    OPS["MaxPoolGrad"].kernel(x, y, dy, **attrs)
    OPS["MaxPoolGradGrad"].kernel(x, y, np.ones_like(x), **attrs)
    for a, b in zip((x, y, dy), copies):
        np.testing.assert_array_equal(a, b)
    assert not np.shares_memory(OPS["MaxPool"].kernel(x[:, :2, :2], **{
        "ksize": (1, 1, 1, 1), "strides": (1, 1, 1, 1), "padding": "VALID"}), x)


def test_max_pool_tape_gradient_goes_to_the_first_tied_maximum():
    x = tf.constant(np.array([[0, 0, 3, 3], [0, 0, 1, 3], [2, 5, 4, 4], [5, 1, 4, 4]],
                             np.float32).reshape(1, 4, 4, 1))
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = tf.nn.max_pool2d(x, 2, 2, "VALID")
    dx = tape.gradient(y, x, output_gradients=tf.constant([[1.0, 2.0], [3.0, 4.0]],
                                                          shape=[1, 2, 2, 1]))
    np.testing.assert_array_equal(dx.numpy()[0, :, :, 0], [[1, 0, 2, 0], [0, 0, 0, 0],
                                                           [0, 3, 4, 0], [0, 0, 0, 0]])


# -- ReluGrad and the softmax cross-entropy's gradient --------------------------------------

@pytest.mark.parametrize("dtype", [np.float16, np.float32, np.float64])
def test_relu_grad_is_tfs_product(dtype):
    # TF's kernel is gradients * cast(features > 0): NaN for a NaN or Inf gradient where the
    # unit is off, -0.0 for a negative one
    features = R.standard_normal(1000).astype(dtype)
    features[:4] = [0.0, -0.0, np.nan, np.inf]
    gradients = R.standard_normal(1000).astype(dtype)
    gradients[4:12] = [np.nan, np.inf, -np.inf, -0.0, np.nan, np.inf, -np.inf, -0.0]
    features[4:8], features[8:12] = 1.0, -1.0
    copies = features.copy(), gradients.copy()
    got = OPS["ReluGrad"].kernel(gradients, features)
    with np.errstate(invalid="ignore"):
        want = gradients * (features > 0).astype(dtype)
    assert got.dtype == dtype
    np.testing.assert_array_equal(got, want)
    np.testing.assert_array_equal(np.signbit(got[~np.isnan(got)]),
                                  np.signbit(want[~np.isnan(want)]))
    np.testing.assert_array_equal(features, copies[0])
    np.testing.assert_array_equal(gradients, copies[1])


def test_relu_grad_gives_tfs_numbers_eagerly_and_in_a_session():
    from janusgrad.ops.nn import relu_grad
    # recorded from TF 2.21: tf.raw_ops.ReluGrad(gradients=g, features=f)
    g = np.array([np.nan, np.inf, -1.0, 2.0], np.float32)
    f = np.array([-1.0, -1.0, -1.0, 0.0], np.float32)
    want = np.array([np.nan, np.nan, -0.0, 0.0], np.float32)
    eager = relu_grad(tf.constant(g), tf.constant(f)).numpy()
    graph = tf.Graph()
    with graph.as_default():
        y = relu_grad(tf.constant(g), tf.constant(f))
    with tf.compat.v1.Session(graph=graph) as sess:
        in_graph = sess.run(y)
    for got in (eager, in_graph):
        np.testing.assert_array_equal(got, want)
        assert list(np.signbit(got[2:])) == [True, False]
    # and tf.raw_ops.Relu6Grad's, a product too
    from janusgrad.ops.nn import relu6_grad
    g6 = np.array([np.nan, np.inf, -1.0, 2.0, -3.0], np.float32)
    f6 = np.array([-1.0, 7.0, -1.0, 0.0, 6.0], np.float32)
    got = relu6_grad(tf.constant(g6), tf.constant(f6)).numpy()
    np.testing.assert_array_equal(got, [np.nan, np.nan, -0.0, 0.0, -0.0])
    assert list(np.signbit(got[2:])) == [True, False, True]


def test_relu_grad_on_integers_and_strided_inputs():
    g = np.arange(-6, 6, dtype=np.int32).reshape(3, 4)
    f = np.array([1, -1, 0, 2], np.int32)[None].repeat(3, 0)
    np.testing.assert_array_equal(OPS["ReluGrad"].kernel(g, f), np.where(f > 0, g, 0))
    gf = R.standard_normal((6, 8)).astype(np.float32)[::2, ::3]
    ff = R.standard_normal((3, 3)).astype(np.float32).T
    np.testing.assert_array_equal(OPS["ReluGrad"].kernel(gf, ff), np.where(ff > 0, gf, 0))


def test_softmax_xent_gradients_with_and_without_watched_labels():
    logits = R.standard_normal((4, 5)).astype(np.float32)
    labels = np.eye(5, dtype=np.float32)[[0, 3, 1, 4]]
    lt, yt = tf.constant(logits), tf.constant(labels)
    z = logits - logits.max(1, keepdims=True)
    log_p = z - np.log(np.exp(z).sum(1, keepdims=True))
    for watch_labels in (False, True):
        with tf.GradientTape() as tape:
            tape.watch(lt)
            if watch_labels:
                tape.watch(yt)
            loss = tf.reduce_mean(tf.nn.softmax_cross_entropy_with_logits(yt, lt))
        dl, dy = tape.gradient(loss, [lt, yt])
        np.testing.assert_allclose(dl.numpy(), (np.exp(log_p) - labels) / 4, rtol=1e-5,
                                   atol=1e-7)
        if watch_labels:
            np.testing.assert_allclose(dy.numpy(), -log_p / 4, rtol=1e-5)
        else:
            assert dy is None


# -- fast paths: tiled max-pool gradient, wide im2col, Relu ---------------------------------------

def first_equal_ref(x, y, dy, k_hw):
    """MaxPoolGrad's rule on windows that tile x (ksize == strides, VALID): each dy to the first
    element (row-major) of its window equal to y, none where no element is (NaN, a y that is
    not the maximum); rows and columns past the last window get nothing. Exact +0.0 zeros."""
    (kh, kw), (n, oh, ow, c) = k_hw, y.shape
    dx = np.zeros(x.shape, dy.dtype)
    for b in range(n):
        for i in range(oh):
            for j in range(ow):
                for ch in range(c):
                    window = x[b, i * kh:(i + 1) * kh, j * kw:(j + 1) * kw, ch].ravel()
                    hits = np.flatnonzero(window == y[b, i, j, ch])
                    if hits.size:
                        r, s = divmod(int(hits[0]), kw)
                        dx[b, i * kh + r, j * kw + s, ch] = dy[b, i, j, ch]
    return dx


def _pool_attrs(k_hw, padding="VALID"):
    return {"ksize": (1,) + k_hw + (1,), "strides": (1,) + k_hw + (1,), "padding": padding}


TILED_CASES = [  # x shape, window (= strides)
    ((3, 8, 8, 5), (2, 2)),
    ((2, 7, 9, 3), (2, 2)),        # the last row and column belong to no window
    ((2, 9, 8, 2), (3, 2)),
    ((1, 6, 12, 1), (3, 4)),       # 12 taps: codes past a byte
    ((2, 5, 5, 2), (1, 1)),
    ((1, 4, 4, 1), (4, 4)),        # one window
]


@pytest.mark.parametrize("x_shape,k_hw", TILED_CASES)
def test_tiled_max_pool_grad_takes_the_first_maximum(x_shape, k_hw, monkeypatch):
    calls = []
    tiled = conv_ops._max_pool_grad_tiled
    monkeypatch.setattr(conv_ops, "_max_pool_grad_tiled", lambda *a: calls.append(1) or tiled(*a))
    x = _tied_input(x_shape)                               # ties and all-zero windows
    x[0, 0, 0, 0] = np.nan                                 # a NaN window takes nothing
    attrs = _pool_attrs(k_hw)
    y = OPS["MaxPool"].kernel(x, **attrs)
    dy = R.standard_normal(y.shape).astype(np.float32)
    dx = OPS["MaxPoolGrad"].kernel(x, y, dy, **attrs)
    assert calls and dx.dtype == np.float32 and dx.shape == x.shape and dx.flags.c_contiguous
    want = first_equal_ref(x, y, dy, k_hw)
    np.testing.assert_array_equal(dx.view(np.uint32), want.view(np.uint32))   # +0.0 zeros
    np.testing.assert_array_equal(dx[0, :k_hw[0], :k_hw[1], 0], 0)


@pytest.mark.parametrize("x_shape,k_hw", TILED_CASES)
def test_tiled_max_pool_grad_agrees_with_the_general_path(x_shape, k_hw, monkeypatch):
    x = _tied_input(x_shape)
    attrs = _pool_attrs(k_hw)
    y = OPS["MaxPool"].kernel(x, **attrs)
    dy = R.standard_normal(y.shape).astype(np.float32)
    tiled = OPS["MaxPoolGrad"].kernel(x, y, dy, **attrs)
    monkeypatch.setattr(conv_ops, "_tiling", lambda attrs, pads: None)
    np.testing.assert_array_equal(tiled, OPS["MaxPoolGrad"].kernel(x, y, dy, **attrs))


def test_tiled_max_pool_grad_routes_non_finite_dy_and_odd_outputs_exactly():
    x = _tied_input((2, 6, 6, 3))
    x[1, 2:4, 2:4, 1] = -np.inf                            # a window of -inf: its first one
    attrs = _pool_attrs((2, 2))
    y = OPS["MaxPool"].kernel(x, **attrs)
    dy = R.standard_normal(y.shape).astype(np.float32)
    dy[0, 0, 0, 0], dy[1, 1, 1, 1], dy[0, 2, 1, 2] = np.inf, np.nan, -np.inf
    dx = OPS["MaxPoolGrad"].kernel(x, y, dy, **attrs)
    want = first_equal_ref(x, y, dy, (2, 2))
    np.testing.assert_array_equal(dx.view(np.uint32), want.view(np.uint32))
    assert dx[1, 2, 2, 1] != dx[1, 2, 2, 1] and np.isnan(dx).sum() == 1
    # an orig_output that is no window's maximum: no element equals it, no gradient
    x = R.standard_normal((2, 6, 6, 3)).astype(np.float32)
    off = OPS["MaxPool"].kernel(x, **attrs) + np.float32(0.25)
    np.testing.assert_array_equal(OPS["MaxPoolGrad"].kernel(x, off, dy, **attrs), 0)


@pytest.mark.parametrize("dtype", [np.float16, np.float64, np.int32, np.int8, np.int64])
def test_tiled_max_pool_grad_keeps_the_dtype(dtype):
    x = np.round(R.standard_normal((2, 6, 7, 3)) * 2).astype(dtype)     # ties
    attrs = _pool_attrs((2, 3))
    y = OPS["MaxPool"].kernel(x, **attrs)
    dy = (np.arange(y.size).reshape(y.shape) % 50 - 25).astype(dtype)
    dx = OPS["MaxPoolGrad"].kernel(x, y, dy, **attrs)
    assert dx.dtype == dtype and dx.shape == x.shape
    np.testing.assert_array_equal(dx, first_equal_ref(x, y, dy, (2, 3)))


def test_tiled_max_pool_grad_on_strided_read_only_inputs():
    base = _tied_input((6, 8, 2, 4))
    x = base.transpose(2, 0, 1, 3)                          # (2, 6, 8, 4), not contiguous
    attrs = _pool_attrs((2, 2))
    y = OPS["MaxPool"].kernel(x, **attrs)
    dy = R.standard_normal((2, 4, 3, 4)).astype(np.float32).transpose(0, 2, 1, 3)
    for a in (x, y, dy):
        a.flags.writeable = False
    copies = [a.copy() for a in (x, y, dy)]
    dx = OPS["MaxPoolGrad"].kernel(x, y, dy, **attrs)
    np.testing.assert_array_equal(dx, first_equal_ref(x, y, dy, (2, 2)))
    for a, b in zip((x, y, dy), copies):
        np.testing.assert_array_equal(a, b)


WIDE_CASES = [  # x shape, w shape, padding, dilations: stride 1, the wide im2col
    ((32, 8, 8, 1), (3, 3, 1, 16), "SAME", (1, 1)),             # benchmark (d)
    ((2, 20, 21, 1), (3, 3, 1, 4), "SAME", (1, 1)),
    ((2, 16, 18, 2), (3, 3, 2, 3), "VALID", (1, 1)),
    ((1, 24, 26, 1), (3, 3, 1, 2), "SAME", (2, 2)),
    ((2, 12, 13, 1), (3, 3, 1, 3), [[0, 0], [2, 1], [1, 2], [0, 0]], (1, 1)),
    ((1, 1, 30, 1), (1, 5, 1, 2), "SAME", (1, 1)),               # one output row
    ((3, 9, 40, 1), (4, 2, 1, 5), "SAME", (1, 3)),               # even kernel: uneven pads
]


@pytest.mark.parametrize("x_shape,w_shape,padding,dilations", WIDE_CASES)
def test_wide_columns_hold_the_plain_columns_at_the_real_positions(x_shape, w_shape, padding,
                                                                  dilations):
    attrs = _attrs((1, 1), padding, dilations)
    x = R.standard_normal(x_shape).astype(np.float32)
    pads, oh, ow = conv_ops._geometry(x_shape, w_shape[:2], attrs)
    xp = conv_ops._pad(x, pads)
    wide = conv_ops._wide_columns(xp, w_shape[:2], attrs, oh, ow)
    assert wide is not None
    cols, real = wide
    plain = conv_ops._columns(xp, w_shape[:2], attrs, oh, ow)     # (K, N * OH * OW)
    k = plain.shape[0]
    picked = np.stack([real(np.ascontiguousarray(cols[t][:, None])) for t in range(k)])
    np.testing.assert_array_equal(picked.reshape(k, -1), plain)


@pytest.mark.parametrize("x_shape,w_shape,padding,dilations", WIDE_CASES)
def test_wide_conv2d_matches_the_reference(x_shape, w_shape, padding, dilations):
    attrs = _attrs((1, 1), padding, dilations)
    x = R.standard_normal(x_shape).astype(np.float32)
    w = R.standard_normal(w_shape).astype(np.float32)
    y = OPS["Conv2D"].kernel(x, w, **attrs)
    want, _, _ = conv_refs(x, w, None, (1, 1), padding, dilations)
    assert y.dtype == np.float32 and y.shape == want.shape and y.flags.c_contiguous
    np.testing.assert_allclose(y, want, rtol=1e-4, atol=1e-4)


def test_wide_columns_are_not_used_where_they_do_not_pay():
    x = np.zeros((2, 4, 4, 1), np.float32)
    for strides, w_hw, c in [((2, 2), (3, 3), 1), ((1, 1), (3, 3), 1), ((1, 1), (3, 3), 64)]:
        attrs = _attrs(strides, "SAME", (1, 1))
        xc = np.zeros((2, 12, 12, c), np.float32) if c > 1 else x
        pads, oh, ow = conv_ops._geometry(xc.shape, w_hw, attrs)
        assert conv_ops._wide_columns(conv_ops._pad(xc, pads), w_hw, attrs, oh, ow) is None


@pytest.mark.parametrize("dtype", [np.float16, np.float64])
def test_wide_conv2d_keeps_the_dtype_and_leaves_its_input_alone(dtype):
    base = R.standard_normal((10, 3, 12, 1)).astype(dtype)
    x = base.transpose(1, 0, 2, 3)                          # (3, 10, 12, 1), not contiguous
    x.flags.writeable = False
    w = R.standard_normal((3, 3, 1, 4)).astype(dtype)
    attrs = _attrs((1, 1), "SAME", (1, 1))
    y = OPS["Conv2D"].kernel(x, w, **attrs)
    want, _, _ = conv_refs(x.astype(np.float64), w.astype(np.float64), None, (1, 1), "SAME",
                           (1, 1))
    tol = 2e-2 if dtype == np.float16 else 1e-12
    assert y.dtype == dtype
    np.testing.assert_allclose(y, want, rtol=tol, atol=tol)
    np.testing.assert_array_equal(x, base.transpose(1, 0, 2, 3))


def _special(dtype, n=1000):
    """Values with every sign of zero, NaNs, infinities and subnormals at positions that fall
    in SIMD bodies and tails alike."""
    v = R.standard_normal(n).astype(dtype)
    tiny = np.finfo(dtype).smallest_subnormal
    for k, s in enumerate([0.0, -0.0, np.nan, -np.nan, np.inf, -np.inf, tiny, -tiny]):
        v[k::37] = s
    return v


@pytest.mark.parametrize("dtype", [np.float16, np.float32, np.float64])
def test_relu_has_the_bits_of_np_maximum(dtype):
    u = {2: np.uint16, 4: np.uint32, 8: np.uint64}[np.dtype(dtype).itemsize]
    for n in (1, 7, 16, 33, 1000):
        v = _special(dtype, n)
        got = OPS["Relu"].kernel(v)
        assert got.dtype == dtype
        np.testing.assert_array_equal(got.view(u), np.maximum(v, 0).view(u))
    m = _special(dtype).reshape(20, 50)[::2, ::3]             # strided
    np.testing.assert_array_equal(OPS["Relu"].kernel(m).view(u), np.maximum(m, 0).view(u))
    before = m.copy()
    OPS["Relu"].kernel(m)
    np.testing.assert_array_equal(m.view(u), before.view(u))


def test_relu_on_integers_scalars_and_empty_arrays():
    i = np.arange(-5, 5, dtype=np.int8)
    assert OPS["Relu"].kernel(i).dtype == np.int8
    np.testing.assert_array_equal(OPS["Relu"].kernel(i), np.maximum(i, 0))
    assert OPS["Relu"].kernel(np.float32(-2.0)) == 0 and OPS["Relu"].kernel(np.float32(3)) == 3
    assert OPS["Relu"].kernel(np.zeros((0, 3), np.float32)).shape == (0, 3)


@pytest.mark.parametrize("dtype", [np.int8, np.int64, np.uint16])
def test_relu_grad_on_more_integer_types(dtype):
    g = (np.arange(24) - 12).astype(dtype).reshape(4, 6)
    f = (np.arange(24)[::-1] % 5 - 2).astype(dtype).reshape(4, 6)
    got = OPS["ReluGrad"].kernel(g, f)
    assert got.dtype == dtype
    np.testing.assert_array_equal(got, np.where(f > 0, g, 0))
    assert OPS["ReluGrad"].kernel(g[:0], f[:0]).shape == (0, 6)


@pytest.mark.parametrize("dtype,axis", [(np.float32, -1), (np.float32, 0), (np.float16, -1),
                                        (np.float64, 1)])
def test_softmax_xent_kernel_keeps_the_formula_bits(dtype, axis):
    x = (R.standard_normal((6, 5)) * 4).astype(dtype)
    z = R.uniform(0, 1, (6, 5)).astype(dtype)
    loss, backprop = OPS["SoftmaxCrossEntropyWithLogits"].kernel(x, z, axis=axis)
    xx, zz = (x.astype(np.float32), z.astype(np.float32)) if dtype == np.float16 else (x, z)
    shifted = xx - xx.max(axis, keepdims=True)
    log_p = shifted - np.log(np.exp(shifted).sum(axis, keepdims=True))
    assert loss.dtype == dtype and backprop.dtype == dtype
    np.testing.assert_array_equal(loss, (-(zz * log_p).sum(axis)).astype(dtype))
    np.testing.assert_array_equal(backprop, (np.exp(log_p) - zz).astype(dtype))


# -- eager calls whose window arguments were parsed before ----------------------------------------

def test_conv2d_and_pools_called_again_give_the_first_calls_results_and_errors():
    from janusgrad.ops import conv as conv_module
    rng = np.random.default_rng(7)
    x = tf.constant(rng.standard_normal((2, 6, 6, 3)).astype(np.float32))
    v = tf.Variable(rng.standard_normal((3, 3, 3, 4)).astype(np.float32))
    conv_module._PARSED.clear()
    for strides, padding, dilations in [(1, "SAME", None), ([1, 2, 2, 1], "VALID", None),
                                        ((2, 1), "SAME", 1), (1, "VALID", [2, 2])]:
        first = tf.nn.conv2d(x, v, strides, padding, dilations=dilations)     # parsed here
        with tf.GradientTape() as tape:
            again = tf.nn.conv2d(x, v, strides, padding, dilations=dilations)  # fast path
            total = tf.reduce_sum(again)
        assert tape.watched_variables() == (v,)
        np.testing.assert_array_equal(first.numpy(), again.numpy())
        assert tape.gradient(total, v).shape == v.shape
    # the same arguments with bad tensors: the general path's errors
    with pytest.raises(TypeError, match="Conv2D"):
        tf.nn.conv2d(tf.constant(np.ones((1, 4, 4, 3), np.int32)),
                     tf.constant(np.ones((3, 3, 3, 4), np.int32)), 1, "SAME")
    with pytest.raises(tf.errors.InvalidArgumentError, match="Conv2D"):
        tf.nn.conv2d(x, tf.constant(np.ones((3, 3, 3, 4), np.float64)), 1, "SAME")
    with pytest.raises(ValueError, match="Depth of input|depth"):
        tf.nn.conv2d(x, tf.constant(np.ones((3, 3, 2, 4), np.float32)), 1, "SAME")
    batched = tf.nn.conv2d(tf.reshape(x, [1, 2, 6, 6, 3]), v, 1, "SAME")       # rank 5
    np.testing.assert_allclose(batched.numpy()[0], tf.nn.conv2d(x, v, 1, "SAME").numpy(),
                               rtol=1e-6)
    for pool in (tf.nn.max_pool2d, tf.nn.avg_pool2d):
        first = pool(x, 2, 2, "VALID")
        np.testing.assert_array_equal(pool(x, 2, 2, "VALID").numpy(), first.numpy())
        with pytest.raises(ValueError, match="rank 4"):
            pool(tf.constant(np.ones((6, 6, 3), np.float32)), 2, 2, "VALID")
        with pytest.raises(TypeError):
            pool(tf.constant(np.array([[[[True]]]])), 1, 1, "VALID")
    nchw = tf.nn.max_pool2d(tf.transpose(x, [0, 3, 1, 2]), 2, 2, "VALID", data_format="NCHW")
    np.testing.assert_array_equal(tf.transpose(nchw, [0, 2, 3, 1]).numpy(),
                                  tf.nn.max_pool2d(x, 2, 2, "VALID").numpy())


def test_window_arguments_that_are_tensors_or_bad_are_parsed_each_time():
    from janusgrad.ops import conv as conv_module
    x = tf.constant(np.ones((1, 4, 4, 1), np.float32))
    w = tf.constant(np.ones((2, 2, 1, 1), np.float32))
    conv_module._PARSED.clear()
    tf.nn.conv2d(x, w, tf.constant([1, 1]), "VALID")
    tf.nn.conv2d(x, w, [1, 1], [[0, 0], [1, 1], [0, 0], [0, 0]])
    assert conv_module._PARSED == {}        # a tensor, nested lists: no key, parsed each time
    for _ in range(2):
        with pytest.raises(ValueError):
            tf.nn.conv2d(x, w, [1, 1, 1], "VALID")                 # bad: never remembered
        with pytest.raises(ValueError):
            tf.nn.max_pool2d(x, 2, 2, "FULL")
