# A custom training loop under tf.distribute (TF2): MirroredStrategy on the one CPU device,
# variables and optimizer made in strategy.scope(), a step run with strategy.run inside
# tf.function, per-replica losses combined with strategy.reduce(SUM), and the default strategy.
import json

import numpy as np
import tensorflow as tf

rng = np.random.default_rng(31)
X = rng.normal(size=(32, 3)).astype(np.float32)
Y = (X @ np.array([[0.5], [-1.0], [2.0]]) + 0.1).astype(np.float32)
GLOBAL_BATCH = 8

default = tf.distribute.get_strategy()
print("default_replicas:", json.dumps(default.num_replicas_in_sync))
strategy = tf.distribute.MirroredStrategy(devices=["/cpu:0"])
print("replicas:", json.dumps(strategy.num_replicas_in_sync))

with strategy.scope():
    model = tf.keras.Sequential(
        [tf.keras.Input(shape=(3,)), tf.keras.layers.Dense(1, kernel_initializer="zeros")]
    )
    optimizer = tf.keras.optimizers.SGD(learning_rate=0.1)


def compute_loss(y, pred):
    per_example = tf.reduce_sum(tf.square(y - pred), axis=1)
    return tf.nn.compute_average_loss(per_example, global_batch_size=GLOBAL_BATCH)


@tf.function
def distributed_step(x, y):
    def step(x, y):
        with tf.GradientTape() as tape:
            loss = compute_loss(y, model(x))
        grads = tape.gradient(loss, model.trainable_variables)
        optimizer.apply_gradients(zip(grads, model.trainable_variables))
        return loss

    per_replica = strategy.run(step, args=(x, y))
    return strategy.reduce(tf.distribute.ReduceOp.SUM, per_replica, axis=None)


losses = []
for _ in range(5):
    for i in range(0, 32, GLOBAL_BATCH):
        losses.append(
            float(
                distributed_step(
                    tf.constant(X[i : i + GLOBAL_BATCH]), tf.constant(Y[i : i + GLOBAL_BATCH])
                )
            )
        )
print("losses:", json.dumps(losses))
print("kernel:", json.dumps(model.layers[0].kernel.numpy().ravel().tolist()))
print("bias:", json.dumps(model.layers[0].bias.numpy().tolist()))
