"""BinaryNet by the book (Courbariaux et al. 2016) beside its float twin, on the source digits.

A multilayer perceptron, 256 pixels -> 256 -> 256 -> 10 classes. In the binarized one:

- activations are +-1: `estimators.sign_ste(x, clip=1.0)`, sign(0) = +1, whose backward is
  the hardtanh's straight-through gradient `dy * 1{|x| <= 1}`;
- weights are +-1 in the forward pass, the same estimator applied to real-valued "shadow"
  weights, which the optimizer updates and which are clipped to [-1, 1] after every step (so
  a weight can always flip back);
- the input pixels and the output logits stay real, as in the paper.

Deliberate difference: a fixed 1/sqrt(fan-in) scale and a learned per-unit bias stand in for
batch normalisation, to keep the pre-activations of +-1 sums in the estimator's window.

`float`: the same network with real (Glorot-initialised, unscaled) weights and hardtanh
activations. `no_ste`: the binarized
forward with no estimator (`stop_gradient` of the sign): the weights get no gradient (None) and
the network cannot learn, which is what the estimator is for.
"""
import numpy as np

import janusgrad as tf
from janusgrad import estimators

KINDS = ("float", "binary", "no_ste")
LABELS = {"float": "float MLP (hardtanh)", "binary": "BinaryNet (sign STE, clip 1)",
          "no_ste": "BinaryNet without the STE"}
SHORT = {"float": "float MLP", "binary": "BinaryNet", "no_ste": "BinaryNet\nwithout STE"}
WIDTHS = (256, 256, 256, 10)


class BinaryMLP:
    def __init__(self, kind, seed, learning_rate=3e-3):
        if kind not in KINDS:
            raise ValueError(f"unknown binary-experiment model {kind!r}; expected one of {KINDS}")
        self.kind = kind
        rng = np.random.default_rng(seed)
        self.kernels, self.biases = [], []
        for fan_in, fan_out in zip(WIDTHS[:-1], WIDTHS[1:], strict=True):
            limit = np.sqrt(6.0 / (fan_in + fan_out))      # Glorot uniform, inside [-1, 1]
            self.kernels.append(tf.Variable(rng.uniform(-limit, limit, (fan_in, fan_out))
                                            .astype(np.float32)))
            self.biases.append(tf.Variable(np.zeros(fan_out, np.float32)))
        self.optimizer = tf.keras.optimizers.Adam(learning_rate)
        self.loss = tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True)
        self.train_step = tf.function(self._train_step)
        self.predict = tf.function(self._predict)

    def _sign(self, x):
        if self.kind == "binary":
            return estimators.sign_ste(x, clip=1.0)
        return tf.stop_gradient(estimators.sign_ste(x, clip=1.0))   # no_ste: no gradient

    def _logits(self, x):
        last = len(self.kernels) - 1
        for i, (w, b) in enumerate(zip(self.kernels, self.biases, strict=True)):
            if self.kind == "float":
                x = tf.matmul(x, w) + b
            else:       # a +-1 sum over fan-in terms: scaled back to about unit size
                x = tf.matmul(x, self._sign(w)) / float(np.sqrt(w.shape[0])) + b
            if i < last:
                x = tf.clip_by_value(x, -1.0, 1.0) if self.kind == "float" else self._sign(x)
        return x

    def _predict(self, x):
        return tf.argmax(self._logits(x), axis=-1)

    def _train_step(self, x, labels):
        variables = self.kernels + self.biases
        with tf.GradientTape() as tape:
            loss = self.loss(labels, self._logits(x))
        grads = tape.gradient(loss, variables)
        # no_ste: the kernels' gradients are None; Adam moves what has a gradient (the biases)
        self.optimizer.apply_gradients([(g, v) for g, v in zip(grads, variables, strict=True)
                                        if g is not None])
        if self.kind != "float":
            for w in self.kernels:      # BinaryNet: shadow weights stay in [-1, 1]
                w.assign(tf.clip_by_value(w, -1.0, 1.0))
        return loss

    def kernel_gradients_none(self, x, labels):
        """How many kernels get no gradient at all (None) on one batch."""
        with tf.GradientTape() as tape:
            loss = self.loss(labels, self._logits(tf.constant(x)))
        return sum(g is None for g in tape.gradient(loss, self.kernels))

    def accuracy(self, x, labels):
        return float(np.mean(self.predict(x).numpy() == labels))


def train_binary(kind, seed, data, epochs, batch_size=64, progress=None, cap=None):
    """Train one model on the source digits (grey, flattened, centred); its test accuracy."""
    model = BinaryMLP(kind, seed)
    rng = np.random.default_rng(seed)
    x, y = data["x_train"], data["y_train"]
    steps = max(1, len(y) // batch_size)
    steps = steps if cap is None else min(steps, cap)
    losses = []
    for _ in range(epochs):
        order = rng.permutation(len(y))
        for step in range(steps):
            rows = order[step * batch_size:(step + 1) * batch_size]
            losses.append(float(model.train_step(x[rows], y[rows])))
            if progress is not None:
                progress.update(1)
    return {"accuracy": model.accuracy(data["x_test"], data["y_test"]),
            "final_loss": float(np.mean(losses[-steps:])),
            "kernels_without_gradient": model.kernel_gradients_none(x[:batch_size],
                                                                    y[:batch_size]),
            "kernels": len(model.kernels), "steps": epochs * steps}


def binary_data(domains):
    """The source digits of a DigitDomains as flattened, centred grey vectors."""
    train = domains.digits_train.reshape(len(domains.digits_train), -1)
    test = domains.source_test[..., 0].reshape(len(domains.source_test), -1)
    mean = train.mean(axis=0)
    return {"x_train": train - mean, "y_train": domains.labels_train,
            "x_test": test - mean, "y_test": domains.labels_test}
