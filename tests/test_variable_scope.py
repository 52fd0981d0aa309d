"""tf.compat.v1.variable_scope, get_variable and make_template, against TF 2.21's behaviour
(names, reuse, errors and their builtin classes, eager and tf.function semantics; checked with
TensorFlow 2.21 and written down here)."""
import numpy as np
import pytest

import janusgrad as tf

v1 = tf.compat.v1


def _graph():
    return tf.Graph().as_default()


def _run(fetches, feed_dict=None):
    with v1.Session() as sess:
        sess.run(v1.global_variables_initializer())
        return sess.run(fetches, feed_dict)


# -- names -------------------------------------------------------------------------------------

def test_variables_are_named_after_the_scope_and_ops_after_the_name_scope():
    with _graph() as g:
        with v1.variable_scope("s") as scope:
            w = v1.get_variable("w", [2, 3])
            c = tf.constant(1.0, name="c")
        assert (w.name, w.op.name, c.name) == ("s/w:0", "s/w", "s/c:0")
        assert (scope.name, scope.original_name_scope) == ("s", "s/")
        assert isinstance(w, tf.Variable) and w.shape == (2, 3) and w.dtype == tf.float32
        assert g.get_operation_by_name("s/w").type == "VarHandleOp"
        assert g.get_operation_by_name("s/w/Assign").type == "AssignVariableOp"
        assert all(op.name.startswith("s/w/Initializer/")
                   for op in g.get_operations()[:g.get_operations().index(w.op)])
        # a second `with variable_scope("s")`: ops in s_1/, variables still s/...
        with v1.variable_scope("s", reuse=True) as again:
            d = tf.constant(1.0, name="c")
            assert v1.get_variable("w") is w
        assert (again.name, again.original_name_scope, d.name) == ("s", "s_1/", "s_1/c:0")


def test_nested_scopes_and_get_variable_ignores_name_scopes():
    with _graph():
        with v1.variable_scope("outer"):
            with v1.variable_scope("inner"):
                a = v1.get_variable("a", [1])
            with v1.name_scope("ns"):
                b = v1.get_variable("b", [1])
                c = tf.constant(0.0)
        top = v1.get_variable("top", [])
        assert (a.name, b.name, c.name, top.name) == ("outer/inner/a:0", "outer/b:0",
                                                      "outer/ns/Const:0", "top:0")
        assert v1.get_variable_scope().name == ""


def test_reentering_a_scope_object():
    with _graph():
        with v1.variable_scope("s") as scope:
            w = v1.get_variable("w", [1])
        with v1.variable_scope("outer"):
            with v1.variable_scope(scope, reuse=True) as again:
                k = tf.constant(1.0, name="k")
                assert v1.get_variable("w") is w
        # the object's name is absolute; its ops get a new name scope where it is entered
        assert (again.name, again.original_name_scope, k.name) == ("s", "s/", "outer/s/k:0")
        with v1.variable_scope(scope) as third:
            t = tf.constant(1.0, name="k")
        assert (third.reuse, t.name) == (False, "s_1/k:0")


def test_default_name_is_made_unique_and_cannot_reuse():
    with _graph():
        with v1.variable_scope(None, default_name="d") as a:
            pass
        with v1.variable_scope(None, default_name="d") as b:
            x = v1.get_variable("x", [1])
        assert (a.name, a.original_name_scope) == ("d", "d/")
        assert (b.name, b.original_name_scope, x.name) == ("d_1", "d_1/", "d_1/x:0")
        with v1.variable_scope("given", default_name="ignored") as c:
            assert c.name == "given"
        with pytest.raises(ValueError, match="reuse=True cannot be used without a name_or_scope"):
            with v1.variable_scope(None, default_name="d", reuse=True):
                pass


def test_default_names_restart_inside_a_scope_opened_again():
    with _graph():
        for _ in range(2):
            with v1.variable_scope("net", reuse=v1.AUTO_REUSE):
                with v1.variable_scope(None, default_name="layer") as first:
                    v1.get_variable("w", [1])
                with v1.variable_scope(None, default_name="layer") as second:
                    pass
        assert (first.name, second.name) == ("net/layer", "net/layer_1")
        assert [v.name for v in v1.global_variables()] == ["net/layer/w:0"]


# -- reuse -------------------------------------------------------------------------------------

def test_reuse_errors_are_tfs():
    with _graph():
        with v1.variable_scope("s"):
            v1.get_variable("w", [2, 3])
        with pytest.raises(ValueError, match=r"^Variable s/w already exists, disallowed\. Did "
                                             r"you mean to set reuse=True or "
                                             r"reuse=tf\.AUTO_REUSE in VarScope\?$"):
            with v1.variable_scope("s"):
                v1.get_variable("w", [2, 3])
        with v1.variable_scope("s", reuse=True):
            with pytest.raises(ValueError, match=r"Trying to share variable s/w, but specified "
                                                 r"shape \(2, 4\) and found shape \(2, 3\)\."):
                v1.get_variable("w", [2, 4])
            with pytest.raises(ValueError, match=r"Trying to share variable s/w, but specified "
                                                 r"dtype float64 and found dtype float32\."):
                v1.get_variable("w", [2, 3], dtype=tf.float64)
            with pytest.raises(ValueError, match=r"^Variable s/q does not exist, or was not "
                                                 r"created with tf\.get_variable\(\)\. Did you "
                                                 r"mean to set reuse=tf\.AUTO_REUSE in VarScope"):
                v1.get_variable("q", [2, 3])
        # the failed `with` above still took its name scope, as TF's
        with v1.variable_scope("s") as scope:
            assert scope.original_name_scope == "s_3/"


def test_reuse_is_inherited_and_false_means_inherit():
    with _graph():
        with v1.variable_scope("a"):
            w = v1.get_variable("w", [1])
        with v1.variable_scope("a", reuse=True) as outer:
            with v1.variable_scope("b") as inner:
                pass
            with v1.variable_scope("c", reuse=False) as inner_false:
                pass
            assert v1.get_variable("w", [1]) is w
        assert (outer.reuse, inner.reuse, inner_false.reuse) == (True, True, True)
        with v1.variable_scope("auto", reuse=v1.AUTO_REUSE):
            p = v1.get_variable("p", [1])
            assert v1.get_variable("p", [1]) is p
            with v1.variable_scope("deeper") as deeper:
                q = v1.get_variable("q", [1])
                assert v1.get_variable("q") is q
        assert deeper.reuse is v1.AUTO_REUSE
        assert v1.get_variable_scope().reuse is False


def test_reuse_variables_turns_reuse_on_for_the_rest_of_the_scope():
    with _graph():
        with v1.variable_scope("m") as scope:
            w = v1.get_variable("w", [2])
            scope.reuse_variables()
            assert v1.get_variable("w") is w
            assert v1.get_variable_scope().reuse is True
        with v1.variable_scope(scope):          # the object keeps reusing
            assert v1.get_variable("w") is w


def test_bad_arguments():
    with pytest.raises(TypeError, match="If default_name is None then name_or_scope is required"):
        v1.variable_scope(None)
    with pytest.raises(TypeError, match="name_or_scope must be a string or VariableScope"):
        with v1.variable_scope(3):
            pass
    with pytest.raises(ValueError, match="The reuse parameter must be True or False or None"):
        v1.variable_scope("x", reuse="yes")
    with pytest.raises(TypeError, match="auxiliary_name_scope must be `True` or `False`"):
        v1.variable_scope("x", auxiliary_name_scope=1)
    with pytest.raises(ValueError, match="custom_getter which is not callable"):
        with v1.variable_scope("x", custom_getter=3):
            v1.get_variable("v", [1])
    with pytest.raises(ValueError, match="get_variable: name must be a string|name for "
                                         "name_scope must be a string"):
        v1.get_variable(3, [1])


def test_partitioned_variables_are_not_supported():
    # a deliberate difference: TF makes a PartitionedVariable
    with pytest.raises(NotImplementedError, match="partitioner"):
        v1.get_variable("p", [4], partitioner=lambda shape, dtype: [2])


def test_improper_nesting_is_a_runtime_error():
    with _graph():
        outer = v1.variable_scope("a")
        inner = v1.variable_scope("b")
        outer.__enter__()
        inner.__enter__()
        with pytest.raises(RuntimeError, match="Improper nesting of variable_scope"):
            outer.__exit__(None, None, None)


# -- initializers, dtypes, regularizers, collections ---------------------------------------------

def test_initializer_forms_and_dtypes():
    with _graph():
        a = v1.get_variable("a", initializer=tf.constant([1.0, 2.0]))
        b = v1.get_variable("b", initializer=[[1, 2]])
        c = v1.get_variable("c", initializer=3.0)
        d = v1.get_variable("d", initializer=np.ones(2))
        e = v1.get_variable("e", [2], dtype=tf.int32)
        f = v1.get_variable("f", [2, 2], initializer=v1.constant_initializer(0.5))
        g = v1.get_variable("g", [3], initializer=lambda shape, dtype, partition_info: tf.fill(
            shape, tf.constant(2.0, dtype)))
        h = v1.get_variable("h", initializer=lambda: tf.ones([2]))
        i = v1.get_variable("i", [2], initializer=v1.ones_initializer)       # a class
        j = v1.get_variable("j", [2], initializer=tf.keras.initializers.Ones())
        k = v1.get_variable("k", [2], dtype=tf.bool)
        assert [(v.shape.as_list(), v.dtype) for v in (a, b, c, d, e, f, g, h, i, j, k)] == [
            ([2], tf.float32), ([1, 2], tf.int32), ([], tf.float32), ([2], tf.float64),
            ([2], tf.int32), ([2, 2], tf.float32), ([3], tf.float32), ([2], tf.float32),
            ([2], tf.float32), ([2], tf.float32), ([2], tf.bool)]
        values = _run([a, b, c, d, e, f, g, h, i, j, k])
        expected = [[1, 2], [[1, 2]], 3, [1, 1], [0, 0], [[0.5, 0.5]] * 2, [2, 2, 2], [1, 1],
                    [1, 1], [1, 1], [False, False]]
        for got, want in zip(values, expected):
            np.testing.assert_array_equal(got, want)


def test_initializer_errors():
    with _graph():
        with pytest.raises(ValueError, match="If initializer is a constant, do not specify shape"):
            v1.get_variable("a", [2], initializer=tf.constant([1.0, 2.0]))
        with pytest.raises(ValueError, match="did not get an initializer, so its `shape`"):
            v1.get_variable("b")
        with pytest.raises(ValueError, match="Initializer type .* and explicit dtype .* don't "
                                             "match"):
            v1.get_variable("c", initializer=tf.constant([1, 2]), dtype=tf.float32)
        with pytest.raises(ValueError, match="The initializer passed is not valid"):
            v1.get_variable("d", [None, 2], initializer=v1.zeros_initializer())
        with pytest.raises(ValueError, match="An initializer for variable e of .*complex64.* is "
                                             "required"):
            v1.get_variable("e", [2], dtype=tf.complex64)


def test_default_initializer_is_glorot_uniform():
    with _graph():
        w = v1.get_variable("w", [200, 300])
        value = _run(w)
    limit = np.sqrt(6.0 / 500)
    assert np.abs(value).max() <= limit and np.abs(value).max() > 0.95 * limit
    assert abs(value.std() - limit / np.sqrt(3)) < 0.01 * limit


def test_scope_defaults_are_inherited_and_overridden():
    with _graph():
        with v1.variable_scope("s", initializer=v1.constant_initializer(2.0), dtype=tf.float64):
            a = v1.get_variable("a", [2])
            with v1.variable_scope("inner"):
                b = v1.get_variable("b", [1])
                c = v1.get_variable("c", [1], initializer=v1.zeros_initializer(),
                                    dtype=tf.float32)
        assert (a.dtype, b.dtype, c.dtype) == (tf.float64, tf.float64, tf.float32)
        np.testing.assert_array_equal(_run([a, b, c])[1:], [[2.0], [0.0]])


def test_regularizers_fill_regularization_losses():
    def l2(w):
        return 0.5 * tf.reduce_sum(w * w)
    with _graph():
        with v1.variable_scope("s", regularizer=l2):
            v1.get_variable("w", initializer=[1.0, 2.0])
            v1.get_variable("b", initializer=[3.0], regularizer=v1.no_regularizer)
            v1.get_variable("u", initializer=[1.0], regularizer=lambda x: 3.0 * tf.reduce_sum(x))
        losses = v1.get_collection(v1.GraphKeys.REGULARIZATION_LOSSES)
        assert len(losses) == 2 and losses[0].name.startswith("s/w/Regularizer/")
        total = v1.losses.get_regularization_loss()
        assert total.name == "total_regularization_loss:0"
        np.testing.assert_allclose(_run(total), 0.5 * 5 + 3.0)
        with v1.variable_scope("s", reuse=True):
            v1.get_variable("w")                  # reusing adds no loss
        assert len(v1.losses.get_regularization_losses()) == 2


def test_eager_regularization_loss_follows_the_variable():
    with v1.variable_scope("s", regularizer=lambda w: 2.0 * tf.reduce_sum(w)):
        w = v1.get_variable("w", initializer=[1.0, 2.0])
    assert float(v1.losses.get_regularization_loss()) == 6.0
    w.assign([3.0, 4.0])
    assert float(v1.losses.get_regularization_loss()) == 14.0
    assert float(tf.add_n(v1.losses.get_regularization_losses() * 2)) == 28.0
    assert float(sum(v1.losses.get_regularization_losses())) == 14.0


def test_collections_and_trainable():
    with _graph():
        a = v1.get_variable("a", [1])
        b = v1.get_variable("b", [1], trainable=False)
        c = v1.get_variable("c", [1], collections=[v1.GraphKeys.LOCAL_VARIABLES])
        d = v1.get_variable("d", [1], collections=[v1.GraphKeys.LOCAL_VARIABLES], trainable=False)
        e = v1.get_local_variable("e", [1])
        f = v1.get_variable("f", [1], collections=["mine", v1.GraphKeys.GLOBAL_VARIABLES])
        names = lambda vs: [v.name for v in vs]                     # noqa: E731
        assert names(v1.global_variables()) == ["a:0", "b:0", "f:0"]
        assert names(v1.trainable_variables()) == ["a:0", "c:0", "f:0"]
        assert names(v1.local_variables()) == ["c:0", "d:0", "e:0"]
        assert v1.get_collection("mine") == [f]
        assert not e.trainable
        with pytest.raises(ValueError, match="collections argument to Variable constructor must "
                                             "be a list, tuple, or set"):
            v1.get_variable("g", [1], collections="mine")
        del a, b, c, d


def test_custom_getters_compose():
    calls = []

    def outer_getter(getter, name, *args, **kwargs):
        calls.append(("outer", name))
        return getter(name, *args, **kwargs)

    def inner_getter(getter, name, *args, **kwargs):
        calls.append(("inner", name))
        return getter(name + "_x", *args, **kwargs)

    with _graph():
        with v1.variable_scope("o", custom_getter=outer_getter):
            with v1.variable_scope("i", custom_getter=inner_getter):
                w = v1.get_variable("w", [1])
        assert w.name == "o/i/w_x:0"
        assert calls == [("inner", "o/i/w"), ("outer", "o/i/w_x")]


def test_values_pick_the_graph():
    g = tf.Graph()
    with g.as_default():
        x = tf.constant(1.0)
    with tf.Graph().as_default():
        with v1.variable_scope("s", values=[x]):
            assert tf.compat.v1.get_default_graph() is g
            w = v1.get_variable("w", [1])
    assert w.graph is g
    with v1.variable_scope("s", values=[x]):      # eagerly, values change nothing (as TF)
        assert tf.executing_eagerly()


# -- eager and tf.function ---------------------------------------------------------------------

def test_eager_get_variable_makes_a_new_variable_each_call():
    with v1.variable_scope("s") as scope:
        a = v1.get_variable("w", initializer=[1.0])
        b = v1.get_variable("w", initializer=[2.0])
    with v1.variable_scope("s", reuse=True):
        c = v1.get_variable("w", initializer=[3.0])
    assert (a.name, b.name, c.name) == ("s/w:0", "s/w:0", "s/w:0")
    assert a is not b and c is not a
    assert (float(a[0]), float(b[0]), float(c[0])) == (1.0, 2.0, 3.0)
    assert scope.reuse is v1.AUTO_REUSE and scope.original_name_scope == "s/"
    assert v1.get_variable_scope().reuse is v1.AUTO_REUSE
    assert v1.global_variables() == [] and v1.trainable_variables() == []


def test_get_variable_in_a_function_is_made_once_and_shared_by_retraces():
    with v1.variable_scope(""):         # the scopes are made eagerly (reuse is AUTO_REUSE)
        pass

    @tf.function
    def f(x):
        with v1.variable_scope("fn"):
            a = v1.get_variable("a", [2], initializer=v1.ones_initializer())
        return x * a

    np.testing.assert_array_equal(f(tf.constant([1.0, 2.0])), [1.0, 2.0])
    np.testing.assert_array_equal(f(tf.constant([[3.0, 4.0]])), [[3.0, 4.0]])   # a retrace


def test_gradients_reach_get_variable_variables():
    with _graph():
        x = v1.placeholder(tf.float32, [None, 2])
        with v1.variable_scope("lin"):
            w = v1.get_variable("w", initializer=[[1.0], [2.0]])
        y = tf.reduce_sum(tf.matmul(x, w) ** 2)
        (dw,) = tf.gradients(y, [w])
        xv = np.array([[1.0, 1.0], [2.0, 0.0]], np.float32)
        got = _run(dw, {x: xv})
    np.testing.assert_allclose(got, 2 * xv.T @ (xv @ np.array([[1.0], [2.0]])))


# -- make_template -----------------------------------------------------------------------------

def _scale(x):
    k = v1.get_variable("k", [], initializer=v1.constant_initializer(3.0))
    return x * k


def test_make_template_shares_variables_between_calls_in_graphs():
    with _graph():
        t = v1.make_template("scale", _scale)
        u = v1.make_template("scale", _scale)
        y1, y2, y3 = t(tf.constant(1.0)), t(tf.constant(2.0)), u(tf.constant(5.0))
        assert [v.name for v in v1.global_variables()] == ["scale/k:0", "scale_1/k:0"]
        assert [v.name for v in t.trainable_variables] == ["scale/k:0"]
        assert t.variable_scope_name == "scale/" and t.name == "scale"
        assert [y.name.split("/")[0] for y in (y1, y2, y3)] == ["scale", "scale_1", "scale_2"]
        np.testing.assert_array_equal(_run([y1, y2, y3]), [3.0, 6.0, 15.0])


def test_make_template_refuses_new_trainable_variables_after_the_first_call():
    def make(x):
        return x * tf.Variable(1.0)
    with _graph():
        t = v1.make_template("m", make)
        t(tf.constant(1.0))
        with pytest.raises(ValueError, match="Trainable variable created when calling a template "
                                             "after the first time"):
            t(tf.constant(1.0))


def test_make_template_eagerly_keeps_its_variables():
    t = v1.make_template("scale", _scale, create_scope_now_=True)
    a, b = t(tf.constant(1.0)), t(tf.constant(2.0))
    assert (float(a), float(b)) == (3.0, 6.0)
    assert [v.name for v in t.trainable_variables] == ["scale/k:0"]
    with pytest.raises(ValueError, match="unique_name_ cannot be used when eager execution"):
        v1.make_template("x", _scale, unique_name_="y")
    with pytest.raises(TypeError, match="not callable"):
        v1.make_template("x", 3)(1.0)


# -- threads and failures ----------------------------------------------------------------------

def test_scopes_are_per_thread_and_the_store_is_shared():
    import threading
    g = tf.Graph()
    made, errors = {}, []
    barrier = threading.Barrier(4)

    def work(i):
        try:
            with g.as_default():
                with v1.variable_scope(f"t{i}"):
                    barrier.wait()
                    made[i] = (v1.get_variable("w", [1]), v1.get_variable_scope().name)
                with v1.variable_scope("shared", reuse=v1.AUTO_REUSE):
                    made[i] += (v1.get_variable("s", [1]),)
        except Exception as e:            # noqa: BLE001  (reported below)
            errors.append(e)
    threads = [threading.Thread(target=work, args=(i,)) for i in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert [made[i][0].name for i in range(4)] == [f"t{i}/w:0" for i in range(4)]
    assert [made[i][1] for i in range(4)] == [f"t{i}" for i in range(4)]
    assert all(made[i][2] is made[0][2] for i in range(4))       # one shared variable


def test_a_failing_initializer_leaves_no_variable_behind():
    def broken(shape, dtype=None, partition_info=None):
        raise RuntimeError("broken initializer")
    with _graph():
        with pytest.raises(RuntimeError, match="broken initializer"):
            v1.get_variable("w", [2], initializer=broken)
        assert v1.global_variables() == []
        w = v1.get_variable("w", [2], initializer=v1.zeros_initializer())   # the name is free
        assert w.name == "w:0"
