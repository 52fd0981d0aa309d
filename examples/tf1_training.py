"""A TF1 training program, unchanged from TensorFlow: a hand-written optimizer (AddSign, Bello
et al. 2017) subclassing tf.compat.v1.train.Optimizer, a learning rate decaying with the global
step, a Session, and a Saver that restores training where it stopped.

With `import tensorflow as tf` instead of janusgrad, TensorFlow 2.21 prints the same numbers.
"""
import os
import tempfile

import numpy as np

import janusgrad as tf


class AddSign(tf.compat.v1.train.Optimizer):
    """m = beta m + (1 - beta) g;  var -= lr (alpha + sign(g) sign(m)) g"""

    def __init__(self, learning_rate, alpha=1.0, beta=0.9, use_locking=False, name="AddSign"):
        super().__init__(use_locking, name)
        self._lr, self._alpha, self._beta = learning_rate, alpha, beta

    def _create_slots(self, var_list):
        for v in var_list:
            self._zeros_slot(v, "m", self._name)

    def _prepare(self):
        self._lr_t = tf.convert_to_tensor(self._lr, name="learning_rate")
        self._alpha_t = tf.convert_to_tensor(self._alpha, name="alpha")
        self._beta_t = tf.convert_to_tensor(self._beta, name="beta")

    def _resource_apply_dense(self, grad, var):
        m = self.get_slot(var, "m")
        m_t = m.assign(self._beta_t * m + (1.0 - self._beta_t) * grad)
        update = (self._alpha_t + tf.sign(grad) * tf.sign(m_t)) * grad
        return tf.group(var.assign_sub(self._lr_t * update), m_t)


def build():
    """The model: y = w x + b fitted to y = 3 x - 1 + sin(7 x) / 10, trained by AddSign."""
    x = tf.compat.v1.placeholder(tf.float32, [None])
    y = tf.compat.v1.placeholder(tf.float32, [None])
    w = tf.Variable(0.0, name="w")
    b = tf.Variable(0.0, name="b")
    loss = tf.reduce_mean(tf.square(w * x + b - y))
    step = tf.compat.v1.train.get_or_create_global_step()
    lr = tf.compat.v1.train.exponential_decay(0.05, step, 15, 0.5, staircase=True)
    train = AddSign(lr).minimize(loss, global_step=step, name="train")
    return x, y, loss, step, train


def main():
    tf.compat.v1.disable_eager_execution()
    xs = np.linspace(-1.0, 1.0, 32).astype(np.float32)
    feed_values = (xs, 3.0 * xs - 1.0 + np.sin(7.0 * xs) / 10)
    folder = tempfile.mkdtemp()

    with tf.Graph().as_default():
        x, y, loss, step, train = build()
        print("train op:", train.name)
        saver = tf.compat.v1.train.Saver(max_to_keep=2)
        with tf.compat.v1.Session() as sess:
            sess.run(tf.compat.v1.global_variables_initializer())
            feed = dict(zip((x, y), feed_values))
            for _ in range(20):
                sess.run(train, feed)
            path = saver.save(sess, os.path.join(folder, "model"), global_step=step)
            print(f"saved {os.path.basename(path)}, loss {sess.run(loss, feed):.6f}")
            for _ in range(20):
                sess.run(train, feed)
            final = sess.run(loss, feed)

    # a new run of the program: the same graph, restored from the newest checkpoint
    with tf.Graph().as_default():
        x, y, loss, step, train = build()
        saver = tf.compat.v1.train.Saver()
        with tf.compat.v1.Session() as sess:
            saver.restore(sess, tf.compat.v1.train.latest_checkpoint(folder))
            feed = dict(zip((x, y), feed_values))
            print("restored at step", sess.run(step))
            for _ in range(20):
                sess.run(train, feed)
            resumed = sess.run(loss, feed)
    print(f"loss after 40 steps: {final:.6f}, resumed: {resumed:.6f}")
    assert resumed == final and final < 0.1


if __name__ == "__main__":
    main()
