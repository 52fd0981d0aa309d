"""Record TensorFlow 2.21's tf.image results for tests/test_image.py: writes
tests/data/tf_image.json. CI never runs this (it needs TF outside the repository):

    ~/tfenv/bin/python tools/record_tf_image.py

The inputs are made here from a fixed seed and stored beside the results."""
import json
import os

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "tests", "data", "tf_image.json")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")


def inputs():
    r = np.random.default_rng(18)
    return {
        "float": r.uniform(0, 1, (2, 3, 4, 3)).astype(np.float32),
        "uint8": r.integers(0, 256, (3, 4, 3)).astype(np.uint8),
        "int16": r.integers(-3000, 32000, (5,)).astype(np.int16),
        "over": np.array([-0.2, 0.1, 0.5, 1.2], np.float32),
    }


CASES = {   # name -> (function name, input, kwargs)
    "flip_left_right": ("flip_left_right", "float", {}),
    "flip_up_down": ("flip_up_down", "float", {}),
    "flip_left_right_3d": ("flip_left_right", "uint8", {}),
    "standardize": ("per_image_standardization", "float", {}),
    "standardize_uint8": ("per_image_standardization", "uint8", {}),
    "gray": ("rgb_to_grayscale", "float", {}),
    "gray_uint8": ("rgb_to_grayscale", "uint8", {}),
    "uint8_to_float": ("convert_image_dtype", "uint8", {"dtype": "float32"}),
    "uint8_to_int16": ("convert_image_dtype", "uint8", {"dtype": "int16"}),
    "int16_to_uint8": ("convert_image_dtype", "int16", {"dtype": "uint8"}),
    "float_to_uint8": ("convert_image_dtype", "float", {"dtype": "uint8"}),
    "float_to_float64": ("convert_image_dtype", "float", {"dtype": "float64"}),
    "saturate": ("convert_image_dtype", "over", {"dtype": "uint8", "saturate": True}),
}


def main():
    import tensorflow as tf
    xs = inputs()
    out = {}
    for case, (fn, x, kwargs) in CASES.items():
        y = getattr(tf.image, fn)(xs[x], **kwargs)
        out[case] = {"dtype": y.dtype.name, "value": y.numpy().tolist()}
    with open(OUT, "w", encoding="utf-8") as fh:
        json.dump({"recorded_with": {"tensorflow": tf.__version__}, "cases": out}, fh)
        fh.write("\n")
    print(f"wrote {OUT}: {len(out)} cases")


if __name__ == "__main__":
    main()
