"""The parity cases: the inputs and the functions that tests/test_tf_parity.py runs on janusgrad
and tools/record_tf_parity.py runs on real TensorFlow to record the expected numbers.

The cases call the module-level name `tf`, which is whichever module `use()` was last given
(janusgrad in the test, tensorflow in the recorder), so they read as TF code. Inputs are NumPy
arrays, made here without `tf`. Changing a case (its function or its inputs) means recording
TensorFlow's numbers again: see tools/record_tf_parity.py.
"""
import numpy as np

class _NotSet:
    def __getattr__(self, name):
        raise RuntimeError(f"tf.{name}: call tf_parity_cases.use(janusgrad or tensorflow) first")


tf = _NotSet()   # the TensorFlow-like module the cases call: set by use()


def use(module):
    """Make the cases (and loss_of) call `module` as tf; returns it."""
    global tf
    tf = module
    return module


# -- helpers --------------------------------------------------------------------------------------
FLOATS = ("float16", "float32", "float64")
MODES = ("eager", "graph", "unknown_dims")   # unknown_dims: placeholders of shape [None] * rank
nan, inf = float("nan"), float("inf")


def N(shape, seed, scale=1.0, dtype="float32"):
    """Standard normal values (times scale) from np.random.default_rng(seed)."""
    return (np.random.default_rng(seed).standard_normal(shape) * scale).astype(dtype)


def U(shape, seed, low, high, dtype="float32"):
    """Uniform values in [low, high) from np.random.default_rng(seed)."""
    return np.random.default_rng(seed).uniform(low, high, shape).astype(dtype)


def SPD(shape, seed, dtype="float32"):
    """Symmetric positive definite matrices a a^T + n I, a standard normal of shape (..., n, n)."""
    a = np.random.default_rng(seed).standard_normal(shape)
    return (a @ np.swapaxes(a, -1, -2) + shape[-1] * np.eye(shape[-1])).astype(dtype)


def WELL(shape, seed, dtype="float32"):
    """Well-conditioned (non-symmetric) matrices a + n I, a standard normal of shape (..., n, n)."""
    a = np.random.default_rng(seed).standard_normal(shape)
    return (a + shape[-1] * np.eye(shape[-1])).astype(dtype)


def A(values, dtype="float32"):
    return np.array(values, dtype)


class Case:
    """fn(*tensors) -> a tensor or a (nested) list of tensors; xfail: a reason, or {mode: reason};
    tf_fn: the same function as TF had to compute it (where TF's kernels lack a gradient)."""

    def __init__(self, name, fn, inputs, tol=(1e-4, 1e-5), xfail=None, tf_fn=None):
        self.name, self.fn, self.inputs, self.tol, self.tf_fn = name, fn, inputs, tol, tf_fn
        self.xfail = dict.fromkeys(MODES, xfail) if isinstance(xfail, str) \
            else dict(xfail or {})


def flat(out):
    if isinstance(out, (list, tuple)):
        return [t for o in out for t in flat(o)]
    return [out]


def weights(shape, k):
    """The fixed weights of float output k in the loss sum_k sum(out_k * weights(shape_k, k))."""
    return (0.5 + np.cos(0.9 * np.arange(int(np.prod(shape))) + k)).reshape(shape)


def loss_of(outs, shapes):
    """The loss whose gradients are compared: sum_k sum(out_k * weights(shape_k, k)) over the
    float outputs (shapes: their real shapes, known even where the static ones are not)."""
    terms = [tf.reduce_sum(o * weights(s, k).astype(o.dtype.name))
             for k, (o, s) in enumerate(zip(outs, shapes)) if o.dtype.name in FLOATS]
    if len({t.dtype.name for t in terms}) > 1:
        terms = [tf.cast(t, tf.float64) for t in terms]
    return tf.add_n(terms) if terms else None


# -- the cases ------------------------------------------------------------------------------------
def eigh_sign_free(a):
    e, v = tf.linalg.eigh(a)
    return e, tf.square(v)        # each eigenvector's sign is arbitrary; its square is not


def svd_sign_free(a):
    s, u, v = tf.linalg.svd(a)
    return s, tf.square(u), tf.square(v)


def qr_sign_free(a):
    q, r = tf.linalg.qr(a)
    return tf.square(q), tf.square(r)


def grad_of(f):
    """x -> d sum(f(x)) / dx by an inner tape: the case's own gradient is then of second order."""
    def df(*xs):
        with tf.GradientTape() as tape:
            for x in xs:
                tape.watch(x)
            y = tf.reduce_sum(f(*xs))
        return tape.gradient(y, list(xs))
    return df


KINKS = A([-2.0, -0.5, 0.0, 0.5, 6.0, 7.0])   # TF's choices at 0 and 6 are part of the contract
LARGE = A([[1000.0, 1001.0, 999.0], [-1000.0, 0.0, 1000.0]])
INTS = A([-7, 7, -7, 7, 0], "int32"), A([2, -2, -2, 2, 3], "int32")

CASES = [
    # -- elementwise, unary -------------------------------------------------------------------
    Case("abs_neg_square", lambda x: (tf.abs(x), tf.negative(x), tf.square(x)),
         [A([-2.0, -0.5, 0.0, 0.5, 3.0])]),
    Case("sign", lambda x: tf.sign(x), [A([-2.0, 0.0, 0.5])]),
    Case("sqrt_rsqrt", lambda x: (tf.sqrt(x), tf.math.rsqrt(x)), [U((2, 3), 2, 0.5, 3.0)]),
    Case("exp_expm1", lambda x: (tf.exp(x), tf.math.expm1(x)), [N((2, 3), 3)]),
    Case("log_log1p", lambda x: (tf.math.log(x), tf.math.log1p(x)), [U((2, 3), 4, 0.1, 5.0)]),
    Case("sin_cos_tan", lambda x: (tf.sin(x), tf.cos(x), tf.tan(x)), [U((5,), 5, -1.2, 1.2)]),
    Case("tanh_sigmoid", lambda x: (tf.tanh(x), tf.sigmoid(x)), [N((2, 3), 6, 3.0)]),
    Case("softplus", lambda x: tf.math.softplus(x),
         [A([-100.0, -20.0, -1.0, 0.0, 0.5, 20.0, 100.0])]),
    Case("erf", lambda x: tf.math.erf(x), [N((2, 3), 7)]),
    Case("reciprocal", lambda x: tf.math.reciprocal(x), [A([-2.0, -0.5, 0.25, 3.0])]),
    Case("round_floor_ceil", lambda x: (tf.round(x), tf.floor(x), tf.math.ceil(x)),
         [A([-2.5, -1.5, -0.5, 0.5, 1.5, 2.5, 0.7, -0.7])]),
    Case("floor_times_y", lambda x, y: tf.floor(x) * y, [N((2, 3), 8, 2.0), N((2, 3), 9)]),
    Case("clip_by_value_at_bounds", lambda x: tf.clip_by_value(x, -0.5, 0.8),
         [A([-1.0, -0.5, 0.0, 0.8, 2.0])]),
    Case("clip_by_value_tensor_bounds", lambda x, lo, hi: tf.clip_by_value(x, lo, hi),
         [N((2, 3), 10), A(-0.3), A(0.4)]),
    Case("cast", lambda x: (tf.cast(x, tf.float64), tf.cast(x, tf.int32)),
         [A([-1.7, -0.5, 0.5, 2.9])]),
    Case("cast_to_int_cuts_gradient", lambda x, y: tf.cast(tf.cast(x, tf.int32), tf.float32) * y,
         [A([-1.7, 0.5, 2.9]), N((3,), 11)]),
    Case("identity_stop_gradient", lambda x, y: (tf.identity(x), tf.stop_gradient(y)),
         [N((2,), 12), N((2,), 13)]),
    Case("zeros_ones_like", lambda x: (tf.zeros_like(x), tf.ones_like(x)), [N((2, 2), 14)]),

    # -- elementwise, binary (broadcasting) ---------------------------------------------------
    Case("add_broadcast", lambda x, y: tf.add(x, y), [N((2, 3), 20), N((3,), 21)]),
    Case("subtract_broadcast", lambda x, y: tf.subtract(x, y), [N((2, 1), 22), N((1, 3), 23)]),
    Case("multiply_broadcast_rank3", lambda x, y: tf.multiply(x, y),
         [N((2, 3, 1), 24), N((4,), 25)]),
    Case("divide_broadcast", lambda x, y: tf.divide(x, y),
         [N((2, 3), 26), U((2, 1), 27, 0.5, 2.0)]),
    Case("python_operators", lambda x, y: x * 2.0 - y / 3.0 + x ** 2 + (-y) + abs(x) - 1.0 / y,
         [N((2, 3), 28), U((3,), 29, 0.5, 2.0)]),
    Case("floordiv_float", lambda x, y: tf.math.floordiv(x, y),
         [A([-7.5, 7.5, 3.0, -3.0, 5.0]), A([2.0, -2.0, 2.0, 2.0, 0.75])]),
    Case("floormod_float", lambda x, y: tf.math.floormod(x, y),
         [A([-7.5, 7.5, 3.1, -3.1, 5.2]), A([2.0, -2.0, 2.0, 2.0, 0.75])]),
    Case("pow", lambda x, y: tf.pow(x, y), [U((2, 3), 30, 0.5, 2.0), N((3,), 31)]),
    Case("pow_zero_base", lambda x, y: tf.pow(x, y), [A([0.0, 1.5, 2.0]), A([2.0, 2.0, 3.0])]),
    Case("maximum_minimum_ties", lambda x, y: (tf.maximum(x, y), tf.minimum(x, y)),
         [A([1.0, 2.0, 3.0, -1.0]), A([1.0, 0.0, 3.0, 2.0])]),
    Case("maximum_broadcast", lambda x, y: tf.maximum(x, y), [N((2, 3), 32), N((3,), 33)]),
    Case("squared_difference", lambda x, y: tf.math.squared_difference(x, y),
         [N((2, 3), 34), N((3,), 35)]),
    Case("add_n", lambda a, b, c: tf.add_n([a, b, c]),
         [N((2, 2), 36), N((2, 2), 37), N((2, 2), 38)]),
    Case("where_broadcast", lambda c, x, y: tf.where(c, x, y),
         [A([True, False, True], "bool"), N((2, 3), 39), N((2, 1), 40)]),
    Case("comparisons", lambda x, y: (tf.greater(x, y), tf.greater_equal(x, y), tf.less(x, y),
                                      tf.less_equal(x, y), tf.equal(x, y), tf.not_equal(x, y)),
         [A([1.0, 2.0, 3.0]), A([[1.0], [2.5]])]),
    Case("logical", lambda a, b: (tf.logical_and(a, b), tf.logical_or(a, b), tf.logical_not(a)),
         [A([True, True, False, False], "bool"), A([True, False, True, False], "bool")]),
    Case("is_nan_is_finite", lambda x: (tf.math.is_nan(x), tf.math.is_finite(x)),
         [A([0.0, nan, inf, -inf, 1.0])]),
    Case("int_arithmetic", lambda a, b: (a + b, a * b, tf.math.floordiv(a, b),
                                         tf.math.floormod(a, b), tf.divide(a, b)), list(INTS)),

    # -- reductions ---------------------------------------------------------------------------
    Case("reduce_sum_all", lambda x: tf.reduce_sum(x), [N((2, 3, 4), 50)]),
    Case("reduce_sum_axis_keepdims", lambda x: tf.reduce_sum(x, axis=1, keepdims=True),
         [N((2, 3, 4), 51)]),
    Case("reduce_sum_negative_axes", lambda x: tf.reduce_sum(x, axis=[0, -1]), [N((2, 3, 4), 52)]),
    Case("reduce_mean_axis0", lambda x: tf.reduce_mean(x, axis=0), [N((3, 4), 53)]),
    Case("reduce_mean_float64", lambda x: tf.reduce_mean(x, axis=[1], keepdims=True),
         [N((2, 3), 54, dtype="float64")]),
    Case("reduce_mean_int", lambda a: (tf.reduce_mean(a), tf.reduce_mean(a, axis=1)),
         [A([[1, 2], [4, 4], [-3, -2]], "int32")]),
    Case("reduce_prod_axis1", lambda x: tf.reduce_prod(x, axis=1), [U((3, 4), 55, 0.5, 1.5)]),
    Case("reduce_prod_zeros", lambda x: tf.reduce_prod(x, axis=1),
         [A([[1.5, 0.0, 2.0], [0.0, 3.0, 0.0], [2.0, -1.0, 0.5]])]),
    Case("reduce_prod_all_keepdims", lambda x: tf.reduce_prod(x, keepdims=True),
         [U((2, 3), 56, -1.5, 1.5)]),
    Case("reduce_max_ties_axis1", lambda x: tf.reduce_max(x, axis=1),
         [A([[1.0, 3.0, 3.0], [2.0, 2.0, 0.0], [-1.0, -2.0, -3.0]])]),
    Case("reduce_max_ties_all", lambda x: tf.reduce_max(x),
         [A([[1.0, 3.0, 3.0], [2.0, 3.0, 0.0]])]),
    Case("reduce_min_ties_axis0_keepdims", lambda x: tf.reduce_min(x, axis=0, keepdims=True),
         [A([[1.0, 3.0, 3.0], [1.0, 2.0, 0.0]])]),
    Case("argmax_argmin_ties", lambda x: (tf.argmax(x, axis=1), tf.argmin(x, axis=0),
                                          tf.argmax(x, output_type=tf.int32)),
         [A([[1.0, 3.0, 3.0], [1.0, 2.0, 0.0]])]),
    Case("reduce_logsumexp_large", lambda x: tf.reduce_logsumexp(x, axis=1, keepdims=True),
         [LARGE]),
    Case("reduce_logsumexp_all", lambda x: tf.reduce_logsumexp(x), [N((2, 3), 57)]),
    Case("reduce_any_all", lambda b: (tf.reduce_any(b, axis=1), tf.reduce_all(b, axis=1),
                                      tf.reduce_any(b), tf.reduce_all(b)),
         [A([[True, False], [False, False], [True, True]], "bool")]),
    Case("cumsum_axis1", lambda x: tf.cumsum(x, axis=1), [N((2, 4), 58)]),
    Case("cumsum_exclusive", lambda x: tf.cumsum(x, axis=1, exclusive=True), [N((2, 4), 59)]),
    Case("cumsum_reverse", lambda x: tf.cumsum(x, axis=0, reverse=True), [N((3, 2), 60)]),
    Case("cumsum_exclusive_reverse", lambda x: tf.cumsum(x, axis=-1, exclusive=True, reverse=True),
         [N((2, 4), 61)]),
    Case("clip_by_norm_clipped", lambda x: tf.clip_by_norm(x, 1.0), [N((2, 3), 62, 2.0)]),
    Case("clip_by_norm_axes", lambda x: tf.clip_by_norm(x, 1.5, axes=[1]),
         [A([[3.0, -4.0, 1.0], [0.3, 0.4, -0.2]])]),
    Case("clip_by_global_norm", lambda a, b: tf.clip_by_global_norm([a, b], 1.0),
         [N((2, 2), 63), N((3,), 64)]),

    # -- shapes -------------------------------------------------------------------------------
    Case("reshape", lambda x: tf.reshape(x, [3, -1]), [N((2, 3, 2), 70)]),
    Case("transpose", lambda x: (tf.transpose(x, [2, 0, 1]), tf.transpose(x)), [N((2, 3, 2), 71)]),
    Case("concat", lambda a, b: (tf.concat([a, b], axis=1), tf.concat([b, b], -2)),
         [N((2, 1), 72), N((2, 3), 73)]),
    Case("stack_unstack", lambda a, b: (tf.stack([a, b], axis=1), tf.unstack(a, axis=1)),
         [N((2, 3), 74), N((2, 3), 75)]),
    Case("split_num", lambda x: tf.split(x, 3, axis=1), [N((2, 6), 76)]),
    Case("split_sizes", lambda x: tf.split(x, [1, -1, 2], axis=1), [N((2, 6), 77)]),
    Case("squeeze_expand_dims", lambda x: (tf.squeeze(x, axis=[1]), tf.expand_dims(x, -1),
                                           tf.squeeze(x[:1])), [N((2, 1, 3), 78)]),
    Case("tile", lambda x: tf.tile(x, [2, 1, 3]), [N((2, 1, 2), 79)]),
    Case("gather_repeated", lambda x, i: tf.gather(x, i), [N((4, 3), 80), A([2, 0, 2], "int32")]),
    Case("gather_axis1_2d_indices", lambda x, i: tf.gather(x, i, axis=1),
         [N((2, 4), 81), A([[3, 0], [1, 3]], "int32")]),
    Case("gather_batch_dims", lambda x, i: tf.gather(x, i, axis=1, batch_dims=1),
         [N((2, 4, 2), 82), A([[0, 3], [1, 1]], "int32")]),
    Case("gather_nd_elements", lambda x, i: tf.gather_nd(x, i),
         [N((3, 2), 83), A([[0, 1], [2, 0], [0, 1]], "int32")]),
    Case("gather_nd_slices", lambda x, i: tf.gather_nd(x, i),
         [N((3, 2, 2), 84), A([[1], [0], [1]], "int32")]),
    Case("boolean_mask_rows", lambda x, m: tf.boolean_mask(x, m),
         [N((3, 2), 85), A([True, False, True], "bool")]),
    Case("boolean_mask_2d", lambda x, m: tf.boolean_mask(x, m),
         [N((2, 3), 86), A([[True, False, True], [False, True, False]], "bool")]),
    Case("boolean_mask_axis1", lambda x, m: tf.boolean_mask(x, m, axis=1),
         [N((2, 3, 2), 87), A([False, True, True], "bool")]),
    Case("pad_constant", lambda x: tf.pad(x, [[1, 0], [2, 1]], constant_values=1.5),
         [N((2, 3), 88)]),
    Case("pad_reflect", lambda x: tf.pad(x, [[1, 1], [2, 1]], mode="REFLECT"), [N((3, 3), 89)]),
    Case("pad_symmetric", lambda x: tf.pad(x, [[2, 0], [1, 3]], mode="SYMMETRIC"),
         [N((2, 3), 90)]),
    Case("reverse", lambda x: (tf.reverse(x, [1]), tf.reverse(x, [0, 2])), [N((2, 3, 2), 91)]),
    Case("slice", lambda x: tf.slice(x, [1, 0], [2, -1]), [N((3, 4), 92)]),
    Case("broadcast_to", lambda x: tf.broadcast_to(x, [2, 2, 3]), [N((1, 3), 93)]),
    Case("getitem", lambda x: (x[1:, ::-1], x[..., tf.newaxis, 0], x[::2, 1], x[-1],
                               x[2:0:-1, -3:]), [N((3, 4), 94)]),
    Case("where_one_arg", lambda b: tf.where(b), [A([[True, False], [False, True]], "bool")]),
    Case("one_hot", lambda i: (tf.one_hot(i, 4, on_value=2.0, off_value=-1.0),
                               tf.one_hot(i[:2], 3, axis=0)), [A([0, 3, -1, 2], "int32")]),
    Case("shape_size_rank", lambda x: (tf.shape(x), tf.size(x), tf.rank(x)), [N((2, 3, 4), 95)]),
    Case("range_float", lambda: tf.range(0.5, 3.0, 0.75), []),
    Case("linspace", lambda a, b: tf.linspace(a, b, 5), [A(1.0), A(3.0)]),

    # -- matmul, tensordot, einsum ------------------------------------------------------------
    Case("matmul", lambda a, b: tf.matmul(a, b), [N((2, 3), 100), N((3, 4), 101)]),
    Case("matmul_transpose_a", lambda a, b: tf.matmul(a, b, transpose_a=True),
         [N((3, 2), 102), N((3, 4), 103)]),
    Case("matmul_transpose_b", lambda a, b: tf.matmul(a, b, transpose_b=True),
         [N((2, 3), 104), N((4, 3), 105)]),
    Case("matmul_transpose_both", lambda a, b: tf.matmul(a, b, transpose_a=True, transpose_b=True),
         [N((3, 2), 106), N((4, 3), 107)]),
    Case("matmul_batched", lambda a, b: tf.matmul(a, b), [N((2, 2, 3), 108), N((2, 3, 2), 109)]),
    Case("matmul_broadcast_batch", lambda a, b: a @ b, [N((2, 2, 3), 110), N((3, 4), 111)]),
    Case("matmul_float64", lambda a, b: tf.matmul(a, b),
         [N((2, 3), 112, dtype="float64"), N((3, 2), 113, dtype="float64")]),
    Case("tensordot_axes1", lambda a, b: tf.tensordot(a, b, 1), [N((2, 3), 114), N((3, 4), 115)]),
    Case("tensordot_pairs", lambda a, b: tf.tensordot(a, b, [[0, 2], [2, 0]]),
         [N((3, 2, 2), 116), N((2, 4, 3), 117)]),
    Case("tensordot_outer", lambda a, b: tf.tensordot(a, b, 0), [N((2,), 118), N((3,), 119)]),
    Case("einsum_matmul", lambda a, b: tf.einsum("ij,jk->ik", a, b),
         [N((2, 3), 120), N((3, 4), 121)]),
    Case("einsum_batch_transposed", lambda a, b: tf.einsum("bij,bkj->bik", a, b),
         [N((2, 2, 3), 122), N((2, 4, 3), 123)]),
    Case("einsum_diag_and_trace", lambda a: (tf.einsum("ii->i", a), tf.einsum("ii->", a)),
         [N((3, 3), 124)]),
    Case("einsum_reduce_outer", lambda a, b: (tf.einsum("ij->j", a), tf.einsum("i,j->ij", b, b)),
         [N((2, 3), 125), N((2,), 126)]),
    Case("einsum_ellipsis", lambda a, b: tf.einsum("...ij,...jk->...ik", a, b),
         [N((2, 2, 3), 127), N((2, 3, 2), 128)]),
    Case("einsum_three_operands", lambda a, b, c: tf.einsum("ij,jk,kl->il", a, b, c),
         [N((2, 3), 129), N((3, 2), 130), N((2, 2), 131)]),

    # -- nn -----------------------------------------------------------------------------------
    Case("relu", lambda x: tf.nn.relu(x), [KINKS]),
    Case("relu6", lambda x: tf.nn.relu6(x), [KINKS]),
    Case("leaky_relu", lambda x: tf.nn.leaky_relu(x, alpha=0.1), [KINKS]),
    Case("elu", lambda x: tf.nn.elu(x), [KINKS]),
    Case("selu", lambda x: tf.nn.selu(x), [KINKS]),
    Case("gelu_exact", lambda x: tf.nn.gelu(x), [N((2, 3), 140, 2.0)]),
    Case("gelu_tanh", lambda x: tf.nn.gelu(x, approximate=True), [N((2, 3), 141, 2.0)]),
    Case("silu", lambda x: tf.nn.silu(x), [N((2, 3), 142, 2.0)]),
    Case("softmax", lambda x: (tf.nn.softmax(x), tf.nn.softmax(x, axis=0)), [N((2, 4), 143, 2.0)]),
    Case("softmax_large", lambda x: tf.nn.softmax(x), [LARGE]),
    Case("softmax_float64", lambda x: tf.nn.softmax(x), [N((2, 3), 144, dtype="float64")]),
    Case("log_softmax", lambda x: tf.nn.log_softmax(x), [N((2, 4), 145, 2.0)]),
    Case("log_softmax_large", lambda x: tf.nn.log_softmax(x), [LARGE]),
    Case("sigmoid_xent", lambda z, x: tf.nn.sigmoid_cross_entropy_with_logits(labels=z, logits=x),
         [U((2, 3), 146, 0.0, 1.0), N((2, 3), 147, 3.0)]),
    Case("sigmoid_xent_large",
         lambda z, x: tf.nn.sigmoid_cross_entropy_with_logits(labels=z, logits=x),
         [A([[0.0, 1.0, 0.5], [1.0, 0.0, 0.25]]), A([[100.0, -100.0, 50.0], [-80.0, 90.0, 0.0]])]),
    Case("softmax_xent", lambda z, x: tf.nn.softmax_cross_entropy_with_logits(labels=z, logits=x),
         [A([[0.1, 0.6, 0.3], [0.0, 0.0, 1.0]]), N((2, 3), 148)]),
    Case("softmax_xent_large",
         lambda z, x: tf.nn.softmax_cross_entropy_with_logits(labels=z, logits=x),
         [A([[0.2, 0.3, 0.5], [0.0, 1.0, 0.0]]),
          A([[100.0, -100.0, 50.0], [1000.0, 0.0, -1000.0]])]),
    Case("softmax_xent_axis0",
         lambda z, x: tf.nn.softmax_cross_entropy_with_logits(labels=z, logits=x, axis=0),
         [A([[0.5, 0.0], [0.25, 1.0], [0.25, 0.0]]), N((3, 2), 149)]),
    Case("sparse_xent",
         lambda i, x: tf.nn.sparse_softmax_cross_entropy_with_logits(labels=i, logits=x),
         [A([2, 0], "int32"), N((2, 3), 150)]),
    Case("sparse_xent_large",
         lambda i, x: tf.nn.sparse_softmax_cross_entropy_with_logits(labels=i, logits=x),
         [A([1, 2], "int32"), A([[100.0, -100.0, 50.0], [1000.0, 0.0, -1000.0]])]),
    Case("bias_add", lambda x, b: tf.nn.bias_add(x, b), [N((2, 3, 4), 151), N((4,), 152)]),
    Case("l2_loss", lambda x: tf.nn.l2_loss(x), [N((2, 3), 153)]),
    Case("moments", lambda x: tf.nn.moments(x, axes=[0]), [N((4, 3), 154)]),
    Case("moments_keepdims", lambda x: tf.nn.moments(x, axes=[0, 1, 2], keepdims=True),
         [N((2, 3, 3, 2), 155)]),
    Case("l2_normalize", lambda x: (tf.nn.l2_normalize(x, axis=1), tf.nn.l2_normalize(x)),
         [N((2, 3), 156)]),
    Case("l2_normalize_zero_row", lambda x: tf.nn.l2_normalize(x, axis=1),
         [A([[0.0, 0.0, 0.0], [1.0, 2.0, -2.0]])]),
    Case("batch_normalization",
         lambda x, m, v, b, s: tf.nn.batch_normalization(x, m, v, b, s, 1e-3),
         [N((2, 3, 4), 157), N((4,), 158), U((4,), 159, 0.5, 2.0), N((4,), 160), N((4,), 161)]),
    Case("conv2d_same_s1", lambda x, w: tf.nn.conv2d(x, w, 1, "SAME"),
         [N((1, 4, 4, 2), 170), N((3, 3, 2, 2), 171)]),
    Case("conv2d_valid_s2", lambda x, w: tf.nn.conv2d(x, w, 2, "VALID"),
         [N((1, 5, 5, 1), 172), N((3, 3, 1, 3), 173)]),
    Case("conv2d_same_s2_even", lambda x, w: tf.nn.conv2d(x, w, [1, 2, 2, 1], "SAME"),
         [N((2, 4, 4, 1), 174), N((3, 3, 1, 2), 175)]),
    Case("conv2d_same_even_kernel", lambda x, w: tf.nn.conv2d(x, w, 1, "SAME"),
         [N((1, 5, 5, 1), 176), N((2, 2, 1, 2), 177)]),
    Case("conv2d_dilated_same", lambda x, w: tf.nn.conv2d(x, w, 1, "SAME", dilations=2),
         [N((1, 5, 5, 1), 178), N((3, 3, 1, 2), 179)],
         # TF's CPU Conv2DBackpropInput has no dilations: TF's numbers via space-to-batch
         tf_fn=lambda x, w: tf.nn.convolution(x, w, padding="SAME", dilations=2)),
    Case("conv2d_rect_strides_valid", lambda x, w: tf.nn.conv2d(x, w, [1, 2, 1, 1], "VALID"),
         [N((1, 5, 4, 1), 180), N((2, 3, 1, 2), 181)]),
    Case("max_pool_same_k3_s2", lambda x: tf.nn.max_pool2d(x, 3, 2, "SAME"),
         [N((1, 5, 5, 1), 182)]),
    Case("max_pool_valid_k2_s2", lambda x: tf.nn.max_pool2d(x, 2, 2, "VALID"),
         [N((1, 5, 5, 1), 183)]),
    Case("max_pool_same_even_input", lambda x: tf.nn.max_pool2d(x, 3, 2, "SAME"),
         [N((1, 6, 6, 1), 184)]),
    Case("max_pool_ties", lambda x: tf.nn.max_pool2d(x, 2, 1, "VALID"),
         [A([1.0, 2.0, 2.0, 0.0, 2.0, 1.0, 2.0, 3.0, 0.0, 2.0, 3.0, 3.0, 1.0, 1.0, 0.0, 3.0])
          .reshape(1, 4, 4, 1)]),
    Case("avg_pool_same_k3_s2", lambda x: tf.nn.avg_pool2d(x, 3, 2, "SAME"),
         [N((1, 5, 5, 1), 185)]),
    Case("avg_pool_valid_k2_s1", lambda x: tf.nn.avg_pool2d(x, 2, 1, "VALID"),
         [N((1, 4, 4, 1), 186)]),
    Case("avg_pool_same_k3_s1", lambda x: tf.nn.avg_pool2d(x, [3, 2], 1, "SAME"),
         [N((1, 4, 4, 1), 187)]),

    # -- linalg -------------------------------------------------------------------------------
    Case("eigh", eigh_sign_free, [SPD((3, 3), 200)]),
    Case("eigh_batched", eigh_sign_free, [SPD((2, 3, 3), 201)]),
    Case("eigvalsh", lambda a: tf.linalg.eigvalsh(a), [SPD((3, 3), 202)]),
    Case("cholesky", lambda a: tf.linalg.cholesky(a), [SPD((3, 3), 203)]),
    Case("inv", lambda a: tf.linalg.inv(a), [WELL((3, 3), 204)]),
    Case("inv_batched_adjoint", lambda a: tf.linalg.inv(a, adjoint=True), [WELL((2, 3, 3), 205)]),
    Case("det", lambda a: tf.linalg.det(a), [WELL((3, 3), 206)]),
    Case("det_batched", lambda a: tf.linalg.det(a), [N((2, 2, 2), 207)]),
    Case("det_float64", lambda a: tf.linalg.det(a), [WELL((3, 3), 208, dtype="float64")]),
    Case("slogdet", lambda a: tf.linalg.slogdet(a), [N((3, 3), 209)]),
    Case("logdet", lambda a: tf.linalg.logdet(a), [SPD((3, 3), 210)]),
    Case("solve", lambda a, b: tf.linalg.solve(a, b), [WELL((3, 3), 211), N((3, 2), 212)]),
    Case("solve_adjoint_batched", lambda a, b: tf.linalg.solve(a, b, adjoint=True),
         [WELL((2, 3, 3), 213), N((2, 3, 1), 214)]),
    Case("triangular_solve_lower", lambda a, b: tf.linalg.triangular_solve(a, b),
         [WELL((3, 3), 215), N((3, 2), 216)]),
    Case("triangular_solve_upper_adjoint",
         lambda a, b: tf.linalg.triangular_solve(a, b, lower=False, adjoint=True),
         [WELL((3, 3), 217), N((3, 2), 218)]),
    Case("cholesky_solve", lambda a, b: tf.linalg.cholesky_solve(tf.linalg.cholesky(a), b),
         [SPD((3, 3), 219), N((3, 2), 220)]),
    Case("svd_values_tall", lambda a: tf.linalg.svd(a, compute_uv=False), [N((3, 2), 221)]),
    Case("svd_values_wide_batched", lambda a: tf.linalg.svd(a, compute_uv=False),
         [N((2, 2, 4), 222)]),
    Case("svd_sign_free", svd_sign_free, [N((4, 3), 223)]),
    Case("qr_tall", qr_sign_free, [N((4, 3), 224)]),
    Case("qr_square", qr_sign_free, [N((3, 3), 225)]),
    Case("trace_diag_part", lambda a: (tf.linalg.trace(a), tf.linalg.diag_part(a)),
         [N((2, 3, 3), 226)]),
    Case("diag", lambda d: tf.linalg.diag(d), [N((2, 3), 227)]),
    Case("matrix_transpose_band_part",
         lambda a: (tf.linalg.matrix_transpose(a), tf.linalg.band_part(a, 1, 0)),
         [N((2, 2, 3), 228)]),
    Case("set_diag", lambda a, d: tf.linalg.set_diag(a, d), [N((3, 3), 229), N((3,), 230)]),
    Case("matvec", lambda a, b: tf.linalg.matvec(a, b), [N((2, 3), 231), N((3,), 232)]),
    Case("norm_euclidean_all", lambda x: tf.norm(x), [N((2, 3), 240)]),
    Case("norm_ord1_axis1", lambda x: tf.norm(x, ord=1, axis=1), [N((2, 3), 241)]),
    Case("norm_inf_axis0", lambda x: tf.norm(x, ord=np.inf, axis=0), [N((3, 2), 242)]),
    Case("norm_ord3_keepdims", lambda x: tf.norm(x, ord=3, axis=-1, keepdims=True),
         [N((2, 3), 243)]),
    Case("norm_fro", lambda x: tf.norm(x, ord="fro", axis=[-2, -1]), [N((2, 2, 3), 244)]),
    Case("norm_matrix_1_inf", lambda x: (tf.norm(x, ord=1, axis=[-2, -1]),
                                         tf.norm(x, ord=np.inf, axis=[-2, -1])), [N((3, 3), 245)]),
    Case("norm_matrix_2", lambda x: tf.linalg.norm(x, ord=2, axis=[0, 1]), [N((3, 2), 246)]),

    # -- edges: zeros, infinities, empty tensors, Python scalars, float16 -----------------------
    Case("sqrt_log_at_zero", lambda x: (tf.sqrt(x), tf.math.log(x)), [A([0.0, 1.0, 4.0])]),
    Case("reflected_operators", lambda x: (1.0 - x, 2.0 / x, 2.0 ** x, 3 * x, x // 2.0, x % 1.5,
                                           tf.add(x, 1), x / 2),
         [U((2, 3), 300, 0.5, 3.0)]),
    Case("where_scalar_branch", lambda c, x: tf.where(c, x, 0.0),
         [A([[True, False], [False, True]], "bool"), N((2, 2), 301)]),
    Case("reduce_empty", lambda x: (tf.reduce_sum(x, axis=0), tf.reduce_max(x, axis=0),
                                    tf.reduce_min(x, axis=1), tf.reduce_mean(x, axis=0),
                                    tf.reduce_logsumexp(x, axis=0)), [N((0, 3), 302)]),
    Case("reduce_prod_empty", lambda x: tf.reduce_prod(x, axis=0), [N((0, 3), 302)]),
    Case("reduce_logsumexp_minus_inf", lambda x: tf.reduce_logsumexp(x, axis=1),
         [A([[-inf, 0.0, 1.0], [2.0, -inf, 2.0]])]),
    Case("softmax_masked", lambda x: (tf.nn.softmax(x), tf.nn.log_softmax(x)[:, 1:]),
         [A([[-inf, 0.0, 1.0], [2.0, 3.0, -1.0]])]),
    Case("clip_by_norm_zero_row", lambda x: tf.clip_by_norm(x, 1.0, axes=[1]),
         [A([[0.0, 0.0], [3.0, 4.0]])]),
    Case("int_unary_reductions", lambda a: (tf.abs(a), tf.sign(a), tf.square(a), tf.negative(a),
                                            tf.reduce_prod(a), tf.cumsum(a), tf.argmax(a),
                                            tf.reduce_max(a)), [A([-3, 0, 2, 2], "int32")]),
    Case("float16", lambda x, y: (x + y, x * y, tf.reduce_sum(x), tf.nn.softmax(x),
                                  tf.sigmoid(x), tf.matmul(x, y, transpose_b=True)),
         [N((2, 3), 303, dtype="float16"), N((2, 3), 304, dtype="float16")],
         tol=(2e-3, 2e-3)),   # half precision: TF's float16 sum rounds after every addition
                              # (-0.9072), janusgrad's rounds once (-0.9062, the exact sum)
    Case("gather_nd_batch_dims", lambda x, i: tf.gather_nd(x, i, batch_dims=1),
         [N((2, 3, 2), 305), A([[1], [2]], "int32")]),
    Case("tensordot_axes2", lambda a, b: tf.tensordot(a, b, 2),
         [N((2, 3, 4), 306), N((3, 4, 2), 307)]),
    Case("einsum_ellipsis_broadcast", lambda a, b: tf.einsum("...ij,jk->...ik", a, b),
         [N((2, 2, 3), 308), N((3, 2), 309)]),
    Case("batch_normalization_no_affine",
         lambda x, m, v: tf.nn.batch_normalization(x, m, v, None, None, 1e-3),
         [N((3, 2), 310), N((2,), 311), U((2,), 312, 0.5, 2.0)]),
    Case("avg_pool_window_over_input", lambda x: tf.nn.avg_pool2d(x, 3, 1, "SAME"),
         [N((1, 2, 2, 1), 313)]),
    Case("max_pool_window_over_input", lambda x: tf.nn.max_pool2d(x, 3, 2, "SAME"),
         [N((1, 2, 3, 2), 314)]),

    Case("nan_propagation", lambda x, y: (tf.maximum(x, y), tf.minimum(x, y), tf.nn.relu(x),
                                          tf.nn.relu6(x)),
         [A([nan, 2.0, -3.0, 0.5]), A([1.0, nan, 0.0, 0.25])]),
    Case("clip_by_value_nan", lambda x: tf.clip_by_value(x, -1.0, 1.0),
         [A([nan, 2.0, -3.0, 0.5])]),
    Case("reduce_max_min_nan", lambda x: (tf.reduce_max(x, axis=1), tf.reduce_min(x, axis=1)),
         [A([[1.0, nan, 3.0], [nan, 2.0, 0.0], [4.0, 5.0, 6.0]])]),
    Case("int_division_dtypes", lambda a, b, c: (tf.divide(a, b), tf.math.truediv(c, c),
                                                 tf.divide(a, 2), a / b, a // b, a % b),
         [A([-7, 7, 9], "int32"), A([2, -2, 4], "int32"), A([3, -5, 7], "int16")]),
    Case("int_pow_matmul", lambda a, b: (tf.pow(a, 3), tf.matmul(tf.reshape(a, [1, 3]),
                                                                  tf.reshape(b, [3, 1]))),
         [A([-2, 3, 4], "int32"), A([1, -1, 2], "int32")]),
    Case("float64_keeps_dtype", lambda x: (x + 1.0, 2.0 * x, tf.nn.softmax(x), tf.sigmoid(x),
                                           tf.reduce_logsumexp(x), tf.nn.gelu(x),
                                           tf.math.erf(x), tf.round(x * 3.0)),
         [N((2, 3), 340, dtype="float64")]),
    Case("leaky_relu_alpha_above_one", lambda x: tf.nn.leaky_relu(x, alpha=2.0),
         [A([-2.0, -0.5, 0.5, 3.0])]),
    Case("silu_beta", lambda x: tf.nn.silu(x, beta=2.0), [N((4,), 341)]),
    Case("l2_normalize_large_epsilon", lambda x: tf.nn.l2_normalize(x, axis=-1, epsilon=1.0),
         [A([[0.3, 0.4], [3.0, 4.0]])]),
    Case("where_numeric_condition", lambda x: (tf.where(x), tf.where(x > 0.5)),
         [A([[0.0, 1.0, 0.0], [2.0, 0.0, 0.5]])]),
    Case("reduce_axis_tensor", lambda x, a: (tf.reduce_sum(x, axis=a), tf.reduce_max(x, axis=a)),
         [N((2, 3), 342), A(1, "int32")]),
    Case("cumsum_axis_tensor", lambda x, a: tf.cumsum(x, axis=a), [N((2, 3), 342), A(1, "int32")]),
    Case("reduce_axis_empty_list", lambda x: (tf.reduce_sum(x, axis=[]), tf.reduce_max(x, axis=[])),
         [N((2, 2), 343)]),
    Case("reshape_from_shapes", lambda x, y: (tf.reshape(x, [tf.shape(x)[0], -1]),
                                              tf.reshape(x, tf.shape(y)), tf.size(x)),
         [N((2, 3, 2), 344), N((3, 4), 345)]),
    Case("reshape_shape_input", lambda x, s: tf.reshape(x, s),
         [N((2, 3), 346), A([3, 2], "int32")]),
    Case("tile_pad_tensor_args", lambda x, m, p: (tf.tile(x, m), tf.pad(x, p)),
         [N((2, 2), 347), A([1, 2], "int32"), A([[1, 0], [0, 2]], "int32")]),
    Case("getitem_tensor_index", lambda x, i: (x[i], x[i:], x[:, i]),
         [N((3, 3), 348), A(1, "int32")]),
    Case("getitem_more", lambda x: (x[:, None], x[..., 1], x[1, ...], x[::-1, ::-2], x[-2:-1],
                                    x[5:10], x[1:100]), [N((3, 4), 349)]),
    Case("gather_int64_negative_axis", lambda x, i: tf.gather(x, i, axis=-1),
         [N((2, 3), 350), A([2, 0], "int64")]),
    Case("boolean_mask_3d_2d_mask", lambda x, m: tf.boolean_mask(x, m),
         [N((2, 3, 2), 351), A([[True, False, True], [False, False, True]], "bool")]),
    Case("pad_reflect_3d", lambda x: tf.pad(x, [[0, 0], [1, 2], [1, 1]], mode="REFLECT"),
         [N((1, 3, 2), 352)]),
    Case("stack_unstack_negative_axis", lambda a, b: (tf.stack([a, b], axis=-1),
                                                      tf.unstack(a, axis=-1)),
         [N((2, 2), 353), N((2, 2), 354)]),
    Case("scalars_and_broadcast_to", lambda s: (tf.broadcast_to(s, [2, 3]), tf.expand_dims(s, 0),
                                                tf.stack([s, 2.0 * s])), [A(1.5)]),
    Case("reverse_negative_axis_slice_tensor", lambda x, b: (tf.reverse(x, [-1]),
                                                             tf.slice(x, b, [1, 2])),
         [N((2, 3), 355), A([1, 1], "int32")]),
    Case("eigh_reads_lower_triangle", lambda a: tf.linalg.eigvalsh(a), [WELL((3, 3), 356)]),
    Case("cholesky_reads_lower_triangle",
         lambda a, n: tf.linalg.cholesky(a + n - tf.linalg.band_part(n, -1, 0)),
         [SPD((3, 3), 357), N((3, 3), 358)]),
    Case("qr_wide", qr_sign_free, [N((2, 3), 359)]),
    Case("svd_values_float64", lambda a: tf.linalg.svd(a, compute_uv=False),
         [N((3, 3), 360, dtype="float64")]),
    Case("inv_float64", lambda a: tf.linalg.inv(a), [WELL((3, 3), 361, dtype="float64")]),
    Case("triangular_solve_broadcast_batch", lambda a, b: tf.linalg.triangular_solve(a, b),
         [WELL((3, 3), 362), N((2, 3, 2), 363)]),
    Case("matvec_transpose_a", lambda a, b: tf.linalg.matvec(a, b, transpose_a=True),
         [N((3, 2), 364), N((3,), 365)]),
    Case("norm_matrix_euclidean_keepdims",
         lambda x: tf.norm(x, axis=[-2, -1], keepdims=True), [N((2, 2, 3), 366)]),
    Case("conv2d_explicit_padding",
         lambda x, w: tf.nn.conv2d(x, w, 2, [[0, 0], [1, 2], [0, 1], [0, 0]]),
         [N((1, 5, 4, 2), 367), N((3, 2, 2, 2), 368)]),
    Case("conv2d_float64", lambda x, w: tf.nn.conv2d(x, w, 1, "VALID"),
         [N((1, 4, 4, 1), 369, dtype="float64"), N((2, 2, 1, 2), 370, dtype="float64")]),
    Case("max_pool_rect", lambda x: tf.nn.max_pool2d(x, [2, 3], [1, 2], "SAME"),
         [N((2, 4, 5, 1), 371)]),
    Case("avg_pool_float64", lambda x: tf.nn.avg_pool2d(x, 2, 2, "SAME"),
         [N((1, 3, 3, 2), 372, dtype="float64")]),
    Case("softmax_rank3_axis1", lambda x: (tf.nn.softmax(x, axis=1), tf.nn.log_softmax(x, axis=0)),
         [N((2, 3, 2), 373)]),
    Case("sparse_xent_rank2_int64",
         lambda i, x: tf.nn.sparse_softmax_cross_entropy_with_logits(labels=i, logits=x),
         [A([[0, 2], [1, 1]], "int64"), N((2, 2, 3), 374)]),
    Case("softmax_xent_rank3",
         lambda z, x: tf.nn.softmax_cross_entropy_with_logits(labels=z, logits=x),
         [U((2, 2, 3), 375, 0.0, 1.0), N((2, 2, 3), 376)]),
    Case("bias_add_nchw", lambda x, b: tf.nn.bias_add(x, b, data_format="NCHW"),
         [N((2, 3, 2, 2), 377), N((3,), 378)]),
    Case("moments_rank3_keepdims", lambda x: tf.nn.moments(x, axes=[1], keepdims=True),
         [N((2, 4, 3), 379)]),

    # -- second order: the case returns a first gradient (inner tape) -------------------------
    Case("d2_unary", grad_of(lambda x: tf.tanh(x) + tf.sigmoid(x) + tf.exp(x) * tf.sin(x)
                             + tf.math.log(x) + tf.sqrt(x) + tf.math.reciprocal(x)
                             + tf.math.softplus(x) + tf.math.erf(x) + tf.pow(x, 2.5)),
         [U((5,), 320, 0.5, 2.0)]),
    Case("d2_activations", grad_of(lambda x: tf.nn.elu(x) * x + tf.nn.selu(x) * x
                                   + tf.nn.relu(x) * x + tf.nn.gelu(x) + tf.nn.silu(x)
                                   + tf.nn.leaky_relu(x) * x + tf.nn.relu6(x) * x),
         [A([-2.0, -0.5, 0.5, 3.0, 7.0])]),
    Case("d2_binary", grad_of(lambda x, y: x * y * y + x / y + tf.pow(x, y)
                              + tf.maximum(x, y) * x + tf.math.squared_difference(x, y)),
         [U((2, 3), 321, 0.5, 2.0), U((3,), 322, 0.5, 2.0)]),
    Case("d2_softmax_family", grad_of(lambda x: tf.nn.softmax(x) * tf.range(3.0)
                                      + tf.nn.log_softmax(x) * x
                                      + tf.reduce_logsumexp(x * x, axis=1, keepdims=True)),
         [N((2, 3), 323)]),
    Case("d2_cross_entropies",   # labels fixed: TF's 2nd-order labels gradient of the softmax
         grad_of(lambda x: tf.nn.softmax_cross_entropy_with_logits(   # xent misses a term
             labels=[[0.1, 0.6, 0.3], [0.5, 0.0, 0.5]], logits=x * x)
             + tf.reduce_sum(tf.nn.sigmoid_cross_entropy_with_logits(
                 labels=[[0.1, 0.6, 0.3], [0.5, 0.0, 0.5]], logits=x * x), axis=1)),
         [N((2, 3), 324)]),
    Case("d2_sigmoid_xent_labels",
         grad_of(lambda z, x: tf.nn.sigmoid_cross_entropy_with_logits(labels=z, logits=x * x)),
         [A([[0.1, 0.6, 0.3], [0.5, 0.0, 0.5]]), N((2, 3), 333)]),
    Case("d2_sparse_xent",
         lambda x: grad_of(lambda x: tf.nn.sparse_softmax_cross_entropy_with_logits(
             labels=[2, 0], logits=x * x))(x), [N((2, 3), 325)]),
    Case("d2_reductions", grad_of(lambda x: tf.reduce_prod(x, axis=1, keepdims=True)
                                  * tf.reduce_sum(x * x)
                                  + tf.cumsum(x * x, axis=1, exclusive=True)
                                  + tf.reduce_max(x * x, axis=0)),
         [U((2, 3), 326, 0.5, 1.5)]),
    Case("d2_matmul_conv",
         grad_of(lambda x, w: tf.square(tf.nn.conv2d(x, w, 1, "SAME"))
                 + tf.square(tf.matmul(tf.reshape(x, [4, 4]), tf.reshape(w, [4, 1])))[0, 0]),
         [N((1, 4, 4, 1), 327), N((2, 2, 1, 1), 328)]),
    Case("d2_pools", grad_of(lambda x: tf.square(tf.nn.max_pool2d(x * x, 2, 1, "VALID"))
                             + tf.square(tf.nn.avg_pool2d(x * x, 2, 2, "SAME"))[:, :1, :1]),
         [N((1, 4, 4, 1), 329)]),
    Case("d2_shape_ops", grad_of(lambda x: tf.square(tf.gather(x, [1, 1, 0]))
                                 + tf.pad(x * x, [[0, 0], [1, 0]], mode="REFLECT")[:, :3]
                                 + tf.tile(tf.square(x), [1, 1])),
         [N((3, 3), 330)]),
    Case("d2_linalg", grad_of(lambda a: tf.linalg.det(a) + tf.reduce_sum(tf.linalg.inv(a))
                              + tf.linalg.logdet(a) + tf.reduce_sum(tf.linalg.cholesky(a))
                              + tf.reduce_sum(tf.linalg.eigvalsh(a) ** 2)),
         [SPD((3, 3), 331)]),
    Case("d2_norms", grad_of(lambda x: tf.norm(x) + tf.nn.l2_normalize(x, axis=1)
                             + tf.reduce_sum(tf.clip_by_norm(x, 1.0))),
         [N((2, 3), 332)]),
]
