"""Record real TensorFlow's results for tests/test_tf1_layers_losses.py: writes
tests/data/tf1_layers_losses.json.

CI never runs this script: it needs TensorFlow 2.21 with tf-keras, whose legacy layers are what
tf.compat.v1.layers is in TF 2.21 (TF_USE_LEGACY_KERAS=1 makes tf.keras tf-keras). From the
repository root:

    TF_USE_LEGACY_KERAS=1 ~/tfenv-keras/bin/python tools/record_tf1_layers.py

The cases are tests/tf1_layers_cases.py, the ones the test runs, here given
tensorflow.compat.v1; the regularizers' case is given Keras 3's keras.regularizers (what
tf.keras.regularizers is in TF 2.21 without TF_USE_LEGACY_KERAS). Floats are rounded to 7
significant digits. TF_ENABLE_ONEDNN_OPTS=0 as for the other records.
"""
import importlib.util
import json
import os
import sys

os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
if os.environ.get("TF_USE_LEGACY_KERAS") != "1":
    sys.exit("run with TF_USE_LEGACY_KERAS=1 (and tf-keras installed): tf.compat.v1.layers "
             "needs it")

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "tests", "data", "tf1_layers_losses.json")


def load_cases():
    spec = importlib.util.spec_from_file_location(
        "tf1_layers_cases", os.path.join(ROOT, "tests", "tf1_layers_cases.py"))
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def rounded(value):
    if isinstance(value, float):
        return float(f"{value:.7g}")
    if isinstance(value, list):
        return [rounded(v) for v in value]
    if isinstance(value, dict):
        return {k: rounded(v) for k, v in value.items()}
    return value


def main():
    import keras
    import tensorflow as tf

    cases = load_cases()
    record = {"recorded_with": {"tensorflow": tf.__version__, "keras": keras.__version__,
                                "legacy_keras": True}}
    # eagerly (Keras 3 regularizers give numbers), before the TF1 cases turn eager off
    record["regularizer_values"] = rounded(
        cases.regularizer_values(keras.regularizers, cases.K_DENSE))
    v1 = tf.compat.v1
    record["eager_layers"] = rounded(cases.eager_layers(v1))
    v1.disable_eager_execution()
    for case in cases.CASES:
        record[case.__name__] = rounded(case(v1))
    with open(OUT, "w", encoding="utf-8") as f:
        json.dump(record, f, indent=1, sort_keys=True)
        f.write("\n")
    print("wrote", OUT)


if __name__ == "__main__":
    main()
