# Control flow in TF1 graphs: tf.map_fn over a batch (per-example normalisation and per-example
# gradients by mapping tf.gradients), tf.while_loop for power iteration on a learned matrix, and
# tf.scan for a running discounted return; gradients flow through all three.
import json

import numpy as np
import tensorflow.compat.v1 as tf

tf.disable_eager_execution()

rng = np.random.RandomState(16)
BATCH = rng.randn(5, 4).astype(np.float32)
M = rng.randn(4, 4).astype(np.float32)
REWARDS = np.array([1.0, 0.0, -0.5, 2.0, 1.0], np.float32)

batch = tf.placeholder(tf.float32, [None, 4])
mat = tf.Variable(M, name="mat")
normalised = tf.map_fn(lambda row: (row - tf.reduce_mean(row)) / tf.norm(row), batch)
scores = tf.map_fn(lambda row: tf.reduce_sum(tf.tanh(tf.linalg.matvec(mat, row))), batch)
pairs = tf.map_fn(
    lambda row: (tf.reduce_max(row), tf.argmax(row)), batch, dtype=(tf.float32, tf.int64)
)

sym = tf.matmul(mat, mat, transpose_b=True)


def body(i, v):
    v = tf.linalg.matvec(sym, v)
    return i + 1, v / tf.norm(v)


_, top = tf.while_loop(lambda i, v: i < 30, body, [tf.constant(0), tf.ones([4]) / 2.0])
eigenvalue = tf.reduce_sum(top * tf.linalg.matvec(sym, top))

gamma = tf.placeholder_with_default(0.9, [])
returns = tf.scan(lambda acc, r: r + gamma * acc, tf.reverse(REWARDS, [0]), initializer=0.0)
returns = tf.reverse(returns, [0])

g_scores = tf.gradients(tf.reduce_sum(scores), mat)[0]
g_eig = tf.gradients(eigenvalue, mat)[0]
g_gamma = tf.gradients(returns[0], gamma)[0]

print("map_fn_static_shape:", json.dumps(normalised.shape.as_list()))
with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    n, s, (mx, am), ev, rets = sess.run(
        [normalised, scores, pairs, eigenvalue, returns], {batch: BATCH}
    )
    print("normalised:", json.dumps(n.tolist()))
    print("scores:", json.dumps(s.tolist()))
    print("row_max:", json.dumps(mx.tolist()))
    print("row_argmax:", json.dumps(am.tolist()))
    print("top_eigenvalue:", json.dumps(float(ev)))
    print("numpy_eigenvalue:", json.dumps(float(np.linalg.eigvalsh(M @ M.T)[-1])))
    print("returns:", json.dumps(rets.tolist()))
    print("grad_scores:", json.dumps(sess.run(g_scores, {batch: BATCH}).tolist()))
    print("grad_eigenvalue:", json.dumps(sess.run(g_eig).tolist()))
    print("grad_gamma:", json.dumps(float(sess.run(g_gamma))))
