"""Run janusgrad test files against real TensorFlow: checks that what a test expects of
janusgrad (names, errors and their classes, values) is what TensorFlow does.

CI never runs this script: it needs TensorFlow (see tools/record_tf_parity.py). From the
repository root:

    ~/tfenv/bin/python tools/tf_crosscheck.py tests/test_variable_scope.py tests/test_map_fn.py

Each test function of the files runs with `import janusgrad as tf` read as `import tensorflow as
tf` (and `from janusgrad import ops` as TF's framework.ops), in a fresh default graph, eagerly;
a fixture with params (a generator taking `request`, as the files' `mode` and `run`) runs once
per param. pytest is replaced by a stand-in holding what the files use (raises, fixture),
janusgrad.check.check_gradients by nothing, and tests/test_modes.assert_modes_agree by eager
and graph runs compared. Error messages are matched by the tests' patterns, which accept TF's
wording where janusgrad's is its own.

KNOWN lists the tests that check janusgrad's own behaviour (its op types) or a deliberate
difference, with the reason: they fail under TF, and the script fails if they do not, or if
any other test fails.
"""
import contextlib
import inspect
import re
import sys
import traceback
import types

import numpy as np

KNOWN = {
    "test_partitioned_variables_are_not_supported":
        "TF makes a PartitionedVariable; janusgrad raises NotImplementedError",
    "test_scopes_are_per_thread_and_the_store_is_shared":
        "TF's variable store takes no lock: threads asking for one AUTO_REUSE variable at once "
        "may make several",
    "test_a_failing_initializer_leaves_no_variable_behind":
        "TF's failed get_variable still takes the op name (the retry is named w_1)",
    "test_graph_map_is_one_op_and_runs_any_length": "janusgrad's op type MapFn (TF: a While)",
    "test_side_effects_run_for_every_row": "janusgrad's op type MapFn (TF: a While)",
    "test_fn_must_be_callable":
        "TF means a TypeError, but its message fails first with an AttributeError",
    "test_variable_functions_refuse_what_is_not_a_variable":
        "TF's AttributeError ('int' object has no attribute 'dtype'), janusgrad's TypeError "
        "naming the function",
}

# tests that leave TensorFlow's graph stack broken (on purpose): run after the others
LAST = {"test_improper_nesting_is_a_runtime_error"}


class _Raises:
    value = None


@contextlib.contextmanager
def _raises(exc, match=None):
    info = _Raises()
    try:
        yield info
    except exc as e:
        info.value = e
        if match is not None and not re.search(match, str(e)):
            raise AssertionError(f"message {str(e)!r} does not match {match!r}") from None
        return
    raise AssertionError(f"did not raise {exc}")


def _fixture(*args, params=None, **_):
    def deco(fn):
        fn.crosscheck_params = params
        return fn
    return deco(args[0]) if args and callable(args[0]) else deco


def _modes_agree(fn, *arrays, **_):
    """Eager values and tape gradients; the graph's must be the same."""
    import tensorflow as tf
    xs = [tf.constant(a) for a in arrays]
    with tf.GradientTape() as tape:
        tape.watch(xs)
        out = fn(*xs)
    outs = list(out) if isinstance(out, (list, tuple)) else [out]
    grads = tape.gradient(outs, xs)
    with tf.Graph().as_default():
        ps = [tf.compat.v1.placeholder(tf.as_dtype(a.dtype), a.shape) for a in arrays]
        g_out = fn(*ps)
        g_outs = list(g_out) if isinstance(g_out, (list, tuple)) else [g_out]
        with tf.compat.v1.Session() as sess:
            values, g_grads = sess.run([g_outs, tf.gradients(g_outs, ps)], dict(zip(ps, arrays)))
    for a, b in zip(values + g_grads, outs + grads):
        np.testing.assert_allclose(a, b.numpy(), rtol=1e-6)
    return [o.numpy() for o in outs], [g.numpy() for g in grads]


def _load(path):
    stand_in = types.ModuleType("pytest")
    stand_in.raises, stand_in.fixture = _raises, _fixture
    stand_in.mark = types.SimpleNamespace(parametrize=lambda *a, **k: (lambda f: f))
    sys.modules["pytest"] = stand_in
    src = open(path).read()
    src = src.replace("import janusgrad as tf", "import tensorflow as tf")
    src = src.replace("from janusgrad.check import check_gradients",
                      "check_gradients = lambda *a, **k: None")
    src = src.replace("from .test_modes import assert_modes_agree", "")
    src = src.replace("from janusgrad import ops", "from tensorflow.python.framework import ops")
    module = types.ModuleType("crosscheck")
    module.__file__ = path
    module.assert_modes_agree = _modes_agree
    exec(compile(src, path, "exec"), module.__dict__)
    return module


def _fresh():
    import tensorflow as tf
    from tensorflow.python.framework import ops
    try:
        tf.compat.v1.reset_default_graph()
    except AssertionError:                  # a test left a graph entered
        ops._default_graph_stack.reset()
        tf.compat.v1.reset_default_graph()
    tf.random.set_seed(0)


def _calls(module, fn):
    """(label, kwargs) for each run of a test function."""
    params = list(inspect.signature(fn).parameters)
    if not params:
        yield "", lambda: {}
        return
    fixture = module.__dict__.get(params[0])
    for p in fixture.crosscheck_params:
        yield p, (fixture, p)


def run_file(path):
    module = _load(path)
    failures = []
    tests = [(n, f) for n, f in module.__dict__.items() if n.startswith("test_") and callable(f)]
    tests.sort(key=lambda item: item[0] in LAST)
    for name, fn in tests:
        for label, how in _calls(module, fn):
            _fresh()
            gen = None
            try:
                if callable(how):
                    fn()
                else:
                    fixture, p = how
                    gen = fixture(types.SimpleNamespace(param=p))
                    fn(next(gen))
                ok = True
            except Exception as e:            # noqa: BLE001  (any failure is reported)
                line = traceback.extract_tb(e.__traceback__)[-1].lineno
                ok, detail = False, f"line {line}: {type(e).__name__}: {str(e)[:300]}"
            finally:
                if gen is not None:
                    with contextlib.suppress(StopIteration):
                        next(gen)
            known = name in KNOWN
            if ok and known:
                failures.append(f"{name} {label}: passes under TF, but KNOWN says it differs")
            elif not ok and not known:
                failures.append(f"{name} {label}: {detail}")
            print(f"{'ok' if ok else 'KNOWN' if known else 'FAIL'} {name} {label}")
    return failures


def main(paths):
    if len(paths) > 1:              # one process per file: a file may leave TF's state broken
        import subprocess
        codes = [subprocess.run([sys.executable, __file__, path]).returncode for path in paths]
        return max(codes)
    failures = run_file(paths[0])
    for f in failures:
        print("FAILED", f)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
