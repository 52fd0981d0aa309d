# Per-example gradients for DP-SGD style clipping (TF2): tf.vectorized_map over examples, the same
# with tape.jacobian, and a Python loop for reference; each example's gradient clipped to an L2
# norm bound and averaged (no noise, so that the numbers are deterministic).
import json

import numpy as np
import tensorflow as tf

rng = np.random.default_rng(29)
X = rng.normal(size=(8, 5)).astype(np.float32)
Y = rng.integers(0, 3, size=8).astype(np.int32)
W = tf.Variable(rng.normal(scale=0.5, size=(5, 3)).astype(np.float32), name="W")
b = tf.Variable(np.zeros(3, np.float32), name="b")
CLIP = 1.0


def example_loss(x, y):
    logits = tf.matmul(x[None, :], W) + b
    return tf.nn.sparse_softmax_cross_entropy_with_logits(labels=y[None], logits=logits)[0]


def example_grads(inputs):
    x, y = inputs
    with tf.GradientTape() as tape:
        loss = example_loss(x, y)
    gw, gb = tape.gradient(loss, [W, b])
    return gw, gb


vec_gw, vec_gb = tf.vectorized_map(example_grads, (tf.constant(X), tf.constant(Y)))
loop = [example_grads((tf.constant(X[i]), tf.constant(Y[i]))) for i in range(8)]

with tf.GradientTape() as tape:
    logits = tf.matmul(X, W) + b
    losses = tf.nn.sparse_softmax_cross_entropy_with_logits(labels=Y, logits=logits)
jac_gw, jac_gb = tape.jacobian(losses, [W, b])

norms = tf.sqrt(
    tf.reduce_sum(tf.square(vec_gw), axis=[1, 2]) + tf.reduce_sum(tf.square(vec_gb), axis=1)
)
factors = tf.minimum(1.0, CLIP / norms)
clipped_gw = tf.reduce_mean(vec_gw * factors[:, None, None], axis=0)
clipped_gb = tf.reduce_mean(vec_gb * factors[:, None], axis=0)

print("vectorized_shape:", json.dumps([vec_gw.shape.as_list(), vec_gb.shape.as_list()]))
print("jacobian_shape:", json.dumps([jac_gw.shape.as_list(), jac_gb.shape.as_list()]))
print(
    "loop_matches_vectorized:",
    json.dumps(bool(np.allclose(np.stack([g[0] for g in loop]), vec_gw, atol=1e-6))),
)
print("jacobian_matches_vectorized:", json.dumps(bool(np.allclose(jac_gw, vec_gw, atol=1e-6))))
print("norms:", json.dumps(norms.numpy().tolist()))
print("clipped_gw:", json.dumps(clipped_gw.numpy().tolist()))
print("clipped_gb:", json.dumps(clipped_gb.numpy().tolist()))
print("mean_gb_unclipped:", json.dumps(tf.reduce_mean(vec_gb, axis=0).numpy().tolist()))
