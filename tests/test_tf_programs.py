"""TensorFlow programs written the way real users write them run under janusgrad with TF's results.

Each program in tests/tf_programs/ is plain TensorFlow code (TF1 scripts under
`tf.compat.v1.disable_eager_execution()`, ported TF2 code with tapes, tf.function and Keras);
tests/tf_program_results.py says how their `KEY: <json>` lines are read and compared.
TensorFlow 2.21's results are tests/tf_programs/expected/<name>.json, recorded by
tools/record_tf_programs.py (its docstring tells how; CI never runs it). Here each program runs
under janusgrad in a fresh interpreter, and its KEY lines must match the record: the same keys,
strings, booleans and nulls equal, numbers within rtol 1e-4 / atol 1e-5 unless the program's
`# tolerance:` line says otherwise and why.

The programs janusgrad cannot run yet are strict xfails whose reasons name what is missing (the
first name the program stops at, then what else it needs): this list is the to-do list of
issue 18, and a program that starts passing fails here until its entry is removed.
"""
import importlib.util
import os
import subprocess
import sys

import pytest

from .tf_program_results import (EXPECTED_DIR, ROOT, compare, key_lines, load_expected,
                                 programs, tolerance)

TIMEOUT_S = 120

# program -> why it fails today (checked by running it through `python -m janusgrad run`): the
# first missing name or difference, then what else it needs as far as known
XFAIL = {
    "tf1_saver_meta_graph": "train.import_meta_graph: janusgrad writes no MetaGraph (model.meta; "
    "its graph ops hold Python kernels and traced functions, which have no GraphDef form) and "
    "its checkpoint is one model.npz (TF: model.index, model.data-00000-of-00001)",
}


def run_under_janusgrad(path, tmp_path):
    """The program's stdout, run unchanged by `python -m janusgrad run` in a fresh interpreter
    (tmp_path its cwd)."""
    command = [sys.executable, "-m", "janusgrad", "run", str(path)]

    env = dict(os.environ, PYTHONHASHSEED="0")
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    try:
        done = subprocess.run(command, cwd=tmp_path, env=env, capture_output=True, text=True,
                              timeout=TIMEOUT_S)
    except subprocess.TimeoutExpired:
        pytest.fail(f"{path.name} ran longer than {TIMEOUT_S} s")
    if done.returncode != 0:
        pytest.fail(f"{path.name} exited with {done.returncode}:\n{done.stderr[-3000:]}",
                    pytrace=False)
    return done.stdout


def params():
    out = []
    for path in programs():
        marks = []
        if path.stem in XFAIL:
            marks.append(pytest.mark.xfail(strict=True, reason=XFAIL[path.stem]))
        out.append(pytest.param(path, id=path.stem, marks=marks))
    return out


@pytest.mark.parametrize("path", params())
def test_program_gives_tensorflows_results(path, tmp_path):
    uses_sklearn = "from sklearn" in path.read_text(encoding="utf-8")
    if uses_sklearn and not importlib.util.find_spec("sklearn"):
        pytest.skip("needs scikit-learn (the demo extra) for its bundled dataset")
    want = load_expected(path)
    got = key_lines(run_under_janusgrad(path, tmp_path))
    rtol, atol = tolerance(path)
    difference = compare(got, want, rtol, atol)
    assert difference is None, f"{path.name}: {difference}"


def test_every_program_has_a_record_and_every_record_a_program():
    names = {p.stem for p in programs()}
    recorded = {p.stem for p in EXPECTED_DIR.glob("*.json")}
    assert names - recorded == set(), "no record: run tools/record_tf_programs.py"
    assert recorded - names == set(), "records of programs that are gone"
    assert set(XFAIL) <= names, f"xfail entries for no program: {sorted(set(XFAIL) - names)}"
