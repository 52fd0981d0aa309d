"""tf.cond, tf.while_loop and tf.case in eager mode, in graphs and inside tf.function: values,
gradients (first and second order, w.r.t. captured tensors and variables) and TF's errors."""
import collections
import io

import numpy as np
import pytest

import janusgrad as tf
from janusgrad.check import check_gradients
from janusgrad.errors import InvalidArgumentError


def run_graph(build, feeds=()):
    """Build in a fresh graph (build(*placeholders) -> fetches), run once, return the values."""
    g = tf.Graph()
    with g.as_default():
        phs = [tf.compat.v1.placeholder(tf.as_dtype(np.asarray(v).dtype), np.shape(v))
               for v in feeds]
        fetches = build(*phs)
        with tf.compat.v1.Session(graph=g) as sess:
            sess.run(tf.compat.v1.global_variables_initializer())
            return sess.run(fetches, dict(zip(phs, feeds)))


def in_three_modes(fn, *args):
    """fn's values eagerly, in a TF1 graph and inside tf.function (all as NumPy)."""
    eager = _numpy(fn(*[tf.constant(a) for a in args]))
    graph = run_graph(fn, args)
    function = _numpy(tf.function(fn)(*[tf.constant(a) for a in args]))
    return eager, graph, function


def _numpy(x):
    if isinstance(x, (list, tuple)):
        return [_numpy(v) for v in x]
    if isinstance(x, dict):
        return {k: _numpy(v) for k, v in x.items()}
    return x.numpy() if hasattr(x, "numpy") else np.asarray(x)


def assert_all_close(results, expected, rtol=1e-6):
    """Each mode's result equals `expected` (a value, or a list matching a list result)."""
    for got in results:
        _assert_close(got, expected, rtol)


def _assert_close(got, expected, rtol):
    if isinstance(got, (list, tuple)):
        assert len(got) == len(expected)
        for g, e in zip(got, expected):
            _assert_close(g, e, rtol)
    else:
        np.testing.assert_allclose(got, expected, rtol=rtol)


def op_types(graph):
    return [op.type for op in graph.get_operations()]


# -- cond ---------------------------------------------------------------------------------------

def test_cond_values_in_three_modes():
    def f(x):
        return tf.cond(tf.reduce_sum(x) > 0.0, lambda: x * 2.0, lambda: x - 1.0)
    for x, want in [(np.array([1.0, 2.0], np.float32), [2.0, 4.0]),
                    (np.array([-1.0, -2.0], np.float32), [-2.0, -3.0])]:
        assert_all_close(in_three_modes(f, x), want)


def test_cond_graph_mode_builds_one_if_op_with_static_shape():
    g = tf.Graph()
    with g.as_default():
        x = tf.compat.v1.placeholder(tf.float32, [None, 3])
        y = tf.cond(x[0, 0] > 0.0, lambda: x * 2.0, lambda: x)
        assert y.op.type == "StatelessIf"
        assert y.shape.as_list() == [None, 3]


def test_cond_branches_with_different_static_shapes_give_an_unknown_dim():
    g = tf.Graph()
    with g.as_default():
        p = tf.compat.v1.placeholder(tf.bool, [])
        y = tf.cond(p, lambda: tf.zeros([2, 3]), lambda: tf.zeros([4, 3]))
        assert y.shape.as_list() == [None, 3]
        with tf.compat.v1.Session(graph=g) as sess:
            assert sess.run(y, {p: True}).shape == (2, 3)
            assert sess.run(y, {p: False}).shape == (4, 3)


def test_nested_cond_in_three_modes():
    def f(x):
        return tf.cond(x > 0.0,
                       lambda: tf.cond(x > 2.0, lambda: x * 10.0, lambda: x * 5.0),
                       lambda: tf.cond(x < -2.0, lambda: x - 100.0, lambda: -x))
    for x, want in [(3.0, 30.0), (1.0, 5.0), (-1.0, 1.0), (-3.0, -103.0)]:
        assert_all_close(in_three_modes(f, np.float32(x)), want)


def test_cond_returns_nested_structures_and_python_values():
    def f(x):
        return tf.cond(x > 0.0, lambda: {"a": x, "b": (x * 2.0, 3.0)},
                       lambda: {"a": -x, "b": (x, 4.0)})
    for got in in_three_modes(f, np.float32(2.0)):
        assert got["a"] == 2.0 and got["b"][0] == 4.0 and got["b"][1] == 3.0


def test_eager_cond_runs_only_the_branch_taken():
    ran = []
    tf.cond(tf.constant(True), lambda: ran.append("t"), lambda: ran.append("f"))
    tf.cond(tf.constant(False), lambda: ran.append("t"), lambda: ran.append("f"))
    assert ran == ["t", "f"]


def test_graph_cond_runs_the_side_effects_of_the_branch_taken_only():
    calls = []

    def branch(tag):
        def fn():
            tf.numpy_function(lambda: calls.append(tag) or np.float32(0.0), [], tf.float32)
            return tf.constant(1.0 if tag == "t" else 2.0)
        return fn

    @tf.function
    def f(p):
        return tf.cond(p, branch("t"), branch("f"))

    assert f(tf.constant(True)).numpy() == 1.0 and calls == ["t"]
    assert f(tf.constant(False)).numpy() == 2.0 and calls == ["t", "f"]


def test_graph_cond_assigns_a_variable_only_in_the_branch_taken():
    g = tf.Graph()
    with g.as_default():
        v = tf.Variable(0.0)
        p = tf.compat.v1.placeholder(tf.bool, [])
        y = tf.cond(p, lambda: v.assign_add(1.0), lambda: v.assign_add(10.0))
        with tf.compat.v1.Session(graph=g) as sess:
            sess.run(v.initializer)
            sess.run(y, {p: True})
            assert sess.run(v) == 1.0
            sess.run(y, {p: False})
            assert sess.run(v) == 11.0


def test_cond_and_while_with_side_effects_run_even_when_their_outputs_are_unused():
    out = io.StringIO()

    def positive():
        tf.print("positive", output_stream=out)
        return tf.constant(1)

    def body(i):
        tf.print("step", i, output_stream=out)
        return i + 1

    @tf.function
    def f(x):
        c = tf.cond(x > 0, positive, lambda: tf.constant(0))
        w = tf.while_loop(lambda i: i < 2, body, [0])[0]
        pure = tf.while_loop(lambda i: i < 2, lambda i: i + 1, [0])[0]
        assert (c.op.type, w.op.type, pure.op.type) == ("If", "While", "StatelessWhile")
        return x

    f(tf.constant(1))
    assert out.getvalue() == "positive\nstep 0\nstep 1\n"


def test_cond_prints_only_in_the_branch_taken():
    out = io.StringIO()

    @tf.function
    def f(p):
        def yes():
            tf.print("yes", output_stream=out)
            return tf.constant(1)

        def no():
            tf.print("no", output_stream=out)
            return tf.constant(0)
        return tf.cond(p, yes, no)

    f(tf.constant(True))
    f(tf.constant(False))
    assert out.getvalue() == "yes\nno\n"


def test_cond_gradient_wrt_captured_tensors_and_variables_in_graph_mode():
    def build(x):
        w = tf.Variable(3.0)
        y = tf.cond(x > 1.0, lambda: x * x * w, lambda: x + w)
        return [y] + tf.gradients(y, [x, w])
    assert np.allclose(run_graph(build, [np.float32(2.0)]), [12.0, 12.0, 4.0])
    assert np.allclose(run_graph(build, [np.float32(0.5)]), [3.5, 1.0, 1.0])


def test_cond_gradient_through_a_tape_across_tf_function_and_eagerly():
    v = tf.Variable(3.0)

    def f(x):
        return tf.cond(x > 1.0, lambda: x * x * v, lambda: x + v)

    for fn in (f, tf.function(f)):
        for x0, want in [(2.0, (12.0, 4.0)), (0.5, (1.0, 1.0))]:
            x = tf.constant(x0)
            with tf.GradientTape() as tape:
                tape.watch(x)
                y = fn(x)
            gx, gv = tape.gradient(y, [x, v])
            assert (gx.numpy(), gv.numpy()) == want


def test_cond_gradient_wrt_a_variable_read_in_one_branch_only_is_zero_in_the_other():
    v = tf.Variable(3.0)

    @tf.function
    def f(x):
        return tf.cond(x > 1.0, lambda: x * v, lambda: x * 2.0)

    for x0, want in [(2.0, (3.0, 2.0)), (0.5, (2.0, 0.0))]:
        x = tf.constant(x0)
        with tf.GradientTape() as tape:
            tape.watch(x)
            y = f(x)
        gx, gv = tape.gradient(y, [x, v])
        assert (gx.numpy(), gv.numpy()) == want


def test_cond_second_order_in_graph_and_through_tapes():
    def f(x):
        return tf.cond(x > 0.0, lambda: x * x * x, lambda: tf.sin(x))

    def build(x):
        g1 = tf.gradients(f(x), x)[0]
        return tf.gradients(g1, x)[0]
    assert np.isclose(run_graph(build, [np.float32(2.0)]), 12.0)
    assert np.isclose(run_graph(build, [np.float32(-1.0)]), -np.sin(-1.0))
    for fn in (f, tf.function(f)):
        x = tf.constant(2.0)
        with tf.GradientTape() as outer:
            outer.watch(x)
            with tf.GradientTape() as inner:
                inner.watch(x)
                y = fn(x)
            g1 = inner.gradient(y, x)
        assert outer.gradient(g1, x).numpy() == 12.0


def test_cond_gradient_numerically_with_captured_weight():
    w = np.array([[0.5, -0.3], [0.2, 0.8]])

    def f(x, w):
        return tf.cond(tf.reduce_sum(x) > 0.0, lambda: tf.matmul(x, w) * x,
                       lambda: tf.exp(tf.matmul(x, w)))
    x = np.array([[0.3, 0.9], [0.4, -0.2]])
    check_gradients(f, x, w, order=2)
    check_gradients(f, -x, w, order=2)


def test_cond_branch_structures_must_match():
    p = tf.compat.v1.placeholder
    with tf.Graph().as_default():
        pred = p(tf.bool, [])
        one = tf.constant(1.0)
        with pytest.raises(TypeError, match="same number, type, and overall structure"):
            tf.cond(pred, lambda: (one, one), lambda: [one, one])
        with pytest.raises(TypeError, match="same number, type, and overall structure"):
            tf.cond(pred, lambda: one, lambda: (one, one))
        with pytest.raises(TypeError, match="different types"):
            tf.cond(pred, lambda: one, lambda: tf.constant(1))
        with pytest.raises(ValueError, match="Lengths of branch outputs"):
            tf.cond(pred, lambda: (one, None), lambda: (one, one))


def test_cond_bad_arguments():
    with pytest.raises(TypeError, match="true_fn must be callable"):
        tf.cond(True, 1.0, lambda: 2.0)
    with pytest.raises(TypeError, match="false_fn must be callable"):
        tf.cond(True, lambda: 1.0, None)
    with tf.Graph().as_default():
        with pytest.raises(TypeError, match="bool"):
            tf.cond(tf.constant(1.0), lambda: 1.0, lambda: 2.0)
        with pytest.raises(ValueError, match="scalar"):
            tf.cond(tf.constant([True, False]), lambda: 1.0, lambda: 2.0)
    with pytest.raises(ValueError, match="scalar"):
        tf.cond(tf.constant([True, False]), lambda: 1.0, lambda: 2.0)


# -- while_loop ---------------------------------------------------------------------------------

def test_while_loop_values_in_three_modes():
    def f(n):
        return tf.while_loop(lambda i, s: i < n, lambda i, s: (i + 1, s + i * i), [0, 0])
    assert_all_close(in_three_modes(f, np.int32(10)), [10, 285])


def test_while_loop_graph_mode_is_one_while_op():
    g = tf.Graph()
    with g.as_default():
        x = tf.compat.v1.placeholder(tf.float32, [None, 2])
        i, y = tf.while_loop(lambda i, y: i < 3, lambda i, y: (i + 1, y * 2.0), [0, x])
        assert op_types(g).count("StatelessWhile") == 1 and "While" not in op_types(g)
        assert y.op.type == "StatelessWhile" and y.shape.as_list() == [None, 2]
        assert i.dtype == tf.int32 and i.shape.as_list() == []
        with tf.compat.v1.Session(graph=g) as sess:
            assert np.array_equal(sess.run(y, {x: np.ones((1, 2))}), [[8.0, 8.0]])


def test_while_loop_nested_loop_vars_namedtuple_and_dict():
    Pair = collections.namedtuple("Pair", "j k")

    def f(x):
        def body(i, p, d):
            return i + 1, Pair(p.j + p.k, p.j - p.k), {"x": d["x"] * 2.0}
        return tf.while_loop(lambda i, p, d: i < 10, body,
                             (tf.constant(0), Pair(tf.constant(1), tf.constant(2)), {"x": x}))

    for i, p, d in in_three_modes(f, np.float32(1.0)):
        assert (i, p[0], p[1], d["x"]) == (10, 32, 64, 1024.0)
    i, p, d = f(tf.constant(1.0))
    assert isinstance(p, Pair) and isinstance(d, dict)


def test_while_loop_body_returning_one_tensor_for_one_loop_var():
    # TF 2: eagerly a TypeError (it takes list() of the result); a graph's loop packs it
    def f(x):
        return tf.while_loop(lambda v: v < 100.0, lambda v: v * 3.0, [x])
    with pytest.raises(TypeError, match="Cannot iterate over a scalar tensor"):
        f(tf.constant(2.0))
    got = tf.function(f)(tf.constant(2.0))
    assert isinstance(got, list) and got[0].numpy() == 162.0
    got = tf.compat.v1.while_loop(lambda v: v < 100.0, lambda v: v * 3.0, [tf.constant(2.0)])
    assert got[0].numpy() == 162.0                          # TF 1's packs it eagerly too


def test_while_loop_with_a_bare_tensor_as_loop_vars_is_a_type_error():
    # TF takes len() of loop_vars: a TypeError in every mode (tools/record_tf_errors.py)
    def f(x):
        return tf.while_loop(lambda v: v < 100.0, lambda v: v * 3.0, x)
    with pytest.raises(TypeError, match="no `len\\(\\)`"):
        f(tf.constant(2.0))
    with pytest.raises(TypeError, match="loop_vars"):
        tf.function(f)(tf.constant(2.0))
    with tf.Graph().as_default():
        with pytest.raises(TypeError, match="loop_vars"):
            f(tf.compat.v1.placeholder(tf.float32, []))
    # a list of one whose body returns a list of one
    assert tf.while_loop(lambda v: v < 100.0, lambda v: [v * 3.0], [tf.constant(2.0)])[0] == 162.0


def test_while_loop_maximum_iterations():
    def f(x):
        return tf.while_loop(lambda v: True, lambda v: (v * 2.0,), (x,), maximum_iterations=5)
    assert_all_close(in_three_modes(f, np.float32(1.0)), [32.0])

    def g(x, m):
        return tf.while_loop(lambda v: v < 100.0, lambda v: (v * 2.0,), (x,),
                             maximum_iterations=m)
    assert_all_close(in_three_modes(g, np.float32(1.0), np.int32(3)), [8.0])
    assert_all_close(in_three_modes(g, np.float32(1.0), np.int32(30)), [128.0])
    assert_all_close(in_three_modes(g, np.float32(1.0), np.int32(0)), [1.0])


def test_while_loop_that_never_runs_returns_its_inputs():
    def f(x):
        return tf.while_loop(lambda i, v: i < 0, lambda i, v: (i + 1, v * 2.0), [0, x])
    assert_all_close(in_three_modes(f, np.float32(7.0)), [0, 7.0])


def test_while_loop_shape_invariants_let_a_shape_grow():
    def f(m):
        return tf.while_loop(lambda i, m: i < 3, lambda i, m: [i + 1, tf.concat([m, m], 0)],
                             [0, m], shape_invariants=[tf.TensorShape([]),
                                                       tf.TensorShape([None, 2])])
    for _, m in in_three_modes(f, np.ones((2, 2), np.float32)):
        assert m.shape == (16, 2)
    with tf.Graph().as_default():
        _, m = f(tf.ones([2, 2]))
        assert m.shape.as_list() == [None, 2]
        with pytest.raises(ValueError, match="enters the loop with shape"):
            tf.while_loop(lambda i, m: i < 3, lambda i, m: [i + 1, tf.concat([m, m], 0)],
                          [0, tf.ones([2, 2])])
        with pytest.raises(ValueError, match="not compatible with the initial shape"):
            tf.while_loop(lambda m: True, lambda m: m, [tf.ones([2, 2])],
                          shape_invariants=[tf.TensorShape([3, 2])])


def test_while_loop_shape_invariants_may_be_plain_lists():
    with tf.Graph().as_default():
        _, m = tf.while_loop(lambda i, m: i < 2, lambda i, m: [i + 1, tf.concat([m, m], 1)],
                             [0, tf.ones([2, 1])], shape_invariants=[[], [2, None]])
        assert m.shape.as_list() == [2, None]


def test_while_loop_body_errors():
    with tf.Graph().as_default():
        x = tf.constant(1.0)
        with pytest.raises(TypeError, match="enters the loop with type float32"):
            tf.while_loop(lambda v: v < 3.0, lambda v: tf.cast(v, tf.float64), [x])
        with pytest.raises(ValueError, match="same number of elements|nested structure"):
            tf.while_loop(lambda v: v < 3.0, lambda v: (v, v), [x])
        with pytest.raises(TypeError, match="sequence type"):
            tf.while_loop(lambda v, w: v < 3.0, lambda v, w: [v, [w]], [x, (x,)])
        with pytest.raises(TypeError, match="bool"):
            tf.while_loop(lambda v: v, lambda v: v, [x])
    x = tf.constant(1.0)
    with pytest.raises(ValueError, match="same number of elements|nested structure"):
        tf.while_loop(lambda v: v < 3.0, lambda v: (v, v), [x])


def test_while_loop_bad_arguments():
    with pytest.raises(TypeError, match="'cond' must be callable"):
        tf.while_loop(None, lambda v: v, [1.0])
    with pytest.raises(TypeError, match="'body' must be callable"):
        tf.while_loop(lambda v: True, 1, [1.0])
    with pytest.raises(TypeError, match="parallel_iterations"):
        tf.while_loop(lambda v: True, lambda v: v, [1.0], parallel_iterations=0)
    with pytest.raises(ValueError, match="'loop_vars' must be provided"):
        tf.while_loop(lambda: True, lambda: (), [])
    with pytest.raises(ValueError, match="'maximum_iterations' must be a scalar"):
        tf.while_loop(lambda v: True, lambda v: v, [1.0], maximum_iterations=[1, 2])


def test_while_loop_reads_variables_and_captured_tensors():
    v = tf.Variable(2.0)

    def f(x):
        c = x + 1.0
        return tf.while_loop(lambda i, y: i < 3, lambda i, y: (i + 1, y * v + c), [0, x])[1]
    # y0 = 1, c = 2: 1*2+2 = 4, 4*2+2 = 10, 10*2+2 = 22
    assert f(tf.constant(1.0)).numpy() == 22.0
    assert tf.function(f)(tf.constant(1.0)).numpy() == 22.0


def test_while_loop_body_side_effects_run_once_per_iteration():
    calls = []

    @tf.function
    def f(n):
        def body(i):
            tf.numpy_function(lambda a: calls.append(int(a)) or a, [i], tf.int32)
            return i + 1
        return tf.while_loop(lambda i: i < n, body, [0])
    f(tf.constant(4))
    assert calls == [0, 1, 2, 3]


def _power(x):
    # y = x ** 5 through a loop whose trip count is fixed
    return tf.while_loop(lambda i, y: i < 4, lambda i, y: (i + 1, y * x), [0, x])[1]


def test_while_loop_gradient_in_graph_mode():
    def build(x):
        y = _power(x)
        g1 = tf.gradients(y, x)[0]
        return [y, g1, tf.gradients(g1, x)[0]]
    x = np.array([1.5, -0.5], np.float32)
    y, g1, g2 = run_graph(build, [x])
    np.testing.assert_allclose(y, x ** 5, rtol=1e-6)
    np.testing.assert_allclose(g1, 5 * x ** 4, rtol=1e-6)
    np.testing.assert_allclose(g2, 20 * x ** 3, rtol=1e-6)


def test_while_loop_gradient_through_tapes_eagerly_and_across_tf_function():
    x = tf.constant([1.5, -0.5])
    for fn in (_power, tf.function(_power)):
        with tf.GradientTape() as outer:
            outer.watch(x)
            with tf.GradientTape() as inner:
                inner.watch(x)
                y = fn(x)
            g1 = inner.gradient(y, x)
        g2 = outer.gradient(g1, x)
        np.testing.assert_allclose(g1.numpy(), 5 * x.numpy() ** 4, rtol=1e-6)
        np.testing.assert_allclose(g2.numpy(), 20 * x.numpy() ** 3, rtol=1e-6)


def test_while_loop_gradient_wrt_captured_tensor_and_variable():
    v = tf.Variable(1.1)

    def f(x):
        # y_{k+1} = y_k * v * x, three times, from y_0 = 1: y = (v x)^3
        return tf.while_loop(lambda i, y: i < 3, lambda i, y: (i + 1, y * v * x),
                             [0, tf.ones_like(x)])[1]

    x0 = np.array([0.5, 1.2], np.float32)
    want_x, want_v = 3 * 1.1 ** 3 * x0 ** 2, np.sum(3 * 1.1 ** 2 * x0 ** 3)
    for fn in (f, tf.function(f)):
        x = tf.constant(x0)
        with tf.GradientTape() as tape:
            tape.watch(x)
            y = tf.reduce_sum(fn(x))
        gx, gv = tape.gradient(y, [x, v])
        np.testing.assert_allclose(gx.numpy(), want_x, rtol=1e-5)
        np.testing.assert_allclose(gv.numpy(), want_v, rtol=1e-5)

    def build(x):
        w = tf.Variable(1.1)
        y = tf.while_loop(lambda i, y: i < 3, lambda i, y: (i + 1, y * w * x),
                          [0, tf.ones_like(x)])[1]
        return tf.gradients(tf.reduce_sum(y), [x, w])
    gx, gw = run_graph(build, [x0])
    np.testing.assert_allclose(gx, want_x, rtol=1e-5)
    np.testing.assert_allclose(gw, want_v, rtol=1e-5)


def test_while_loop_gradient_with_data_dependent_trip_count():
    # doubles y until it exceeds 10: y = x * 2^k with k depending on x, dy/dx = 2^k
    def f(x):
        return tf.while_loop(lambda y: y < 10.0, lambda y: (y * 2.0,), (x,))[0] * x
    for x0, k in [(3.0, 2), (0.7, 4)]:
        check_gradients(f, np.float64(x0), order=2)
        x = tf.constant(x0)
        with tf.GradientTape() as tape:
            tape.watch(x)
            y = tf.function(f)(x)
        assert np.isclose(tape.gradient(y, x).numpy(), 2 * x0 * 2 ** k)


def test_while_loop_gradient_numerically_rnn_and_nested():
    rng = np.random.default_rng(3)
    w, x = rng.uniform(-0.5, 0.5, (3, 3)), rng.uniform(-1, 1, (2, 3))

    def rnn(x, w):
        def body(i, h, total):
            h = tf.tanh(tf.matmul(h, w) + x)
            return i + 1, h, total + tf.reduce_sum(h * h)
        _, h, total = tf.while_loop(lambda i, h, t: i < 4, body,
                                    (0, tf.zeros_like(x), tf.constant(0.0, tf.float64)))
        return h * total

    check_gradients(rnn, x, w, order=2)

    def nested(x):
        def outer(i, y):
            return i + 1, tf.while_loop(lambda j, z: j < i, lambda j, z: (j + 1, tf.sin(z) * x),
                                        [0, y])[1]
        return tf.while_loop(lambda i, y: i < 3, outer, [0, x])[1]

    check_gradients(nested, x, order=2)


def test_while_loop_back_prop_false_stops_the_gradient():
    def build(x):
        y = tf.while_loop(lambda i, y: i < 3, lambda i, y: (i + 1, y * x), [0, x],
                          back_prop=False)[1]
        return tf.gradients(y, x, unconnected_gradients="zero")[0]
    assert run_graph(build, [np.float32(2.0)]) == 0.0


def test_while_loop_keeps_the_loop_states_only_once_a_gradient_needs_them():
    g = tf.Graph()
    with g.as_default():
        x = tf.compat.v1.placeholder(tf.float32, [2])
        y = tf.while_loop(lambda i, y: i < 3, lambda i, y: (i + 1, y * x), [0, x])[1]
        states = y.op.outputs[-1]          # the stacked per-iteration values of y
        with tf.compat.v1.Session(graph=g) as sess:
            assert sess.run(states, {x: [1.0, 2.0]}).shape == (0, 2)
            dx = tf.gradients(y, x)[0]
            kept, grad = sess.run([states, dx], {x: [1.0, 2.0]})
            assert kept.shape == (3, 2)
            np.testing.assert_allclose(kept[:, 1], [2.0, 4.0, 8.0])
            np.testing.assert_allclose(grad, [4.0, 32.0])


def test_while_loop_gradient_of_a_loop_var_that_changes_shape_is_unimplemented():
    def build(x):
        m = tf.while_loop(lambda i, m: i < 2, lambda i, m: [i + 1, tf.concat([m, m * x], 0)],
                          [0, tf.reshape(x, [1])],
                          shape_invariants=[tf.TensorShape([]), tf.TensorShape([None])])[1]
        return tf.gradients(tf.reduce_sum(m), x)[0]
    with pytest.raises(NotImplementedError, match="keep one shape"):
        run_graph(build, [np.float32(2.0)])


def test_while_loop_with_integer_loop_vars_only_has_no_gradient_work():
    def build(x):
        i = tf.while_loop(lambda i: i < 5, lambda i: i + 1, [tf.constant(0)])[0]
        return tf.gradients(tf.cast(i, tf.float32) * x, x)[0]
    assert run_graph(build, [np.float32(3.0)]) == 5.0


# -- case ---------------------------------------------------------------------------------------

def _case(x):
    return tf.case([(x < 0.0, lambda: x * -1.0), (x < 10.0, lambda: x * 2.0)],
                   default=lambda: x * 0.0)


def test_case_picks_the_first_true_predicate_in_three_modes():
    for x, want in [(-3.0, 3.0), (4.0, 8.0), (20.0, 0.0)]:
        assert_all_close(in_three_modes(_case, np.float32(x)), want)


def test_case_without_default_requires_some_predicate():
    def f(x):
        return tf.case([(x < 0.0, lambda: -x), (x > 5.0, lambda: x * 2.0)])
    assert f(tf.constant(6.0)).numpy() == 12.0
    assert run_graph(f, [np.float32(-2.0)]) == 2.0
    with pytest.raises(InvalidArgumentError, match="None of conditions evaluated as True"):
        f(tf.constant(2.0))
    with pytest.raises(InvalidArgumentError, match="None of conditions evaluated as True"):
        run_graph(f, [np.float32(2.0)])


def test_case_exclusive_rejects_two_true_predicates():
    def f(x):
        return tf.case([(x > 0.0, lambda: x), (x > 1.0, lambda: x * 2.0)],
                       default=lambda: x * 0.0, exclusive=True)
    assert f(tf.constant(0.5)).numpy() == 0.5
    assert run_graph(f, [np.float32(0.5)]) == 0.5
    with pytest.raises(InvalidArgumentError, match="more than 1 conditions"):
        f(tf.constant(2.0))
    with pytest.raises(InvalidArgumentError, match="more than 1 conditions"):
        run_graph(f, [np.float32(2.0)])


def test_case_gradient_and_singletons_and_errors():
    x = tf.constant(4.0)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = tf.function(_case)(x)
    assert tape.gradient(y, x).numpy() == 2.0
    assert tf.case([(tf.constant(True), lambda: [x])]).numpy() == 4.0
    assert isinstance(tf.case([(tf.constant(True), lambda: [x])], strict=True), list)
    with pytest.raises(TypeError, match="callable"):
        tf.case([(tf.constant(True), 1.0)])
    with pytest.raises(TypeError, match="2-tuple"):
        tf.case([tf.constant(True)])


# -- debugging ----------------------------------------------------------------------------------

def test_assert_equal_eager_passes_quietly_and_raises_with_the_message():
    assert tf.debugging.assert_equal(tf.constant([1, 2]), [1, 2]) is None
    assert tf.debugging.assert_equal(tf.constant([[1, 1], [1, 1]]), 1) is None   # broadcasting
    with pytest.raises(InvalidArgumentError, match=r"(?s)values differ.*x == y did not hold"
                                                   r".*\[\[1\]\]"):
        tf.debugging.assert_equal(tf.constant([1, 2, 3]), tf.constant([1, 5, 3]),
                                  message="values differ")
    with pytest.raises(InvalidArgumentError, match="x < y did not hold"):
        tf.debugging.assert_less(tf.constant([1.0, 3.0]), 2.0)
    assert tf.assert_greater(tf.constant([3.0]), 2.0) is None


def test_assert_equal_checks_dtypes_and_shapes():
    with pytest.raises(InvalidArgumentError, match="cannot compute Equal as input #1"):
        tf.debugging.assert_equal(tf.constant([1, 2]), tf.constant([1.0, 2.0]))
    with pytest.raises(InvalidArgumentError, match="incompatible shapes"):
        tf.debugging.assert_equal(tf.constant([1, 2]), tf.constant([1, 2, 3]))


def test_assert_equal_graph_mode_is_an_op_that_raises_when_run():
    g = tf.Graph()
    with g.as_default():
        x = tf.compat.v1.placeholder(tf.int32, [None])
        check = tf.debugging.assert_equal(x, 2 * tf.ones_like(x), message="not twos")
        assert check.type == "Assert"
        with tf.control_dependencies([check]):
            y = tf.identity(x)
        with tf.compat.v1.Session(graph=g) as sess:
            assert sess.run(y, {x: [2, 2]}).tolist() == [2, 2]
            with pytest.raises(InvalidArgumentError, match=r"not twos.*x == y did not hold"):
                sess.run(y, {x: [2, 3]})
            sess.run(check, {x: [2]})


def test_assert_equal_on_values_known_when_the_graph_is_built_raises_at_once():
    with tf.Graph().as_default():
        with pytest.raises(InvalidArgumentError, match="did not hold"):
            tf.debugging.assert_equal(tf.constant([1, 2]), tf.constant([1, 3]))
        assert tf.debugging.assert_equal(tf.constant(1), 1) is not None


def test_assert_inside_tf_function_runs_even_when_unused():
    @tf.function
    def f(x):
        tf.debugging.assert_equal(x, 1.0, message="x must be one")
        return x * 2.0
    assert f(tf.constant(1.0)).numpy() == 2.0
    with pytest.raises(InvalidArgumentError, match="x must be one"):
        f(tf.constant(3.0))


def test_Assert_shows_its_data():
    with pytest.raises(InvalidArgumentError, match=r"\[bad value:\] \[7\]"):
        tf.debugging.Assert(tf.constant(False), ["bad value:", tf.constant(7)])
    assert tf.debugging.Assert(tf.constant(True), ["fine"]) is None
    with tf.Graph().as_default() as g:
        p = tf.compat.v1.placeholder(tf.bool, [])
        a = tf.debugging.Assert(p, ["p was", p, tf.range(10)], summarize=2)
        with tf.compat.v1.Session(graph=g) as sess:
            sess.run(a, {p: True})
            with pytest.raises(InvalidArgumentError, match=r"\[p was\] \[0\] \[\[0 1 \.\.\. 8 9\]"):
                sess.run(a, {p: False})


def test_check_numerics_passes_values_and_names_the_message():
    x = tf.constant([1.0, 2.0])
    assert tf.debugging.check_numerics(x, "fine").numpy().tolist() == [1.0, 2.0]
    with pytest.raises(InvalidArgumentError, match="my tensor : Tensor had NaN values"):
        tf.debugging.check_numerics(tf.constant([1.0, np.nan]), "my tensor")
    with pytest.raises(InvalidArgumentError, match="Tensor had Inf values"):
        tf.debugging.check_numerics(tf.constant([np.inf]), "m")
    with pytest.raises(InvalidArgumentError, match="Tensor had Inf and NaN values"):
        tf.debugging.check_numerics(tf.constant([np.inf, np.nan]), "m")
    with pytest.raises(TypeError, match="CheckNumerics"):
        tf.debugging.check_numerics(tf.constant([1, 2]), "ints")


def test_check_numerics_graph_mode_raises_when_run():
    def build(x):
        return tf.debugging.check_numerics(tf.math.log(x), "log of x")
    assert np.allclose(run_graph(build, [np.array([1.0, np.e], np.float32)]), [0.0, 1.0])
    with pytest.raises(InvalidArgumentError, match="log of x : Tensor had NaN values"):
        run_graph(build, [np.array([-1.0], np.float32)])
    with tf.Graph().as_default():
        y = build(tf.compat.v1.placeholder(tf.float32, [None, 3]))
        assert y.op.type == "CheckNumerics" and y.shape.as_list() == [None, 3]


def test_check_numerics_gradient_is_checked_too():
    x = tf.constant([1.0, 0.0])
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = tf.sqrt(tf.debugging.check_numerics(x, "x"))     # dy/dx = inf at 0
    with pytest.raises(InvalidArgumentError, match="detected in gradient. x"):
        tape.gradient(y, x)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = tf.debugging.check_numerics(x * 3.0, "x")
    assert tape.gradient(y, x).numpy().tolist() == [3.0, 3.0]


def test_v1_while_loop_of_one_variable_in_a_graph_returns_it_bare_as_tf1():
    # TF 2.21: tf.compat.v1.while_loop gives a list eagerly, the tensor itself in a graph (and in
    # a tf.function) unless return_same_structure=True; tf.while_loop always the structure
    v1 = tf.compat.v1
    with tf.Graph().as_default():
        bare = v1.while_loop(lambda x: x < 5, lambda x: [x + 1], [tf.constant(0)])
        kept = v1.while_loop(lambda x: x < 5, lambda x: [x + 1], [tf.constant(0)],
                             return_same_structure=True)
        v2 = tf.while_loop(lambda x: x < 5, lambda x: [x + 1], [tf.constant(0)])
        two = v1.while_loop(lambda x, y: x < 5, lambda x, y: [x + 1, y], [0, 1])
        assert isinstance(bare, tf.Tensor) and isinstance(kept, list) and isinstance(v2, list)
        assert isinstance(two, list) and len(two) == 2
        with v1.Session() as sess:
            assert sess.run(bare) == 5 and sess.run(kept) == [5] and sess.run(two) == [5, 1]
    traced = tf.function(lambda: v1.while_loop(lambda x: x < 5, lambda x: [x + 1],
                                               [tf.constant(0)]))()
    assert isinstance(traced, tf.Tensor) and traced.numpy() == 5
    eager = v1.while_loop(lambda x: x < 5, lambda x: [x + 1], [tf.constant(0)])
    assert isinstance(eager, list) and eager[0].numpy() == 5
