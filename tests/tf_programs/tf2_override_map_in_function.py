# gradient_override_map inside tf.function (TF2): a gradient registered with @tf.RegisterGradient
# replaces Sign's (zero) gradient by a hard-tanh straight-through estimator while a function is
# traced; what tf.gradients inside the function, a tape inside it and a tape around the call
# give, and in a TF1-style graph with tf.gradients for comparison.
import json

import numpy as np
import tensorflow as tf


@tf.RegisterGradient("HardTanhSTE")
def _hard_tanh_ste(op, grad):
    x = op.inputs[0]
    return grad * tf.cast(tf.abs(x) <= 1.0, grad.dtype)


def binarize(x):
    with tf.compat.v1.get_default_graph().gradient_override_map({"Sign": "HardTanhSTE"}):
        return tf.sign(x)


x_np = np.array([-2.0, -0.5, 0.0, 0.3, 0.9, 1.5], np.float32)
w_np = np.array([1.0, 2.0, 3.0, 4.0, 5.0, 6.0], np.float32)


@tf.function
def symbolic(x):
    y = tf.reduce_sum(binarize(x) * w_np)
    return y, tf.gradients(y, x)[0]


@tf.function
def taped_inside(x):
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = tf.reduce_sum(binarize(x) * w_np)
    return tape.gradient(y, x)


@tf.function
def forward(x):
    return tf.reduce_sum(binarize(x) * w_np)


def show(g):
    return None if g is None else tf.convert_to_tensor(g).numpy().tolist()


x = tf.constant(x_np)
y, g = symbolic(x)
print("value:", json.dumps(float(y)))
print("tf_gradients_in_function:", json.dumps(show(g)))
print("tape_inside_function:", json.dumps(show(taped_inside(x))))
with tf.GradientTape() as tape:
    tape.watch(x)
    y2 = forward(x)
print("tape_around_function:", json.dumps(show(tape.gradient(y2, x))))
with tf.GradientTape() as tape:
    tape.watch(x)
    y3 = tf.reduce_sum(binarize(x) * w_np)
print("eager_tape:", json.dumps(show(tape.gradient(y3, x))))

graph = tf.Graph()
with graph.as_default():
    xp = tf.compat.v1.placeholder(tf.float32, [6])
    yp = tf.reduce_sum(binarize(xp) * w_np)
    gp = tf.compat.v1.gradients(yp, xp)[0]
    with tf.compat.v1.Session(graph=graph) as sess:
        print("graph_mode:", json.dumps(sess.run(gp, {xp: x_np}).tolist()))
