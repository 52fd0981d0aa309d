"""janusgrad raises where TensorFlow 2.21 raises, with its class and words, and returns or warns
what it returns or warns: the cases of tests/tf_error_cases.py against TF's record
(tests/tf_errors_expected.py, written by tools/record_tf_errors.py)."""
import builtins

import pytest

import janusgrad as tf
from tests.tf_error_cases import CASES
from tests.tf_errors_expected import EXPECTED


def test_every_case_is_recorded():
    assert sorted(CASES) == sorted(EXPECTED)


def _plain(value):
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if hasattr(value, "numpy"):
        return _plain(value.numpy().tolist())
    return value.tolist() if hasattr(value, "tolist") else value


def _assert_same(got, want):
    if isinstance(want, list):
        assert isinstance(got, list) and len(got) == len(want), (got, want)
        for g, w in zip(got, want):
            _assert_same(g, w)
    elif isinstance(want, float):
        assert got == pytest.approx(want, rel=1e-6)
    else:
        assert got == want


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_as_tf(name):
    want = EXPECTED[name]
    fn = CASES[name].fn
    if "returns" in want:
        _assert_same(_plain(fn(tf)), want["returns"])
        return
    builtin = getattr(builtins, want["builtin"])
    with pytest.raises(builtin) as info:
        fn(tf)
    own = getattr(tf.errors, want["raises"], None)
    if own is not None:                          # one of TF's error classes: janusgrad's own
        assert isinstance(info.value, own), type(info.value)
    else:
        assert isinstance(info.value, getattr(builtins, want["raises"])), type(info.value)
    assert want["part"] in str(info.value)


def test_invalid_argument_is_still_a_value_error():
    # janusgrad's InvalidArgumentError keeps a builtin base, so `except ValueError` still works
    with pytest.raises(ValueError):
        tf.constant(1.0) + tf.constant(1.0, tf.float64)


def test_dtype_mismatch_under_a_tape_records_nothing_and_the_tape_still_works():
    x = tf.constant(2.0)
    with tf.GradientTape() as tape:
        tape.watch(x)
        with pytest.raises(tf.errors.InvalidArgumentError):
            x * tf.constant(1.0, tf.float64)
        y = x * x
    assert tape.gradient(y, x).numpy() == 4.0


def test_variables_given_another_dtype_keep_their_value():
    v = tf.Variable([1.0, 2.0])
    for write in (v.assign, v.assign_add, v.assign_sub):
        with pytest.raises(ValueError, match="requested dtype float32"):
            write(tf.constant([1.0, 1.0], tf.float64))
    assert v.numpy().tolist() == [1.0, 2.0]


def test_read_value_false_returns_an_op_in_a_graph():
    # in a graph TF returns the assign op (something to run); eagerly None
    with tf.Graph().as_default():
        v = tf.compat.v1.Variable(1.0)
        op = v.assign_add(2.0, read_value=False)
        assert isinstance(op, tf.Operation)
        with tf.compat.v1.Session() as sess:
            sess.run(v.initializer)
            sess.run(op)
            assert sess.run(v) == 3.0


def test_while_loop_v1_packs_a_bare_body_result():
    # TF 1's while_loop lets the body of a one-variable loop return the bare tensor; TF 2's raises
    got = tf.compat.v1.while_loop(lambda i: i < 3, lambda i: i + 1, [tf.constant(0)])
    assert _plain(got) == [3]
    with pytest.raises(TypeError, match="Cannot iterate over a scalar tensor"):
        tf.while_loop(lambda i: i < 3, lambda i: i + 1, [tf.constant(0)])


def test_keras_warning_names_only_the_variables_without_gradients():
    a, b = tf.Variable(1.0, name="a"), tf.Variable(2.0, name="b")
    opt = tf.keras.optimizers.SGD(0.5)
    with pytest.warns(UserWarning, match=r"Gradients do not exist for variables \['b:0'\]"):
        opt.apply_gradients([(tf.constant(1.0), a), (None, b)])
    assert a.numpy() == 0.5 and b.numpy() == 2.0
