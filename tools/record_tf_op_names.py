"""Record TensorFlow's default op names for tests/test_op_names.py: writes
tests/data/tf_op_names.json.

CI never runs this script: it needs TensorFlow 2.21 in a virtualenv outside the repository
(tools/record_tf_parity.py says how). From the repository root:

    ~/tfenv/bin/python tools/record_tf_op_names.py

Each case of tests/op_name_cases.py (every public op function of
tests/reliability/public_calls.py, the Python operators, a few more) is built in a fresh
tf.Graph (TF1 graph mode, no name scope) on constant inputs; the record is the names and types
of the ops it created and the names of its result tensors, or 'raises X' where TF cannot build
it (a name janusgrad has and TF lacks, or arguments TF takes otherwise).
"""
import json
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
from tests.op_name_cases import build, cases  # noqa: E402

OUT = os.path.join(ROOT, "tests", "data", "tf_op_names.json")


def main():
    import tensorflow as tf
    table = {}
    for name in cases():
        with tf.Graph().as_default():
            try:
                ops, outputs = build(tf, name)
            except Exception as e:             # noqa: BLE001 (recorded, not hidden)
                table[name] = {"raises": type(e).__name__}
                continue
        table[name] = {"outputs": outputs, "ops": ops}
    doc = {"recorded_with": {"tensorflow": tf.__version__}, "cases": table}
    with open(OUT, "w", encoding="utf-8") as fh:
        json.dump(doc, fh, indent=1, sort_keys=False)
        fh.write("\n")
    raised = sorted(n for n, v in table.items() if "raises" in v)
    print(f"wrote {OUT}: {len(table)} cases, TF could not build {raised}")


if __name__ == "__main__":
    main()
