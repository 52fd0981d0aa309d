# The TF2 quick-start pattern without Keras layers: tf.Variables, a @tf.function training step
# with GradientTape, tf.keras.optimizers.Adam.apply_gradients, and a learning curve.
import json

import numpy as np
import tensorflow as tf

rng = np.random.default_rng(19)
X = rng.normal(size=(100, 3)).astype(np.float32)
Y = (np.sin(X[:, :1]) + 0.5 * X[:, 1:2] * X[:, 2:3]).astype(np.float32)

w1 = tf.Variable(rng.normal(scale=0.5, size=(3, 16)).astype(np.float32), name="w1")
b1 = tf.Variable(tf.zeros([16]), name="b1")
w2 = tf.Variable(rng.normal(scale=0.5, size=(16, 1)).astype(np.float32), name="w2")
b2 = tf.Variable(tf.zeros([1]), name="b2")
params = [w1, b1, w2, b2]
optimizer = tf.keras.optimizers.Adam(learning_rate=0.02)


def predict(x):
    return tf.matmul(tf.nn.gelu(tf.matmul(x, w1) + b1), w2) + b2


@tf.function
def train_step(x, y):
    with tf.GradientTape() as tape:
        loss = tf.reduce_mean(tf.square(predict(x) - y))
    grads = tape.gradient(loss, params)
    optimizer.apply_gradients(zip(grads, params))
    return loss, tf.linalg.global_norm(grads)


dataset = [(X[i : i + 25], Y[i : i + 25]) for i in range(0, 100, 25)]
history = []
for _ in range(10):
    for xb, yb in dataset:
        loss, gnorm = train_step(tf.constant(xb), tf.constant(yb))
    history.append([float(loss), float(gnorm)])
print("history:", json.dumps(history))
print("full_loss:", json.dumps(float(tf.reduce_mean(tf.square(predict(X) - Y)))))
print("b2:", json.dumps(b2.numpy().tolist()))
print("iterations:", json.dumps(int(optimizer.iterations.numpy())))
print("variable_names:", json.dumps([v.name for v in params]))
