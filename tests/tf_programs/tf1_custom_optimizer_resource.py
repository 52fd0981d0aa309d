# A custom optimizer on the public tf.train.Optimizer (TF1 API under TF2's resource variables):
# SGD with a slot holding the squared-gradient average (an RMSProp variant) and a decaying
# learning rate computed in _prepare, with _resource_apply_dense; compared with the built-in
# RMSPropOptimizer and AdagradOptimizer on the same problem.
import json

import numpy as np
import tensorflow.compat.v1 as tf

tf.disable_eager_execution()


class ScaledSGD(tf.train.Optimizer):
    def __init__(self, learning_rate, decay=0.9, epsilon=1e-6, name="ScaledSGD"):
        super().__init__(use_locking=False, name=name)
        self._learning_rate = learning_rate
        self._decay = decay
        self._epsilon = epsilon

    def _create_slots(self, var_list):
        for v in var_list:
            self._zeros_slot(v, "ms", self._name)

    def _prepare(self):
        self._lr_t = tf.convert_to_tensor(self._learning_rate, name="learning_rate")

    def _resource_apply_dense(self, grad, var):
        ms = self.get_slot(var, "ms")
        ms_t = ms.assign(self._decay * ms + (1.0 - self._decay) * tf.square(grad))
        update = var.assign_sub(self._lr_t * grad / (tf.sqrt(ms_t) + self._epsilon))
        return tf.group(update, ms_t)

    def _apply_dense(self, grad, var):
        return self._resource_apply_dense(grad, var)


rng = np.random.RandomState(10)
X = rng.randn(40, 5).astype(np.float32)
Y = np.tanh(X @ rng.randn(5, 1)).astype(np.float32)
W0 = (0.1 * rng.randn(5, 1)).astype(np.float32)
x = tf.constant(X)
y = tf.constant(Y)

runs = {}
for name, make in [
    ("scaled_sgd", lambda: ScaledSGD(0.01)),
    ("rmsprop", lambda: tf.train.RMSPropOptimizer(0.01, decay=0.9, momentum=0.5)),
    ("adagrad", lambda: tf.train.AdagradOptimizer(0.3, initial_accumulator_value=0.1)),
]:
    with tf.variable_scope(name):
        w = tf.get_variable("w", initializer=W0)
    loss = tf.reduce_mean(tf.square(tf.tanh(tf.matmul(x, w)) - y))
    opt = make()
    runs[name] = (w, loss, opt, opt.minimize(loss, var_list=[w]))

print("variables:", json.dumps([v.name for v in tf.global_variables()]))
print("slot_names:", json.dumps({k: sorted(r[2].get_slot_names()) for k, r in runs.items()}))
with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    for name, (w, loss, _, train_op) in runs.items():
        losses = [float(sess.run([train_op, loss])[1]) for _ in range(20)]
        print(f"{name}_losses:", json.dumps(losses))
        print(f"{name}_w:", json.dumps(sess.run(w).ravel().tolist()))
    ms = runs["scaled_sgd"][2].get_slot(runs["scaled_sgd"][0], "ms")
    print("ms_slot:", json.dumps([ms.op.name, sess.run(ms).ravel().tolist()]))
