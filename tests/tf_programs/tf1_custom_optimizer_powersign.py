# A hand-written TF1 optimizer as blog posts wrote them (PowerSign, Bello et al. 2017): a
# subclass of tensorflow.python.training.optimizer.Optimizer with _prepare, _create_slots and
# _apply_dense, using the private ops modules, under disable_v2_behavior (reference variables).
import json

import numpy as np
import tensorflow.compat.v1 as tf
from tensorflow.python.framework import ops
from tensorflow.python.ops import control_flow_ops, math_ops, state_ops
from tensorflow.python.training import optimizer

tf.disable_v2_behavior()


class PowerSign(optimizer.Optimizer):
    """Implementation of PowerSign. See [Bello et. al., 2017](https://arxiv.org/abs/1709.07417)"""

    def __init__(
        self, learning_rate=0.001, alpha=0.01, beta=0.5, use_locking=False, name="PowerSign"
    ):
        super(PowerSign, self).__init__(use_locking, name)
        self._lr = learning_rate
        self._alpha = alpha
        self._beta = beta
        self._lr_t = None
        self._alpha_t = None
        self._beta_t = None

    def _prepare(self):
        self._lr_t = ops.convert_to_tensor(self._lr, name="learning_rate")
        self._alpha_t = ops.convert_to_tensor(self._alpha, name="alpha_t")
        self._beta_t = ops.convert_to_tensor(self._beta, name="beta_t")

    def _create_slots(self, var_list):
        for v in var_list:
            self._zeros_slot(v, "m", self._name)

    def _apply_dense(self, grad, var):
        lr_t = math_ops.cast(self._lr_t, var.dtype.base_dtype)
        alpha_t = math_ops.cast(self._alpha_t, var.dtype.base_dtype)
        beta_t = math_ops.cast(self._beta_t, var.dtype.base_dtype)
        eps = 1e-7
        m = self.get_slot(var, "m")
        m_t = m.assign(tf.maximum(beta_t * m + eps, tf.abs(grad)))
        var_update = state_ops.assign_sub(
            var, lr_t * grad * tf.exp(tf.log(alpha_t) * tf.sign(grad) * tf.sign(m_t))
        )
        return control_flow_ops.group(*[var_update, m_t])

    def _apply_sparse(self, grad, var):
        raise NotImplementedError("Sparse gradient updates are not supported.")


rng = np.random.RandomState(9)
X = rng.randn(50, 3).astype(np.float32)
Y = (X @ np.array([[0.7], [-1.2], [2.0]], np.float32)).astype(np.float32)
x = tf.placeholder(tf.float32, [None, 3])
y = tf.placeholder(tf.float32, [None, 1])
w = tf.Variable(np.zeros((3, 1), np.float32), name="w")
b = tf.Variable(np.zeros((1,), np.float32), name="b")
loss = tf.reduce_mean(tf.square(tf.matmul(x, w) + b - y))
opt = PowerSign(learning_rate=0.05)
train_op = opt.minimize(loss)

print("slot_names:", json.dumps(opt.get_slot_names()))
print("slot_variable:", json.dumps(opt.get_slot(w, "m").name))
print("dims_are_v1:", json.dumps(x.get_shape()[1].value))
with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    losses = []
    for _ in range(25):
        losses.append(float(sess.run([train_op, loss], {x: X, y: Y})[1]))
    print("losses:", json.dumps(losses))
    print("w:", json.dumps(sess.run(w).ravel().tolist()))
    print("m:", json.dumps(sess.run(opt.get_slot(w, "m")).ravel().tolist()))
