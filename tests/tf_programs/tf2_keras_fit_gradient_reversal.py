# Domain-adversarial training the Keras way (Keras 3 in TF 2.21): a GradientReversal layer
# around tf.custom_gradient inside a subclassed Model with two outputs (label, domain), compiled
# with a list of losses, loss_weights and per-output metrics, trained with fit (validation_split,
# LearningRateScheduler, LambdaCallback), then evaluate / predict; and a Model overriding
# train_step the way the Keras guide shows, trained with fit.
import json

import numpy as np
import tensorflow as tf

rng = np.random.default_rng(11)
X = rng.normal(size=(48, 4)).astype(np.float32)
LABEL = (X[:, 0] + X[:, 1] > 0).astype(np.int32) + (X[:, 2] > 0.8).astype(np.int32)
DOMAIN = (X[:, 3] > 0).astype(np.float32)


@tf.custom_gradient
def reverse_gradient(x):
    def grad(dy):
        return -0.5 * dy

    return tf.identity(x), grad


class GradientReversal(tf.keras.layers.Layer):
    def call(self, inputs):
        return reverse_gradient(inputs)


class DomainAdversarial(tf.keras.Model):
    def __init__(self):
        super().__init__()
        self.features = tf.keras.layers.Dense(6, activation="relu")
        self.classifier = tf.keras.layers.Dense(3)
        self.reversal = GradientReversal()
        self.discriminator = tf.keras.layers.Dense(1)

    def call(self, inputs):
        h = self.features(inputs)
        return [self.classifier(h), self.discriminator(self.reversal(h))]


model = DomainAdversarial()
model(X[:1])
model.features.set_weights([rng.normal(scale=0.5, size=(4, 6)), np.full(6, 0.1)])
model.classifier.set_weights([rng.normal(scale=0.5, size=(6, 3)), np.zeros(3)])
model.discriminator.set_weights([rng.normal(scale=0.5, size=(6, 1)), np.zeros(1)])
model.compile(
    optimizer=tf.keras.optimizers.SGD(learning_rate=0.2, momentum=0.9),
    loss=[
        tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True),
        tf.keras.losses.BinaryCrossentropy(from_logits=True),
    ],
    loss_weights=[1.0, 0.3],
    metrics=[["accuracy"], ["accuracy"]],
)
rates = []
history = model.fit(
    X,
    [LABEL, DOMAIN],
    batch_size=8,
    epochs=4,
    shuffle=False,
    verbose=0,
    validation_split=0.25,
    callbacks=[
        tf.keras.callbacks.LearningRateScheduler(lambda epoch, lr: lr * 0.5 if epoch else lr),
        tf.keras.callbacks.LambdaCallback(
            on_epoch_end=lambda epoch, logs: rates.append(logs["learning_rate"])
        ),
    ],
)
print("history:", json.dumps({k: v for k, v in sorted(history.history.items())}))
print("rates:", json.dumps(rates))
print("evaluate:", json.dumps(model.evaluate(X, [LABEL, DOMAIN], verbose=0)))
label_logits, domain_logits = model.predict(X[:3], verbose=0)
print("predict:", json.dumps([label_logits.tolist(), domain_logits.tolist()]))


class GuideModel(tf.keras.Sequential):
    def train_step(self, data):
        x, y = data
        with tf.GradientTape() as tape:
            y_pred = self(x, training=True)
            loss = self.compute_loss(y=y, y_pred=y_pred)
        gradients = tape.gradient(loss, self.trainable_variables)
        self.optimizer.apply_gradients(zip(gradients, self.trainable_variables))
        for metric in self.metrics:
            if metric.name == "loss":
                metric.update_state(loss)
            else:
                metric.update_state(y, y_pred)
        return {m.name: m.result() for m in self.metrics}


guide = GuideModel([tf.keras.Input(shape=(4,)), tf.keras.layers.Dense(1, activation="sigmoid")])
guide.layers[0].set_weights([rng.normal(scale=0.5, size=(4, 1)), np.zeros(1)])
guide.compile(optimizer="adam", loss="binary_crossentropy", metrics=["accuracy"])
guide_history = guide.fit(X, DOMAIN, batch_size=16, epochs=3, shuffle=False, verbose=0)
print("guide_history:", json.dumps({k: v for k, v in sorted(guide_history.history.items())}))
print("guide_metrics_names:", json.dumps(guide.metrics_names))
