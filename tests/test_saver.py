"""tf.compat.v1.train.Saver on janusgrad's checkpoint files: keys are variable names, saves are
atomic and ordered (write, record, delete beyond max_to_keep), restores all or nothing, with
TF's errors; and get_checkpoint_state, checkpoint_exists, list_variables, load_variable."""
import os

import numpy as np
import pytest

import janusgrad as tf
from janusgrad.framework.errors import (DataLossError, FailedPreconditionError,
                                        InvalidArgumentError, NotFoundError)

V1 = tf.compat.v1
T = tf.compat.v1.train


def build_model():
    """A TF1 program's graph: variables under a scope, Adam with a global step."""
    x = V1.placeholder(tf.float32, [None, 2])
    with tf.name_scope("dense"):
        w = tf.Variable([[0.5], [-1.0]], name="w")
        b = tf.Variable([0.1], name="b")
    loss = tf.reduce_mean(tf.square(tf.matmul(x, w) + b - 1.0))
    step = T.get_or_create_global_step()
    train = T.AdamOptimizer(0.1).minimize(loss, global_step=step)
    return x, w, b, step, train


BATCHES = [np.array([[1.0, 2.0], [0.5, -1.0]], np.float32) * (k + 1) for k in range(6)]


def test_training_resumes_from_a_saved_graph_where_it_stopped(tmp_path):
    """Train 3 steps, save, rebuild the same program in a new graph, restore, train 3 more:
    the same variables (Adam's slots and beta powers included) as 6 steps without a break."""
    tf.compat.v1.disable_eager_execution()
    prefix = str(tmp_path / "model")
    with tf.Graph().as_default():
        x, w, b, step, train = build_model()
        saver = T.Saver()
        with V1.Session() as sess:
            sess.run(V1.global_variables_initializer())
            for batch in BATCHES[:3]:
                sess.run(train, {x: batch})
            path = saver.save(sess, prefix, global_step=step)
            assert path == prefix + "-3"
            for batch in BATCHES[3:]:
                sess.run(train, {x: batch})
            unbroken = sess.run([w, b, step])
    assert T.latest_checkpoint(str(tmp_path)) == path
    with tf.Graph().as_default():
        x, w, b, step, train = build_model()
        saver = T.Saver()
        with V1.Session() as sess:
            saver.restore(sess, T.latest_checkpoint(str(tmp_path)))
            assert sess.run(step) == 3
            for batch in BATCHES[3:]:
                sess.run(train, {x: batch})
            resumed = sess.run([w, b, step])
    for u, r in zip(unbroken, resumed, strict=True):
        np.testing.assert_array_equal(u, r)


def test_keys_are_variable_names(tmp_path):
    tf.compat.v1.disable_eager_execution()
    x, w, b, step, train = build_model()
    with V1.Session() as sess:
        sess.run(V1.global_variables_initializer())
        path = T.Saver().save(sess, str(tmp_path / "m"))
        named = T.Saver({"weights": w}).save(sess, str(tmp_path / "n"))
    assert [name for name, _ in T.list_variables(path)] == [
        "beta1_power", "beta2_power", "dense/b", "dense/b/Adam", "dense/b/Adam_1", "dense/w",
        "dense/w/Adam", "dense/w/Adam_1", "global_step"]
    assert dict(T.list_variables(path))["dense/w"] == [2, 1]
    np.testing.assert_array_equal(T.load_variable(path, "dense/w:0"), [[0.5], [-1.0]])
    assert T.list_variables(named) == [("weights", [2, 1])]
    reader = T.load_checkpoint(named)
    assert reader.has_tensor("weights") and not reader.has_tensor("dense/w")
    assert reader.get_variable_to_dtype_map() == {"weights": tf.float32}
    with pytest.raises(NotFoundError):
        reader.get_tensor("dense/w")


def test_max_to_keep_and_the_state_file(tmp_path):
    v = tf.Variable(1.0, name="v")
    saver = T.Saver([v], max_to_keep=2)
    prefix = str(tmp_path / "ckpt")
    paths = [saver.save(None, prefix, global_step=i) for i in range(4)]
    assert paths == [f"{prefix}-{i}" for i in range(4)]
    assert saver.last_checkpoints == paths[2:]
    assert sorted(os.listdir(tmp_path)) == ["checkpoint", "ckpt-2.npz", "ckpt-3.npz"]
    assert [T.checkpoint_exists(p) for p in paths] == [False, False, True, True]
    state = T.get_checkpoint_state(str(tmp_path))
    assert state.model_checkpoint_path == paths[3]
    assert state.all_model_checkpoint_paths == paths[2:]
    assert T.get_checkpoint_state(str(tmp_path / "none")) is None
    # a new Saver takes over nothing (TF's), unless told to
    again = T.Saver([v], max_to_keep=2)
    again.recover_last_checkpoints(state.all_model_checkpoint_paths)
    again.save(None, prefix, global_step=4)
    assert sorted(os.listdir(tmp_path)) == ["checkpoint", "ckpt-3.npz", "ckpt-4.npz"]


def test_save_options(tmp_path):
    v = tf.Variable(1.0, name="v")
    saver = T.Saver([v], pad_step_number=True, max_to_keep=None)
    assert saver.save(None, str(tmp_path / "p"), global_step=tf.constant(7, tf.int64)) == \
        str(tmp_path / "p-00000007")
    saver.save(None, str(tmp_path / "q"), write_state=False)
    saver.save(None, str(tmp_path / "r"), latest_filename="other_state")
    assert T.latest_checkpoint(str(tmp_path)) == str(tmp_path / "p-00000007")
    assert T.latest_checkpoint(str(tmp_path), "other_state") == str(tmp_path / "r")
    assert sorted(os.listdir(tmp_path)) == ["checkpoint", "other_state", "p-00000007.npz",
                                            "q.npz", "r.npz"]
    with pytest.raises(ValueError, match="path components"):
        saver.save(None, str(tmp_path / "s"), latest_filename="a/b")


def test_a_save_is_recorded_before_older_checkpoints_are_deleted(tmp_path, monkeypatch):
    """Killed while deleting (here: deleting fails), the state file already names the new
    checkpoint, and every checkpoint it lists exists."""
    v = tf.Variable(1.0, name="v")
    saver = T.Saver([v], max_to_keep=1)
    saver.save(None, str(tmp_path / "c"), global_step=1)

    def fail(path):
        raise OSError("killed")
    monkeypatch.setattr(os, "remove", fail)
    with pytest.raises(OSError, match="killed"):
        saver.save(None, str(tmp_path / "c"), global_step=2)
    monkeypatch.undo()
    state = T.get_checkpoint_state(str(tmp_path))
    assert state.model_checkpoint_path == str(tmp_path / "c-2")
    assert all(T.checkpoint_exists(p) for p in state.all_model_checkpoint_paths)


def test_eager_saver_needs_a_var_list(tmp_path):
    with pytest.raises(RuntimeError, match="var_list"):
        T.Saver()
    v, w = tf.Variable([1.0, 2.0], name="v"), tf.Variable(3, name="w")
    saver = T.Saver({"v": v, "w": w})
    path = saver.save(None, str(tmp_path / "e"))
    v.assign([0.0, 0.0])
    w.assign(0)
    saver.restore(None, path)
    assert v.numpy().tolist() == [1.0, 2.0] and w.numpy() == 3


def make_saved(tmp_path):
    v, w = tf.Variable([1.0, 2.0], name="v"), tf.Variable(3.0, name="w")
    path = T.Saver([v, w]).save(None, str(tmp_path / "good"))
    v.assign([5.0, 6.0])
    w.assign(7.0)
    return v, w, path


def unchanged(v, w):
    return v.numpy().tolist() == [5.0, 6.0] and w.numpy() == 7.0


def test_restore_is_all_or_nothing(tmp_path):
    v, w, path = make_saved(tmp_path)
    extra = tf.Variable(0.0, name="extra")
    with pytest.raises(NotFoundError, match="extra"):
        T.Saver([v, w, extra]).restore(None, path)
    assert unchanged(v, w)
    with pytest.raises(InvalidArgumentError, match="shape"):
        T.Saver({"v": v, "w": tf.Variable([0.0, 0.0])}).restore(None, path)
    assert unchanged(v, w)
    with pytest.raises(InvalidArgumentError, match="int32"):
        T.Saver({"v": v, "w": tf.Variable(0)}).restore(None, path)
    assert unchanged(v, w)
    T.Saver([w]).restore(None, path)            # a part of the file: the rest is not read
    assert w.numpy() == 3.0 and v.numpy().tolist() == [5.0, 6.0]


@pytest.mark.parametrize("damage", ["truncated", "flipped byte", "not a checkpoint"])
def test_a_damaged_file_raises_data_loss_and_changes_nothing(tmp_path, damage):
    v, w, path = make_saved(tmp_path)
    data = open(path + ".npz", "rb").read()
    data = {"truncated": data[:len(data) // 2],
            "flipped byte": data[:150] + bytes([data[150] ^ 0xFF]) + data[151:],
            "not a checkpoint": b"model_checkpoint_path: nothing\n"}[damage]
    with open(path + ".npz", "wb") as f:
        f.write(data)
    with pytest.raises(DataLossError):
        T.Saver([v, w]).restore(None, path)
    assert unchanged(v, w)


@pytest.mark.parametrize("mode", ["graph", "eager"])
def test_bad_arguments_raise_as_tf(mode, tmp_path):
    """In graph mode the Saver resolves its var_list when made, eagerly when it saves (TF's)."""
    if mode == "graph":
        tf.compat.v1.disable_eager_execution()
    v = tf.Variable(1.0, name="v")
    sess = V1.Session() if mode == "graph" else None

    def saving(var_list, **kwargs):
        T.Saver(var_list, **kwargs).save(sess, str(tmp_path / "x"))
    with pytest.raises(TypeError, match="dict or a list"):
        saving(3)
    with pytest.raises(TypeError, match="not a variable"):
        saving([3.0])
    with pytest.raises(TypeError, match="Not a variable"):
        saving({"x": 3.0})
    with pytest.raises(ValueError, match="No variables to save"):
        saving([])
    assert T.Saver([], allow_empty=True).save(sess, str(tmp_path / "never")) is None
    if mode == "eager":                         # (a graph makes its names unique)
        with pytest.raises(ValueError, match="same name"):
            saving([v, tf.Variable(2.0, name="v")])
    saver = T.Saver([v])
    with pytest.raises(ValueError, match="None"):
        saver.restore(sess, None)
    with pytest.raises(ValueError, match="not a valid checkpoint"):
        saver.restore(sess, str(tmp_path / "nothing"))
    assert os.listdir(tmp_path) == []


def test_graph_mode_needs_a_session_and_initialized_variables(tmp_path):
    tf.compat.v1.disable_eager_execution()
    v = tf.Variable(1.0, name="v")
    saver = T.Saver()
    with pytest.raises(TypeError, match="'sess' must be a Session"):
        saver.save(None, str(tmp_path / "x"))
    with V1.Session() as sess:
        with pytest.raises(FailedPreconditionError, match="uninitialized"):
            saver.save(sess, str(tmp_path / "x"))
        sess.run(v.initializer)
        path = saver.save(sess, str(tmp_path / "x"))
        with pytest.raises(AttributeError, match="Session"):
            saver.restore(None, path)
    # the variables of a Saver made in graph mode are those that existed then (TF's)
    later = tf.Variable(2.0, name="later")
    assert later.name not in [n + ":0" for n, _ in T.list_variables(path)]


def test_keep_checkpoint_every_n_hours_spares_old_checkpoints(tmp_path):
    v = tf.Variable(1.0, name="v")
    # a tiny interval: every checkpoint falling out of max_to_keep is past the next keep time
    saver = T.Saver([v], max_to_keep=1, keep_checkpoint_every_n_hours=1e-9)
    paths = [saver.save(None, str(tmp_path / "k"), global_step=i) for i in range(3)]
    assert saver.last_checkpoints == paths[-1:]
    assert all(T.checkpoint_exists(p) for p in paths)
