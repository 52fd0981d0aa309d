# The tf.Module pattern of the TF guide: modules that create their variables on the first call
# of a @tf.function __call__ under their name scope, an MLP of submodules, a training loop over
# trainable_variables with GradientTape and SGD, and a checkpoint of the module.
import json
import os
import tempfile

import numpy as np
import tensorflow as tf

rng = np.random.default_rng(7)
X = rng.normal(size=(64, 4)).astype(np.float32)
Y = (X[:, :1] * X[:, 1:2] - np.tanh(X[:, 2:3]) + 0.3 * X[:, 3:4]).astype(np.float32)


class FlexibleDense(tf.Module):
    def __init__(self, units, seed, name=None):
        super().__init__(name=name)
        self.units = units
        self.seed = seed
        self.is_built = False

    @tf.function
    def __call__(self, x):
        if not self.is_built:
            rng = np.random.default_rng(self.seed)
            init = rng.normal(scale=0.5, size=(x.shape[-1], self.units))
            with self.name_scope:
                self.w = tf.Variable(init.astype(np.float32), name="w")
                self.b = tf.Variable(tf.zeros([self.units]), name="b")
            self.is_built = True
        return tf.matmul(x, self.w) + self.b


class MLP(tf.Module):
    def __init__(self, sizes, name=None):
        super().__init__(name=name)
        with self.name_scope:
            self.layers = [FlexibleDense(n, seed=i) for i, n in enumerate(sizes)]
        self.scale = tf.Variable(1.0, trainable=False, name="scale")

    @tf.Module.with_name_scope
    def __call__(self, x):
        for layer in self.layers[:-1]:
            x = tf.nn.tanh(layer(x))
        return self.layers[-1](x) * self.scale


model = MLP([8, 8, 1], name="mlp")
print("before_build:", json.dumps([len(model.variables), len(model.submodules)]))
first = model(tf.constant(X[:2]))
print("first_output:", json.dumps(first.numpy().tolist()))
print("submodules:", json.dumps([m.name for m in model.submodules]))
print("variable_names:", json.dumps([v.name for v in model.variables]))
print("trainable:", json.dumps([v.name for v in model.trainable_variables]))
print("non_trainable:", json.dumps([v.name for v in model.non_trainable_variables]))

opt = tf.keras.optimizers.SGD(learning_rate=0.1)
history = []
for _ in range(30):
    with tf.GradientTape() as tape:
        loss = tf.reduce_mean(tf.square(model(tf.constant(X)) - Y))
    grads = tape.gradient(loss, model.trainable_variables)
    opt.apply_gradients(zip(grads, model.trainable_variables))
    history.append(float(loss))
print("history:", json.dumps(history))

folder = tempfile.mkdtemp()
ckpt = tf.train.Checkpoint(model=model)
path = ckpt.save(os.path.join(folder, "mlp"))
saved = [v.numpy().tolist() for v in model.trainable_variables]
for v in model.trainable_variables:
    v.assign(tf.zeros_like(v))
ckpt.restore(path)
print("restored:", json.dumps(all(np.array_equal(v.numpy(), s)
                                  for v, s in zip(model.trainable_variables, saved))))
print("final_b:", json.dumps(model.layers[-1].b.numpy().tolist()))
