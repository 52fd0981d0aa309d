"""`python -m janusgrad.demo`: gradient reversal where it works, where it does not, and
BinaryNet, each over several seeds.

1. moons (`moons.py`): Ganin et al.'s inter-twinning moons; source-only baseline against DANN
   (`estimators.reverse_gradient`, its strength in a variable), decision boundaries drawn.
2. digits (`digits.py`, `models.py`, `data.py`): scikit-learn's digits against the same
   digits blended into photographs (MNIST-M style), the honest hard case: about 40 % of the
   target digits come out with inverted strokes. Baseline, DANN, per-image normalisation and
   training on both polarities; target accuracy split by polarity.
3. binary (`binary.py`): BinaryNet (`estimators.sign_ste(x, clip=1.0)` for activations and
   weights, shadow weights clipped to [-1, 1]) beside the float model, and without the
   straight-through estimator.

Prints mean ± std over seeds and writes results.json, moons.png and digits.png to `--out`.
Needs the `demo` extra: pip install 'janusgrad[demo]'.
"""
import argparse
import json
import os
import sys
import time

EXPERIMENTS = ("moons", "digits", "binary")
DEFAULT_EPOCHS = 8
DEFAULT_STRENGTH = 0.3
DEFAULT_SEEDS = 5
DEFAULT_DIGIT_SEEDS = 3


def parse_args(argv=None):
    p = argparse.ArgumentParser(
        prog="python -m janusgrad.demo",
        description="Domain-adversarial training (gradient reversal) on the inter-twinning "
                    "moons and on digits blended into photographs, and BinaryNet on the "
                    "digits, each over several seeds. Writes results.json, moons.png and "
                    "digits.png.")
    p.add_argument("--epochs", type=int, default=DEFAULT_EPOCHS,
                   help="passes over the training digits per digits/BinaryNet model "
                        f"(default {DEFAULT_EPOCHS})")
    p.add_argument("--seed", type=int, default=0,
                   help="first seed; seeds run are seed, seed+1, ... (default 0)")
    p.add_argument("--seeds", type=int, default=DEFAULT_SEEDS,
                   help=f"seeds of the moons experiment (default {DEFAULT_SEEDS})")
    p.add_argument("--digit-seeds", type=int, default=DEFAULT_DIGIT_SEEDS,
                   help="seeds of the digits and BinaryNet experiments (default "
                        f"{DEFAULT_DIGIT_SEEDS})")
    p.add_argument("--out", default="demo_output",
                   help="folder for the outputs (default ./demo_output)")
    p.add_argument("--batch-size", type=int, default=64, help="digits per step and domain")
    p.add_argument("--steps-per-epoch", type=int, default=None,
                   help="cap on the steps of a digits or BinaryNet epoch (default: the whole "
                        "training set)")
    p.add_argument("--moons-steps", type=int, default=None,
                   help="full-batch steps per moons model (default: the recipe's)")
    p.add_argument("--strength", type=float, default=DEFAULT_STRENGTH,
                   help="final strength of the digits DANN's gradient reversal (default "
                        f"{DEFAULT_STRENGTH})")
    p.add_argument("--experiments", default=",".join(EXPERIMENTS),
                   help="comma-separated subset of: " + ",".join(EXPERIMENTS))
    args = p.parse_args(argv)
    for name in ("epochs", "seeds", "digit_seeds", "batch_size", "steps_per_epoch",
                 "moons_steps"):
        value = getattr(args, name)
        if value is not None and value < 1:
            p.error(f"--{name.replace('_', '-')} must be positive, got {value}")
    args.experiments = [m.strip() for m in args.experiments.split(",") if m.strip()]
    unknown = sorted(set(args.experiments) - set(EXPERIMENTS))
    if unknown or not args.experiments:
        p.error(f"--experiments: unknown experiment(s) {unknown}; choose from "
                f"{','.join(EXPERIMENTS)}")
    return args


def _require_extras():
    missing = []
    for module, package in (("sklearn", "scikit-learn"), ("matplotlib", "matplotlib"),
                            ("tqdm", "tqdm")):
        try:
            __import__(module)
        except ImportError:
            missing.append(package)
    if missing:
        raise SystemExit(f"the demo needs {', '.join(missing)}: pip install 'janusgrad[demo]'")


def _bar(tqdm, total, desc):
    return tqdm(total=total, desc=f"{desc:>16}", unit="step", file=sys.stderr,
                dynamic_ncols=True)


def run_moons(args, tqdm, out):
    from . import moons, plots
    from .report import fmt, paired_gain, summarise, table
    config = dict(moons.RECIPE)
    if args.moons_steps is not None:
        config["steps"] = args.moons_steps
    seeds = list(range(args.seed, args.seed + args.seeds))
    per_seed = {"baseline": [], "dann": []}
    first = moons.make_moons_domains(seeds[0])
    grid, xx, yy = plots.moons_grid(first)
    predictions = {}
    with _bar(tqdm, len(seeds) * 2 * config["steps"], "moons") as bar:
        for seed in seeds:
            data = first if seed == seeds[0] else moons.make_moons_domains(seed)
            for kind in per_seed:
                r = moons.train_moons(kind, seed, config, data, bar,
                                      grid=grid if seed == seeds[0] else None)
                if "grid_predictions" in r:
                    predictions[kind] = r.pop("grid_predictions")
                per_seed[kind].append(dict(seed=seed, **r))
    labels = {"baseline": "baseline (source only)", "dann": "DANN (gradient reversal)"}
    keys = ("source_accuracy", "target_accuracy", "domain_accuracy")
    models = {k: {"summary": summarise(v, keys), "per_seed": v} for k, v in per_seed.items()}
    gain = paired_gain(per_seed["baseline"], per_seed["dann"], "target_accuracy")
    source_change = paired_gain(per_seed["baseline"], per_seed["dann"], "source_accuracy")
    plots.plot_moons(first, xx, yy, predictions, per_seed, labels,
                     os.path.join(out, "moons.png"), seeds[0])
    print(table(f"\nmoons, {len(seeds)} seeds (accuracy %, mean ± std over seeds)",
                ("model", "source", "target", "domain clf."),
                [(labels[k], fmt(m["summary"]["source_accuracy"]),
                  fmt(m["summary"]["target_accuracy"]), fmt(m["summary"]["domain_accuracy"]))
                 for k, m in models.items()]))
    print(f"DANN - baseline, paired by seed: target {gain['mean'] * 100:+.1f} ± "
          f"{gain['std'] * 100:.1f} points (worst seed {gain['min'] * 100:+.1f}), source "
          f"{source_change['mean'] * 100:+.1f} ± {source_change['std'] * 100:.1f}")
    return {"config": dict(config, angle=moons.ANGLE, points_per_domain=moons.N_POINTS,
                           noise=moons.NOISE, seeds=seeds),
            "models": models, "target_gain": gain, "source_change": source_change}


def run_digits(args, tqdm, domains_by_seed):
    from .digits import steps_per_epoch, train_digits
    from .models import KINDS, LABELS
    from .report import fmt, summarise, table
    seeds = sorted(domains_by_seed)
    steps = steps_per_epoch(len(domains_by_seed[seeds[0]].labels_train), args.batch_size,
                            args.steps_per_epoch)
    per_seed = {k: [] for k in KINDS}
    for kind in KINDS:
        with _bar(tqdm, len(seeds) * args.epochs * steps, f"digits {kind}") as bar:
            for seed in seeds:
                per_seed[kind].append(train_digits(
                    kind, seed, domains_by_seed[seed], args.epochs, args.batch_size,
                    args.strength, args.steps_per_epoch, bar))
    keys = ("source_accuracy", "target_accuracy", "target_accuracy_normal",
            "target_accuracy_inverted", "domain_accuracy", "inverted_fraction")
    models = {k: {"summary": summarise(v, keys), "per_seed": v} for k, v in per_seed.items()}
    inverted = models["baseline"]["summary"]["inverted_fraction"]["mean"]
    print(table(f"\ndigits -> photo-blended digits, {len(seeds)} seeds ({inverted:.0%} of "
                "the target digits have inverted strokes; accuracy %, mean ± std)",
                ("model", "source", "target", "normal", "inverted", "domain clf."),
                [(LABELS[k], *(fmt(m["summary"][key]) for key in keys[:5]))
                 for k, m in models.items()]))
    return {"config": {"epochs": args.epochs, "batch_size": args.batch_size,
                       "steps_per_epoch": steps, "reversal_strength": args.strength,
                       "shift_pixels": 2, "reblend_every_epoch": True, "seeds": seeds,
                       "optimizer": "Adam(1e-3)"},
            "models": models}


def run_binary(args, tqdm, domains_by_seed):
    from .binary import KINDS, LABELS, WIDTHS, binary_data, train_binary
    from .report import fmt, summarise, table
    seeds = sorted(domains_by_seed)
    data = {s: binary_data(domains_by_seed[s]) for s in seeds}
    steps = max(1, len(data[seeds[0]]["y_train"]) // args.batch_size)
    steps = steps if args.steps_per_epoch is None else min(steps, args.steps_per_epoch)
    per_seed = {k: [] for k in KINDS}
    for kind in KINDS:
        with _bar(tqdm, len(seeds) * args.epochs * steps, f"binary {kind}") as bar:
            for seed in seeds:
                per_seed[kind].append(dict(seed=seed, **train_binary(
                    kind, seed, data[seed], args.epochs, args.batch_size, bar,
                    args.steps_per_epoch)))
    models = {k: {"summary": summarise(v, ("accuracy", "final_loss")), "per_seed": v}
              for k, v in per_seed.items()}
    print(table(f"\nBinaryNet on the source digits, {len(seeds)} seeds (test accuracy %, "
                "mean ± std)", ("model", "accuracy", "kernels without gradient"),
                [(LABELS[k], fmt(m["summary"]["accuracy"]),
                  f"{m['per_seed'][0]['kernels_without_gradient']} of "
                  f"{m['per_seed'][0]['kernels']}") for k, m in models.items()]))
    return {"config": {"widths": list(WIDTHS), "epochs": args.epochs,
                       "batch_size": args.batch_size, "steps_per_epoch": steps,
                       "optimizer": "Adam(3e-3)",
                       "ste_clip": 1.0, "seeds": seeds}, "models": models}


def main(argv=None):
    args = parse_args(argv)
    _require_extras()
    from tqdm import tqdm
    from .binary import SHORT as BINARY_LABELS
    from .data import DigitDomains
    from .models import LABELS
    from .plots import plot_digits
    start = time.time()
    os.makedirs(args.out, exist_ok=True)
    summary = {"config": {"experiments": args.experiments, "seed": args.seed,
                          "seeds": args.seeds, "digit_seeds": args.digit_seeds,
                          "epochs": args.epochs}}
    if "moons" in args.experiments:
        summary["moons"] = run_moons(args, tqdm, args.out)
    if "digits" in args.experiments or "binary" in args.experiments:
        domains = {s: DigitDomains(s) for s in range(args.seed, args.seed + args.digit_seeds)}
        d = domains[args.seed]
        print(f"\ndigits: {len(d.labels_train)} training digits per domain (shifted and "
              f"re-blended every epoch), {len(d.labels_test)} test digits per domain",
              flush=True)
        for name, run in (("digits", run_digits), ("binary", run_binary)):
            if name in args.experiments:
                summary[name] = run(args, tqdm, domains)
        plot_digits(summary.get("digits", {}).get("models", {}), LABELS,
                    summary.get("binary", {}).get("models", {}), BINARY_LABELS,
                    os.path.join(args.out, "digits.png"))
    summary["elapsed_seconds"] = round(time.time() - start, 1)
    with open(os.path.join(args.out, "results.json"), "w", encoding="utf-8") as f:
        json.dump(summary, f, indent=2)
    written = [n for n in ("results.json", "moons.png", "digits.png")
               if os.path.exists(os.path.join(args.out, n))]
    print(f"\nwrote {', '.join(os.path.join(args.out, n) for n in written)} "
          f"({summary['elapsed_seconds']:.0f} s)")
    return 0
