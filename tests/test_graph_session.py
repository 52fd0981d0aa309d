"""Graphs, operations, name scopes, control dependencies and Session.run."""
import sys
import threading

import numpy as np
import pytest

import janusgrad as tf
from janusgrad.framework.errors import InvalidArgumentError


@pytest.fixture
def graph_mode():
    tf.compat.v1.disable_eager_execution()


def test_executing_eagerly_follows_the_mode():
    assert tf.executing_eagerly()
    g = tf.Graph()
    with g.as_default():
        assert not tf.executing_eagerly()
    tf.compat.v1.disable_eager_execution()
    assert not tf.executing_eagerly()
    tf.compat.v1.enable_eager_execution()
    assert tf.executing_eagerly()


def test_names_are_unique_and_scoped(graph_mode):
    a = tf.constant(1.0, name="a")
    b = tf.constant(1.0, name="a")
    assert (a.op.name, b.op.name) == ("a", "a_1")
    with tf.name_scope("block"):
        c = tf.identity(a)
    with tf.name_scope("block"):
        d = tf.identity(a)
    assert c.op.name == "block/Identity" and d.op.name == "block_1/Identity"
    g = tf.compat.v1.get_default_graph()
    assert g.get_operation_by_name("block/Identity") is c.op
    assert g.get_tensor_by_name("block_1/Identity:0") is d
    with pytest.raises(KeyError):
        g.get_operation_by_name("nope")
    with pytest.raises(ValueError):
        g.get_tensor_by_name("block/Identity")


def test_operation_face(graph_mode):
    x = tf.constant([[1.0]])
    y = tf.matmul(x, x, transpose_b=True)
    op = y.op
    assert op.type == "MatMul" and op.get_attr("transpose_b") is True
    assert op.inputs == [x, x] and op.outputs == [y]
    with pytest.raises(ValueError):
        op.get_attr("nope")


def test_run_fetches_any_nesting(graph_mode):
    x = tf.constant(2.0)
    y = x * 3.0
    with tf.compat.v1.Session() as sess:
        out = sess.run({"a": [x, (y,)], "b": y})
    assert out["a"][0] == 2.0 and out["a"][1][0] == 6.0 and out["b"] == 6.0
    assert isinstance(out["a"][1], tuple)


def test_fetching_an_operation_gives_none(graph_mode):
    v = tf.Variable(1.0)
    with tf.compat.v1.Session() as sess:
        assert sess.run(v.initializer) is None
        assert sess.run(v) == 1.0


def test_placeholder_shape_and_dtype_checked_at_feed(graph_mode):
    x = tf.compat.v1.placeholder(tf.float32, [None, 3], name="inp")
    y = tf.reduce_sum(x)
    with tf.compat.v1.Session() as sess:
        assert sess.run(y, {x: np.ones((4, 3))}) == 12.0
        with pytest.raises(ValueError, match="inp:0"):
            sess.run(y, {x: np.ones((4, 2))})
        with pytest.raises(TypeError, match="inp:0"):
            sess.run(y, {x: "text"})
        with pytest.raises(InvalidArgumentError, match="inp"):
            sess.run(y)
        with pytest.raises(TypeError):
            sess.run(y, {"not a tensor": 1})


def test_feed_by_name_and_feeding_intermediate_tensors(graph_mode):
    x = tf.compat.v1.placeholder(tf.float32, [], name="x")
    y = x * 2.0
    z = y + 1.0
    with tf.compat.v1.Session() as sess:
        assert sess.run(z, {"x:0": 3.0}) == 7.0
        assert sess.run(z, {y: 10.0}) == 11.0      # no need to feed x


def test_plans_are_cached_per_signature(graph_mode):
    x = tf.compat.v1.placeholder(tf.float32, [])
    y = x * 2.0
    g = tf.compat.v1.get_default_graph()
    with tf.compat.v1.Session() as sess:
        for i in range(5):
            assert sess.run(y, {x: float(i)}) == 2.0 * i
        assert len(g.plans) == 1
        sess.run([y, x], {x: 1.0})
        assert len(g.plans) == 2


def test_plan_frees_buffers_it_no_longer_needs(graph_mode):
    from janusgrad.runtime.session import Plan
    x = tf.compat.v1.placeholder(tf.float32, [3])
    y = tf.exp(tf.sin(tf.cos(x)))
    plan = Plan(tf.compat.v1.get_default_graph(), [y], [], [x])
    freed = [s for step in plan.steps for s in step[-1]]
    assert freed, "intermediate slots must be freed after their last use"
    assert plan.fetch_slots[0] not in freed


def test_closed_session_refuses_work(graph_mode):
    sess = tf.compat.v1.Session()
    c = tf.constant(1.0)
    sess.close()
    with pytest.raises(RuntimeError, match="closed"):
        sess.run(c)


def test_tensors_from_another_graph_are_refused(graph_mode):
    g = tf.Graph()
    with g.as_default():
        c = tf.constant(1.0)
    with pytest.raises(ValueError):
        tf.add(c, tf.constant(2.0))
    with tf.compat.v1.Session() as sess:
        with pytest.raises(ValueError):
            sess.run(c)


def test_finalized_graph_refuses_new_ops(graph_mode):
    g = tf.compat.v1.get_default_graph()
    tf.constant(1.0)
    g.finalize()
    with pytest.raises(RuntimeError, match="finalized"):
        tf.constant(2.0)


def test_control_dependencies_order_reads_after_assigns(graph_mode):
    v = tf.Variable(1.0)
    assign = v.assign(5.0)
    with tf.control_dependencies([assign]):
        r = v.read_value() * 2.0
    with tf.compat.v1.Session() as sess:
        sess.run(v.initializer)
        assert sess.run(r) == 10.0


def test_group_and_no_op(graph_mode):
    v = tf.Variable(0.0)
    w = tf.Variable(0.0)
    both = tf.group(v.assign(1.0), w.assign(2.0))
    assert both.type == "NoOp" and len(both.control_inputs) == 2
    with tf.compat.v1.Session() as sess:
        sess.run(tf.compat.v1.global_variables_initializer())
        sess.run(both)
        assert sess.run([v, w]) == [1.0, 2.0]
    assert tf.no_op().type == "NoOp"
    tf.compat.v1.enable_eager_execution()
    assert tf.group() is None and tf.no_op() is None


def test_eval_and_run_use_the_default_session(graph_mode):
    v = tf.Variable(3.0)
    y = v * 2.0
    with pytest.raises(ValueError, match="default session"):
        y.eval()
    with tf.compat.v1.Session() as sess:
        tf.compat.v1.global_variables_initializer().run()
        assert y.eval() == 6.0
    sess = tf.compat.v1.InteractiveSession()
    sess.run(v.initializer)
    assert y.eval() == 6.0
    sess.close()


def test_uninitialized_variable_read_fails_clearly(graph_mode):
    v = tf.Variable(1.0, name="weights")
    with tf.compat.v1.Session() as sess:
        with pytest.raises(RuntimeError, match="uninitialized value weights"):
            sess.run(v.read_value())


def test_concurrent_runs_of_one_session(graph_mode):
    x = tf.compat.v1.placeholder(tf.float32, [100])
    y = tf.reduce_sum(tf.sin(x) * x)
    sess = tf.compat.v1.Session()
    results, errors = {}, []

    def work(i):
        try:
            v = np.full(100, i / 10.0, np.float32)
            for _ in range(20):
                results[i] = sess.run(y, {x: v})
        except Exception as e:          # pragma: no cover - reported below
            errors.append(e)
    threads = [threading.Thread(target=work, args=(i,)) for i in range(8)]
    [t.start() for t in threads]
    [t.join() for t in threads]
    assert not errors
    for i in range(8):
        v = np.full(100, i / 10.0, np.float32)
        np.testing.assert_allclose(results[i], np.sum(np.sin(v) * v), rtol=1e-5)


def test_reset_default_graph():
    tf.compat.v1.disable_eager_execution()
    tf.constant(1.0)
    g = tf.compat.v1.get_default_graph()
    tf.compat.v1.reset_default_graph()
    assert tf.compat.v1.get_default_graph() is not g
    assert tf.compat.v1.get_default_graph().get_operations() == []


def test_print_formats_like_tf(capsys):
    tf.print(tf.constant([0.0, 0.0, 1.0, 1.0]))
    err = capsys.readouterr().err
    assert err == "[0 0 1 1]\n"
    tf.print(tf.constant([0.25, 1.0, 1e10, 0.1]))       # float32 as %.9g, as TF
    assert capsys.readouterr().err == "[0.25 1 1e+10 0.100000001]\n"
    tf.print("v", tf.constant(list(range(10))))
    assert capsys.readouterr().err == "v [0 1 2 ... 7 8 9]\n"
    tf.print("m", tf.constant([[1, 2], [3, 4]]), output_stream=sys.stdout)
    assert capsys.readouterr().out == "m [[1 2]\n [3 4]]\n"


def test_print_in_graph_mode_runs_with_the_session(graph_mode, capsys):
    x = tf.constant([1, 2])
    p = tf.print("value", x)
    assert capsys.readouterr().err == ""
    with tf.compat.v1.Session() as sess:
        sess.run(p)
    assert capsys.readouterr().err == "value [1 2]\n"
