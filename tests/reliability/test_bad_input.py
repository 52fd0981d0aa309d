"""Bad input, everywhere: every public op function, called with one argument broken at a time
(None, strings, ragged lists, wrong ranks and shapes, wrong dtypes, empty tensors, NaNs, bad
axes), eagerly, while building a graph and at Session.run time. Only builtin exception
classes (or janusgrad's, derived from them) may escape, each saying which op or function
failed; never a crash, a hang or a bare NumPy message.
"""
import inspect
import re
import signal
import threading
from contextlib import contextmanager

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import janusgrad as tf
from janusgrad.framework.registry import OPS
from janusgrad.framework.nest import flatten

from .public_calls import CALLS

ALLOWED = (ValueError, TypeError, LookupError, IndexError, RuntimeError, NotImplementedError)
MODES = ("eager", "graph", "placeholder")

# public functions that are not ops on tensors (modes, registries, decorators, transforms)
NOT_OPS = {
    "NoGradient", "NotDifferentiable", "as_dtype", "case", "check_gradients", "cond",
    "control_dependencies", "custom_gradient", "disable_eager_execution", "draw",
    "enable_eager_execution", "executing_eagerly", "explain_gradient", "function",
    "get_default_graph", "get_default_session", "global_variables",
    "global_variables_initializer", "grad", "grad_pass_through", "gradient_block", "gradients",
    "group", "hessian", "hessians", "initialize_all_variables", "jvp", "name_scope",
    "no_gradient", "no_op", "numpy_function", "override_gradient", "placeholder", "print",
    "register_tensor_conversion_function",
    "py_function", "recompute_grad", "register_op", "reset_default_graph", "trainable_variables",
    "tuple", "unregister_gradient", "value_and_grad", "variables_initializer", "vjp",
    "while_loop", "random.set_seed", "debugging.enable_check_numerics",
    "debugging.disable_check_numerics",
}
# issue 18 (running TF programs unchanged): scopes, settings and the stand-in, not ops
NOT_OPS |= {"device", "get_logger", "set_random_seed", "stand_in_for_tensorflow"}
# issue 18 (the gaps the TF programs found): reads a TensorProto, not tensors
NOT_OPS |= {"make_ndarray"}
NAMESPACES = ("", "math.", "nn.", "linalg.", "random.", "debugging.")

def nested(depth):
    value = [1.0]
    for _ in range(depth):
        value = [value]
    return value


BAD_VALUES = {
    "None": None,
    "string": "abc",
    "ragged list": [[1.0, 2.0], [3.0]],
    "dict": {"a": 1},
    "scalar": np.float32(2.0),
    "rank 5": np.ones((1, 2, 1, 2, 1), np.float32),
    "shape (5, 7)": np.ones((5, 7), np.float32),
    "int32": np.ones((2, 3), np.int32),
    "bool": np.ones((2, 3), bool),
    "float64": np.ones((2, 3), np.float64),
    "complex64": np.ones((2, 3), np.complex64),
    "strings": np.array([["a", "b", "c"]] * 2),
    "empty": np.zeros((0,), np.float32),
    "empty (2, 0)": np.zeros((2, 0), np.float32),
    "NaN": np.full((2, 3), np.nan, np.float32),
    "nested 3000 deep": nested(3000),
}
BAD_AXES = {"axis 7": 7, "axis -9": -9, "float axis": 1.5, "string axis": "a",
            "repeated axes": [0, 0]}


def resolve(name):
    obj = tf
    for part in name.split("."):
        obj = getattr(obj, part)
    return obj


def public_op_functions():
    """name -> function for every public function of the namespaces, minus NOT_OPS."""
    found = {}
    for prefix in NAMESPACES:
        module = resolve(prefix[:-1]) if prefix else tf
        for attr in dir(module):
            fn = getattr(module, attr)
            if attr.startswith("_") or not inspect.isfunction(fn) or prefix + attr in NOT_OPS:
                continue
            found.setdefault(id(fn), prefix + attr)
    return found


def words_for(name):
    """What an error message may use to name this function: its names and its op type."""
    fn = resolve(name)
    words = {name.rsplit(".", 1)[-1], fn.__name__, getattr(fn, "op_type", None),
             *CALLS[name].names}
    return {w.lower().replace("_", "") for w in words if w}


_OP_MENTION = re.compile(r"'(\w+)'|^(\w+):|\((\w+)\)|\bop (\w+)|\[Op:(\w+)\]",  # [Op:X]: TF's
                         re.IGNORECASE)


def names_the_op(message, words):
    """The message names the function, its op type, or (quoted, or in front) an op type."""
    flat = message.lower().replace("_", "")
    if any(w in flat for w in words):
        return True
    return any(t in OPS for groups in _OP_MENTION.findall(message) for t in groups if t)


class Hang(BaseException):
    pass


@contextmanager
def watchdog(seconds=10):
    """Turn a hang into a failure (main thread only; elsewhere, no watchdog)."""
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def alarm(*_):
        raise Hang(f"no answer after {seconds} s")
    old = signal.signal(signal.SIGALRM, alarm)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, old)


def _tensors(value, make, depth=0):
    """The arrays in `value` (and in lists, two levels down) made tensors by `make`."""
    if isinstance(value, np.ndarray):
        return make(value)
    if isinstance(value, list) and depth < 2:
        return [_tensors(v, make, depth + 1) for v in value]
    return value


def call(name, args, kwargs, mode):
    """Call the function in `mode`; eager tensors, graph constants, or placeholders of unknown
    shape fed at Session.run (so that errors surface in the kernels)."""
    fn = resolve(name)
    if mode == "eager":
        return fn(*_tensors(args, tf.constant),
                  **{k: _tensors(v, tf.constant) for k, v in kwargs.items()})
    graph = tf.Graph()
    with graph.as_default():
        feeds = {}

        def make(value):
            if mode == "graph":
                return tf.constant(value)
            dtype = tf.string if value.dtype.kind in "US" else tf.as_dtype(value.dtype)
            p = tf.compat.v1.placeholder(dtype, shape=None)
            feeds[p] = value
            return p
        out = fn(*_tensors(args, make), **{k: _tensors(v, make) for k, v in kwargs.items()})
        fetches = [t for t in flatten(out) if isinstance(t, (tf.Tensor, tf.Operation))]
    if fetches:
        with tf.compat.v1.Session(graph=graph) as sess:
            sess.run(fetches, feeds)
    return out


def check_clean(name, args, kwargs, mode, what):
    """Either it works, or it raises an allowed class whose message names the op."""
    try:
        with watchdog():
            call(name, args, kwargs, mode)
    except ALLOWED as e:
        assert names_the_op(str(e), words_for(name)), (
            f"{name}({what}, {mode}): {type(e).__name__} does not name the op: {e}")
    except Hang:
        pytest.fail(f"{name}({what}, {mode}) hung")
    except Exception as e:         # noqa: B902  (anything else is the failure we look for)
        pytest.fail(f"{name}({what}, {mode}) raised {type(e).__name__}, not a builtin class "
                    f"of TF's: {e}")


def mutations(name):
    """(description, args, kwargs) with one argument broken."""
    entry = CALLS[name]
    for i, _ in enumerate(entry.args):
        for label, bad in BAD_VALUES.items():
            args = list(entry.args)
            args[i] = bad
            yield f"arg {i} = {label}", args, entry.kwargs
    for key in entry.kwargs:
        for label, bad in BAD_VALUES.items():
            yield f"{key} = {label}", entry.args, {**entry.kwargs, key: bad}
    for key in entry.axes:
        for label, bad in BAD_AXES.items():
            yield f"{key}: {label}", entry.args, {**entry.kwargs, key: bad}


# -- the table covers every public op ----------------------------------------------------------

def test_every_public_op_function_has_a_valid_call():
    covered = {id(resolve(name)) for name in CALLS}
    missing = sorted(name for key, name in public_op_functions().items() if key not in covered)
    assert not missing, ("public op functions without an entry in tests/reliability/"
                         f"public_calls.py (add one, or list it in NOT_OPS): {missing}")


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("name", sorted(CALLS))
def test_valid_call_works(name, mode):
    """The starting point of every mutation is a call that works, in every mode."""
    if mode == "placeholder" and name in UNKNOWN_RANK_REFUSED:
        with pytest.raises(ValueError, match=UNKNOWN_RANK_REFUSED[name]):
            call(name, CALLS[name].args, CALLS[name].kwargs, mode)
        return
    with watchdog():
        call(name, CALLS[name].args, CALLS[name].kwargs, mode)


# functions that need a known rank while the graph is built (as in TF)
UNKNOWN_RANK_REFUSED = {
    "unstack": "unstack: cannot infer argument `num`",
    "boolean_mask": "boolean_mask: Number of mask dimensions must be specified",
    "linalg.adjoint": "adjoint: matrix_transpose needs a known rank",
    "linalg.matrix_transpose": "matrix_transpose needs a known rank",
    "tensordot": "tensordot: the ranks of a and b must be known",
}


# -- one broken argument at a time, exhaustively -----------------------------------------------

@pytest.mark.parametrize("name", sorted(CALLS))
def test_one_bad_argument_is_a_clean_error(name):
    for what, args, kwargs in mutations(name):
        for mode in MODES:
            check_clean(name, args, kwargs, mode, what)


# -- random bad values (hypothesis) ------------------------------------------------------------

DTYPES = [np.float32, np.float64, np.int32, np.int64, np.bool_, np.complex64, np.uint8,
          np.float16]
shapes = st.lists(st.integers(0, 4), min_size=0, max_size=5).map(tuple)
arrays = st.builds(lambda s, d: (np.arange(int(np.prod(s))) % 3).reshape(s).astype(d),
                   shapes, st.sampled_from(DTYPES))
scalars = st.one_of(st.none(), st.booleans(), st.integers(-10, 10),
                    st.floats(allow_nan=True, allow_infinity=True), st.text(max_size=3))
ragged = st.recursive(st.floats(-3, 3) | st.integers(-3, 3),
                      lambda inner: st.lists(inner, min_size=1, max_size=3), max_leaves=8)
bad_values = st.one_of(arrays, scalars, ragged, st.just([]), st.just(()))


@settings(max_examples=5 * settings.default.max_examples)     # each example is cheap
@given(name=st.sampled_from(sorted(CALLS)), data=st.data(), mode=st.sampled_from(MODES))
def test_random_bad_arguments_are_clean_errors(name, data, mode):
    entry = CALLS[name]
    args, kwargs = list(entry.args), dict(entry.kwargs)
    slots = [("arg", i) for i in range(len(args))] + [("kw", k) for k in kwargs]
    kind, key = data.draw(st.sampled_from(slots), label="argument")
    bad = data.draw(bad_values, label="value")
    if kind == "arg":
        args[key] = bad
    else:
        kwargs[key] = bad
    check_clean(name, args, kwargs, mode, f"{key} = {bad!r}")


# -- gradient APIs -----------------------------------------------------------------------------

def _tape_call(use):
    x = tf.constant([1.0, 2.0])
    with tf.GradientTape(persistent=True) as tape:
        tape.watch(x)
        y = x * x
    return use(tape, x, y)


GRADIENT_API_CASES = {
    "GradientTape.gradient": [
        lambda: _tape_call(lambda t, x, y: t.gradient(None, x)),
        lambda: _tape_call(lambda t, x, y: t.gradient("abc", x)),
        lambda: _tape_call(lambda t, x, y: t.gradient(y, None)),
        lambda: _tape_call(lambda t, x, y: t.gradient(y, [x, "abc"])),
        lambda: _tape_call(lambda t, x, y: t.gradient(y, x, output_gradients="abc")),
        lambda: _tape_call(lambda t, x, y: t.gradient(y, x, output_gradients=tf.ones(2, tf.int32))),
        lambda: _tape_call(lambda t, x, y: t.jacobian(y, "abc")),
    ],
    "batch_jacobian": [lambda: _tape_call(lambda t, x, y: t.batch_jacobian(y, x))],
    "tf.gradients": [
        lambda: tf.gradients(tf.constant(1.0), tf.constant(1.0)),       # eager: not supported
    ],
    "<lambda>": [
        lambda: tf.function(lambda a: a, input_signature=[tf.TensorSpec([3])])(tf.ones(2)),
        lambda: tf.function(lambda a: a, input_signature=[tf.TensorSpec([2])])(tf.ones(2),
                                                                               tf.ones(2)),
    ],
    "grad": [lambda: tf.grad(lambda a: a * a)(tf.ones(2))],                 # not a scalar
    "jvp": [lambda: tf.jvp(lambda a: a * a, [tf.ones(2)], [tf.ones(3)])],
    "stop_gradient": [lambda: tf.stop_gradient(None)],
    "RegisterGradient": [lambda: tf.RegisterGradient("ReliabilityNotAFunction")(3)],
}


def _graph_gradient_cases():
    def build(use):
        graph = tf.Graph()
        with graph.as_default():
            p = tf.compat.v1.placeholder(tf.float32, [2])
            return use(p, p * p)
    return [
        lambda: build(lambda p, y: tf.gradients(None, p)),
        lambda: build(lambda p, y: tf.gradients(y, "abc")),
        lambda: build(lambda p, y: tf.gradients([y, y], p, grad_ys=[tf.ones(2)])),
    ]


GRADIENT_API_CASES["tf.gradients"] += _graph_gradient_cases()


@pytest.mark.parametrize("api,index", [(api, i) for api, cases in GRADIENT_API_CASES.items()
                                       for i in range(len(cases))])
def test_gradient_api_bad_input_is_a_clean_error(api, index):
    with pytest.raises(ALLOWED) as info:
        with watchdog():
            GRADIENT_API_CASES[api][index]()
    words = api.lower().replace("tf.", "").replace("_", "").split(".")
    message = str(info.value).lower().replace("_", "")
    assert any(w in message for w in words), f"{api}: the message does not name it: {info.value}"


def test_function_of_a_non_callable_is_a_type_error():
    with pytest.raises(TypeError, match="tf.function"):
        tf.function(3)
