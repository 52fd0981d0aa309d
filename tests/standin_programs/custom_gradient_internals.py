"""Guided backprop as real code writes it: TF's internal modules, RegisterGradient and
gradient_override_map, in a TF 1 graph."""
import json

import numpy as np
import tensorflow as tf
from tensorflow.python.framework import ops
from tensorflow.python.ops import gen_nn_ops, math_ops, array_ops
import tensorflow.python.ops.nn_ops as nn_ops


@ops.RegisterGradient("GuidedReluStandin")
def _guided_relu(op, grad):
    gate = math_ops.cast(grad > 0.0, grad.dtype)
    return gen_nn_ops.relu_grad(gate * grad, op.outputs[0])


g = tf.Graph()
with g.as_default():
    x = tf.compat.v1.placeholder(tf.float32, [2, 3])
    with g.gradient_override_map({"Relu": "GuidedReluStandin"}):
        y = nn_ops.relu(x)
    z = array_ops.reshape(y * tf.constant([[1.0, -2.0, 3.0], [-1.0, 1.0, 0.5]]), [-1])
    dx, = tf.compat.v1.gradients(math_ops.reduce_sum(z), [x])
    with tf.compat.v1.Session() as sess:
        value = sess.run(dx, {x: np.array([[1.0, -1.0, 2.0], [0.5, 3.0, -0.5]], np.float32)})
print("guided:", json.dumps(value.tolist()))
