"""TF 1 style: compat.v1, graph mode, session boilerplate (config, devices, seeds, logging)."""
import json

import numpy as np
import tensorflow.compat.v1 as tf

tf.disable_eager_execution()
tf.logging.set_verbosity(tf.logging.ERROR)
tf.set_random_seed(7)

config = tf.ConfigProto(allow_soft_placement=True, log_device_placement=False)
config.gpu_options.allow_growth = True
config.gpu_options.per_process_gpu_memory_fraction = 0.5

with tf.device("/gpu:0"):
    x = tf.placeholder(tf.float32, [None, 3], name="x")
    w = tf.Variable(np.arange(6, dtype=np.float32).reshape(3, 2) / 10.0, name="w")
    y = tf.nn.sigmoid(tf.matmul(x, w))
    loss = tf.reduce_mean(tf.square(y))
grad_w, = tf.gradients(loss, [w])
noise = tf.random.uniform([2])

with tf.Session(config=config) as sess:
    sess.run(tf.global_variables_initializer())
    feed = {x: [[1.0, 2.0, 3.0], [0.0, -1.0, 0.5]]}
    loss_v, grad_v = sess.run([loss, grad_w], feed)
    n1 = sess.run(noise)
print("loss:", json.dumps(float(loss_v)))
print("grad_w:", json.dumps(grad_v.tolist()))
print("executing_eagerly:", json.dumps(tf.executing_eagerly()))
print("gpu_available:", json.dumps(tf.test.is_gpu_available()))
print("noise_in_range:", json.dumps(bool(((n1 >= 0) & (n1 < 1)).all())))
