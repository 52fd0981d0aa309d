"""The digits experiment's models and their compiled training steps.

All share one small CNN: two 3x3 convolutions (16 and 32 filters, ReLU) each followed by 2x2
max pooling, then a 64-unit hidden layer and a 10-way classifier. They differ in what they
train on, never in the network:

- baseline: labelled source digits only.
- dann: the same, plus a domain classifier (source or target image?) reading the
  convolutional features through `estimators.reverse_gradient`, whose strength is a variable
  the schedule assigns each step (Ganin & Lempitsky 2015).
- normalised: every image, in both domains, normalised per image (grey, standardised, its
  polarity set so the background is dark; `data.normalise_per_image`).
- both_polarities: a random half of the source digits inverted every epoch, so the network
  learns dark-on-light strokes too.
"""
import numpy as np

import janusgrad as tf
from janusgrad import estimators

KINDS = ("baseline", "dann", "normalised", "both_polarities")
LABELS = {"baseline": "baseline (source only)", "dann": "DANN (gradient reversal)",
          "normalised": "per-image normalisation", "both_polarities": "trained on both polarities"}


def reversal_strength(progress, top=1.0):
    """DANN's schedule: 0 at the start, rising to `top` (top * (2 / (1 + exp(-10 p)) - 1))."""
    return top * (2.0 / (1.0 + np.exp(-10.0 * progress)) - 1.0)


class DigitModel:
    """One of KINDS: layers, an Adam optimizer, and tf.function steps (traced once each)."""

    def __init__(self, kind, seed):
        if kind not in KINDS:
            raise ValueError(f"unknown model kind {kind!r}; expected one of {KINDS}")
        L = tf.keras.layers
        tf.random.set_seed(seed)
        self.kind = kind
        self.features = tf.keras.Sequential([
            L.Conv2D(16, 3, padding="same", activation="relu"), L.MaxPooling2D(),
            L.Conv2D(32, 3, padding="same", activation="relu"), L.MaxPooling2D(),
            L.Flatten()])
        self.head = tf.keras.Sequential([L.Dense(64, activation="relu"), L.Dense(10)])
        self.domain = tf.keras.Sequential([L.Dense(64, activation="relu"), L.Dense(1)])
        self.strength = tf.Variable(0.0, trainable=False)   # assigned by the schedule
        self.optimizer = tf.keras.optimizers.Adam(1e-3)
        self.class_loss = tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True)
        self.domain_loss = tf.keras.losses.BinaryCrossentropy(from_logits=True)
        self.train_step = tf.function(self._train_step)
        self.predict = tf.function(self._predict)
        self.domain_predict = tf.function(self._domain_predict)

    def _predict(self, images):
        return tf.argmax(self.head(self.features(images)), axis=-1)

    def _domain_predict(self, images):
        return self.domain(self.features(images))[:, 0] > 0

    def _train_step(self, source, labels, target):
        with tf.GradientTape() as tape:
            features = self.features(source)
            loss = self.class_loss(labels, self.head(features))
            if self.kind == "dann":
                both = tf.concat([features, self.features(target)], axis=0)
                domain_logits = self.domain(estimators.reverse_gradient(both, self.strength))
                is_target = tf.concat([tf.zeros_like(domain_logits[:tf.shape(source)[0]]),
                                       tf.ones_like(domain_logits[tf.shape(source)[0]:])],
                                      axis=0)
                loss = loss + self.domain_loss(is_target, domain_logits)
        variables = self.trainable_variables()
        grads = tape.gradient(loss, variables)
        self.optimizer.apply_gradients(zip(grads, variables, strict=True))
        return loss

    def trainable_variables(self):
        parts = [self.features, self.head] + ([self.domain] if self.kind == "dann" else [])
        return [v for part in parts for v in part.trainable_variables]

    def accuracy(self, images, labels):
        return float(np.mean(self.predict(images).numpy() == labels))

    def domain_accuracy(self, source, target):
        """How often the domain classifier tells test images' domains apart (DANN only;
        0.5 is the aim of the reversal)."""
        hits = np.concatenate([~self.domain_predict(source).numpy(),
                               self.domain_predict(target).numpy()])
        return float(hits.mean())
