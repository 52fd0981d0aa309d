"""Record Keras 3 (TF 2.21) constraint results for tests/test_keras_constraints.py into
tests/keras_constraints_expected.py. Run with TF's interpreter:

    ~/tfenv/bin/python tools/record_keras_constraints.py
"""
import os
import pprint

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402

keras = tf.keras
C = keras.constraints
OUT = os.path.join(os.path.dirname(__file__), "..", "tests", "keras_constraints_expected.py")


def seq(shape, a=0.7, s=1.0):
    n = int(np.prod(shape))
    return (np.sin(np.arange(n) * a) * s).reshape(shape).astype(np.float32)


W = seq((3, 4), 0.9, 2.5)
CASES = [
    ("max_norm", "C.MaxNorm()"),
    ("max_norm_1_axis1", "C.MaxNorm(max_value=1.0, axis=1)"),
    ("non_neg", "C.NonNeg()"),
    ("unit_norm", "C.UnitNorm()"),
    ("unit_norm_axis1", "C.UnitNorm(axis=1)"),
    ("min_max", "C.MinMaxNorm()"),
    ("min_max_full", "C.MinMaxNorm(min_value=1.5, max_value=2.0, rate=0.5, axis=[0, 1])"),
    ("get_name", "C.get('max_norm')"),
    ("get_class_name", "C.get('UnitNorm')"),
    ("get_dict", "C.get({'class_name': 'MaxNorm', 'config': {'max_value': 1.5, 'axis': 0}})"),
]
R = {}
for key, src in CASES:
    c = eval(src)
    R[key] = {"class": type(c).__name__, "config": c.get_config(),
              "w": np.asarray(c(tf.constant(W))).tolist()}
try:
    C.get("foo")
except ValueError as e:
    R["get_bad"] = str(e)

# a Dense layer with constraints, trained by SGD a step: the optimizer projects after the update
keras.utils.set_random_seed(0)
layer = keras.layers.Dense(3, kernel_constraint="max_norm", bias_constraint=C.NonNeg())
x = seq((5, 4), 1.3, 2.0)
layer(x)
layer.set_weights([seq((4, 3), 0.4, 3.0), seq((3,), 0.8)])
opt = keras.optimizers.SGD(0.5)
with tf.GradientTape() as tape:
    loss = tf.reduce_sum(layer(x) ** 2)
opt.apply_gradients(zip(tape.gradient(loss, layer.trainable_variables),
                        layer.trainable_variables))
R["dense_step"] = [w.tolist() for w in layer.get_weights()]
R["dense_config"] = [layer.get_config()["kernel_constraint"],
                     layer.get_config()["bias_constraint"]]

with open(OUT, "w") as f:
    f.write('"""Keras 3 / TF 2.21 results, recorded by tools/record_keras_constraints.py: '
            'do not edit."""\n')
    f.write("CASES = ")
    f.write(pprint.pformat(CASES, width=99))
    f.write("\nR = ")
    f.write(pprint.pformat(R, width=99))
    f.write("\n")
print("wrote", OUT)
