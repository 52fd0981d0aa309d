"""Every differentiable op type in the registry has a numerical gradient check, run in eager
and in graph mode, to second order where the op is twice differentiable."""
import pytest

import janusgrad as tf  # noqa: F401  (registers every op)
from janusgrad.check import check_gradients
from janusgrad.framework.registry import GRADIENTS

from .op_cases import EXEMPT, all_cases

CASES = all_cases()
PARAMS = [(op_type, i) for op_type in sorted(CASES) for i in range(len(CASES[op_type]))]


def test_every_gradient_has_a_case():
    missing = {t for t, g in GRADIENTS.items() if g is not None} - CASES.keys() - EXEMPT.keys()
    assert not missing, f"no gradient check for: {sorted(missing)}"


def test_cases_name_registered_op_types():
    unknown = set(CASES) - set(GRADIENTS)
    assert not unknown, f"cases for op types that are not registered: {sorted(unknown)}"


@pytest.mark.parametrize("mode", ["eager", "graph"])
@pytest.mark.parametrize("op_type,index", PARAMS, ids=[f"{t}-{i}" for t, i in PARAMS])
def test_gradient(op_type, index, mode):
    case = CASES[op_type][index]
    check_gradients(case.fn, *case.args, order=case.order, modes=(mode,), delta=case.delta,
                    rtol=case.rtol, atol=case.atol, symmetric=case.symmetric)
