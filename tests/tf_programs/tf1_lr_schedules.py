# Learning-rate schedules driven by the global step (TF1): exponential_decay (smooth and
# staircase), polynomial_decay, piecewise_constant, fed to MomentumOptimizer(use_nesterov=True)
# through minimize(global_step=...).
import json

import numpy as np
import tensorflow.compat.v1 as tf

tf.disable_eager_execution()

rng = np.random.RandomState(8)
A = rng.randn(30, 4).astype(np.float32)
target = rng.randn(30, 1).astype(np.float32)

global_step = tf.train.get_or_create_global_step()
smooth = tf.train.exponential_decay(0.1, global_step, decay_steps=4, decay_rate=0.5)
stairs = tf.train.exponential_decay(0.1, global_step, 4, 0.5, staircase=True)
poly = tf.train.polynomial_decay(
    0.1, global_step, decay_steps=10, end_learning_rate=0.01, power=2.0
)
piecewise = tf.train.piecewise_constant(global_step, boundaries=[3, 7], values=[0.1, 0.05, 0.01])

w = tf.get_variable("w", initializer=np.zeros((4, 1), np.float32))
loss = tf.reduce_mean(tf.square(tf.matmul(A, w) - target))
train_op = tf.train.MomentumOptimizer(stairs, momentum=0.9, use_nesterov=True).minimize(
    loss, global_step=global_step
)

print("global_step_name:", json.dumps(global_step.name))
print("global_step_dtype:", json.dumps(global_step.dtype.base_dtype.name))
print("same_step:", json.dumps(tf.train.get_global_step() is global_step))
with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    rows = []
    for _ in range(12):
        lrs = sess.run([global_step, smooth, stairs, poly, piecewise])
        _, loss_value = sess.run([train_op, loss])
        rows.append([int(lrs[0])] + [float(v) for v in lrs[1:]] + [float(loss_value)])
    print("schedule_rows:", json.dumps(rows))
    print("final_w:", json.dumps(sess.run(w).ravel().tolist()))
    print("final_step:", json.dumps(int(tf.train.global_step(sess, global_step))))
