# BinaryNet / XNOR-style binarisation (TF2): sign() forward with the straight-through estimator
# cancelled outside |x| <= 1 (hard tanh), written with tf.custom_gradient, for both weights and
# activations of a small Keras model trained with Adam; plus the identity STE via stop_gradient.
import json

import numpy as np
import tensorflow as tf


@tf.custom_gradient
def binarize_ste(x):
    def grad(dy):
        return dy * tf.cast(tf.abs(x) <= 1.0, dy.dtype)

    return tf.where(x >= 0, tf.ones_like(x), -tf.ones_like(x)), grad


def binarize_identity(x):
    return x + tf.stop_gradient(tf.sign(x) - x)


class BinaryDense(tf.keras.layers.Layer):
    def __init__(self, units, kernel, **kwargs):
        super().__init__(**kwargs)
        self.units = units
        self.kernel_init = kernel

    def build(self, input_shape):
        self.kernel = self.add_weight(
            name="kernel",
            shape=(input_shape[-1], self.units),
            initializer=tf.keras.initializers.Constant(self.kernel_init),
        )
        self.scale = self.add_weight(name="scale", shape=(self.units,), initializer="ones")

    def call(self, x):
        # a Keras 3 variable passed straight in is read inside the custom_gradient function
        # through the tf.Variable it wraps, which TF counts as a variable the function uses, and
        # then asks grad to take `variables=` (TypeError): binarise a tensor of its value instead
        return tf.matmul(x, binarize_ste(tf.convert_to_tensor(self.kernel))) * self.scale


rng = np.random.default_rng(25)
X = np.sign(rng.normal(size=(64, 8))).astype(np.float32)
Y = (X[:, :1] * X[:, 1:2] + X[:, 2:3] > 0).astype(np.float32)
layer1 = BinaryDense(16, rng.uniform(-1, 1, size=(8, 16)).astype(np.float32), name="bin1")
layer2 = BinaryDense(1, rng.uniform(-1, 1, size=(16, 1)).astype(np.float32), name="bin2")
optimizer = tf.keras.optimizers.Adam(0.01)
bce = tf.keras.losses.BinaryCrossentropy(from_logits=True)

probe = tf.constant([-1.5, -1.0, -0.3, 0.0, 0.4, 1.0, 2.0])
with tf.GradientTape(persistent=True) as tape:
    tape.watch(probe)
    b1 = binarize_ste(probe)
    b2 = binarize_identity(probe)
print("probe_forward:", json.dumps([b1.numpy().tolist(), b2.numpy().tolist()]))
print(
    "probe_grads:",
    json.dumps(
        [tape.gradient(b1, probe).numpy().tolist(), tape.gradient(b2, probe).numpy().tolist()]
    ),
)

with tf.GradientTape() as tape:
    try:
        binarize_ste(tf.Variable([0.5, -2.0]))
        on_tf_variable = "no error"
    except TypeError:
        on_tf_variable = "TypeError"
print("custom_gradient_on_tf_variable:", json.dumps(on_tf_variable))


def model(x):
    h = binarize_ste(layer1(x) / 4.0)
    return layer2(h) / 4.0


history = []
for _ in range(30):
    with tf.GradientTape() as tape:
        logits = model(X)
        loss = bce(Y, logits)
    variables = layer1.trainable_variables + layer2.trainable_variables
    grads = tape.gradient(loss, variables)
    optimizer.apply_gradients(zip(grads, variables))
    accuracy = float(tf.reduce_mean(tf.cast((logits > 0) == (Y > 0.5), tf.float32)))
    history.append([float(loss), accuracy])
print("history:", json.dumps(history))
print("variable_names:", json.dumps([v.name for v in variables]))
print("variable_paths:", json.dumps([v.path for v in variables]))
print("binary_kernel_row0:", json.dumps(binarize_ste(layer1.kernel.numpy())[0].numpy().tolist()))
print(
    "clipped_fraction:",
    json.dumps(float(tf.reduce_mean(tf.cast(tf.abs(layer1.kernel) > 1.0, tf.float32)))),
)
