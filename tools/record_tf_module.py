"""Record real TensorFlow's tf.Module behaviour for tests/test_module.py: runs each scenario of
tests/module_cases.py with TF as `tf` and writes tests/tf_module_expected.json.

CI never runs this script: it needs TensorFlow 2.21 (Keras 3), in a virtualenv outside the
repository. From the repository root:

    ~/tfenv/bin/python tools/record_tf_module.py
"""
import json
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("CUDA_VISIBLE_DEVICES", "")

import tensorflow as tf  # noqa: E402

from tests.module_cases import SCENARIOS  # noqa: E402


def main():
    results = {name: fn(tf) for name, fn in SCENARIOS.items()}
    out = os.path.join(ROOT, "tests", "tf_module_expected.json")
    with open(out, "w") as f:
        json.dump({"recorded_with": tf.__version__, "results": results}, f, indent=1,
                  ensure_ascii=False, sort_keys=True)
        f.write("\n")
    print("wrote", os.path.relpath(out, ROOT))


if __name__ == "__main__":
    main()
