"""janusgrad's benchmarks (issue 3): `python benchmarks/run.py [--quick] [--only a,c]`.

Measures janusgrad against hand-written NumPy (always) and PyTorch, TensorFlow, JAX and HIPS
autograd (when installed), one thread everywhere, and prints a table with each target and
whether janusgrad meets it. See benchmarks/README.md.
"""
import argparse
import os
import sys
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path[:0] = [HERE, ROOT]       # the workload modules; the janusgrad of this checkout

import frameworks  # noqa: E402  (sets no state on import)

frameworks.pin_threads_env()      # before NumPy or any framework is imported

import datetime  # noqa: E402
import gc  # noqa: E402
import importlib  # noqa: E402
import json  # noqa: E402
import platform  # noqa: E402
import subprocess  # noqa: E402
import traceback  # noqa: E402

import numpy as np  # noqa: E402

import harness  # noqa: E402

WORKLOADS = {
    "a": "a_eager_overhead",
    "b": "b_large_arrays",
    "c": "c_mlp",
    "d": "d_cnn",
    "e": "e_custom_gradient",
    "f": "f_graph_mode",
    "g": "g_import_time",
    "h": "h_memory",
    "i": "i_scaling",
}


def parse_args(argv):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--quick", action="store_true",
                   help="fewer rounds and shorter samples (under 3 minutes)")
    p.add_argument("--only", default="", help="comma-separated workload keys, e.g. a,b,f")
    p.add_argument("--frameworks", default=",".join(frameworks.ALL),
                   help="other frameworks to try (default: all; those not installed are "
                        "skipped)")
    p.add_argument("--no-frameworks", action="store_true",
                   help="NumPy and janusgrad only")
    p.add_argument("--json", metavar="PATH", help="also write every row (with samples) as JSON")
    p.add_argument("--markdown", metavar="PATH", help="also write the report as Markdown")
    p.add_argument("--readme", metavar="PATH",
                   help="also put the report between the performance markers of this Markdown file "
                        "(docs/performance.md)")
    p.add_argument("--clock", choices=("cpu", "wall"), default="cpu",
                   help="time samples in process CPU time (default: steady on a shared "
                        "machine) or wall-clock time")
    p.add_argument("-v", "--verbose", action="store_true", help="tracebacks of failing impls")
    return p.parse_args(argv)


def machine_info(fw_versions, thread_lines, settings):
    import janusgrad
    cpu = platform.processor() or "?"
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
    except OSError:
        pass
    try:
        blas = np.show_config(mode="dicts")["Build Dependencies"]["blas"]
        blas = f"{blas.get('name')} {blas.get('version')}"
    except Exception:                                            # noqa: BLE001
        blas = "?"
    try:
        commit = subprocess.run(["git", "-C", ROOT, "rev-parse", "--short", "HEAD"],
                                capture_output=True, text=True, timeout=5).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        commit = ""
    info = {
        "date": datetime.datetime.now().strftime("%Y-%m-%d %H:%M"),
        "machine": f"{cpu}, {os.cpu_count()} cores, {platform.system()} {platform.machine()}",
        "python": platform.python_version(),
        "numpy": f"{np.__version__} ({blas})",
        "janusgrad": f"{janusgrad.__version__}" + (f" (commit {commit})" if commit else ""),
        "frameworks": ", ".join(f"{k} {v}" for k, v in fw_versions.items()) or "none",
        "threads": "; ".join(thread_lines),
        "mode": ("--quick" if settings.quick else "full") +
                f": {settings.rounds} interleaved rounds, samples of ~{settings.sample_s * 1e3:g}"
                f" ms, medians, {settings.clock} clock",
    }
    try:
        info["load"] = "load average at start: " + " ".join(f"{v:.2f}" for v in os.getloadavg())
    except OSError:
        pass
    return info


# -- the table --------------------------------------------------------------------------------

def _fmt(v):
    if v is None:
        return "-"
    a = abs(v)
    if a >= 1000:
        return f"{v:,.0f}"
    if a >= 100:
        return f"{v:.0f}"
    if a >= 10:
        return f"{v:.1f}"
    if a >= 1:
        return f"{v:.2f}"
    return f"{v:.3f}"


def _ratio(r):
    return "-" if r.ratio is None else f"{r.ratio:.2f}x"


def _spread(r):
    return "" if r.spread is None else f"{r.spread:.0f}%"


def print_workload(wl):
    print(f"\n({wl.key}) {wl.title}   [{wl.unit}]")
    print(f"    {'implementation':<26}{'median':>9}{'IQR':>6}{'cpu/wall':>9}{'x NumPy':>9}   "
          f"{'target':<22}{'result'}")
    for r in wl.rows:
        target = r.target.text if r.target else ""
        cw = "" if r.cpu_per_wall is None else f"{r.cpu_per_wall:.2f}"
        print(f"    {r.label:<26}{_fmt(r.value):>9}{_spread(r):>6}{cw:>9}{_ratio(r):>9}   "
              f"{target:<22}{r.status}")
        if r.note:
            print(f"        {r.note}")
    for n in wl.notes:
        print(f"    note: {n}")
    sys.stdout.flush()


def summary(workloads):
    counts = {"PASS": 0, "FAIL": 0, "n/a": 0}
    for wl in workloads:
        for r in wl.rows:
            if r.target is not None:
                counts[r.status] += 1
    return counts


def markdown(workloads, info, elapsed, settings):
    """The whole report as a Markdown document (the README's Performance section is one)."""
    c = summary(workloads)
    out = ["# Performance", "",
           "Figures from `python benchmarks/run.py` (the workloads, the method and the targets "
           "of issue 3 are in `benchmarks/README.md`): medians over interleaved rounds, one "
           f"thread everywhere, {'process CPU' if settings.clock == 'cpu' else 'wall-clock'} "
           "time, ratios to a hand-written NumPy version "
           "measured in the same run (the median of the per-round ratios). Values and "
           "gradients of every implementation were checked equal to NumPy's before timing.",
           ""]
    out += [f"- {k}: {v}" for k, v in info.items()]
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else 0.0
    if load > 0.5 * (os.cpu_count() or 1):
        out.append("- the machine was shared with other jobs (see the load average): a "
                   "`cpu/wall` below 1 says how much of the time the process waited for a core")
    out += [f"- wall time of the run: {elapsed:.0f} s",
            f"- janusgrad's targets: {c['PASS']} met, {c['FAIL']} missed, {c['n/a']} not "
            "decidable", "",
            "| workload | implementation | median | unit | x NumPy | cpu/wall | target | result |",
            "|---|---|---:|---|---:|---:|---|---|"]
    for wl in workloads:
        for r in wl.rows:
            target = r.target.text if r.target else ""
            value = _fmt(r.value) if r.value is not None else (r.note.split(":")[0] or "-")
            cw = "" if r.cpu_per_wall is None else f"{r.cpu_per_wall:.2f}"
            out.append(f"| ({wl.key}) | {r.label} | {value} | {wl.unit} | {_ratio(r)} | {cw} | "
                       f"{target.replace('|', '/')} | {r.status} |")
    out += ["", "## Workloads and notes", ""]
    for wl in workloads:
        # the unit escaped: "float32[8] [s]" would otherwise read as a Markdown link reference
        out.append(f"- ({wl.key}) {wl.title} \\[{wl.unit}]")
        for r in wl.rows:
            if r.note:
                out.append(f"  - {r.label}: {r.note}")
        for n in wl.notes:
            out.append(f"  - {n}")
    return "\n".join(out) + "\n"


def main(argv=None):
    args = parse_args(argv)
    settings = harness.Settings.make(args.quick, args.clock, args.verbose)
    keys = [k.strip() for k in args.only.split(",") if k.strip()] or list(WORKLOADS)
    for k in keys:
        if k not in WORKLOADS:
            sys.exit(f"unknown workload {k!r}; choose from {', '.join(WORKLOADS)}")
    names = [] if args.no_frameworks else [n.strip() for n in args.frameworks.split(",")
                                            if n.strip()]
    started = time.perf_counter()
    import janusgrad
    fw, missing = frameworks.load(names)
    fw_versions = frameworks.versions(fw)
    fw["janusgrad"] = janusgrad
    gc.freeze()       # the frameworks' millions of objects: out of every collection from now on
    info = machine_info(fw_versions, frameworks.thread_report(fw), settings)
    print("janusgrad benchmarks (issue 3)")
    for k, v in info.items():
        print(f"  {k}: {v}")
    for name, why in missing.items():
        print(f"  skipped {name}: {why}")
    sys.stdout.flush()

    done = []
    for k in keys:
        mod = importlib.import_module("workloads." + WORKLOADS[k])
        t0 = time.perf_counter()
        try:
            wl = mod.run(settings, fw)
        except Exception as e:                                   # noqa: BLE001
            if args.verbose:
                traceback.print_exc()
            wl = harness.Workload(k, WORKLOADS[k], "-")
            wl.rows.append(harness.Row(k, "janusgrad", None, "-",
                                       note=f"ERROR: {type(e).__name__}: {e}"[:300]))
        wl.notes.append(f"measured in {time.perf_counter() - t0:.1f} s")
        print_workload(wl)
        done.append(wl)
    elapsed = time.perf_counter() - started
    c = summary(done)
    print(f"\ntargets: {c['PASS']} passed, {c['FAIL']} failed, {c['n/a']} not decidable; "
          f"total {elapsed:.0f} s")
    if args.json:
        with open(args.json, "w") as f:
            json.dump({"info": info, "elapsed_s": elapsed, "workloads": [
                {"key": wl.key, "title": wl.title, "unit": wl.unit, "notes": wl.notes,
                 "rows": [{"label": r.label, "value": r.value, "ratio": r.ratio,
                           "cpu_per_wall": r.cpu_per_wall,
                           "spread_pct": r.spread, "target": r.target.text if r.target else None,
                           "result": r.status, "note": r.note, "samples": r.samples}
                          for r in wl.rows]} for wl in done]}, f, indent=1)
    if args.markdown:
        with open(args.markdown, "w") as f:
            f.write(markdown(done, info, elapsed, settings))
    if args.readme:
        update_readme(args.readme, markdown(done, info, elapsed, settings))
    return 0


START, END = "<!-- performance:start -->", "<!-- performance:end -->"


def update_readme(path, report):
    """Replace what lies between the README's performance markers with `report` (its title
    dropped: the README has its own; its sub-headings one level down)."""
    body = report.split("\n", 1)[1].replace("\n## ", "\n### ")
    text = open(path, encoding="utf-8").read()
    if START not in text or END not in text:
        sys.exit(f"{path}: no {START} ... {END} markers to put the report between")
    head, rest = text.split(START, 1)
    tail = rest.split(END, 1)[1]
    with open(path, "w", encoding="utf-8") as f:
        f.write(f"{head}{START}\n{body.strip()}\n{END}{tail}")


if __name__ == "__main__":
    sys.exit(main())
