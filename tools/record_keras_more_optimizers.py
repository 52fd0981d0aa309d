"""Record Keras 3 (TF 2.21) Adagrad and AdamW trajectories for
tests/test_keras_more_optimizers.py into tests/keras_more_optimizers_expected.py. Run with
TF's interpreter:

    ~/tfenv/bin/python tools/record_keras_more_optimizers.py

Each case: two variables, five apply_gradients steps of a fixed loss, the values after each."""
import os
import pprint

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
import tensorflow as tf  # noqa: E402

keras = tf.keras
optimizers = keras.optimizers
OUT = os.path.join(os.path.dirname(__file__), "..", "tests", "keras_more_optimizers_expected.py")

CASES = [
    ("adagrad", "optimizers.Adagrad(learning_rate=0.1)"),
    ("adagrad_opts", "optimizers.Adagrad(learning_rate=0.05, initial_accumulator_value=0.5, "
                     "epsilon=1e-3)"),
    ("adagrad_clip", "optimizers.Adagrad(learning_rate=0.2, clipnorm=0.5, weight_decay=0.1)"),
    ("adamw", "optimizers.AdamW(learning_rate=0.1)"),
    ("adamw_opts", "optimizers.AdamW(learning_rate=0.05, weight_decay=0.2, beta_1=0.8, "
                   "beta_2=0.99, epsilon=1e-4, amsgrad=True)"),
]


def loss_fn(a, b):
    return tf.reduce_sum((a - tf.constant([1.0, -2.0, 0.5])) ** 2 * tf.constant([1.0, 3.0, 0.2])) \
        + tf.reduce_sum(tf.sin(b) * b)


R = {"names": [optimizers.Adagrad().name, optimizers.AdamW().name]}   # first: Keras numbers repeats
for key, src in CASES:
    opt = eval(src)
    a = tf.Variable([0.3, 0.1, -0.7])
    b = tf.Variable([[0.5, -1.2], [2.0, 0.1]])
    steps = []
    for _ in range(5):
        with tf.GradientTape() as tape:
            loss = loss_fn(a, b)
        opt.apply_gradients(zip(tape.gradient(loss, [a, b]), [a, b]))
        steps.append([a.numpy().tolist(), b.numpy().tolist()])
    R[key] = steps
try:
    optimizers.AdamW(weight_decay=None)
except ValueError as e:
    R["adamw_none"] = str(e)

with open(OUT, "w") as f:
    f.write('"""Keras 3 / TF 2.21 results, recorded by tools/record_keras_more_optimizers.py: '
            'do not edit."""\n')
    f.write("CASES = ")
    f.write(pprint.pformat(CASES, width=99))
    f.write("\nR = ")
    f.write(pprint.pformat(R, width=99))
    f.write("\n")
print("wrote", OUT)
