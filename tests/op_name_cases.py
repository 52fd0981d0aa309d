"""The calls whose default op names tests/test_op_names.py compares with TensorFlow's: every
public op function of tests/reliability/public_calls.py, the Python operators, and a few more.

`build(tf, case)` builds one case in the current (default) graph of `tf` (TensorFlow when
tools/record_tf_op_names.py records the table, janusgrad in the test) and returns
(the names of the ops it created, in order, with their types; the names of its result tensors).
The inputs are constants made before the ops are counted, named "input", "input_1", ...
"""
import numpy as np

from .reliability.public_calls import CALLS, b, f, i

OPERATORS = {
    "x + y": lambda x, y: x + y, "x - y": lambda x, y: x - y, "x * y": lambda x, y: x * y,
    "x / y": lambda x, y: x / y, "x // y": lambda x, y: x // y, "x % y": lambda x, y: x % y,
    "x ** y": lambda x, y: x ** y, "x < y": lambda x, y: x < y, "x <= y": lambda x, y: x <= y,
    "x > y": lambda x, y: x > y, "x >= y": lambda x, y: x >= y,
    "2.0 + x": lambda x, y: 2.0 + x, "2.0 - x": lambda x, y: 2.0 - x,
    "2.0 * x": lambda x, y: 2.0 * x, "2.0 / x": lambda x, y: 2.0 / x,
    "2.0 // x": lambda x, y: 2.0 // x, "2.0 % x": lambda x, y: 2.0 % x,
    "2.0 ** x": lambda x, y: 2.0 ** x, "x + 2.0": lambda x, y: x + 2.0,
    "-x": lambda x, y: -x, "abs(x)": lambda x, y: abs(x),
    "x[0]": lambda x, y: x[0], "x[:, 1:]": lambda x, y: x[:, 1:],
    "x[..., None]": lambda x, y: x[..., None],
}
BOOL_OPERATORS = {"x & y": lambda x, y: x & y, "x | y": lambda x, y: x | y,
                  "x ^ y": lambda x, y: x ^ y, "~x": lambda x, y: ~x}


def cases():
    """name -> (fn(tf, *inputs), the input arrays)."""
    out = {}
    for name, call in CALLS.items():
        out[name] = (_public_call(name, call), None)
    for name, fn in OPERATORS.items():
        out[name] = (_operator(fn), [f(2, 3), f(2, 3)])
    out["x @ y"] = (_operator(lambda x, y: x @ y), [f(2, 3), f(3, 4)])
    for name, fn in BOOL_OPERATORS.items():
        out[name] = (_operator(fn), [b(2, 3), b(2, 3)])
    out.update({
        "variable + 1": (lambda tf: tf.compat.v1.get_variable(
            "v", initializer=np.ones(3, np.float32)) + 1.0, []),
        "nn.softmax (no axis)": (lambda tf, x: tf.nn.softmax(x), [f(2, 3)]),
        "reduce_mean (no axis)": (lambda tf, x: tf.reduce_mean(x), [f(2, 3)]),
        "reduce_sum (no axis)": (lambda tf, x: tf.reduce_sum(x), [f(2, 3)]),
        "argsort": (lambda tf, x: tf.argsort(x), [f(2, 3)]),
        "sort": (lambda tf, x: tf.sort(x), [f(2, 3)]),
        "math.sigmoid": (lambda tf, x: tf.math.sigmoid(x), [f(2, 3)]),
        "cast int": (lambda tf, x: tf.cast(x, tf.int32), [i(2, 3)]),
        "gradients": (lambda tf, x: tf.compat.v1.gradients(tf.reduce_sum(x * x), x),
                      [f(2, 3)]),
    })
    return out


def _resolve(tf, dotted):
    obj = tf
    for part in dotted.split("."):
        obj = getattr(obj, part)
    return obj


def _public_call(name, call):
    def fn(tf, *inputs):
        it = iter(inputs)
        args = _replace(call.args, it)
        kwargs = {k: _replace(v, it) for k, v in call.kwargs.items()}
        return _resolve(tf, name)(*args, **kwargs)
    return fn


def _operator(fn):
    def run(tf, *inputs):
        return fn(*inputs)
    return run


def arrays_of(name, inputs):
    """The input arrays of case `name` in order (those of its public call: every NumPy array
    among its arguments, nested lists included)."""
    if inputs is not None:
        return inputs
    call = CALLS[name]
    found = []
    _collect(call.args, found)
    for v in call.kwargs.values():
        _collect(v, found)
    return found


def _collect(value, found):
    if isinstance(value, np.ndarray):
        found.append(value)
    elif isinstance(value, (list, tuple)):
        for v in value:
            _collect(v, found)


def _replace(value, it):
    if isinstance(value, np.ndarray):
        return next(it)
    if isinstance(value, list):
        return [_replace(v, it) for v in value]
    if isinstance(value, tuple):
        return tuple(_replace(v, it) for v in value)
    return value


def flat_tensors(value):
    if isinstance(value, (list, tuple)):
        return [t for v in value for t in flat_tensors(v)]
    if isinstance(value, dict):
        return [t for v in value.values() for t in flat_tensors(v)]
    return [value] if hasattr(value, "name") and hasattr(value, "op") else []


def build(tf, name):
    """(ops created as [name, type] pairs, names of the result tensors) for case `name`, built
    in tf's default graph."""
    fn, inputs = cases()[name]
    graph = tf.compat.v1.get_default_graph()
    xs = [tf.constant(a, name="input") for a in arrays_of(name, inputs)]
    start = len(graph.get_operations())
    result = fn(tf, *xs)
    ops = [[op.name, op.type] for op in graph.get_operations()[start:]]
    return ops, [t.name for t in flat_tensors(result)]
