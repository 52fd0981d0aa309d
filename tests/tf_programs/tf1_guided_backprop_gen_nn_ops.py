# Guided backpropagation as the TF1 visualisation repositories wrote it: a "GuidedRelu" gradient
# registered with ops.RegisterGradient that calls gen_nn_ops.relu_grad, switched on with
# gradient_override_map({"Relu": "GuidedRelu"}) while the network is built; saliency of a small
# conv net's class score w.r.t. the input image, beside plain backprop's.
import json

import numpy as np
import tensorflow.compat.v1 as tf
from tensorflow.python.framework import ops
from tensorflow.python.ops import gen_nn_ops

tf.disable_eager_execution()


@ops.RegisterGradient("GuidedRelu")
def _GuidedReluGrad(op, grad):
    return tf.where(0.0 < grad, gen_nn_ops.relu_grad(grad, op.outputs[0]), tf.zeros_like(grad))


rng = np.random.RandomState(15)
IMAGE = rng.rand(1, 6, 6, 1).astype(np.float32)
K1 = rng.randn(3, 3, 1, 3).astype(np.float32)
K2 = rng.randn(3, 3, 3, 4).astype(np.float32)
D = np.array([[0.5, 1.0], [-1.0, -0.5], [0.3, 0.8], [1.2, -0.2]], np.float32)


def network(image):
    c1 = tf.nn.relu(tf.nn.conv2d(image, K1, strides=[1, 1, 1, 1], padding="SAME"))
    c2 = tf.nn.relu(tf.nn.conv2d(c1, K2, strides=[1, 2, 2, 1], padding="SAME"))
    pooled = tf.reduce_mean(c2, axis=[1, 2])
    return tf.matmul(pooled, D)


image = tf.placeholder(tf.float32, [1, 6, 6, 1])
logits = network(image)
g = tf.get_default_graph()
with g.gradient_override_map({"Relu": "GuidedRelu"}):
    guided_logits = network(image)
class_index = 1
saliency = tf.gradients(logits[0, class_index], image)[0]
guided = tf.gradients(guided_logits[0, class_index], image)[0]

with tf.Session() as sess:
    s, gd, lg = sess.run([saliency, guided, logits], {image: IMAGE})
print("logits:", json.dumps(lg.tolist()))
print("saliency:", json.dumps(s[0, :, :, 0].tolist()))
print("guided:", json.dumps(gd[0, :, :, 0].tolist()))
print("guided_nonnegative_fraction:", json.dumps(float((gd >= 0).mean())))
