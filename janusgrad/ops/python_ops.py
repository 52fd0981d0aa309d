"""Ops whose forward pass is Python on NumPy arrays: `register_op` (a new op type, janusgrad's
own) and TensorFlow's `numpy_function`. (`py_function`, whose gradient runs a GradientTape, is
above autodiff: runtime/py_function.py.)

`register_op` is the mechanism janusgrad's own ops use (a kernel and a gradient in the op tables
of framework/registry.py), plus checks of what the user's kernel and gradient return, so that a
mistake is an error naming the op rather than a wrong number further down.
"""
from collections.abc import Callable
from typing import Any

import numpy as np

from ..framework import dtypes
from ..framework.context import current_graph
from ..framework.errors import InvalidArgumentError
from ..framework.execute import execute
from ..framework.registry import (GRADIENTS, OPS, not_differentiable, register_kernel,
                                  remove_gradient, same_function, set_gradient, unregister_kernel)
from ..framework.shape import TensorShape
from ..framework.tensor import Tensor, convert_to_tensor
from .state import Variable

_USER_OPS = {}       # op type -> _UserOp: what register_op was given (to accept a re-run cell)


class _UserOp:
    __slots__ = ("type", "kernel", "gradient", "checked_gradient", "num_outputs", "shape_fn",
                 "output_dtypes")

    def __init__(self, op_type, kernel, gradient, num_outputs, shape_fn, output_dtypes):
        self.type = op_type
        self.kernel = kernel
        self.gradient = gradient
        self.checked_gradient = None if gradient is None else checked_gradient(op_type, gradient)
        self.num_outputs = num_outputs
        self.shape_fn = shape_fn
        self.output_dtypes = output_dtypes


def register_op(op_type: str, kernel: Callable[..., Any],
                gradient: Callable[..., Any] | None = None, *, num_outputs: int = 1,
                shape_fn: Callable[..., Any] | None = None,
                output_dtypes: Any = None) -> Callable[..., Any]:
    """A new op type whose forward pass is `kernel(*arrays, **attrs)` on NumPy arrays.

    The op works eagerly, in graphs and in tf.function, like a built-in one. The kernel's
    outputs are checked (count, NumPy array, dtype, shape_fn's shape) and so are the
    gradient's (count, shapes, dtypes): a mistake is an error naming the op.

    Args:
        op_type: the new op type's name (as `Operation.type`).
        kernel: `kernel(*arrays, **attrs)` -> an array (a list of `num_outputs` arrays). Its
            inputs are shared with other tensors: it must not write into them.
        gradient: `gradient(op, *dys)` -> one gradient (or None) per input, made of janusgrad
            ops (so both modes and second order work); `op.inputs`, `op.outputs` and
            `op.get_attr(name)` are there. Without it, register one later with
            `tf.RegisterGradient(op_type)`.
        num_outputs: how many arrays the kernel returns; fn then returns a list.
        shape_fn: `shape_fn(*input_shapes, **attrs)` -> the output's static shape (a list
            when num_outputs > 1); without it graph shapes are unknown.
        output_dtypes: a dtype, a list (one per output), or `fn(*input_dtypes, **attrs)`;
            by default every output has the first input's dtype.

    Returns:
        The op's public function, `fn(*inputs, name=None, **attrs)`.

    Raises:
        KeyError: op_type is taken (unless it is the same kernel again: a re-run notebook
            cell).
        TypeError: kernel or gradient is not callable.

    Examples:
        >>> import janusgrad as tf
        >>> def _square_grad(op, dy):
        ...     return 2.0 * op.inputs[0] * dy
        >>> square = tf.register_op("DocSquare", lambda x: x * x, _square_grad,
        ...                         shape_fn=lambda s: s)
        >>> square(tf.constant([1.0, 2.0])).numpy()
        array([1., 4.], dtype=float32)
        >>> tf.grad(lambda x: tf.reduce_sum(square(x)))(tf.constant([1.0, 2.0])).numpy()
        array([2., 4.], dtype=float32)
    """
    if not isinstance(op_type, str) or not op_type:
        raise TypeError(f"register_op: op_type must be a non-empty string, got {op_type!r}")
    if not callable(kernel):
        raise TypeError(f"register_op('{op_type}'): kernel must be callable, got {kernel!r}")
    if gradient is not None and not callable(gradient):
        raise TypeError(f"register_op('{op_type}'): gradient must be callable or None")
    if not isinstance(num_outputs, int) or isinstance(num_outputs, bool) or num_outputs < 1:
        raise ValueError(f"register_op('{op_type}'): num_outputs must be a positive integer, "
                         f"got {num_outputs!r}")
    prev = _USER_OPS.get(op_type)
    rerun = prev is not None and OPS.get(op_type) is not None and \
        same_function(prev.kernel, kernel)
    if op_type in OPS and not rerun:
        where = "a built-in op" if prev is None else f"register_op, kernel {_where(prev.kernel)}"
        raise KeyError(f"Op type '{op_type}' is already registered (by {where}); choose another "
                       "name, or pass the same kernel again to re-register it")
    spec = _UserOp(op_type, kernel, gradient, num_outputs, shape_fn, output_dtypes)
    current = GRADIENTS.get(op_type, _MISSING)
    ours = prev is not None and prev.checked_gradient is not None and \
        current is prev.checked_gradient
    if gradient is not None and current is not _MISSING and not ours:
        raise KeyError(f"Registering two gradient with name '{op_type}'! (a gradient for it is "
                       "already registered; pass gradient=None to keep it)")
    unregister_kernel(op_type)
    register_kernel(op_type, _checked_kernel(spec), infer=_infer(spec), multi=num_outputs > 1)
    if gradient is not None:
        set_gradient(op_type, spec.checked_gradient)
    elif ours:
        remove_gradient(op_type)                  # the re-run cell no longer has a gradient
    _USER_OPS[op_type] = spec
    return _public_function(spec)


def unregister_op(op_type):
    """Remove an op type added with register_op (and its gradient, if register_op set it)."""
    spec = _USER_OPS.pop(op_type, None)
    if spec is None:
        raise KeyError(f"'{op_type}' was not registered with register_op")
    unregister_kernel(op_type)
    if GRADIENTS.get(op_type) is spec.checked_gradient and spec.checked_gradient is not None:
        remove_gradient(op_type)


_MISSING = object()


def _where(fn):
    code = getattr(fn, "__code__", None)
    name = getattr(fn, "__qualname__", repr(fn))
    return name if code is None else f"{name} at {code.co_filename}:{code.co_firstlineno}"


def _public_function(spec):
    op_type, single = spec.type, spec.num_outputs == 1

    def fn(*inputs, name=None, **attrs):
        tensors = [x if isinstance(x, Tensor) else convert_to_tensor(x) for x in inputs]
        outs = execute(op_type, tensors, attrs, name=name)
        return outs[0] if single else outs

    fn.__name__ = getattr(spec.kernel, "__name__", op_type)
    fn.__qualname__ = fn.__name__
    fn.__doc__ = spec.kernel.__doc__ or f"The op '{op_type}' (registered with register_op)."
    fn.op_type = op_type
    fn.kernel = spec.kernel
    return fn


# -- checks of what user code returns ----------------------------------------------------------

def _output_dtypes(spec, input_dtypes, attrs):
    """One DType per output (see register_op's output_dtypes)."""
    want = spec.output_dtypes
    if want is None:
        first = input_dtypes[0] if input_dtypes else dtypes.float32
        return [first] * spec.num_outputs
    if callable(want) and not isinstance(want, dtypes.DType):
        want = want(*input_dtypes, **attrs)
    want = list(want) if isinstance(want, (list, tuple)) else [want] * spec.num_outputs
    if len(want) != spec.num_outputs:
        raise ValueError(f"'{spec.type}': output_dtypes gives {len(want)} dtypes for "
                         f"{spec.num_outputs} outputs")
    return [dtypes.as_dtype(d) for d in want]


def _static_shapes(spec, input_shapes, attrs):
    """One TensorShape per output from shape_fn (unknown without one)."""
    if spec.shape_fn is None:
        return [TensorShape(None)] * spec.num_outputs
    try:
        got = spec.shape_fn(*input_shapes, **attrs)
    except (ValueError, TypeError) as e:
        raise type(e)(f"'{spec.type}': shape_fn rejected the input shapes "
                      f"{[str(s) for s in input_shapes]}: {e}") from None
    shapes = [got] if spec.num_outputs == 1 else list(got)
    if len(shapes) != spec.num_outputs:
        raise ValueError(f"'{spec.type}': shape_fn returned {len(shapes)} shapes for "
                         f"{spec.num_outputs} outputs")
    return [TensorShape(s) for s in shapes]


def _infer(spec):
    def infer(inputs, attrs):
        dts = _output_dtypes(spec, [t.dtype for t in inputs], attrs)
        return list(zip(dts, _static_shapes(spec, [t.shape for t in inputs], attrs)))
    return infer


def _checked_kernel(spec):
    """The user's kernel, followed by checks of its outputs (not in execute's hot path)."""
    kernel, n, name = spec.kernel, spec.num_outputs, getattr(spec.kernel, "__name__", "kernel")

    def run(*arrays, **attrs):
        out = kernel(*arrays, **attrs)
        if n == 1:
            if isinstance(out, (list, tuple)) and all(_is_array(o) for o in out):
                raise InvalidArgumentError(
                    f"the kernel {name} returned a {type(out).__name__} of {len(out)} values, "
                    "but the op has 1 output (pass num_outputs= to register_op for more)")
            outs = [out]
        elif not isinstance(out, (list, tuple)) or len(out) != n:
            got = f"{len(out)} values" if isinstance(out, (list, tuple)) else \
                f"one {type(out).__name__}"
            raise InvalidArgumentError(f"the kernel {name} returned {got}, but the op has {n} "
                                       "outputs: return a list of that many NumPy arrays")
        else:
            outs = list(out)
        want = _output_dtypes(spec, [dtypes.from_numpy(a.dtype) for a in arrays], attrs)
        shapes = None if spec.shape_fn is None else \
            _static_shapes(spec, [TensorShape(a.shape) for a in arrays], attrs)
        for i, o in enumerate(outs):
            if not _is_array(o):
                raise TypeError(f"the kernel {name} returned {type(o).__name__} for output {i}; "
                                "kernels must return NumPy arrays")
            o = outs[i] = np.asarray(o)
            if o.dtype != want[i].np:
                raise TypeError(f"the kernel {name} returned {o.dtype} for output {i}, expected "
                                f"{want[i].name} (cast with .astype, or declare output_dtypes)")
            if shapes is not None and not shapes[i].is_compatible_with(o.shape):
                raise InvalidArgumentError(f"the kernel {name} returned shape {o.shape} for "
                                           f"output {i}, but shape_fn gives {shapes[i]}")
        return outs[0] if n == 1 else outs

    run.__name__ = name
    return run


def _is_array(x):
    return isinstance(x, (np.ndarray, np.generic))


def checked_gradient(op_name, grad):
    """`grad(op, *dys)` followed by checks: one gradient (or None) per input, each a tensor of
    its input's shape and dtype; errors name the op."""
    def checked(op, *dys):
        dxs = grad(op, *dys)
        dxs = list(dxs) if isinstance(dxs, (list, tuple)) else [dxs]
        node = "" if op.name == op.type else f" (node {op.name})"
        if len(dxs) != len(op.inputs):
            raise ValueError(f"The gradient of op '{op_name}'{node} returned {len(dxs)} "
                             f"gradients, but the op has {len(op.inputs)} inputs: return one "
                             "gradient (or None) per input")
        for i, (dx, x) in enumerate(zip(dxs, op.inputs)):
            if dx is None:
                continue
            if not isinstance(dx, Tensor):
                try:
                    dx = dxs[i] = convert_to_tensor(dx, dtype=x.dtype if
                                                    x.dtype.is_differentiable else None)
                except (TypeError, ValueError) as e:
                    raise TypeError(f"The gradient of op '{op_name}'{node} returned "
                                    f"{type(dx).__name__} for input {i}: {e}") from None
            if not dx.shape.is_compatible_with(x.shape):
                raise ValueError(f"The gradient of op '{op_name}'{node} for input {i} has shape "
                                 f"{dx.shape}, but the input has shape {x.shape}")
            if x.dtype.is_differentiable and dx.dtype is not x.dtype:
                raise TypeError(f"The gradient of op '{op_name}'{node} for input {i} has dtype "
                                f"{dx.dtype.name}, but the input has dtype {x.dtype.name}")
        return dxs

    checked.__name__ = getattr(grad, "__name__", "gradient")
    checked.__wrapped__ = grad
    return checked


# -- tf.numpy_function -------------------------------------------------------------------------

def read_only(a):
    """A read-only view: tensor values are shared, so Python code must not write into them."""
    if not isinstance(a, np.ndarray):
        return np.asarray(a)                      # a NumPy scalar: the array is a copy
    v = a.view()
    v.flags.writeable = False
    return v


def result_values(result, n, what):
    values = list(result) if isinstance(result, (list, tuple)) else \
        ([] if result is None and n == 0 else [result])
    if len(values) != n:
        raise InvalidArgumentError(f"{what} returns {len(values)} values, but expects to see {n} "
                                   "values (one per entry of Tout).")
    return values


def _py_func_kernel(*arrays, func, Tout):
    what = getattr(func, "__name__", "func")
    values = result_values(func(*[read_only(a) for a in arrays]), len(Tout), what)
    outs = []
    for i, (v, dt) in enumerate(zip(values, Tout)):
        if isinstance(v, Variable):
            v = v.numpy()
        try:
            outs.append(np.asarray(v, dtype=dt.np))
        except (TypeError, ValueError) as e:
            raise InvalidArgumentError(f"value {i} returned by {what} cannot be converted to "
                                       f"{dt.name}: {e}") from None
    return outs


def unknown_shapes(inputs, attrs):
    return [(dt, TensorShape(None)) for dt in attrs["Tout"]]


register_kernel("PyFunc", _py_func_kernel, multi=True, side_effect=True, infer=unknown_shapes)
register_kernel("PyFuncStateless", _py_func_kernel, multi=True, infer=unknown_shapes)
not_differentiable("PyFunc", "PyFuncStateless")


def parse_tout(Tout):
    listed = isinstance(Tout, (list, tuple))
    return listed, tuple(dtypes.as_dtype(d) for d in (Tout if listed else [Tout]))


def numpy_function(func, inp, Tout, stateful=True, name=None, grad=None):
    """Run `func(*numpy_arrays)` as an op (tf.numpy_function): eagerly now, in a graph when it runs.

    `Tout`: one dtype (returns a tensor) or a list of dtypes (returns a list); func's results
    are converted to them. In graphs the output shapes are unknown (use `set_shape`).
    `stateful=False` lets a tf.function skip the op when nothing uses its outputs.
    No gradient flows through it, unless `grad` is given (janusgrad's extension): a function
    `grad(op, *dys)` in janusgrad ops returning one gradient per input, as for register_op.
    """
    if not callable(func):
        raise TypeError(f"numpy_function: func must be callable, got {func!r}")
    listed, touts = parse_tout(Tout)
    inputs = [x if isinstance(x, Tensor) else convert_to_tensor(x) for x in inp]
    op_type = "PyFunc" if stateful else "PyFuncStateless"
    what = f"numpy_function({getattr(func, '__name__', 'func')})"
    grad_fn = None if grad is None else checked_gradient(what, grad)
    attrs = {"func": func, "Tout": touts}
    outs = execute_python_op(op_type, inputs, attrs, grad_fn, name)
    return outs if listed else outs[0]


def execute_python_op(op_type, inputs, attrs, grad_fn, name):
    graph = current_graph()
    if graph is not None and not attrs["Tout"]:      # no outputs: the op, for control deps
        return graph.add_op(op_type, inputs, attrs, [], name=name, grad_fn=grad_fn)
    return execute(op_type, inputs, attrs, grad_fn=grad_fn, name=name)


__all__ = ["register_op", "unregister_op", "numpy_function", "checked_gradient"]
