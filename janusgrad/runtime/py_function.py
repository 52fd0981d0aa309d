"""tf.py_function: an op (`EagerPyFunc`) whose forward pass is Python on eager tensors, also
inside graphs. Its gradient calls the function again under a GradientTape, so it sits above
autodiff; numpy_function and register_op, which need no tape, are in ops/python_ops.py.
"""
from ..autodiff.tape import GradientTape
from ..framework.context import current_graph, eager_mode, tapes_paused
from ..framework.registry import gradient, register_kernel
from ..framework.tensor import EagerTensor, Tensor, convert_to_tensor
from ..ops.python_ops import (execute_python_op, parse_tout, read_only, result_values,
                              unknown_shapes)
from ..ops.state import Variable


def _tensor_outputs(result, touts, func):
    """func's results as tensors of the dtypes in Tout (TF's conversion rules)."""
    what = getattr(func, "__name__", "func")
    values = result_values(result, len(touts), what)
    outs = []
    for v, dt in zip(values, touts):
        if isinstance(v, Variable):
            raise RuntimeError("Attempting to return a variable from an eagerly executed "
                               "py_func. Only numeric data structures like Tensors or NumPy "
                               "arrays should be returned; to return the value of a variable, "
                               f"call `.read_value()` on it: {v!r}")
        outs.append(convert_to_tensor(v, dtype=dt))
    return outs


def _eager_py_func_kernel(*arrays, func, Tout):
    with eager_mode(), tapes_paused():
        args = [EagerTensor(read_only(a)) for a in arrays]
        return [t._value for t in _tensor_outputs(func(*args), Tout, func)]


register_kernel("EagerPyFunc", _eager_py_func_kernel, multi=True, side_effect=True,
                infer=unknown_shapes)


def py_function(func, inp, Tout, name=None):
    """Run `func(*eager_tensors)` as an op (tf.py_function). Differentiable: eagerly, the tape
    sees the ops func runs; in a graph, the gradient calls func again under a GradientTape (so
    func should be deterministic). `Tout` works as for numpy_function."""
    if not callable(func):
        raise TypeError(f"py_function: func must be callable, got {func!r}")
    listed, touts = parse_tout(Tout)
    inputs = [x if isinstance(x, Tensor) else convert_to_tensor(x) for x in inp]
    if current_graph() is None:
        outs = _tensor_outputs(func(*inputs), touts, func)
    else:
        outs = execute_python_op("EagerPyFunc", inputs, {"func": func, "Tout": touts}, None, name)
    return outs if listed else outs[0]


@gradient("EagerPyFunc")
def _eager_py_func_grad(op, *dys):
    """py_function(the tape gradient of func at the op's inputs, seeded with dys)"""
    func, touts = op.get_attr("func"), op.get_attr("Tout")
    xs = list(op.inputs)
    diff = [i for i, x in enumerate(xs) if x.dtype.is_differentiable]
    seeds = [dy for dy, y in zip(dys, op.outputs) if y.dtype.is_differentiable]
    if not diff or not seeds:
        return [None] * len(xs)
    n = len(xs)

    def func_grad(*args):
        inputs, dy = list(args[:n]), list(args[n:])
        with GradientTape() as tape:
            tape.watch([inputs[i] for i in diff])
            ys = _tensor_outputs(func(*inputs), touts, func)
        ys = [y for y in ys if y.dtype.is_differentiable]
        return tape.gradient(ys, [inputs[i] for i in diff], output_gradients=dy,
                             unconnected_gradients="zero")

    func_grad.__name__ = f"grad_of_{getattr(func, '__name__', 'func')}"
    grads = py_function(func_grad, xs + seeds, Tout=[xs[i].dtype for i in diff])
    result = [None] * n
    for i, g in zip(diff, grads):
        if hasattr(g, "set_shape"):
            g.set_shape(xs[i].shape)
        result[i] = g
    return result
