# Domain-adversarial training (DANN) ported to TF2: a Keras Layer whose call applies a
# tf.custom_gradient gradient reversal, inside a Keras Model subclass trained by a @tf.function
# step with one tape over the label and domain losses; weights start from Constant initializers.
import json

import numpy as np
import tensorflow as tf


@tf.custom_gradient
def reverse_gradient(x, hp_lambda):
    def grad(dy):
        return -hp_lambda * dy, None

    return tf.identity(x), grad


class GradientReversal(tf.keras.layers.Layer):
    def __init__(self, hp_lambda, **kwargs):
        super().__init__(**kwargs)
        self.hp_lambda = hp_lambda

    def call(self, x):
        return reverse_gradient(x, tf.constant(self.hp_lambda))


rng = np.random.default_rng(20)


def init(*shape):
    return tf.keras.initializers.Constant(rng.normal(scale=0.4, size=shape).astype(np.float32))


class DANN(tf.keras.Model):
    def __init__(self):
        super().__init__()
        self.feature = tf.keras.layers.Dense(8, activation="relu", kernel_initializer=init(4, 8))
        self.label = tf.keras.layers.Dense(2, kernel_initializer=init(8, 2))
        self.reverse = GradientReversal(0.5)
        self.domain = tf.keras.layers.Dense(1, kernel_initializer=init(8, 1))

    def call(self, x):
        f = self.feature(x)
        return self.label(f), self.domain(self.reverse(f))


source = rng.normal(size=(32, 4)).astype(np.float32)
target = (rng.normal(size=(32, 4)) + 0.7).astype(np.float32)
labels = (source[:, 0] + source[:, 1] > 0).astype(np.int32)
domains = np.concatenate([np.zeros(32), np.ones(32)]).astype(np.float32)[:, None]
model = DANN()
optimizer = tf.keras.optimizers.SGD(learning_rate=0.1, momentum=0.5)
ce = tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True)
bce = tf.keras.losses.BinaryCrossentropy(from_logits=True)


@tf.function
def train_step(xs, xt, y, d):
    with tf.GradientTape() as tape:
        label_logits, _ = model(xs)
        _, domain_logits = model(tf.concat([xs, xt], axis=0))
        label_loss = ce(y, label_logits)
        domain_loss = bce(d, domain_logits)
        total = label_loss + domain_loss
    grads = tape.gradient(total, model.trainable_variables)
    optimizer.apply_gradients(zip(grads, model.trainable_variables))
    return label_loss, domain_loss


x = tf.constant(source[:4])
with tf.GradientTape(persistent=True) as tape:
    tape.watch(x)
    _, d_logit = model(x)
    f = model.feature(x)
    plain = tf.reduce_sum(model.domain(f))
    reversed_ = tf.reduce_sum(d_logit)
print("feature_grad_plain:", json.dumps(tape.gradient(plain, x).numpy().tolist()))
print("feature_grad_reversed:", json.dumps(tape.gradient(reversed_, x).numpy().tolist()))
print("num_trainable:", json.dumps(len(model.trainable_variables)))

history = []
for _ in range(20):
    history.append([float(v) for v in train_step(source, target, labels, domains)])
print("history:", json.dumps(history))
print("domain_kernel:", json.dumps(model.domain.kernel.numpy().ravel().tolist()))
