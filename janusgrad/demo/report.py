"""Summaries over seeds (mean and standard deviation, paired gains) and the printed tables."""
import numpy as np


def spread(values):
    """{"mean", "std", "n"} of a list of numbers (std over seeds, ddof=0); None if empty."""
    values = [v for v in values if v is not None]
    if not values:
        return None
    a = np.asarray(values, np.float64)
    return {"mean": float(a.mean()), "std": float(a.std()), "n": len(values)}


def summarise(per_seed, keys):
    return {k: spread([r[k] for r in per_seed]) for k in keys}


def paired_gain(per_seed_a, per_seed_b, key):
    """b - a seed by seed (same seeds, same data): the mean, spread and the worst seed."""
    gains = [b[key] - a[key] for a, b in zip(per_seed_a, per_seed_b, strict=True)]
    out = spread(gains)
    out["min"] = float(min(gains))
    return out


def fmt(s, percent=True):
    if s is None:
        return "-"
    scale = 100.0 if percent else 1.0
    return f"{s['mean'] * scale:5.1f} ± {s['std'] * scale:4.1f}"


def table(title, header, rows):
    """A plain-text table; rows are tuples of strings, the first column left-aligned."""
    widths = [max(len(str(r[i])) for r in [header] + rows) + 2 for i in range(len(header))]
    lines = [title, "".join(f"{h:<{widths[0]}}" if i == 0 else f"{h:>{widths[i]}}"
                            for i, h in enumerate(header))]
    for r in rows:
        lines.append("".join(f"{c:<{widths[0]}}" if i == 0 else f"{c:>{widths[i]}}"
                             for i, c in enumerate(r)))
    return "\n".join(lines)
