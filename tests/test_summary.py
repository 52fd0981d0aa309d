"""tf.summary (TF2) and tf.compat.v1.summary (TF1): the summaries TF 2.21 writes
(tests/data/tf_summaries.json, recorded by tools/record_tf_summaries.py), event files read back
record by record, and programs that log running without the `tensorboard` extra."""
import glob
import json
import os
import pathlib
import struct
import sys
import warnings

import numpy as np
import pytest

import janusgrad as tf
import janusgrad.summary  # noqa: F401  (its ops registered before conftest's registry snapshot)
from janusgrad.summaries import events

RECORD = json.loads((pathlib.Path(__file__).parent / "data" / "tf_summaries.json").read_text())


@pytest.fixture
def pb():
    pytest.importorskip("tensorboardX")
    return events.protos()


@pytest.fixture
def no_extra(monkeypatch):
    """As if tensorboardX were not installed (and not looked for yet)."""
    for name in [m for m in sys.modules if m.split(".")[0] == "tensorboardX"] + ["tensorboardX"]:
        monkeypatch.setitem(sys.modules, name, None)
    monkeypatch.setattr(events, "_PB", [])


def read_events(path):
    """The Events of an event file, each record's length and data checked by their masked
    CRC-32C (TFRecord framing), parsed with tensorboardX's Event."""
    from tensorboardX.crc32c import crc32c
    from tensorboardX.proto.event_pb2 import Event

    def masked(data):
        crc = crc32c(data)
        return (((crc >> 15) | (crc << 17)) + 0xA282EAD8) & 0xFFFFFFFF
    data = pathlib.Path(path).read_bytes()
    out, i = [], 0
    while i < len(data):
        header = data[i:i + 8]
        (n,) = struct.unpack("<Q", header)
        assert struct.unpack("<I", data[i + 8:i + 12])[0] == masked(header)
        body = data[i + 12:i + 12 + n]
        assert struct.unpack("<I", data[i + 12 + n:i + 16 + n])[0] == masked(body)
        out.append(Event.FromString(body))
        i += 16 + n
    return out


def event_files(logdir):
    return sorted(glob.glob(os.path.join(str(logdir), "events.out.tfevents.*")))


def summary_events(path):
    return [e for e in read_events(path) if e.HasField("summary")]


# -- TF1: the ops and what they serialize ---------------------------------------------------------

def _v1_ops():
    ops = []
    for kind, name, value in RECORD["v1_cases"]:
        dtype = tf.string if kind == "text" else tf.float32 if kind == "histogram" else None
        ops.append(getattr(tf.compat.v1.summary, kind)(name, tf.constant(value, dtype=dtype)))
    return ops


def test_v1_summaries_serialize_as_tensorflow_does(pb):
    with tf.Graph().as_default():
        ops = _v1_ops()
        merged = tf.compat.v1.summary.merge(ops)
        assert [op.op.type for op in ops[:3]] == ["ScalarSummary", "ScalarSummary",
                                                  "HistogramSummary"]
        assert ops[-1].op.type == "TensorSummaryV2" and merged.op.type == "MergeSummary"
        with tf.compat.v1.Session() as sess:
            values = sess.run(ops + [merged])
    for (_, name, _), got in zip(RECORD["v1_cases"], values):
        assert isinstance(got, bytes)
        assert got.hex() == RECORD["v1"][name], name
    assert values[-1].hex() == RECORD["v1"]["merged"]


def test_v1_scalar_eagerly_is_its_serialized_summary(pb):
    with pytest.warns(UserWarning, match="default summary writer not found"):
        s = tf.compat.v1.summary.scalar("loss", 1.5)
    assert s.dtype == tf.string and s.numpy().item() == bytes.fromhex(RECORD["v1"]["loss"])


def test_v1_names_tags_and_collections_follow_tf():
    with tf.Graph().as_default() as g:
        x = tf.compat.v1.placeholder(tf.float32, [])
        with tf.name_scope("train"):
            a = tf.compat.v1.summary.scalar("loss", x)
            b = tf.compat.v1.summary.scalar("loss", x)
        c = tf.compat.v1.summary.histogram("bad name!", x, family="fam")
        assert (a.name, b.name, c.name) == ("train/loss:0", "train/loss_1:0", "fam/bad_name_:0")
        assert a.op.inputs[0].op.name == "train/loss/tags" and a.dtype == tf.string
        assert g.get_collection("summaries") == [a, b, c]
        assert tf.compat.v1.summary.merge_all().name == "Merge/MergeSummary:0"
        assert tf.compat.v1.summary.merge([a], name="mm").name == "mm/mm:0"
        assert tf.compat.v1.summary.merge_all(key="nothing") is None
        tags = [tf.compat.v1.Session().run(t.op.inputs[0]) for t in (a, b, c)]
        assert tags == [b"train/loss", b"train/loss_1", b"fam/fam/bad_name_"]


def test_v1_bad_input_raises_tf_classes():
    with tf.Graph().as_default():
        with pytest.raises(ValueError, match="scalar"):
            tf.compat.v1.summary.scalar("v", tf.constant([1.0, 2.0]))
        with pytest.raises(TypeError, match="name"):
            tf.compat.v1.summary.scalar(3, tf.constant(1.0))
        with pytest.raises(TypeError, match="MergeSummary"):
            tf.compat.v1.summary.merge([tf.constant(1.0)])
        p = tf.compat.v1.placeholder(tf.float32, [None])
        s = tf.compat.v1.summary.scalar("vv", p)        # an unknown shape: checked when run
        h = tf.compat.v1.summary.histogram("h", p)
        with tf.compat.v1.Session() as sess:
            with pytest.raises(tf.errors.InvalidArgumentError, match="same shape"):
                sess.run(s, {p: [1.0, 2.0]})
            with pytest.raises(tf.errors.InvalidArgumentError, match="Nan in summary histogram"):
                sess.run(h, {p: [1.0, np.nan]})
            x1 = tf.compat.v1.summary.scalar("x", 1.0)
            with pytest.raises(tf.errors.InvalidArgumentError, match="Duplicate tag"):
                sess.run(tf.compat.v1.summary.merge([x1, tf.identity(x1)]))
    for call in (tf.compat.v1.summary.merge_all, lambda: tf.compat.v1.summary.merge([]),
                 lambda: tf.compat.v1.summary.FileWriter("/tmp/never")):
        with pytest.raises(RuntimeError, match="eager"):
            call()


def test_file_writer_writes_what_session_run_fetched(pb, tmp_path):
    with tf.Graph().as_default() as g:
        x = tf.compat.v1.placeholder(tf.float32, [])
        tf.compat.v1.summary.scalar("loss", x)
        tf.compat.v1.summary.histogram("w", tf.constant([1.0, 2.0]))
        merged = tf.compat.v1.summary.merge_all()
        with tf.compat.v1.Session() as sess:
            writer = tf.compat.v1.summary.FileWriter(str(tmp_path / "v1"), sess.graph)
            for step, loss in enumerate([0.5, 0.25, 0.125]):
                writer.add_summary(sess.run(merged, {x: loss}), global_step=step)
            summary = tf.compat.v1.summary.Summary(
                value=[tf.compat.v1.summary.Summary.Value(tag="manual", simple_value=9.0)])
            writer.add_summary(summary, 10)
            writer.close()
    (path,) = event_files(tmp_path / "v1")
    evs = read_events(path)
    assert evs[0].file_version == "brain.Event:2"
    graph = pb.GraphDef.FromString(evs[1].graph_def)
    assert [(n.name, n.op) for n in graph.node] == [(op.name, op.type)
                                                    for op in g.get_operations()]
    got = [(e.step, [(v.tag, v.simple_value) for v in e.summary.value if not v.HasField("histo")])
           for e in evs[2:]]
    assert got == [(0, [("loss", 0.5)]), (1, [("loss", 0.25)]), (2, [("loss", 0.125)]),
                   (10, [("manual", 9.0)])]
    histo = evs[2].summary.value[1].histo
    assert (histo.num, histo.sum, histo.min, histo.max) == (2, 3.0, 1.0, 2.0)


# -- TF2 -------------------------------------------------------------------------------------------

def test_v2_summaries_write_what_tensorflow_writes(pb, tmp_path):
    writer = tf.summary.create_file_writer(str(tmp_path))
    with writer.as_default():
        for kind, name, value, step, buckets in RECORD["v2_cases"]:
            kw = {"buckets": buckets} if buckets is not None else {}
            value = tf.constant(value, dtype=tf.float32 if kind == "histogram" else None)
            assert getattr(tf.summary, kind)(name, value, step=step, **kw).numpy() == np.True_
    writer.close()
    (path,) = event_files(tmp_path)
    assert path.endswith(".v2")
    got = []
    for e in summary_events(path):
        for v in e.summary.value:
            t = v.tensor
            got.append({"tag": v.tag, "step": e.step,
                        "plugin": v.metadata.plugin_data.plugin_name, "dtype": t.dtype,
                        "shape": [d.size for d in t.tensor_shape.dim],
                        "content": t.tensor_content.hex(),
                        "strings": [s.decode() for s in t.string_val]})
    assert got == RECORD["v2"]


def _scalars(path):
    out = []
    for e in summary_events(path):
        for v in e.summary.value:
            out.append((v.tag, e.step, float(np.frombuffer(v.tensor.tensor_content,
                                                           np.float32)[0])))
    return out


def test_v2_default_writer_step_scopes_and_record_if(pb, tmp_path):
    writer = tf.summary.create_file_writer(str(tmp_path))
    assert tf.summary.scalar("nowhere", 1.0, step=1).numpy() == np.False_   # no default writer
    with writer.as_default(step=3):
        assert tf.summary.experimental.get_step() == 3
        with tf.name_scope("train"):
            tf.summary.scalar("loss", 0.5)
            tf.summary.scalar("loss", tf.Variable(0.75))
        with tf.summary.record_if(False):
            assert tf.summary.scalar("skipped", 1.0).numpy() == np.False_
            assert tf.summary.should_record_summaries().numpy() == np.False_
        with tf.summary.record_if(lambda: tf.constant(True)):
            tf.summary.scalar("kept", 2.0, step=tf.constant(4, tf.int64))
        assert tf.summary.flush() is None
    assert tf.summary.experimental.get_step() is None
    tf.summary.experimental.set_step(5)
    try:
        with writer.as_default():
            tf.summary.scalar("set_step", 3)
    finally:
        tf.summary.experimental.set_step(None)
    writer.close()
    assert _scalars(event_files(tmp_path)[0]) == [
        ("train/loss", 3, 0.5), ("train/loss", 3, 0.75), ("kept", 4, 2.0), ("set_step", 5, 3.0)]


def test_v2_summaries_inside_tf_function_write_on_each_call(pb, tmp_path):
    writer = tf.summary.create_file_writer(str(tmp_path))

    @tf.function
    def train_step(x, step):
        with writer.as_default():
            tf.summary.histogram("x", x, step=step)
            return tf.summary.scalar("mean", tf.reduce_mean(x), step=step)
    for step in range(3):
        assert train_step(tf.constant([1.0, 2.0, 6.0]) * step,
                          tf.constant(step, tf.int64)).numpy() == np.True_
    writer.flush()
    got = [(t, s, v) for t, s, v in _scalars(event_files(tmp_path)[0]) if t == "mean"]
    assert got == [("mean", 0, 0.0), ("mean", 1, 3.0), ("mean", 2, 6.0)]
    histos = [v for e in summary_events(event_files(tmp_path)[0]) for v in e.summary.value
              if v.tag == "x"]
    counts = np.frombuffer(histos[2].tensor.tensor_content, np.float64).reshape(30, 3)
    assert counts[0, 0] == 2.0 and counts[-1, 1] == 12.0 and counts[:, 2].sum() == 3


def test_v1_summaries_eagerly_go_to_the_default_writer(pb, tmp_path):
    writer = tf.summary.create_file_writer(str(tmp_path))
    with writer.as_default(step=7):
        s = tf.compat.v1.summary.scalar("v1_loss", 0.5)
        assert s.numpy().item() == b""             # written through the TF2 writer, as TF's
    writer.close()
    assert _scalars(event_files(tmp_path)[0]) == [("v1_loss", 7, 0.5)]


def test_v2_bad_input_raises_tf_classes(tmp_path):
    with pytest.raises(ValueError, match="logdir"):
        tf.summary.create_file_writer(None)
    writer = tf.summary.create_noop_writer()
    with writer.as_default():
        with pytest.raises(ValueError, match="No step set"):
            tf.summary.scalar("x", 1.0)
        with pytest.raises(ValueError, match="Expected scalar shape"):
            tf.summary.scalar("x", [1.0, 2.0], step=1)
        for step in (2.5, "x"):
            with pytest.raises(TypeError, match="step"):
                tf.summary.scalar("x", 1.0, step=step)
        with pytest.raises(NotImplementedError, match="string"):
            tf.summary.scalar("x", "abc", step=1)
    writer.close()
    with pytest.raises(RuntimeError, match="closed"):
        writer.as_default()


# -- without the extra --------------------------------------------------------------------------

def test_without_tensorboardx_programs_that_log_still_run(no_extra, tmp_path):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        writer = tf.summary.create_file_writer(str(tmp_path / "v2"))
        with writer.as_default(step=1):
            assert tf.summary.scalar("loss", 1.0).numpy() == np.True_
            tf.summary.histogram("h", [1.0, 2.0])
        writer.close()
        with tf.Graph().as_default():
            s = tf.compat.v1.summary.scalar("loss", tf.constant(1.0))
            merged = tf.compat.v1.summary.merge_all()
            with tf.compat.v1.Session() as sess:
                fw = tf.compat.v1.summary.FileWriter(str(tmp_path / "v1"), sess.graph)
                value = sess.run(merged)
                fw.add_summary(value, 1)
                fw.close()
            assert s.op.type == "ScalarSummary" and value == b""
    dropped = [w for w in caught if "tensorboard" in str(w.message)]
    assert len(dropped) == 1 and issubclass(dropped[0].category, UserWarning)
    assert "pip install 'janusgrad[tensorboard]'" in str(dropped[0].message)
    assert event_files(tmp_path / "v2") == [] and event_files(tmp_path / "v1") == []
    with pytest.raises(AttributeError, match="tensorboard"):
        tf.compat.v1.summary.Summary


def test_summary_ops_have_no_gradient():
    with tf.Graph().as_default():
        x = tf.compat.v1.placeholder(tf.float32, [])
        s = tf.compat.v1.summary.scalar("x", x)
        assert tf.gradients(s, x) == [None]
