"""Ops defined in Python: janusgrad.register_op, tf.numpy_function, tf.py_function and
Graph.create_op, in eager mode, in graphs and inside tf.function."""
import numpy as np
import pytest

import janusgrad as tf
from janusgrad.check import check_gradients
from janusgrad.errors import InvalidArgumentError
from janusgrad.framework.registry import OPS
from janusgrad.ops import python_ops


@pytest.fixture(autouse=True)
def forget_registered_ops():
    """Op types registered by a test are removed after it (conftest resets gradients only)."""
    before = set(OPS)
    yield
    for op_type in set(OPS) - before:
        if op_type in python_ops._USER_OPS:
            python_ops.unregister_op(op_type)


def run_graph(build, feeds):
    g = tf.Graph()
    with g.as_default():
        phs = [tf.compat.v1.placeholder(tf.as_dtype(np.asarray(v).dtype), np.shape(v))
               for v in feeds]
        fetches = build(*phs)
        with tf.compat.v1.Session(graph=g) as sess:
            return sess.run(fetches, dict(zip(phs, feeds)))


def in_three_modes(fn, *args):
    eager = fn(*[tf.constant(a) for a in args])
    function = tf.function(fn)(*[tf.constant(a) for a in args])
    return [_np(eager), run_graph(fn, args), _np(function)]


def _np(x):
    return [t.numpy() for t in x] if isinstance(x, list) else x.numpy()


# -- register_op: a cube op whose gradient is written in janusgrad ops -------------------------

def _cube_kernel(x, *, scale=1.0):
    return (scale * x ** 3).astype(x.dtype, copy=False)


def _cube_grad(op, dy):
    """3 scale x^2 dy"""
    x = op.inputs[0]
    return dy * 3.0 * op.get_attr("scale") * x * x if "scale" in op.attrs else dy * 3.0 * x * x


def _register_cube(name="Cube", **kw):
    return tf.register_op(name, _cube_kernel, _cube_grad, shape_fn=lambda s, **a: s, **kw)


def test_register_op_values_in_three_modes():
    cube = _register_cube()
    x = np.array([1.0, -2.0, 0.5], np.float32)
    for got in in_three_modes(cube, x):
        np.testing.assert_allclose(got, x ** 3)
        assert got.dtype == np.float32
    assert cube(tf.constant([2.0]), scale=0.5).numpy().tolist() == [4.0]
    assert cube(2.0).numpy() == 8.0                       # Python values become tensors


def test_register_op_graph_mode_has_the_op_type_and_static_shape():
    cube = _register_cube()
    g = tf.Graph()
    with g.as_default():
        x = tf.compat.v1.placeholder(tf.float64, [None, 2])
        y = cube(x, name="my_cube")
        assert y.op.type == "Cube" and y.op.name == "my_cube"
        assert y.shape.as_list() == [None, 2] and y.dtype == tf.float64


def test_register_op_without_shape_fn_has_unknown_static_shape():
    double = tf.register_op("Double", lambda x: x * 2)
    with tf.Graph().as_default():
        y = double(tf.compat.v1.placeholder(tf.float32, [3]))
        assert y.shape.rank is None and y.dtype == tf.float32


def test_register_op_gradient_checked_numerically_first_and_second_order():
    cube = _register_cube()
    x = np.array([[0.3, -1.2], [0.8, 2.0]])
    check_gradients(lambda t: cube(t, scale=0.7) * tf.sin(t), x, order=2)
    check_gradients(lambda t: tf.function(cube)(t) * t, x, order=2, modes="eager")


def test_register_op_gradient_inside_tf_function_and_graph():
    cube = _register_cube()

    @tf.function
    def f(x):
        with tf.GradientTape() as tape:
            tape.watch(x)
            y = cube(x)
        return tape.gradient(y, x)
    assert f(tf.constant([2.0])).numpy().tolist() == [12.0]
    grads = run_graph(lambda x: tf.gradients(cube(x), x), [np.float32(3.0)])
    assert grads[0] == 27.0


def test_register_op_with_several_outputs_and_output_dtypes():
    def kernel(x):
        return [np.floor(x), (x - np.floor(x)).astype(x.dtype), np.array(x.size, np.int64)]

    def grad(op, d_whole, d_frac, d_size):
        return d_frac                     # d floor = 0 almost everywhere, d frac = 1

    split = tf.register_op("SplitWhole", kernel, grad, num_outputs=3,
                           shape_fn=lambda s: [s, s, []],
                           output_dtypes=lambda dt: [dt, dt, tf.int64])
    x = np.array([1.25, -0.5], np.float32)
    for whole, frac, size in in_three_modes(split, x):
        assert whole.tolist() == [1.0, -1.0] and frac.tolist() == [0.25, 0.5]
        assert size == 2 and size.dtype == np.int64
    check_gradients(lambda t: split(t)[1] * t, np.array([1.25, -0.75]), order=2)
    with tf.Graph().as_default():
        outs = split(tf.compat.v1.placeholder(tf.float32, [None]))
        assert [t.dtype for t in outs] == [tf.float32, tf.float32, tf.int64]
        assert [t.shape.as_list() for t in outs] == [[None], [None], []]


def test_register_op_gradient_registered_later_or_overridden():
    square = tf.register_op("LateSquare", lambda x: x * x, shape_fn=lambda s: s)
    x = tf.constant(3.0)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = square(x)
    with pytest.raises(LookupError, match="LateSquare"):
        tape.gradient(y, x)

    @tf.RegisterGradient("LateSquare")
    def _late_square_grad(op, dy):
        return 2.0 * op.inputs[0] * dy

    with tf.GradientTape() as tape:
        tape.watch(x)
        y = square(x)
    assert tape.gradient(y, x).numpy() == 6.0

    @tf.RegisterGradient("TimesTen")
    def _times_ten(op, dy):
        return 10.0 * dy

    def build(x):
        with tf.get_default_graph().gradient_override_map({"LateSquare": "TimesTen"}):
            y = square(x)
        return tf.gradients(y, x)[0]
    assert run_graph(build, [np.float32(3.0)]) == 10.0


def test_register_op_kernel_errors_name_the_op():
    bad_count = tf.register_op("BadCount", lambda x: (x, x))
    bad_multi = tf.register_op("BadMulti", lambda x: [x], num_outputs=2)
    not_array = tf.register_op("NotArray", lambda x: x.tolist())
    wrong_dtype = tf.register_op("WrongDtype", lambda x: x * np.float64(2.0) + np.zeros(1))
    wrong_shape = tf.register_op("WrongShape", lambda x: x[:1], shape_fn=lambda s: s)
    x = np.array([1.0, 2.0], np.float32)
    cases = [(bad_count, InvalidArgumentError, "BadCount.*1 output"),
             (bad_multi, InvalidArgumentError, "BadMulti.*2 outputs"),
             (not_array, TypeError, "NotArray.*list.*NumPy arrays"),
             (wrong_dtype, TypeError, "WrongDtype.*float64.*expected float32"),
             (wrong_shape, InvalidArgumentError, r"WrongShape.*\(1,\).*shape_fn")]
    for fn, cls, pattern in cases:
        with pytest.raises(cls, match=pattern):
            fn(tf.constant(x))
        with pytest.raises(cls, match=pattern):
            run_graph(fn, [x])


def test_register_op_gradient_errors_name_the_op():
    def two_grads(op, dy):
        return dy, dy

    def wrong_shape(op, dy):
        return tf.reduce_sum(dy)

    def wrong_dtype(op, dy):
        return tf.cast(dy, tf.float64)

    x0 = np.array([1.0, 2.0], np.float32)
    for name, grad, cls, pattern in [
            ("TwoGrads", two_grads, ValueError, "TwoGrads.*returned 2 gradients.*1 inputs"),
            ("GradShape", wrong_shape, ValueError, r"GradShape.*shape \(\).*shape \(2,\)"),
            ("GradDtype", wrong_dtype, TypeError, "GradDtype.*float64.*float32")]:
        fn = tf.register_op(name, lambda x: x * 2, grad, shape_fn=lambda s: s)
        x = tf.constant(x0)
        with tf.GradientTape() as tape:
            tape.watch(x)
            y = fn(x)
        with pytest.raises(cls, match=pattern):
            tape.gradient(y, x)
        with pytest.raises(cls, match=pattern):
            run_graph(lambda t, fn=fn: tf.gradients(fn(t), t), [x0])


def test_register_op_shape_fn_rejection_is_a_graph_build_error_naming_the_op():
    def matrix_only(s):
        if s.rank != 2:
            raise ValueError(f"expected a matrix, got rank {s.rank}")
        return [s[1], s[0]]

    transpose = tf.register_op("MyTranspose", lambda x: x.T.copy(), shape_fn=matrix_only)
    with tf.Graph().as_default():
        assert transpose(tf.zeros([2, 3])).shape.as_list() == [3, 2]
        with pytest.raises(ValueError, match="MyTranspose.*expected a matrix"):
            transpose(tf.zeros([2]))


def _make_kernel():
    # a fresh function object with the same code each call: a re-run notebook cell
    def kernel(x):
        return (x + 1).astype(x.dtype, copy=False)     # (NumPy 1.x: a 0-d float32 + 1 is float64)
    return kernel


def test_register_op_same_kernel_again_is_allowed_and_a_different_one_is_a_key_error():
    first = tf.register_op("PlusOne", _make_kernel())
    again = tf.register_op("PlusOne", _make_kernel(), lambda op, dy: dy)
    assert again(tf.constant(1.0)).numpy() == 2.0 and first(tf.constant(2.0)).numpy() == 3.0
    x = tf.constant(1.0)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = again(x)
    assert tape.gradient(y, x).numpy() == 1.0           # the re-run cell's gradient is used
    with pytest.raises(KeyError, match="PlusOne.*already registered"):
        tf.register_op("PlusOne", lambda x: x + 2)
    with pytest.raises(KeyError, match="MatMul.*already registered"):
        tf.register_op("MatMul", lambda a, b: a @ b)


def test_register_op_does_not_replace_a_gradient_registered_by_someone_else():
    @tf.RegisterGradient("Owned")
    def _owned(op, dy):
        return dy

    with pytest.raises(KeyError, match="Registering two gradient with name 'Owned'"):
        tf.register_op("Owned", lambda x: x, lambda op, dy: dy)


def test_register_op_bad_arguments():
    with pytest.raises(TypeError, match="op_type"):
        tf.register_op(3, lambda x: x)
    with pytest.raises(TypeError, match="callable"):
        tf.register_op("NoKernel", None)
    with pytest.raises(ValueError, match="num_outputs"):
        tf.register_op("NoOutputs", lambda x: x, num_outputs=0)


def test_graph_create_op_for_registered_and_built_in_types():
    cube = _register_cube("CreatedCube")
    g = tf.Graph()
    with g.as_default():
        x = tf.constant([2.0, 3.0])
        op = g.create_op("CreatedCube", [x], [tf.float32], name="cc", attrs={"scale": 2.0})
        assert op.type == "CreatedCube" and op.name == "cc"
        add = g.create_op("AddV2", [x, x], [tf.float32])
        with pytest.raises(TypeError, match="dtypes"):
            g.create_op("CreatedCube", [x], [tf.int32])
        with tf.compat.v1.Session(graph=g) as sess:
            assert sess.run(op.outputs[0]).tolist() == [16.0, 54.0]
            assert sess.run(add.outputs[0]).tolist() == [4.0, 6.0]
        dx = tf.gradients(op.outputs[0], x)[0]
        with tf.compat.v1.Session(graph=g) as sess:
            assert sess.run(dx).tolist() == [24.0, 54.0]
    assert cube is not None


# -- numpy_function -----------------------------------------------------------------------------

def test_numpy_function_values_and_tout_in_three_modes():
    def f(x):
        return tf.numpy_function(lambda a: np.sort(a) * 2, [x], tf.float32)

    def g(x):
        return tf.numpy_function(lambda a: (a.max(), a.argmax()), [x], [tf.float32, tf.int64])

    x = np.array([3.0, 1.0, 2.0], np.float32)
    for got in in_three_modes(f, x):
        assert got.tolist() == [2.0, 4.0, 6.0]
    for top, where in in_three_modes(g, x):
        assert top == 3.0 and where == 0 and where.dtype == np.int64
    one = tf.numpy_function(lambda a: a, [x], [tf.float32])
    assert isinstance(one, list) and len(one) == 1


def test_numpy_function_converts_results_to_tout_and_receives_arrays():
    seen = []

    def f(a, b):
        seen.append((type(a), a.dtype, type(b)))
        return a.astype(np.float64) + b                  # float64, converted to Tout
    y = tf.numpy_function(f, [tf.constant([1.0, 2.0]), 3], tf.float32)
    assert y.dtype == tf.float32 and y.numpy().tolist() == [4.0, 5.0]
    assert seen == [(np.ndarray, np.float32, np.ndarray)]


def test_numpy_function_graph_shapes_are_unknown_until_set():
    with tf.Graph().as_default():
        y = tf.numpy_function(lambda a: a, [tf.zeros([2, 3])], tf.float32)
        assert y.shape.rank is None and y.op.type == "PyFunc"
        y.set_shape([2, 3])
        assert y.shape.as_list() == [2, 3]
        z = tf.numpy_function(lambda a: a, [tf.zeros([2])], tf.float32, stateful=False)
        assert z.op.type == "PyFuncStateless"


def test_numpy_function_has_no_gradient():
    x = tf.constant([1.0, 2.0])
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = tf.numpy_function(lambda a: a * 2, [x], tf.float32) * x
    assert tape.gradient(y, x).numpy().tolist() == [2.0, 4.0]   # only through the `* x`
    grads = run_graph(lambda t: tf.gradients(tf.numpy_function(lambda a: a, [t], tf.float32), t,
                                             unconnected_gradients="zero"), [np.float32(1.0)])
    assert grads[0] == 0.0


def test_numpy_function_grad_extension_first_and_second_order():
    def sin_np(a):
        return np.sin(a)

    def sin_grad(op, dy):
        return dy * tf.cos(op.inputs[0])              # janusgrad ops: differentiable again

    def f(x):
        return tf.numpy_function(sin_np, [x], tf.float64, grad=sin_grad) * x
    check_gradients(f, np.array([0.3, -1.1, 2.0]), order=2)
    x = tf.constant([0.5])

    @tf.function
    def g(t):
        return tf.numpy_function(sin_np, [t], tf.float32, grad=sin_grad)
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = g(x)
    assert np.isclose(tape.gradient(y, x).numpy()[0], np.cos(0.5))


def test_numpy_function_grad_errors_name_the_function():
    def bad(op, dy):
        return dy, dy
    x = tf.constant([1.0])
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = tf.numpy_function(np.exp, [x], tf.float32, grad=bad)
    with pytest.raises(ValueError, match=r"numpy_function\(exp\).*2 gradients"):
        tape.gradient(y, x)


def test_numpy_function_wrong_number_of_results():
    with pytest.raises(InvalidArgumentError, match="returns 2 values, but expects to see 1"):
        tf.numpy_function(lambda a: (a, a), [tf.constant(1.0)], tf.float32)
    with pytest.raises(InvalidArgumentError, match="returns 1 values, but expects to see 2"):
        run_graph(lambda t: tf.numpy_function(lambda a: a, [t], [tf.float32, tf.float32]),
                  [np.float32(1.0)])


def test_numpy_function_cannot_write_into_its_inputs():
    def scribble(a):
        a[0] = 100.0
        return a
    x = tf.constant([1.0, 2.0])
    with pytest.raises(InvalidArgumentError, match="read-only"):
        tf.numpy_function(scribble, [x], tf.float32)
    assert x.numpy().tolist() == [1.0, 2.0]


def test_numpy_function_stateful_runs_in_tf_function_even_when_unused():
    calls = []

    @tf.function
    def f(x, stateful):
        tf.numpy_function(lambda a: calls.append(1) or a, [x], tf.float32, stateful=stateful)
        return x + 1.0
    f(tf.constant(1.0), True)
    assert calls == [1]
    f(tf.constant(1.0), False)
    assert calls == [1]


def test_numpy_function_with_no_outputs_is_an_op_in_graphs():
    seen = []
    with tf.Graph().as_default() as g:
        x = tf.constant([1.0])
        op = tf.numpy_function(lambda a: seen.append(a.tolist()), [x], [])
        assert op.type == "PyFunc" and op.outputs == []
        with tf.compat.v1.Session(graph=g) as sess:
            sess.run(op)
    assert seen == [[1.0]]
    assert tf.numpy_function(lambda: None, [], []) == []


# -- py_function --------------------------------------------------------------------------------

def test_py_function_receives_eager_tensors_in_every_mode():
    seen = []

    def f(x):
        seen.append(tf.executing_eagerly())
        return tf.reduce_sum(x) + float(x.numpy()[0])     # .numpy() works: x is eager

    def call(x):
        return tf.py_function(f, [x], tf.float32)
    for got in in_three_modes(call, np.array([2.0, 3.0], np.float32)):
        assert got == 7.0
    assert seen == [True, True, True]


def test_py_function_runs_eagerly_in_tf1_graph_mode():
    tf.compat.v1.disable_eager_execution()
    x = tf.compat.v1.placeholder(tf.float32, [2])
    y = tf.py_function(lambda t: t * float(t.numpy().sum()), [x], tf.float32)
    assert y.op.type == "EagerPyFunc"
    with tf.compat.v1.Session() as sess:
        assert sess.run(y, {x: [1.0, 2.0]}).tolist() == [3.0, 6.0]


def test_py_function_gradient_first_and_second_order_everywhere():
    def f(x, w):
        return tf.py_function(lambda a, b: tf.sin(a) * b, [x, w], tf.float64)
    check_gradients(f, np.array([0.3, -0.7]), np.array([1.5, 2.0]), order=2)

    @tf.function
    def g(x):
        return tf.py_function(lambda a: a * a * a, [x], tf.float32)
    x = tf.constant(2.0)
    with tf.GradientTape() as outer:
        outer.watch(x)
        with tf.GradientTape() as inner:
            inner.watch(x)
            y = g(x)
        g1 = inner.gradient(y, x)
    assert g1.numpy() == 12.0 and outer.gradient(g1, x).numpy() == 12.0


def test_py_function_gradient_through_numpy_is_zero_and_integers_get_none():
    def build(x, n):
        y = tf.py_function(lambda a, k: tf.constant(a.numpy() * 2.0, tf.float32) +
                           tf.cast(k, tf.float32), [x, n], tf.float32)
        return tf.gradients(y, [x, n])
    gx, gn = None, None
    g = tf.Graph()
    with g.as_default():
        x = tf.compat.v1.placeholder(tf.float32, [])
        n = tf.compat.v1.placeholder(tf.int32, [])
        gx, gn = build(x, n)
        assert gn is None
        with tf.compat.v1.Session(graph=g) as sess:
            assert sess.run(gx, {x: 1.0, n: 2}) == 0.0


def test_py_function_result_checks():
    x = tf.constant(1.0)
    with pytest.raises(ValueError, match="float64"):
        tf.py_function(lambda a: tf.cast(a, tf.float64), [x], tf.float32)
    with pytest.raises(InvalidArgumentError, match="returns 2 values"):
        tf.py_function(lambda a: [a, a], [x], tf.float32)
    v = tf.Variable(1.0)
    with pytest.raises(RuntimeError, match="read_value"):
        tf.py_function(lambda a: v, [x], tf.float32)
    a, b = tf.py_function(lambda a: (a, a * 2.0), [x], [tf.float32, tf.float32])
    assert (a.numpy(), b.numpy()) == (1.0, 2.0)


def test_example_eigh_layer_trains_the_same_in_both_modes():
    import importlib.util
    import pathlib
    path = pathlib.Path(__file__).parent.parent / "examples" / "python_op_eigh.py"
    spec = importlib.util.spec_from_file_location("python_op_eigh_example", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    eager, graph = module.main(steps=3)
    np.testing.assert_allclose(eager, graph, rtol=1e-5)
    assert eager[0] > eager[1] > eager[2]
