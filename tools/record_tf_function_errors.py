"""Record how TF 2.21 reports errors inside tf.function (issue 19), as JSON for
tests/test_function_errors.py: the class of Python control flow and `.numpy()` on a symbolic
tensor, and the "Graph execution error" that names where the user made the failing op. Run with
TF's interpreter, outside CI:

    ~/tfenv/bin/python tools/record_tf_function_errors.py > tests/tf_function_errors.json

The scenarios are run unchanged by the test, through janusgrad.
"""
import json
import os
import re
import sys


def _error(fn, *args):
    try:
        fn(*args)
    except Exception as e:      # noqa: BLE001 (what is recorded is the class)
        return e
    return None


def _classes(e):
    return None if e is None else [c.__name__ for c in type(e).__mro__[:2]]


def control_flow(tf):
    """Python control flow and .numpy() on symbolic tensors (autograph off: janusgrad has none)."""
    out = {}

    @tf.function(autograph=False)
    def python_if(x):
        if x > 0:
            return x
        return -x

    @tf.function(autograph=False)
    def python_while(x):
        while x > 0:
            x = x - 1.0
        return x

    @tf.function(autograph=False)
    def python_bool(x):
        return bool(x)

    seen = {}

    @tf.function(autograph=False)
    def numpy_inside(x):
        seen["hasattr"] = hasattr(x, "numpy")
        return x.numpy()

    for name, fn in [("if", python_if), ("while", python_while), ("bool", python_bool),
                     ("numpy", numpy_inside)]:
        out[name] = _classes(_error(fn, tf.constant(1.0)))
    out["hasattr_numpy"] = seen["hasattr"]
    out["is_tf_errors_class"] = isinstance(_error(python_if, tf.constant(1.0)),
                                           tf.errors.OperatorNotAllowedInGraphError)
    with tf.Graph().as_default():
        t = tf.constant(1.0)
        out["graph_bool"] = _classes(_error(bool, t))
        out["graph_numpy"] = _classes(_error(lambda: t.numpy()))
    return out


def located(tf):
    """An op that fails when the function runs: the error's class, its first lines, the frames
    it names in this file (function, line) and the node it names."""
    @tf.function(input_signature=[tf.TensorSpec([None])])
    def inner(x):
        return tf.reshape(x, [3, 5])

    @tf.function(input_signature=[tf.TensorSpec([None])])
    def outer(x):
        y = x + 1.0
        return inner(y) * 2.0

    @tf.function(input_signature=[tf.TensorSpec([None])])
    def pick(x):
        y = x * 2.0
        return tf.gather(y, [7])

    out = {}
    for name, fn in [("nested", outer), ("gather", pick)]:
        e = _error(fn, tf.ones([4]))
        text = str(e)
        here = os.path.basename(__file__)
        frames = [[int(line), fn_name] for file, line, fn_name in
                  re.findall(r'File "([^"]+)", line (\d+), in (\S+)', text)
                  if os.path.basename(file) == here and fn_name not in ("<module>", "located")]
        out[name] = {"classes": _classes(e), "head": text.splitlines()[:3],
                     "frames": frames,
                     "node": re.findall(r"\[\[\{\{node (\w+)\}\}\]\]", text)}
    return out


def concrete(tf):
    """A ConcreteFunction traced for TensorSpec([None], float32), called with other tensors:
    other shapes run, another dtype is an error (its class and message's start)."""
    @tf.function
    def add_one(x):
        return x + 1

    cf = add_one.get_concrete_function(tf.TensorSpec([None], tf.float32))
    out = {}
    for name, arg in [("matrix", tf.constant([[1.0]])), ("int", tf.constant([1, 2])),
                      ("scalar", tf.constant(1.0))]:
        try:
            out[name] = cf(arg).numpy().tolist()
        except Exception as e:      # noqa: BLE001
            out[name] = [type(e).__name__, str(e).split(" was expected")[0].split(" as ")[1]]
    return out


if __name__ == "__main__":
    import tensorflow as tf
    json.dump({"tf_version": tf.__version__, "control_flow": control_flow(tf),
               "located": located(tf), "concrete": concrete(tf)},
              sys.stdout, indent=1, sort_keys=True)
    print()
