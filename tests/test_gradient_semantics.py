"""Gradient semantics that follow TF 2.21 where janusgrad used to differ (issue 18):
gradient_override_map is for tf.gradients, not tapes; its warning names the right op type; the
`Add` op type and its gradient; TF's other names of no_gradient; custom_gradient's `variables`
rule and which returned gradients are checked."""
import warnings

import numpy as np
import pytest

import janusgrad as tf
from janusgrad import ops


@pytest.fixture
def ten():
    """A registered gradient that is ten times dy for every input: where it applies shows."""
    @tf.RegisterGradient("TimesTenForEveryInput")
    def _ten(op, dy):
        return [dy * 10.0 for _ in op.inputs]
    return "TimesTenForEveryInput"


def _mapped_square(x, name):
    with tf.compat.v1.get_default_graph().gradient_override_map({"Square": name}):
        return tf.square(x)


# -- gradient_override_map: tf.gradients uses it, GradientTape does not (as TF) --------------------

def test_a_tape_inside_tf_function_ignores_the_map_and_tf_gradients_uses_it(ten):
    @tf.function
    def by_tape(x):
        with tf.GradientTape(persistent=True) as tape:
            tape.watch(x)
            y = _mapped_square(x, ten)
        return tape.gradient(y, x), tape.jacobian(y, x)

    @tf.function
    def by_gradients(x):
        return tf.gradients(_mapped_square(x, ten), x)[0]
    x = np.array([3.0, 1.0], np.float32)
    grad, jac = by_tape(tf.constant(x))
    np.testing.assert_allclose(grad.numpy(), 2 * x)               # Square's own gradient
    np.testing.assert_allclose(jac.numpy(), np.diag(2 * x))
    np.testing.assert_allclose(by_gradients(tf.constant(x)).numpy(), [10.0, 10.0])


def test_a_tape_over_a_tf_function_call_gets_the_functions_mapped_gradient(ten):
    # the call's gradient is the symbolic gradient of the function's graph: tf.gradients's
    @tf.function
    def inner(x):
        return _mapped_square(x, ten)

    @tf.function
    def outer(x):
        with tf.GradientTape() as tape:
            tape.watch(x)
            y = inner(x)
        return tape.gradient(y, x)
    x = tf.constant(3.0)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = inner(x)
    assert tape.gradient(y, x).numpy() == 10.0
    assert outer(x).numpy() == 10.0


def test_a_tape_in_a_tf1_graph_ignores_the_map(ten):
    with tf.Graph().as_default() as g:
        x = tf.compat.v1.placeholder(tf.float32, [])
        with tf.GradientTape() as tape:
            tape.watch(x)
            with g.gradient_override_map({"Square": ten}):
                y = tf.square(x)
        by_tape = tape.gradient(y, x)
        by_gradients = tf.gradients(y, x)[0]
        with tf.compat.v1.Session() as sess:
            assert sess.run([by_tape, by_gradients], {x: 3.0}) == [6.0, 10.0]


def test_a_tapes_gradient_functions_see_the_graph_op():
    seen = []

    @tf.RegisterGradient("SeesItsOp")
    def _sees(op, dy):
        seen.append((op.type, op.name, op.skip_input_indices))
        return dy, dy

    @tf.function
    def f(x, c):
        with tf.GradientTape() as tape:
            tape.watch(x)
            with tf.compat.v1.get_default_graph().gradient_override_map({"AddV2": "SeesItsOp"}):
                y = tf.add(x, c, name="my_add")
        return tape.gradient(y, x), tf.gradients(y, x)[0]
    assert [g.numpy() for g in f(tf.constant(1.0), tf.constant(2.0))] == [1.0, 1.0]
    assert seen == [("AddV2", "my_add", None)]       # tf.gradients's call, the tape's is AddV2's


def test_a_map_used_eagerly_warns_that_tapes_do_not_use_it(ten):
    x = tf.constant(3.0)
    with pytest.warns(UserWarning, match="ops run eagerly here.*GradientTape does not use"):
        with tf.GradientTape() as tape:
            tape.watch(x)
            y = _mapped_square(x, ten)
    assert tape.gradient(y, x).numpy() == 6.0


# -- the warning for keys that matched nothing --------------------------------------------------

def _warnings_of(mapping, build):
    tf.compat.v1.disable_eager_execution()
    g = tf.compat.v1.get_default_graph()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        with g.gradient_override_map(mapping):
            build()
    return [str(w.message) for w in caught if issubclass(w.category, UserWarning)]


def test_the_suggestion_is_the_op_type_made_never_the_key_itself():
    a = tf.constant(1.0)
    assert _warnings_of({"Add": "Identity"}, lambda: a + a) == [
        'gradient_override_map: the key "Add" matched no op created inside the block: did you '
        'mean "AddV2"?']
    assert _warnings_of({"addv2": "Identity"}, lambda: tf.add(a, a))[0].endswith(
        'did you mean "AddV2"?')
    # a real op type, nothing like it made: no suggestion (not "did you mean "Square"?")
    (message,) = _warnings_of({"Square": "Identity"}, lambda: tf.sin(a))
    assert "did you mean" not in message


def test_each_unmatched_key_warns_once_per_block():
    a = tf.constant(1.0)
    messages = _warnings_of({"Add": "Identity", "Sn": "Identity", "Sin": "Identity"},
                            lambda: [tf.sin(a + a), tf.sin(a)])
    assert len(messages) == 2
    assert '"Add"' in messages[0] and '"Sn"' in messages[1] and '"Sin"?' in messages[1]


# -- the Add op type ----------------------------------------------------------------------------

def test_tf_add_and_plus_make_addv2_raw_ops_add_makes_add():
    with tf.Graph().as_default():
        a, b = tf.constant([1.0, 2.0]), tf.constant(3.0)
        made = [tf.add(a, b), a + b, tf.math.add(a, b), tf.raw_ops.Add(x=a, y=b),
                tf.raw_ops.AddV2(x=a, y=b, name="v2")]
        assert [t.op.type for t in made] == ["AddV2"] * 3 + ["Add", "AddV2"]
        assert made[-1].op.name == "v2"
        with tf.compat.v1.Session() as sess:
            for value in sess.run(made):
                np.testing.assert_allclose(value, [4.0, 5.0])
    np.testing.assert_allclose(tf.raw_ops.Add(x=[1.0, 2.0], y=3.0).numpy(), [4.0, 5.0])
    with pytest.raises(TypeError):
        tf.raw_ops.Add(a, b)                # keyword arguments only, as TF's raw ops


def test_an_add_key_applies_to_add_ops_only_and_mul_can_take_adds_gradient(ten):
    with tf.Graph().as_default() as g:
        x = tf.compat.v1.placeholder(tf.float32, [])
        with g.gradient_override_map({"Add": ten}):
            y_add = tf.raw_ops.Add(x=x, y=x)
            y_plus = x + x
        with g.gradient_override_map({"Mul": "Add"}):      # Mul's gradient as Add's: dy, dy
            y_mul = x * 3.0
        grads = [tf.gradients(y, x)[0] for y in (y_add, y_plus, y_mul, [y_add, y_plus])]
        with tf.compat.v1.Session() as sess:
            assert sess.run(grads, {x: 1.0}) == [20.0, 2.0, 1.0, 22.0]


def test_add_has_addv2s_gradient_in_every_mode():
    def f(x, y):
        return tf.raw_ops.Add(x=x, y=y) * x
    x, y = np.array([[1.0, 2.0]], np.float32), np.array([3.0], np.float32)
    expect = [2 * x + y, np.array([x.sum()])]     # d((x + y) x)/dy sums the broadcast
    with tf.GradientTape() as tape:
        xs = [tf.constant(x), tf.constant(y)]
        tape.watch(xs)
        out = f(*xs)
    for got, want in zip(tape.gradient(out, xs), expect):
        np.testing.assert_allclose(got.numpy(), want)
    with tf.Graph().as_default():
        xs = [tf.compat.v1.placeholder(tf.float32, [1, 2]), tf.compat.v1.placeholder(tf.float32,
                                                                                     [1])]
        grads = tf.gradients(f(*xs), xs)
        with tf.compat.v1.Session() as sess:
            for got, want in zip(sess.run(grads, dict(zip(xs, [x, y]))), expect):
                np.testing.assert_allclose(got, want)


def test_tfs_other_names_of_no_gradient():
    assert tf.compat.v1.NoGradient is tf.no_gradient
    assert tf.compat.v1.no_gradient is tf.no_gradient
    assert tf.compat.v1.NotDifferentiable is tf.no_gradient
    assert tf.compat.v1.RegisterGradient is tf.RegisterGradient
    assert ops.NoGradient is ops.no_gradient is tf.no_gradient
    tf.compat.v1.NoGradient("MadeUpOpWithoutGradient")
    with pytest.raises(KeyError, match="Registering two gradient"):
        tf.compat.v1.NoGradient("Sin")
    with pytest.raises(TypeError, match="string"):
        ops.NoGradient(3)


# -- custom_gradient and variables -------------------------------------------------------------

def _plain(body):
    @tf.custom_gradient
    def f(x):
        return body(x), lambda dy: dy
    return f


def test_custom_gradient_raises_where_tf_does_for_variables_used_without_the_keyword():
    v = tf.Variable(2.0)
    frozen = tf.Variable(3.0, trainable=False)
    x = tf.constant(1.0)
    raising = [lambda x: x * v,                                 # a read
               lambda x: (v.assign_add(1.0), x * 2.0)[1],       # an assignment that reads
               lambda x: x * v.numpy()]
    for body in raising:
        with pytest.raises(TypeError, match="must accept a keyword argument 'variables'"):
            _plain(body)(x)
        with pytest.raises(TypeError, match="'variables'"):
            tf.function(_plain(body))(x)
    # not trainable, passed in, or assigned without reading: no variable for grad_fn (as TF)
    assert _plain(lambda x: x * frozen)(x).numpy() == 3.0
    assert _plain(lambda x: (v.assign_add(1.0, read_value=False), x * 2.0)[1])(x).numpy() == 2.0

    @tf.custom_gradient
    def with_arg(x, w):
        return x * w, lambda dy: (dy * w, dy * x)
    assert with_arg(x, tf.Variable(5.0)).numpy() == 5.0


def test_assign_and_numpy_under_a_tape_watch_the_variable():
    v, w, u = tf.Variable(1.0, name="v"), tf.Variable(1.0, name="w"), tf.Variable(1.0, name="u")
    with tf.GradientTape() as tape:
        v.assign_add(1.0)
        w.assign_add(1.0, read_value=False)
        u.numpy()
    assert [x.name for x in tape.watched_variables()] == ["v:0", "u:0"]


def test_tf1_graph_custom_gradient_finds_a_variable_read_before_it():
    # TF's graph mode walks back from the outputs to the arguments for variables: the value of
    # w read outside f and used inside needs grad_fn's gradient (it is lost otherwise)
    with tf.Graph().as_default():
        w = tf.Variable(2.0, name="w")
        r = w * 1.0
        x = tf.compat.v1.placeholder(tf.float32, [])

        @tf.custom_gradient
        def no_keyword(x):
            return x * r, lambda dy: dy * r
        with pytest.raises(TypeError, match=r"variables: \['w:0'\]"):
            no_keyword(x)
        seen = []

        @tf.custom_gradient
        def g(x):
            def grad(dy, variables):
                seen.append([v.name for v in variables])
                return dy * r, [dy * x * 10.0]
            return x * r, grad
        grads = tf.gradients(g(x), [x, w])
        with tf.compat.v1.Session() as sess:
            sess.run(tf.compat.v1.global_variables_initializer())
            assert sess.run(grads, {x: 3.0}) == [2.0, 30.0]
        assert seen == [["w:0"]]


def test_graph_modes_give_grad_fn_the_variables_sorted_by_name():
    b, a = tf.Variable(2.0, name="b"), tf.Variable(3.0, name="a")
    seen = []

    @tf.custom_gradient
    def f(x):
        def grad(dy, variables):
            seen.append([v.name for v in variables])
            return dy * a * b, [dy * 0.0 + 1.0, dy * 0.0 + 2.0]
        return x * b * a, grad

    @tf.function
    def step(x):
        with tf.GradientTape() as tape:
            tape.watch(x)
            y = f(x)
        return tape.gradient(y, [x, a, b])
    assert [g.numpy() for g in step(tf.constant(1.0))] == [6.0, 1.0, 2.0]
    assert seen == [["a:0", "b:0"]]


# -- which gradients a custom_gradient's grad_fn returns are checked ------------------------------

def _returns_junk_for_k(junk):
    @tf.custom_gradient
    def g(x, k):
        return x * tf.cast(k, tf.float32), lambda dy: (dy * 2.0, junk())
    return g


JUNK = {"wrong shape": lambda: tf.ones([5, 5]), "wrong dtype": lambda: tf.ones([2], tf.float64),
        "not a tensor": lambda: "hello"}


@pytest.mark.parametrize("junk", sorted(JUNK))
def test_a_tape_ignores_what_grad_fn_returns_for_inputs_it_does_not_differentiate(junk):
    g = _returns_junk_for_k(JUNK[junk])
    x = tf.constant([1.0, 2.0])
    for k in (3.0, tf.constant(3.0), tf.constant(3)):     # a number, unwatched, an integer
        with tf.GradientTape() as tape:
            tape.watch(x)
            y = g(x, k)
        np.testing.assert_allclose(tape.gradient(y, x).numpy(), [2.0, 2.0])

    @tf.function
    def in_function(x):
        with tf.GradientTape() as tape:
            tape.watch(x)
            y = g(x, 3.0)
        return tape.gradient(y, x)
    np.testing.assert_allclose(in_function(x).numpy(), [2.0, 2.0])


def test_gradients_of_differentiated_inputs_are_still_checked():
    g = _returns_junk_for_k(lambda: tf.ones([5, 5]))
    x, k = tf.constant([1.0, 2.0]), tf.constant(3.0)
    with tf.GradientTape() as tape:
        tape.watch([x, k])
        y = g(x, k)
    with pytest.raises(ValueError, match=r"shape \(5, 5\) for input 2"):
        tape.gradient(y, [x, k])
    with tf.Graph().as_default():           # tf.gradients checks every input's, as TF's
        x = tf.compat.v1.placeholder(tf.float32, [2])
        with pytest.raises(ValueError, match="shape"):
            tf.gradients(g(x, 3.0), x)


def test_numpy_array_op_variable_is_a_tensor_op_with_a_gradient():
    """`array @ variable` (and +, *) is janusgrad's op, as TF's (its variables outrank NumPy's
    arrays): the result is a tensor and the tape sees it, not NumPy's array of the value."""
    v = tf.Variable(np.ones((3, 1), np.float32))
    x = np.arange(6, dtype=np.float32).reshape(2, 3)
    with tf.GradientTape() as tape:
        y = tf.reduce_sum(x @ v) + tf.reduce_sum(np.float32(2) * v)
        y += tf.reduce_sum(x[0].reshape(3, 1) + v)
    assert isinstance(x @ v, tf.Tensor)
    np.testing.assert_allclose(tape.gradient(y, v).numpy().ravel(),
                               x.sum(axis=0) + 2 + 1)
