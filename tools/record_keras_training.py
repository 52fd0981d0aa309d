"""Record Keras 3 (TensorFlow 2.21)'s results for tests/keras_training_cases.py into
tests/keras_training_recorded.json. Run with a Python that has TensorFlow (outside the
repository's environment; CI never runs it):

    ~/tfenv/bin/python tools/record_keras_training.py
"""
import json
import os
import sys

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, "..", "tests"))

import tensorflow as tf  # noqa: E402

import keras_training_cases  # noqa: E402


def main():
    out = {"tensorflow": tf.__version__, "keras": tf.keras.__version__}
    for name, case in keras_training_cases.CASES.items():
        out[name] = case(tf)
    path = os.path.join(HERE, "..", "tests", "keras_training_recorded.json")
    with open(path, "w") as f:
        json.dump(out, f, indent=1, sort_keys=True)
        f.write("\n")
    print("wrote", path)


if __name__ == "__main__":
    main()
