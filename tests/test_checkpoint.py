"""tf.train.Checkpoint: .npz files written atomically, restored all-or-nothing."""
import os
import zipfile

import numpy as np
import pytest

import janusgrad as tf
from janusgrad.train import checkpoint as ckpt_module
from janusgrad.train import checkpoint_files as ckpt_files

L = tf.keras.layers


def small_model():
    return tf.keras.Sequential([L.Dense(3, activation="relu"), L.Dense(2)])


def train_steps(model, opt, n, seed=0):
    rng = np.random.default_rng(seed)
    loss_fn = tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True)
    for _ in range(n):
        x = rng.standard_normal((4, 5)).astype(np.float32)
        y = rng.integers(0, 2, 4)
        with tf.GradientTape() as tape:
            loss = loss_fn(y, model(x))
        grads = tape.gradient(loss, model.trainable_variables)
        opt.apply_gradients(zip(grads, model.trainable_variables, strict=True))


def values(variables):
    return [np.array(v.numpy()) for v in variables]


def test_save_and_restore_variables(tmp_path):
    v = tf.Variable([1.0, 2.0])
    step = tf.Variable(np.int64(7))
    ckpt = tf.train.Checkpoint(v=v, step=step)
    path = ckpt.save(str(tmp_path / "run"))
    assert path == str(tmp_path / "run-1")
    assert os.path.exists(path + ".npz")
    assert tf.train.latest_checkpoint(str(tmp_path)) == path
    v.assign([5.0, 6.0])
    step.assign(np.int64(0))
    ckpt.restore(path).assert_consumed()
    np.testing.assert_array_equal(v.numpy(), [1.0, 2.0])
    assert step.numpy() == 7 and step.dtype is tf.int64
    assert ckpt.save(str(tmp_path / "run")) == str(tmp_path / "run-2")
    assert tf.train.latest_checkpoint(str(tmp_path)) == str(tmp_path / "run-2")


def test_no_temporary_file_is_left_behind(tmp_path):
    tf.train.Checkpoint(v=tf.Variable(1.0)).write(str(tmp_path / "a"))
    assert sorted(os.listdir(tmp_path)) == ["a.npz"]


def test_a_failed_write_keeps_the_previous_file(tmp_path, monkeypatch):
    v = tf.Variable(1.0)
    ckpt = tf.train.Checkpoint(v=v)
    ckpt.write(str(tmp_path / "a"))
    before = (tmp_path / "a.npz").read_bytes()

    def broken_savez(f, **arrays):
        f.write(b"half a file")
        raise OSError("disk full")

    monkeypatch.setattr(ckpt_module.np, "savez", broken_savez)
    v.assign(2.0)
    with pytest.raises(OSError, match="disk full"):
        ckpt.write(str(tmp_path / "a"))
    assert (tmp_path / "a.npz").read_bytes() == before
    assert sorted(os.listdir(tmp_path)) == ["a.npz"]


def test_model_and_optimizer_slots_round_trip(tmp_path):
    tf.random.set_seed(1)
    model, opt = small_model(), tf.keras.optimizers.Adam(0.05)
    train_steps(model, opt, 2)
    path = tf.train.Checkpoint(model=model, optimizer=opt).save(str(tmp_path / "m"))
    saved = np.load(path + ".npz", allow_pickle=False)
    slot_keys = [k for k in saved.files if ".OPTIMIZER_SLOT" in k]
    assert "model/layer-0/kernel" in saved.files and "optimizer/iteration" in saved.files
    assert "model/layer-0/kernel/.OPTIMIZER_SLOT/optimizer/momentum" in slot_keys
    assert len(slot_keys) == 8                     # momentum and velocity of 4 weights

    # a fresh model and optimizer, restored before they are built: values wait for creation
    tf.random.set_seed(2)
    model2, opt2 = small_model(), tf.keras.optimizers.Adam(0.05)
    status = tf.train.Checkpoint(model=model2, optimizer=opt2).restore(path)
    assert opt2.iterations.numpy() == 2
    train_steps(model, opt, 1, seed=5)
    train_steps(model2, opt2, 1, seed=5)
    status.assert_consumed()
    for a, b in zip(values(model.variables + opt.variables),
                    values(model2.variables + opt2.variables), strict=True):
        np.testing.assert_array_equal(a, b)


def test_v1_optimizer_slots_and_beta_powers_round_trip(tmp_path):
    v = tf.Variable([1.0, -1.0])
    opt = tf.compat.v1.train.AdamOptimizer(0.1)
    opt.apply_gradients([(tf.constant([0.5, 0.25]), v)])
    path = tf.train.Checkpoint(v=v, opt=opt).save(str(tmp_path / "v1"))
    w = tf.Variable([0.0, 0.0])
    opt2 = tf.compat.v1.train.AdamOptimizer(0.1)
    tf.train.Checkpoint(v=w, opt=opt2).restore(path)
    for o, x in ((opt, v), (opt2, w)):
        o.apply_gradients([(tf.constant([0.3, -0.2]), x)])
    np.testing.assert_array_equal(v.numpy(), w.numpy())
    np.testing.assert_array_equal(opt2.get_slot(w, "v").numpy(), opt.get_slot(v, "v").numpy())


def corrupt_cases(path):
    data = open(path, "rb").read()
    return {
        "truncated": data[:len(data) // 2],
        "empty": b"",
        "text": b"model_checkpoint_path: nothing here\n",
        "flipped byte": data[:200] + bytes([data[200] ^ 0xFF]) + data[201:],
    }


@pytest.mark.parametrize("case", ["truncated", "empty", "text", "flipped byte"])
def test_a_damaged_file_raises_and_changes_nothing(tmp_path, case):
    v, w = tf.Variable(np.arange(64, dtype=np.float32)), tf.Variable(3.0)
    ckpt = tf.train.Checkpoint(v=v, w=w)
    path = ckpt.write(str(tmp_path / "c"))
    damaged = corrupt_cases(path + ".npz")[case]
    with open(path + ".npz", "wb") as f:
        f.write(damaged)
    v.assign(np.zeros(64, np.float32))
    w.assign(-1.0)
    with pytest.raises(tf.errors.DataLossError, match="nothing was restored"):
        ckpt.restore(path)
    np.testing.assert_array_equal(v.numpy(), np.zeros(64))
    assert w.numpy() == -1.0


def test_a_foreign_npz_is_refused(tmp_path):
    np.savez(tmp_path / "other.npz", v=np.ones(2, np.float32))
    v = tf.Variable([0.0, 0.0])
    with pytest.raises(tf.errors.DataLossError, match="not a janusgrad checkpoint"):
        tf.train.Checkpoint(v=v).restore(str(tmp_path / "other.npz"))
    np.testing.assert_array_equal(v.numpy(), [0.0, 0.0])


def test_pickled_objects_are_never_loaded(tmp_path):
    arrays = {"v": np.array([{"evil": 1}], dtype=object),
              "__janusgrad_checkpoint__": np.array(ckpt_files.FORMAT)}
    with open(tmp_path / "p.npz", "wb") as f:
        np.savez(f, **arrays)
    v = tf.Variable([0.0])
    with pytest.raises(tf.errors.DataLossError, match="nothing was restored"):
        tf.train.Checkpoint(v=v).restore(str(tmp_path / "p"))
    assert v.numpy()[0] == 0.0


def test_a_shape_mismatch_raises_before_any_assignment(tmp_path):
    a, b = tf.Variable([1.0, 2.0]), tf.Variable([3.0, 4.0])
    path = tf.train.Checkpoint(a=a, b=b).write(str(tmp_path / "s"))
    a2, b2 = tf.Variable([0.0, 0.0]), tf.Variable([0.0, 0.0, 0.0])
    with pytest.raises(ValueError, match="shape"):
        tf.train.Checkpoint(a=a2, b=b2).restore(path)
    np.testing.assert_array_equal(a2.numpy(), [0.0, 0.0])      # 'a' matched, yet unchanged
    with pytest.raises(ValueError, match="dtype"):
        tf.train.Checkpoint(a=tf.Variable(np.zeros(2)), b=b).restore(path)


def test_missing_file_raises_not_found(tmp_path):
    with pytest.raises(tf.errors.NotFoundError):
        tf.train.Checkpoint(v=tf.Variable(1.0)).restore(str(tmp_path / "nope"))
    assert tf.train.latest_checkpoint(str(tmp_path)) is None


def test_status_reports_unmatched_values_and_variables(tmp_path):
    path = tf.train.Checkpoint(a=tf.Variable(1.0), b=tf.Variable(2.0)).write(
        str(tmp_path / "u"))
    status = tf.train.Checkpoint(a=tf.Variable(0.0)).restore(path)
    with pytest.raises(AssertionError, match="b"):
        status.assert_consumed()
    status.assert_existing_objects_matched()
    status = tf.train.Checkpoint(a=tf.Variable(0.0), c=tf.Variable(0.0)).restore(path)
    with pytest.raises(AssertionError, match="c"):
        status.assert_existing_objects_matched()
    status.expect_partial()


def test_non_trackable_arguments_are_refused():
    with pytest.raises(ValueError, match="trackable"):
        tf.train.Checkpoint(n=3)


def test_plain_objects_are_walked_through_their_attributes(tmp_path):
    class Holder:
        def __init__(self):
            self.weights = [tf.Variable(1.0), tf.Variable(2.0)]
            self.note = "not saved"

    h = Holder()
    path = tf.train.Checkpoint(h=h).write(str(tmp_path / "h"))
    assert {"h/weights/0", "h/weights/1"} <= set(np.load(path + ".npz").files)
    h.weights[1].assign(0.0)
    tf.train.Checkpoint(h=h).restore(path)
    assert h.weights[1].numpy() == 2.0


def test_graph_mode_save_and_restore_without_running_initializers(tmp_path):
    tf.compat.v1.disable_eager_execution()
    v = tf.Variable([1.0, 2.0])
    ckpt = tf.train.Checkpoint(v=v)
    with tf.compat.v1.Session() as sess:
        sess.run(tf.compat.v1.global_variables_initializer())
        sess.run(v.assign([7.0, 8.0]))
        path = ckpt.save(str(tmp_path / "g"))
    with tf.compat.v1.Session() as sess:
        ckpt.restore(path)                          # restoring initializes, as TF's Saver does
        np.testing.assert_array_equal(sess.run(v), [7.0, 8.0])


def test_checkpoint_manager_keeps_the_newest(tmp_path):
    v = tf.Variable(0.0)
    manager = tf.train.CheckpointManager(tf.train.Checkpoint(v=v), str(tmp_path), max_to_keep=2)
    for i in range(3):
        v.assign(float(i))
        manager.save()
    assert [os.path.basename(p) for p in manager.checkpoints] == ["ckpt-2", "ckpt-3"]
    assert not os.path.exists(tmp_path / "ckpt-1.npz")
    assert tf.train.latest_checkpoint(str(tmp_path)) == manager.latest_checkpoint
    v.assign(-1.0)
    tf.train.Checkpoint(v=v).restore(manager.latest_checkpoint)
    assert v.numpy() == 2.0


def test_written_file_is_a_plain_npz(tmp_path):
    path = tf.train.Checkpoint(v=tf.Variable([1.5])).write(str(tmp_path / "z"))
    with zipfile.ZipFile(path + ".npz") as z:
        assert sorted(z.namelist()) == ["__janusgrad_checkpoint__.npy", "v.npy"]


def test_a_restored_weight_of_the_wrong_shape_is_refused_when_the_layer_builds(tmp_path):
    model = small_model()
    model(np.ones((1, 5), np.float32))
    path = tf.train.Checkpoint(model=model).write(str(tmp_path / "w"))
    other = small_model()
    tf.train.Checkpoint(model=other).restore(path)
    with pytest.raises(ValueError, match="shape"):
        other(np.ones((1, 4), np.float32))          # a kernel of 4 x 3, not 5 x 3


def test_a_checkpoint_from_before_the_layers_were_restructured_restores_and_trains_on():
    """tests/data/old_checkpoint.npz was written by janusgrad at commit 3cbfd50 (see
    tests/data/make_old_checkpoint.py): today's janusgrad restores its variables, optimizer
    slots and step, and two more steps give what they gave then."""
    import importlib.util
    data_dir = os.path.join(os.path.dirname(__file__), "data")
    spec = importlib.util.spec_from_file_location(
        "make_old_checkpoint", os.path.join(data_dir, "make_old_checkpoint.py"))
    old = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(old)
    model, opt = old.model_and_optimizer()
    batches = old.batches()
    step = tf.Variable(np.int64(0))
    tf.train.Checkpoint(model=model, optimizer=opt, step=step).restore(
        os.path.join(data_dir, "old_checkpoint"))
    assert step.numpy() == 3
    old.train(model, opt, batches[3:])
    want = np.load(os.path.join(data_dir, "old_checkpoint_trained_on.npz"))
    got = [v.numpy() for v in model.trainable_variables]
    assert len(got) == len(want.files) == 4
    for g, k in zip(got, want.files):
        np.testing.assert_allclose(g, want[k], rtol=1e-6, atol=1e-7)


def manager_for(folder, max_to_keep=2, v=None):
    v = v if v is not None else tf.Variable(0.0)
    return tf.train.CheckpointManager(tf.train.Checkpoint(v=v), str(folder), max_to_keep)


def test_a_restarted_manager_recovers_every_checkpoint_and_keeps_deleting_the_oldest(tmp_path):
    first = manager_for(tmp_path)
    for i in range(1, 4):
        first.save(checkpoint_number=i)
    again = manager_for(tmp_path)
    assert [os.path.basename(p) for p in again.checkpoints] == ["ckpt-2", "ckpt-3"]
    assert again.latest_checkpoint == str(tmp_path / "ckpt-3")
    again.save(checkpoint_number=4)
    assert sorted(os.listdir(tmp_path)) == ["checkpoint", "ckpt-3.npz", "ckpt-4.npz"]
    assert [os.path.basename(p) for p in manager_for(tmp_path).checkpoints] == ["ckpt-3",
                                                                                "ckpt-4"]


def test_a_restarted_manager_skips_listed_checkpoints_that_are_gone(tmp_path):
    first = manager_for(tmp_path, max_to_keep=3)
    for i in range(1, 4):
        first.save(checkpoint_number=i)
    os.remove(tmp_path / "ckpt-3.npz")
    again = manager_for(tmp_path, max_to_keep=3)
    assert [os.path.basename(p) for p in again.checkpoints] == ["ckpt-1", "ckpt-2"]
    assert again.latest_checkpoint == str(tmp_path / "ckpt-2")


@pytest.mark.parametrize("listed", ["../outside/ckpt-1", "{outside}/ckpt-1", "sub/ckpt-1",
                                    "..", ""])
def test_state_file_paths_outside_the_folder_are_ignored_and_never_deleted(tmp_path, listed):
    folder, outside = tmp_path / "run", tmp_path / "outside"
    (folder / "sub").mkdir(parents=True)
    outside.mkdir()
    tf.train.Checkpoint(v=tf.Variable(1.0)).write(str(outside / "ckpt-1"))
    tf.train.Checkpoint(v=tf.Variable(1.0)).write(str(folder / "sub" / "ckpt-1"))
    listed = listed.format(outside=outside)
    (folder / "checkpoint").write_text(f'model_checkpoint_path: "{listed}"\n'
                                       f'all_model_checkpoint_paths: "{listed}"\n')
    with pytest.warns(UserWarning, match="outside"):
        manager = manager_for(folder, max_to_keep=1)
    assert manager.checkpoints == [] and manager.latest_checkpoint is None
    manager.save(checkpoint_number=2)
    manager.save(checkpoint_number=3)
    assert os.path.exists(outside / "ckpt-1.npz") and os.path.exists(folder / "sub/ckpt-1.npz")
    assert sorted(os.listdir(folder)) == ["checkpoint", "ckpt-3.npz", "sub"]


def test_max_to_keep_must_be_positive_or_none(tmp_path):
    for bad in (0, -1):
        with pytest.raises(ValueError, match="max_to_keep"):
            manager_for(tmp_path, max_to_keep=bad)
    manager = manager_for(tmp_path, max_to_keep=None)
    for _ in range(3):
        manager.save()
    assert len(manager.checkpoints) == 3


def test_the_manager_counts_saves_even_with_a_checkpoint_number(tmp_path):
    """As TF's: save_counter is incremented by every save, numbered or not."""
    ckpt = tf.train.Checkpoint(v=tf.Variable(0.0))
    manager = tf.train.CheckpointManager(ckpt, str(tmp_path), max_to_keep=3)
    manager.save(checkpoint_number=10)
    assert manager.save() == str(tmp_path / "ckpt-2")
    assert ckpt.save_counter.numpy() == 2


def with_entry(path, key, value, out):
    """A copy of checkpoint `path` with the value of `key` replaced."""
    with np.load(path + ".npz") as data:
        arrays = {k: data[k] for k in data.files}
    assert key in arrays
    arrays[key] = value
    np.savez(out + ".npz", **arrays)
    return out


def trained_model_checkpoint(tmp_path):
    tf.random.set_seed(3)
    model, opt = small_model(), tf.keras.optimizers.Adam(0.05)
    train_steps(model, opt, 2)
    return tf.train.Checkpoint(model=model, optimizer=opt).write(str(tmp_path / "m"))


SLOT = "model/layer-1/kernel/.OPTIMIZER_SLOT/optimizer/momentum"


def test_a_slot_of_the_wrong_shape_is_refused_before_anything_is_restored(tmp_path):
    bad = with_entry(trained_model_checkpoint(tmp_path), SLOT, np.zeros((2, 3), np.float32),
                     str(tmp_path / "bad"))
    model, opt = small_model(), tf.keras.optimizers.Adam(0.05)
    model(np.ones((1, 5), np.float32))                  # built: the variables exist, no slots
    before = values(model.variables + opt.variables)
    with pytest.raises(ValueError, match=r"momentum.*shape \[2, 3\]"):
        tf.train.Checkpoint(model=model, optimizer=opt).restore(bad)
    for a, b in zip(before, values(model.variables + opt.variables), strict=True):
        np.testing.assert_array_equal(a, b)
    train_steps(model, opt, 1)                          # and the optimizer starts afresh


@pytest.mark.parametrize("wrong", ["shape", "dtype"])
def test_a_deferred_slot_that_does_not_fit_is_refused_before_any_update(tmp_path, wrong):
    value = np.zeros((2, 3), np.float32) if wrong == "shape" else np.zeros((3, 2), np.float64)
    bad = with_entry(trained_model_checkpoint(tmp_path), SLOT, value, str(tmp_path / "bad"))
    model, opt = small_model(), tf.keras.optimizers.Adam(0.05)
    tf.train.Checkpoint(model=model, optimizer=opt).restore(bad)     # nothing built yet
    model(np.ones((1, 5), np.float32))
    before = values(model.variables + [opt.iterations])
    for _ in range(2):                                  # the bad value stays refused
        with pytest.raises(ValueError, match=f"momentum.*{wrong}"):
            train_steps(model, opt, 1)
        for a, b in zip(before, values(model.variables + [opt.iterations]), strict=True):
            np.testing.assert_array_equal(a, b)


def test_a_deferred_v1_optimizer_value_that_does_not_fit_is_refused_before_any_update(tmp_path):
    v = tf.Variable([1.0, -1.0])
    opt = tf.compat.v1.train.AdamOptimizer(0.1)
    opt.apply_gradients([(tf.constant([0.5, 0.25]), v)])
    path = tf.train.Checkpoint(v=v, opt=opt).write(str(tmp_path / "v1"))
    bad = with_entry(path, "opt/beta1_power", np.full(2, 0.5, np.float32),
                     str(tmp_path / "bad"))
    w = tf.Variable([0.0, 0.0])
    opt2 = tf.compat.v1.train.AdamOptimizer(0.1)
    tf.train.Checkpoint(v=w, opt=opt2).restore(bad)
    with pytest.raises(ValueError, match="beta1_power.*shape"):
        opt2.apply_gradients([(tf.constant([0.3, -0.2]), w)])
    np.testing.assert_array_equal(w.numpy(), v.numpy())
