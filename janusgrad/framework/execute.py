"""`execute`: the one entry of every op, in both modes.

Eager: run the kernel on the inputs' arrays, wrap the results, and, only if some tape is
recording, offer the op to each tape. Graph: add an Operation with inferred dtypes and shapes.
"""
import numpy as np

from .context import ctx, current_graph, process_state
from .dtypes import BY_NUMPY
from .errors import InvalidArgumentError
from .registry import OPS
from .tensor import EagerTensor, GraphTensor, next_id
from .tf_messages import tf_wording

_EMPTY = {}


def execute(op_type, inputs, attrs=_EMPTY, grad_fn=None, name=None):
    """Run or build `op_type` on `inputs` (Tensors); returns the list of output tensors."""
    opdef = OPS[op_type]
    if not ctx.graph_stack and (process_state["eager"] or ctx.force_eager):
        n = len(inputs)
        if 0 < n <= 2 and not opdef.multi:
            return [run_eager(opdef, inputs[0], inputs[1] if n == 2 else None, attrs, grad_fn)]
        return eager_run(opdef, inputs, attrs, grad_fn)
    graph = current_graph()
    try:
        specs = opdef.infer(inputs, attrs)
    except Exception as e:
        raise infer_error(op_type, e) from e
    op = graph.add_op(op_type, inputs, attrs, specs, name, grad_fn)
    if ctx.tapes:          # a tape used inside a tf.function records graph ops as they are
        for tape in ctx.tapes:
            tape.record_node(op)
    return op.outputs


def eager_run(opdef, inputs, attrs=_EMPTY, grad_fn=None):
    """The eager half of `execute` for any op (`run_eager` runs the usual ones): the kernel on
    the arrays, the results wrapped, the op offered to recording tapes; returns the list of
    output tensors."""
    try:
        out = opdef.kernel(*[t._value for t in inputs], **attrs)
    except AttributeError:
        if any(isinstance(t, GraphTensor) for t in inputs):
            raise _graph_tensor_in_eager(opdef.type, inputs) from None
        raise
    except Exception as e:
        raise kernel_error(opdef.type, None, inputs, e) from e
    outs = [EagerTensor(o) for o in out] if opdef.multi else [EagerTensor(out)]
    tapes = ctx.tapes
    if tapes:
        for tape in tapes:
            tape.record_op(opdef.type, inputs, outs, attrs, grad_fn)
    return outs


def run_eager(opdef, a, b=None, attrs=_EMPTY, grad_fn=None):
    """`eager_run` for the usual op (public op functions call it directly once they know the
    mode): one output, one input `a` or two `a, b`; returns the output tensor. The generated
    entries of one- and two-input ops (ops/define.py) have its body written out: keep them
    in step."""
    try:
        if b is None:
            out = opdef.kernel(a._value, **attrs) if attrs else opdef.kernel(a._value)
        else:
            out = opdef.kernel(a._value, b._value, **attrs) if attrs else \
                opdef.kernel(a._value, b._value)
    except AttributeError:
        inputs = [a] if b is None else [a, b]
        if any(isinstance(t, GraphTensor) for t in inputs):
            raise _graph_tensor_in_eager(opdef.type, inputs) from None
        raise
    except Exception as e:
        raise kernel_error(opdef.type, None, [a] if b is None else [a, b], e) from e
    # the output's dtype: the input's, or found from the array's (a comparison, a cast)
    dt = (a.dtype if out.dtype is a._value.dtype else BY_NUMPY.get(out.dtype)) \
        if type(out) is _ndarray else None
    if dt is not None:
        # EagerTensor(out, dt), its slots filled here (the hottest line of eager mode)
        y = _new_tensor(EagerTensor)
        y._value = out
        y.dtype = dt
        y._id = next_id()
        y._stand_in = None
    else:
        y = EagerTensor(out)
    tapes = ctx.tapes
    if tapes:
        inputs, outs = [a] if b is None else [a, b], [y]
        for tape in tapes:
            tape.record_op(opdef.type, inputs, outs, attrs, grad_fn)
    return y


_ndarray = np.ndarray
_new_tensor = object.__new__


def kernel_error(op_type, node_name, values, e):
    """The kernel's exception with the op, the node and the input shapes in front of it."""
    at_node = getattr(e, "at_node", None)       # an error that describes the op itself
    if at_node is not None and node_name is None:
        return at_node(None, [getattr(v, "_value", v) for v in values])
    shapes = ", ".join(describe(v) for v in values)
    where = f"'{op_type}'" + (f" (node {node_name})" if node_name else "")
    tf_msg = tf_wording(op_type, [getattr(v, "_value", v) for v in values], e) \
        if isinstance(e, ValueError) else None          # NumPy's words put as TF puts them
    if tf_msg is not None:
        return InvalidArgumentError(f"{where} failed on inputs [{shapes}]: {tf_msg}")
    msg = f"{where} failed on inputs [{shapes}]: {e}"
    if isinstance(e, (InvalidArgumentError,)) or type(e).__module__ == "janusgrad.framework.errors":
        return type(e)(msg)
    if isinstance(e, TypeError):
        return TypeError(msg)
    if isinstance(e, (ValueError, ArithmeticError, IndexError)):
        return InvalidArgumentError(msg)
    if isinstance(e, (LookupError, NotImplementedError, RuntimeError)):
        return type(e)(msg) if type(e).__init__ is BaseException.__init__ else RuntimeError(msg)
    return RuntimeError(msg)


def infer_error(op_type, e):
    """A shape inference error (graph mode) that names the op, as a builtin class."""
    msg = str(e)
    if op_type.lower() not in msg.lower():
        msg = f"'{op_type}': {msg}"
    if isinstance(e, (TypeError, AttributeError)):
        return e if msg == str(e) and isinstance(e, TypeError) else TypeError(msg)
    if isinstance(e, (ValueError, LookupError, NotImplementedError, RuntimeError)):
        if msg == str(e):
            return e
        try:
            return type(e)(msg)
        except TypeError:         # an exception class with another signature
            return ValueError(msg)
    return ValueError(msg)


def describe(v):
    v = getattr(v, "_value", v)
    shape = getattr(v, "shape", None)
    dtype = getattr(v, "dtype", None)
    if shape is None or dtype is None:
        return type(v).__name__
    return f"{getattr(dtype, 'name', dtype)}{list(shape)}"


def _graph_tensor_in_eager(op_type, inputs):
    names = [t.name for t in inputs if isinstance(t, GraphTensor)]
    return TypeError(f"Op '{op_type}' runs eagerly but got the symbolic graph tensor(s) {names}: "
                     "graph tensors have values only inside Session.run; build the op inside "
                     "`with graph.as_default():` or run it in a session")

