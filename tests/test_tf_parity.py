"""Parity with real TensorFlow: values, dtypes, shapes, static shapes and gradients (246 cases).

The cases are tests/tf_parity_cases.py; TensorFlow's numbers for them (TF 2.21.0 on CPU) are
tests/tf_parity_expected.py, written by tools/record_tf_parity.py, whose docstring tells how they
are obtained and how to record them again (it needs TensorFlow, so CI never runs it).

Here each case runs in three modes: eager (GradientTape), graph (placeholders of the inputs' full
shapes, tf.gradients, Session) and unknown_dims (placeholders of shape [None] * rank). Outputs and
gradients must match within rtol 1e-4 / atol 1e-5 (float32 round-off; a case's own `tol` says
where it needs more, and why); dtypes, shapes and which gradients are None must match exactly;
graph-mode static shapes must agree with TF's wherever TF knows a dimension; where TF cannot
build a case in a mode (a 'raises X' entry), janusgrad must raise the same builtin class X.
Inputs come from np.random.default_rng(seed) (see N, U, SPD, WELL) or are written out (A).
Cases marked xfail are janusgrad bugs found this way (strict: they fail once fixed).
Differences judged legitimate and left out: each eigen/singular vector's and QR factor's sign
(the cases use squares), TF's CPU Conv2D backprop having no dilations (TF's numbers for that case
come from tf.nn.convolution, the same function), TF's second-order gradient of
softmax_cross_entropy_with_logits w.r.t. labels missing a term (janusgrad's is the exact one; the
labels are constants in that case), and argmax over NaN (unspecified; TF skips NaNs).
"""
import builtins

import numpy as np
import pytest

import janusgrad as tf

from . import tf_parity_cases
from .tf_parity_cases import CASES, FLOATS, MODES, flat, loss_of
from .tf_parity_expected import EXPECTED, INPUTS

tf_parity_cases.use(tf)


# -- running a case on janusgrad ------------------------------------------------------------------
def run_eager(case):
    """(outputs as (dtype, shape, value), gradients as (dtype, value) or None) with a tape."""
    xs = [tf.constant(a) for a in case.inputs]
    wrt = [x for x in xs if x.dtype.name in FLOATS]
    with tf.GradientTape() as tape:
        for x in wrt:
            tape.watch(x)
        outs = flat(case.fn(*xs))
        loss = loss_of(outs, [o.shape.as_list() for o in outs])
    grads = tape.gradient(loss, wrt) if loss is not None else []
    outs = [(o.dtype.name, tuple(o.shape.as_list()), np.asarray(o.numpy())) for o in outs]
    grads = [None if d is None else (d.dtype.name, np.asarray(tf.convert_to_tensor(d).numpy()))
             for d in grads]
    return dict(outs=outs, grads=grads)


def run_graph(case, shapes, unknown_dims=False):
    """The same on placeholders (of the inputs' shapes, or of their ranks only) with tf.gradients
    and a Session; also the outputs' static shapes. `shapes`: the outputs' real shapes."""
    g = tf.Graph()
    with g.as_default():
        phs = [tf.compat.v1.placeholder(tf.as_dtype(a.dtype),
                                        [None] * a.ndim if unknown_dims else a.shape)
               for a in case.inputs]
        outs = flat(case.fn(*phs))
        static = [None if o.shape.rank is None else tuple(o.shape.as_list()) for o in outs]
        loss = loss_of(outs, shapes)
        wrt = [p for p in phs if p.dtype.name in FLOATS]
        grads = tf.compat.v1.gradients(loss, wrt) if loss is not None else []
        fetch = [tf.convert_to_tensor(d) for d in grads if d is not None]
        with tf.compat.v1.Session(graph=g) as sess:
            values, dvalues = sess.run([outs, fetch], dict(zip(phs, case.inputs)))
    dvalues = iter(dvalues)
    outs = [(o.dtype.name, np.shape(v), np.asarray(v)) for o, v in zip(outs, values)]
    grads = [None if d is None else (d.dtype.name, np.asarray(next(dvalues))) for d in grads]
    return dict(outs=outs, grads=grads, static=static)


def run(case, mode, want):
    if mode == "eager":
        return run_eager(case)
    return run_graph(case, [o[1] for o in want["outs"]], unknown_dims=mode == "unknown_dims")


def check(case, mode, want):
    """The differences of a run from TF's record; where TF could not build the case in that mode
    ('raises X'), whether janusgrad raises the same builtin class X."""
    raises = want.get("static_" + mode)
    if not isinstance(raises, str):
        return compare(case, run(case, mode, want), want, mode)
    cls = getattr(builtins, raises.split()[1])
    try:
        run(case, mode, want)
    except cls:
        return []
    except Exception as e:   # noqa: BLE001  (reported as a difference)
        return [f"raised {type(e).__name__}: {e}; TF raises {cls.__name__}"]
    return [f"ran; TF raises {cls.__name__}"]


def compare(case, got, want, mode="eager"):
    """Every difference between a run and the expected record, as readable lines."""
    rtol, atol = case.tol
    float_shapes = [a.shape for a in case.inputs if a.dtype.name in FLOATS]
    errs = []

    def close(what, value, expected, shape):
        expected = np.array(expected).reshape(shape)
        if np.asarray(value).shape != expected.shape:
            errs.append(f"{what}: value of shape {np.shape(value)}, expected {expected.shape}")
        elif expected.dtype.kind in "fc":
            if not np.allclose(value, expected, rtol=rtol, atol=atol, equal_nan=True):
                errs.append(f"{what}: got\n{np.asarray(value)}\nexpected\n{expected}")
        elif not np.array_equal(value, expected):
            errs.append(f"{what}: got\n{np.asarray(value)}\nexpected\n{expected}")

    if len(got["outs"]) != len(want["outs"]):
        return [f"{len(got['outs'])} outputs, expected {len(want['outs'])}"]
    for k, ((dtype, shape, value), (wdtype, wshape, wvalue)) in enumerate(
            zip(got["outs"], want["outs"])):
        if dtype != wdtype:
            errs.append(f"output {k}: dtype {dtype}, expected {wdtype}")
        if tuple(shape) != tuple(wshape):
            errs.append(f"output {k}: shape {tuple(shape)}, expected {tuple(wshape)}")
        close(f"output {k}", value, wvalue, wshape)
    if mode != "eager":
        full = [tuple(o[1]) for o in want["outs"]]
        wstatic = want.get("static_" + mode) or (full if mode == "graph" else
                                                  [(None,) * len(t) for t in full])
        for k, (s, ws) in enumerate(zip(got["static"], wstatic)):
            real = want["outs"][k][1]
            ok = ws is None or (s is not None and len(s) == len(ws) and all(
                (w is None or d == w) and (d is None or d == r) for d, w, r in zip(s, ws, real)))
            if not ok:
                errs.append(f"output {k}: static shape {s}, expected "
                            f"{None if ws is None else tuple(ws)}")
    if len(got["grads"]) != len(want["grads"]):
        return errs + [f"{len(got['grads'])} gradients, expected {len(want['grads'])}"]
    for k, (d, wd) in enumerate(zip(got["grads"], want["grads"])):
        if (d is None) != (wd is None):
            errs.append(f"gradient {k}: {'None' if d is None else 'a tensor'}, expected "
                        f"{'None' if wd is None else 'a tensor'}")
        elif d is not None:
            if d[0] != wd[0]:
                errs.append(f"gradient {k}: dtype {d[0]}, expected {wd[0]}")
            close(f"gradient {k}", d[1], wd[1], float_shapes[k])
    return errs


def _params():
    for case in CASES:
        for mode in MODES:
            reason = case.xfail.get(mode)
            marks = [pytest.mark.xfail(strict=True, reason=reason)] if reason else []
            yield pytest.param(case, mode, id=f"{case.name}-{mode}", marks=marks)


def test_inputs_are_the_recorded_ones():
    """The seeded inputs are those TF saw (NumPy's default_rng streams did not change)."""
    xs = [a.astype(np.float64).ravel() for c in CASES for a in c.inputs if a.dtype.kind == "f"]
    v = np.concatenate(xs)
    v = v[np.isfinite(v)]
    np.testing.assert_allclose([v.sum(), (v * v).sum()], INPUTS, rtol=1e-9)


def test_every_case_has_expected_numbers():
    assert [c.name for c in CASES] == list(EXPECTED)


# NumPy warns when a loss sums +inf and -inf outputs (reduce_max of an empty tensor); TF is silent
@pytest.mark.filterwarnings("ignore:invalid value encountered:RuntimeWarning")
@pytest.mark.parametrize("case, mode", list(_params()))
def test_matches_tensorflow(case, mode):
    want = EXPECTED[case.name]
    errors = check(case, mode, want)
    assert not errors, f"{case.name} ({mode}) differs from TensorFlow:\n" + "\n".join(errors)
