"""Tape records hold only the arrays their op's gradient reads (registry.gradient's inputs= /
outputs=), and the sweep's shortcut (records as they are, no pruning walk) gives the same
gradients as the pruned sweep."""
import gc
import weakref

import numpy as np
import pytest

import janusgrad as tf
from janusgrad.autodiff.backprop import backprop, prune
from janusgrad.framework.tensor import DroppedValue, EagerTensor, stand_in
from janusgrad.framework import registry


def _alive(ref):
    gc.collect()
    return ref() is not None


def test_arrays_no_gradient_reads_are_freed_with_the_users_tensors():
    x = tf.constant(np.linspace(-1, 1, 10_000, dtype=np.float32))
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = x * 2.0             # Mul's gradient does not read its output
        z = y + 1.0             # Add's reads neither input nor output
        w = tf.sin(z)           # Sin's reads its input z, not its output
        e = tf.exp(w)           # Exp's reads its output, not its input
        loss = tf.reduce_sum(e)
    refs = {name: weakref.ref(t._value) for name, t in
            dict(y=y, z=z, w=w, e=e).items()}
    del y, z, w, e
    assert not _alive(refs["y"])        # held by nothing now
    assert _alive(refs["z"])            # Sin's record keeps its input
    assert not _alive(refs["w"])
    assert _alive(refs["e"])            # Exp's record keeps its output
    g = tape.gradient(loss, x)
    xv = x.numpy().astype(np.float64)
    zv = 2 * xv + 1
    want = np.exp(np.sin(zv)) * np.cos(zv) * 2
    np.testing.assert_allclose(g.numpy(), want, rtol=1e-5, atol=1e-6)


def test_small_arrays_stay_in_the_records():
    """Below tape.SMALL_BYTES a stand-in would cost more time than the memory it saves."""
    from janusgrad.autodiff import tape as tape_module
    x = tf.constant(np.ones(tape_module.SMALL_BYTES // 8, np.float32))      # half the limit
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = x * 2.0
        z = y + 1.0
    (mul, add) = tape.records_since()
    assert mul.outputs[0] is y and add.inputs[0] is y and add.outputs[0] is z
    np.testing.assert_allclose(tape.gradient(z, x).numpy(), 2.0)


@pytest.fixture
def drop_everything(monkeypatch):
    """Stand-ins for every dropped value, however small (the second-order test uses tiny
    arrays)."""
    from janusgrad.autodiff import tape as tape_module
    monkeypatch.setattr(tape_module, "SMALL_BYTES", 0)


def test_second_order_through_records_with_stand_ins(drop_everything):
    x = tf.constant([0.3, -0.7, 1.1])
    with tf.GradientTape() as outer:
        outer.watch(x)
        with tf.GradientTape() as inner:
            inner.watch(x)
            y = tf.reduce_sum(tf.exp(tf.tanh(x * 1.5 + 0.2)))
        dx = inner.gradient(y, x)
    d2 = outer.gradient(dx, x)
    xv = x.numpy().astype(np.float64)

    def f_prime(v):
        t = np.tanh(1.5 * v + 0.2)
        return np.exp(t) * (1 - t * t) * 1.5
    eps = 1e-5
    want = (f_prime(xv + eps) - f_prime(xv - eps)) / (2 * eps)
    np.testing.assert_allclose(d2.numpy(), want, rtol=1e-3)


def test_stand_in_keeps_number_shape_dtype_and_refuses_its_value():
    t = tf.constant(np.ones((2, 3), np.float32))
    g = stand_in(t)
    assert g._id == t._id and g.dtype is t.dtype and g.shape == t.shape
    assert isinstance(g._value, DroppedValue) and g._value.size == 6 and g._value.ndim == 2
    with pytest.raises(RuntimeError, match="does not read"):
        np.asarray(g._value)


def test_a_gradient_that_reads_a_value_it_declared_unread_fails_loudly(drop_everything):
    op_type = "TestMemoryDeclaredNoInputs"
    registry.register_kernel(op_type, lambda x: x * 3.0)
    try:
        @registry.gradient(op_type, inputs=())
        def _wrong(op, dy):
            return dy * op.inputs[0]          # reads x although it declared it does not

        x = tf.constant([1.0, 2.0])
        with tf.GradientTape() as tape:
            tape.watch(x)
            (y,) = _execute(op_type, [x])
        with pytest.raises(RuntimeError, match="does not read"):
            tape.gradient(y, x)
    finally:
        registry.unregister_kernel(op_type)
        registry.remove_gradient(op_type)


def _execute(op_type, inputs):
    from janusgrad.framework.execute import execute
    return execute(op_type, inputs)


def test_a_reregistered_gradient_gets_whole_records():
    """The saved-values declaration belongs to the function that made it: a gradient
    registered later for the same type sees every value."""
    op_type = "TestMemoryReregistered"
    registry.register_kernel(op_type, lambda x: x * 3.0)
    try:
        registry.gradient(op_type, inputs=())(lambda op, dy: dy * 3.0)
        registry.set_gradient(op_type, lambda op, dy: dy * op.inputs[0])
        x = tf.constant([1.0, 2.0])
        with tf.GradientTape() as tape:
            tape.watch(x)
            (y,) = _execute(op_type, [x])
        np.testing.assert_allclose(tape.gradient(y, x).numpy(), [1.0, 2.0])
    finally:
        registry.unregister_kernel(op_type)
        registry.remove_gradient(op_type)


def _pruned_gradient(tape, target, sources):
    nodes = prune(tape.records_since(), [target], sources)
    return backprop(nodes, [target], [tf.ones_like(target)], sources)


def test_shortcut_sweep_equals_the_pruned_sweep():
    a = tf.constant([0.5, -1.0, 2.0])
    b = tf.constant([1.5, 0.25, -0.5])
    c = tf.constant([3.0, 1.0, 2.0])            # not watched: an input no source reaches
    with tf.GradientTape(persistent=True) as tape:
        tape.watch([a, b])
        u = a * c + tf.sin(b)
        v = tf.exp(u) * b - a / c
        loss = tf.reduce_sum(v * v)
    assert tape._sweeps_all([a, b])
    fast = tape.gradient(loss, [a, b])
    slow = _pruned_gradient(tape, loss, [a, b])
    for f, s in zip(fast, slow):
        np.testing.assert_allclose(f.numpy(), s.numpy(), rtol=1e-6)


def test_sources_that_miss_a_root_take_the_pruned_sweep():
    a = tf.constant(1.5)
    b = tf.constant(-0.5)
    with tf.GradientTape(persistent=True) as tape:
        tape.watch([a, b])
        y = a * a * b
    assert not tape._sweeps_all([a])
    assert tape.gradient(y, a).numpy() == pytest.approx(2 * 1.5 * -0.5)
    # a gradient over fewer sources rewrote the records' skipped inputs: no shortcut after it
    assert not tape._sweeps_all([a, b])
    ga, gb = tape.gradient(y, [a, b])
    assert ga.numpy() == pytest.approx(-1.5) and gb.numpy() == pytest.approx(2.25)


def test_watch_after_use_takes_the_pruned_sweep():
    x = tf.constant(2.0)
    w = tf.constant(3.0)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = x * w                   # recorded with w not (yet) watched
        tape.watch(w)
        z = y * w
    assert tape._late
    gx, gw = tape.gradient(z, [x, w])
    assert gx.numpy() == pytest.approx(9.0)       # d(x w^2)/dx
    assert gw.numpy() == pytest.approx(12.0)      # both uses of w: 2 x w


def test_variables_read_under_the_tape_use_the_shortcut():
    v = tf.Variable([1.0, 2.0])
    with tf.GradientTape() as tape:
        y = tf.reduce_sum(tf.square(v) * 3.0)
    assert tape._sweeps_all([v.handle])
    np.testing.assert_allclose(tape.gradient(y, v).numpy(), [6.0, 12.0])


def test_multi_output_op_with_dropped_outputs_gets_zero_gradients(drop_everything):
    x = tf.constant([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
    with tf.GradientTape() as tape:
        tape.watch(x)
        first, second = tf.unstack(x)
        y = tf.reduce_sum(first * 2.0)        # nothing flows into `second`
    del second
    g = tape.gradient(y, x)
    np.testing.assert_allclose(g.numpy(), [[2.0, 2.0, 2.0], [0.0, 0.0, 0.0]])
    assert type(g) is EagerTensor


def test_copies_of_a_tensor_are_new_tensors_to_the_tape():
    """Tapes key tensors by their number: a copy (copy, deepcopy, pickle) must get its own, or
    watching the copy would watch the original."""
    import copy
    import pickle
    x = tf.constant([1.0, 2.0])
    for c in (copy.copy(x), copy.deepcopy(x), pickle.loads(pickle.dumps(x))):
        assert c._id != x._id and c.dtype is x.dtype
        np.testing.assert_array_equal(c.numpy(), x.numpy())
        with tf.GradientTape() as tape:
            tape.watch(c)
            y = x * 3.0 + c * 2.0
        assert tape.gradient(y, x) is None            # x itself was never watched
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = x * 3.0 + copy.deepcopy(x) * 2.0
    np.testing.assert_allclose(tape.gradient(y, x).numpy(), [3.0, 3.0])
