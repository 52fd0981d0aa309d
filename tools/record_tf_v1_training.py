"""Record real TensorFlow's numbers and names for tests/test_v1_training.py: writes
tests/tf_v1_training_expected.py.

CI never runs this script: it needs TensorFlow, installed in a virtualenv outside the repository.
From the repository root:

    ~/tfenv/bin/python tools/record_tf_v1_training.py

The cases are tests/v1_training_cases.py's, run here with `tf` being real TensorFlow 2.21:
- each optimizer case runs its steps eagerly, and again in a tf.Graph with a Session fed the
  same gradients; the two must agree (rtol 1e-5) or the script stops without writing. The eager
  values are recorded (each variable after each step), with the names of the optimizer's
  variables in graph mode. A user optimizer that defines only `_apply_dense` (TF 1's way) is
  given `_resource_apply_dense = _apply_dense` here, since TF 2.21 calls the latter for its
  resource variables (janusgrad calls whichever the class defines: the test runs the class as
  written);
- each schedule case is evaluated at SCHEDULE_STEPS eagerly (the callable TF returns, the step
  a variable assigned each value) and in a graph (a tensor of the global step); same check;
- NAMES: the op and variable names TF gives in graph mode for minimize / apply_gradients with
  and without `name` and `global_step` (the cases' `names_scenario`).
"""
import os
import pprint
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")

import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)
from tests import v1_training_cases as cases  # noqa: E402

OUT = os.path.join(ROOT, "tests", "tf_v1_training_expected.py")
base = tf.compat.v1.train.Optimizer


def as_written_for_tf2(opt):
    cls = type(opt)
    if cls._resource_apply_dense is base._resource_apply_dense:
        cls._resource_apply_dense = cls._apply_dense
    return opt


def run_eager(make):
    a, b = tf.Variable(cases.A0, name="a"), tf.Variable(cases.B0, name="b")
    opt, step = make(tf)
    if step is not None:
        step.assign(0)          # the eager global step outlives each case (the test's does not)
    as_written_for_tf2(opt)
    out = []
    for k in range(cases.STEPS):
        ga, gb = cases.gradients(k)
        opt.apply_gradients([(tf.constant(ga), a), (tf.constant(gb), b)], global_step=step)
        out.append((a.numpy(), b.numpy()))
    return out


def run_graph(make):
    g = tf.Graph()
    with g.as_default():
        a, b = tf.Variable(cases.A0, name="a"), tf.Variable(cases.B0, name="b")
        pa = tf.compat.v1.placeholder(tf.float32, cases.A0.shape)
        pb = tf.compat.v1.placeholder(tf.float32, cases.B0.shape)
        opt, step = make(tf)
        as_written_for_tf2(opt)
        train = opt.apply_gradients([(pa, a), (pb, b)], global_step=step)
        names = sorted(v.name for v in opt.variables())
        out = []
        with tf.compat.v1.Session() as sess:
            sess.run(tf.compat.v1.global_variables_initializer())
            for k in range(cases.STEPS):
                ga, gb = cases.gradients(k)
                sess.run(train, {pa: ga, pb: gb})
                out.append(tuple(sess.run([a, b])))
    return out, names


def schedule_eager(make):
    step = tf.Variable(0, dtype=tf.int64)
    lr = make(tf, step)
    assert callable(lr), "TF 2 returns a callable eagerly"
    values = []
    for s in cases.SCHEDULE_STEPS:
        step.assign(s)
        values.append(lr().numpy())
    return values


def schedule_graph(make):
    g = tf.Graph()
    with g.as_default():
        step = tf.compat.v1.train.get_or_create_global_step()
        lr = make(tf, step)
        with tf.compat.v1.Session() as sess:
            sess.run(tf.compat.v1.global_variables_initializer())
            values = []
            for s in cases.SCHEDULE_STEPS:
                step.load(s, sess)
                values.append(sess.run(lr))
    return values


def close(x, y, what):
    for p, q in zip(x, y, strict=True):
        for u, v in zip(p if isinstance(p, tuple) else (p,), q if isinstance(q, tuple) else (q,),
                        strict=True):
            if not np.allclose(u, v, rtol=1e-5, atol=1e-7):
                sys.exit(f"{what}: eager and graph disagree: {u} vs {v}")


def values(a):
    """Nested lists of Python floats: float32 values as their shortest decimal strings."""
    a = np.asarray(a)
    if a.dtype != np.float64:
        a = np.array([float(str(np.float32(x))) for x in a.ravel()]).reshape(a.shape)
    return a.tolist()


def main():
    optimizers = {}
    for name, make in cases.OPTIMIZERS.items():
        eager = run_eager(make)
        graph, names = run_graph(make)
        close(eager, graph, name)
        optimizers[name] = (names, [(values(a), values(b)) for a, b in eager])
    schedules = {}
    for name, make in cases.SCHEDULES.items():
        eager = schedule_eager(make)
        close(eager, schedule_graph(make), name)
        schedules[name] = (np.asarray(eager[0]).dtype.name, values(np.array(eager)))

    def block(title, name, value):
        return [title, f"{name} = " + pprint.pformat(value, width=100, compact=True), ""]
    lines = [
        '"""TensorFlow\'s numbers and names for tests/test_v1_training.py. GENERATED: do not edit',
        f"by hand. Written by `~/tfenv/bin/python tools/record_tf_v1_training.py` (TensorFlow "
        f"{tf.__version__}",
        'on CPU); that script\'s docstring tells how they are obtained."""', ""]
    lines += block("# case -> (names of the optimizer's variables in graph mode, "
                   "[(A, B) after each step])", "OPTIMIZERS", optimizers)
    lines += block("# case -> (dtype, the rate at each of SCHEDULE_STEPS)", "SCHEDULES", schedules)
    lines += block("# names_scenario(tf) in tests/v1_training_cases.py, run by TF", "NAMES",
                   cases.names_scenario(tf))
    with open(OUT, "w") as f:
        f.write("\n".join(lines))
    print("wrote", OUT)


if __name__ == "__main__":
    main()
