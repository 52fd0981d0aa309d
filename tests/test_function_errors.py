"""Errors inside tf.function (issue 19): Python control flow and `.numpy()` on symbolic tensors,
and ops that fail when the function runs, reported as TF 2.21 reports them (recorded in
tests/tf_function_errors.json by tools/record_tf_function_errors.py, whose scenarios run here)."""
import importlib.util
import json
import pathlib

import numpy as np
import pytest

import janusgrad as tf

HERE = pathlib.Path(__file__).parent
RECORDED = json.loads((HERE / "tf_function_errors.json").read_text())
_spec = importlib.util.spec_from_file_location(
    "record_tf_function_errors", HERE.parent / "tools" / "record_tf_function_errors.py")
SCENARIOS = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(SCENARIOS)


def test_control_flow_on_symbolic_tensors_raises_tfs_classes():
    assert SCENARIOS.control_flow(tf) == RECORDED["control_flow"]


@pytest.mark.parametrize("name", ["nested", "gather"])
def test_failing_op_is_reported_where_the_user_made_it(name):
    assert SCENARIOS.located(tf)[name] == RECORDED["located"][name]


def test_python_if_names_the_ops_to_write_instead():
    @tf.function
    def f(x):
        if x > 0:
            return x
        return -x

    with pytest.raises(tf.errors.OperatorNotAllowedInGraphError) as info:
        f(tf.constant(1.0))
    message = str(info.value)
    assert isinstance(info.value, TypeError)
    for name in ("AutoGraph", "tf.cond", "tf.where", "tf.while_loop", "'f'"):
        assert name in message


def test_numpy_inside_tf_function_says_the_tensor_is_traced():
    @tf.function
    def f(x):
        return x.numpy()

    with pytest.raises(AttributeError, match="being traced in the graph of 'f'"):
        f(tf.constant(1.0))


def test_graph_mode_bool_and_numpy_keep_the_session_wording():
    with tf.Graph().as_default():
        t = tf.constant(1.0)
        with pytest.raises(tf.errors.OperatorNotAllowedInGraphError, match="tf.cond"):
            bool(t)
        with pytest.raises(AttributeError, match="only inside Session.run"):
            t.numpy()


def test_located_error_keeps_the_class_and_the_kernels_message():
    @tf.function(input_signature=[tf.TensorSpec([None])])
    def f(x):
        return tf.gather(x, [7])

    with pytest.raises(tf.errors.InvalidArgumentError) as info:
        f(tf.ones([4]))
    message = str(info.value)
    assert isinstance(info.value, ValueError)
    assert "GatherV2" in message and "return tf.gather(x, [7])" in message
    assert message.splitlines()[-1].strip() == "[[{{node GatherV2}}]] [tf.function 'f']"
    # the function still runs afterwards on good input
    np.testing.assert_array_equal(f(tf.ones([8])).numpy(), [1.0])


def test_located_error_in_a_session_names_the_users_line():
    @tf.function(input_signature=[tf.TensorSpec([None])])
    def f(x):
        return tf.reshape(x, [3, 5])

    with tf.Graph().as_default():
        x = tf.compat.v1.placeholder(tf.float32, [None])
        y = f(x)
        with tf.compat.v1.Session() as sess:
            with pytest.raises(tf.errors.InvalidArgumentError,
                               match=r"(?s)Detected at node Reshape.*tf.reshape\(x, \[3, 5\]\)"):
                sess.run(y, {x: np.ones(4, np.float32)})
            assert sess.run(y, {x: np.ones(15, np.float32)}).shape == (3, 5)


def test_an_eager_op_error_is_not_reworded():
    # an op failing outside any traced function keeps janusgrad's own message
    with pytest.raises(tf.errors.InvalidArgumentError) as info:
        tf.reshape(tf.ones([4]), [3, 5])
    assert "Graph execution error" not in str(info.value)


def test_python_for_over_a_tensor_of_unknown_length_names_while_loop():
    @tf.function
    def f(n):
        total = 0.0
        for _ in tf.range(n):
            total += 1.0
        return total

    with pytest.raises(tf.errors.OperatorNotAllowedInGraphError, match="tf.while_loop"):
        f(tf.constant(3))


def test_concrete_function_runs_other_shapes_and_refuses_other_dtypes():
    assert SCENARIOS.concrete(tf) == RECORDED["concrete"]
