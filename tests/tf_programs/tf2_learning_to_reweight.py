# Learning to reweight examples (TF2, Ren et al. 2018): per-example weights eps = 0 on a noisy
# training batch, one look-ahead SGD step on the eps-weighted loss taken functionally inside a
# tape, the clean validation loss differentiated w.r.t. eps through that step (a meta-gradient,
# second order), and the weights max(-grad, 0) normalised, then used for the real update.
import json

import numpy as np
import tensorflow as tf

rng = np.random.default_rng(27)
X = rng.normal(size=(24, 3)).astype(np.float32)
clean = (X @ np.array([[1.0], [-1.0], [0.5]]) > 0).astype(np.float32)
noisy = clean.copy()
flipped = np.array([2, 5, 11, 17, 20])
noisy[flipped] = 1.0 - noisy[flipped]
XV = rng.normal(size=(16, 3)).astype(np.float32)
YV = (XV @ np.array([[1.0], [-1.0], [0.5]]) > 0).astype(np.float32)

w = tf.Variable(rng.normal(scale=0.1, size=(3, 1)).astype(np.float32), name="w")
b = tf.Variable([0.0], name="b")
LR = 0.5


def logits(x, params):
    return tf.matmul(x, params[0]) + params[1]


def per_example_loss(x, y, params):
    return tf.nn.sigmoid_cross_entropy_with_logits(labels=y, logits=logits(x, params))[:, 0]


def example_weights():
    eps = tf.zeros([24])
    with tf.GradientTape() as outer:
        outer.watch(eps)
        with tf.GradientTape() as inner:
            weighted = tf.reduce_sum(eps * per_example_loss(X, noisy, [w, b]))
        grads = inner.gradient(weighted, [w, b])
        lookahead = [w - LR * grads[0], b - LR * grads[1]]
        val_loss = tf.reduce_mean(per_example_loss(XV, YV, lookahead))
    grad_eps = outer.gradient(val_loss, eps)
    weights = tf.maximum(-grad_eps, 0.0)
    total = tf.reduce_sum(weights)
    return weights / tf.where(total > 0, total, 1.0), grad_eps


weights, grad_eps = example_weights()
print("grad_eps:", json.dumps(grad_eps.numpy().tolist()))
print("weights:", json.dumps(weights.numpy().tolist()))
print("flipped_weight_share:", json.dumps(float(tf.reduce_sum(tf.gather(weights, flipped)))))

history = []
for _ in range(10):
    weights, _ = example_weights()
    with tf.GradientTape() as tape:
        loss = tf.reduce_sum(weights * per_example_loss(X, noisy, [w, b]))
    gw, gb = tape.gradient(loss, [w, b])
    w.assign_sub(LR * gw)
    b.assign_sub(LR * gb)
    history.append([float(loss), float(tf.reduce_mean(per_example_loss(XV, YV, [w, b])))])
print("history:", json.dumps(history))
print("w:", json.dumps(w.numpy().ravel().tolist() + b.numpy().tolist()))
