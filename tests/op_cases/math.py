"""Cases for the math family (ops/math.py, reduce.py, matmul.py): elementwise, reductions,
matmul, helpers."""
import numpy as np

import janusgrad as tf
from janusgrad.ops import math as _math
from janusgrad.framework.execute import execute

from . import Case

R = np.random.default_rng(4)
# broadcasting pairs as autograd's binary_ufunc_check: same shape, size-1 dim, scalar, lower rank
PAIRS = [((3, 2), (3, 2)), ((3, 2), (1, 2)), ((3, 2), ()), ((2,), (3, 2))]


def randn(*shape):
    return R.standard_normal(shape)


def positive(*shape):
    return R.uniform(0.5, 2.0, shape)


def away_from(*shape, lo=0.3, hi=1.5):
    """Values of random sign with |x| in [lo, hi] (away from kinks at zero)."""
    return R.uniform(lo, hi, shape) * R.choice([-1.0, 1.0], shape)


def binary(fn, make_x=randn, make_y=randn, order=2, **kw):
    return [Case(fn, [make_x(*a), make_y(*b)], order=order, ids=f"{a}x{b}", **kw)
            for a, b in PAIRS]


def distinct(*shape):
    """Values with no ties (extrema are unique), spread apart more than the check's delta."""
    n = int(np.prod(shape))
    return (R.permutation(n) * 0.37 + R.uniform(0, 0.1, n) - n * 0.15).reshape(shape)


def _maximum(x, y):
    return tf.maximum(x, y)


def _pow(x, y):
    return tf.pow(x, y)


CASES = {
    "AddV2": binary(tf.add),
    "Add": binary(_math.add_v1),
    "Sub": binary(tf.subtract),
    "Mul": binary(tf.multiply),
    "RealDiv": binary(tf.divide, make_y=lambda *s: away_from(*s, lo=0.5)),
    # x mod y is piecewise linear in x and y: away from the jumps (x / y near an integer)
    "FloorMod": [Case(tf.math.floormod, [np.array([[2.3, -1.7], [0.4, 3.4], [-2.6, 1.2]]),
                                         np.array([0.7, -1.1])], order=2),
                 Case(tf.math.mod, [np.array([2.3, -1.7, 5.3]), np.array(1.3)], order=2)],
    "Pow": binary(_pow, make_x=positive, make_y=randn)
    + [Case(lambda x: tf.pow(x, 3.0), [randn(4)]),             # negative base, integer power
       Case(lambda x: x ** 2.0, [np.array([-1.5, 0.5, 2.0])])],
    "Maximum": binary(_maximum, make_x=lambda *s: distinct(*s),
                      make_y=lambda *s: distinct(*s) + 0.05),
    "Minimum": binary(tf.minimum, make_x=lambda *s: distinct(*s),
                      make_y=lambda *s: distinct(*s) + 0.05),
    "SquaredDifference": binary(tf.math.squared_difference),
    "Neg": [Case(tf.negative, [randn(3, 2)])],
    # |x| and sign(x) have kinks at 0: inputs away from it
    "Abs": [Case(tf.abs, [away_from(3, 2)])],
    "Sign": [Case(lambda x: tf.sign(x) * x, [away_from(3, 2)])],
    "Square": [Case(tf.square, [randn(3, 2)])],
    "Sqrt": [Case(tf.sqrt, [positive(3, 2)])],
    "Rsqrt": [Case(tf.math.rsqrt, [positive(3, 2)])],
    "Exp": [Case(tf.exp, [randn(3, 2)])],
    "Log": [Case(tf.math.log, [positive(3, 2)])],
    "Log1p": [Case(tf.math.log1p, [positive(3, 2) - 0.4])],
    "Expm1": [Case(tf.math.expm1, [randn(3, 2)])],
    "Sin": [Case(tf.sin, [randn(3, 2)])],
    "Cos": [Case(tf.cos, [randn(3, 2)])],
    "Tan": [Case(tf.tan, [R.uniform(-1.0, 1.0, (3, 2))])],
    "Tanh": [Case(tf.tanh, [randn(3, 2)])],
    "Sigmoid": [Case(tf.sigmoid, [randn(3, 2)])],
    # the fused gradient ops are differentiable too (third derivatives of tanh and sigmoid)
    "TanhGrad": [Case(lambda y, dy: _math.tanh_grad(y, dy), [np.tanh(randn(3, 2)), randn(3, 2)])],
    "SigmoidGrad": [Case(lambda y, dy: _math.sigmoid_grad(y, dy),
                         [1 / (1 + np.exp(-randn(3, 2))), randn(3, 2)])],
    "Softplus": [Case(tf.math.softplus, [randn(3, 2) * 3.0])],
    "Erf": [Case(tf.math.erf, [randn(3, 2)])],
    "Reciprocal": [Case(tf.math.reciprocal, [away_from(3, 2, lo=0.5)])],
    # TF's gradient ops of Sqrt, Rsqrt and Reciprocal (inputs y = f(x), dy)
    "SqrtGrad": [Case(lambda y, dy: _math.sqrt_grad(y, dy), [positive(3, 2), randn(3, 2)])],
    "RsqrtGrad": [Case(lambda y, dy: _math.rsqrt_grad(y, dy), [positive(3, 2), randn(3, 2)])],
    "ReciprocalGrad": [Case(lambda y, dy: _math.reciprocal_grad(y, dy),
                            [away_from(3, 2, lo=0.5), randn(3, 2)])],
    "SelectV2": [Case(lambda x, y: tf.where(x > 0.0, x * y, y), [randn(3, 2), randn(3, 2)]),
                 Case(lambda x, y: tf.where(np.array([True, False]), x, y),
                      [randn(3, 2), randn(3, 1)]),
                 Case(lambda x, y: tf.where(np.array([[True], [False], [True]]), x, y),
                      [randn(2), randn()])],
    "Cast": [Case(lambda x: tf.cast(tf.square(tf.cast(x, tf.float32)), tf.float64), [randn(3, 2)],
                  rtol=1e-3, atol=1e-4, delta=1e-3),
             # through an integer dtype no gradient flows: the result is a constant
             Case(lambda x: tf.cast(tf.cast(x, tf.int32), x.dtype) + x, [randn(3) * 4.0])],
    "AddN": [Case(lambda x, y, z: tf.add_n([x, y * x, z]), [randn(3, 2), randn(3, 2),
                                                              randn(3, 2)])],
    # clip has kinks at the bounds: t away from them
    "ClipByValue": [Case(lambda t: tf.clip_by_value(t, -0.5, 0.5) * t,
                         [np.array([[-1.2, -0.3], [0.1, 0.9], [2.0, -0.7]])]),
                    Case(lambda t, lo, hi: tf.clip_by_value(t, lo, hi),
                         [np.array([[-1.2, -0.3], [0.1, 0.9]]), np.array([-0.5, -0.5]),
                          np.array(0.5)])],
    "Sum": [Case(lambda x: tf.reduce_sum(x * x), [randn(3, 2)]),
            Case(lambda x: tf.reduce_sum(x * x, axis=1), [randn(3, 2)]),
            Case(lambda x: tf.reduce_sum(x * x, axis=[0, -1], keepdims=True), [randn(2, 3, 2)])],
    "Mean": [Case(lambda x: tf.reduce_mean(x * x, axis=0), [randn(3, 2)]),
             Case(lambda x: tf.reduce_mean(x * x), [randn(2, 3)]),
             Case(lambda x: tf.reduce_mean(x * x, axis=-1, keepdims=True), [randn(3, 2)])],
    "Prod": [Case(lambda x: tf.reduce_prod(x, axis=1), [away_from(3, 3)]),
             Case(lambda x: tf.reduce_prod(x), [away_from(2, 2)]),
             # a single zero in a slice: the gradient there is the product of the others
             Case(lambda x: tf.reduce_prod(x, axis=0, keepdims=True),
                  [np.array([[0.0, 1.5], [0.7, -2.0], [1.3, 0.4]])], order=1)],
    "Max": [Case(lambda x: tf.reduce_max(x, axis=1), [distinct(3, 4)]),
            Case(lambda x: tf.reduce_max(x * x, axis=[0, 2], keepdims=True), [distinct(2, 2, 3)]),
            Case(lambda x: tf.reduce_max(x), [distinct(3, 2)])],
    "Min": [Case(lambda x: tf.reduce_min(x, axis=0), [distinct(3, 4)]),
            Case(lambda x: tf.reduce_min(x), [distinct(2, 3)])],
    "MatMul": [Case(lambda a, b, ta=ta, tb=tb: tf.matmul(a, b, transpose_a=ta, transpose_b=tb),
                    [randn(*((3, 2) if ta else (2, 3))), randn(*((4, 3) if tb else (3, 4)))],
                    ids=f"ta={ta},tb={tb}")
               for ta in (False, True) for tb in (False, True)],
    "BatchMatMulV2": [Case(lambda a, b: tf.matmul(a, b), [randn(2, 2, 3), randn(2, 3, 2)]),
                      # batch dims broadcast: (2,1,...) x (3,...) -> (2,3,...)
                      Case(lambda a, b: tf.matmul(a, b, transpose_b=True),
                           [randn(2, 1, 2, 3), randn(3, 2, 3)]),
                      Case(lambda a, b: tf.matmul(a, b, transpose_a=True),
                           [randn(3, 2), randn(2, 3, 2)])],
    "UnbroadcastLike": [Case(lambda d, x: execute("UnbroadcastLike", [d * d, x])[0],
                             [randn(3, 2), randn(1, 2)]),
                        Case(lambda d, x: execute("UnbroadcastLike", [d * d, x])[0],
                             [randn(2, 3, 2), randn(2)])],
    "BroadcastLike": [Case(lambda d, x: execute("BroadcastLike", [d * d, x])[0],
                           [randn(1, 2), randn(3, 2)]),
                      Case(lambda d, x: execute("BroadcastLike", [d * d, x])[0],
                           [randn(2), randn(2, 3, 2)])],
    "BroadcastReduced": [
        Case(lambda d, x: execute("BroadcastReduced", [d * d, x],
                                  {"axis": (1,), "keepdims": False})[0], [randn(3), randn(3, 2)]),
        Case(lambda d, x: execute("BroadcastReduced", [d * d, x],
                                  {"axis": None, "keepdims": False})[0], [randn(), randn(2, 2)]),
        Case(lambda d, x: execute("BroadcastReduced", [d * d, x],
                                  {"axis": (0, 2), "keepdims": True})[0],
             [randn(1, 2, 1), randn(2, 2, 3)])],
    # reductions whose axis is a tensor of unknown value when the graph is built
    "DynamicReduce": [
        Case(lambda x, a, r=r, k=k: execute("DynamicReduce", [x * x, a],
                                            {"reduction": r, "keepdims": k})[0],
             [distinct(3, 4), np.array(ax, np.int32)], ids=f"{r},axis={ax},keepdims={k}")
        for r, ax, k in [("Sum", 1, False), ("Sum", [0, -1], True), ("Mean", -1, False),
                         ("Mean", [1, 0], True), ("Max", 0, False), ("Min", [1], True),
                         ("Prod", 1, False), ("Prod", [-2], True)]]
    # a single zero in a slice: the gradient there is the product of the others
    + [Case(lambda x, a: execute("DynamicReduce", [x, a], {"reduction": "Prod",
                                                          "keepdims": False})[0],
            [np.array([[0.0, 1.5], [0.7, -2.0], [1.3, 0.4]]), np.array(0, np.int32)], order=1)],
    "DynamicProdOfOthers": [Case(lambda x, a: execute("DynamicProdOfOthers", [x, a])[0],
                                 [away_from(2, 3), np.array([1], np.int32)]),
                            Case(lambda x, a: execute("DynamicProdOfOthers", [x, a])[0],
                                 [away_from(2, 2), np.array([0, -1], np.int32)])],
    "DynamicBroadcastReduced": [
        Case(lambda d, x, a: execute("DynamicBroadcastReduced", [d * d, x, a],
                                     {"keepdims": False})[0],
             [randn(3), randn(3, 2), np.array(-1, np.int32)]),
        Case(lambda d, x, a: execute("DynamicBroadcastReduced", [d * d, x, a],
                                     {"keepdims": True})[0],
             [randn(1, 2, 1), randn(2, 2, 3), np.array([0, 2], np.int32)])],
    "DivNoNan": binary(tf.math.divide_no_nan, make_y=lambda *s: away_from(*s, lo=0.5))
    + [Case(lambda x, y: tf.math.divide_no_nan(x, y * 0.0) + x, [randn(3), randn(3)])],
    "ProdOfOthers": [Case(lambda x: execute("ProdOfOthers", [x], {"axis": (1,)})[0],
                          [away_from(2, 3)]),
                     Case(lambda x: execute("ProdOfOthers", [x], {"axis": None})[0],
                          [away_from(2, 2)])],
    "Cumsum": [Case(lambda x, ex=ex, rev=rev: tf.cumsum(x, axis=1, exclusive=ex, reverse=rev),
                    [randn(2, 3)], ids=f"exclusive={ex},reverse={rev}")
               for ex in (False, True) for rev in (False, True)]
    + [Case(lambda x: tf.cumsum(x * x, axis=-2), [randn(3, 2)])],
    "LinSpace": [Case(lambda a, b: tf.linspace(a, b, 4), [randn(), randn()]),
                 Case(lambda a, b: tf.linspace(a, b, 3, axis=-1), [randn(2), randn(1)])],
    "Einsum": [Case(lambda a, b: tf.einsum("ij,jk->ik", a, b), [randn(2, 3), randn(3, 2)]),
               # a label summed away in one input only (k), and a free output order
               Case(lambda a, b: tf.einsum("ijk,j->ji", a, b), [randn(2, 3, 2), randn(3)]),
               Case(lambda a: tf.einsum("ij->", a * a), [randn(2, 3)]),
               Case(lambda a, b: tf.einsum("...ij,...jk->...ik", a, b),
                    [randn(2, 1, 2, 3), randn(2, 3, 2)]),
               Case(lambda a, b, c: tf.einsum("ab,bc,cd", a, b, c),
                    [randn(2, 2), randn(2, 3), randn(3, 2)]),
               Case(lambda a, b: tf.einsum("i,j->ij", a, b), [randn(3), randn(2)]),
               # a label repeated in one input: diagonals and traces
               Case(lambda a: tf.einsum("ii->i", a * a), [randn(3, 3)]),
               Case(lambda a: tf.einsum("ii->", a * a), [randn(2, 2)]),
               Case(lambda a, b: tf.einsum("iij,j->i", a * a, b), [randn(3, 3, 2), randn(2)]),
               Case(lambda a: tf.einsum("i...ji->...j", a * a), [randn(2, 3, 2, 2)]),
               # '...' covering no dims, absent from the output (TF allows only that)
               Case(lambda a, b: tf.einsum("...ij,...jk->ik", a, b), [randn(2, 3), randn(3, 2)])],
    "EinsumEmbedDiagonal": [
        Case(lambda d, x: execute("EinsumEmbedDiagonal", [d * d, x],
                                  {"subscripts": "ii", "diagonal": "i"})[0],
             [randn(3), randn(3, 3)]),
        Case(lambda d, x: execute("EinsumEmbedDiagonal", [d * d, x],
                                  {"subscripts": "ij.i", "diagonal": "ij."})[0],
             [randn(2, 3, 2), randn(2, 3, 2, 2)])],
}
