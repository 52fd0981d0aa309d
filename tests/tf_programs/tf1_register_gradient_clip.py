# Per-tensor gradient clipping the TF1 way: @tf.RegisterGradient for a named gradient and
# gradient_override_map({"Identity": name}) around tf.identity, inside a model trained with
# compute_gradients / apply_gradients; compared with the same model without the override.
import json

import numpy as np
import tensorflow.compat.v1 as tf

tf.disable_eager_execution()


@tf.RegisterGradient("ClipGradient")
def _clip_gradient(op, grad):
    return tf.clip_by_value(grad, -0.05, 0.05)


def model(x, clip):
    with tf.variable_scope("model", reuse=tf.AUTO_REUSE):
        w1 = tf.get_variable("w1", initializer=np.array([[1.0, -0.5], [0.3, 0.8]], np.float32))
        w2 = tf.get_variable("w2", initializer=np.array([[0.6], [-1.1]], np.float32))
    h = tf.nn.tanh(tf.matmul(x, w1))
    if clip:
        with tf.get_default_graph().gradient_override_map({"Identity": "ClipGradient"}):
            h = tf.identity(h, name="clipped")
    return tf.matmul(h, w2), h


rng = np.random.RandomState(13)
X = rng.randn(16, 2).astype(np.float32)
Y = (3.0 * X[:, :1] - 2.0 * X[:, 1:]).astype(np.float32)
x = tf.placeholder(tf.float32, [None, 2])
y = tf.placeholder(tf.float32, [None, 1])
out_clipped, h_clipped = model(x, clip=True)
out_plain, _ = model(x, clip=False)
loss_clipped = tf.reduce_mean(tf.square(out_clipped - y))
loss_plain = tf.reduce_mean(tf.square(out_plain - y))

print("identity_op:", json.dumps([h_clipped.op.type, h_clipped.op.name]))
print("override_attr:", json.dumps(h_clipped.op.get_attr("_gradient_op_type").decode()))
g_h = tf.gradients(loss_clipped, h_clipped)[0]
opt = tf.train.GradientDescentOptimizer(0.1)
grads_and_vars = opt.compute_gradients(loss_clipped)
train_op = opt.apply_gradients(grads_and_vars)
plain_grads = tf.gradients(loss_plain, [v for _, v in grads_and_vars])
with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    feed = {x: X, y: Y}
    print("grad_at_identity:", json.dumps(sess.run(g_h, feed).tolist()))
    print("clipped_grads:", json.dumps([sess.run(g, feed).tolist() for g, _ in grads_and_vars]))
    print("plain_grads:", json.dumps([g.tolist() for g in sess.run(plain_grads, feed)]))
    losses = [float(sess.run([train_op, loss_clipped], feed)[1]) for _ in range(15)]
    print("losses:", json.dumps(losses))
    print("w1:", json.dumps(sess.run(grads_and_vars[0][1]).tolist()))
