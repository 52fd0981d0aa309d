"""The inter-twinning moons of Ganin et al. (JMLR 2016, section 5.1): DANN where it works.

Source: scikit-learn's two moons, labelled. Target: fresh moons rotated about their centre by
`ANGLE` degrees, unlabelled. A small network learns the source labels; DANN adds a domain
classifier reading the hidden features through `estimators.reverse_gradient`, whose strength
lives in a variable that a schedule assigns every step (no retracing). Training is full-batch:
300 points per domain, so each step is one compiled call.
"""
import numpy as np

import janusgrad as tf
from janusgrad import estimators

ANGLE = 35.0
N_POINTS = 300
NOISE = 0.1

# the recipe found by tools/search_moons_recipe.py (36 settings over 8-16 seeds each, log in
# tools/moons_recipe_search.jsonl): Adam, a constant strength, two 32-unit layers. The
# paper's shape (one 15-unit layer, SGD, rising strength) gained 7 points at best here.
RECIPE = {"layers": 2, "hidden": 32, "domain_hidden": 32, "optimizer": "adam",
          "learning_rate": 0.01, "strength": 1.0, "steps": 600, "schedule": "constant"}


def rotate(points, degrees):
    a = np.deg2rad(degrees)
    rotation = np.array([[np.cos(a), -np.sin(a)], [np.sin(a), np.cos(a)]], np.float32)
    return points @ rotation.T


def make_moons_domains(seed, angle=ANGLE, n=N_POINTS, noise=NOISE):
    """Source and target train/test sets, float32 (n, 2), centred on the source's centre."""
    try:
        from sklearn.datasets import make_moons
    except ImportError:
        raise SystemExit("the demo needs scikit-learn: pip install 'janusgrad[demo]'") from None
    centre = np.array([0.5, 0.25], np.float32)        # the two moons' centre of symmetry
    out = {}
    for i, name in enumerate(("source_train", "source_test", "target_train", "target_test")):
        x, y = make_moons(n, noise=noise, random_state=seed * 10 + i)
        out[name] = x.astype(np.float32) - centre
        out[name.replace("_t", "_labels_t")] = y.astype(np.int64)
    out["target_train"] = rotate(out["target_train"], angle)
    out["target_test"] = rotate(out["target_test"], angle)
    return out


def strength_at(progress, top, schedule):
    """The reversal strength at `progress` in [0, 1]: Ganin's 2/(1+exp(-10p))-1, or constant."""
    if schedule == "constant":
        return float(top)
    return float(top * (2.0 / (1.0 + np.exp(-10.0 * progress)) - 1.0))


class MoonsModel:
    """`layers` ReLU layers of features, a 2-way label head, and a domain head: DANN's reads
    the features through the reversal, the baseline's through stop_gradient (it only
    measures how far apart the domains are)."""

    def __init__(self, kind, seed, hidden, domain_hidden, learning_rate, layers=2,
                 optimizer="adam", **_):
        if kind not in ("baseline", "dann"):
            raise ValueError(f"unknown moons model {kind!r}; expected 'baseline' or 'dann'")
        L = tf.keras.layers
        tf.random.set_seed(seed)
        self.kind = kind
        self.features = tf.keras.Sequential([L.Dense(hidden, activation="relu")
                                             for _ in range(layers)])
        self.label = L.Dense(2)
        self.domain = tf.keras.Sequential([L.Dense(domain_hidden, activation="relu"),
                                           L.Dense(1)])
        self.strength = tf.Variable(0.0, trainable=False)   # the schedule assigns it
        self.optimizer = (tf.keras.optimizers.SGD(learning_rate) if optimizer == "sgd"
                          else tf.keras.optimizers.Adam(learning_rate))
        self.class_loss = tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True)
        self.domain_loss = tf.keras.losses.BinaryCrossentropy(from_logits=True)
        self.train_step = tf.function(self._train_step)
        self.predict = tf.function(self._predict)

    def _predict(self, points):
        return tf.argmax(self.label(self.features(points)), axis=-1)

    def _train_step(self, source, labels, target):
        with tf.GradientTape() as tape:
            features = self.features(source)
            loss = self.class_loss(labels, self.label(features))
            both = tf.concat([features, self.features(target)], axis=0)
            # DANN: the domain head learns to tell the domains apart; through the reversal,
            # the features learn to make that impossible. The baseline's head only watches.
            reversed_or_cut = (estimators.reverse_gradient(both, self.strength)
                               if self.kind == "dann" else tf.stop_gradient(both))
            domain_logits = self.domain(reversed_or_cut)[:, 0]
            is_target = tf.concat([tf.zeros_like(labels, tf.float32),
                                   tf.ones_like(labels, tf.float32)], axis=0)
            domain_loss = self.domain_loss(is_target, domain_logits)
            total = loss + domain_loss
        variables = (self.features.trainable_variables + self.label.trainable_variables
                     + self.domain.trainable_variables)
        grads = tape.gradient(total, variables)
        self.optimizer.apply_gradients(zip(grads, variables, strict=True))
        hits = tf.cast(tf.equal(tf.cast(domain_logits > 0, tf.float32), is_target), tf.float32)
        return loss, tf.reduce_mean(hits)

    def accuracy(self, points, labels):
        return float(np.mean(self.predict(points).numpy() == labels))


def train_moons(kind, seed, config, data=None, progress=None, record_every=10, grid=None):
    """Train one model on one seed; returns accuracies, the domain classifier's accuracy
    over training, and (with `grid`) its predictions on the grid points for the picture."""
    data = make_moons_domains(seed) if data is None else data
    model = MoonsModel(kind, seed, **config)
    steps = config["steps"]
    source = tf.constant(data["source_train"])
    labels = tf.constant(data["source_labels_train"])
    target = tf.constant(data["target_train"])
    trace = {"step": [], "domain_accuracy": []}
    for step in range(steps):
        model.strength.assign(strength_at(step / steps, config["strength"],
                                          config["schedule"]))
        _, domain_accuracy = model.train_step(source, labels, target)
        if step % record_every == 0 or step == steps - 1:
            trace["step"].append(step + 1)
            trace["domain_accuracy"].append(float(domain_accuracy))
        if progress is not None:
            progress.update(1)
    out = {"source_accuracy": model.accuracy(data["source_test"], data["source_labels_test"]),
           "target_accuracy": model.accuracy(data["target_test"], data["target_labels_test"]),
           "domain_accuracy": trace["domain_accuracy"][-1], "domain_trace": trace,
           "traces": {"train_step": model.train_step.trace_count}}
    if grid is not None:
        out["grid_predictions"] = model.predict(grid).numpy()
    return out
