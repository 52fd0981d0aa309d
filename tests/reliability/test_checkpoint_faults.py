"""Checkpoints under faults.

A training job killed (SIGKILL) at any point of `CheckpointManager.save` (or of
`tf.compat.v1.train.Saver.save`) and restarted always finds a checkpoint that exists, restores,
and is never older than one it found before; the temporary files of killed saves are removed
by the next save, never those of a live writer.
Hostile or broken files raise before anything is assigned, and before any member larger than
what the variables need is inflated.
"""
import functools
import io
import json
import os
import re
import struct
import subprocess
import sys
import threading
import tracemalloc
import zipfile
import zlib

import numpy as np
import pytest

import janusgrad as tf
from janusgrad.train import checkpoint_files as ckpt_files

needs_fork = pytest.mark.skipif(not hasattr(os, "fork"), reason="kills forked jobs (POSIX)")

# A driver, run in a subprocess: it forks training jobs that save with a CheckpointManager in
# `folder` and are killed with SIGKILL, and copies the folder after each kill into `snapshots`.
#   "steps": each job SIGKILLs itself just before its n-th file-system call (n = 1, 2, ...:
#            every os.replace / rename / remove / unlink / fsync and every array written into a
#            file, so every step of the save sequence), after a warm-up of a few saves;
#   "timed": each job saves forever and the driver kills it after a random delay.
DRIVER = r'''
import json, os, random, shutil, signal, sys, time, traceback
import numpy as np
import janusgrad as tf

folder, snapshots, mode = sys.argv[1], sys.argv[2], sys.argv[3]
numbered, keep, kind = sys.argv[4] == "1", int(sys.argv[5]), sys.argv[6]
SAVES = 2           # saves per job in "steps" mode
# a killed process loses nothing it wrote (the page cache survives it): flushing to disk, which
# is what power losses need, is not tested here, and is slow
os.fsync = lambda fd: None


def instrument(kill_at):
    count = [0]

    def wrap(fn):
        def call(*args, **kwargs):
            count[0] += 1
            if count[0] == kill_at:
                os.kill(os.getpid(), signal.SIGKILL)
            return fn(*args, **kwargs)
        return call

    for name in ("replace", "rename", "remove", "unlink", "fsync"):
        setattr(os, name, wrap(getattr(os, name)))
    np.lib.format.write_array = wrap(np.lib.format.write_array)
    return count


def job(saves, where=None):
    """A restarted training job: restore the newest checkpoint, then save step after step."""
    if kind == "saver":
        return saver_job(saves, where or folder)
    step, w = tf.Variable(np.int64(0)), tf.Variable(np.zeros(256, np.float32))
    ckpt = tf.train.Checkpoint(step=step, w=w)
    manager = tf.train.CheckpointManager(ckpt, where or folder, max_to_keep=keep)
    ckpt.restore(manager.latest_checkpoint)
    for _ in range(saves):
        step.assign_add(1)
        w.assign(np.full(256, step.numpy(), np.float32))
        manager.save(checkpoint_number=int(step.numpy()) if numbered else None)


def saver_job(saves, where):
    """The same job written for TF1's Saver (keys "step" and "w", as the Checkpoint's)."""
    step = tf.Variable(np.int64(0), name="step")
    w = tf.Variable(np.zeros(256, np.float32), name="w")
    saver = tf.compat.v1.train.Saver([step, w], max_to_keep=keep)
    latest = tf.compat.v1.train.latest_checkpoint(where)
    if latest is not None:
        saver.restore(None, latest)
        state = tf.compat.v1.train.get_checkpoint_state(where)
        saver.recover_last_checkpoints(state.all_model_checkpoint_paths)
    for _ in range(saves):
        step.assign_add(1)
        w.assign(np.full(256, step.numpy(), np.float32))
        saver.save(None, os.path.join(where, "ckpt"), global_step=step)


def in_child(body):
    pid = os.fork()
    if pid == 0:
        try:
            body()
        except BaseException:
            traceback.print_exc()
            sys.stderr.flush()
            os._exit(1)
        os._exit(0)
    return pid


def finish(pid, i):
    _, status = os.waitpid(pid, 0)
    dest = os.path.join(snapshots, f"{i:03d}")
    if os.path.isdir(folder):
        shutil.copytree(folder, dest)
    else:
        os.makedirs(dest)
    killed = os.WIFSIGNALED(status) and os.WTERMSIG(status) == signal.SIGKILL
    code = os.WEXITSTATUS(status) if os.WIFEXITED(status) else None
    print(json.dumps({"snapshot": dest, "killed": killed, "exit": code}), flush=True)


if mode == "steps":
    finish(in_child(lambda: job(3)), 0)                   # warm-up: `keep` checkpoints kept
    scratch = os.path.join(snapshots, "count")
    shutil.copytree(folder, scratch)

    def count_calls():
        count = instrument(kill_at=0)
        job(SAVES, where=scratch)
        with open(os.path.join(snapshots, "calls"), "w") as f:
            f.write(str(count[0]))

    os.waitpid(in_child(count_calls), 0)
    shutil.rmtree(scratch)
    with open(os.path.join(snapshots, "calls")) as f:
        calls = int(f.read())
    for n in range(1, calls + 2):                          # the last one is not killed
        finish(in_child(lambda: (instrument(n), job(SAVES))), n)
else:
    finish(in_child(lambda: job(3)), 0)                   # warm-up
    rng = random.Random(17)
    for i in range(1, 26):
        pid = in_child(lambda: job(10 ** 6))
        time.sleep(rng.uniform(0.0, 0.04))
        os.kill(pid, signal.SIGKILL)
        finish(pid, i)
'''

CKPT = re.compile(r"ckpt-(\d+)\.npz")


def run_driver(tmp_path, mode, numbered, keep, kind="manager"):
    folder, snapshots = tmp_path / "run", tmp_path / "snapshots"
    snapshots.mkdir()
    env = dict(os.environ, OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1")
    done = subprocess.run([sys.executable, "-c", DRIVER, str(folder), str(snapshots), mode,
                           "1" if numbered else "0", str(keep), kind], capture_output=True,
                          text=True, timeout=300, env=env)
    assert done.returncode == 0, done.stderr[-3000:]
    return folder, [json.loads(line) for line in done.stdout.splitlines()]


def what_a_restarted_job_finds(folder, keep):
    """The step a restarted job resumes from (0: none), after checking what it finds."""
    latest = tf.train.latest_checkpoint(str(folder))
    step, w = tf.Variable(np.int64(-1)), tf.Variable(np.zeros(256, np.float32))
    ckpt = tf.train.Checkpoint(step=step, w=w)
    manager = tf.train.CheckpointManager(ckpt, str(folder), max_to_keep=keep)
    assert manager.latest_checkpoint == latest
    for path in manager.checkpoints:
        assert os.path.exists(path + ".npz"), (path, os.listdir(folder))
    names = os.listdir(folder) if os.path.isdir(folder) else []
    others = [n for n in names if n != "checkpoint" and not CKPT.fullmatch(n)]
    assert len(others) <= 1, names                # the temporary file of the killed save
    # every checkpoint file is one the manager knows (and deletes in time), but for one that
    # a kill left unrecorded: the next number, which the restarted job writes again
    listed = {os.path.basename(p) + ".npz" for p in manager.checkpoints}
    unknown = [int(CKPT.fullmatch(n)[1]) for n in names if CKPT.fullmatch(n) and n not in listed]
    newest = int(latest.rsplit("-", 1)[1]) if latest is not None else 0
    assert unknown in ([], [newest + 1]), (names, latest)
    if latest is None:
        return 0
    ckpt.restore(latest).assert_consumed()
    assert os.path.basename(latest) == f"ckpt-{int(step.numpy())}"
    np.testing.assert_array_equal(w.numpy(), np.full(256, step.numpy(), np.float32))
    return int(step.numpy())


def a_clean_restart_saves_once(folder, keep):
    """A restarted job's save leaves the newest `keep` checkpoints and nothing else."""
    step, w = tf.Variable(np.int64(0)), tf.Variable(np.zeros(256, np.float32))
    ckpt = tf.train.Checkpoint(step=step, w=w)
    manager = tf.train.CheckpointManager(ckpt, str(folder), max_to_keep=keep)
    ckpt.restore(manager.latest_checkpoint)
    step.assign_add(1)
    manager.save(checkpoint_number=int(step.numpy()))
    newest = [f"ckpt-{int(step.numpy()) - i}" for i in reversed(range(keep))]
    assert sorted(os.listdir(folder)) == sorted(["checkpoint"] + [n + ".npz" for n in newest])
    assert [os.path.basename(p) for p in manager.checkpoints] == newest


@needs_fork
@pytest.mark.parametrize("numbered, keep, kind", [(True, 1, "manager"), (False, 2, "manager"),
                                                  (True, 2, "saver")],
                         ids=["checkpoint_number, keep 1", "save_counter, keep 2",
                              "tf.compat.v1.train.Saver, keep 2"])
def test_a_job_killed_at_every_step_of_a_save_restarts_from_a_checkpoint_that_restores(
        tmp_path, numbered, keep, kind):
    folder, runs = run_driver(tmp_path, "steps", numbered, keep, kind)
    assert not runs[0]["killed"] and runs[0]["exit"] == 0              # the warm-up
    assert all(r["killed"] or r["exit"] == 0 for r in runs), runs      # no job failed
    assert sum(r["killed"] for r in runs) >= 12, runs
    found = 0
    for run in runs:
        step = what_a_restarted_job_finds(run["snapshot"], keep)
        assert step >= max(found, 3), (run, step, found)     # never back, never from scratch
        found = step
    a_clean_restart_saves_once(folder, keep)


@needs_fork
def test_a_job_killed_at_random_times_restarts_from_a_checkpoint_that_restores(tmp_path):
    folder, runs = run_driver(tmp_path, "timed", True, 1)
    assert not runs[0]["killed"] and runs[0]["exit"] == 0              # the warm-up
    assert len(runs) == 26 and all(r["killed"] for r in runs[1:]), runs
    found = 0
    for run in runs:
        step = what_a_restarted_job_finds(run["snapshot"], 1)
        assert step >= max(found, 3), (run, step, found)     # never back, never from scratch
        found = step
    a_clean_restart_saves_once(folder, 1)


# -- temporary files of live writers ---------------------------------------------------------

WRITER = r'''
import sys
import numpy as np
import janusgrad as tf

write_array = np.lib.format.write_array


def write_and_wait(*args, **kwargs):
    write_array(*args, **kwargs)
    print("writing", flush=True)
    sys.stdin.readline()


np.lib.format.write_array = write_and_wait
manager = tf.train.CheckpointManager(tf.train.Checkpoint(v=tf.Variable([7.0])), sys.argv[1],
                                     max_to_keep=5)
manager.save(checkpoint_number=7)
'''


def temporaries(folder):
    return sorted(n for n in os.listdir(folder) if n != "checkpoint" and not CKPT.fullmatch(n))


def test_a_save_never_removes_the_temporary_file_of_a_live_writer_in_another_process(tmp_path):
    writer = subprocess.Popen([sys.executable, "-c", WRITER, str(tmp_path)],
                              stdin=subprocess.PIPE, stdout=subprocess.PIPE, text=True)
    try:
        assert writer.stdout.readline() == "writing\n"
        busy = temporaries(tmp_path)
        assert len(busy) == 1
        v = tf.Variable([1.0])
        tf.train.CheckpointManager(tf.train.Checkpoint(v=v), str(tmp_path), 5).save(1)
        assert temporaries(tmp_path) == busy
        writer.stdin.write("\n" * 8)
        writer.stdin.close()
        assert writer.wait(timeout=60) == 0
    finally:
        writer.kill()
        writer.wait()
    assert temporaries(tmp_path) == []
    tf.train.Checkpoint(v=v).restore(str(tmp_path / "ckpt-7"))
    assert v.numpy()[0] == 7.0


def test_a_save_never_removes_the_temporary_file_of_a_live_writer_in_another_thread(
        tmp_path, monkeypatch):
    writing, go_on = threading.Event(), threading.Event()
    write_array = np.lib.format.write_array

    def write_and_wait(*args, **kwargs):
        write_array(*args, **kwargs)
        if threading.current_thread().name == "writer":
            writing.set()
            go_on.wait(30)

    monkeypatch.setattr(np.lib.format, "write_array", write_and_wait)
    v = tf.Variable([3.0])
    manager = tf.train.CheckpointManager(tf.train.Checkpoint(v=v), str(tmp_path), 5)
    errors = []
    writer = threading.Thread(target=lambda: errors.append(manager.save(checkpoint_number=3)),
                              name="writer")
    writer.start()
    try:
        assert writing.wait(30)
        busy = temporaries(tmp_path)
        assert len(busy) == 1
        tf.train.CheckpointManager(tf.train.Checkpoint(v=tf.Variable([1.0])), str(tmp_path),
                                   5).save(checkpoint_number=1)
        assert temporaries(tmp_path) == busy
    finally:
        go_on.set()
        writer.join(30)
    assert errors == [str(tmp_path / "ckpt-3")]
    assert temporaries(tmp_path) == []


# -- hostile and broken files ----------------------------------------------------------------

def npy_header(dtype, shape, version=(1, 0)):
    f = io.BytesIO()
    d = {"descr": np.lib.format.dtype_to_descr(np.dtype(dtype)), "fortran_order": False,
         "shape": tuple(shape)}
    (np.lib.format.write_array_header_1_0 if version == (1, 0) else
     np.lib.format.write_array_header_2_0)(f, d)
    return f.getvalue()


def raw_deflate(data):
    c = zlib.compressobj(9, zlib.DEFLATED, -15)
    return c.compress(data) + c.flush(zlib.Z_FULL_FLUSH)


def zip_file(members):
    """A zip of (name, method, compressed bytes, crc, size) members, written by hand: a member
    may inflate to far more than the file holds."""
    out, central = bytearray(), bytearray()
    for name, method, data, crc, size in members:
        name = name.encode()
        offset = len(out)
        out += struct.pack("<IHHHHHIIIHH", 0x04034B50, 20, 0, method, 0, 0x21, crc, len(data),
                           size, len(name), 0) + name + data
        central += struct.pack("<IHHHHHHIIIHHHHHII", 0x02014B50, 20, 20, 0, method, 0, 0x21,
                               crc, len(data), size, len(name), 0, 0, 0, 0, 0,
                               offset) + name
    n = len(members)
    return bytes(out + central + struct.pack("<IHHHHIIH", 0x06054B50, 0, 0, n, n,
                                             len(central), len(out), 0))


def stored(name, data):
    return name, zipfile.ZIP_STORED, data, zlib.crc32(data), len(data)


def meta():
    f = io.BytesIO()
    np.lib.format.write_array(f, np.array(ckpt_files.FORMAT))
    return stored("__janusgrad_checkpoint__.npy", f.getvalue())


BOMB_BYTES = 512 << 20
MIB = bytes(1 << 20)


@functools.lru_cache(maxsize=1)
def bomb_parts():
    """A deflate stream of a .npy header and 512 MiB of float32 zeros, as (header part, one
    MiB of zeros, the end), which take about half a megabyte in all; and its CRC."""
    header = npy_header(np.float32, (BOMB_BYTES // 4,))
    crc = zlib.crc32(header)
    for _ in range(BOMB_BYTES >> 20):
        crc = zlib.crc32(MIB, crc)
    return (raw_deflate(header), raw_deflate(MIB), zlib.compressobj(9, zlib.DEFLATED, -15).flush(),
            len(header), crc)


def bomb(name):
    """A member of 512 MiB of float32 zeros that takes about half a megabyte in the file."""
    head, mib, end, header_size, crc = bomb_parts()
    data = head + mib * (BOMB_BYTES >> 20) + end
    return name, zipfile.ZIP_DEFLATED, data, crc, header_size + BOMB_BYTES


def peak_bytes_of(fn):
    tracemalloc.start()
    try:
        fn()
    finally:
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    return peak


def test_the_bomb_is_what_it_claims():
    """The crafted member is a header declaring 512 MiB of float32, then 512 copies of a
    deflate block of one MiB of zeros (checked on one copy: inflating all takes seconds)."""
    head, mib, end, header_size, crc = bomb_parts()
    name, method, data, crc, size = bomb("v.npy")
    assert data == head + mib * 512 + end and len(data) < 1 << 20
    assert size == header_size + BOMB_BYTES
    one = zlib.decompressobj(-15)
    inflated = one.decompress(head + mib + end)
    assert one.eof and inflated[header_size:] == MIB
    f = io.BytesIO(inflated)
    assert np.lib.format.read_magic(f) == (1, 0)
    assert np.lib.format.read_array_header_1_0(f) == ((BOMB_BYTES // 4,), False,
                                                       np.dtype(np.float32))
    assert f.tell() == header_size


def test_a_huge_member_for_a_small_variable_is_refused_without_being_inflated(tmp_path):
    (tmp_path / "b.npz").write_bytes(zip_file([meta(), bomb("v.npy")]))
    v = tf.Variable([1.0, 2.0])

    def restore():
        with pytest.raises(ValueError, match=r"'v' has shape \[134217728\]"):
            tf.train.Checkpoint(v=v).restore(str(tmp_path / "b"))

    assert peak_bytes_of(restore) < 32 << 20
    np.testing.assert_array_equal(v.numpy(), [1.0, 2.0])


def test_a_huge_member_no_variable_needs_is_never_inflated(tmp_path):
    f = io.BytesIO()
    np.lib.format.write_array(f, np.array([5.0, 6.0], np.float32))
    (tmp_path / "b.npz").write_bytes(
        zip_file([meta(), stored("v.npy", f.getvalue()), bomb("unused.npy")]))
    v = tf.Variable([1.0, 2.0])
    status = []
    peak = peak_bytes_of(lambda: status.append(tf.train.Checkpoint(v=v).restore(
        str(tmp_path / "b"))))
    assert peak < 32 << 20
    np.testing.assert_array_equal(v.numpy(), [5.0, 6.0])
    with pytest.raises(AssertionError, match="unused"):
        status[0].assert_consumed()


@pytest.mark.parametrize("shape", [(10 ** 12,), (2 ** 40, 2 ** 40), (3, 10 ** 15, 0, 7), (-1,),
                                   (3,), (1,)], ids=str)
def test_a_member_whose_shape_does_not_fit_its_bytes_raises_data_loss_naming_it(tmp_path,
                                                                                shape):
    data = npy_header(np.float32, shape if shape != (-1,) else (5,)) + bytes(8)
    if shape == (-1,):
        data = data.replace(b"(5,), } ", b"(-1,), }")
    (tmp_path / "s.npz").write_bytes(zip_file([meta(), stored("v.npy", data)]))
    v = tf.Variable([1.0, 2.0])
    with pytest.raises(tf.errors.DataLossError, match="'v'.*nothing was restored"):
        tf.train.Checkpoint(v=v).restore(str(tmp_path / "s"))
    np.testing.assert_array_equal(v.numpy(), [1.0, 2.0])


def test_a_member_declaring_more_bytes_than_the_file_holds_raises_data_loss_naming_it(tmp_path):
    """3 GiB declared, 16 bytes stored, for a value that waits for a layer not built yet: it is
    refused from its sizes, before anything is allocated for it."""
    declared = 3 << 30
    header = npy_header(np.float32, (declared // 4,))
    name, method, data, crc, size = stored("layer/kernel.npy", header + bytes(16))
    (tmp_path / "d.npz").write_bytes(zip_file([meta(), (name, method, data, crc,
                                                        len(header) + declared)]))
    layer = tf.keras.layers.Dense(2)
    raised = []

    def restore():
        with pytest.raises(tf.errors.DataLossError) as e:
            tf.train.Checkpoint(layer=layer).restore(str(tmp_path / "d"))
        raised.append(str(e.value))

    assert peak_bytes_of(restore) < 32 << 20
    assert re.search("'layer/kernel' declares .* more than .* nothing was restored", raised[0])
    assert not layer.built and not layer._pending_restore


@pytest.mark.parametrize("content", [b"", b"not an array", b"\x93NUMPY\x01\x00\xff\xff{",
                                     npy_header(np.float32, (2,))[:-20],
                                     b"\x93NUMPY\x09\x00" + npy_header(np.float32, (2,))[8:]],
                         ids=["empty", "text", "header cut", "header truncated",
                              "unknown version"])
@pytest.mark.parametrize("name", ["v.npy", "v"])
def test_a_member_that_is_not_an_array_raises_data_loss_naming_it(tmp_path, content, name):
    (tmp_path / "n.npz").write_bytes(zip_file([meta(), stored(name, content)]))
    v = tf.Variable([1.0, 2.0])
    with pytest.raises(tf.errors.DataLossError, match="'v'.*nothing was restored"):
        tf.train.Checkpoint(v=v).restore(str(tmp_path / "n"))
    np.testing.assert_array_equal(v.numpy(), [1.0, 2.0])


def test_a_member_with_a_bad_crc_raises_data_loss_and_changes_nothing(tmp_path):
    f = io.BytesIO()
    np.lib.format.write_array(f, np.array([5.0, 6.0], np.float32))
    name, method, data, crc, size = stored("w.npy", f.getvalue())
    (tmp_path / "c.npz").write_bytes(zip_file([meta(), stored("v.npy", f.getvalue()),
                                               (name, method, data, crc ^ 1, size)]))
    v, w = tf.Variable([1.0, 2.0]), tf.Variable([3.0, 4.0])
    with pytest.raises(tf.errors.DataLossError, match="nothing was restored"):
        tf.train.Checkpoint(v=v, w=w).restore(str(tmp_path / "c"))
    np.testing.assert_array_equal(v.numpy(), [1.0, 2.0])
    np.testing.assert_array_equal(w.numpy(), [3.0, 4.0])
