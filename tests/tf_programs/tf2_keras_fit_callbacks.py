# Keras the way most TF2 code trains (Keras 3 in TF 2.21): a Sequential model with Constant
# initializers and an l2 kernel regularizer, compile with SGD and a metric, fit without shuffling
# with a custom Callback recording each epoch's logs and EarlyStopping, then evaluate and predict.
import json

import numpy as np
import tensorflow as tf

rng = np.random.default_rng(30)
X = rng.normal(size=(64, 4)).astype(np.float32)
Y = (X[:, 0] - 2 * X[:, 1] + X[:, 2] * X[:, 3] > 0).astype(np.int32)
XV = rng.normal(size=(32, 4)).astype(np.float32)
YV = (XV[:, 0] - 2 * XV[:, 1] + XV[:, 2] * XV[:, 3] > 0).astype(np.int32)


class Recorder(tf.keras.callbacks.Callback):
    def __init__(self):
        super().__init__()
        self.epochs = []

    def on_epoch_end(self, epoch, logs=None):
        self.epochs.append(
            [epoch, float(logs["loss"]), float(logs["accuracy"]), float(logs["val_loss"])]
        )


model = tf.keras.Sequential(
    [
        tf.keras.Input(shape=(4,)),
        tf.keras.layers.Dense(
            8,
            activation="tanh",
            kernel_initializer=tf.keras.initializers.Constant(rng.normal(scale=0.5, size=(4, 8))),
            kernel_regularizer=tf.keras.regularizers.l2(0.01),
        ),
        tf.keras.layers.Dense(
            2, kernel_initializer=tf.keras.initializers.Constant(rng.normal(scale=0.5, size=(8, 2)))
        ),
    ]
)
model.compile(
    optimizer=tf.keras.optimizers.SGD(learning_rate=0.1, momentum=0.9),
    loss=tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True),
    metrics=["accuracy"],
)
recorder = Recorder()
stop = tf.keras.callbacks.EarlyStopping(monitor="val_loss", patience=2, restore_best_weights=True)
history = model.fit(
    X,
    Y,
    batch_size=16,
    epochs=12,
    shuffle=False,
    verbose=0,
    validation_data=(XV, YV),
    callbacks=[recorder, stop],
)

print("epochs_run:", json.dumps(len(history.history["loss"])))
print("history_keys:", json.dumps(sorted(history.history)))
print("recorded:", json.dumps(recorder.epochs))
print("regularization_losses:", json.dumps([float(loss) for loss in model.losses]))
loss, acc = model.evaluate(XV, YV, verbose=0)
print("evaluate:", json.dumps([float(loss), float(acc)]))
print("predict:", json.dumps(model.predict(XV[:4], verbose=0).tolist()))
print("num_weights:", json.dumps([len(model.weights), len(model.trainable_weights)]))
print("param_count:", json.dumps(model.count_params()))
