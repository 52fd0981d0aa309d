# tf.custom_gradient over a computation that reads variables (TF2): grad_fn takes `variables=`
# and returns their gradients too, here a layer whose backward pass normalises the incoming
# gradient and scales the weight gradient, used both eagerly and in a tf.function training step.
import json

import numpy as np
import tensorflow as tf

rng = np.random.default_rng(32)
kernel = tf.Variable(rng.normal(scale=0.5, size=(3, 2)).astype(np.float32), name="kernel")
bias = tf.Variable([0.1, -0.1], name="bias")


@tf.custom_gradient
def normalized_dense(x):
    y = tf.matmul(x, kernel) + bias

    def grad(dy, variables=None):
        dy = dy / (tf.norm(dy) + 1e-6)
        dx = tf.matmul(dy, kernel, transpose_b=True)
        d_kernel = 0.5 * tf.matmul(x, dy, transpose_a=True)
        d_bias = tf.reduce_sum(dy, axis=0)
        grads = {kernel.ref(): d_kernel, bias.ref(): d_bias}
        return dx, [grads[v.ref()] for v in variables]

    return y, grad


X = tf.constant(rng.normal(size=(6, 3)).astype(np.float32))
T = tf.constant(rng.normal(size=(6, 2)).astype(np.float32))

with tf.GradientTape(persistent=True) as tape:
    tape.watch(X)
    out = normalized_dense(X)
    loss = tf.reduce_sum(tf.square(out - T))
g_x, g_kernel, g_bias = tape.gradient(loss, [X, kernel, bias])
print("watched:", json.dumps(sorted(v.name for v in tape.watched_variables())))
print("grad_x:", json.dumps(g_x.numpy().tolist()))
print("grad_kernel:", json.dumps(g_kernel.numpy().tolist()))
print("grad_bias:", json.dumps(g_bias.numpy().tolist()))

optimizer = tf.keras.optimizers.SGD(0.1)


@tf.function
def train_step():
    with tf.GradientTape() as tape:
        loss = tf.reduce_sum(tf.square(normalized_dense(X) - T))
    grads = tape.gradient(loss, [kernel, bias])
    optimizer.apply_gradients(zip(grads, [kernel, bias]))
    return loss


print("losses:", json.dumps([float(train_step()) for _ in range(10)]))
print("kernel:", json.dumps(kernel.numpy().tolist()))
