# Attribution maps for a small Keras classifier (TF2): vanilla saliency, gradient x input,
# SmoothGrad with noise drawn by NumPy, and integrated gradients along a straight path from a
# black baseline, batched through one tape; the completeness check of integrated gradients.
import json

import numpy as np
import tensorflow as tf

rng = np.random.default_rng(22)
model = tf.keras.Sequential(
    [
        tf.keras.Input(shape=(12,)),
        tf.keras.layers.Dense(
            10,
            activation="softplus",
            kernel_initializer=tf.keras.initializers.Constant(
                rng.normal(size=(12, 10)).astype(np.float32)
            ),
        ),
        tf.keras.layers.Dense(
            4,
            kernel_initializer=tf.keras.initializers.Constant(
                rng.normal(size=(10, 4)).astype(np.float32)
            ),
        ),
        tf.keras.layers.Softmax(),
    ]
)
x = tf.constant(rng.random((1, 12)).astype(np.float32))
baseline = tf.zeros_like(x)
target = int(tf.argmax(model(x)[0]))


def gradients(inputs):
    with tf.GradientTape() as tape:
        tape.watch(inputs)
        probs = model(inputs)[:, target]
    return tape.gradient(probs, inputs)


saliency = gradients(x)[0]
grad_times_input = saliency * x[0]
noise = rng.normal(scale=0.1, size=(16, 12)).astype(np.float32)
smoothgrad = tf.reduce_mean(gradients(x + noise), axis=0)

steps = 50
alphas = tf.reshape(tf.linspace(0.0, 1.0, steps + 1), [-1, 1])
path = baseline + alphas * (x - baseline)
path_grads = gradients(path)
avg_grads = tf.reduce_mean((path_grads[:-1] + path_grads[1:]) / 2.0, axis=0)
integrated = (x - baseline)[0] * avg_grads
completeness = float(tf.reduce_sum(integrated)) - float(
    model(x)[0, target] - model(baseline)[0, target]
)

print("target:", json.dumps(target))
print("probs:", json.dumps(model(x)[0].numpy().tolist()))
print("saliency:", json.dumps(saliency.numpy().tolist()))
print("grad_times_input:", json.dumps(grad_times_input.numpy().tolist()))
print("smoothgrad:", json.dumps(smoothgrad.numpy().tolist()))
print("integrated_gradients:", json.dumps(integrated.numpy().tolist()))
print("completeness_gap_small:", json.dumps(abs(completeness) < 1e-3))
print(
    "top_features:",
    json.dumps(tf.argsort(tf.abs(integrated), direction="DESCENDING")[:3].numpy().tolist()),
)
