"""TF1's graph collections (tf.compat.v1.get_collection, GraphKeys, local variables, the
variable initializers, report_uninitialized_variables) and the loss collections of
tf.compat.v1.losses, against TF 2.21's behaviour (checked with TensorFlow and written down)."""
import numpy as np
import pytest

import janusgrad as tf

v1 = tf.compat.v1


def test_graph_keys_are_tfs_strings():
    expected = {
        "GLOBAL_VARIABLES": "variables", "LOCAL_VARIABLES": "local_variables",
        "MODEL_VARIABLES": "model_variables", "TRAINABLE_VARIABLES": "trainable_variables",
        "UPDATE_OPS": "update_ops", "REGULARIZATION_LOSSES": "regularization_losses",
        "LOSSES": "losses", "SUMMARIES": "summaries", "GLOBAL_STEP": "global_step",
        "TRAIN_OP": "train_op", "MOVING_AVERAGE_VARIABLES": "moving_average_variables",
        "METRIC_VARIABLES": "metric_variables", "TABLE_INITIALIZERS": "table_initializer",
        "SAVERS": "savers", "INIT_OP": "init_op", "LOCAL_INIT_OP": "local_init_op",
        "READY_OP": "ready_op", "SUMMARY_OP": "summary_op", "VARIABLES": "variables",
        "QUEUE_RUNNERS": "queue_runners", "ACTIVATIONS": "activations", "WEIGHTS": "weights",
        "BIASES": "biases", "EVAL_STEP": "eval_step", "RESOURCES": "resources",
    }
    for key, value in expected.items():
        assert getattr(v1.GraphKeys, key) == value
    # the collections tf.Variable fills are the same ones
    with tf.Graph().as_default():
        w = tf.Variable(1.0)
        assert v1.get_collection(v1.GraphKeys.GLOBAL_VARIABLES) == [w]
        assert v1.get_collection(v1.GraphKeys.TRAINABLE_VARIABLES) == [w]


def test_get_collection_copies_and_ref_shares():
    with tf.Graph().as_default() as g:
        v1.add_to_collection("c", 1)
        got = v1.get_collection("c")
        got.append(2)
        assert v1.get_collection("c") == [1]
        ref = v1.get_collection_ref("c")
        ref.append(5)
        assert v1.get_collection("c") == [1, 5] and g.get_collection("c") == [1, 5]
        assert v1.get_collection_ref("new") == [] and "new" in g.get_all_collection_keys()
        assert v1.get_collection("missing") == []
        v1.add_to_collections(["a", "b", "a"], 7)
        v1.add_to_collections("ab", 8)           # a string is one name
        assert (v1.get_collection("a"), v1.get_collection("b"), v1.get_collection("ab")) == (
            [7], [7], [8])
        g.clear_collection("a")
        assert v1.get_collection("a") == []


def test_get_collection_scope_filters_by_name():
    with tf.Graph().as_default():
        with v1.variable_scope("enc"):
            a = v1.get_variable("a", [1])
            with v1.variable_scope("inner"):
                b = v1.get_variable("b", [1])
        c = v1.get_variable("encore", [1])
        d = v1.get_variable("dec", [1])
        v1.add_to_collection(v1.GraphKeys.GLOBAL_VARIABLES, 3)     # no name: never matches
        keys = v1.GraphKeys.GLOBAL_VARIABLES
        assert v1.get_collection(keys, scope="enc/") == [a, b]
        assert v1.get_collection(keys, scope="enc") == [a, b, c]
        assert v1.get_collection(keys, scope=".*/b") == [b]
        assert v1.global_variables("dec") == [d] and v1.trainable_variables("enc/inner") == [b]


def test_collections_eagerly_use_the_default_graph():
    v1.add_to_collection("eager", 3)
    assert v1.get_collection("eager") == [3] and v1.get_collection_ref("eager") == [3]
    tf.Variable(1.0)
    assert v1.global_variables() == [] and v1.local_variables() == []
    assert v1.global_variables_initializer() is None
    assert v1.local_variables_initializer() is None


def test_local_and_model_variables_and_their_initializers():
    with tf.Graph().as_default():
        g = v1.get_variable("g", initializer=1.0)
        loc = v1.get_variable("loc", initializer=2.0, trainable=False,
                              collections=[v1.GraphKeys.LOCAL_VARIABLES])
        mv = v1.get_variable("mv", initializer=3.0, collections=[
            v1.GraphKeys.MODEL_VARIABLES, v1.GraphKeys.GLOBAL_VARIABLES])
        assert v1.local_variables() == [loc] and v1.model_variables() == [mv]
        init_local = v1.local_variables_initializer()
        init_global = v1.global_variables_initializer()
        empty = v1.variables_initializer([])
        assert (init_local.name, init_global.name, empty.name, empty.type) == (
            "init", "init_1", "init_2", "NoOp")
        report = v1.report_uninitialized_variables()
        assert report.name.startswith("report_uninitialized_variables/")
        assert report.dtype == tf.string and report.shape.as_list() == [None]
        with v1.Session() as sess:
            assert list(sess.run(report)) == [b"g", b"mv", b"loc"]
            sess.run(init_local)
            assert list(sess.run(report)) == [b"g", b"mv"]
            assert not sess.run(v1.is_variable_initialized(g))
            sess.run(init_global)
            assert list(sess.run(report)) == []
            assert sess.run(v1.is_variable_initialized(g))
            assert sess.run([g, loc, mv]) == [1.0, 2.0, 3.0]
        assert v1.report_uninitialized_variables([]).shape.as_list() == [0]


def test_variable_functions_refuse_what_is_not_a_variable():
    # TF's errors here are accidents (AttributeError: 'int' object has no attribute 'dtype')
    with pytest.raises(TypeError, match="report_uninitialized_variables: var_list must hold"):
        v1.report_uninitialized_variables([3])
    with pytest.raises(TypeError, match="is_variable_initialized: variable must be"):
        v1.is_variable_initialized(tf.constant(1.0))


def test_initializers_namespace():
    with tf.Graph().as_default():
        v = v1.get_variable("v", [2], initializer=v1.initializers.constant(4.0))
        w = v1.get_variable("w", [2], initializer=v1.initializers.zeros())
        init = v1.initializers.global_variables()
        with v1.Session() as sess:
            sess.run(init)
            np.testing.assert_array_equal(sess.run([v, w]), [[4.0, 4.0], [0.0, 0.0]])
    assert v1.initializers.variables is v1.variables_initializer


# -- tf.compat.v1.losses: the collections ------------------------------------------------------

def test_losses_collection_helpers_in_graphs():
    with tf.Graph().as_default():
        with pytest.raises(ValueError, match="get_total_loss: no losses|at least one Tensor"):
            v1.losses.get_total_loss()
        zero = v1.losses.get_regularization_loss()
        with v1.variable_scope("s", regularizer=lambda w: tf.reduce_sum(w)):
            v1.get_variable("w", initializer=[1.0, 2.0])
        a, b = tf.constant(2.0, name="a"), tf.constant(5.0, name="b")
        v1.losses.add_loss(a)
        v1.losses.add_loss(b, loss_collection="other")
        v1.losses.add_loss(b, loss_collection=None)              # added nowhere
        assert v1.losses.get_losses() == [a] and v1.get_collection("losses") == [a]
        assert v1.losses.get_losses(loss_collection="other") == [b]
        assert v1.losses.get_losses(scope="b") == []
        total = v1.losses.get_total_loss()
        data_only = v1.losses.get_total_loss(add_regularization_losses=False, name="tl")
        assert (total.name, data_only.name) == ("total_loss:0", "tl:0")
        with v1.Session() as sess:
            sess.run(v1.global_variables_initializer())
            assert sess.run([zero, total, data_only, v1.losses.get_regularization_loss()]) == [
                0.0, 5.0, 2.0, 3.0]


def test_losses_collection_helpers_eagerly():
    v1.losses.add_loss(tf.constant(2.0))            # nothing, eagerly (as TF)
    assert v1.losses.get_losses() == []
    assert float(v1.losses.get_regularization_loss()) == 0.0


def test_tf1_variable_collections_argument():
    with tf.Graph().as_default():
        a = v1.Variable(1.0, collections=[v1.GraphKeys.LOCAL_VARIABLES])
        b = v1.Variable(2.0, trainable=False, collections=["mine"])
        c = v1.Variable(3.0)
        assert v1.local_variables() == [a] and v1.get_collection("mine") == [b]
        assert v1.global_variables() == [c]
        assert v1.trainable_variables() == [a, c]
        with pytest.raises(ValueError, match="collections argument to Variable constructor must "
                                             "be a list, tuple, or set"):
            v1.Variable(1.0, collections="mine")
