"""Training loop of the digits experiment (models.py's models on data.py's domains)."""
import numpy as np

from .models import DigitModel, reversal_strength


def steps_per_epoch(n, batch_size, cap=None):
    steps = max(1, n // batch_size)
    return steps if cap is None else min(steps, cap)


def train_digits(kind, seed, domains, epochs, batch_size=64, strength=0.3, cap=None,
                 progress=None):
    """Train one model on one seed; returns test accuracies (target split by stroke
    polarity), DANN's domain classifier accuracy, and the per-epoch history."""
    model = DigitModel(kind, seed)
    rng = np.random.default_rng(seed + 1000)      # the epochs' shifts, blends and batches
    normalise = kind == "normalised"
    n = len(domains.labels_train)
    steps = steps_per_epoch(n, batch_size, cap)
    total = epochs * steps
    source_test = domains.prepare(domains.source_test, normalise)
    target_test = domains.prepare(domains.target_test, normalise)
    history = {"epoch": [], "loss": []}     # test accuracy only at the end: it costs time
    for epoch in range(epochs):
        source, target = domains.epoch_images(rng, invert_half=kind == "both_polarities")
        source, target = domains.prepare(source, normalise), domains.prepare(target, normalise)
        source_order, target_order = rng.permutation(n), rng.permutation(n)
        losses = []
        for step in range(steps):
            model.strength.assign(reversal_strength((epoch * steps + step) / total, strength))
            rows = source_order[step * batch_size:(step + 1) * batch_size]
            target_rows = target_order[step * batch_size:(step + 1) * batch_size]
            losses.append(float(model.train_step(source[rows], domains.labels_train[rows],
                                                 target[target_rows])))
            if progress is not None:
                progress.update(1)
        history["epoch"].append(epoch + 1)
        history["loss"].append(float(np.mean(losses)))
    hits = model.predict(target_test).numpy() == domains.labels_test
    inverted = domains.polarity_test == 1
    return {"seed": seed,
            "source_accuracy": model.accuracy(source_test, domains.labels_test),
            "target_accuracy": float(hits.mean()),
            "target_accuracy_normal": float(hits[~inverted].mean()),
            "target_accuracy_inverted": float(hits[inverted].mean()),
            "inverted_fraction": float(inverted.mean()),
            "domain_accuracy": (model.domain_accuracy(source_test, target_test)
                                if kind == "dann" else None),
            "steps": total, "traces": {"train_step": model.train_step.trace_count,
                                       "predict": model.predict.trace_count},
            "history": history}
