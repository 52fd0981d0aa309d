"""Threads: the context (eager or graph, the default-graph stack, name scopes, control
dependencies, tapes) is per thread; tapes, sessions, variables, graphs and tf.function give
every thread exactly its own results when used concurrently; an optimizer makes its state once
and its eager steps from several threads equal the same steps one after another.

The interpreter is told to switch threads very often while these tests run, so that races show
up in a few hundred iterations rather than once a month.
"""
import sys
import threading

import numpy as np
import pytest

import janusgrad as tf
from janusgrad.framework import context
from janusgrad.framework.registry import OPS, swap_kernels
from tests.v1_training_cases import user_optimizers

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


# -- optimizers: state made on first use is made once; concurrent steps equal serial ones -------

train_optimizer = sys.modules["janusgrad.train.optimizer"]      # non-slot state, global step
train_slots = sys.modules["janusgrad.train.slots"]              # slots

LR = 0.05
STEPS = 3           # per thread
OPTIMIZERS = {
    "keras Adam": lambda lr: tf.keras.optimizers.Adam(lr),
    "keras SGD momentum": lambda lr: tf.keras.optimizers.SGD(lr, momentum=0.9),
    "v1 Momentum": lambda lr: v1.train.MomentumOptimizer(lr, 0.9),
    "v1 Adam": lambda lr: v1.train.AdamOptimizer(lr),
    "v1 RMSProp centered": lambda lr: v1.train.RMSPropOptimizer(lr, momentum=0.5, centered=True),
    # a TF1-style subclass: slots from a value and an initializer, a non-slot variable
    "v1 subclass": lambda lr: user_optimizers(tf)["CountedMomentum"](lr, 0.8),
}


class Rendezvous:
    """Called where a race can happen, it holds each caller until all `n` threads are there,
    once; where a lock lets only one thread in at a time, that first wait times out instead and
    every later call passes straight through. So the race always happens when nothing prevents
    it, and costs one `timeout` when something does."""

    def __init__(self, n, timeout=0.5):
        self.done = False
        self.barrier = threading.Barrier(n, timeout=timeout, action=self._release)

    def _release(self):
        self.done = True

    def __call__(self):
        if not self.done:
            try:
                self.barrier.wait()
            except threading.BrokenBarrierError:
                self.done = True


@pytest.fixture
def made(monkeypatch):
    """Every variable the optimizers' modules make (slots, beta powers, the global step), in a
    list; each thread making one first waits for all N_THREADS to be making one (a
    Rendezvous), so that without a lock around creation all of them make it."""
    made = []
    rendezvous = Rendezvous(N_THREADS)
    variable = train_optimizer.Variable

    def slow_variable(*args, **kwargs):
        rendezvous()
        made.append(variable(*args, **kwargs))
        return made[-1]
    monkeypatch.setattr(train_optimizer, "Variable", slow_variable)
    monkeypatch.setattr(train_slots, "Variable", slow_variable)
    yield made
    monkeypatch.undo()


def own_variables(opt):
    """The optimizer's own variables (slots, iteration count, beta powers)."""
    return opt.variables() if callable(opt.variables) else opt.variables


def shared_problem():
    """Two variables and their gradients, the same for every thread and step, so that any
    order of the same steps gives the same result."""
    a = tf.Variable(np.array([1.0, -2.0, 0.5], np.float32))
    b = tf.Variable(np.array([[0.3], [4.0]], np.float32))
    grads = [tf.constant([0.5, -1.0, 2.0]), tf.constant([[1.5], [-0.25]])]
    return [a, b], grads


def serial(make, lr, steps):
    """The same steps on a fresh optimizer and fresh variables, one after another."""
    variables, grads = shared_problem()
    opt = make(lr)
    for _ in range(steps):
        opt.apply_gradients(zip(grads, variables))
    return opt, variables


def assert_one_set_of_state(opt, made, ref_opt):
    """The optimizer holds the state a serial run gives it, and every variable made while the
    threads ran is part of it: no orphan slot or beta power that some step wrote into."""
    own = own_variables(opt)
    assert [v.name for v in own] == [v.name for v in own_variables(ref_opt)]
    assert len({id(v) for v in own}) == len(own)
    assert made and {id(v) for v in made} <= {id(v) for v in own}, \
        f"{len(made)} variables made, {len(own)} kept"


def assert_same_values(opt, variables, ref_opt, ref_vars):
    for got, want in zip(own_variables(opt) + variables, own_variables(ref_opt) + ref_vars,
                         strict=True):
        np.testing.assert_array_equal(got.numpy(), want.numpy(), err_msg=got.name)


@pytest.mark.parametrize("which", OPTIMIZERS)
def test_concurrent_first_steps_make_the_optimizer_state_once(which, made):
    """8 threads take the first steps of one fresh optimizer together: each slot (and Adam's
    beta powers) is made once, and the result is that of the same steps one after another."""
    make = OPTIMIZERS[which]
    variables, grads = shared_problem()
    opt = make(LR)

    def work(i):
        for _ in range(STEPS):
            opt.apply_gradients(zip(grads, variables))
    run_threads(work)
    made = list(made)                   # (the serial run below makes variables too)
    ref_opt, ref_vars = serial(make, LR, N_THREADS * STEPS)
    assert_one_set_of_state(opt, made, ref_opt)
    assert_same_values(opt, variables, ref_opt, ref_vars)


@pytest.mark.parametrize("which", OPTIMIZERS)
def test_slots_made_while_tracing_in_several_threads_are_made_once(which, made):
    """8 threads each trace a tf.function stepping one fresh optimizer: the slots, made while
    tracing (outside the function's graph), are made once. (Calls of compiled steps from
    several threads are not serialized, as in TF: values are not compared.)"""
    make = OPTIMIZERS[which]
    variables, grads = shared_problem()
    opt = make(LR)

    def work(i):
        @tf.function
        def step():
            opt.apply_gradients(zip(grads, variables))
        return step.get_concrete_function()
    run_threads(work)
    made = list(made)
    assert_one_set_of_state(opt, made, serial(make, LR, 1)[0])


@pytest.mark.parametrize("which", OPTIMIZERS)
def test_concurrent_steps_of_one_optimizer_lose_no_update(which):
    """8 threads step one optimizer whose slots exist: every step's contribution to the
    momentum (and Adam's moments, iteration count, beta powers) is there, as in serial steps.

    Deterministic: the variable-writing kernels are wrapped so that the first write of each
    thread waits until all 8 threads are at one; without a lock around the step, each has then
    read the same momentum, and their writes undo each other's."""
    make = OPTIMIZERS[which]
    variables, grads = shared_problem()
    opt = make(LR)
    opt.apply_gradients(zip(grads, variables))         # the slots exist before the threads
    rendezvous = Rendezvous(N_THREADS)
    writes = ("AssignVariableOp", "AssignAddVariableOp", "AssignSubVariableOp")

    def waiting(kernel):
        def write(*args, **attrs):
            rendezvous()
            return kernel(*args, **attrs)
        return write
    originals = swap_kernels({t: waiting(OPS[t].kernel) for t in writes})
    try:
        def work(i):
            for _ in range(STEPS):
                opt.apply_gradients(zip(grads, variables))
        run_threads(work)
    finally:
        swap_kernels(originals)
    assert_same_values(opt, variables, *serial(make, LR, 1 + N_THREADS * STEPS))


def test_concurrent_get_or_create_global_step_makes_one(made):
    g = tf.Graph()

    def work(i):
        with g.as_default():
            return v1.train.get_or_create_global_step()
    steps = run_threads(work)
    assert all(s is steps[0] for s in steps)
    (kept,) = g.get_collection("global_step")
    assert kept is steps[0] and made == [kept]
