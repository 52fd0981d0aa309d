"""Nothing half-done: a failing Session.run leaves each variable as it was before the assign
that failed; a finalized graph refuses new ops; a closed Session refuses work; tensors of
another graph are refused. (Optimizer validation lives with the optimizers' tests.)
"""
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

import janusgrad as tf

v1 = tf.compat.v1


def graph_with_variable():
    g = tf.Graph()
    with g.as_default():
        v = tf.Variable([1.0, 2.0], name="v")
        w = tf.Variable([10.0, 20.0], name="w")
        p = v1.placeholder(tf.float32, None, name="p")
        init = v1.global_variables_initializer()
    sess = v1.Session(graph=g)
    sess.run(init)
    return g, sess, v, w, p


BAD_FEEDS = {
    "wrong shape": np.array([1.0, 2.0, 3.0], np.float32),
    "scalar": np.float32(1.0),
    "empty": np.zeros((0,), np.float32),
    "rank 2": np.ones((2, 1), np.float32),
}


@pytest.mark.parametrize("kind", ["assign", "assign_add", "assign_sub"])
@pytest.mark.parametrize("feed", sorted(BAD_FEEDS))
def test_failed_assign_leaves_the_variable_unchanged(kind, feed):
    g, sess, v, w, p = graph_with_variable()
    with g.as_default():
        op = getattr(v, kind)(p)
    with pytest.raises((ValueError, tf.errors.InvalidArgumentError), match="variable v"):
        sess.run(op, {p: BAD_FEEDS[feed]})
    np.testing.assert_array_equal(sess.run(v), [1.0, 2.0])
    sess.run(op, {p: [1.0, 1.0]})                      # and the session still works
    assert sess.run(v).tolist() == {"assign": [1.0, 1.0], "assign_add": [2.0, 3.0],
                                    "assign_sub": [0.0, 1.0]}[kind]


def test_assign_of_a_value_whose_computation_fails_never_happens():
    g, sess, v, w, p = graph_with_variable()
    with g.as_default():
        op = v.assign(tf.debugging.check_numerics(p * 2.0, "new value"))
    with pytest.raises(tf.errors.InvalidArgumentError, match="new value : Tensor had NaN"):
        sess.run(op, {p: [np.nan, 1.0]})
    np.testing.assert_array_equal(sess.run(v), [1.0, 2.0])


def test_in_a_run_that_fails_only_the_assigns_before_the_failure_happened():
    """As in TF there is no rollback: assigns that ran before the failing one stay done, the
    failing one and those after it did nothing."""
    g, sess, v, w, p = graph_with_variable()
    with g.as_default():
        first = w.assign_add([1.0, 1.0])
        with tf.control_dependencies([first]):
            failing = v.assign(p)
        with tf.control_dependencies([failing]):
            after = w.assign_add([100.0, 100.0])
    with pytest.raises(tf.errors.InvalidArgumentError):
        sess.run(after, {p: [1.0, 2.0, 3.0]})
    np.testing.assert_array_equal(sess.run(v), [1.0, 2.0])
    np.testing.assert_array_equal(sess.run(w), [11.0, 21.0])


def test_eager_failed_assign_leaves_the_variable_unchanged():
    v = tf.Variable([1.0, 2.0], name="v")
    for bad in (tf.ones(3), tf.ones((2, 1)), tf.ones(2, tf.int32), "abc", None):
        for method in (v.assign, v.assign_add, v.assign_sub):
            with pytest.raises((ValueError, TypeError)):
                method(bad)
    np.testing.assert_array_equal(v.numpy(), [1.0, 2.0])


@given(values=st.lists(st.floats(-1e3, 1e3, width=32), min_size=0, max_size=4))
def test_any_assign_either_happens_whole_or_not_at_all(values):
    v = tf.Variable([1.0, 2.0])
    new = np.array(values, np.float32)
    try:
        v.assign(new)
    except ValueError:
        np.testing.assert_array_equal(v.numpy(), [1.0, 2.0])
    else:
        np.testing.assert_array_equal(v.numpy(), new)


def test_earlier_reads_keep_their_value_after_an_assign():
    """Values are snapshots: an assign never writes into an array someone already holds."""
    v = tf.Variable([1.0, 2.0])
    before = v.read_value()
    array = v.numpy()
    v.assign_add([1.0, 1.0])
    np.testing.assert_array_equal(before, [1.0, 2.0])
    np.testing.assert_array_equal(array, [1.0, 2.0])


# -- Graph.finalize ----------------------------------------------------------------------------

FINALIZED_BUILDS = {
    "constant": lambda: tf.constant(1.0),
    "op": lambda: tf.add(tf.ones([]), 1.0),
    "placeholder": lambda: v1.placeholder(tf.float32),
    "variable": lambda: tf.Variable(1.0),
    "gradients": lambda: tf.gradients(tf.ones([]), []),
    "no_op": lambda: tf.no_op(),
}


@pytest.mark.parametrize("what", sorted(FINALIZED_BUILDS))
def test_finalized_graph_refuses_new_ops(what):
    g = tf.Graph()
    with g.as_default():
        x = tf.constant(3.0)
        y = x * 2.0
    g.finalize()
    n = len(g.get_operations())
    with g.as_default():
        with pytest.raises(RuntimeError, match="Graph is finalized"):
            FINALIZED_BUILDS[what]()
    assert len(g.get_operations()) == n
    with v1.Session(graph=g) as sess:
        assert sess.run(y) == 6.0                      # running it is still fine


def test_finalized_graph_runs_variables_without_adding_ops():
    g = tf.Graph()
    with g.as_default():
        v = tf.Variable([1.0, 2.0])
        inc = v.assign_add([1.0, 1.0])
        init = v1.global_variables_initializer()
    g.finalize()
    n = len(g.get_operations())
    with v1.Session(graph=g) as sess:
        sess.run(init)
        sess.run(inc)
        np.testing.assert_array_equal(sess.run(v), [2.0, 3.0])
        np.testing.assert_array_equal(v.eval(session=sess), [2.0, 3.0])
    assert len(g.get_operations()) == n


def test_finalized_graph_refuses_create_op():
    g = tf.Graph()
    g.finalize()
    with pytest.raises(RuntimeError, match="finalized"):
        g.create_op("NoOp", [])


# -- closed sessions ---------------------------------------------------------------------------

def test_closed_session_refuses_work():
    g, sess, v, w, p = graph_with_variable()
    with g.as_default():
        y = p * 2.0
        op = v.assign_add([1.0, 1.0], read_value=False)
    sess.close()
    for work in (lambda: sess.run(y, {p: 1.0}), lambda: sess.run(op), lambda: sess.run(v),
                 lambda: y.eval(session=sess, feed_dict={p: 1.0}), lambda: v.eval(session=sess),
                 lambda: op.run(session=sess)):
        with pytest.raises(RuntimeError, match="closed Session"):
            work()
    sess2 = v1.Session(graph=g)                        # the variable was not touched
    assert sess2.run(v).tolist() == [1.0, 2.0]


def test_session_closed_by_its_with_block_refuses_work():
    g = tf.Graph()
    with g.as_default():
        y = tf.constant(1.0)
    with v1.Session(graph=g) as sess:
        assert sess.run(y) == 1.0
    with pytest.raises(RuntimeError, match="closed Session"):
        sess.run(y)


# -- tensors of another graph ------------------------------------------------------------------

def other_graph_tensor():
    g = tf.Graph()
    with g.as_default():
        return tf.constant([1.0, 2.0], name="elsewhere")


CROSS_GRAPH_BUILDS = {
    "binary op": lambda t, c: t + c,
    "op function": lambda t, c: tf.matmul(tf.reshape(t, [1, 2]), tf.reshape(c, [2, 1])),
    "identity": lambda t, c: tf.identity(t),
    "concat": lambda t, c: tf.concat([c, t], 0),
    "stack": lambda t, c: tf.stack([c, t]),
    "gradients": lambda t, c: tf.gradients(c, t),
    "control_dependencies": lambda t, c: tf.control_dependencies([t]).__enter__(),
    "cond": lambda t, c: tf.cond(tf.constant(True), lambda: t, lambda: c),
    "variable assign": lambda t, c: tf.Variable([0.0, 0.0]).assign(t),
}


@pytest.mark.parametrize("what", sorted(CROSS_GRAPH_BUILDS))
def test_tensor_of_another_graph_is_refused_while_building(what):
    t = other_graph_tensor()
    g = tf.Graph()
    with g.as_default():
        c = tf.constant([3.0, 4.0])
        with pytest.raises(ValueError, match="graph"):
            CROSS_GRAPH_BUILDS[what](t, c)


def test_tensor_of_another_graph_is_refused_by_a_session():
    t = other_graph_tensor()
    g = tf.Graph()
    with g.as_default():
        p = v1.placeholder(tf.float32, [2])
        y = p * 2.0
    with v1.Session(graph=g) as sess:
        with pytest.raises(ValueError, match="not an element of this graph"):
            sess.run(t)
        with pytest.raises(ValueError, match="not an element of this graph"):
            sess.run(y, {t: [1.0, 2.0]})
        with pytest.raises(ValueError, match="graph"):
            t.eval(session=sess)
        np.testing.assert_array_equal(sess.run(y, {p: [1.0, 2.0]}), [2.0, 4.0])


# -- no kernel writes into the arrays it is given ----------------------------------------------

@pytest.fixture
def read_only_arrays():
    """Every kernel's outputs are made read-only, so a kernel that writes into one of its inputs
    (which may be a variable's value or a user's array, shared without copies) fails loudly."""
    from janusgrad.framework.registry import OPS
    from janusgrad.framework import registry

    def freeze(value):
        if isinstance(value, np.ndarray):
            value.setflags(write=False)

    def frozen(kernel, multi):
        def kernel_with_read_only_outputs(*args, **attrs):
            out = kernel(*args, **attrs)
            for value in (out if multi else (out,)):
                freeze(value)
            return out
        return kernel_with_read_only_outputs
    originals = {t: d.kernel for t, d in OPS.items()}
    for d in OPS.values():
        d.kernel = frozen(d.kernel, d.multi)
    registry.KERNELS_EPOCH[0] += 1
    yield freeze
    for t, k in originals.items():
        OPS[t].kernel = k
    registry.KERNELS_EPOCH[0] += 1


def _read_only(value):
    value = np.array(value)
    value.setflags(write=False)
    return value


def test_no_kernel_writes_into_its_inputs(read_only_arrays):
    from janusgrad.framework.nest import flatten

    from .public_calls import CALLS
    from .test_bad_input import _tensors, resolve
    for name, entry in sorted(CALLS.items()):
        args = _tensors(entry.args, lambda a: tf.constant(_read_only(a)))
        kwargs = {k: _tensors(v, lambda a: tf.constant(_read_only(a)))
                  for k, v in entry.kwargs.items()}
        sources = [t for t in flatten([args, list(kwargs.values())])
                   if isinstance(t, tf.Tensor) and t.dtype.is_floating]
        with tf.GradientTape() as outer:
            outer.watch(sources)
            with tf.GradientTape() as tape:
                tape.watch(sources)
                outs = [o for o in flatten(resolve(name)(*args, **kwargs))
                        if isinstance(o, tf.Tensor) and o.dtype.is_floating]
                total = tf.add_n([tf.reduce_sum(o * o) for o in outs]) if outs else None
            if total is None or not sources:
                continue
            grads = [tf.convert_to_tensor(g) for g in tape.gradient(total, sources)
                     if g is not None]  # (IndexedSlices: dense)
            second = tf.add_n([tf.reduce_sum(g * g) for g in grads]) if grads else None
        if second is not None:
            outer.gradient(second, sources)


def test_the_read_only_check_catches_a_kernel_that_writes(read_only_arrays):
    from janusgrad.framework.execute import execute
    from janusgrad.framework.registry import OPS
    from janusgrad.framework.registry import register_kernel

    def clobber(x):
        x += 1.0
        return x
    register_kernel("ReliabilityClobber", clobber)
    try:
        with pytest.raises(tf.errors.InvalidArgumentError, match="read-only"):
            execute("ReliabilityClobber", [tf.constant(_read_only([1.0]))])
    finally:
        del OPS["ReliabilityClobber"]
