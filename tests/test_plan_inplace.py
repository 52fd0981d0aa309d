"""Plans run elementwise steps in place (janusgrad/runtime/inplace.py): the same bits as the
kernels, never into an array the plan does not own (a feed, a constant, a variable's value, a
fetched or aliased intermediate, an input of another shape or dtype), and actually applied."""
import numpy as np
import pytest

import janusgrad as tf
from janusgrad.framework.registry import OPS
from janusgrad.runtime import inplace, session

v1 = tf.compat.v1


@pytest.fixture(autouse=True)
def small_arrays_too(monkeypatch):
    """In place for arrays of any size, so that the tests stay small (one test checks the
    size threshold itself)."""
    monkeypatch.setattr(inplace, "MIN_ELEMENTS", 1)


def _same(got, want):
    got, want = np.asarray(got), np.asarray(want)
    assert got.dtype == want.dtype and got.shape == want.shape
    np.testing.assert_array_equal(got, want)       # NaN == NaN here; -0.0 checked below
    assert np.array_equal(np.signbit(got), np.signbit(want))


def _last_plan(graph):
    return list(graph.plans.values())[-1]


def _inplace_ops(plan):
    return [op.type for kernel, _, _, _, _, op, _ in plan.steps
            if getattr(kernel, "__module__", None) == inplace.__name__]


def _chain(x):
    """forward and gradient of a chain like benchmark (b)'s, with sigmoid, relu and square"""
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = x * 0.85
        y = tf.sin(y + -0.83)
        y = tf.tanh(y) * tf.exp(y)
        y = tf.nn.relu(tf.sigmoid(y) - 0.6) + tf.square(y)
        loss = tf.reduce_sum(y)
    return loss, tape.gradient(loss, x)


# -- every form gives its kernel's bits ---------------------------------------------------------

def _values(rng, shape, dtype):
    x = np.asarray(rng.uniform(-3, 3, shape), dtype)
    special = [np.nan, np.inf, -np.inf, -0.0, 0.0, 1e-3]
    flat = x.reshape(-1)
    flat[:len(special)] = special[:flat.size]
    return x


@pytest.mark.parametrize("dtype", [np.float16, np.float32, np.float64])
@pytest.mark.parametrize("op_type", sorted(inplace.FORMS))
def test_every_form_gives_the_bits_of_its_kernel(op_type, dtype):
    rng = np.random.default_rng(1)
    kernel = OPS[op_type].kernel
    n_inputs = 3 if op_type == "AddN" else len(inplace.FORMS[op_type])
    # how the other inputs broadcast against the buffer written into (AddN: all one shape)
    others = [(4, 5)] if op_type == "AddN" or n_inputs == 1 else [(4, 5), (5,), (4, 1), ()]
    for into, form in enumerate(inplace.FORMS[op_type]):
        if form is None:
            continue
        for other_shape in others:
            args = [_values(rng, (4, 5) if i == into else other_shape, dtype)
                    for i in range(n_inputs)]
            with np.errstate(all="ignore"):     # (kernels run by janusgrad do not warn)
                want = kernel(*args)
            before = [a.copy() for a in args]
            buf = args[into].copy()
            got = form(*[buf if i == into else a for i, a in enumerate(args)])
            assert got is buf
            _same(got, want)
            for i, (a, b) in enumerate(zip(args, before)):
                if i != into:
                    _same(a, b)                # only the chosen buffer is written


def test_fresh_kernels_return_new_arrays():
    """FRESH is a promise about kernels: their outputs share no memory with their inputs (even
    where an output could be an input as it is: a sum over no axis, a cast to the same dtype)."""
    x = np.arange(12, dtype=np.float32).reshape(3, 4)
    y = np.ones([3, 4], np.float32)
    square = np.eye(4, dtype=np.float32)
    calls = {
        "MatMul": ((x, square), {}), "BatchMatMulV2": ((x[None], square[None]), {}),
        "Sum": ((x,), {"axis": (), "keepdims": False}),
        "Mean": ((x,), {"axis": (), "keepdims": True}),
        "BroadcastReduced": ((y, x), {"axis": (), "keepdims": True}),
        "Cast": ((x,), {"DstT": tf.float32}), "SelectV2": ((x > 3, x, y), {}),
        "OnesLike": ((x,), {}), "ZerosLike": ((x,), {}), "AddN": ((x, y, x), {}),
    }
    for op_type in sorted(inplace.FRESH):
        n_inputs = len(inplace.FORMS.get(op_type, ((), ())))
        args, attrs = calls.get(op_type, ((x, y)[:n_inputs], {}))
        with np.errstate(all="ignore"):
            out = OPS[op_type].kernel(*args, **attrs)
        assert isinstance(out, np.ndarray), op_type
        assert not any(np.shares_memory(out, a) for a in args), op_type


# -- Session.run and tf.function: eager's results, in place -----------------------------------

def test_session_chain_is_eager_bits_and_runs_in_place():
    xv = np.linspace(-2, 2, 300, dtype=np.float32).reshape(20, 15)
    want = _chain(tf.constant(xv))
    fed = xv.copy()
    g = tf.Graph()
    with g.as_default():
        p = v1.placeholder(tf.float32, [20, 15])
        loss, grad = _chain(p)
    with v1.Session(graph=g) as sess:
        for _ in range(3):                       # repeated runs: the same, the feed untouched
            got = sess.run([loss, grad], {p: fed})
            _same(got[0], want[0].numpy())
            _same(got[1], want[1].numpy())
            _same(fed, xv)
    plan = _last_plan(g)
    done = _inplace_ops(plan)
    assert plan.inplace_steps == len(done) >= 8
    assert {"AddV2", "Mul", "TanhGrad", "ReluGrad", "SigmoidGrad"} <= set(done), done


def test_tf_function_chain_is_eager_bits_and_runs_in_place():
    xv = np.linspace(-2, 2, 300, dtype=np.float32)
    x = tf.constant(xv)
    f = tf.function(_chain)
    want = _chain(x)
    for _ in range(3):
        got = f(x)
        _same(got[0].numpy(), want[0].numpy())
        _same(got[1].numpy(), want[1].numpy())
        _same(x.numpy(), xv)
    plan = f.get_concrete_function(x)._plan
    assert plan.inplace_steps == len(_inplace_ops(plan)) >= 8


def test_the_loop_of_big_plans_runs_in_place_too(monkeypatch):
    monkeypatch.setattr(session, "_MAX_COMPILED", 0)
    xv = np.linspace(-2, 2, 64, dtype=np.float32)
    want = _chain(tf.constant(xv))
    g = tf.Graph()
    with g.as_default():
        p = v1.placeholder(tf.float32, [64])
        loss, grad = _chain(p)
    sess = v1.Session(graph=g)
    for _ in range(2):
        got = sess.run([loss, grad], {p: xv})
        _same(got[1], want[1].numpy())
    plan = _last_plan(g)
    assert plan._compiled is None and plan.inplace_steps >= 8


def test_small_arrays_keep_the_kernels(monkeypatch):
    monkeypatch.setattr(inplace, "MIN_ELEMENTS", 4096)
    g = tf.Graph()
    with g.as_default():
        small = v1.placeholder(tf.float32, [8])
        big = v1.placeholder(tf.float32, [64, 64])
        y_small = tf.tanh(small * 2.0)
        y_big = tf.tanh(big * 2.0)
    sess = v1.Session(graph=g)
    sess.run(y_small, {small: np.ones(8, np.float32)})
    assert _last_plan(g).inplace_steps == 0
    sess.run(y_big, {big: np.ones((64, 64), np.float32)})
    assert _inplace_ops(_last_plan(g)) == ["Tanh"]


# -- what is never written into ----------------------------------------------------------------

def test_feeds_constants_and_variables_are_never_written():
    xv = np.full([4, 5], 0.5, np.float32)
    cv = np.arange(20, dtype=np.float32).reshape(4, 5) / 10
    g = tf.Graph()
    with g.as_default():
        p = v1.placeholder(tf.float32, [4, 5])
        c = tf.constant(cv)
        v = tf.Variable(np.ones([4, 5], np.float32))
        a = tf.exp(p)                     # p: fed
        b = tf.sin(c)                     # c: a folded constant
        r = tf.tanh(v.read_value())       # ReadVariableOp's result is the variable's array
        n = tf.negative(v)
        out = a * b + r * n
        init = v1.global_variables_initializer()
    sess = v1.Session(graph=g)
    sess.run(init)
    first = sess.run(out, {p: xv})
    for _ in range(2):
        _same(sess.run(out, {p: xv}), first)
    done = _inplace_ops(_last_plan(g))
    _same(xv, np.full([4, 5], 0.5, np.float32))
    _same(sess.run(c), cv)
    _same(sess.run(v), np.ones([4, 5], np.float32))
    want = np.exp(xv) * np.sin(cv) + np.tanh(np.float32(1)) * -np.ones([4, 5], np.float32)
    np.testing.assert_allclose(first, want, rtol=1e-6)
    assert sorted(done) == ["AddV2", "Mul", "Mul"]     # into exp(p), tanh(v), the product


def test_fetched_aliased_and_twice_read_intermediates_keep_their_values():
    xv = np.linspace(-1, 1, 12, dtype=np.float32).reshape(3, 4)
    g = tf.Graph()
    with g.as_default():
        p = v1.placeholder(tf.float32, [3, 4])
        fetched = tf.exp(p)                       # fetched, then read by a later step
        twice = tf.cos(p)                         # read by two later steps
        aliased = tf.sin(p)                       # viewed by reshape and identity
        view = tf.reshape(aliased, [12])
        same = tf.identity(aliased)
        out = tf.tanh(fetched) + twice * 2.0 + twice + tf.square(aliased)
    sess = v1.Session(graph=g)
    got = sess.run([fetched, view, same, out], {p: xv})
    _same(got[0], np.exp(xv))
    _same(got[1], np.sin(xv).reshape(12))
    _same(got[2], np.sin(xv))
    e, c, s = np.exp(xv), np.cos(xv), np.sin(xv)
    _same(got[3], np.tanh(e) + c * np.float32(2.0) + c + s * s)
    done = _inplace_ops(_last_plan(g))
    assert "Tanh" not in done and "Square" not in done      # into a fetched / aliased array
    assert done.count("AddV2") >= 1                          # the sums are still in place


def test_broadcast_inputs_are_not_written_into_a_bigger_output():
    g = tf.Graph()
    with g.as_default():
        col = v1.placeholder(tf.float32, [3, 1])
        mat = v1.placeholder(tf.float32, [3, 4])
        a = tf.exp(col)                        # private, dies at the product, but [3, 1]
        prod = a * mat                         # [3, 4]: only a new array fits it
        partial = v1.placeholder(tf.float32, [None, 4])
        full = v1.placeholder(tf.float32, [3, 4])
        row = v1.placeholder(tf.float32, [4])
        b = tf.exp(partial)
        s = b + full                           # [None, 4] + [3, 4]: b's dim 0 may be 1
        u = tf.exp(row)
        t = u * partial                        # [4] * [None, 4]: never into u
    sess = v1.Session(graph=g)
    cv, mv = np.array([[0.1], [0.2], [0.3]], np.float32), np.ones([3, 4], np.float32)
    got = sess.run(prod, {col: cv, mat: mv})
    _same(got, np.exp(cv) * mv)
    assert _last_plan(g).inplace_steps == 0
    pv, rv = np.ones([1, 4], np.float32), np.arange(4, dtype=np.float32)
    fv = np.arange(12, dtype=np.float32).reshape(3, 4)
    got = sess.run([s, t], {partial: pv, full: fv, row: rv})
    _same(got[0], np.exp(pv) + fv)
    _same(got[1], np.exp(rv) * pv)
    assert _last_plan(g).inplace_steps == 0


def test_unknown_dims_that_always_fit_run_in_place():
    g = tf.Graph()
    with g.as_default():
        p = v1.placeholder(tf.float32, [None, 4])
        q = v1.placeholder(tf.float32, [4])
        y = tf.sin(tf.exp(p) * q)              # [None, 4] * [4] into the [None, 4] input
    sess = v1.Session(graph=g)
    for rows in (1, 3):
        pv = np.linspace(0, 1, 4 * rows, dtype=np.float32).reshape(rows, 4)
        qv = np.arange(4, dtype=np.float32)
        _same(sess.run(y, {p: pv, q: qv}), np.sin(np.exp(pv) * qv))
    assert _inplace_ops(_last_plan(g)) == ["Mul", "Sin"]


def test_dtype_changes_are_never_in_place():
    g = tf.Graph()
    with g.as_default():
        p = v1.placeholder(tf.float32, [6])
        e = tf.exp(p)
        wide = tf.cast(tf.sin(p), tf.float64)          # Cast: a new dtype
        big = tf.greater(tf.cos(p), 0.5)               # comparison: bool
        i = v1.placeholder(tf.int32, [6])
        ints = tf.abs(i * 3)                           # integers: kernels as they are
        out = [tf.exp(wide) * 2.0, big, ints, tf.sqrt(e)]
    sess = v1.Session(graph=g)
    pv, iv = np.linspace(-1, 1, 6, dtype=np.float32), np.arange(-3, 3, dtype=np.int32)
    got = sess.run(out, {p: pv, i: iv})
    _same(got[0], np.exp(np.sin(pv).astype(np.float64)) * 2.0)
    _same(got[1], np.cos(pv) > np.float32(0.5))
    _same(got[2], np.abs(iv * 3))
    _same(got[3], np.sqrt(np.exp(pv)))
    done = _inplace_ops(_last_plan(g))
    assert sorted(done) == ["Exp", "Mul", "Sqrt"]       # float64 exp, its product, sqrt(e)


def test_gradient_sums_accumulate_in_place():
    xv = np.linspace(-1, 1, 10, dtype=np.float32)
    g = tf.Graph()
    with g.as_default():
        p = v1.placeholder(tf.float32, [10])
        y = tf.sin(p) * tf.cos(p) + tf.exp(p) * tf.tanh(p) + tf.square(p)
        grad = tf.gradients(tf.reduce_sum(y), p)[0]
        total = tf.add_n([tf.exp(p), tf.sin(p), p])
    sess = v1.Session(graph=g)
    got = sess.run(grad, {p: xv})
    x = tf.constant(xv)
    with tf.GradientTape() as tape:
        tape.watch(x)
        ye = tf.reduce_sum(tf.sin(x) * tf.cos(x) + tf.exp(x) * tf.tanh(x) + tf.square(x))
    _same(got, tape.gradient(ye, x).numpy())
    sums = [op.name for kernel, _, _, _, _, op, _ in _last_plan(g).steps
            if op.type == "AddV2" and op.name.startswith("gradients/")]
    assert len(sums) == 4 and _inplace_ops(_last_plan(g)).count("AddV2") == 6
    _same(sess.run(total, {p: xv}), np.exp(xv) + np.sin(xv) + xv)
    assert _inplace_ops(_last_plan(g)) == ["AddN"]


def test_wrapped_kernels_are_left_alone():
    """janusgrad.debug's numerics check wraps the kernels: plans call them (no in-place form
    bypasses the check), and say which node failed."""
    g = tf.Graph()
    with g.as_default():
        p = v1.placeholder(tf.float32, [5])
        y = tf.math.log(tf.exp(p) - 2.0)
    sess = v1.Session(graph=g)
    xv = np.zeros(5, np.float32)
    assert np.isnan(sess.run(y, {p: xv})).all()
    assert _last_plan(g).inplace_steps >= 1
    with tf.debug.numerics_check():
        with pytest.raises(tf.debug.NumericsError, match="Log"):
            sess.run(y, {p: xv})
        assert _last_plan(g).inplace_steps == 0


def test_an_identity_n_reading_a_private_array_alone_hands_it_on():
    """An optimizer routes its gradients through one IdentityN (so that the numerics check can
    refuse them all before any update): the arrays it alone reads stay the plan's to write
    into; one it shares with another reader, or one that is fetched, does not."""
    xv = np.linspace(-1, 1, 12, dtype=np.float32).reshape(3, 4)
    g = tf.Graph()
    with g.as_default():
        p = v1.placeholder(tf.float32, [3, 4])
        alone, shared, fetched = tf.exp(p), tf.sin(p), tf.cos(p)
        a, s, f = tf.identity_n([alone, shared, fetched])
        out = [a * 2.0, s * 3.0 + shared, f * 4.0]
    sess = v1.Session(graph=g)
    got = sess.run(out + [fetched], {p: xv})
    e, sn, c = np.exp(xv), np.sin(xv), np.cos(xv)
    _same(got[0], e * np.float32(2.0))
    _same(got[1], sn * np.float32(3.0) + sn)
    _same(got[2], c * np.float32(4.0))
    _same(got[3], c)
    in_place = [op for kernel, _, _, _, _, op, _ in _last_plan(g).steps
                if getattr(kernel, "__module__", None) == inplace.__name__]
    # into exp(p) as it came out, not into sin(p) or cos(p); the sum goes into s * 3.0
    assert [(op.type, op.inputs[0].op.type) for op in in_place] == \
        [("Mul", "IdentityN"), ("AddV2", "Mul")]


def test_an_optimizer_step_in_a_session_runs_in_place():
    xv = np.linspace(-1, 1, 12, dtype=np.float32).reshape(3, 4)
    g = tf.Graph()
    with g.as_default():
        p = v1.placeholder(tf.float32, [3, 4])
        w = tf.Variable(np.ones([4, 2], np.float32))
        loss = tf.reduce_sum(tf.square(p @ w))
        step = v1.train.GradientDescentOptimizer(0.1).minimize(loss)
    sess = v1.Session(graph=g)
    sess.run(w.initializer)
    sess.run(step, {p: xv})
    in_place = [op for kernel, _, _, _, _, op, _ in _last_plan(g).steps
                if getattr(kernel, "__module__", None) == inplace.__name__]
    # lr * gradient, into the gradient as it came out of the gate
    assert any(op.type == "Mul" and op.inputs[1].op.type == "IdentityN" for op in in_place)
    w0 = np.ones([4, 2], np.float32)
    np.testing.assert_allclose(sess.run(w), w0 - 0.1 * (2 * xv.T @ (xv @ w0)), rtol=1e-6)
