"""Record where real TensorFlow raises (or warns) in tests/tf_error_cases.py: writes
tests/tf_errors_expected.py, which tests/test_tf_errors.py holds janusgrad to.

CI never runs this script: it needs TensorFlow 2.21 in a virtualenv outside the repository
(~/tfenv, as for tools/record_tf_parity.py). From the repository root:

    ~/tfenv/bin/python tools/record_tf_errors.py            # rewrites the expected file
    ~/tfenv/bin/python tools/record_tf_errors.py --check    # prints, writes nothing

The environment is pinned as the other recorders pin it (TF_ENABLE_ONEDNN_OPTS=0: without it
TF names oneDNN's kernel, `_MklMatMul`, in its messages). Each case runs in this one process;
for each, the record is either what it returned (made JSON-able: tensors as lists) or the
exception: TF's class name, its nearest builtin class, and `part`: the case's own piece of the
message (checked here to be in TF's) or else TF's whole message less its runtime decoration:
the `{{function_node ...}}` prefix, the ` [Op:X]` / ` name: ...` suffix that eager errors end
with (janusgrad ends its own with [Op:X] where TF's wording is the whole message), tf.function's
"in user code:" frame (its last line, less the class name), a graph run's node report (its
first line after "Node: ...").
"""
import argparse
import builtins
import os
import pprint
import re
import sys

os.environ.setdefault("TF_ENABLE_ONEDNN_OPTS", "0")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ.setdefault("CUDA_VISIBLE_DEVICES", "")

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)
from tests.tf_error_cases import CASES  # noqa: E402

OUT = os.path.join(ROOT, "tests", "tf_errors_expected.py")


def core(message):
    """TF's message less what its runtime wraps it in."""
    if "in user code:" in message:                      # tf.function's frame
        last = message.strip().splitlines()[-1].strip()
        message = re.sub(r"^\w+: ", "", last)
    if message.startswith("Graph execution error:"):    # a graph run: the op's own words
        lines = message.splitlines()
        at = next(i for i, line in enumerate(lines) if line.startswith("Node: "))
        message = lines[at + 1]
    message = re.sub(r"^\{\{function_node [^}]*\}\} ", "", message)
    message = re.sub(r" \[Op:\w+\]( name: .*)?$", "", message)
    return message


def builtin_of(cls):
    return next(c for c in cls.__mro__ if getattr(builtins, c.__name__, None) is c).__name__


def plain(value):
    """`value` as JSON-able Python (what a case returns is small)."""
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if hasattr(value, "numpy"):
        return plain(value.numpy().tolist())
    if hasattr(value, "tolist"):
        return value.tolist()
    return value


def record(tf):
    out = {}
    for name, c in CASES.items():
        try:
            value = c.fn(tf)
        except Exception as e:                  # noqa: BLE001 - whatever TF raises is the record
            msg = str(e)
            part = c.part if c.part is not None else core(msg)
            if part not in msg:
                raise SystemExit(f"{name}: part {part!r} is not in TF's message {msg!r}") from e
            out[name] = {"raises": type(e).__name__, "builtin": builtin_of(type(e)),
                         "part": part}
        else:
            out[name] = {"returns": plain(value)}
    return out


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="print the record, write nothing")
    args = parser.parse_args()
    import tensorflow as tf
    rec = record(tf)
    text = (f'"""Recorded by tools/record_tf_errors.py with TensorFlow {tf.__version__}: do not '
            'edit."""\n\nEXPECTED = ' + pprint.pformat(rec, width=100, sort_dicts=False) + "\n")
    if args.check:
        print(text)
    else:
        with open(OUT, "w") as f:
            f.write(text)
        print(f"wrote {OUT}: {len(rec)} cases")


if __name__ == "__main__":
    main()
