"""Math ops: elementwise (binary, unary), comparisons and logic, where, cast, add_n, clip, range.

`unbroadcast` and `broadcast_like` undo broadcasting for every gradient. Reductions live in
reduce.py, matmul / tensordot / einsum in matmul.py: both build on this file. Gradients are
written with janusgrad ops, so they run eagerly under a tape, build graph nodes under
tf.gradients, and are themselves differentiable (second order).
"""
import math as _pymath
import warnings

import numpy as np

from ..framework import dtypes
from ..framework.context import ctx, process_state
from ..framework.errors import in_api, short_repr
from ..framework.execute import execute, run_eager
from ..framework.registry import OPS, gradient, not_differentiable, register_kernel
from ..framework.shape import TensorShape, broadcast_static
from ..framework.tensor import EagerTensor, Tensor, convert_to_tensor
from .control import op_scope
from .define import PerDtype, convert_same_dtype, fixed, floating, op
from .state import Variable

# TF returns inf / nan silently where NumPy would warn. Rather than `np.errstate` around each
# kernel (1.5 us a call, three times an exp on a small array), NumPy's floating-point warnings
# are ignored when they are raised in janusgrad's modules: user code keeps its own warnings.
warnings.filterwarnings("ignore", category=RuntimeWarning, module=r"janusgrad\.")

# the numbers kernels combine with arrays, in the arrays' dtype (whatever NumPy's promotion rules)
_ONE, _HALF, _MINUS_HALF = PerDtype(1), PerDtype(0.5), PerDtype(-0.5)


# -- broadcasting helpers used by every binary gradient ----------------------------------------

def _unbroadcast_kernel(dx, like):
    """Sum dx down to the shape of `like` (undo broadcasting)."""
    shape = np.shape(like)
    if dx.shape == shape:
        return dx
    extra = dx.ndim - len(shape)
    if dx.shape[extra:] == shape and shape:         # leading axes only (a bias's gradient)
        if dx.size >= 4096 and dx.dtype.char in "fd" and dx.flags.c_contiguous:
            # a vector of ones times dx as a matrix: one BLAS call, several times faster
            # than add.reduce's row-by-row loop over the leading axes of a big dx
            rows = dx.reshape(-1, _pymath.prod(shape))
            return (np.ones(rows.shape[0], dx.dtype) @ rows).reshape(shape)
        return np.add.reduce(dx, axis=tuple(range(extra)))
    axes = tuple(range(extra)) + tuple(i + extra for i, d in enumerate(shape)
                                       if d == 1 and dx.shape[i + extra] != 1)
    return np.add.reduce(dx, axis=axes, keepdims=True).reshape(shape)


def _broadcast_like_kernel(dy, like):
    return np.broadcast_to(dy, np.broadcast_shapes(dy.shape, np.shape(like))).copy()


register_kernel("UnbroadcastLike", _unbroadcast_kernel, infer=fixed(shape=lambda i, a: i[1].shape))
register_kernel("BroadcastLike", _broadcast_like_kernel)


def unbroadcast(dx, x):
    """dx summed to x's shape: the one place where gradients undo broadcasting."""
    if dx is None:
        return None
    if type(dx) is EagerTensor and type(x) is EagerTensor:
        if dx._value.shape == x._value.shape:       # the common case, without TensorShapes
            return dx
    else:
        xs = x.shape
        if xs.is_fully_defined() and xs == dx.shape:
            return dx
    return execute("UnbroadcastLike", [dx, x])[0]


def broadcast_like(dy, x):
    """dy broadcast to the broadcast shape of dy and x."""
    if type(dy) is EagerTensor and type(x) is EagerTensor:
        if dy._value.shape == x._value.shape:
            return dy
    elif x.shape.is_fully_defined() and dy.shape == x.shape:
        return dy
    return execute("BroadcastLike", [dy, x])[0]


@gradient("UnbroadcastLike", inputs=(), outputs=())
def _unbroadcast_grad(op, dy):
    """broadcast dy back to dx's shape"""
    return broadcast_like(dy, op.inputs[0]), None


@gradient("BroadcastLike", inputs=(), outputs=())
def _broadcast_like_grad(op, dy):
    """sum dy back to the shape of the broadcast input"""
    return unbroadcast(dy, op.inputs[0]), None


# -- binary elementwise ------------------------------------------------------------------------

@op("AddV2", default_name="Add")
def add(x, y):
    """Element-wise x + y, with broadcasting."""
    return np.add(x, y)


@gradient("AddV2", inputs=(), outputs=())
def _add_grad(op, dy):
    """dy, dy"""
    x, y = op.inputs
    skip = op.skip_input_indices
    if skip is not None and 1 in skip:      # e.g. `x + 0.1`
        return unbroadcast(dy, x), None
    return unbroadcast(dy, x), unbroadcast(dy, y)


# -- issue 18 (gradient semantics): TF's older op type for x + y ------------------------------
# `Add` is what tf.raw_ops.Add makes (TF2's tf.add and `+` make AddV2). TF registers one gradient
# for both; an override map names it as "Add" ({"Mul": "Add"}, TF1 programs). No generated
# eager entry (import time): it is rarely called.
register_kernel("Add", np.add)
gradient("Add", inputs=(), outputs=())(_add_grad)


def add_v1(x, y, name=None):
    """x + y as an op of type `Add`."""
    return execute("Add", convert_same_dtype("Add", [x, y], ["x", "y"]), name=name)[0]


@op("Sub")
def subtract(x, y):
    """Element-wise x - y, with broadcasting."""
    return np.subtract(x, y)


@gradient("Sub", inputs=(), outputs=())
def _sub_grad(op, dy):
    """dy, -dy"""
    x, y = op.inputs
    skip = op.skip_input_indices
    if skip is not None and 1 in skip:
        return unbroadcast(dy, x), None
    return unbroadcast(dy, x), unbroadcast(negative(dy), y)


@op("Mul")
def multiply(x, y):
    """Element-wise x * y, with broadcasting."""
    return np.multiply(x, y)


@gradient("Mul", outputs=())
def _mul_grad(op, dy):
    """dy * y, dy * x"""
    x, y = op.inputs
    skip = op.skip_input_indices
    if skip is not None:        # e.g. `x * 0.5`: no gradient for the constant
        if 1 in skip:
            return unbroadcast(dy * y, x), None
        if 0 in skip:
            return None, unbroadcast(x * dy, y)
    return unbroadcast(dy * y, x), unbroadcast(x * dy, y)


@op("RealDiv")
def real_div(x, y):
    """Element-wise x / y for real tensors of one dtype (TF's `RealDiv`)."""
    return np.true_divide(x, y, dtype=x.dtype)


@gradient("RealDiv", outputs=())
def _real_div_grad(op, dy):
    """dy / y, -dy * x / y**2"""
    x, y = op.inputs
    skip = op.skip_input_indices
    if skip is not None and 1 in skip:
        return unbroadcast(dy / y, x), None
    return unbroadcast(dy / y, x), unbroadcast(negative(dy) * x / (y * y), y)


@op("DivNoNan", allowed=floating, default_name="div_no_nan")
def divide_no_nan(x, y):
    """x / y, and 0 where y == 0 (even where x is inf or nan)."""
    return np.where(y == 0, np.zeros((), x.dtype), np.true_divide(x, y, dtype=x.dtype))


@gradient("DivNoNan")
def _div_no_nan_grad(op, dy):
    """div_no_nan(dy, y), dy * div_no_nan(-x / y, y)"""
    x, y = op.inputs
    return (unbroadcast(divide_no_nan(dy, y), x),
            unbroadcast(dy * divide_no_nan(divide_no_nan(negative(x), y), y), y))


@op("FloorDiv", default_name="floordiv")
def floordiv(x, y):
    """Element-wise x // y, rounding toward negative infinity."""
    if x.dtype.kind in "iu":
        if np.any(y == 0):
            raise ValueError("Integer division by zero")
    return np.floor_divide(x, y)


@op("FloorMod")
def floormod(x, y):
    """Element-wise remainder of floor division, with the sign of y (Python's %)."""
    if x.dtype.kind in "iu" and np.any(y == 0):
        raise ValueError("Integer division by zero")
    return np.mod(x, y)


not_differentiable("FloorDiv")


@gradient("FloorMod")
def _floormod_grad(op, dy):
    """dy, -dy * floor(x / y)"""
    x, y = op.inputs
    return unbroadcast(dy, x), unbroadcast(negative(dy) * floor(x / y), y)


@op("Pow")
def pow(x, y):  # noqa: A001  (TF's name)
    """Element-wise x ** y, with broadcasting."""
    if x.dtype.kind in "iu" and np.any(y < 0):
        raise ValueError("Integers to negative integer powers are not allowed")
    return np.power(x, y)


@gradient("Pow")
def _pow_grad(op, dy):
    """dy * y * x**(y-1), dy * z * log(x) (0 where x <= 0, as TF)"""
    x, y = op.inputs
    z = op.outputs[0]
    dx = dy * y * pow(x, y - ones_like(y))
    safe_x = where_v2(x > zeros_like(x), x, ones_like(x))
    log_x = where_v2(x > zeros_like(x), log(safe_x), zeros_like(x))
    return unbroadcast(dx, x), unbroadcast(dy * z * log_x, y)


@op("Maximum")
def maximum(x, y):
    """Element-wise max(x, y), with broadcasting."""
    return np.maximum(x, y)


@gradient("Maximum", outputs=())
def _maximum_grad(op, dy):
    """dy where x >= y, else to y (TF's tie rule: x wins)"""
    x, y = op.inputs
    mask = greater_equal(x, y)
    zeros = zeros_like(dy)
    return unbroadcast(where_v2(mask, dy, zeros), x), unbroadcast(where_v2(mask, zeros, dy), y)


@op("Minimum")
def minimum(x, y):
    """Element-wise min(x, y), with broadcasting."""
    return np.minimum(x, y)


@gradient("Minimum", outputs=())
def _minimum_grad(op, dy):
    """dy where x <= y, else to y"""
    x, y = op.inputs
    mask = less_equal(x, y)
    zeros = zeros_like(dy)
    return unbroadcast(where_v2(mask, dy, zeros), x), unbroadcast(where_v2(mask, zeros, dy), y)


@op("SquaredDifference")
def squared_difference(x, y):
    """Element-wise (x - y) ** 2, with broadcasting."""
    d = x - y
    return d * d


@gradient("SquaredDifference", outputs=())
def _squared_difference_grad(op, dy):
    """2 (x - y) dy, -2 (x - y) dy"""
    x, y = op.inputs
    g = dy * (x - y) * 2.0
    return unbroadcast(g, x), unbroadcast(negative(g), y)


# -- unary elementwise -------------------------------------------------------------------------

@op("Neg")
def negative(x):
    """Element-wise -x."""
    return np.negative(x)


@gradient("Neg", inputs=(), outputs=())
def _neg_grad(op, dy):
    """-dy"""
    return negative(dy)


@op("Abs")
def abs(x):  # noqa: A001
    """Element-wise absolute value |x|."""
    return np.abs(x)


@gradient("Abs", outputs=())
def _abs_grad(op, dy):
    """dy * sign(x)"""
    return dy * sign(op.inputs[0])


@op("Sign")
def sign(x):
    """Element-wise sign: -1, 0 or 1."""
    return np.sign(x)


@op("Square")
def square(x):
    """Element-wise x * x."""
    return x * x


@gradient("Square", outputs=())
def _square_grad(op, dy):
    """dy * 2x"""
    x = op.inputs[0]
    return dy * (x * 2.0 if x.dtype.is_floating else x * 2)


@op("Sqrt", allowed=floating)
def sqrt(x):
    """Element-wise square root."""
    return np.sqrt(x)


@gradient("Sqrt", inputs=())
def _sqrt_grad(op, dy):
    """dy * 0.5 / y, as one op (TF's SqrtGrad: 0 where dy is 0)"""
    return execute("SqrtGrad", [op.outputs[0], dy])[0]


def _no_gradient_in(out, dy):
    """out, 0 where dy == 0: the gradient kernels of Sqrt, Rsqrt and Reciprocal are TF's,
    which give 0 there even where y is 0, Inf or NaN (so `tf.where(x > 0, tf.sqrt(x), 0)`
    has a finite gradient at x <= 0)."""
    zero = dy == 0
    return np.where(zero, np.zeros((), out.dtype), out) if zero.any() else out


@op("SqrtGrad")
def sqrt_grad(y, dy):
    with np.errstate(all="ignore"):
        return _no_gradient_in(dy * _HALF[y.dtype] / y, dy)


@gradient("SqrtGrad", outputs=(0,))
def _sqrt_grad_grad(op, g):
    """TF's: ga = g / y; -ga * out, 0.5 * ga"""
    ga = g / op.inputs[0]
    return negative(ga) * op.outputs[0], ga * 0.5


@op("Rsqrt", allowed=floating)
def rsqrt(x):
    """Element-wise 1 / sqrt(x)."""
    return _ONE[x.dtype] / np.sqrt(x)


@gradient("Rsqrt", inputs=())
def _rsqrt_grad(op, dy):
    """-0.5 dy y^3, as one op (TF's RsqrtGrad: 0 where dy is 0)"""
    return execute("RsqrtGrad", [op.outputs[0], dy])[0]


@op("RsqrtGrad")
def rsqrt_grad(y, dy):
    with np.errstate(all="ignore"):
        return _no_gradient_in(dy * (y * y * y) * _MINUS_HALF[y.dtype], dy)


@gradient("RsqrtGrad", outputs=())
def _rsqrt_grad_grad(op, g):
    """TF's: -1.5 g dy y^2, RsqrtGrad(y, g)"""
    y, dy = op.inputs
    return g * dy * (y * y) * -1.5, execute("RsqrtGrad", [y, g])[0]


@op("Exp", allowed=floating)
def exp(x):
    """Element-wise e ** x."""
    return np.exp(x)


@gradient("Exp", inputs=())
def _exp_grad(op, dy):
    """dy * y"""
    return dy * op.outputs[0]


@op("Log", allowed=floating)
def log(x):
    """Element-wise natural logarithm."""
    return np.log(x)


@gradient("Log", outputs=())
def _log_grad(op, dy):
    """dy / x"""
    return dy / op.inputs[0]


@op("Log1p", allowed=floating)
def log1p(x):
    """Element-wise log(1 + x), accurate for small x."""
    return np.log1p(x)


@gradient("Log1p", outputs=())
def _log1p_grad(op, dy):
    """dy / (1 + x)"""
    return dy / (op.inputs[0] + 1.0)


@op("Expm1", allowed=floating)
def expm1(x):
    """Element-wise exp(x) - 1, accurate for small x."""
    return np.expm1(x)


@gradient("Expm1", outputs=())
def _expm1_grad(op, dy):
    """dy * exp(x)"""
    return dy * exp(op.inputs[0])


@op("Sin", allowed=floating)
def sin(x):
    """Element-wise sine."""
    return np.sin(x)


@gradient("Sin", outputs=())
def _sin_grad(op, dy):
    """dy * cos(x)"""
    return dy * cos(op.inputs[0])


@op("Cos", allowed=floating)
def cos(x):
    """Element-wise cosine."""
    return np.cos(x)


@gradient("Cos", outputs=())
def _cos_grad(op, dy):
    """-dy * sin(x)"""
    return negative(dy) * sin(op.inputs[0])


@op("Tan", allowed=floating)
def tan(x):
    """Element-wise tangent."""
    return np.tan(x)


@gradient("Tan", outputs=())
def _tan_grad(op, dy):
    """dy / cos(x)^2"""
    c = cos(op.inputs[0])
    return dy / (c * c)


@op("Tanh", allowed=floating)
def tanh(x):
    """Element-wise hyperbolic tangent."""
    return np.tanh(x)


@gradient("Tanh", inputs=())
def _tanh_grad(op, dy):
    """dy * (1 - y^2), as one fused op (TF's TanhGrad)"""
    return execute("TanhGrad", [op.outputs[0], dy])[0]


@op("TanhGrad")
def tanh_grad(y, dy):
    return dy * (_ONE[y.dtype] - y * y)


@gradient("TanhGrad", outputs=())
def _tanh_grad_grad(op, g):
    """-2 g dy y, TanhGrad(y, g)"""
    y, dy = op.inputs
    return g * dy * y * -2.0, execute("TanhGrad", [y, g])[0]


@op("Sigmoid", allowed=floating)
def sigmoid(x):
    """Element-wise 1 / (1 + exp(-x))."""
    return (1.0 / (1.0 + np.exp(-x))).astype(x.dtype, copy=False)


@gradient("Sigmoid", inputs=())
def _sigmoid_grad(op, dy):
    """dy * y * (1 - y), as one fused op (TF's SigmoidGrad)"""
    return execute("SigmoidGrad", [op.outputs[0], dy])[0]


@op("SigmoidGrad")
def sigmoid_grad(y, dy):
    return dy * y * (_ONE[y.dtype] - y)


@gradient("SigmoidGrad", outputs=())
def _sigmoid_grad_grad(op, g):
    """g dy (1 - 2y), SigmoidGrad(y, g)"""
    y, dy = op.inputs
    gdy = g * dy
    return gdy - gdy * y * 2.0, execute("SigmoidGrad", [y, g])[0]


@op("Softplus", allowed=floating)
def softplus(features):
    """Element-wise log(1 + exp(x)), computed without overflow."""
    return np.logaddexp(np.zeros((), features.dtype), features)


@gradient("Softplus", outputs=())
def _softplus_grad(op, dy):
    """dy * sigmoid(x)"""
    return dy * sigmoid(op.inputs[0])


@op("Erf", allowed=floating)
def erf(x):
    """Element-wise Gauss error function."""
    from scipy.special import erf as _erf
    return _erf(x).astype(x.dtype, copy=False)


@gradient("Erf", outputs=())
def _erf_grad(op, dy):
    """dy * 2/sqrt(pi) * exp(-x^2)"""
    x = op.inputs[0]
    return dy * (2.0 / np.sqrt(np.pi)) * exp(negative(x * x))


@op("Reciprocal")
def reciprocal(x):
    """Element-wise 1 / x."""
    return np.reciprocal(x) if x.dtype.kind == "f" else (1 / x).astype(x.dtype)


@gradient("Reciprocal", inputs=())
def _reciprocal_grad(op, dy):
    """-dy * y^2, as one op (TF's ReciprocalGrad: 0 where dy is 0)"""
    return execute("ReciprocalGrad", [op.outputs[0], dy])[0]


@op("ReciprocalGrad")
def reciprocal_grad(y, dy):
    with np.errstate(all="ignore"):
        return _no_gradient_in(-dy * (y * y), dy)


@gradient("ReciprocalGrad", outputs=())
def _reciprocal_grad_grad(op, g):
    """TF's: -2 g dy y, ReciprocalGrad(y, g)"""
    y, dy = op.inputs
    return g * dy * y * -2.0, execute("ReciprocalGrad", [y, g])[0]


@op("Round")
def round(x):  # noqa: A001
    """Round half to even, as TF (and NumPy) do."""
    return np.round(x) if x.dtype.kind == "f" else x.copy()


@op("Floor")
def floor(x):
    """Element-wise largest integer not greater than x."""
    return np.floor(x)


@op("Ceil")
def ceil(x):
    """Element-wise smallest integer not less than x."""
    return np.ceil(x)


# TF: Round, Floor and Ceil have no gradient (None); Sign's is zeros (piecewise constant)
not_differentiable("Round", "Floor", "Ceil")


@gradient("Sign")
def _sign_grad(op, dy):
    """zeros"""
    return zeros_like(op.inputs[0])


# -- comparisons and logic (no gradient) -------------------------------------------------------

def _bool_out(inputs, attrs):
    return dtypes.bool


@op("Greater", infer=fixed(dtype=_bool_out))
def greater(x, y):
    """Element-wise x > y, a bool tensor (with broadcasting)."""
    return np.greater(x, y)


@op("GreaterEqual", infer=fixed(dtype=_bool_out))
def greater_equal(x, y):
    """Element-wise x >= y, a bool tensor (with broadcasting)."""
    return np.greater_equal(x, y)


@op("Less", infer=fixed(dtype=_bool_out))
def less(x, y):
    """Element-wise x < y, a bool tensor (with broadcasting)."""
    return np.less(x, y)


@op("LessEqual", infer=fixed(dtype=_bool_out))
def less_equal(x, y):
    """Element-wise x <= y, a bool tensor (with broadcasting)."""
    return np.less_equal(x, y)


@op("Equal", infer=fixed(dtype=_bool_out))
def equal(x, y):
    """Element-wise x == y, a bool tensor (with broadcasting)."""
    return np.equal(x, y)


@op("NotEqual", infer=fixed(dtype=_bool_out))
def not_equal(x, y):
    """Element-wise x != y, a bool tensor (with broadcasting)."""
    return np.not_equal(x, y)


def _is_bool(dt):
    return dt.is_bool


@op("LogicalAnd", allowed=_is_bool)
def logical_and(x, y):
    """Element-wise x AND y of bool tensors."""
    return np.logical_and(x, y)


@op("LogicalOr", allowed=_is_bool)
def logical_or(x, y):
    """Element-wise x OR y of bool tensors."""
    return np.logical_or(x, y)


@op("LogicalNot", allowed=_is_bool)
def logical_not(x):
    """Element-wise NOT x of a bool tensor."""
    return np.logical_not(x)


@op("IsNan", infer=fixed(dtype=_bool_out), allowed=floating)
def is_nan(x):
    """Element-wise: True where x is NaN."""
    return np.isnan(x)


@op("IsFinite", infer=fixed(dtype=_bool_out), allowed=floating)
def is_finite(x):
    """Element-wise: True where x is neither infinite nor NaN."""
    return np.isfinite(x)


@op("IsInf", infer=fixed(dtype=_bool_out), allowed=floating)
def is_inf(x):
    """Element-wise: True where x is +inf or -inf."""
    return np.isinf(x)


def logical_xor(x, y, name="LogicalXor"):
    """x != y for bools, built as TF builds it: (x or y) and not (x and y)."""
    with op_scope(name, "LogicalXor") as name:
        return logical_and(logical_or(x, y), logical_not(logical_and(x, y)), name=name)


not_differentiable("Greater", "GreaterEqual", "Less", "LessEqual", "Equal", "NotEqual",
                   "LogicalAnd", "LogicalOr", "LogicalNot", "IsNan", "IsFinite", "IsInf")


# -- where (3-argument form) -------------------------------------------------------------------

def _select_infer(inputs, attrs):
    from ..framework.shape import broadcast_static
    shape = broadcast_static(broadcast_static(inputs[0].shape, inputs[1].shape), inputs[2].shape)
    return [(inputs[1].dtype, shape)]


register_kernel("SelectV2", lambda c, x, y: np.where(c, x, y), infer=_select_infer)


def where_v2(condition, x, y, name=None):
    """Elementwise `x if condition else y`, with broadcasting."""
    condition = convert_to_tensor(condition)
    if not condition.dtype.is_bool:
        raise TypeError(f"SelectV2: condition must be a bool tensor, got {condition.dtype.name}")
    x, y = convert_same_dtype("SelectV2", [x, y], ["x", "y"], first_input=1)
    return execute("SelectV2", [condition, x, y], name=name)[0]


@gradient("SelectV2", outputs=())
def _select_grad(op, dy):
    """dy where c, to y elsewhere"""
    c, x, y = op.inputs
    zeros = zeros_like(dy)
    return None, unbroadcast(where_v2(c, dy, zeros), x), unbroadcast(where_v2(c, zeros, dy), y)


# -- cast, add_n, clip -------------------------------------------------------------------------

register_kernel("Cast", lambda x, *, DstT: x.astype(DstT.np),
                infer=fixed(dtype=lambda i, a: a["DstT"]))
_CAST = OPS["Cast"]


def cast(x, dtype, name=None):
    """x converted to `dtype` (floats to ints truncate toward zero, as TF)."""
    if type(x) is not EagerTensor:
        x = convert_to_tensor(x)
    if type(dtype) is not dtypes.DType:
        dtype = dtypes.as_dtype(dtype)
    if x.dtype is dtype:
        return x
    attrs = _CAST_ATTRS.get(dtype)
    if attrs is None:
        attrs = _CAST_ATTRS[dtype] = {"DstT": dtype}
    if type(x) is EagerTensor and not ctx.graph_stack and \
            (process_state["eager"] or ctx.force_eager):
        return run_eager(_CAST, x, None, attrs)
    return execute("Cast", [x], attrs, name=name)[0]


_CAST_ATTRS = {}    # DType -> Cast's attrs for it (shared: attrs are never written to)


@gradient("Cast", inputs=(), outputs=())
def _cast_grad(op, dy):
    """cast(dy) back, when both dtypes are floating; None otherwise"""
    src = op.inputs[0].dtype
    if src.is_differentiable and op.outputs[0].dtype.is_differentiable:
        return cast(dy, src)
    return None


def _add_n_kernel(*xs):
    out = xs[0].copy()
    for x in xs[1:]:
        out += x
    return out


register_kernel("AddN", _add_n_kernel)


def add_n(inputs, name=None):
    """The elementwise sum of a list of tensors of one shape and dtype."""
    if not isinstance(inputs, (list, tuple)) or not inputs:
        raise ValueError("add_n: inputs must be a non-empty list of tensors of the same shape and "
                         f"dtype, got {inputs!r}"[:200])
    inputs = convert_same_dtype("AddN", list(inputs), [f"inputs[{i}]" for i in range(len(inputs))])
    if len(inputs) == 1:
        return inputs[0]
    shape = inputs[0].shape
    for t in inputs[1:]:
        if not shape.is_compatible_with(t.shape):
            raise ValueError(f"AddN: all inputs must have the same shape, got {shape} and "
                             f"{t.shape}")
    return execute("AddN", inputs, name=name)[0]


@gradient("AddN", inputs=(), outputs=())
def _add_n_grad(op, dy):
    """dy to every input"""
    return [dy] * len(op.inputs)


def _clip_kernel(t, lo, hi):
    # TF's order, minimum then maximum: a lower bound above the upper one wins (np.clip: the
    # upper one)
    return np.maximum(np.minimum(t, hi), lo).astype(t.dtype, copy=False)


register_kernel("ClipByValue", _clip_kernel)


def clip_by_value(t, clip_value_min, clip_value_max, name="clip_by_value"):
    """Elementwise clamp of t to [min, max] (of IndexedSlices: each slice, as TF's)."""
    if not isinstance(t, Tensor):
        from .indexed_slices import IndexedSlices      # (it imports this module)
        if type(t) is IndexedSlices:
            return IndexedSlices(clip_by_value(t.values, clip_value_min, clip_value_max, name),
                                 t.indices, t.dense_shape)
    t, lo, hi = convert_same_dtype("ClipByValue", [t, clip_value_min, clip_value_max],
                                   ["t", "clip_value_min", "clip_value_max"])
    return execute("ClipByValue", [t, lo, hi], name=name)[0]


@gradient("ClipByValue")
def _clip_grad(op, dy):
    """dy inside the range; outside, to the bound that clipped. As TF's clip_by_value (built
    from minimum then maximum), a NaN element sends its gradient to the lower bound."""
    t, lo, hi = op.inputs
    kept = greater_equal(minimum(t, hi), lo)        # maximum(m, lo) picks m (ties too)
    inside = logical_and(kept, less_equal(t, hi))   # minimum(t, hi) picks t (ties too)
    below = logical_not(kept)                       # NaN included: maximum(NaN, lo) picks lo
    above = logical_and(kept, logical_not(less_equal(t, hi)))
    zeros = zeros_like(dy)
    return (where_v2(inside, dy, zeros), unbroadcast(where_v2(below, dy, zeros), lo),
            unbroadcast(where_v2(above, dy, zeros), hi))


# -- sequences: range, linspace ---------------------------------------------------------------

def scalar_int_tensor(value, op_type, what):
    t = value if isinstance(value, Tensor) else convert_to_tensor(value)
    if not t.dtype.is_integer or (t.shape.rank is not None and t.shape.rank != 0):
        raise TypeError(f"{op_type}: {what} must be a scalar int32/int64, got {short_repr(value)}")
    return t


_RANGE_ORDER = (dtypes.int32, dtypes.int64, dtypes.float16, dtypes.float32, dtypes.float64)


def _range_size(start, limit, delta):
    if delta == 0:
        raise ValueError(f"Requires delta != 0: {delta}")
    if (delta > 0 and start > limit) or (delta < 0 and start < limit):
        raise ValueError(f"Requires start <= limit when delta > 0 (start >= limit when delta < "
                         f"0): {start}/{limit}/{delta}")
    if start.dtype.kind in "iu":   # the size as TF computes it, in the dtype of the range
        return int((np.abs(limit - start) + np.abs(delta) - 1) // np.abs(delta))
    return int(np.ceil(np.abs((limit - start) / delta)))


def _range_kernel(start, limit, delta):
    for what, v in (("start", start), ("limit", limit), ("delta", delta)):
        if v.ndim:          # (a placeholder of unknown shape: known only here)
            raise ValueError(f"{what} must be a scalar, not shape {list(v.shape)}")
    return start + np.arange(_range_size(start, limit, delta), dtype=start.dtype) * delta


def _range_infer(inputs, attrs):
    values = [constant_value(t) for t in inputs]
    if any(v is None for v in values):
        return [(inputs[0].dtype, TensorShape([None]))]
    return [(inputs[0].dtype, TensorShape([_range_size(*values)]))]


register_kernel("Range", _range_kernel, infer=_range_infer)
not_differentiable("Range")


def range_(start, limit=None, delta=1, dtype=None, name="range"):
    """tf.range: [start, start + delta, ...] up to (not including) limit; range(n) counts
    from 0. The dtype is the widest of the arguments' (Python ints int32, floats float32) unless
    given. (Named range_ so that this module keeps Python's range.)"""
    if limit is None:
        start, limit = 0, start
    dtype = None if dtype is None else dtypes.as_dtype(dtype)
    args = [a if isinstance(a, Tensor) else convert_to_tensor(a, dtype=dtype)
            for a in (start, limit, delta)]
    for what, t in zip(("start", "limit", "delta"), args):
        if t.dtype not in _RANGE_ORDER or (t.shape.rank is not None and t.shape.rank != 0):
            raise TypeError(f"Range: {what} must be a scalar int or float, got {short_repr(t)}")
    target = dtype or max((t.dtype for t in args), key=_RANGE_ORDER.index)
    args = [cast(t, target) for t in args]
    return execute("Range", args, name=name)[0]


def _linspace_kernel(start, stop, num, *, axis):
    n = int(num)
    if n <= 0:
        raise ValueError(f"Requires num > 0: {n}")
    return np.linspace(start, stop, n, axis=axis, dtype=np.result_type(start, stop))


def _linspace_infer(inputs, attrs):
    start, stop, num = inputs
    base = broadcast_static(start.shape, stop.shape)
    n = constant_value(num)
    n = None if n is None else int(n)
    if base.rank is None:
        return [(start.dtype, TensorShape(None))]
    dims = base.as_list()
    dims.insert(attrs["axis"] % (len(dims) + 1), n)
    return [(start.dtype, TensorShape(dims))]


register_kernel("LinSpace", _linspace_kernel, infer=_linspace_infer)


def linspace(start, stop, num, name=None, axis=0):
    """`num` evenly spaced values from start to stop (both included), along a new `axis` when
    start and stop are tensors (broadcast against each other)."""
    start, stop = convert_same_dtype("LinSpace", [start, stop], ["start", "stop"])
    if not start.dtype.is_floating:
        raise TypeError(f"LinSpace: start and stop must be floating, got {start.dtype.name}")
    num = scalar_int_tensor(num, "LinSpace", "num")
    rank = broadcast_static(start.shape, stop.shape).rank
    if rank is not None:
        if not -rank - 1 <= axis <= rank:
            raise ValueError(f"LinSpace: axis {axis} out of range [{-rank - 1}, {rank}]")
        axis %= rank + 1
    return execute("LinSpace", [start, stop, num], {"axis": int(axis)}, name=name)[0]


@gradient("LinSpace")
def _linspace_grad(op, dy):
    """sum along axis of dy * (1 - w) and dy * w, with w = linspace(0, 1, num)"""
    from .reduce import reduce_sum   # reduce.py builds on this file: imported when first needed
    start, stop, num = op.inputs
    axis = op.get_attr("axis")
    w = execute("LinSpace", [zeros_like(start), ones_like(stop), num], {"axis": axis})[0]
    return (unbroadcast(reduce_sum(dy * (1.0 - w), axis), start),
            unbroadcast(reduce_sum(dy * w, axis), stop), None)


# -- small helpers that other families use ------------------------------------------------------

def truediv(x, y, name="truediv"):
    """x / y; integers are converted to floating first, as TF."""
    if isinstance(x, (Tensor, Variable)) and isinstance(y, (Tensor, Variable)) and \
            x.dtype != y.dtype:                     # TF's own check here, in both modes
        raise TypeError(in_api(f"`x` and `y` must have the same dtype, got {x.dtype!r} != "
                               f"{y.dtype!r}."))
    x, y = convert_same_dtype("RealDiv", [x, y], ["x", "y"])
    if x.dtype.is_integer:
        target = dtypes.float64 if x.dtype.size >= 4 else dtypes.float32
        x, y = cast(x, target), cast(y, target)
    elif not (x.dtype.is_floating or x.dtype.is_complex):
        raise TypeError(f"RealDiv: dtype {x.dtype.name} is not supported")
    return execute("RealDiv", [x, y], name=name)[0]


divide = truediv


def scalar_mul(scalar, x, name="scalar_mul"):
    """Multiply the tensor `x` by the scalar `scalar`."""
    return multiply(scalar, x, name=name)


# array.py imports nothing from this file at load time (a few of its functions import math ops
# when called); its names come last here so that either file may be imported first
from .array import constant_value, ones_like, zeros_like  # noqa: E402
