"""The demo's pictures: moons.png (decision boundaries, domain classifier accuracy) and
digits.png (accuracy by stroke polarity per model, BinaryNet beside the float model)."""
import numpy as np

GRID = 120


def _pyplot():
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    return plt


def moons_grid(data, margin=0.5):
    """Points covering both domains, for drawing decision regions."""
    pts = np.concatenate([data["source_train"], data["target_train"]])
    lo, hi = pts.min(axis=0) - margin, pts.max(axis=0) + margin
    xs, ys = np.linspace(lo[0], hi[0], GRID), np.linspace(lo[1], hi[1], GRID)
    xx, yy = np.meshgrid(xs, ys)
    return np.stack([xx.ravel(), yy.ravel()], axis=1).astype(np.float32), xx, yy


def plot_moons(data, xx, yy, predictions, per_seed, labels, path, seed):
    """Two boundary panels (seed `seed`) and the domain classifier's accuracy over training
    (mean over seeds, every seed faint)."""
    plt = _pyplot()
    fig, axes = plt.subplots(1, 3, figsize=(15, 4.6))
    for ax, kind in zip(axes[:2], ("baseline", "dann"), strict=True):
        r = next(r for r in per_seed[kind] if r["seed"] == seed)
        ax.contourf(xx, yy, predictions[kind].reshape(xx.shape), levels=[-0.5, 0.5, 1.5],
                    colors=["#f4c7c3", "#c6dbef"], alpha=0.8)
        ax.contour(xx, yy, predictions[kind].reshape(xx.shape), levels=[0.5], colors="k",
                   linewidths=1)
        for name, marker, size in (("source_train", "o", 14), ("target_train", "x", 14)):
            y = data[name.replace("_t", "_labels_t")]
            pts = data[name]
            if name.startswith("source"):
                ax.scatter(*pts[y == 0].T, s=size, c="#d62728", marker=marker,
                           label="source, class 0")
                ax.scatter(*pts[y == 1].T, s=size, c="#1f77b4", marker=marker,
                           label="source, class 1")
            else:       # the target is unlabelled for training: drawn in one colour
                ax.scatter(*pts.T, s=size, c="#555555", marker=marker, linewidths=0.8,
                           label="target (unlabelled)")
        ax.set_title(f"{labels[kind]}, seed {seed}\nsource {r['source_accuracy']:.1%}, "
                     f"target {r['target_accuracy']:.1%}")
        ax.set_xticks([])
        ax.set_yticks([])
    axes[0].legend(fontsize=8, loc="lower left")
    ax = axes[2]
    for kind, colour in (("baseline", "#7f7f7f"), ("dann", "#2ca02c")):
        traces = [r["domain_trace"] for r in per_seed[kind]]
        steps = traces[0]["step"]
        acc = np.array([t["domain_accuracy"] for t in traces])
        for a in acc:
            ax.plot(steps, a, color=colour, alpha=0.2, linewidth=0.8)
        ax.plot(steps, acc.mean(axis=0), color=colour, linewidth=2,
                label=f"{labels[kind]} (mean of {len(acc)} seeds)")
    ax.axhline(0.5, color="k", linestyle=":", linewidth=1)
    ax.set_ylim(0.3, 1.02)
    ax.set_xlabel("training step")
    ax.set_title("domain classifier accuracy (training batch)\n0.5: domains indistinguishable")
    ax.legend(fontsize=8)
    ax.grid(alpha=0.3)
    fig.suptitle("inter-twinning moons: source labelled, target rotated "
                 "and unlabelled (Ganin et al. 2016, 5.1)")
    fig.tight_layout()
    fig.savefig(path, dpi=90)
    plt.close(fig)


def plot_digits(digits_models, digit_labels, binary_models, binary_labels, path):
    """Left: target accuracy on normal and inverted strokes per model (mean and std over
    seeds). Right: BinaryNet, the float model and the ablation, source test accuracy."""
    plt = _pyplot()
    fig, axes = plt.subplots(1, 2, figsize=(13, 4.2),
                             gridspec_kw={"width_ratios": [2, 1]})
    ax = axes[0]
    kinds = list(digits_models)
    x = np.arange(len(kinds))
    bars = (("source_accuracy", "source"), ("target_accuracy_normal", "target, normal strokes"),
            ("target_accuracy_inverted", "target, inverted strokes"))
    for i, (key, name) in enumerate(bars):
        s = [digits_models[k]["summary"][key] for k in kinds]
        ax.bar(x + (i - 1) * 0.27, [v["mean"] for v in s], 0.27,
               yerr=[v["std"] for v in s], capsize=3, label=name)
    ax.set_xticks(x, [digit_labels[k] for k in kinds], fontsize=8)
    ax.set_ylim(0, 1)
    ax.axhline(0.1, color="grey", linewidth=0.8, linestyle="-.")     # chance: 10 classes
    ax.set_ylabel("test accuracy (mean ± std over seeds)")
    ax.set_title("digits -> digits blended into photographs")
    ax.legend(fontsize=8)
    ax.grid(axis="y", alpha=0.3)
    ax = axes[1]
    if binary_models:
        kinds = list(binary_models)
        s = [binary_models[k]["summary"]["accuracy"] for k in kinds]
        ax.bar(np.arange(len(kinds)), [v["mean"] for v in s], 0.6,
               yerr=[v["std"] for v in s], capsize=3, color=["#1f77b4", "#ff7f0e", "#7f7f7f"])
        ax.set_xticks(np.arange(len(kinds)), [binary_labels[k] for k in kinds], fontsize=7)
        ax.axhline(0.1, color="grey", linewidth=0.8, linestyle="-.")
    ax.set_ylim(0, 1)
    ax.set_title("binarized MLP on the source digits")
    ax.grid(axis="y", alpha=0.3)
    fig.tight_layout()
    fig.savefig(path, dpi=90)
    plt.close(fig)
