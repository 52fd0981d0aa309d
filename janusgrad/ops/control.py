"""Grouping and ordering ops (no_op, group, tuple, control_dependencies, name_scope), tf.print
and the debugging ops (Assert, assert_equal & co, check_numerics). The control flow over
traced functions (cond, while_loop, case) is above autodiff, in runtime/control_flow.py."""
import sys
import threading

import numpy as np

from ..framework.context import current_graph
from ..framework.errors import InvalidArgumentError
from ..framework.execute import execute
from ..framework.nest import flatten
from ..framework.registry import gradient, not_differentiable, register_kernel
from ..framework.tensor import Tensor, convert_to_tensor

register_kernel("NoOp", lambda: [], multi=True, infer=lambda i, a: [])
not_differentiable("NoOp")


def no_op(name=None):
    """An op that does nothing, to group control dependencies on; None when executing eagerly."""
    graph = current_graph()
    if graph is None:
        return None
    return graph.add_op("NoOp", [], {}, [], name=name)


def group(*inputs, name=None):
    """An op that runs after all `inputs` (None when executing eagerly)."""
    graph = current_graph()
    if graph is None:
        return None
    deps = []
    for x in flatten(list(inputs)):
        if x is None:
            continue
        deps.append(x)
    with graph.control_dependencies(deps):
        return graph.add_op("NoOp", [], {}, [], name=name or "group_deps")


def tuple_(tensors, name=None, control_inputs=None):
    """The tensors, each available only after all of them (tf.tuple)."""
    graph = current_graph()
    if graph is None:
        return list(tensors)
    from .array import identity
    gate = group(*tensors, *(control_inputs or []))
    with graph.control_dependencies([gate]):
        return [None if t is None else identity(t) for t in tensors]


def control_dependencies(control_inputs):
    """Ops created inside run after `control_inputs` (graph mode); eager: calls callables."""
    graph = current_graph()
    if graph is None:
        for c in control_inputs or []:
            if callable(c):
                c()
        import contextlib
        return contextlib.nullcontext()
    return graph.control_dependencies(control_inputs)


def name_scope(name, default_name=None, values=None):
    """A name scope for graph ops; eagerly (ops have no names then) the scope of TF2's summary
    tags, which it yields as TF's does ("a/", "a/b/")."""
    graph = current_graph()
    if graph is None:
        return _EagerScope(name if name is not None else default_name)
    return graph.name_scope(name if name is not None else default_name)


# -- issue 18 (TF's default op names): the name scope of a composite function ----------------
class _NoScope:
    """Eagerly: no scope, and None for the result's name (eager tensors have no names)."""
    __slots__ = ()

    def __enter__(self):
        return None

    def __exit__(self, *exc):
        return False


_NO_SCOPE = _NoScope()


def op_scope(name, default_name):
    """TF's `with ops.name_scope(name, default_name) as name:` around a composite function's
    ops: in a graph the scope, whose own name ("clip_by_norm/") the caller gives the result's
    op (which is then named "clip_by_norm", as TF names it); eagerly nothing, at no cost, and
    None for that name."""
    graph = current_graph()
    if graph is None:
        return _NO_SCOPE
    return graph.name_scope(name if name is not None else default_name)


# -- issue 18 (summaries): eager name scopes, which name TF2's summaries ------------------------
class _EagerScopeState(threading.local):
    scope = ""


_EAGER_SCOPE = _EagerScopeState()


class _EagerScope:
    """Eager `tf.name_scope(name)`: "" resets, a name ending in "/" is taken as it is, others
    nest (no numbering: eager scopes are not unique, as in TF)."""
    __slots__ = ("name", "old")

    def __init__(self, name):
        self.name = name

    def __enter__(self):
        old = self.old = _EAGER_SCOPE.scope
        name = self.name
        new = "" if not name else name if name.endswith("/") else f"{old}{name}/"
        _EAGER_SCOPE.scope = new
        return new

    def __exit__(self, *exc):
        _EAGER_SCOPE.scope = self.old
        return False


def eager_name_scope_prefix():
    """The current eager name scope with its trailing "/" ("" outside any): what an eager
    variable's name starts with (ops/state.py)."""
    return _EAGER_SCOPE.scope


def eager_name_scope():
    """The current eager name scope without its trailing "/" ("" outside any)."""
    return _EAGER_SCOPE.scope.rstrip("/")


# -- tf.print ----------------------------------------------------------------------------------

def _format_value(v, summarize):
    if isinstance(v, str):
        return v
    a = np.asarray(v)
    if a.ndim == 0:
        return _format_scalar(a[()])
    return _format_array(a, summarize)


def _format_scalar(x):
    if isinstance(x, (np.floating, float)):
        if isinstance(x, np.float64):
            return "%.17g" % x
        return "%.9g" % x
    if isinstance(x, (np.bool_, bool)):
        return "1" if x else "0"
    if isinstance(x, bytes):
        return x.decode()
    return str(x)


def _format_array(a, summarize, indent=1):
    n = a.shape[0]
    if summarize is not None and summarize >= 0 and n > 2 * summarize:
        idx = list(range(summarize)) + [None] + list(range(n - summarize, n))
    else:
        idx = list(range(n))
    if a.ndim == 1:
        parts = ["..." if i is None else _format_scalar(a[i]) for i in idx]
        return "[" + " ".join(parts) + "]"
    sep = "\n" + " " * indent
    parts = ["..." if i is None else _format_array(a[i], summarize, indent + 1) for i in idx]
    return "[" + sep.join(parts) + "]"


def _print_kernel(*values, template, output_stream, sep, end, summarize):
    it = iter(values)
    text = sep.join(_format_value(next(it), summarize) if t is None else t for t in template)
    stream = output_stream
    if stream == "stderr" or stream is sys.stderr:
        stream = sys.stderr
    elif stream == "stdout" or stream is sys.stdout:
        stream = sys.stdout
    if callable(stream):
        stream(text + end)
    else:
        stream.write(text + end)
        stream.flush()
    return []


register_kernel("PrintV2", _print_kernel, multi=True, side_effect=True, infer=lambda i, a: [])
not_differentiable("PrintV2")


def print_(*inputs, output_stream=None, sep=" ", end="\n", summarize=3, name=None):
    """Print tensors like TensorFlow (`[0 0 1 1]`); an op in graph mode, immediate in eager."""
    template, tensors = [], []
    for x in inputs:
        if isinstance(x, Tensor) or hasattr(x, "_as_tensor"):
            tensors.append(convert_to_tensor(x))
            template.append(None)
        elif isinstance(x, (list, tuple, dict)):
            template.append(str(x))
        else:
            template.append(str(x))
    # streams are looked up when printing, so redirections (pytest, contextlib) are honoured
    stream = "stderr" if output_stream is None or output_stream is sys.stderr else \
        "stdout" if output_stream is sys.stdout else output_stream
    attrs = {"template": tuple(template), "output_stream": stream, "sep": sep, "end": end,
             "summarize": summarize}
    graph = current_graph()
    if graph is None:
        execute("PrintV2", tensors, attrs)
        return None
    return graph.add_op("PrintV2", [graph.own(t, "PrintV2") for t in tensors], attrs, [],
                        name=name)


# -- debugging: Assert, assert_equal & co, check_numerics --------------------------------------

def _assert_kernel(condition, *data, template, summarize):
    if np.all(condition):
        return []
    raise InvalidArgumentError("assertion failed: " + _assert_text(template, data, summarize))


def _assert_text(template, data, summarize):
    it = iter(data)
    parts = [t if t is not None else _format_value(next(it), summarize) for t in template]
    return " ".join(f"[{p}]" for p in parts)


register_kernel("Assert", _assert_kernel, multi=True, side_effect=True, infer=lambda i, a: [])
not_differentiable("Assert")


def Assert(condition, data, summarize=None, name=None):  # noqa: N802  (TF's name)
    """Raise InvalidArgumentError showing `data` (tensors and strings) unless `condition` holds.
    Eager: checked now, returns None; graph: returns the `Assert` op, which raises when run."""
    condition = convert_to_tensor(condition)
    if not condition.dtype.is_bool:
        raise TypeError(f"Assert: condition must be a bool tensor, got {condition.dtype.name}")
    summarize = 3 if summarize is None else summarize
    if not isinstance(data, (list, tuple)):
        raise TypeError(f"Assert: data must be a list of tensors and strings, got "
                        f"{type(data).__name__}")
    template, tensors = [], []
    for d in data:
        if isinstance(d, str):
            template.append(d)
        else:
            tensors.append(convert_to_tensor(d))
            template.append(None)
    graph = current_graph()
    if graph is None:
        if not np.all(condition._value):
            text = _assert_text(template, [t._value for t in tensors], summarize)
            raise InvalidArgumentError(f"Assert: Expected '{condition!r}' to be true. "
                                       "Summarized data: " + text)
        return None
    attrs = {"template": tuple(template), "summarize": summarize}
    return graph.add_op("Assert", [condition] + tensors, attrs, [], name=name or "Assert")


_COMPARISONS = {          # assert name -> (NumPy test, the condition as TF words it)
    "assert_equal": (np.equal, "=="),
    "assert_none_equal": (np.not_equal, "!="),
    "assert_less": (np.less, "<"),
    "assert_less_equal": (np.less_equal, "<="),
    "assert_greater": (np.greater, ">"),
    "assert_greater_equal": (np.greater_equal, ">="),
}

_TF_COMPARISONS = {"assert_equal": ("Equal", False), "assert_none_equal": ("NotEqual", False),
                   "assert_less": ("Less", False), "assert_less_equal": ("LessEqual", False),
                   "assert_greater": ("Less", True), "assert_greater_equal": ("LessEqual", True)}


def _binary_assert(kind, x, y, message, summarize, name):
    """Eager: raise InvalidArgumentError now; graph: an Assert op (or raise now when both values
    are known while the graph is built, as TF does)."""
    from .array import constant_value
    from .define import convert_same_dtype
    test, symbol = _COMPARISONS[kind]
    # the comparison op TF builds (assert_greater(x, y) is Less(y, x)) names a dtype mismatch
    op_type, swapped = _TF_COMPARISONS[kind]
    a, b = convert_same_dtype(op_type, [y, x] if swapped else [x, y], ["x", "y"])
    x, y = (b, a) if swapped else (a, b)
    summarize = 3 if summarize is None else summarize
    prefix = f"{message}\n" if message else ""
    graph = current_graph()
    xv, yv = (x._value, y._value) if graph is None else (constant_value(x), constant_value(y))
    if graph is not None and (xv is None or yv is None):
        from .reduce import reduce_all
        condition = reduce_all(execute(_COMPARE_OPS[kind], [x, y])[0])
        data = ([message] if message else []) + [
            f"Condition x {symbol} y did not hold element-wise:", f"x ({x.name}) = ", x,
            f"y ({y.name}) = ", y]
        return Assert(condition, data, summarize, name=name or kind)
    try:
        ok = test(xv, yv)
    except ValueError:
        raise (InvalidArgumentError if graph is None else ValueError)(
            f"{kind}: incompatible shapes {np.shape(xv)} and {np.shape(yv)}") from None
    if not np.all(ok):
        bad = np.argwhere(~np.broadcast_to(ok, np.broadcast(xv, yv).shape))[:summarize]
        bx = np.broadcast_to(xv, np.broadcast(xv, yv).shape)
        by = np.broadcast_to(yv, bx.shape)
        raise InvalidArgumentError(
            f"{prefix}{kind}: Condition x {symbol} y did not hold.\n"
            f"Indices of first {len(bad)} different values:\n{bad}\n"
            f"Corresponding x values:\n{np.array([bx[tuple(i)] for i in bad])}\n"
            f"Corresponding y values:\n{np.array([by[tuple(i)] for i in bad])}\n"
            f"First {summarize} elements of x:\n{np.ravel(xv)[:summarize]}\n"
            f"First {summarize} elements of y:\n{np.ravel(yv)[:summarize]}")
    if graph is None:
        return None
    return no_op(name=name or kind)


_COMPARE_OPS = {"assert_equal": "Equal", "assert_none_equal": "NotEqual", "assert_less": "Less",
                "assert_less_equal": "LessEqual", "assert_greater": "Greater",
                "assert_greater_equal": "GreaterEqual"}


def assert_equal(x, y, message=None, summarize=None, name=None):
    """Raise InvalidArgumentError unless x == y everywhere (broadcasting)."""
    return _binary_assert("assert_equal", x, y, message, summarize, name)


def assert_none_equal(x, y, message=None, summarize=None, name=None):
    """Raise InvalidArgumentError unless x != y everywhere (broadcasting)."""
    return _binary_assert("assert_none_equal", x, y, message, summarize, name)


def assert_less(x, y, message=None, summarize=None, name=None):
    """Raise InvalidArgumentError unless x < y everywhere (broadcasting)."""
    return _binary_assert("assert_less", x, y, message, summarize, name)


def assert_less_equal(x, y, message=None, summarize=None, name=None):
    """Raise InvalidArgumentError unless x <= y everywhere (broadcasting)."""
    return _binary_assert("assert_less_equal", x, y, message, summarize, name)


def assert_greater(x, y, message=None, summarize=None, name=None):
    """Raise InvalidArgumentError unless x > y everywhere (broadcasting)."""
    return _binary_assert("assert_greater", x, y, message, summarize, name)


def assert_greater_equal(x, y, message=None, summarize=None, name=None):
    """Raise InvalidArgumentError unless x >= y everywhere (broadcasting)."""
    return _binary_assert("assert_greater_equal", x, y, message, summarize, name)


def _check_numerics_kernel(tensor, *, message):
    if np.isfinite(tensor).all():
        return tensor
    nan, inf = bool(np.isnan(tensor).any()), bool(np.isinf(tensor).any())
    what = "Inf and NaN" if nan and inf else "NaN" if nan else "Inf"
    raise InvalidArgumentError(f"{message} : Tensor had {what} values")


register_kernel("CheckNumerics", _check_numerics_kernel)


def check_numerics(tensor, message, name=None):
    """`tensor` itself, after checking that it holds no NaN or Inf (InvalidArgumentError naming
    `message` otherwise); its gradient is checked the same way."""
    tensor = convert_to_tensor(tensor)
    if not tensor.dtype.is_floating:
        raise TypeError(f"Value passed to parameter 'tensor' of op 'CheckNumerics' has DataType "
                        f"{tensor.dtype.name} not in the list of allowed values: bfloat16, "
                        "float16, float32, float64")
    return execute("CheckNumerics", [tensor], {"message": message}, name=name)[0]


@gradient("CheckNumerics")
def _check_numerics_grad(op, dy):
    """check_numerics(dy)"""
    return check_numerics(dy, "Not a number (NaN) or infinity (Inf) values detected in "
                              f"gradient. {op.get_attr('message')}")
