"""Keras's training loop, losses and metrics against Keras 3 (TF 2.21)'s numbers, recorded
by tools/record_keras_training.py from the scenarios in tests/keras_training_cases.py."""
import json
import os

import numpy as np
import pytest

import janusgrad as tf
from .keras_training_cases import CASES

with open(os.path.join(os.path.dirname(__file__), "keras_training_recorded.json")) as f:
    RECORDED = json.load(f)


def _close(got, want, where):
    if isinstance(want, dict):
        assert sorted(got) == sorted(want), f"{where}: keys {sorted(got)} != {sorted(want)}"
        for k in want:
            _close(got[k], want[k], f"{where}.{k}")
    elif isinstance(want, str) or isinstance(want, list) and want and \
            isinstance(want[0], str):
        assert got == want, where
    else:
        np.testing.assert_allclose(np.asarray(got, np.float64), np.asarray(want, np.float64),
                                   rtol=2e-4, atol=2e-5, err_msg=where)


@pytest.mark.parametrize("name", sorted(CASES))
def test_matches_keras(name):
    _close(CASES[name](tf), RECORDED[name], name)
