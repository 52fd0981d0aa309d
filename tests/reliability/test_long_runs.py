"""Long runs: thousands of steps leave no growing state behind. Counted, not timed: live tape
records and tensors, graph ops, Session plans, tf.function traces, and the sizes of the
registries and caches.
"""
import gc
import weakref

import numpy as np

import janusgrad as tf
from janusgrad.autodiff.tape import TapeRecord
from janusgrad.framework import context, registry
from janusgrad.framework.graph import FuncGraph, Operation
from janusgrad.framework.registry import GRADIENTS, OPS
from janusgrad.framework.tensor import EagerTensor, GraphTensor
from janusgrad.ops import random as random_ops

v1 = tf.compat.v1


def live(*types):
    """How many objects of each type are alive (after a full collection)."""
    gc.collect()
    counts = dict.fromkeys(types, 0)
    for obj in gc.get_objects():
        t = type(obj)
        if t in counts:
            counts[t] += 1
    return counts


def state_sizes():
    return {"ops table": len(OPS), "gradients": len(GRADIENTS), "tapes": len(context.ctx.tapes),
            "graph stack": len(context.ctx.graph_stack),
            "default graph ops": len(context.get_default_graph().get_operations()),
            "keyword cache": len(registry._KEYWORDS),
            "random streams": len(random_ops._state["streams"])}


def test_ten_thousand_eager_training_steps_leave_nothing_behind():
    rng = np.random.default_rng(0)
    x = tf.constant(rng.standard_normal((16, 3)).astype(np.float32))
    y = tf.constant(rng.standard_normal((16, 1)).astype(np.float32))
    w = tf.Variable(tf.zeros((3, 1)))
    b = tf.Variable(tf.zeros((1,)))

    @tf.custom_gradient
    def clipped(t):
        return tf.identity(t), lambda dy: tf.clip_by_value(dy, -1.0, 1.0)

    tapes = []

    def step():
        with tf.GradientTape() as tape:
            pred = tf.matmul(x, w) + b
            loss = tf.reduce_mean(tf.square(clipped(pred) - y))
        gw, gb = tape.gradient(loss, [w, b])
        w.assign_sub(0.05 * gw)
        b.assign_sub(0.05 * gb)
        tapes.append(weakref.ref(tape))
        return loss

    first = float(step())
    for _ in range(200):               # warm up every cache
        step()
    kinds = (TapeRecord, EagerTensor, GraphTensor, Operation, tf.GradientTape)
    before, sizes = live(*kinds), state_sizes()
    for _ in range(10_000):
        last = step()
    last = float(last)
    after = live(*kinds)
    assert after[TapeRecord] == 0 and after[tf.GradientTape] == 0
    assert all(ref() is None for ref in tapes)
    for kind in kinds:
        assert after[kind] <= before[kind], f"{kind.__name__}: {before[kind]} -> {after[kind]}"
    assert state_sizes() == sizes
    assert last < first                                 # and it did train


def test_function_called_in_a_loop_does_not_retrace_or_grow():
    w = tf.Variable(np.ones((4, 2), np.float32))

    @tf.function
    def f(x):
        return tf.reduce_sum(tf.tanh(tf.matmul(x, w)))

    def step(i):
        x = tf.constant(np.full((3, 4), i * 1e-3, np.float32))
        with tf.GradientTape() as tape:
            y = f(x)
        return tape.gradient(y, w)

    step(0)                      # traces f, and builds its gradient (in f's graph) once
    cf = f.get_concrete_function(tf.zeros((3, 4)))
    n_ops = len(cf.graph.get_operations())
    before = live(Operation, GraphTensor)
    for i in range(2_000):
        step(i)
    assert f.experimental_get_tracing_count() == 1
    assert len(f._cache) == 1
    assert len(cf.graph.get_operations()) == n_ops
    assert live(Operation, GraphTensor) == before


def test_function_with_signature_does_not_retrace_for_new_shapes():
    @tf.function(input_signature=[tf.TensorSpec([None], tf.float32)])
    def f(x):
        return tf.reduce_sum(x)

    for n in range(1, 300):
        assert float(f(np.ones(n, np.float32))) == n
    assert f.experimental_get_tracing_count() == 1


def test_function_called_with_fresh_variables_keeps_one_trace_and_no_variable():
    """A new variable per call (of one dtype and shape) uses the one trace: its handle is an
    input, not baked in. It was a trace per variable, each holding its variable (300 calls:
    300 traces, +26 MB)."""
    @tf.function
    def step(v, x):
        v.assign_add(x)
        return tf.reduce_sum(v * x)

    def call(i):
        v = tf.Variable(np.full((100, 100), float(i), np.float32))
        with tf.GradientTape() as tape:
            y = step(v, tf.ones((100, 100)))
        assert float(tape.gradient(y, v).numpy()[0, 0]) == 1.0     # the gradient of v itself
        assert v.numpy()[0, 0] == i + 1                             # v itself updated
        return weakref.ref(v)

    call(0)
    before = live(FuncGraph, Operation, GraphTensor)
    variables = [call(i) for i in range(1, 300)]
    assert step.experimental_get_tracing_count() == 1 and len(step._cache) == 1
    assert live(FuncGraph, Operation, GraphTensor) == before
    assert not any(ref() is not None for ref in variables)


def test_function_called_inside_many_graphs_lets_each_graph_go():
    """Calls inside a graph are traced for that graph; the traces go with it (they were kept,
    keyed by the graph's id)."""
    @tf.function
    def f(x):
        return x * 2.0

    def build():
        graph = tf.Graph()
        with graph.as_default():
            f(v1.placeholder(tf.float32, [3]))
        return weakref.ref(graph)

    build()
    before = live(FuncGraph, Operation, GraphTensor)
    graphs = [build() for _ in range(50)]
    assert live(FuncGraph, Operation, GraphTensor) == before
    assert not any(ref() is not None for ref in graphs)
    assert f.experimental_get_tracing_count() == 51


def test_session_runs_in_a_loop_do_not_grow_the_graph_or_the_plans():
    g = tf.Graph()
    with g.as_default():
        w = tf.Variable(np.zeros((3, 1), np.float32))
        p = v1.placeholder(tf.float32, [None, 3])
        t = v1.placeholder(tf.float32, [None, 1])
        loss = tf.reduce_mean(tf.square(tf.matmul(p, w) - t))
        (gw,) = tf.gradients(loss, [w])
        train = w.assign_sub(0.1 * gw, read_value=False)
        init = v1.global_variables_initializer()
    sess = v1.Session(graph=g)
    sess.run(init)
    rng = np.random.default_rng(0)
    xs = rng.standard_normal((8, 3)).astype(np.float32)
    ys = xs @ np.array([[1.0], [-2.0], [0.5]], np.float32)
    n_ops = len(g.get_operations())
    for i in range(3_000):
        sess.run(train, {p: xs, t: ys})
        if i % 3 == 0:
            sess.run([loss, w], {p: xs, t: ys})          # fetching the variable itself
            w.eval(session=sess)
    assert len(g.get_operations()) == n_ops
    assert len(g.plans) == 4          # init, train, [loss, w], w
    np.testing.assert_allclose(sess.run(w).ravel(), [1.0, -2.0, 0.5], atol=1e-3)


def test_numerics_check_switched_on_and_off_many_times_restores_the_kernels():
    originals = {t: d.kernel for t, d in OPS.items()}
    for _ in range(50):
        with tf.debug.numerics_check():
            tf.exp(tf.constant([1.0]))
    assert all(OPS[t].kernel is k for t, k in originals.items())
    assert not tf.debug.numerics_check_enabled()
