# Newton's method for L2-regularised logistic regression in a TF1 graph: tf.hessians of the loss
# w.r.t. the weight vector, a linear solve, and the update assigned back to the variable.
import json

import numpy as np
import tensorflow.compat.v1 as tf

tf.disable_eager_execution()

rng = np.random.RandomState(18)
X = np.hstack([rng.randn(80, 3), np.ones((80, 1))]).astype(np.float32)
true_w = np.array([1.5, -2.0, 0.7, 0.3], np.float32)
Y = (1.0 / (1.0 + np.exp(-X @ true_w)) > rng.rand(80)).astype(np.float32)

x = tf.constant(X)
y = tf.constant(Y)
w = tf.Variable(tf.zeros([4]), name="w")
logits = tf.linalg.matvec(x, w)
loss = tf.reduce_mean(
    tf.nn.sigmoid_cross_entropy_with_logits(labels=y, logits=logits)
) + 0.01 * tf.reduce_sum(tf.square(w))
grad = tf.gradients(loss, w)[0]
hess = tf.hessians(loss, w)[0]
step = tf.linalg.solve(hess, tf.expand_dims(grad, 1))[:, 0]
newton_update = tf.assign_sub(w, step)

print("hessian_shape:", json.dumps(hess.shape.as_list()))
with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    h0 = sess.run(hess)
    print("initial_hessian:", json.dumps(h0.tolist()))
    print("symmetric:", json.dumps(bool(np.allclose(h0, h0.T))))
    history = []
    for _ in range(6):
        loss_value, g = sess.run([loss, grad])
        history.append([float(loss_value), float(np.linalg.norm(g))])
        sess.run(newton_update)
    print("history:", json.dumps(history))
    print("w:", json.dumps(sess.run(w).tolist()))
