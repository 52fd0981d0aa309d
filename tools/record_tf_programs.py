"""Record real TensorFlow's results of tests/tf_programs/*.py for tests/test_tf_programs.py.

Writes tests/tf_programs/expected/<name>.json: the program's `KEY: <json>` lines as
{"recorded_with": ..., "keys": {key: value}}. CI never runs this script: it needs TensorFlow 2.21
with the tf-keras package (tf.compat.v1.layers needs it), TensorBoard (TF 2.21 no longer
installs it, and TF2's tf.summary.scalar raises TBNotInstalledError without it) and
scikit-learn (one program uses its bundled digits), installed in a virtualenv outside the
repository (not ~/tfenv, which has no tf-keras). From the repository root:

    python -m venv ~/tfenv-keras
    ~/tfenv-keras/bin/pip install tensorflow-cpu==2.21.0 tf-keras==2.21.0 tensorboard==2.21.0 \
        numpy==2.4.6 scikit-learn==1.9.1
    python tools/record_tf_programs.py --python ~/tfenv-keras/bin/python          # every program
    python tools/record_tf_programs.py --python ~/tfenv-keras/bin/python -k saver # some
    python tools/record_tf_programs.py --python ~/tfenv-keras/bin/python --check  # write nothing

This script itself needs only the standard library; --python is the interpreter with TensorFlow
(default: the one running this script). Each program runs unmodified in a fresh interpreter, in a
temporary working directory, twice: the two runs must print the same KEY lines exactly, or the
program is not deterministic and nothing is written for it.

The environment is pinned as tools/record_tf_parity.py pins it: TF_ENABLE_ONEDNN_OPTS=0 (no
oneDNN ops) and ONEDNN_MAX_CPU_ISA=AVX2 (oneDNN's matrix products in AVX2 code, which round as
on a CPU without AVX-512), CUDA_VISIBLE_DEVICES="" (CPU only), PYTHONHASHSEED=0. A program whose
header has a `# legacy-keras:` line runs with TF_USE_LEGACY_KERAS=1 (tf.keras is then tf-keras,
Keras 2); every other one runs without it (tf.keras is Keras 3, TF 2.21's default), as a user
of TF 2.21 would run each.

Re-recording is stable: unless --fresh, a program whose new results match its recorded ones
within a tenth of the test's tolerance keeps its file unchanged, and the script says so.
"""
import argparse
import json
import os
import subprocess
import sys
import tempfile
from concurrent.futures import ThreadPoolExecutor

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
from tests.tf_program_results import (EXPECTED_DIR, ROOT, close, expected_path, key_lines,  # noqa: E402
                                      needs_legacy_keras, programs, tolerance)

PINNED = {"TF_ENABLE_ONEDNN_OPTS": "0", "ONEDNN_MAX_CPU_ISA": "AVX2", "CUDA_VISIBLE_DEVICES": "",
          "TF_CPP_MIN_LOG_LEVEL": "3", "PYTHONHASHSEED": "0"}
VERSIONS = ("import importlib.metadata as m, json; print(json.dumps({p: m.version(p) for p in "
            "('tensorflow', 'tf_keras', 'keras', 'tensorboard', 'numpy', 'scikit-learn')}))")


def environment(path):
    env = dict(os.environ, **PINNED)
    env.pop("PYTHONPATH", None)            # TensorFlow's own packages, not this checkout
    if needs_legacy_keras(path):
        env["TF_USE_LEGACY_KERAS"] = "1"
    else:
        env.pop("TF_USE_LEGACY_KERAS", None)
    return env


def run(python, path, timeout):
    """(KEY lines, None) or (None, the reason the program failed)."""
    with tempfile.TemporaryDirectory() as tmp:
        try:
            proc = subprocess.run([python, str(path)], capture_output=True, text=True, cwd=tmp,
                                  env=environment(path), timeout=timeout)
        except subprocess.TimeoutExpired:
            return None, f"ran longer than {timeout} s"
    if proc.returncode != 0:
        return None, f"exit {proc.returncode}:\n{proc.stderr[-3000:]}"
    keys = key_lines(proc.stdout)
    return (keys, None) if keys else (None, "printed no KEY lines")


def record(python, path, timeout):
    first, err = run(python, path, timeout)
    if err:
        return None, err
    second, err = run(python, path, timeout)
    if err:
        return None, err
    if json.dumps(first) != json.dumps(second):
        diff = next(k for k in first if json.dumps(first[k]) != json.dumps(second.get(k)))
        return None, f"not deterministic: {diff!r} differs between two runs"
    return first, None


def dump(recorded_with, keys):
    """The expected file's text: one line per key, so that a re-recording diffs readably."""
    items = ",\n".join(f"  {json.dumps(k)}: {json.dumps(v)}" for k, v in keys.items())
    return f'{{\n "recorded_with": {json.dumps(recorded_with)},\n "keys": {{\n{items}\n }}\n}}\n'


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--python", default=sys.executable,
                        help="the interpreter with tensorflow-cpu 2.21 and tf-keras")
    parser.add_argument("-k", default="", help="only programs whose name contains this")
    parser.add_argument("-j", type=int, default=2, help="programs run at once (default 2)")
    parser.add_argument("--timeout", type=int, default=300)
    parser.add_argument("--check", action="store_true",
                        help="compare with the recorded results; write nothing")
    parser.add_argument("--fresh", action="store_true",
                        help="write TF's results even where they match the record within round-off")
    args = parser.parse_args(argv)

    versions = json.loads(subprocess.run([args.python, "-c", VERSIONS], capture_output=True,
                                         text=True, check=True).stdout)
    paths = [p for p in programs() if args.k in p.stem]
    pool = ThreadPoolExecutor(args.j)
    results = pool.map(lambda p: record(args.python, p, args.timeout), paths)   # in order, lazily
    failed = 0
    for path, (keys, err) in zip(paths, results):
        if err:
            failed += 1
            print(f"FAIL {path.name}: {err}", flush=True)
            continue
        out = expected_path(path)
        old = json.loads(out.read_text(encoding="utf-8"))["keys"] if out.exists() else None
        rtol, atol = tolerance(path)
        if old is not None and sorted(old) == sorted(keys):
            diff = next((d for k in keys
                         if (d := close(keys[k], old[k], rtol / 10, atol / 10, k))), None)
        else:
            diff = "new" if old is None else "the keys changed"
        if args.check:
            verdict = "same" if diff is None else "DIFFERS"
            print(f"{verdict} {path.name}" + (f": {diff}" if diff else ""), flush=True)
            failed += diff is not None
            continue
        if diff is None and not args.fresh:
            print(f"kept {path.name} (TF's results match the record within round-off)", flush=True)
            continue
        EXPECTED_DIR.mkdir(parents=True, exist_ok=True)
        pinned = {k: PINNED[k] for k in ("TF_ENABLE_ONEDNN_OPTS", "ONEDNN_MAX_CPU_ISA")}
        recorded_with = dict(versions, legacy_keras=needs_legacy_keras(path), **pinned)
        out.write_text(dump(recorded_with, keys), encoding="utf-8")
        print(f"wrote {out.relative_to(ROOT)}" + (f" ({diff})" if diff else ""), flush=True)
    pool.shutdown()
    print(f"{len(paths) - failed} of {len(paths)} programs "
          f"{'match the record' if args.check else 'recorded'}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
