# DoReFa-Net's quantizers as tensorpack's dorefa.py wrote them for TF1: k-bit rounding whose
# gradient is the identity through gradient_override_map({"Round": "Identity"}), 1-bit weights
# with {"Sign": "Identity"}, applied to a small quantized layer trained with Adam.
import json

import numpy as np
import tensorflow.compat.v1 as tf

tf.disable_eager_execution()


def get_dorefa(bitW, bitA):
    G = tf.get_default_graph()

    def quantize(x, k):
        n = float(2**k - 1)
        with G.gradient_override_map({"Round": "Identity"}):
            return tf.round(x * n) / n

    def fw(x):
        if bitW == 32:
            return x
        if bitW == 1:  # BWN
            E = tf.stop_gradient(tf.reduce_mean(tf.abs(x)))
            with G.gradient_override_map({"Sign": "Identity"}):
                return tf.sign(x / E) * E
        x = tf.tanh(x)
        x = x / tf.reduce_max(tf.abs(x)) * 0.5 + 0.5
        return 2 * quantize(x, bitW) - 1

    def fa(x):
        if bitA == 32:
            return x
        return quantize(x, bitA)

    return fw, fa


rng = np.random.RandomState(14)
X = rng.rand(32, 4).astype(np.float32)
Y = (X @ np.array([[1.0], [-1.0], [0.5], [0.25]], np.float32)).astype(np.float32)
W = (0.5 * rng.randn(4, 6)).astype(np.float32)
V = (0.5 * rng.randn(6, 1)).astype(np.float32)

x = tf.placeholder(tf.float32, [None, 4])
y = tf.placeholder(tf.float32, [None, 1])
w = tf.Variable(W, name="w")
v = tf.Variable(V, name="v")
fw2, fa2 = get_dorefa(bitW=2, bitA=2)
fw1, _ = get_dorefa(bitW=1, bitA=32)
h = fa2(tf.clip_by_value(tf.matmul(x, fw2(w)), 0.0, 1.0))
out = tf.matmul(h, fw1(v))
loss = tf.reduce_mean(tf.square(out - y))
grads = tf.gradients(loss, [w, v])
train_op = tf.train.AdamOptimizer(0.02).minimize(loss)

with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    feed = {x: X, y: Y}
    print("quantized_w:", json.dumps(sess.run(fw2(w)).tolist()))
    print("binary_v:", json.dumps(sess.run(fw1(v)).ravel().tolist()))
    print(
        "activation_levels:",
        json.dumps(sorted(set(np.round(sess.run(h, feed) * 3).astype(int).ravel().tolist()))),
    )
    gw, gv = sess.run(grads, feed)
    print("grad_w:", json.dumps(gw.tolist()))
    print("grad_v:", json.dumps(gv.ravel().tolist()))
    losses = [float(sess.run([train_op, loss], feed)[1]) for _ in range(20)]
    print("losses:", json.dumps(losses))
