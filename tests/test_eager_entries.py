"""The eager fast paths (public op functions straight to run_eager, matmul, cast, custom
gradient records) give what the general path gives, and fall back to it for anything unusual,
with the general path's errors."""
import numpy as np
import pytest

import janusgrad as tf
from janusgrad.framework import context
from janusgrad.framework.tensor import EagerTensor


def _general(fn, *args, **kwargs):
    """fn built into a graph and run: the path with the full conversion rules, which the eager
    fast path must agree with."""
    g = tf.Graph()
    with g.as_default():
        out = fn(*[tf.constant(a) if isinstance(a, np.ndarray) else a for a in args], **kwargs)
    with tf.compat.v1.Session(graph=g) as sess:
        return sess.run(out)


@pytest.mark.parametrize("fn, args", [
    (tf.multiply, (np.array([1.5, -2.0], np.float32), 0.5)),
    (tf.add, (2, np.array([1, 2], np.int32))),
    (tf.subtract, (1.0, np.array([0.25, 4.0], np.float64))),
    (tf.maximum, (np.array([1.0, -1.0], np.float32), np.array([0.0, 0.0], np.float32))),
    (tf.sin, (np.array([0.1, 2.0], np.float32),)),
    (tf.nn.relu, (np.array([-1.0, 3.0], np.float16),)),
    (tf.multiply, (np.array([1.5, -2.0], np.float32), np.float32(0.5))),     # NumPy scalars
    (tf.subtract, (np.float64(3.0), np.array([0.5, 4.0], np.float64))),
    (tf.multiply, (np.array([1.5, -2.0], np.float32), np.float64(0.5))),     # (converted)
    (tf.add, (np.array([1, 2], np.int32), np.int64(7))),
    (tf.maximum, (np.array([1.0, 2.0], np.float32), np.float32(np.nan))),
])
def test_fast_path_values_and_dtypes_equal_the_graph_path(fn, args):
    eager = fn(*[tf.constant(a) if isinstance(a, np.ndarray) else a for a in args])
    assert type(eager) is EagerTensor
    want = _general(fn, *args)
    assert eager.dtype.np == want.dtype
    np.testing.assert_array_equal(eager.numpy(), want)


def test_unusual_arguments_take_the_general_path():
    x = tf.constant([1.0, 2.0])
    np.testing.assert_allclose((x * np.float64(3.0)).numpy(), [3.0, 6.0])   # another dtype
    np.testing.assert_allclose(tf.multiply(x=x, y=2.0).numpy(), [2.0, 4.0])  # by keyword
    np.testing.assert_allclose((x * [1.0, -1.0]).numpy(), [1.0, -2.0])      # a list
    v = tf.Variable([1.0, 2.0])
    np.testing.assert_allclose((v * 2.0).numpy(), [2.0, 4.0])               # a variable
    with pytest.raises(TypeError, match="Mul|multiply"):
        tf.constant([1, 2]) * 0.5                     # a float into int32, as TF refuses
    with pytest.raises((TypeError, tf.errors.InvalidArgumentError)):
        tf.constant([1.0]) + tf.constant([1.0], tf.float64)     # mixed dtypes
    with pytest.raises(TypeError, match="Sin|sin"):
        tf.sin(tf.constant([1, 2]))                   # dtype not allowed


def test_fast_path_kernel_errors_name_the_op():
    with pytest.raises(tf.errors.InvalidArgumentError, match="AddV2"):
        tf.constant([1.0, 2.0]) + tf.constant([1.0, 2.0, 3.0])


def test_graph_tensor_in_eager_code_is_a_clear_error():
    g = tf.Graph()
    with g.as_default():
        p = tf.compat.v1.placeholder(tf.float32, [2])
    with pytest.raises(TypeError, match="graph tensor"):
        tf.constant([1.0, 2.0]) * p


def test_matmul_and_cast_fast_paths():
    a = tf.constant(np.arange(6, dtype=np.float32).reshape(2, 3))
    b = tf.constant(np.ones((3, 2), np.float32))
    np.testing.assert_array_equal(tf.matmul(a, b).numpy(), a.numpy() @ b.numpy())
    with pytest.raises(tf.errors.InvalidArgumentError, match="MatMul"):
        tf.matmul(a, tf.constant(np.ones((3, 2), np.float64)))
    with pytest.raises(ValueError, match="rank"):
        tf.matmul(tf.constant([1.0, 2.0]), b)
    c = tf.cast(a, tf.int32)
    assert c.dtype is tf.int32 and tf.cast(c, "int32") is c
    np.testing.assert_array_equal(tf.cast(a, "float64").numpy(), a.numpy().astype(np.float64))
    # outputs of another dtype than the input (casts, comparisons) get the right DType
    for t, want in ((tf.cast(a, tf.float16), tf.float16), (a <= 2.0, tf.bool),
                    (tf.cast(a > 1.0, tf.int64), tf.int64)):
        assert t.dtype is want and t.numpy().dtype == want.np
    with tf.GradientTape() as tape:
        tape.watch(a)
        y = tf.reduce_sum(tf.cast(a, tf.float64) * 2.0)
    g = tape.gradient(y, a)
    assert g.dtype is tf.float32
    np.testing.assert_array_equal(g.numpy(), np.full((2, 3), 2.0, np.float32))


def test_fast_paths_under_a_recording_tape_give_the_gradient():
    x = tf.constant([0.5, -1.5])
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = tf.reduce_sum(2.0 * tf.sin(x) * x - x / 4.0)
    xv = x.numpy().astype(np.float64)
    np.testing.assert_allclose(tape.gradient(y, x).numpy(),
                               2 * np.cos(xv) * xv + 2 * np.sin(xv) - 0.25, rtol=1e-6)


def test_eager_mode_inside_a_graph_context_is_eager():
    g = tf.Graph()
    with g.as_default():
        with context.eager_mode():
            y = tf.constant([1.0]) * 3.0
    assert type(y) is EagerTensor and y.numpy()[0] == 3.0


def test_op_functions_have_the_kernel_signature_with_name():
    import inspect
    assert str(inspect.signature(tf.sin)) == "(x, name=None)"
    assert str(inspect.signature(tf.add)) == "(x, y, name=None)"
    assert str(inspect.signature(tf.nn.relu)) == "(features, name=None)"
    assert tf.add.__name__ == "add" and tf.add.op_type == "AddV2"
    x = tf.constant([0.5, -2.0])
    # keywords, and `name` by position as TF's signatures allow
    np.testing.assert_allclose(tf.nn.relu(features=x).numpy(), [0.5, 0.0])
    np.testing.assert_allclose(tf.add(y=x, x=1.0).numpy(), [1.5, -1.0])
    np.testing.assert_allclose(tf.sin(x, "s").numpy(), np.sin([0.5, -2.0]), rtol=1e-6)
    with pytest.raises(TypeError, match="missing 1 required positional argument: 'y'"):
        tf.add(x)
    with pytest.raises(TypeError, match="unexpected keyword argument 'axis'"):
        tf.sin(x, axis=0)
    g = tf.Graph()
    with g.as_default():                    # graph mode: the general path, the name kept
        y = tf.add(tf.constant(1.0), 2.0, "total")
    assert y.op.name == "total" and y.op.type == "AddV2"


def test_a_kernel_parameter_may_not_shadow_the_entry_names():
    from janusgrad.framework.registry import OPS
    from janusgrad.ops.define import op
    with pytest.raises(ValueError, match="may not be named"):
        op("TestShadowedEntry")(lambda ctx: ctx)
    assert "TestShadowedEntry" not in OPS          # refused before it is registered


def test_entries_record_their_inputs_and_run_a_side_effect_kernel_once():
    from janusgrad.framework.registry import OPS
    from janusgrad.ops.define import op
    # the entry's own names start with "_": a kernel parameter named `y` (the output's usual
    # name) is still the input the tape records
    x, y = tf.constant([2.0, 3.0]), tf.constant([5.0, 7.0])
    with tf.GradientTape() as tape:
        tape.watch([x, y])
        z = tf.multiply(x, y)
    (record,) = tape.records_since()
    assert record.inputs[0] is x and record.inputs[1] is y
    assert record.outputs[0] is z
    np.testing.assert_array_equal(tape.gradient(z, y).numpy(), [2.0, 3.0])
    # a failing kernel is called again by run_eager to name the error; an op with a side
    # effect is not: its kernel runs once
    calls = []

    def failing(x):
        calls.append(1)
        raise ValueError("no")
    try:
        entry = op("TestSideEffectEntry", side_effect=True)(failing)
        with pytest.raises(tf.errors.InvalidArgumentError, match="TestSideEffectEntry"):
            entry(x)
        assert len(calls) == 1
    finally:
        OPS.pop("TestSideEffectEntry", None)


def test_reshape_fast_path_agrees_with_the_general_path():
    x = tf.constant(np.arange(12, dtype=np.float32).reshape(3, 4))
    for shape in ([4, 3], (2, -1), [12], [1, 3, 4]):
        got = tf.reshape(x, shape)
        assert type(got) is EagerTensor
        np.testing.assert_array_equal(got.numpy(), _general(tf.reshape, x.numpy(), shape))
    # the shape tensor is made once per shape, and shared: it must stay int32 and unchanged
    a, b = tf.reshape(x, [6, 2]), tf.reshape(x * 2.0, [6, 2])
    np.testing.assert_array_equal(b.numpy(), 2 * a.numpy())
    with pytest.raises(tf.errors.InvalidArgumentError, match="Reshape"):
        tf.reshape(x, [5, -1])
    with pytest.raises(TypeError, match="Reshape"):
        tf.reshape(x, [2.0, 6])             # not ints: the general path, which refuses
    np.testing.assert_array_equal(tf.reshape(x, [np.int64(2), 6]).numpy(),
                                  x.numpy().reshape(2, 6))
    big = tf.constant(np.arange(600, dtype=np.float32).reshape(20, 30))   # dropped by records
    w = tf.constant(np.linspace(-1, 1, 600, dtype=np.float32).reshape(30, 20))
    with tf.GradientTape() as tape:
        tape.watch(big)
        y = tf.reduce_sum(tf.reshape(big, [30, 20]) * w)
    np.testing.assert_array_equal(tape.gradient(y, big).numpy(), w.numpy().reshape(20, 30))


def test_kernels_that_are_one_ufunc_call_are_registered_as_the_ufunc():
    import janusgrad.ops.math as jm
    from janusgrad.framework.registry import OPS, UFUNC_KERNELS
    from janusgrad.ops.define import _as_ufunc
    for fn in (jm.sin, jm.exp, jm.add, jm.multiply, jm.less_equal, jm.abs, jm.sign):
        assert OPS[fn.op_type].kernel is UFUNC_KERNELS[fn.op_type]
        assert isinstance(UFUNC_KERNELS[fn.op_type], np.ufunc)
    # and they compute what the written kernel computes, bit for bit
    rng = np.random.default_rng(0)
    a, b = (rng.standard_normal((3, 4)).astype(np.float32) for _ in range(2))
    for op_type, ufunc in UFUNC_KERNELS.items():
        written = next(f for f in vars(jm).values() if getattr(f, "op_type", None) == op_type
                       and hasattr(f, "kernel"))
        args = (a, b)[:ufunc.nin]
        if op_type.startswith("Logical"):
            args = tuple(v > 0 for v in args)
        with np.errstate(all="ignore"):
            np.testing.assert_array_equal(ufunc(*args), written.kernel(*args))
    # anything more than the bare call stays a Python kernel
    assert _as_ufunc(lambda x: np.sin(x) + 1) is None
    assert _as_ufunc(lambda x, y: np.add(y, x)) is None
    assert _as_ufunc(lambda x: np.sum(x)) is None               # not a ufunc
    assert _as_ufunc(lambda x: np.sin(x, dtype=np.float32)) is None
    assert _as_ufunc(lambda x, *, axis: np.sin(x)) is None     # attrs: not the ufunc's
    assert _as_ufunc(lambda x, y=2: np.add(x, y)) is None
    assert _as_ufunc(lambda x: np.sin(x)) is np.sin


def test_ufunc_kernels_do_not_warn_in_any_mode():
    import warnings
    x = np.array([0.0, -1.0], np.float32)
    with warnings.catch_warnings(record=True) as caught:
        # every warning recorded, except what janusgrad's own rule (ops/math.py) ignores: a
        # kernel run by janusgrad's code, wherever (here the plan of a Session or function)
        warnings.simplefilter("always")
        warnings.filterwarnings("ignore", category=RuntimeWarning, module=r"janusgrad\.")
        eager = tf.math.log(tf.constant(x)).numpy()
        fn = tf.function(lambda t: tf.math.log(t))(tf.constant(x)).numpy()
        g = tf.Graph()
        with g.as_default():
            p = tf.compat.v1.placeholder(tf.float32, [2])
            y = tf.math.log(p)
        with tf.compat.v1.Session(graph=g) as sess:
            graph = sess.run(y, {p: x})
        np.log(x)                               # (the user's own NumPy still warns)
    assert [str(w.message) for w in caught] == ["divide by zero encountered in log",
                                                "invalid value encountered in log"]
    for got in (eager, fn, graph):
        assert got[0] == -np.inf and np.isnan(got[1])


def test_scalar_constants_keep_the_sign_of_zero():
    # 0.0 == -0.0, so the constants' cache tells them apart by the sign (x * -0.0 is -0.0)
    x = tf.constant([1.0, 2.0])
    for zero in (0.0, -0.0, np.float32(0.0), np.float32(-0.0), 0.0):
        got = (x * zero).numpy()
        assert list(np.signbit(got)) == [np.signbit(zero)] * 2, zero
