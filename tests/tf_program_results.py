"""The TensorFlow programs of tests/tf_programs/ and how their results are read and compared.

Shared by tests/test_tf_programs.py (janusgrad runs them) and tools/record_tf_programs.py (real
TensorFlow runs them and its results become tests/tf_programs/expected/<name>.json).

A program prints its results only as lines `KEY: <json>` (shared/acceptance/run.py's convention);
other output is ignored. Its leading comment block may hold two markers:
- `# tolerance: rtol=<r> atol=<a> <why>`: a program whose numbers need more than the default
  rtol 1e-4 / atol 1e-5 says how much and why;
- `# legacy-keras: <why>`: TF 2.21 runs it only with the tf-keras package and
  TF_USE_LEGACY_KERAS=1 (tf.compat.v1.layers is "not available with Keras 3"); the recorder sets
  that variable for it and for no other program.
"""
import json
import math
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PROGRAMS_DIR = ROOT / "tests" / "tf_programs"
EXPECTED_DIR = PROGRAMS_DIR / "expected"
KEY_LINE = re.compile(r"^([A-Za-z_][\w.-]*): (.*)$")
RTOL, ATOL = 1e-4, 1e-5
_TOLERANCE = re.compile(r"^# tolerance: rtol=(\S+) atol=(\S+)")


def programs():
    """Every program's path, sorted by name."""
    return sorted(PROGRAMS_DIR.glob("*.py"))


def header(path):
    """The program's leading comment lines."""
    lines = []
    for line in Path(path).read_text(encoding="utf-8").splitlines():
        if not line.startswith("#"):
            break
        lines.append(line)
    return lines


def tolerance(path):
    """(rtol, atol) for the program: its `# tolerance:` marker, else the default."""
    for line in header(path):
        m = _TOLERANCE.match(line)
        if m:
            return float(m.group(1)), float(m.group(2))
    return RTOL, ATOL


def needs_legacy_keras(path):
    return any(line.startswith("# legacy-keras:") for line in header(path))


def key_lines(text):
    """{key: value} of the `KEY: <json>` lines in a program's output, in order."""
    out = {}
    for line in text.splitlines():
        m = KEY_LINE.match(line)
        if not m:
            continue
        try:
            out[m.group(1)] = json.loads(m.group(2))
        except ValueError:
            continue  # free-form output such as "step: 3 of 10"
    return out


def close(got, want, rtol=RTOL, atol=ATOL, path="value"):
    """None where got matches want, else a short description of the first difference.

    Strings, booleans and nulls must be equal, numbers within atol + rtol * |want| (nan only
    where nan is expected), lists of the same length element by element, dicts key by key.
    """
    if isinstance(want, bool) or want is None or isinstance(want, str):
        return None if got == want else f"{path}: got {_short(got)}, expected {_short(want)}"
    if isinstance(want, (int, float)):
        if isinstance(got, bool) or not isinstance(got, (int, float)):
            return f"{path}: got {_short(got)}, expected the number {want!r}"
        if math.isnan(want):
            if isinstance(got, float) and math.isnan(got):
                return None
            return f"{path}: got {got!r}, expected nan"
        if abs(got - want) <= atol + rtol * abs(want):
            return None
        return f"{path}: got {got!r}, expected {want!r}"
    if isinstance(want, list):
        if not isinstance(got, list) or len(got) != len(want):
            return f"{path}: got {_short(got)}, expected {_short(want)} (lengths differ)"
        for i, (a, b) in enumerate(zip(got, want)):
            d = close(a, b, rtol, atol, f"{path}[{i}]")
            if d:
                return d
        return None
    if isinstance(want, dict):
        if not isinstance(got, dict) or sorted(got) != sorted(want):
            return f"{path}: got {_short(got)}, expected {_short(want)} (keys differ)"
        for k in want:
            d = close(got[k], want[k], rtol, atol, f"{path}[{k!r}]")
            if d:
                return d
        return None
    return None if got == want else f"{path}: got {_short(got)}, expected {_short(want)}"


def compare(got, want, rtol=RTOL, atol=ATOL):
    """None where the KEY lines `got` match the recorded `want`, else the first difference."""
    for key, value in want.items():
        if key not in got:
            return f"missing key {key!r}"
        d = close(got[key], value, rtol, atol, key)
        if d:
            return d
    extra = sorted(set(got) - set(want))
    return f"unexpected key {extra[0]!r}" if extra else None


def expected_path(path):
    return EXPECTED_DIR / (Path(path).stem + ".json")


def load_expected(path):
    """The recorded {key: value} of a program."""
    return json.loads(expected_path(path).read_text(encoding="utf-8"))["keys"]


def _short(v):
    s = json.dumps(v)
    return s if len(s) < 80 else s[:77] + "..."
