"""Record the public names of TensorFlow's namespaces: writes tests/tf_names_expected.json,
which tools/docs_names.py reads so that the supported-names pages list TensorFlow's names only
(not the helpers a janusgrad module imports for its own use, such as `tf.keras.losses.cast`).

CI never runs this script: it needs TensorFlow 2.21 outside the repository. From the
repository root, once with Keras 3 and once with tf-keras (TF1-era `tf.keras.backend`):

    ~/tfenv/bin/python tools/record_tf_names.py
    TF_USE_LEGACY_KERAS=1 ~/tfenv-keras/bin/python tools/record_tf_names.py

Each run replaces its own entry ("keras3" or "tf_keras") and keeps the other. For every
namespace of tools/docs_names.py it records dir() of TF's module (public names only) and of
its tf.compat.v1 counterpart, whose names janusgrad also offers (TF1 programs' `tf.Session`,
`tf.train.AdamOptimizer`).
"""
import json
import os
import pathlib
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("CUDA_VISIBLE_DEVICES", "")

ROOT = pathlib.Path(__file__).resolve().parent.parent
OUT = ROOT / "tests" / "tf_names_expected.json"
sys.path.insert(0, str(ROOT / "tools"))
from docs_names import NAMESPACES, tf_counterparts  # noqa: E402  (no janusgrad import)


def public_names(tf, dotted):
    obj = tf
    for part in dotted.split(".")[1:]:
        obj = getattr(obj, part, None)
        if obj is None:
            return None
    try:
        return sorted(n for n in dir(obj) if not n.startswith("_"))
    except ImportError:     # Keras 3's tf.compat.v1.keras cannot load (tf-keras's run has it)
        return None


def main():
    import tensorflow as tf
    flavor = "tf_keras" if os.environ.get("TF_USE_LEGACY_KERAS") == "1" else "keras3"
    record = {}
    for dotted in NAMESPACES:
        for where in tf_counterparts(dotted):
            names = public_names(tf, where)
            if names is not None:
                record[where] = names
    data = json.loads(OUT.read_text(encoding="utf-8")) if OUT.exists() else {}
    data[flavor] = {"tensorflow": tf.__version__, "keras": tf.keras.__name__,
                    "namespaces": record}
    OUT.write_text(json.dumps(data, indent=0, sort_keys=True) + "\n", encoding="utf-8")
    print(f"{OUT.relative_to(ROOT)}: {flavor}, {len(record)} namespaces")


if __name__ == "__main__":
    main()
