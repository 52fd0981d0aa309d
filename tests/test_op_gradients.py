"""Every differentiable op type in the registry has a numerical gradient check, run in eager
and in graph mode, to second order where the op is twice differentiable; each check's case, run
in float32, stays float32 in every mode and order."""
import numpy as np
import pytest

import janusgrad as tf
from janusgrad.check import check_gradients
from janusgrad.framework.nest import flatten
from janusgrad.framework.registry import GRADIENTS, OPS, elementwise_infer

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


def _in_float32(args, zero_d):
    """The case's floating inputs in float32 (with zero_d, each its first element, 0-d)."""
    out = []
    for a in args:
        if isinstance(a, np.ndarray) and a.dtype.kind == "f":
            a = a.astype(np.float32)
            if zero_d:
                a = a.reshape(-1)[:1].reshape(())
        out.append(a)
    return out


def _sum_of_squares(tensors):
    floats = [t for t in tensors if t.dtype.is_floating]
    return tf.add_n([tf.reduce_sum(t * t) for t in floats]) if floats else None


def _outputs_and_gradients(case, args):
    """The case's outputs; (gradient, source) pairs of the sum of their squares; then the same
    pairs for the sum of the gradients' squares (second order)."""
    xs = [tf.constant(a) if isinstance(a, np.ndarray) else a for a in args]
    sources = [x for x in xs if isinstance(x, tf.Tensor) and x.dtype.is_floating]
    with tf.GradientTape() as outer:
        outer.watch(sources)
        with tf.GradientTape() as inner:
            inner.watch(sources)
            outs = [o for o in flatten(case.fn(*xs)) if isinstance(o, tf.Tensor)]
            loss = _sum_of_squares(outs)
        first = [] if loss is None else \
            [(g, s) for g, s in zip(inner.gradient(loss, sources), sources) if g is not None]
        loss2 = _sum_of_squares([g for g, _ in first]) if case.order >= 2 else None
    second = [] if loss2 is None else \
        [(g, s) for g, s in zip(outer.gradient(loss2, sources), sources) if g is not None]
    return outs, first, second


# ops shaped as elementwise ones that work along an axis, which 0-d inputs do not have
_ALONG_AN_AXIS = {"Cumsum", "ProdOfOthers"}
# every case, then again on 0-d inputs those of elementwise ops
F32_PARAMS = [(t, i, False) for t, i in PARAMS] + \
    [(t, i, True) for t, i in PARAMS
     if OPS[t].infer is elementwise_infer and t not in _ALONG_AN_AXIS]


@pytest.mark.parametrize("op_type,index,zero_d", F32_PARAMS,
                         ids=[f"{t}-{i}{'-0d' if z else ''}" for t, i, z in F32_PARAMS])
def test_float32_in_float32_out(op_type, index, zero_d):
    """Each case in float32 (and on 0-d inputs where the op is elementwise): the arrays a graph
    computes have their tensors' dtypes, eager outputs the graph's dtypes, gradients of both
    orders their sources' dtypes, whatever NumPy's promotion rules (under NumPy 1.x a kernel
    that combines a Python number with 0-d float32 arrays computes in float64)."""
    case = CASES[op_type][index]
    args = _in_float32(case.args, zero_d)
    with tf.Graph().as_default() as g:
        outs, first, second = _outputs_and_gradients(case, args)
        fetches = outs + [t for pair in first + second for t in pair]
        with tf.compat.v1.Session(graph=g) as sess:
            values = sess.run(fetches)
    got = {t.name: np.asarray(v).dtype for t, v in zip(fetches, values)}
    assert got == {t.name: t.dtype.np for t in fetches}
    graph_dtypes = [t.dtype for t in outs]
    outs, first, second = _outputs_and_gradients(case, args)
    assert [t.dtype for t in outs] == graph_dtypes
    assert [g.dtype for g, _ in first + second] == [s.dtype for _, s in first + second]
