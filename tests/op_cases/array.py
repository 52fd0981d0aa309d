"""Cases for the array family (ops/array.py, indexing.py): reshaping, stacking, slicing,
gathering, padding."""
import numpy as np

import janusgrad as tf
from janusgrad.framework.execute import execute

from . import Case

R = np.random.default_rng(5)


def randn(*shape):
    return R.standard_normal(shape)


X = randn(3, 2)
_Z = randn(3)       # unsorted_segment_prod's case shifts its entry 1 to exactly zero


def _getitem(key):
    return lambda x: x[key] * x[key]


def _placeholder_with_default(x):
    return tf.compat.v1.placeholder_with_default(x * x, [None, 2]) * x


CASES = {
    "PlaceholderWithDefault": [Case(_placeholder_with_default, [X])],
    "Reshape": [Case(lambda x: tf.reshape(x * x, [2, 3]), [randn(3, 2)]),
                Case(lambda x: tf.reshape(x, [-1]) * tf.reshape(x, [6]), [randn(3, 2)])],
    "ReshapeLike": [Case(lambda x, y: execute("ReshapeLike", [x * x, y])[0],
                         [randn(3, 2), randn(2, 3)])],
    "Transpose": [Case(lambda x: tf.transpose(x * x), [randn(3, 2)]),
                  Case(lambda x: tf.transpose(x, [1, 2, 0]) * 2.0, [randn(2, 3, 2)])],
    "ExpandDims": [Case(lambda x: tf.expand_dims(x * x, 1), [randn(3, 2)]),
                   Case(lambda x: tf.expand_dims(x, -1) * x[..., None], [randn(3, 2)])],
    "Squeeze": [Case(lambda x: tf.squeeze(x * x), [randn(3, 1, 2)]),
                Case(lambda x: tf.squeeze(x * x, axis=[-1]), [randn(1, 3, 1)])],
    "Pack": [Case(lambda x, y: tf.stack([x * y, y]), [randn(3, 2), randn(3, 2)]),
             Case(lambda x, y: tf.stack([x, y * y], axis=-1), [randn(3, 2), randn(3, 2)])],
    "Unpack": [Case(lambda x: tf.unstack(x * x), [randn(3, 2)]),
               # only one output used: the others get zero gradients
               Case(lambda x: tf.unstack(x * x, axis=1)[1], [randn(3, 2)])],
    "ConcatV2": [Case(lambda x, y: tf.concat([x * y, y, x], axis=0), [randn(3, 2), randn(3, 2)]),
                 Case(lambda x, y: tf.concat([x * x, y], axis=-1), [randn(2, 1), randn(2, 3)])],
    "SplitLike": [Case(lambda d, a, b: execute("SplitLike", [d * d, a, b], {"axis": 1}),
                       [randn(2, 3), randn(2, 1), randn(2, 2)])],
    "StridedSlice": [Case(_getitem(1), [X]),
                     Case(_getitem(np.s_[::2, 1:]), [randn(4, 3)]),
                     Case(_getitem(np.s_[::-1]), [randn(4)]),
                     Case(_getitem(np.s_[-1:0:-2, ::-1]), [randn(4, 2)]),
                     Case(_getitem(np.s_[..., 0]), [randn(2, 2, 3)]),
                     Case(_getitem(np.s_[tf.newaxis, :, None, -1]), [randn(3, 2)]),
                     # a scalar index tensor whose value is known only at run time (graph mode)
                     Case(lambda x, i: x[i] * x[i], [randn(3, 2), np.array(2, np.int32)])],
    "StridedSliceGrad": [Case(lambda dy, x: execute("StridedSliceGrad", [dy * dy, x],
                                                    {"key": (slice(None, None, -2), 1)})[0],
                              [randn(2), randn(4, 2)])],
    "Split": [Case(lambda x: tf.split(x * x, 3, axis=1), [randn(2, 3)]),
              Case(lambda x: tf.split(x, 2)[1] * 3.0, [randn(4, 2)])],
    "SplitV": [Case(lambda x: tf.split(x * x, [1, -1], axis=-1), [randn(2, 3)]),
               Case(lambda x: tf.split(x, [2, 0, 1])[2] * x[0], [randn(3, 2)])],
    "Tile": [Case(lambda x: tf.tile(x * x, [2, 3]), [randn(2, 1)]),
             Case(lambda x: tf.tile(x, [1, 2, 2]), [randn(2, 1, 2)]),
             Case(lambda x: tf.tile(x * x, []), [randn()])],
    "BroadcastTo": [Case(lambda x: tf.broadcast_to(x * x, [3, 2]), [randn(1, 2)]),
                    Case(lambda x: tf.broadcast_to(x, [2, 3, 2]) * 2.0, [randn(3, 1)]),
                    Case(lambda x: tf.broadcast_to(x * x, [2, 2]), [randn()])],
    "ReverseV2": [Case(lambda x: tf.reverse(x * x, [0]), [randn(3, 2)]),
                  Case(lambda x: tf.reverse(x, [-1, 0]) * x, [randn(3, 2)])],
    "Slice": [Case(lambda x: tf.slice(x * x, [1, 0], [2, -1]), [randn(3, 2)]),
              Case(lambda x: tf.slice(x, [0, 1, 1], [1, 1, 2]) * 2.0, [randn(2, 3, 3)])],
    "Pad": [Case(lambda x: tf.pad(x * x, [[1, 0], [2, 1]]), [randn(2, 2)])],
    "PadV2": [Case(lambda x: tf.pad(x * x, [[0, 1], [1, 1]], constant_values=1.5),
                   [randn(2, 2)])],
    "MirrorPad": [Case(lambda x: tf.pad(x * x, [[1, 1], [0, 2]], "REFLECT"), [randn(3, 3)]),
                  Case(lambda x: tf.pad(x * x, [[2, 1], [1, 0]], "SYMMETRIC"), [randn(2, 2)])],
    "MirrorPadGrad": [
        Case(lambda d: execute("MirrorPadGrad", [d * d, tf.constant([[1, 1], [0, 2]])],
                               {"mode": "REFLECT"})[0], [randn(5, 5)]),
        Case(lambda d: execute("MirrorPadGrad", [d * d, tf.constant([[2, 1]])],
                               {"mode": "SYMMETRIC"})[0], [randn(5)])],
    "GatherV2": [Case(lambda p: tf.gather(p * p, [2, 0, 2]), [randn(3, 2)]),
                 Case(lambda p: tf.gather(p, [[1, 1], [0, 2]], axis=-1) * 2.0, [randn(2, 3)]),
                 Case(lambda p: tf.gather(p * p, [[1, 0, 1], [2, 2, 0]], axis=1, batch_dims=1),
                      [randn(2, 3, 2)])],
    "GatherGrad": [Case(lambda d, p: execute("GatherGrad", [d * d, p, tf.constant([1, 1, 0]),
                                                            tf.constant(1)],
                                             {"batch_dims": 0})[0],
                        [randn(2, 3), randn(2, 2)])],
    "GatherNd": [Case(lambda p: tf.gather_nd(p * p, [[0, 1], [2, 0], [0, 1]]), [randn(3, 2)]),
                 Case(lambda p: tf.gather_nd(p, [[1], [0]]) * 2.0, [randn(2, 2, 2)]),
                 # batch_dims: each batch entry gathers from its own slice (repeats accumulate)
                 Case(lambda p: tf.gather_nd(p * p, [[[1, 0], [1, 0]], [[0, 1], [2, 1]]],
                                             batch_dims=1), [randn(2, 3, 2)]),
                 Case(lambda p: tf.gather_nd(p * p, np.array([[[[1]], [[0]]]] * 2),
                                             batch_dims=2), [randn(2, 2, 3)])],
    # repeated ids add, a negative id drops its row (its gradient is zero)
    "UnsortedSegmentSum": [Case(lambda d: tf.math.unsorted_segment_sum(d * d, [2, -1, 2, 0], 4),
                                [randn(4, 3)]),
                           Case(lambda d: tf.math.unsorted_segment_sum(d, [[1, 0], [1, 1]], 2)
                                * 2.0, [randn(2, 2, 3)])],
    # tensor functions real programs use (issue 18): distinct values, so no ties at the max/min;
    # a zero in a segment of the product (its gradient: the product of the others)
    "UnsortedSegmentMax": [Case(lambda d: tf.math.unsorted_segment_max(d * d, [2, -1, 2, 0], 4),
                                [randn(4, 3)]),
                           Case(lambda d: tf.math.unsorted_segment_max(d, [[1, 0], [1, 1]], 2)
                                * 2.0, [randn(2, 2, 3)])],
    "UnsortedSegmentMin": [Case(lambda d: tf.math.unsorted_segment_min(d * d, [2, -1, 2, 0], 4),
                                [randn(4, 3)])],
    "UnsortedSegmentProd": [Case(lambda d: tf.math.unsorted_segment_prod(d * d, [2, -1, 2, 0, 2],
                                                                         4), [randn(5, 3)]),
                            Case(lambda d: tf.math.unsorted_segment_prod(
                                d - np.array([0.0, _Z[1], 0.0]), [1, 1, 0], 2) * 2.0,
                                [_Z], order=1)],
    # a repeated index takes the max (min) of its updates; distinct values, so no ties
    "TensorScatterMax": [Case(lambda t, u: tf.tensor_scatter_nd_max(t * t, [[1], [3], [1]], u),
                              [randn(4, 2), randn(3, 2)]),
                         Case(lambda t, u: tf.tensor_scatter_nd_max(t, [[0, 1], [1, 0]], u),
                              [randn(2, 2), randn(2)])],
    "TensorScatterMin": [Case(lambda t, u: tf.tensor_scatter_nd_min(t * t, [[1], [3], [1]], u),
                              [randn(4, 2), randn(3, 2)])],
    "ScatterNd": [Case(lambda u: tf.scatter_nd([[1], [3], [1]], u * u, [4, 2]), [randn(3, 2)]),
                  Case(lambda u: tf.scatter_nd([[0, 1], [1, 0]], u, [2, 2]) * 2.0, [randn(2)])],
}
