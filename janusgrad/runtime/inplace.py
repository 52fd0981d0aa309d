"""In-place steps for Plans (Session.run and tf.function): `np.multiply(a, b, out=a)` in place
of the kernel's `a * b` where the plan owns `a` and `a` dies at that step.

Why: every kernel returns a new array (it must: values are shared, never copied). On big
arrays that allocation is not free: a fresh multi-megabyte buffer comes from the OS page by
page and is cold in the caches, so an elementwise chain with its gradient spends a good part
of its time allocating. A plan knows the whole program: when a step is the last reader of an
array nobody else can see, the step may write its result there, as hand-tuned NumPy would.

Ownership ("private" slots). A slot's array is private when
- the step that makes it is of a type in FRESH, run by janusgrad's own kernel: it returns a
  new array that shares no memory with its inputs;
- every step that reads it is in FRESH too: those kernels neither return a view of an input
  nor keep it. Identity, Reshape, ExpandDims, StopGradient, ReadVariableOp, AssignVariableOp,
  PartitionedCall, If ... are not, so an array that another slot, a variable, a function's
  outputs or the caller may hold is never private;
- it is not fed, not a folded constant and not fetched (those are the caller's or the graph's).
An IdentityN (janusgrad's own kernel) that is the only reader of a private array, reading it
once, hands it on: its output for that input is private when all of its readers are in FRESH
and it is neither fetched nor fed. (The optimizers route a step's gradients through one, which
the numerics check wraps while on; train/optimizer.py's `validate_gradients`.)

A step is run in place when its type has a form below, its kernel is janusgrad's own (a kernel
wrapped by janusgrad.debug's numerics check, or by a test, runs as it is), and one of its
inputs is private, read by this step only once and for the last time, floating, with the
step's dtype and every input's, and of the step's output shape for any shapes the static
shapes allow (`[3, 1] * [3, 4]` is never written into the `[3, 1]` input). Rank 0 never
qualifies (NumPy's scalars are not buffers), nor do arrays known to be smaller than
MIN_ELEMENTS: below that an allocation is cheap and `out=` costs a little more per call.

Arithmetic: each form is the kernel's expression, with the same operands in the same order
(janusgrad/ops/math.py and nn.py): a ufunc writing into an array of the dtype it would have
returned gives the same bits. tests/test_plan_inplace.py compares every form with its kernel.
"""
import numpy as np

from ..framework.registry import UFUNC_KERNELS

MIN_ELEMENTS = 4096


# -- the forms: op type -> an in-place kernel per input (None: that input cannot take it) ------

def _unary(ufunc):
    def into_x(x):
        return ufunc(x, out=x)
    return (into_x,)


def _binary(ufunc):
    def into_x(x, y):
        return ufunc(x, y, out=x)

    def into_y(x, y):
        return ufunc(x, y, out=y)
    return into_x, into_y


def _squared_difference(buf):
    def into(x, y):          # d = x - y; d * d
        d = (x, y)[buf]
        np.subtract(x, y, out=d)
        return np.multiply(d, d, out=d)
    return into


def _rsqrt_into_x(x):        # 1.0 / sqrt(x)
    np.sqrt(x, out=x)
    return np.true_divide(1.0, x, out=x)


def _sigmoid_into_x(x):      # 1.0 / (1.0 + exp(-x))
    np.negative(x, out=x)
    np.exp(x, out=x)
    np.add(1.0, x, out=x)
    return np.true_divide(1.0, x, out=x)


def _softplus_into_x(x):     # logaddexp(0, x)
    return np.logaddexp(np.zeros((), x.dtype), x, out=x)


def _relu_into_x(x):         # maximum(x, 0)
    return np.maximum(x, 0, out=x)


def _square_into_x(x):       # x * x
    return np.multiply(x, x, out=x)


def _tanh_grad_into_y(y, dy):          # dy * (1 - y * y)
    np.multiply(y, y, out=y)
    np.subtract(1, y, out=y)
    return np.multiply(dy, y, out=y)


def _tanh_grad_into_dy(y, dy):
    return np.multiply(dy, 1 - y * y, out=dy)


def _sigmoid_grad_into_y(y, dy):       # dy * y * (1 - y)
    t = dy * y
    np.subtract(1, y, out=y)
    return np.multiply(t, y, out=y)


def _sigmoid_grad_into_dy(y, dy):
    np.multiply(dy, y, out=dy)
    return np.multiply(dy, 1 - y, out=dy)


def _relu_grad_into_gradients(gradients, features):   # gradients * (features > 0), TF's
    return np.multiply(gradients, np.greater(features, 0), out=gradients)


def _add_n_into_0(*xs):                # x0 + x1 + x2 ... from the left
    out = xs[0]
    for x in xs[1:]:
        np.add(out, x, out=out)
    return out


def _add_n_into_1(*xs):
    out = np.add(xs[0], xs[1], out=xs[1])
    for x in xs[2:]:
        np.add(out, x, out=out)
    return out


FORMS = {
    "AddV2": _binary(np.add),
    "Sub": _binary(np.subtract),
    "Mul": _binary(np.multiply),
    "RealDiv": _binary(np.true_divide),
    "Maximum": _binary(np.maximum),
    "Minimum": _binary(np.minimum),
    "SquaredDifference": (_squared_difference(0), _squared_difference(1)),
    "AddN": (_add_n_into_0, _add_n_into_1),
    "Neg": _unary(np.negative),
    "Abs": _unary(np.absolute),
    "Sign": _unary(np.sign),
    "Square": (_square_into_x,),
    "Sqrt": _unary(np.sqrt),
    "Rsqrt": (_rsqrt_into_x,),
    "Reciprocal": _unary(np.reciprocal),
    "Exp": _unary(np.exp),
    "Expm1": _unary(np.expm1),
    "Log": _unary(np.log),
    "Log1p": _unary(np.log1p),
    "Sin": _unary(np.sin),
    "Cos": _unary(np.cos),
    "Tan": _unary(np.tan),
    "Tanh": _unary(np.tanh),
    "Floor": _unary(np.floor),
    "Ceil": _unary(np.ceil),
    "Sigmoid": (_sigmoid_into_x,),
    "Softplus": (_softplus_into_x,),
    "Relu": (_relu_into_x,),
    "TanhGrad": (_tanh_grad_into_y, _tanh_grad_into_dy),
    "SigmoidGrad": (_sigmoid_grad_into_y, _sigmoid_grad_into_dy),
    "ReluGrad": (_relu_grad_into_gradients, None),
}

# op types whose kernel returns a new array and keeps no reference to its inputs (read in
# janusgrad/ops: ufuncs, np.where, astype, np.matmul, np.sum, broadcast_to(...).copy())
FRESH = frozenset(FORMS) | {
    "MatMul", "BatchMatMulV2", "Sum", "Mean", "BroadcastReduced", "OnesLike", "ZerosLike",
    "Cast", "Greater", "GreaterEqual", "Less", "LessEqual", "Equal", "NotEqual", "SelectV2"}


def _own(op_type, kernel):
    """janusgrad's own kernel for `op_type` (maybe a ufunc: registry.UFUNC_KERNELS), not one
    wrapped by janusgrad.debug or put there by a test."""
    if kernel is UFUNC_KERNELS.get(op_type):
        return True
    return getattr(kernel, "__module__", "").startswith("janusgrad.ops.") and \
        not hasattr(kernel, "__wrapped__")


def _writable_into(buf, out, inputs):
    """Whether `out` (the step's output tensor) can be written into the array of input `buf`
    for every run-time shape the static shapes allow."""
    dtype, shape = buf.dtype, buf.shape
    if not dtype.is_floating or out.dtype is not dtype or any(t.dtype is not dtype
                                                              for t in inputs):
        return False
    if not shape.rank or out.shape.rank != shape.rank:
        return False
    dims = shape.dims
    if None not in dims and shape.num_elements() < MIN_ELEMENTS:
        return False
    for t in inputs:
        if t is buf:
            continue
        if t.shape.rank is None or t.shape.rank > len(dims):
            return False
        for d, b in zip(reversed(t.shape.dims), reversed(dims)):
            # broadcasting t gives buf's dim: t's is 1, or both the same, or t's unknown one
            # is (at run time) 1 or buf's known dim (anything else fails in the kernel anyway)
            if not (d == 1 or (b is not None and (d == b or (d is None and b != 1)))):
                return False
    return True


def rewrite(steps, last, shared):
    """Put in-place kernels into `steps` ([kernel, ins, outs, attrs, multi, op, frees] lists,
    in order) where it is safe (see the module docstring); return how many. `last[s]`: the
    index of the last step reading slot s; `shared`: fetched, fed and constant slots."""
    fresh, readers_ok, reads, passes = set(), {}, {}, []
    for kernel, ins, outs, _attrs, multi, op, _frees in steps:
        ok = op.type in FRESH
        for s in ins:
            readers_ok[s] = readers_ok.get(s, True) and ok
            reads[s] = reads.get(s, 0) + 1
        if ok and not multi and len(outs) == 1 and _own(op.type, kernel):
            fresh.add(outs[0])
        elif op.type == "IdentityN" and _own(op.type, kernel):
            passes.extend(zip(ins, outs))
    private = {s for s in fresh if s not in shared and readers_ok.get(s, True)}
    # an IdentityN that alone reads a fresh array, once, hands it on (nobody else sees it)
    private.update(t for s, t in passes if s in fresh and s not in shared and reads[s] == 1
                   and t not in shared and readers_ok.get(t, True))
    count = 0
    for i, step in enumerate(steps):
        kernel, ins, outs, attrs, multi, op, _frees = step
        forms = FORMS.get(op.type)
        if forms is None or attrs or multi or len(outs) != 1 or not _own(op.type, kernel):
            continue
        for k, s in enumerate(ins[:len(forms)]):
            if (forms[k] is not None and s in private and last[s] == i and ins.count(s) == 1
                    and _writable_into(op.inputs[k], op.outputs[0], op.inputs)):
                step[0] = forms[k]
                count += 1
                break
    return count
