# A siamese embedding network (TF1): both branches share weights through tf.AUTO_REUSE, a third
# call reuses them through get_variable_scope().reuse_variables(); trained on a contrastive loss
# with MomentumOptimizer.
import json

import numpy as np
import tensorflow.compat.v1 as tf

tf.disable_eager_execution()

rng = np.random.RandomState(1)
A = rng.randn(32, 6).astype(np.float32)
B = (A + 0.3 * rng.randn(32, 6)).astype(np.float32)
B[16:] = rng.randn(16, 6)
SAME = np.array([1.0] * 16 + [0.0] * 16, np.float32)
K1 = (0.4 * rng.randn(6, 5)).astype(np.float32)
K2 = (0.4 * rng.randn(5, 3)).astype(np.float32)


def embed(x):
    with tf.variable_scope("siamese", reuse=tf.AUTO_REUSE):
        w1 = tf.get_variable("w1", initializer=K1)
        b1 = tf.get_variable("b1", shape=[5], initializer=tf.zeros_initializer())
        w2 = tf.get_variable("w2", initializer=K2)
        return tf.matmul(tf.tanh(tf.matmul(x, w1) + b1), w2)


left = tf.placeholder(tf.float32, [None, 6])
right = tf.placeholder(tf.float32, [None, 6])
same = tf.placeholder(tf.float32, [None])
e_left, e_right = embed(left), embed(right)
dist = tf.sqrt(tf.reduce_sum(tf.square(e_left - e_right), axis=1) + 1e-6)
margin = 1.0
loss = tf.reduce_mean(
    same * tf.square(dist) + (1.0 - same) * tf.square(tf.maximum(margin - dist, 0.0))
)

with tf.variable_scope("siamese") as scope:
    scope.reuse_variables()
    w1_again = tf.get_variable("w1")
    scope_name = scope.name
    reuse_flag = tf.get_variable_scope().reuse

opt = tf.train.MomentumOptimizer(learning_rate=0.05, momentum=0.9)
train_op = opt.minimize(loss)

print("trainable:", json.dumps([v.name for v in tf.trainable_variables()]))
print("scoped:", json.dumps([v.name for v in tf.trainable_variables(scope="siamese")]))
print("shared_is_same:", json.dumps(w1_again is tf.trainable_variables()[0]))
print("scope_name:", json.dumps(scope_name))
print("reuse_flag:", json.dumps(bool(reuse_flag)))
print("slot_names:", json.dumps(opt.get_slot_names()))

feed = {left: A, right: B, same: SAME}
with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    losses = [float(sess.run(loss, feed))]
    for _ in range(25):
        losses.append(float(sess.run([train_op, loss], feed)[1]))
    d = sess.run(dist, feed)
    print("losses:", json.dumps(losses))
    print("mean_dist_same:", json.dumps(float(d[:16].mean())))
    print("mean_dist_other:", json.dumps(float(d[16:].mean())))
    momentum = opt.get_slot(w1_again, "momentum")
    print("momentum_slot_name:", json.dumps(momentum.op.name))
    print("momentum_slot_norm:", json.dumps(float(np.linalg.norm(sess.run(momentum)))))
