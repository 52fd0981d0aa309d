"""Record TF 2.21's behaviour for variables created inside tf.function (issue 19), as JSON for
tests/test_function_variables.py. Run with TF's interpreter, outside CI:

    ~/tfenv/bin/python tools/record_tf_function_variables.py > tests/tf_function_variables.json

Each scenario below is also written, unchanged, in the test (there run by janusgrad).
"""
import json
import sys

import numpy as np


def scenarios(tf):
    out = {}

    class Scale:                     # the module pattern
        def __init__(self):
            self.w = None

        @tf.function
        def __call__(self, x):
            if self.w is None:
                self.w = tf.Variable(tf.ones([2]) * 3.0)
            return x * self.w

    m = Scale()
    y1 = m(tf.constant([1.0, 2.0]))
    y2 = m(tf.constant([4.0, 5.0]))
    with tf.GradientTape() as tape:
        y = tf.reduce_sum(m(tf.constant([1.0, 2.0])) ** 2)
    out["module"] = {"y1": y1.numpy().tolist(), "y2": y2.numpy().tolist(),
                     "w": m.w.numpy().tolist(),
                     "traces": m.__call__.experimental_get_tracing_count(),
                     "grad": tape.gradient(y, m.w).numpy().tolist()}

    m2 = Scale()                     # a tape around the very first call
    x = tf.constant([1.0, 2.0])
    with tf.GradientTape(persistent=True) as tape:
        tape.watch(x)
        y = tf.reduce_sum(m2(x) ** 2)
    runs = []

    @tf.function
    def counted(x):                  # the Python body runs once per trace: twice on a creation
        runs.append(1)
        if not hasattr(counted, "v"):
            counted.v = tf.Variable(2.0)
        return x * counted.v

    counted(tf.constant(1.0))
    counted(tf.constant(2.0))
    out["first_call"] = {"grad_w": tape.gradient(y, m2.w).numpy().tolist(),
                         "grad_x": tape.gradient(y, x).numpy().tolist(),
                         "python_runs": len(runs)}

    class Acc:                       # tf.zeros, then assigned in the body
        def __init__(self):
            self.v = None

        @tf.function
        def add(self, x):
            if self.v is None:
                self.v = tf.Variable(tf.zeros([3]), name="acc")
            self.v.assign_add(x)
            return self.v.read_value()

    a = Acc()
    for i in range(3):
        r = a.add(tf.constant([1.0, 2.0, 3.0]) * (i + 1))
    out["accumulate"] = {"last": r.numpy().tolist(), "v": a.v.numpy().tolist(),
                         "name": a.v.name}

    class FromArg:                   # the initial value depends on the first call's argument
        def __init__(self):
            self.w = None

        @tf.function
        def __call__(self, x):
            if self.w is None:
                self.w = tf.Variable(x * 2.0)
            return self.w + x

    f = FromArg()
    r1 = f(tf.constant([1.0, 2.0]))
    r2 = f(tf.constant([10.0, 20.0]))
    out["from_argument"] = {"r1": r1.numpy().tolist(), "r2": r2.numpy().tolist(),
                            "w": f.w.numpy().tolist()}

    class Chain:                     # a callable initial value; one variable from another
        def __init__(self):
            self.a = self.b = None

        @tf.function
        def __call__(self):
            if self.a is None:
                self.a = tf.Variable(lambda: tf.fill([2], 5.0))
                self.b = tf.Variable(self.a * 2.0 + 1.0, dtype=tf.float32)
            return self.a + self.b

    c = Chain()
    out["chain"] = {"r": c().numpy().tolist(), "a": c.a.numpy().tolist(),
                    "b": c.b.numpy().tolist()}

    class Noise:                     # a random initial value is drawn once
        def __init__(self):
            self.w = None

        @tf.function
        def __call__(self):
            if self.w is None:
                self.w = tf.Variable(tf.random.normal([4, 3]))
            return self.w * 1.0

    n = Noise()
    first, second = n().numpy(), n().numpy()
    out["random"] = {"same": bool((first == second).all()), "equals_w": bool(
        (first == n.w.numpy()).all()), "shape": list(n.w.shape)}

    def error(fn, *args):
        try:
            fn(*args)
        except Exception as e:      # the class and the message's last line
            return [type(e).__name__, str(e).strip().splitlines()[-1].strip()]
        return None

    @tf.function
    def every_call(x):
        v = tf.Variable(1.0)
        return x + v

    out["every_call"] = error(every_call, tf.constant(1.0))

    @tf.function
    def late(x):
        if x.shape[0] == 3:
            v = tf.Variable(tf.ones([3]))
            return x + v
        return x

    late(tf.constant([1.0, 2.0]))
    out["late"] = error(late, tf.constant([1.0, 2.0, 3.0]))

    layer = tf.keras.layers.Dense(3)

    @tf.function
    def dense(x):
        return layer(x)

    x = np.arange(8, dtype=np.float32).reshape(2, 4)
    y = dense(tf.constant(x)).numpy()
    kernel, bias = [w.numpy() for w in layer.weights]
    out["keras"] = {"n_weights": len(layer.weights), "shapes": [list(w.shape) for w in
                                                                layer.weights],
                    "matches": bool(np.allclose(y, x @ kernel + bias, atol=1e-5))}
    return out


def graph_mode(tf):
    """TF1: the variable lives in the outer graph, initialised by its initializer."""
    tf.compat.v1.disable_eager_execution()

    class Scale:
        def __init__(self):
            self.w = None

        @tf.function
        def __call__(self, x):
            if self.w is None:
                self.w = tf.Variable(tf.ones([2]) * 3.0)
            return x * self.w

    m = Scale()
    y = m(tf.constant([1.0, 2.0]))
    out = {"in_global_variables": any(v is m.w for v in tf.compat.v1.global_variables())}
    with tf.compat.v1.Session() as sess:
        try:
            sess.run(y)
            out["before_init"] = None
        except Exception as e:
            out["before_init"] = type(e).__name__
        sess.run(tf.compat.v1.global_variables_initializer())
        out["y"] = sess.run(y).tolist()

    @tf.function
    def every_call(x):
        v = tf.Variable(1.0)
        return x + v

    class FromArg:                   # the initializer cannot read a call's argument
        def __init__(self):
            self.w = None

        @tf.function
        def __call__(self, x):
            if self.w is None:
                self.w = tf.Variable(x * 2.0)
            return x * self.w

    for name, fn in [("every_call", every_call), ("from_argument", FromArg())]:
        try:
            fn(tf.constant([1.0, 2.0]))
            out[name] = None
        except Exception as e:      # the class and the first words of the message's last line
            line = str(e).strip().splitlines()[-1].strip()
            words = line.split(f"{type(e).__name__}: ", 1)[-1].split()
            out[name] = [type(e).__name__, " ".join(words[:4])]
    return out


if __name__ == "__main__":
    import subprocess

    import tensorflow as tf
    if sys.argv[1:] == ["graph"]:           # (a process of its own: eager is off for good)
        json.dump(graph_mode(tf), sys.stdout)
        sys.exit()
    result = {"tf_version": tf.__version__, "eager": scenarios(tf)}
    result["graph"] = json.loads(subprocess.run([sys.executable, __file__, "graph"], check=True,
                                                capture_output=True, text=True).stdout)
    json.dump(result, sys.stdout, indent=1, sort_keys=True)
    print()
