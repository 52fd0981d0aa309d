"""Where janusgrad's eager time goes on workload (a): `python benchmarks/profile_eager.py`.

Two views of the 200-op chain on float32[8], forward + backward under a GradientTape:
1. layered timings (no profiler, process CPU time): NumPy's ufunc alone, then the kernel,
   `execute`, the public op, the op under a recording tape, and the backward sweep, each in
   microseconds per op;
2. cProfile of the same step, self time grouped by where it is spent (kernels, execute, tape
   recording, backprop sweep, gradient functions, tensor creation ...), scaled to the
   unprofiled time per op, and the functions with the most self time, with calls per op.
"""
import argparse
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:0] = [HERE, os.path.dirname(HERE)]

import frameworks  # noqa: E402

frameworks.pin_threads_env()

import cProfile  # noqa: E402
import gc  # noqa: E402
import pstats  # noqa: E402
import statistics  # noqa: E402
import time  # noqa: E402
import timeit  # noqa: E402

import numpy as np  # noqa: E402

import chain as C  # noqa: E402
import janusgrad as jg  # noqa: E402
from janusgrad.framework.execute import execute  # noqa: E402
from janusgrad.framework.tensor import EagerTensor, convert_to_tensor  # noqa: E402
from janusgrad.framework.registry import GRADIENTS, OPS  # noqa: E402

N_OPS = 200


def per_call_us(fn, number, repeat=7):
    """Median over `repeat` runs of the CPU time of one call, in microseconds."""
    gc.collect()
    times = timeit.repeat(fn, number=number, repeat=repeat, timer=time.process_time)
    return statistics.median(times) / number * 1e6


def layered(xv):
    """Microseconds per op for each layer of the eager path, forward op by forward op."""
    a = xv
    t = jg.constant(a)
    k_sin = OPS["Sin"].kernel
    k_mul = OPS["Mul"].kernel
    c = np.float32(C.MUL)
    ct = jg.constant(C.MUL)
    rows = [
        ("np.sin(a)  (NumPy ufunc alone)", per_call_us(lambda: np.sin(a), 20000)),
        ("a * 0.85  (NumPy, Python scalar)", per_call_us(lambda: a * C.MUL, 20000)),
        ("OPS['Sin'].kernel(a)", per_call_us(lambda: k_sin(a), 20000)),
        ("OPS['Mul'].kernel(a, c)", per_call_us(lambda: k_mul(a, c), 20000)),
        ("EagerTensor(a)  (wrap a result)", per_call_us(lambda: EagerTensor(a), 20000)),
        ("convert_to_tensor(0.85)  (Python scalar)",
         per_call_us(lambda: convert_to_tensor(C.MUL), 20000)),
        ("execute('Sin', [t])  (no tape)", per_call_us(lambda: execute("Sin", [t]), 20000)),
        ("jg.sin(t)  (no tape)", per_call_us(lambda: jg.sin(t), 20000)),
        ("jg.multiply(t, ct)  (no tape)", per_call_us(lambda: jg.multiply(t, ct), 20000)),
        ("t * 0.85  (operator, no tape)", per_call_us(lambda: t * C.MUL, 20000)),
    ]
    with jg.GradientTape() as tape:
        tape.watch(t)
        rows.append(("jg.sin(t)  (recording tape)", per_call_us(lambda: jg.sin(t), 5000)))
        rows.append(("t * 0.85  (recording tape)", per_call_us(lambda: t * C.MUL, 5000)))
    return rows


def chain_phases(xv):
    """Microseconds per op of the whole chain: forward without / with tape, and backward."""
    x = jg.constant(xv)

    def fwd():
        return jg.reduce_sum(C.chain(x, N_OPS, jg.sin, jg.tanh, jg.exp))

    def fwd_taped():
        with jg.GradientTape() as tape:
            tape.watch(x)
            return fwd()

    step = C.jg_eager_step(xv, N_OPS, {"janusgrad": jg})
    numpy_step = C.numpy_step(xv, N_OPS, None)
    np_fwd = per_call_us(lambda: numpy_forward(xv), 200) / N_OPS
    np_total = per_call_us(numpy_step, 200) / N_OPS
    f0 = per_call_us(fwd, 50) / N_OPS
    f1 = per_call_us(fwd_taped, 50) / N_OPS
    total = per_call_us(step, 50) / N_OPS
    return [("NumPy forward only (hand-written)", np_fwd),
            ("NumPy forward + backward (hand-written)", np_total),
            ("janusgrad forward, no tape", f0),
            ("janusgrad forward, recording tape", f1),
            ("janusgrad forward + backward (workload a)", total),
            ("  => tape recording (taped - untaped forward)", f1 - f0),
            ("  => backward: tape.gradient (total - taped forward)", total - f1)], total


def numpy_forward(x):
    for i in range(N_OPS):
        k = i % 5
        if k == 0:
            x = x * C.MUL
        elif k == 1:
            x = x + C.ADD
        elif k == 2:
            x = np.sin(x)
        elif k == 3:
            x = np.tanh(x)
        else:
            x = np.exp(x)
    return x.sum()


# -- cProfile, grouped ------------------------------------------------------------------------

def _code_keys(functions):
    keys = set()
    for fn in functions:
        fn = getattr(fn, "__wrapped__", fn)
        code = getattr(fn, "__code__", None)
        if code is not None:
            keys.add((code.co_filename, code.co_firstlineno, code.co_name))
    return keys


def categorize(key, kernels, grads):
    filename, line, name = key
    rel = filename.replace("\\", "/")
    if key in kernels:
        return "op kernels (NumPy work + Python in kernels)"
    if key in grads:
        return "gradient functions (Python in them)"
    if filename == "~" or filename.startswith("<"):
        if "numpy" in name or "ufunc" in name or "ndarray" in name or "method 'astype'" in name:
            return "NumPy C calls (ufuncs, array methods)"
        return "Python builtins (isinstance, getattr, len ...)"
    if "/janusgrad/" not in rel:
        if "/numpy/" in rel:
            return "NumPy Python-level functions"
        return "benchmark driver (chain loop, step)"
    if rel.endswith("framework/execute.py"):
        return "execute (dispatch)"
    if rel.endswith("autodiff/tape.py"):
        return "tape: recording, TapeRecord, gradient() entry"
    if rel.endswith("autodiff/backprop.py"):
        return "backprop sweep (prune, loop, accumulate, call_gradient)"
    if rel.endswith("framework/tensor.py") or rel.endswith("framework/dtypes.py"):
        return "tensor creation / conversion / dtypes"
    if rel.endswith("framework/shape.py"):
        return "TensorShape (shape checks in gradients)"
    if rel.endswith("ops/define.py") or rel.endswith("ops/operators.py"):
        return "op wrappers: public fn, operators, dtype conversion"
    if rel.endswith("framework/context.py"):
        return "context (mode, graph, tapes)"
    return "other janusgrad: " + rel.split("/janusgrad/", 1)[1] + ":" + name


INCLUSIVE = [
    (("framework/execute.py", "execute"), "every op run (kernel included)"),
    (("ops/define.py", "public"), "public op functions"),
    (("ops/define.py", "convert_same_dtype"), "argument conversion"),
    (("framework/tensor.py", "constant"), "Python scalars -> tensors"),
    (("autodiff/tape.py", "_record"), "tape recording"),
    (("autodiff/tape.py", "gradient"), "the whole backward"),
    (("autodiff/backprop.py", "prune"), "backward: pruning"),
    (("autodiff/backprop.py", "call_gradient"), "backward: gradient fns + their ops"),
    (("autodiff/backprop.py", "_accumulate"), "backward: summing gradients"),
    (("ops/math.py", "unbroadcast"), "unbroadcast in binary grads"),
]


def cprofile_report(xv, unprofiled_us_per_op, reps, top):
    step = C.jg_eager_step(xv, N_OPS, {"janusgrad": jg})
    step()
    prof = cProfile.Profile()
    prof.enable()
    for _ in range(reps):
        step()
    prof.disable()
    stats = pstats.Stats(prof)
    kernels = _code_keys(d.kernel for d in OPS.values())
    grads = _code_keys(g for g in GRADIENTS.values() if g is not None)
    groups = {}
    total = 0.0
    for key, (_, nc, tt, _, _) in stats.stats.items():
        cat = categorize(key, kernels, grads)
        g = groups.setdefault(cat, [0.0, 0])
        g[0] += tt
        g[1] += nc
        total += tt
    n = reps * N_OPS
    lines = [f"cProfile: {reps} steps; profiled total {total / n * 1e6:.1f} us/op (profiler "
             f"overhead included), scaled below to the unprofiled {unprofiled_us_per_op:.1f} "
             "us/op",
             f"  {'where (self time)':<62}{'us/op':>8}{'share':>8}{'calls/op':>10}"]
    for cat, (tt, nc) in sorted(groups.items(), key=lambda kv: -kv[1][0]):
        share = tt / total
        lines.append(f"  {cat[:62]:<62}{share * unprofiled_us_per_op:8.2f}{share:8.1%}"
                     f"{nc / n:10.2f}")
    lines.append("")
    lines.append("  inclusive time of the main entry points (callees included; as a share of the "
                 "profiled step, scaled):")
    step_ct = max(ct for (f, _, name), (_, _, _, ct, _) in stats.stats.items()
                  if name == "step" and f.endswith("chain.py"))
    for (suffix, fname), what in INCLUSIVE:
        for (filename, _, name), (_, nc, _, ct, _) in stats.stats.items():
            if name == fname and filename.replace("\\", "/").endswith(suffix):
                lines.append(f"  {suffix + ':' + fname:<44}{what:<34}"
                             f"{ct / step_ct * unprofiled_us_per_op:8.2f} us/op"
                             f"{nc / n:8.2f} calls/op")
    lines.append("")
    lines.append(f"  top {top} functions by self time (calls per op, self us/op scaled):")
    rows = sorted(stats.stats.items(), key=lambda kv: -kv[1][2])[:top]
    for (filename, line, name), (_, nc, tt, _, _) in rows:
        where = filename.replace("\\", "/").split("/janusgrad/")[-1] if filename != "~" else ""
        label = f"{where}:{line} {name}" if where else name
        lines.append(f"  {label[:70]:<70}{nc / n:8.2f}{tt / total * unprofiled_us_per_op:8.2f}")
    return lines


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--reps", type=int, default=200, help="profiled steps")
    p.add_argument("--top", type=int, default=30, help="functions listed")
    args = p.parse_args(argv)
    xv = C.make_input(8)
    print("janusgrad eager profile, workload (a): chain of 200 ops on float32[8], fwd+bwd\n")
    print("Layered timings of single ops (us per call):")
    for label, us in layered(xv):
        print(f"  {label:<48}{us:8.2f}")
    phases, total = chain_phases(xv)
    print("\nThe whole chain (us per op of the chain):")
    for label, us in phases:
        print(f"  {label:<56}{us:8.2f}")
    print()
    for line in cprofile_report(xv, total, args.reps, args.top):
        print(line)


if __name__ == "__main__":
    main()
