"""Threads: the context (eager or graph, the default-graph stack, name scopes, control
dependencies, tapes) is per thread; tapes, sessions, variables, graphs and tf.function give
every thread exactly its own results when used concurrently.

The interpreter is told to switch threads very often while these tests run, so that races show
up in a few hundred iterations rather than once a month.
"""
import sys
import threading

import numpy as np
import pytest

import janusgrad as tf
from janusgrad.framework import context

N_THREADS = 8
v1 = tf.compat.v1


@pytest.fixture(autouse=True)
def fast_switching():
    old = sys.getswitchinterval()
    sys.setswitchinterval(1e-6)
    yield
    sys.setswitchinterval(old)


def run_threads(target, n=N_THREADS):
    """Run target(i) in n threads started together; re-raise the first failure."""
    barrier = threading.Barrier(n)
    errors = []
    results = [None] * n

    def main(i):
        try:
            barrier.wait()
            results[i] = target(i)
        except BaseException as e:          # noqa: B902  (reported below)
            errors.append(e)
    threads = [threading.Thread(target=main, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert not any(t.is_alive() for t in threads), "a thread hung"
    if errors:
        raise errors[0]
    return results


# -- the context is per thread -----------------------------------------------------------------

def test_graph_mode_in_one_thread_leaves_others_eager():
    g = tf.Graph()
    inside = threading.Event()
    done = threading.Event()
    seen = {}

    def builder():
        with g.as_default():
            seen["builder eager"] = tf.executing_eagerly()
            inside.set()
            done.wait(10)
            seen["builder op"] = tf.constant(1.0)

    def eager_user():
        inside.wait(10)
        seen["other eager"] = tf.executing_eagerly()
        seen["other op"] = tf.constant(2.0) * 3.0
        done.set()
    threads = [threading.Thread(target=builder), threading.Thread(target=eager_user)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(10)
    assert seen["builder eager"] is False and seen["other eager"] is True
    assert seen["builder op"].graph is g
    assert float(seen["other op"]) == 6.0
    assert context.ctx.graph_stack == []


def test_name_scopes_and_control_dependencies_are_per_thread():
    g = tf.Graph()
    with g.as_default():
        dep = tf.constant(0.0, name="dep")

    def build(i):
        names = []
        with g.as_default():
            if i % 2:
                with tf.name_scope(f"scope{i}"), tf.control_dependencies([dep]):
                    for _ in range(50):
                        names.append(tf.constant(1.0, name="c").op)
            else:
                for _ in range(50):
                    names.append(tf.constant(1.0, name="c").op)
        return names
    results = run_threads(build)
    for i, ops in enumerate(results):
        for op in ops:
            if i % 2:
                assert op.name.startswith(f"scope{i}/c") and op.control_inputs == [dep.op]
            else:
                assert "/" not in op.name and op.control_inputs == []
    names = [op.name for op in g.get_operations()]
    assert len(names) == len(set(names)) == 1 + 50 * N_THREADS


def test_tapes_only_record_their_own_thread():
    x = tf.constant(2.0)
    started = threading.Barrier(2)

    def with_tape():
        with tf.GradientTape() as tape:
            tape.watch(x)
            started.wait(10)
            started.wait(10)                 # the other thread ran its ops meanwhile
            y = x * 3.0
        return tape, y

    def without_tape():
        started.wait(10)
        for _ in range(20):
            _ = x * x
        started.wait(10)
        return context.ctx.tapes
    out = {}
    threads = [threading.Thread(target=lambda: out.setdefault("tape", with_tape())),
               threading.Thread(target=lambda: out.setdefault("other", without_tape()))]
    for t in threads:
        t.start()
    for t in threads:
        t.join(10)
    tape, y = out["tape"]
    assert out["other"] == []
    assert tape.mark() == 1            # only its own x * 3.0
    assert float(tape.gradient(y, x)) == 3.0


# -- concurrent use of tapes, sessions, variables, graphs, functions ----------------------------

def test_eight_threads_recording_tapes_get_their_own_gradients():
    def work(i):
        k = float(i + 1)
        x = tf.constant(np.full((3,), k, np.float32))
        v = tf.Variable(np.full((3,), k, np.float32))
        for _ in range(100):
            with tf.GradientTape() as tape:
                tape.watch(x)
                y = tf.reduce_sum(tf.sin(x) * k + x * x * v)
            dx, dv = tape.gradient(y, [x, v])
            np.testing.assert_allclose(dx, k * np.cos(k) + 2 * k * k, rtol=1e-5)
            np.testing.assert_allclose(dv, k * k, rtol=1e-6)
        return i
    assert run_threads(work) == list(range(N_THREADS))
    assert context.ctx.tapes == []


def test_eight_threads_share_one_session():
    g = tf.Graph()
    with g.as_default():
        p = v1.placeholder(tf.float32, [None])
        w = tf.Variable(2.0)
        outs = [tf.reduce_sum(p * w + float(i)) for i in range(N_THREADS)]
        init = v1.global_variables_initializer()
    sess = v1.Session(graph=g)
    sess.run(init)

    def work(i):
        for j in range(200):
            x = np.arange(i + j % 5, dtype=np.float32)
            # each thread fetches its own tensor: plans are compiled concurrently too
            got = sess.run(outs[i], {p: x}) if j % 2 else sess.run([outs[i], w], {p: x})[0]
            assert got == pytest.approx(2.0 * x.sum() + i * len(x))
    run_threads(work)


def test_concurrent_eager_assign_add_loses_no_update():
    v = tf.Variable(0.0)

    def work(i):
        for _ in range(500):
            v.assign_add(1.0)
    run_threads(work)
    assert float(v.numpy()) == 500 * N_THREADS


def test_concurrent_session_assign_add_loses_no_update():
    g = tf.Graph()
    with g.as_default():
        v = tf.Variable(np.zeros(4, np.float32))
        inc = v.assign_add(np.ones(4, np.float32), read_value=False)
        init = v1.global_variables_initializer()
    sess = v1.Session(graph=g)
    sess.run(init)

    def work(i):
        for _ in range(300):
            sess.run(inc)
    run_threads(work)
    np.testing.assert_array_equal(sess.run(v), np.full(4, 300 * N_THREADS))


def test_ops_created_concurrently_in_one_graph_get_unique_names():
    g = tf.Graph()

    def work(i):
        with g.as_default():
            ops = []
            for _ in range(100):
                with tf.name_scope("layer"):
                    ops.append(tf.add(tf.constant(1.0), 2.0, name="add").op)
            return ops
    results = run_threads(work)
    names = [op.name for op in g.get_operations()]
    assert len(names) == len(set(names))
    assert sum(len(r) for r in results) == 100 * N_THREADS
    assert [op._id for op in g.get_operations()] == list(range(len(names)))


def test_function_called_from_many_threads_traces_once():
    @tf.function
    def f(x):
        return tf.reduce_sum(x * x)

    def work(i):
        for j in range(50):
            x = np.full((4,), float(i + j), np.float32)
            assert float(f(tf.constant(x))) == pytest.approx(4 * (i + j) ** 2)
    run_threads(work)
    assert f.experimental_get_tracing_count() == 1


def test_function_gradients_from_many_threads():
    @tf.function
    def f(x):
        return tf.reduce_sum(tf.tanh(x) * x)

    def work(i):
        x = tf.constant(np.linspace(-1, 1, 5).astype(np.float32) * (i + 1))
        expected = None
        for _ in range(30):
            with tf.GradientTape() as tape:
                tape.watch(x)
                y = f(x)
            g = tape.gradient(y, x).numpy()
            if expected is None:
                xv = x.numpy()
                expected = np.tanh(xv) + xv * (1 - np.tanh(xv) ** 2)
            np.testing.assert_allclose(g, expected, rtol=1e-5)
    run_threads(work)
    assert f.experimental_get_tracing_count() == 1
