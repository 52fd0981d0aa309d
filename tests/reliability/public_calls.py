"""A valid call of every public op function (tf.*, tf.math, tf.nn, tf.linalg, tf.random,
tf.debugging), for the bad-input tests to break one argument at a time.

Each entry: public name -> Call(args, kwargs). NumPy arrays among the args are the tensor
inputs (made constants or placeholders by the test); everything else is passed as is.
`axes` names keyword arguments that are axes (the tests try out-of-range and mistyped ones).
"""
from dataclasses import dataclass, field

import numpy as np

R = np.random.default_rng(7)


def f(*shape, lo=0.5, hi=1.5):
    return R.uniform(lo, hi, shape).astype(np.float32)


def i(*shape, hi=3):
    return R.integers(0, hi, shape).astype(np.int32)


def b(*shape):
    return R.integers(0, 2, shape).astype(bool)


def spd(n=3):
    a = R.standard_normal((n, n))
    return (a @ a.T + n * np.eye(n)).astype(np.float32)


def lower(n=3):
    return np.tril(spd(n)).astype(np.float32)


@dataclass
class Call:
    args: list
    kwargs: dict = field(default_factory=dict)
    axes: tuple = ()            # keyword arguments that are axes
    names: tuple = ()           # other words an error message may use for this function


def unary(**kw):
    return Call([f(2, 3)], **kw)


def binary(**kw):
    return Call([f(2, 3), f(2, 3)], **kw)


def _double(row):
    return row * 2


def _running_sum(acc, x):
    return acc + x


def reduction(make=f):
    return Call([make(2, 3)], {"axis": 1}, axes=("axis",))


CALLS = {
    # -- elementwise ---------------------------------------------------------------------------
    **{n: unary() for n in [
        "abs", "cos", "exp", "floor", "negative", "round", "sigmoid", "sign", "sin", "sqrt",
        "square", "tan", "tanh", "identity", "stop_gradient", "zeros_like", "ones_like",
        "math.ceil", "math.erf", "math.expm1", "math.is_finite", "math.is_inf", "math.is_nan",
        "math.log", "math.log1p", "math.reciprocal", "math.rsqrt", "math.softplus",
        "nn.elu", "nn.gelu", "nn.relu", "nn.relu6", "nn.selu", "nn.silu", "nn.swish",
        "nn.leaky_relu", "nn.l2_loss", "shape", "size", "rank", "random.shuffle"]},
    **{n: binary() for n in [
        "add", "subtract", "multiply", "divide", "truediv", "realdiv", "maximum", "minimum",
        "pow", "equal", "not_equal", "greater", "greater_equal", "less", "less_equal",
        "math.divide_no_nan", "math.floordiv", "math.floormod", "math.squared_difference"]},
    "assert_equal": Call([f(2, 3)] * 2),
    "assert_less": Call([f(2, 3), f(2, 3, lo=2, hi=3)]),
    "assert_greater": Call([f(2, 3, lo=2, hi=3), f(2, 3)]),
    "debugging.assert_greater_equal": Call([f(2, 3, lo=2, hi=3), f(2, 3)]),
    "debugging.assert_less_equal": Call([f(2, 3), f(2, 3, lo=2, hi=3)]),
    "debugging.assert_none_equal": Call([f(2, 3), f(2, 3, lo=2, hi=3)]),
    "debugging.check_numerics": Call([f(2, 3), "msg"]),
    "Assert": Call([np.array(True), ["x is", f(2)]]),
    "logical_and": Call([b(2, 3), b(2, 3)]),
    "logical_or": Call([b(2, 3), b(2, 3)]),
    "math.logical_xor": Call([b(2, 3), b(2, 3)]),
    "logical_not": Call([b(2, 3)]),
    "scalar_mul": Call([2.0, f(2, 3)]),
    "cast": Call([f(2, 3), "int32"]),
    "clip_by_value": Call([f(2, 3), np.float32(0.7), np.float32(1.2)]),
    "clip_by_norm": Call([f(2, 3), 1.0], {"axes": [1]}, axes=("axes",)),
    "clip_by_global_norm": Call([[f(2, 3), f(3)], 1.0]),
    "add_n": Call([[f(2, 3), f(2, 3), f(2, 3)]]),
    "where": Call([b(2, 3), f(2, 3), f(2, 3)]),
    # -- reductions ----------------------------------------------------------------------------
    **{n: reduction() for n in [
        "reduce_sum", "reduce_mean", "reduce_max", "reduce_min", "reduce_prod",
        "reduce_logsumexp", "argmax", "argmin", "cumsum", "nn.softmax", "nn.log_softmax",
        "nn.l2_normalize"]},
    "reduce_all": reduction(b),
    "reduce_any": reduction(b),
    "norm": Call([f(2, 3)], {"axis": 1}, axes=("axis",)),
    "nn.moments": Call([f(2, 3), [0]]),
    # -- shapes --------------------------------------------------------------------------------
    "reshape": Call([f(2, 3), [3, 2]]),
    "transpose": Call([f(2, 3)], {"perm": [1, 0]}),
    "expand_dims": Call([f(2, 3), 1]),
    "squeeze": Call([f(2, 1, 3)], {"axis": 1}, axes=("axis",)),
    "concat": Call([[f(2, 3), f(2, 3)], 0]),
    "stack": Call([[f(2, 3), f(2, 3)]], {"axis": 0}, axes=("axis",)),
    "unstack": Call([f(2, 3)], {"axis": 1}, axes=("axis",)),
    "split": Call([f(2, 4), 2], {"axis": 1}, axes=("axis",)),
    "tile": Call([f(2, 3), [2, 1]]),
    "pad": Call([f(2, 3), [[1, 0], [0, 2]]]),
    "reverse": Call([f(2, 3), [1]]),
    "slice": Call([f(3, 4), [1, 0], [2, 3]]),
    "broadcast_to": Call([f(3), [2, 3]]),
    "gather": Call([f(4, 3), np.array([0, 3, 1], np.int32)], {"axis": 0}, axes=("axis",)),
    "gather_nd": Call([f(4, 3), np.array([[0, 1], [3, 2]], np.int32)]),
    "boolean_mask": Call([f(2, 3), b(2, 3)]),
    "one_hot": Call([i(4), 3]),
    "scatter_nd": Call([np.array([[0], [2]], np.int32), f(2, 3), [4, 3]]),
    "nn.embedding_lookup": Call([f(5, 3), np.array([0, 4], np.int32)]),
    "fill": Call([[2, 3], np.float32(1.5)]),
    "zeros": Call([[2, 3]]),
    "ones": Call([[2, 3]]),
    "eye": Call([3]),
    "range": Call([0, 5]),
    "linspace": Call([np.float32(0.0), np.float32(1.0), 5]),
    "identity_n": Call([[f(2), f(3)]]),
    "constant": Call([[1.0, 2.0]]),
    "convert_to_tensor": Call([[1.0, 2.0]]),
    # -- products and linear algebra -----------------------------------------------------------
    "matmul": Call([f(2, 3), f(3, 4)]),
    "tensordot": Call([f(2, 3), f(3, 4), 1]),
    "einsum": Call(["ij,jk->ik", f(2, 3), f(3, 4)]),
    "linalg.matvec": Call([f(2, 3), f(3)]),
    "linalg.adjoint": Call([f(2, 3)]),
    "linalg.matrix_transpose": Call([f(2, 3)]),
    "linalg.band_part": Call([f(3, 3), 1, 0]),
    "linalg.cholesky": Call([spd()]),
    "linalg.cholesky_solve": Call([lower(), f(3, 2)]),
    "linalg.det": Call([spd()]),
    "linalg.logdet": Call([spd()]),
    "linalg.slogdet": Call([spd()]),
    "linalg.inv": Call([spd()]),
    "linalg.eigh": Call([spd()]),
    "linalg.eigvalsh": Call([spd()]),
    "linalg.qr": Call([f(3, 2)]),
    "linalg.svd": Call([f(3, 2)]),
    "linalg.solve": Call([spd(), f(3, 2)]),
    "linalg.triangular_solve": Call([lower(), f(3, 2)]),
    "linalg.trace": Call([f(3, 3)]),
    "linalg.diag": Call([f(3)]),
    "linalg.diag_part": Call([f(3, 3)]),
    "linalg.set_diag": Call([f(3, 3), f(3)]),
    # -- nn ------------------------------------------------------------------------------------
    "nn.bias_add": Call([f(2, 3), f(3)]),
    "nn.conv2d": Call([f(1, 5, 5, 2), f(2, 2, 2, 3), 1, "VALID"], names=("Conv2D",)),
    "nn.conv2d_transpose": Call([f(1, 4, 4, 3), f(2, 2, 2, 3), [1, 5, 5, 2], 1, "VALID"]),
    "nn.max_pool2d": Call([f(1, 4, 4, 2), 2, 2, "VALID"], names=("MaxPool",)),
    "nn.max_pool": Call([f(1, 4, 4, 2), 2, 2, "VALID"], names=("MaxPool",)),
    "nn.avg_pool2d": Call([f(1, 4, 4, 2), 2, 2, "VALID"], names=("AvgPool",)),
    "nn.avg_pool": Call([f(1, 4, 4, 2), 2, 2, "VALID"], names=("AvgPool",)),
    "nn.batch_normalization": Call([f(2, 3), f(3), f(3), f(3), f(3), 1e-3]),
    "nn.dropout": Call([f(2, 3), 0.5]),
    "nn.sigmoid_cross_entropy_with_logits": Call([], {"labels": f(2, 3, lo=0, hi=1),
                                                      "logits": f(2, 3)}),
    "nn.softmax_cross_entropy_with_logits": Call([f(2, 3, lo=0, hi=1), f(2, 3)]),
    "nn.sparse_softmax_cross_entropy_with_logits": Call([i(2), f(2, 3)]),
    # -- random --------------------------------------------------------------------------------
    "random.uniform": Call([[2, 3]]),
    "random.normal": Call([[2, 3]]),
    "random.truncated_normal": Call([[2, 3]]),
    "random.categorical": Call([f(2, 3), 4]),
    # -- map_fn, vectorized_map (runtime/map_fn.py): fn on each row ---------------------------
    "map_fn": Call([_double, f(2, 3)], names=("MapFn",)),
    "vectorized_map": Call([_double, f(2, 3)], names=("MapFn",)),
    # -- tf.compat.v1.losses (issue 18, TF1 layers and losses): labels first, then predictions
    **{"compat.v1.losses." + n: Call([f(2, 3, lo=0, hi=1), f(2, 3, lo=0.1, hi=0.9)])
       for n in ["absolute_difference", "mean_squared_error", "huber_loss", "log_loss",
                 "hinge_loss", "sigmoid_cross_entropy", "softmax_cross_entropy"]},
    "compat.v1.losses.sparse_softmax_cross_entropy": Call([i(2), f(2, 3)]),
    "compat.v1.losses.compute_weighted_loss": Call([f(2, 3)], {"weights": f(2, 3)}),
    # -- issue 18 (the gaps the TF programs found) ----------------------------------------------
    "linalg.global_norm": Call([[f(2, 3), f(3)]]),
    "sort": Call([f(2, 3)], {"axis": -1}, axes=("axis",), names=("TopKV2",)),
    "argsort": Call([f(2, 3)], {"axis": -1}, axes=("axis",), names=("TopKV2",)),
    "math.top_k": Call([f(2, 3)], {"k": 2}, names=("TopKV2",)),
    "nn.top_k": Call([f(2, 3)], {"k": 2}, names=("TopKV2",)),
    "scan": Call([_running_sum, f(2, 3)]),
    "nn.compute_average_loss": Call([f(4)], {"global_batch_size": 8}),
    "nn.scale_regularization_loss": Call([f()]),
    # -- IndexedSlices (issue 19): the op that densifies them ---------------------------------
    "math.unsorted_segment_sum": Call([f(4, 3), np.array([0, 2, 0, 1], np.int32), 3]),
    "unique": Call([np.array([3, 1, 3, 2], np.int32)]),
    # -- tensor functions real programs use (issue 18) ---------------------------------------
    "repeat": Call([f(3, 2), np.array([1, 2, 0], np.int32)], {"axis": 0},
                   names=("Repeat", "RepeatIndices", "GatherV2")),
    "sequence_mask": Call([np.array([1, 3, 2], np.int32)], {"maxlen": 4}),
    "tensor_scatter_nd_add": Call([f(4, 2), np.array([[1], [3]], np.int32), f(2, 2)],
                                  names=("TensorScatterAdd", "ScatterNd")),
    "tensor_scatter_nd_sub": Call([f(4, 2), np.array([[1], [3]], np.int32), f(2, 2)],
                                  names=("TensorScatterSub", "ScatterNd")),
    "tensor_scatter_nd_update": Call([f(4, 2), np.array([[1], [3]], np.int32), f(2, 2)],
                                     names=("TensorScatterUpdate", "ScatterNd")),
    "tensor_scatter_nd_max": Call([f(4, 2), np.array([[1], [3]], np.int32), f(2, 2)],
                                  names=("TensorScatterMax",)),
    "tensor_scatter_nd_min": Call([f(4, 2), np.array([[1], [3]], np.int32), f(2, 2)],
                                  names=("TensorScatterMin",)),
    "math.unsorted_segment_max": Call([f(4, 3), np.array([0, 2, 0, 1], np.int32), 3]),
    "math.unsorted_segment_min": Call([f(4, 3), np.array([0, 2, 0, 1], np.int32), 3]),
    "math.unsorted_segment_prod": Call([f(4, 3), np.array([0, 2, 0, 1], np.int32), 3]),
    "math.unsorted_segment_mean": Call([f(4, 3), np.array([0, 2, 0, 1], np.int32), 3],
                                       names=("UnsortedSegmentMean", "UnsortedSegmentSum")),
    "math.segment_sum": Call([f(4, 3), np.array([0, 0, 1, 2], np.int32)],
                             names=("SegmentSum", "SegmentNum", "UnsortedSegmentSum")),
    "math.segment_mean": Call([f(4, 3), np.array([0, 0, 1, 2], np.int32)],
                              names=("SegmentMean", "SegmentNum", "UnsortedSegmentSum")),
    "math.segment_max": Call([f(4, 3), np.array([0, 0, 1, 2], np.int32)],
                             names=("SegmentMax", "SegmentNum", "UnsortedSegmentMax")),
    "math.segment_min": Call([f(4, 3), np.array([0, 0, 1, 2], np.int32)],
                             names=("SegmentMin", "SegmentNum", "UnsortedSegmentMin")),
    "math.segment_prod": Call([f(4, 3), np.array([0, 0, 1, 2], np.int32)],
                              names=("SegmentProd", "SegmentNum", "UnsortedSegmentProd")),
    "math.reduce_variance": Call([f(2, 3)], {"axis": 1}, axes=("axis",),
                                 names=("Mean", "Sub")),
    "math.reduce_std": Call([f(2, 3)], {"axis": 1}, axes=("axis",), names=("Mean", "Sub")),
    "histogram_fixed_width": Call([f(6), np.array([0.5, 1.5], np.float32)], {"nbins": 4}),
    "math.reduce_euclidean_norm": Call([f(2, 3)], {"axis": 1}, axes=("axis",),
                                       names=("Sum", "Square")),
}
