"""Record what TensorFlow 2.21 writes for summaries: writes tests/data/tf_summaries.json, which
tests/test_summary.py compares janusgrad's summaries with.

CI never runs this script: it needs TensorFlow (the virtualenv of tools/record_tf_parity.py) and
TensorBoard 2.21 importable beside it (tf.summary's TF2 functions live in TensorBoard). Without
installing anything into that virtualenv, TensorBoard's wheel can be unpacked elsewhere:

    ~/tfenv/bin/pip download --no-deps -d /tmp/tb tensorboard==2.21.0
    python -m zipfile -e /tmp/tb/tensorboard-2.21.0-py3-none-any.whl /tmp/tb/site
    PYTHONPATH=/tmp/tb/site ~/tfenv/bin/python tools/record_tf_summaries.py

Recorded:
- "v1": for each case of V1_CASES, the bytes (hex) that Session.run returns for TF1's summary
  op (tf.compat.v1.summary.scalar / histogram / text) of a constant, built in a new tf.Graph,
  and for merge() of all of them;
- "v2": the events TF2's writer puts in its event file for V2_CASES (tf.summary.scalar /
  histogram / text under `with writer.as_default():`, eagerly), each as the tag, step, plugin
  name, tensor dtype (TF's enum), shape, and tensor_content (hex) or string_val (as text).
"""
import glob
import json
import os
import struct
import sys
import tempfile

import numpy as np

OUT = os.path.join(os.path.dirname(__file__), "..", "tests", "data", "tf_summaries.json")

# (kind, name, value): the values are plain lists so that the test can make the same tensors
R = np.random.default_rng(18)
NORMAL = np.round(R.standard_normal(50) * 3.0, 4).tolist()
V1_CASES = [
    ("scalar", "loss", 1.5),
    ("scalar", "int_value", 7),
    ("histogram", "two", [1.0, 2.0]),
    ("histogram", "normal", NORMAL),
    ("histogram", "signs_and_tiny", [-3.0, 0.0, 0.0, 5e-13, -2e-12, 7.0, 1e21]),
    ("histogram", "empty", []),
    ("text", "greeting", "hello"),
    ("text", "lines", ["a", "bc"]),
]
V2_CASES = [
    ("scalar", "loss", 0.25, 1, None),
    ("scalar", "int_value", 3, 2, None),
    ("histogram", "normal", NORMAL, 3, None),
    ("histogram", "three_buckets", [[1.0, 2.0], [3.0, 4.0]], 4, 3),
    ("histogram", "one_value", [5.0, 5.0], 5, 4),
    ("histogram", "empty", [], 6, 3),
    ("text", "greeting", "hello", 7, None),
    ("text", "lines", ["a", "bc"], 8, None),
]


def record_v1(tf):
    out = {}
    with tf.Graph().as_default():
        ops = []
        for kind, name, value in V1_CASES:
            fn = getattr(tf.compat.v1.summary, kind)
            ops.append(fn(name, tf.constant(value, dtype=tf.string if kind == "text"
                                            else tf.float32 if kind == "histogram" else None)))
        merged = tf.compat.v1.summary.merge(ops)
        with tf.compat.v1.Session() as sess:
            values = sess.run(ops + [merged])
    for (_, name, _), v in zip(V1_CASES, values):
        out[name] = v.hex()
    out["merged"] = values[-1].hex()
    return out


def read_events(path):
    from tensorboard.compat.proto import event_pb2
    with open(path, "rb") as f:
        data = f.read()
    i = 0
    while i < len(data):
        (n,) = struct.unpack("<Q", data[i:i + 8])
        yield event_pb2.Event.FromString(data[i + 12:i + 12 + n])
        i += 12 + n + 4


def record_v2(tf):
    events = []
    with tempfile.TemporaryDirectory() as d:
        writer = tf.summary.create_file_writer(d)
        with writer.as_default():
            for kind, name, value, step, buckets in V2_CASES:
                fn = getattr(tf.summary, kind)
                kw = {"buckets": buckets} if buckets is not None else {}
                value = tf.constant(value, dtype=tf.float32 if kind == "histogram" else None)
                fn(name, value, step=step, **kw)
        writer.close()
        (path,) = glob.glob(os.path.join(d, "events*"))
        for event in read_events(path):
            if not event.HasField("summary"):
                continue
            for v in event.summary.value:
                t = v.tensor
                events.append({
                    "tag": v.tag, "step": event.step,
                    "plugin": v.metadata.plugin_data.plugin_name,
                    "dtype": t.dtype, "shape": [d.size for d in t.tensor_shape.dim],
                    "content": t.tensor_content.hex(),
                    "strings": [s.decode() for s in t.string_val]})
    return events


def main():
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    import tensorflow as tf
    record = {"tensorflow": tf.__version__, "v1_cases": V1_CASES, "v2_cases": V2_CASES,
              "v1": record_v1(tf), "v2": record_v2(tf)}
    out = sys.argv[1] if len(sys.argv) > 1 else OUT
    with open(out, "w") as f:
        json.dump(record, f, indent=1)
        f.write("\n")
    print("wrote", out)


if __name__ == "__main__":
    main()
