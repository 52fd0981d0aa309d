"""Record real TensorFlow's numbers for tests/test_tf_parity.py: writes tests/tf_parity_expected.py.

CI never runs this script: it needs TensorFlow, installed in a virtualenv outside the repository.
From the repository root:

    python -m venv ~/tfenv && ~/tfenv/bin/pip install tensorflow-cpu==2.21.0 numpy==2.4.6
    ~/tfenv/bin/python tools/record_tf_parity.py                 # rewrites the expected file
    ~/tfenv/bin/python tools/record_tf_parity.py --fresh --out /tmp/tf.py   # TF's numbers as is

How the expected numbers are obtained. The case table is tests/tf_parity_cases.py, the one the
test runs; here its `tf` is real TensorFlow. The record, first made on 2026-11-25, is that of
TF's CPU kernels without its oneDNN ops and with oneDNN's matrix products (which TF's MatMul
and Conv2D kernels use) in AVX2 code, as on a CPU without AVX-512. This script pins the same
unless the environment says otherwise: TF_ENABLE_ONEDNN_OPTS=0 (with oneDNN ops, Conv2D's CPU
backprop takes dilations and a float16 softmax differs by one ulp) and ONEDNN_MAX_CPU_ISA=AVX2
(in AVX-512 code, matrix products round differently in the 7th digit). For each case:
- eager: the inputs become tf.constant tensors; under a GradientTape watching every float input,
  TF computes the outputs (flattened: a case may return nested lists) and the fixed loss
  sum_k sum(out_k * weights(shape_k, k)) over the float outputs (tf_parity_cases.loss_of), then
  the loss's gradient w.r.t. every float input (None where TF gives None; no gradients at all
  where no output is float). Each output's dtype, shape and values and each gradient's dtype
  and values are recorded: they are the record for all three modes.
- graph and unknown_dims: the case is built again in a new tf.Graph on placeholders, of the
  inputs' full shapes (graph) or of shape [None] * rank (unknown_dims), with the same loss
  (weights of the real shapes) and tf.compat.v1.gradients. The outputs' static shapes are
  recorded as static_<mode> where they are not the default: the full shapes in graph mode,
  [None] * rank in unknown_dims mode (None stands for an unknown rank). Where TF cannot build
  the case that way, the record is 'raises X', X the exception's nearest builtin class, and
  janusgrad must raise X too. The graph then runs in a tf.compat.v1.Session fed the same inputs,
  and its values, dtypes, shapes and None gradients must agree with eager mode (within the
  case's tol), or the script stops without writing.
A case's `tf_fn`, where it has one, is the same function written the way TF's CPU kernels can
compute it: the values (eager and graph) come from tf_fn, the static shapes and 'raises'
entries from building the case's own fn (what janusgrad runs); where tf_fn cannot be built in
a graph mode, that mode's values go unchecked (a note says so).
Floating-point numbers are rounded to 7 significant digits. The file also records the sum and
the sum of squares of all the finite float inputs, which the test checks, so that the inputs
it runs are the ones TF saw (NumPy's default_rng streams not having changed).

Re-recording is stable: unless --fresh, a case whose new numbers differ from those in the
current tests/tf_parity_expected.py by round-off only (everything else the same, floats within
rtol 1e-5 / atol 1e-6, a tenth of the test's tolerance) keeps its recorded numbers, and the
script names it. So, with the same TensorFlow and NumPy, re-running leaves the file unchanged.
"""
import argparse
import builtins
import importlib.util
import os
import sys

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)
from tests import tf_parity_cases as cases  # noqa: E402
from tests.tf_parity_cases import CASES, FLOATS, flat, loss_of  # noqa: E402

OUT = os.path.join(ROOT, "tests", "tf_parity_expected.py")
GRAPH_MODES = ("graph", "unknown_dims")
ROUND_OFF = dict(rtol=1e-5, atol=1e-6)
WIDTH = 99


# -- running a case on TensorFlow -----------------------------------------------------------------
def run_eager(tf, fn, inputs):
    """(outputs as (dtype, shape, value), gradients as (dtype, value) or None) with a tape."""
    xs = [tf.constant(a) for a in inputs]
    wrt = [x for x in xs if x.dtype.name in FLOATS]
    with tf.GradientTape() as tape:
        for x in wrt:
            tape.watch(x)
        outs = flat(fn(*xs))
        loss = loss_of(outs, [o.shape.as_list() for o in outs])
    grads = tape.gradient(loss, wrt) if loss is not None else []
    outs = [(o.dtype.name, tuple(o.shape.as_list()), np.asarray(o.numpy())) for o in outs]
    grads = [None if d is None else (d.dtype.name, np.asarray(tf.convert_to_tensor(d).numpy()))
             for d in grads]
    return dict(outs=outs, grads=grads)


def build_graph(tf, fn, inputs, shapes, unknown_dims):
    """The case on placeholders (of the inputs' shapes, or of their ranks only) and the
    gradients by tf.compat.v1.gradients, in a new graph. `shapes`: the outputs' real shapes."""
    g = tf.Graph()
    with g.as_default():
        phs = [tf.compat.v1.placeholder(tf.as_dtype(a.dtype),
                                        [None] * a.ndim if unknown_dims else a.shape)
               for a in inputs]
        outs = flat(fn(*phs))
        loss = loss_of(outs, shapes)
        wrt = [p for p in phs if p.dtype.name in FLOATS]
        grads = tf.compat.v1.gradients(loss, wrt) if loss is not None else []
        fetch = [tf.convert_to_tensor(d) for d in grads if d is not None]
    static = [None if o.shape.rank is None else tuple(o.shape.as_list()) for o in outs]
    return dict(graph=g, phs=phs, outs=outs, grads=grads, fetch=fetch, static=static)


def run_built(tf, built, inputs):
    """The same as run_eager gives, from a Session running a built graph."""
    with tf.compat.v1.Session(graph=built["graph"]) as sess:
        values, dvalues = sess.run([built["outs"], built["fetch"]],
                                   dict(zip(built["phs"], inputs)))
    dvalues = iter(dvalues)
    outs = [(o.dtype.name, np.shape(v), np.asarray(v)) for o, v in zip(built["outs"], values)]
    grads = [None if d is None else (d.dtype.name, np.asarray(next(dvalues)))
             for d in built["grads"]]
    return dict(outs=outs, grads=grads)


def builtin_class(e):
    """The nearest builtin class of an exception (TF's own errors derive from builtin ones)."""
    return next(c for c in type(e).__mro__ if getattr(builtins, c.__name__, None) is c)


def disagreements(case, got, want):
    """Where a graph-mode run differs from the eager one (it should not)."""
    rtol, atol = case.tol
    if len(got["outs"]) != len(want["outs"]) or len(got["grads"]) != len(want["grads"]):
        return ["not as many outputs or gradients as eagerly"]
    errs = []
    for k, ((dt, sh, v), (wdt, wsh, wv)) in enumerate(zip(got["outs"], want["outs"])):
        if dt != wdt or tuple(sh) != tuple(wsh):
            errs.append(f"output {k}: {dt} {tuple(sh)}, eagerly {wdt} {tuple(wsh)}")
        elif not np.allclose(v, wv, rtol=rtol, atol=atol, equal_nan=True):
            errs.append(f"output {k}: {v.ravel()}, eagerly {wv.ravel()}")
    for k, (d, wd) in enumerate(zip(got["grads"], want["grads"])):
        if (d is None) != (wd is None):
            errs.append(f"gradient {k}: {'None' if d is None else 'a tensor'}, eagerly "
                        f"{'None' if wd is None else 'a tensor'}")
        elif d is not None and (d[0] != wd[0] or not np.allclose(
                d[1], wd[1], rtol=rtol, atol=atol, equal_nan=True)):
            errs.append(f"gradient {k}: {d[0]} {d[1].ravel()}, eagerly {wd[0]} {wd[1].ravel()}")
    return errs


def rounded(values):
    """Flattened values as Python numbers, floats to 7 significant digits (nan, inf, -0.0 kept)."""
    values = np.asarray(values)
    if values.dtype.kind == "b":
        return [bool(v) for v in values.ravel()]
    if values.dtype.kind in "iu":
        return [int(v) for v in values.ravel()]
    return [float(f"{float(v):.7g}") for v in values.ravel()]


def record(tf, case):
    """The case's expected entry, and lines on what went wrong (graph and eager modes
    disagreeing) and on what went unchecked."""
    compute = case.tf_fn or case.fn
    eager = run_eager(tf, compute, case.inputs)
    shapes = [o[1] for o in eager["outs"]]
    entry = dict(outs=[(dtype, shape, rounded(v)) for dtype, shape, v in eager["outs"]])
    problems, notes = [], []
    for mode in GRAPH_MODES:
        unknown_dims = mode == "unknown_dims"
        try:
            built = build_graph(tf, case.fn, case.inputs, shapes, unknown_dims)
        except Exception as e:   # noqa: BLE001  (recorded: janusgrad must raise it too)
            entry["static_" + mode] = f"raises {builtin_class(e).__name__}"
            continue
        default = [s if mode == "graph" else (None,) * len(s) for s in shapes]
        if built["static"] != default:
            entry["static_" + mode] = built["static"]
        for k, (s, real) in enumerate(zip(built["static"], shapes)):
            if s is not None and (len(s) != len(real) or any(
                    d is not None and d != r for d, r in zip(s, real))):
                problems.append(f"{case.name} ({mode}): output {k} of static shape {s}, "
                                f"real shape {real}")
        if case.tf_fn is not None:
            try:
                built = build_graph(tf, case.tf_fn, case.inputs, shapes, unknown_dims)
            except Exception as e:   # noqa: BLE001
                notes.append(f"{case.name} ({mode}): values unchecked, tf_fn raises "
                             f"{type(e).__name__} there")
                continue
        got = run_built(tf, built, case.inputs)
        problems += [f"{case.name} ({mode}): {p}" for p in disagreements(case, got, eager)]
    entry["grads"] = [None if d is None else (d[0], rounded(d[1])) for d in eager["grads"]]
    return entry, problems, notes


def round_off(old, new):
    """Whether two entries differ by round-off in their float values only, and the largest
    absolute difference then (0.0 where they are the same); (False, None) where they differ."""
    if any(old.get("static_" + m) != new.get("static_" + m) for m in GRAPH_MODES) or \
            [o[:2] for o in old["outs"]] != [n[:2] for n in new["outs"]] or \
            [d and d[0] for d in old["grads"]] != [d and d[0] for d in new["grads"]]:
        return False, None
    pairs = [(o[2], n[2]) for o, n in zip(old["outs"], new["outs"])]
    pairs += [(o[1], n[1]) for o, n in zip(old["grads"], new["grads"]) if o is not None]
    worst = 0.0
    for o, n in pairs:
        if not all(type(a) is float and type(b) is float for a, b in zip(o, n)):
            if o != n:   # ints and bools: exactly
                return False, None
            continue
        o, n = np.array(o, float), np.array(n, float)
        if not np.allclose(n, o, equal_nan=True, **ROUND_OFF):
            return False, None
        with np.errstate(invalid="ignore"):
            worst = max([worst, *np.where(np.isfinite(o), np.abs(o - n), 0.0).tolist()])
    return True, worst


def previous_record(path):
    """EXPECTED of an expected file, or {} where there is none."""
    if not os.path.exists(path):
        return {}
    spec = importlib.util.spec_from_file_location("previous_tf_parity_expected", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.EXPECTED


# -- writing the file -----------------------------------------------------------------------------
def wrapped(head, items, tail):
    """head + ', '.join(items) + tail in lines of at most WIDTH characters, filled greedily,
    continued lines aligned under the first item."""
    lines, line, fresh = [], head, True
    for i, item in enumerate(items):
        end = "," if i < len(items) - 1 else tail
        if not fresh and len(line) + 1 + len(item) + len(end) > WIDTH:
            lines.append(line)
            line, fresh = " " * len(head), True
        line += ("" if fresh else " ") + item + ("," if i < len(items) - 1 else "")
        fresh = False
    return lines + [line + tail]


def entry_lines(name, entry):
    lines = [f'    "{name}": dict(']
    outs = entry["outs"]
    for k, (dtype, shape, values) in enumerate(outs):
        head = ("        outs=[" if k == 0 else "              ") + f'("{dtype}", {shape!r}, ['
        tail = "])" + ("]," if k == len(outs) - 1 else ",")
        lines += wrapped(head, [repr(v) for v in values], tail)
    for mode in GRAPH_MODES:
        static = entry.get("static_" + mode)
        if isinstance(static, str):
            lines.append(f'        static_{mode}="{static}",')
        elif static is not None:
            lines += wrapped(f"        static_{mode}=[", [repr(s) for s in static], "],")
    grads = entry["grads"]
    if not grads:
        lines.append("        grads=[]),")
    for k, d in enumerate(grads):
        head = "        grads=[" if k == 0 else "               "
        tail = "])," if k == len(grads) - 1 else ","
        if d is None:
            lines.append(head + "None" + tail)
        else:
            lines += wrapped(head + f'("{d[0]}", [', [repr(v) for v in d[1]], "])" + tail)
    return lines


def source(tf, entries):
    xs = np.concatenate([a.astype(np.float64).ravel() for c in CASES for a in c.inputs
                         if a.dtype.kind == "f"])
    xs = xs[np.isfinite(xs)]
    lines = [
        '"""TensorFlow\'s numbers for tests/test_tf_parity.py. GENERATED: do not edit by hand.',
        "",
        f"Written by `~/tfenv/bin/python tools/record_tf_parity.py` (TensorFlow {tf.__version__}"
        f" on CPU, NumPy",
        f"{np.__version__}); that script's docstring tells how the numbers are obtained.",
        '"""',
        'nan, inf = float("nan"), float("inf")',
        "",
        "# the sum and the sum of squares of every finite float input, as TF saw them",
        f"INPUTS = ({float(xs.sum())!r}, {float((xs * xs).sum())!r})",
        "",
        "# outs: (dtype, shape, flattened values) per output; grads: (dtype, flattened values)",
        "# or None per float input; static_<mode>: the static shapes TF gave in that graph mode",
        "# where not the full shapes (graph) or [None] * rank (unknown_dims), None for an unknown",
        "# rank; or 'raises X' where TF cannot build the case that way (janusgrad must raise the",
        "# same builtin class X then).",
        "EXPECTED = {",
    ]
    for name, entry in entries.items():
        lines += entry_lines(name, entry)
    lines.append("}")
    return "\n".join(lines) + "\n"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", default=OUT,
                        help="the file to write (default: tests/tf_parity_expected.py)")
    parser.add_argument("--fresh", action="store_true",
                        help="write TF's numbers as they come, keeping none of the current file's")
    args = parser.parse_args(argv)

    os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")   # before TF is imported: see above
    os.environ.setdefault("ONEDNN_MAX_CPU_ISA", "AVX2")
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    import tensorflow as tf
    cases.use(tf)
    previous = {} if args.fresh else previous_record(OUT)
    entries, problems, notes, kept, changed = {}, [], [], [], []
    for case in CASES:
        entry, found, noted = record(tf, case)
        problems += found
        notes += noted
        if case.name in previous:
            same, worst = round_off(previous[case.name], entry)
            if same:
                entry = previous[case.name]
                if worst:
                    kept.append(f"{case.name} (TF's differ by {worst:.2g} at most)")
            else:
                changed.append(case.name)
        entries[case.name] = entry
    if problems:
        sys.exit("graph mode disagrees with eager mode; nothing written:\n" + "\n".join(problems))
    for note in notes:
        print(note)
    if kept:
        print(f"kept the recorded numbers of {len(kept)} case(s), where TF's differ by round-off "
              "only:\n  " + "\n  ".join(kept))
    if changed:
        print(f"{len(changed)} case(s) recorded anew, beyond round-off: " + ", ".join(changed))
    with open(args.out, "w") as f:
        f.write(source(tf, entries))
    print(f"wrote {len(entries)} cases to {args.out}")


if __name__ == "__main__":
    main()
