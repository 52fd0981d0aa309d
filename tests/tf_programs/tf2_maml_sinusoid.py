# MAML on sine regression (TF2, Finn et al. 2017), written functionally as the TF2 ports do: the
# inner step w' = w - alpha * grad is taken with a tape inside the outer tape, so the meta-gradient
# goes through it (second order); also the first-order approximation for comparison.
import json

import numpy as np
import tensorflow as tf

rng = np.random.default_rng(24)
TASKS = []
for _ in range(4):
    amplitude, phase = rng.uniform(0.5, 2.0), rng.uniform(0.0, np.pi)
    xs = rng.uniform(-3, 3, size=(10, 1)).astype(np.float32)
    xq = rng.uniform(-3, 3, size=(10, 1)).astype(np.float32)
    TASKS.append(
        (
            xs,
            (amplitude * np.sin(xs + phase)).astype(np.float32),
            xq,
            (amplitude * np.sin(xq + phase)).astype(np.float32),
        )
    )

weights = [
    tf.Variable(rng.normal(scale=0.8, size=(1, 20)).astype(np.float32), name="w1"),
    tf.Variable(np.zeros(20, np.float32), name="b1"),
    tf.Variable(rng.normal(scale=0.3, size=(20, 1)).astype(np.float32), name="w2"),
    tf.Variable(np.zeros(1, np.float32), name="b2"),
]
ALPHA = 0.05
meta_opt = tf.keras.optimizers.Adam(learning_rate=0.01)


def forward(x, w):
    return tf.matmul(tf.nn.relu(tf.matmul(x, w[0]) + w[1]), w[2]) + w[3]


def mse(a, b):
    return tf.reduce_mean(tf.square(a - b))


def meta_loss(first_order=False):
    total = 0.0
    for xs, ys, xq, yq in TASKS:
        with tf.GradientTape() as inner:
            support_loss = mse(forward(xs, weights), ys)
        grads = inner.gradient(support_loss, weights)
        if first_order:
            grads = [tf.stop_gradient(g) for g in grads]
        fast = [w - ALPHA * g for w, g in zip(weights, grads)]
        total += mse(forward(xq, fast), yq)
    return total / len(TASKS)


with tf.GradientTape() as tape:
    loss = meta_loss()
second_order = tape.gradient(loss, weights)
with tf.GradientTape() as tape:
    loss_fo = meta_loss(first_order=True)
first_order = tape.gradient(loss_fo, weights)
print("meta_loss:", json.dumps([float(loss), float(loss_fo)]))
print("meta_grad_w2:", json.dumps(second_order[2].numpy().ravel()[:6].tolist()))
print("first_order_grad_w2:", json.dumps(first_order[2].numpy().ravel()[:6].tolist()))
print(
    "second_order_term_norm:",
    json.dumps(float(tf.linalg.global_norm([a - b for a, b in zip(second_order, first_order)]))),
)

history = []
for _ in range(15):
    with tf.GradientTape() as tape:
        loss = meta_loss()
    meta_opt.apply_gradients(zip(tape.gradient(loss, weights), weights))
    history.append(float(loss))
print("meta_history:", json.dumps(history))
print("b2:", json.dumps(weights[3].numpy().tolist()))
