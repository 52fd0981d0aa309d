"""The TF1 training surface: tf.compat.v1.train.Optimizer subclassed the TF1 way, RMSProp,
Adagrad, Adadelta and proximal gradient descent, learning-rate schedules of the global step, and
TF's names, against TensorFlow 2.21's numbers and names (tests/tf_v1_training_expected.py,
recorded by tools/record_tf_v1_training.py from tests/v1_training_cases.py, which both run),
eagerly, in a graph run by a Session, and in a tf.function."""
import numpy as np
import pytest

import janusgrad as tf
from janusgrad.framework.errors import InvalidArgumentError
from tests import v1_training_cases as cases
from tests.tf_v1_training_expected import NAMES, OPTIMIZERS, SCHEDULES

V1 = tf.compat.v1.train


def close(got, want):
    np.testing.assert_allclose(got, np.array(want, np.asarray(got).dtype), rtol=2e-6,
                               atol=2e-7)


def grads(k):
    return [tf.constant(g) for g in cases.gradients(k)]


@pytest.mark.parametrize("name", cases.OPTIMIZERS)
def test_eager_steps_match_tensorflow(name):
    a, b = tf.Variable(cases.A0, name="a"), tf.Variable(cases.B0, name="b")
    opt, step = cases.OPTIMIZERS[name](tf)
    for k, (want_a, want_b) in enumerate(OPTIMIZERS[name][1]):
        ga, gb = grads(k)
        assert opt.apply_gradients([(ga, a), (gb, b)], global_step=step) is None
        close(a.numpy(), want_a)
        close(b.numpy(), want_b)
    if step is not None:
        assert step.numpy() == cases.STEPS


@pytest.mark.parametrize("name", cases.OPTIMIZERS)
def test_session_steps_and_variable_names_match_tensorflow(name):
    tf.compat.v1.disable_eager_execution()
    a, b = tf.Variable(cases.A0, name="a"), tf.Variable(cases.B0, name="b")
    pa = tf.compat.v1.placeholder(tf.float32, cases.A0.shape)
    pb = tf.compat.v1.placeholder(tf.float32, cases.B0.shape)
    opt, step = cases.OPTIMIZERS[name](tf)
    train = opt.apply_gradients([(pa, a), (pb, b)], global_step=step)
    names, expected = OPTIMIZERS[name]
    assert sorted(v.name for v in opt.variables()) == names
    with tf.compat.v1.Session() as sess:
        sess.run(tf.compat.v1.global_variables_initializer())
        for k, (want_a, want_b) in enumerate(expected):
            ga, gb = cases.gradients(k)
            sess.run(train, {pa: ga, pb: gb})
            close(sess.run(a), want_a)
            close(sess.run(b), want_b)


@pytest.mark.parametrize("name", cases.OPTIMIZERS)
def test_tf_function_steps_match_tensorflow_and_trace_once(name):
    a, b = tf.Variable(cases.A0, name="a"), tf.Variable(cases.B0, name="b")
    opt, step = cases.OPTIMIZERS[name](tf)

    @tf.function
    def train(ga, gb):
        opt.apply_gradients([(ga, a), (gb, b)], global_step=step)

    for k, (want_a, want_b) in enumerate(OPTIMIZERS[name][1]):
        train(*grads(k))
        close(a.numpy(), want_a)
        close(b.numpy(), want_b)
    assert train.experimental_get_tracing_count() == 1


def test_a_subclass_as_tf1_wrote_it_equals_the_builtin_optimizer():
    # HandSGD (only _apply_dense) against GradientDescentOptimizer: TF's numbers are the same
    a, b = tf.Variable(cases.A0), tf.Variable(cases.B0)
    opt = V1.GradientDescentOptimizer(0.1)
    for k, (want_a, want_b) in enumerate(OPTIMIZERS["hand_sgd"][1]):
        opt.apply_gradients(zip(grads(k), [a, b]))
        close(a.numpy(), want_a)
        close(b.numpy(), want_b)


def test_graph_names_match_tensorflow():
    # op names of minimize / apply_gradients (name="train" gives the op "train"), slot and
    # non-slot variable names, the train_op collection, the global step
    assert cases.names_scenario(tf) == NAMES


# -- the subclassing protocol ----------------------------------------------------------------

class Recorder(V1.Optimizer):
    """Records the protocol's calls; defines both update methods."""

    def __init__(self):
        super().__init__(False, "Recorder")
        self.calls = []

    def _create_slots(self, var_list):
        self.calls.append(("create_slots", [v.name for v in var_list]))
        for v in var_list:
            self._zeros_slot(v, "acc", self._name)

    def _prepare(self):
        self.calls.append(("prepare",))

    def _apply_dense(self, grad, var):
        self.calls.append(("apply_dense", var.name))
        return var.assign_sub(grad)

    def _resource_apply_dense(self, grad, handle):
        self.calls.append(("resource_apply_dense", handle.name))
        acc = self.get_slot(handle, "acc")
        return tf.group(acc.assign_add(grad), handle.assign_sub(2.0 * grad))

    def _finish(self, update_ops, name_scope):
        self.calls.append(("finish", len(update_ops), name_scope))
        return tf.group(*update_ops, name=name_scope)


def test_apply_gradients_calls_the_protocol_in_tf_order():
    a, b = tf.Variable([1.0, 2.0], name="a"), tf.Variable(3.0, name="b")
    opt = Recorder()
    opt.apply_gradients([(tf.constant([1.0, 1.0]), a), (None, b)])
    # _resource_apply_dense wins where both are defined (TF 2's resource variables)
    assert opt.calls == [("create_slots", ["a:0"]), ("prepare",),
                         ("resource_apply_dense", "a:0"), ("finish", 1, "Recorder/")]
    assert a.numpy().tolist() == [-1.0, 0.0] and b.numpy() == 3.0
    assert opt.get_slot(a, "acc").numpy().tolist() == [1.0, 1.0]
    assert opt.get_slot(b, "acc") is None and opt.get_slot_names() == ["acc"]


def test_finish_gets_the_scope_that_names_the_step_op():
    tf.compat.v1.disable_eager_execution()
    a = tf.Variable([1.0, 2.0], name="a")
    opt = Recorder()
    op = opt.minimize(tf.reduce_sum(a * a), name="train")
    assert op.name == "train" and opt.calls[-1] == ("finish", 1, "train/")
    step = tf.compat.v1.train.get_or_create_global_step()
    op = opt.minimize(tf.reduce_sum(a * a), global_step=step, name="train")
    # with a global step: _finish makes "<scope>/update", the returned op increments the step
    assert op.name == "train_1" and op.type == "AssignAddVariableOp"
    assert opt.calls[-1] == ("finish", 1, "update")
    with tf.compat.v1.Session() as sess:
        sess.run(tf.compat.v1.global_variables_initializer())
        sess.run(op)
        assert sess.run(step) == 1
        np.testing.assert_allclose(sess.run(a), [1.0 - 4.0, 2.0 - 8.0])


def test_neither_update_method_raises_not_implemented():
    class Empty(V1.Optimizer):
        def __init__(self):
            super().__init__(False, "Empty")
    with pytest.raises(NotImplementedError, match="_apply_dense"):
        Empty().apply_gradients([(tf.constant(1.0), tf.Variable(1.0))])


def test_base_class_arguments_are_checked():
    with pytest.raises(ValueError, match="Must specify the optimizer name"):
        V1.Optimizer(False, "")
    with pytest.raises(ValueError, match="initial_accumulator_value must be positive"):
        V1.AdagradOptimizer(0.1, initial_accumulator_value=0.0)
    assert (V1.Optimizer.GATE_NONE, V1.Optimizer.GATE_OP, V1.Optimizer.GATE_GRAPH) == (0, 1, 2)


def test_apply_gradients_refuses_bad_pairs_before_changing_anything():
    v = tf.Variable([1.0, 2.0])
    opt = V1.GradientDescentOptimizer(0.1)
    with pytest.raises(ValueError, match="No variables provided"):
        opt.apply_gradients([])
    with pytest.raises(TypeError, match="Gradient must be convertible"):
        opt.apply_gradients([(object(), v)])
    with pytest.raises(NotImplementedError, match="Trying to update a Tensor"):
        opt.apply_gradients([(tf.constant([1.0, 1.0]), v), (tf.constant(1.0), tf.constant(2.0))])
    assert v.numpy().tolist() == [1.0, 2.0]


def test_compute_gradients_in_a_graph():
    tf.compat.v1.disable_eager_execution()
    a, b = tf.Variable([1.0, 2.0]), tf.Variable(3.0)
    unused = tf.Variable(0.0)
    loss = tf.reduce_sum(a * a) * b
    opt = V1.GradientDescentOptimizer(0.1)
    for gate in (V1.Optimizer.GATE_NONE, V1.Optimizer.GATE_OP, V1.Optimizer.GATE_GRAPH):
        pairs = opt.compute_gradients(loss, gate_gradients=gate)
        assert [v for _, v in pairs] == [a, b, unused] and pairs[2][0] is None
    pairs = opt.compute_gradients(loss, var_list=[a], grad_loss=tf.constant(2.0))
    with tf.compat.v1.Session() as sess:
        sess.run(tf.compat.v1.global_variables_initializer())
        np.testing.assert_allclose(sess.run(pairs[0][0]), [12.0, 24.0])
    with pytest.raises(ValueError, match="gate_gradients must be one of"):
        opt.compute_gradients(loss, gate_gradients=3)
    with pytest.raises(ValueError, match="Invalid type"):
        opt.compute_gradients(tf.constant(1, tf.int32) + 0, var_list=[a])
    with pytest.raises(ValueError, match="No gradients provided"):
        opt.minimize(tf.constant(1.0) * 2.0, var_list=[a])


def test_the_global_step_is_incremented_after_the_updates():
    # the learning rate reads the step: the update uses the step's value before the increment
    tf.compat.v1.disable_eager_execution()
    v = tf.Variable(0.0)
    step = V1.get_or_create_global_step()
    lr = tf.cast(step + 1, tf.float32)          # 1, 2, 3 ...
    train = V1.GradientDescentOptimizer(lr).minimize(-v, global_step=step)
    assert tf.compat.v1.get_default_graph().get_collection("train_op") == [train]
    with tf.compat.v1.Session() as sess:
        sess.run(tf.compat.v1.global_variables_initializer())
        for _ in range(3):
            sess.run(train)
        assert sess.run(v) == 6.0 and sess.run(step) == 3


def test_constraints_are_applied_after_the_update():
    v = tf.Variable([0.5, -0.5], constraint=lambda x: tf.clip_by_value(x, -1.0, 1.0))
    V1.GradientDescentOptimizer(1.0).apply_gradients([(tf.constant([-2.0, 0.25]), v)])
    assert v.numpy().tolist() == [1.0, -0.75]


def test_slots_and_non_slot_variables():
    a, b = tf.Variable([1.0, 2.0], name="w"), tf.Variable(3.0, name="z")
    opt = V1.AdamOptimizer(0.1)
    opt.apply_gradients([(tf.constant([1.0, 1.0]), a), (tf.constant(1.0), b)])
    assert opt.get_slot_names() == ["m", "v"]
    # eager names are unique within the optimizer, as TF's first optimizer's are
    assert [v.name for v in opt.variables()] == [
        "beta1_power:0", "beta2_power:0", "w/Adam:0", "w/Adam_1:0", "z/Adam:0", "z/Adam_1:0"]
    b1, b2 = opt._get_non_slot_variable("beta1_power"), opt._get_non_slot_variable("beta2_power")
    assert {id(x) for x in opt._non_slot_variables()} == {id(b1), id(b2)}
    np.testing.assert_allclose([b1.numpy(), b2.numpy()], [0.9 ** 2, 0.999 ** 2], rtol=1e-6)
    assert opt.get_slot(a, "m").dtype is tf.float32 and opt.get_slot(a, "m").shape == (2,)


def test_float64_variables():
    v = tf.Variable(np.array([1.0, -2.0]))
    g = np.array([0.5, -0.25])
    V1.RMSPropOptimizer(0.1, momentum=0.5).apply_gradients([(tf.constant(g), v)])
    lr, decay, eps = (float(np.float32(x)) for x in (0.1, 0.9, 1e-10))
    ms = 1.0 + (g * g - 1.0) * (1 - decay)               # "rms" starts at ones
    np.testing.assert_allclose(v.numpy(), [1.0, -2.0] - lr * g / np.sqrt(ms + eps), rtol=1e-14)
    assert v.dtype is tf.float64


def test_rmsprop_slots_round_trip_through_a_checkpoint(tmp_path):
    v = tf.Variable([1.0, -1.0])
    opt = V1.RMSPropOptimizer(0.1, momentum=0.9, centered=True)
    opt.apply_gradients([(tf.constant([0.5, 0.25]), v)])
    path = tf.train.Checkpoint(v=v, opt=opt).save(str(tmp_path / "rms"))
    w = tf.Variable([0.0, 0.0])
    opt2 = V1.RMSPropOptimizer(0.1, momentum=0.9, centered=True)
    tf.train.Checkpoint(v=w, opt=opt2).restore(path)   # slots made later take their values
    for o, x in ((opt, v), (opt2, w)):
        o.apply_gradients([(tf.constant([0.3, -0.2]), x)])
    np.testing.assert_array_equal(w.numpy(), v.numpy())
    for slot in ("rms", "mg", "momentum"):
        np.testing.assert_array_equal(opt2.get_slot(w, slot).numpy(),
                                      opt.get_slot(v, slot).numpy())


def test_new_optimizers_refuse_non_finite_gradients_when_asked():
    v = tf.Variable([1.0, 2.0])
    for opt in (V1.RMSPropOptimizer(0.1, check_finite=True),
                V1.AdagradOptimizer(0.1, check_finite=True),
                V1.AdadeltaOptimizer(1.0, check_finite=True)):
        with pytest.raises(InvalidArgumentError, match="NaN or Inf"):
            opt.apply_gradients([(tf.constant([np.nan, 1.0]), v)])
    assert v.numpy().tolist() == [1.0, 2.0]


# -- learning-rate schedules -------------------------------------------------------------------

@pytest.mark.parametrize("name", cases.SCHEDULES)
def test_eager_schedules_are_callables_of_the_step(name):
    step = tf.Variable(0, dtype=tf.int64)
    lr = cases.SCHEDULES[name](tf, step)
    assert callable(lr) and not isinstance(lr, tf.Tensor)
    dtype, expected = SCHEDULES[name]
    for s, want in zip(cases.SCHEDULE_STEPS, expected, strict=True):
        step.assign(s)
        got = lr()
        assert got.dtype.name == dtype
        np.testing.assert_allclose(got.numpy(), want, rtol=2e-6, err_msg=f"step {s}")


@pytest.mark.parametrize("name", cases.SCHEDULES)
def test_graph_schedules_are_tensors_of_the_step(name):
    tf.compat.v1.disable_eager_execution()
    step = V1.get_or_create_global_step()
    lr = cases.SCHEDULES[name](tf, step)
    assert isinstance(lr, tf.Tensor)
    dtype, expected = SCHEDULES[name]
    assert lr.dtype.name == dtype
    with tf.compat.v1.Session() as sess:
        for s, want in zip(cases.SCHEDULE_STEPS, expected, strict=True):
            sess.run(step.assign(s))
            np.testing.assert_allclose(sess.run(lr), want, rtol=2e-6, err_msg=f"step {s}")


def test_schedules_inside_tf_function_are_tensors():
    step = tf.Variable(5, dtype=tf.int64)

    @tf.function
    def rate():
        lr = V1.exponential_decay(0.1, step, 10, 0.5)
        assert isinstance(lr, tf.Tensor)
        return lr
    np.testing.assert_allclose(rate().numpy(), SCHEDULES["exponential"][1][3], rtol=2e-6)


def test_schedule_errors():
    step = tf.Variable(5, dtype=tf.int64)
    with pytest.raises(ValueError, match="length of boundaries"):
        V1.piecewise_constant(step, [3, 7], [1.0, 0.5])
    with pytest.raises(ValueError, match="Boundaries"):
        V1.piecewise_constant(step, [3.0, 7.0], [1.0, 0.5, 0.1])
    with pytest.raises(ValueError, match="Values must have elements all with the same dtype"):
        V1.piecewise_constant(step, [3, 7], [1.0, 0.5, 1])
    lr = V1.exponential_decay(0.1, None, 10, 0.5)      # eagerly TF raises when it is called
    with pytest.raises(ValueError, match="exponential_decay.*global_step"):
        lr()
    assert V1.piecewise_constant_decay is V1.piecewise_constant


# -- the global step ---------------------------------------------------------------------------

def test_global_step_helpers():
    tf.compat.v1.disable_eager_execution()
    assert V1.get_global_step() is None
    with tf.name_scope("somewhere"):
        step = V1.create_global_step()
    assert step.name == "global_step:0" and step.dtype is tf.int64 and not step.trainable
    assert V1.get_global_step() is step and V1.get_or_create_global_step() is step
    assert tf.compat.v1.get_default_graph().get_collection("global_step") == [step]
    with pytest.raises(ValueError, match="already exists"):
        V1.create_global_step()
    with tf.compat.v1.Session() as sess:
        sess.run(step.initializer)
        sess.run(step.assign_add(3))
        assert V1.global_step(sess, step) == 3


def test_non_slot_variables_are_kept_per_graph():
    opt = V1.AdamOptimizer(0.1)
    graphs = [tf.Graph(), tf.Graph()]
    for g in graphs:
        with g.as_default():
            v = tf.Variable([1.0], name="v")
            opt.minimize(tf.reduce_sum(v * v))
            assert [x.name for x in opt.variables()] == [
                "beta1_power:0", "beta2_power:0", "v/Adam:0", "v/Adam_1:0"]
            assert all(x.graph is g for x in opt.variables())
    b1 = [opt._get_non_slot_variable("beta1_power", g) for g in graphs]
    assert b1[0] is not b1[1] and b1[0].graph is graphs[0] and b1[1].graph is graphs[1]


class Clipped(V1.GradientDescentOptimizer):
    """A TF1 wrapper pattern: compute_gradients overridden with TF's signature."""

    def compute_gradients(self, loss, var_list=None, gate_gradients=V1.Optimizer.GATE_OP,
                          aggregation_method=None, colocate_gradients_with_ops=False,
                          grad_loss=None):
        pairs = super().compute_gradients(loss, var_list, gate_gradients, aggregation_method,
                                          colocate_gradients_with_ops, grad_loss)
        return [(tf.clip_by_value(g, -1.0, 1.0), v) for g, v in pairs]


@pytest.mark.parametrize("mode", ["eager", "graph"])
def test_overridden_compute_gradients_is_used_by_minimize(mode):
    if mode == "graph":
        tf.compat.v1.disable_eager_execution()
    v = tf.Variable([3.0, 0.25])
    if mode == "eager":
        Clipped(0.5).minimize(lambda: tf.reduce_sum(v * v), var_list=[v])
        got = v.numpy()
    else:
        train = Clipped(0.5).minimize(tf.reduce_sum(v * v))
        with tf.compat.v1.Session() as sess:
            sess.run(v.initializer)
            sess.run(train)
            got = sess.run(v)
    np.testing.assert_allclose(got, [3.0 - 0.5, 0.25 - 0.5 * 0.5])     # the gradient 6 -> 1
