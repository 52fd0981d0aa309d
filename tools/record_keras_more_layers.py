"""Record Keras 3 (TF 2.21) results for tests/test_keras_more_layers.py into
tests/keras_more_layers_expected.py. Run with TF's interpreter:

    ~/tfenv/bin/python tools/record_keras_more_layers.py

Each layer runs on a deterministic input (`seq`); "grad" is d sum(y * w)/dx for a
deterministic w of y's shape, from a GradientTape. Errors are recorded as (class, message)."""
import os
import pprint

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402

keras = tf.keras
L = keras.layers
OUT = os.path.join(os.path.dirname(__file__), "..", "tests", "keras_more_layers_expected.py")


def seq(shape, a=0.7, s=1.0):
    n = int(np.prod(shape))
    return (np.sin(np.arange(n) * a) * s).reshape(shape).astype(np.float32)


X4 = seq((2, 3, 4, 2), 0.7, 3.0)
X2 = seq((2, 3), 1.1, 2.0)

# (key, constructor source, input name): the test evaluates the same source with janusgrad
CASES = [
    ("leaky_default", "L.LeakyReLU()", "X4"),
    ("leaky_slope", "L.LeakyReLU(negative_slope=0.05)", "X4"),
    ("relu_default", "L.ReLU()", "X4"),
    ("relu_full", "L.ReLU(max_value=2.0, negative_slope=0.1, threshold=0.5)", "X4"),
    ("relu_max6", "L.ReLU(max_value=6.0)", "X4"),
    ("relu_slope", "L.ReLU(negative_slope=0.2)", "X4"),
    ("elu_default", "L.ELU()", "X4"),
    ("elu_alpha", "L.ELU(alpha=0.5)", "X4"),
    ("gmax", "L.GlobalMaxPooling2D()", "X4"),
    ("gmax_keep", "L.GlobalMaxPool2D(keepdims=True)", "X4"),
    ("up_default", "L.UpSampling2D()", "X4"),
    ("up_23", "L.UpSampling2D(size=(2, 3))", "X4"),
    ("zpad_default", "L.ZeroPadding2D()", "X4"),
    ("zpad_pairs", "L.ZeroPadding2D(((1, 2), (0, 1)))", "X4"),
    ("zpad_int", "L.ZeroPadding2D(2)", "X4"),
    ("crop_pairs", "L.Cropping2D(((1, 0), (0, 2)))", "X4"),
    ("crop_int", "L.Cropping2D(1)", "X4"),
    ("permute", "L.Permute((3, 1, 2))", "X4"),
    ("permute_21", "L.Permute((2, 1))", "X4[:, :, :, 0]"),
    ("repeat", "L.RepeatVector(3)", "X2"),
]

CONFIG_KEYS = {"leaky_slope": ["negative_slope"], "relu_full": ["max_value", "negative_slope",
               "threshold"], "elu_alpha": ["alpha"], "gmax_keep": ["keepdims"],
               "up_23": ["size", "interpolation"], "zpad_int": ["padding"],
               "crop_int": ["cropping"], "permute": ["dims"], "repeat": ["n"]}

ERRORS = [
    ("repeat_ndim", "L.RepeatVector(3)(X4[:, 0])"),
    ("repeat_float", "L.RepeatVector(2.0)"),
    ("permute_dims", "L.Permute((1, 3))"),
    ("permute_ndim", "L.Permute((2, 1))(X2)"),
    ("relu_max", "L.ReLU(max_value=-1.0)"),
    ("relu_slope", "L.ReLU(negative_slope=-1.0)"),
    ("relu_threshold", "L.ReLU(threshold=-1.0)"),
    ("leaky_slope", "L.LeakyReLU(negative_slope=-1.0)"),
    ("zpad_three", "L.ZeroPadding2D((1, 2, 3))"),
    ("crop_three", "L.Cropping2D((1, 2, 3))"),
    ("gmax_ndim", "L.GlobalMaxPooling2D()(X2)"),
    ("up_ndim", "L.UpSampling2D()(X2)"),
]

R = {}
for key, src, xin in CASES:
    layer = eval(src)
    x = tf.constant(eval(xin))
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = layer(x)
        w = tf.constant(seq(y.shape, 0.37))
        s = tf.reduce_sum(y * w)
    R[key] = {"y": y.numpy().tolist(), "shape": list(y.shape),
              "grad": tape.gradient(s, x).numpy().tolist(),
              "config": {k: layer.get_config()[k] for k in CONFIG_KEYS.get(key, [])}}

for key, src in ERRORS:
    try:
        eval(src)
        R["error_" + key] = None
    except Exception as e:      # noqa: BLE001 (recording whichever class Keras raises)
        msg = str(e).split("\n")[0] if "Exception encountered" not in str(e) else \
            str(e).split("\n")[2]
        R["error_" + key] = [type(e).__name__, msg.replace("\x1b[1m", "").replace("\x1b[0m", "")]

cat = keras.utils.to_categorical
R["cat_list"] = cat([1, 0, 2]).tolist()
R["cat_dtype"] = str(cat([1, 0, 2]).dtype)
R["cat_trailing1"] = cat([[1], [2]]).tolist()
R["cat_2d_shape"] = list(cat(np.array([[1, 2], [0, 1]])).shape)
R["cat_num_classes"] = cat([1, 2], num_classes=4).tolist()
R["cat_negative"] = cat([-1, 0], num_classes=3).tolist()
R["cat_float_ids"] = cat([1.7, 2]).tolist()
t = cat(tf.constant([1, 0, 2]), num_classes=3)
R["cat_tensor"] = [t.dtype.name, t.numpy().tolist()]

with open(OUT, "w") as f:
    f.write('"""Keras 3 / TF 2.21 results, recorded by tools/record_keras_more_layers.py: '
            'do not edit."""\n')
    f.write(f"KERAS_VERSION = {keras.__version__!r}\n")
    f.write("CASES = ")
    f.write(pprint.pformat(CASES, width=99))
    f.write("\nERRORS = ")
    f.write(pprint.pformat(ERRORS, width=99))
    f.write("\nR = ")
    f.write(pprint.pformat(R, width=99))
    f.write("\n")
print("wrote", OUT)
