# The boilerplate around TF1 training scripts: tf.device blocks, a ConfigProto with
# gpu_options=GPUOptions(allow_growth=True), allow_soft_placement, intra/inter-op threads, and a
# "/gpu:0" block on a machine without a GPU (soft placement puts it on the CPU); the results are
# those of a logistic regression trained with GradientDescent.
import json

import numpy as np
import tensorflow.compat.v1 as tf

tf.disable_eager_execution()

rng = np.random.RandomState(12)
X = rng.randn(60, 3).astype(np.float32)
labels = (X @ np.array([1.0, -2.0, 0.5]) > 0).astype(np.float32).reshape(-1, 1)

with tf.device("/cpu:0"):
    x = tf.placeholder(tf.float32, [None, 3])
    y = tf.placeholder(tf.float32, [None, 1])
    w = tf.Variable(tf.zeros([3, 1]), name="w")
    b = tf.Variable(tf.zeros([1]), name="b")
with tf.device("/gpu:0"):
    logits = tf.matmul(x, w) + b
    loss = tf.reduce_mean(tf.nn.sigmoid_cross_entropy_with_logits(labels=y, logits=logits))
    train_op = tf.train.GradientDescentOptimizer(0.5).minimize(loss)
accuracy = tf.reduce_mean(tf.cast(tf.equal(tf.cast(logits > 0, tf.float32), y), tf.float32))

print("w_device:", json.dumps(w.device))
print("logits_device:", json.dumps(logits.device))

config = tf.ConfigProto(
    gpu_options=tf.GPUOptions(allow_growth=True),
    allow_soft_placement=True,
    log_device_placement=False,
    intra_op_parallelism_threads=1,
    inter_op_parallelism_threads=1,
)
config.gpu_options.per_process_gpu_memory_fraction = 0.5
print("allow_growth:", json.dumps(config.gpu_options.allow_growth))
with tf.Session(config=config) as sess:
    sess.run(tf.global_variables_initializer())
    losses = []
    for _ in range(20):
        losses.append(float(sess.run([train_op, loss], {x: X, y: labels})[1]))
    print("losses:", json.dumps(losses))
    print("accuracy:", json.dumps(float(sess.run(accuracy, {x: X, y: labels}))))
    print("weights:", json.dumps(sess.run(w).ravel().tolist() + sess.run(b).tolist()))
