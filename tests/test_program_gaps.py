"""The gaps the TF programs of tests/tf_programs/ found (issue 18), each as TF 2.21 behaves
(checked there; the behaviours quoted in the tests were printed by TF 2.21)."""
import numpy as np
import pytest

import janusgrad as tf
from janusgrad.check import check_gradients


def both_modes(fn):
    """fn()'s value eagerly and built in a graph, run in a Session."""
    eager = fn().numpy()
    with tf.Graph().as_default():
        out = fn()
        with tf.compat.v1.Session() as sess:
            graph = sess.run(out)
    return eager, graph


def assert_both(fn, want, **kw):
    for got in both_modes(fn):
        np.testing.assert_allclose(got, want, **kw)


# -- tf.linalg.global_norm, tf.compat.v1.global_norm ----------------------------------------------

def test_global_norm_skips_none_and_is_zero_for_nothing():
    a, b = np.array([3.0, 4.0], np.float32), np.float32(12.0)
    assert_both(lambda: tf.linalg.global_norm([tf.constant(a), None, tf.constant(b)]),
                np.sqrt(np.sum(a * a) + b * b), rtol=1e-6)
    assert_both(lambda: tf.linalg.global_norm([]), 0.0)
    assert tf.linalg.global_norm([]).dtype == tf.float32
    assert tf.compat.v1.global_norm is tf.linalg.global_norm


def test_global_norm_errors_as_tf():
    with pytest.raises(TypeError, match="global_norm: t_list should be a sequence"):
        tf.linalg.global_norm(tf.constant([1.0]))
    with pytest.raises(TypeError, match="global_norm"):
        tf.linalg.global_norm([tf.constant([1, 2])])


def test_global_norm_gradient():
    rng = np.random.default_rng(0)
    check_gradients(lambda a, b: tf.linalg.global_norm([a, b]), rng.standard_normal((2, 3)),
                    rng.standard_normal(4), order=2)


# -- tf.sort, tf.argsort, tf.math.top_k --------------------------------------------------------

X = np.array([[3.0, 1.0, 2.0], [1.0, 1.0, 0.0]], np.float32)


@pytest.mark.parametrize("direction", ["ASCENDING", "DESCENDING"])
@pytest.mark.parametrize("axis", [-1, 0, 1])
def test_sort_and_argsort_are_numpys_stable_sort(axis, direction):
    sign = 1 if direction == "ASCENDING" else -1
    want_idx = np.argsort(sign * X, axis=axis, kind="stable")
    assert_both(lambda: tf.argsort(X, axis=axis, direction=direction), want_idx)
    assert_both(lambda: tf.sort(X, axis=axis, direction=direction),
                np.take_along_axis(X, want_idx, axis=axis))
    assert tf.argsort(X, axis=axis).dtype == tf.int32


def test_sort_of_integers_nan_and_ties_as_tf():
    # TF 2.21: argsort([1, 1, 0, 1], DESCENDING) [0 1 3 2]; NaN first both ways
    assert_both(lambda: tf.argsort(tf.constant([1, 1, 0, 1]), direction="DESCENDING"),
                [0, 1, 3, 2])
    v = np.array([np.nan, 1.0, -np.inf, 2.0], np.float32)
    assert_both(lambda: tf.sort(v), [np.nan, -np.inf, 1.0, 2.0])
    assert_both(lambda: tf.argsort(v), [0, 2, 1, 3])
    assert_both(lambda: tf.sort(v, direction="DESCENDING"), [np.nan, 2.0, 1.0, -np.inf])
    u = tf.sort(tf.constant([3, 1, 2], tf.uint8))
    assert u.dtype == tf.uint8 and u.numpy().tolist() == [1, 2, 3]
    m = np.array([5, -2147483648, 0, 7], np.int32)
    assert_both(lambda: tf.sort(m), np.sort(m))


def test_sort_errors_as_tf():
    with pytest.raises(ValueError, match="`direction` should be one of ASCENDING, DESCENDING. "
                       "Received: direction=up"):
        tf.sort(X, direction="up")
    with pytest.raises(ValueError, match="direction=up"):
        tf.argsort(X, direction="up")
    with pytest.raises(tf.errors.InvalidArgumentError, match="sort: axis 2"):
        tf.sort(X, axis=2)
    with pytest.raises(TypeError, match="sort: values must be a real number type, got bool"):
        tf.sort(tf.constant([True, False]))


def test_sort_gradient_puts_dy_back():
    # TF 2.21: d/dx sum(sort(x, DESCENDING) * w) for x [[3,1,2],[1,5,0]], w [[1,2,3],[4,5,6]]
    x = tf.Variable([[3.0, 1.0, 2.0], [1.0, 5.0, 0.0]])
    w = tf.constant([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
    with tf.GradientTape() as tape:
        y = tf.sort(x, direction="DESCENDING") * w
    np.testing.assert_array_equal(tape.gradient(y, x), [[1.0, 3.0, 2.0], [5.0, 4.0, 6.0]])


def test_top_k():
    values, indices = tf.math.top_k(X, 2)
    np.testing.assert_array_equal(values, [[3.0, 2.0], [1.0, 1.0]])
    np.testing.assert_array_equal(indices, [[0, 2], [0, 1]])
    assert tf.nn.top_k is tf.math.top_k
    with pytest.raises(tf.errors.InvalidArgumentError, match="TopKV2: input must have at least"):
        tf.math.top_k(X, 4)


# -- keras.initializers.Constant with an array, keras.layers.Softmax ---------------------------

def test_constant_initializer_broadcasts_an_array_as_keras_3():
    K = tf.keras.initializers
    np.testing.assert_array_equal(K.Constant([1.0, 2.0, 3.0])((3,)), [1.0, 2.0, 3.0])
    out = K.Constant(np.ones((2, 3)))((2, 3), dtype="float64")
    assert out.dtype == tf.float64 and out.shape == (2, 3)
    # Keras 3 multiplies by ones(shape): [1, 2, 3] for shape (3, 1) is a (3, 3) broadcast
    np.testing.assert_array_equal(K.Constant([1.0, 2.0, 3.0])((3, 1)),
                                  np.broadcast_to([1.0, 2.0, 3.0], (3, 3)))
    np.testing.assert_array_equal(K.Constant(2.0)((2, 2)), np.full((2, 2), 2.0))
    assert K.Constant([1.0, 2.0, 3.0]).get_config() == {"value": [1.0, 2.0, 3.0]}
    kernel = np.arange(6.0).reshape(2, 3)
    layer = tf.keras.layers.Dense(3, kernel_initializer=K.Constant(kernel))
    np.testing.assert_allclose(layer(tf.ones((1, 2))), np.ones((1, 2)) @ kernel)


def test_constant_initializer_errors_as_keras_3():
    K = tf.keras.initializers
    with pytest.raises(tf.errors.InvalidArgumentError, match="Constant: Incompatible shapes"):
        K.Constant([1.0, 2.0, 3.0])((4,))
    with pytest.raises(ValueError, match="Constant: Can't convert non-rectangular"):
        K.Constant([[1.0, 2.0], [3.0]])((2, 2))
    with pytest.raises(tf.errors.UnimplementedError, match="Constant: Cast"):
        K.Constant("a")((2, 2))


def _np_softmax(x, axis):
    e = np.exp(x - x.max(axis=axis, keepdims=True))
    return e / e.sum(axis=axis, keepdims=True)


def test_softmax_layer():
    x = np.array([[1.0, 2.0, 3.0], [1.0, 1.0, 1.0]], np.float32)
    S = tf.keras.layers.Softmax
    np.testing.assert_allclose(S()(x), _np_softmax(x, -1), rtol=1e-6)
    np.testing.assert_allclose(S(axis=0)(x), _np_softmax(x, 0), rtol=1e-6)
    np.testing.assert_allclose(S(axis=(0, 1))(x), _np_softmax(x.reshape(-1), 0).reshape(2, 3),
                               rtol=1e-6)
    mask = np.array([[True, False, True], [False, False, False]])
    masked = _np_softmax(np.where(mask, x, -1e9), -1) * mask      # a fully masked row: zeros
    np.testing.assert_allclose(S()(x, mask=mask), masked, rtol=1e-6, atol=1e-7)
    assert S().name.startswith("softmax")
    with pytest.raises(ValueError, match="must be broadcastable"):
        S()(x, mask=np.ones((2, 2), bool))
    check_gradients(lambda t: S()(t) * np.arange(3.0), np.array([[0.1, 0.5, -0.3]]), order=2)


# -- tf.scan, tf.compat.v1.scan ------------------------------------------------------------------

E = np.array([1.0, 2.0, 3.0, 4.0], np.float32)


def test_scan_accumulates_as_tf():
    assert_both(lambda: tf.scan(lambda a, x: a + x, E), np.cumsum(E))
    assert_both(lambda: tf.scan(lambda a, x: a + x, E, reverse=True), np.cumsum(E[::-1])[::-1])
    want, acc = [], 1.0
    for x in E:
        acc = acc * 0.5 + x
        want.append(acc)
    assert_both(lambda: tf.scan(lambda a, x: a * 0.5 + x, E, initializer=1.0), want)
    assert tf.compat.v1.scan is tf.scan


def test_scan_nested_elems_and_accumulators():
    s, p = tf.scan(lambda a, x: (a[0] + x[0], a[1] * x[1]), (E, E), initializer=(0.0, 1.0))
    np.testing.assert_allclose(s, np.cumsum(E))
    np.testing.assert_allclose(p, np.cumprod(E))
    d = tf.scan(lambda a, x: {"s": a["s"] + x}, E, initializer={"s": tf.constant(0.0)})
    np.testing.assert_allclose(d["s"], np.cumsum(E))
    empty = tf.scan(lambda a, x: a + x, tf.zeros([0]), initializer=1.0)
    assert empty.shape == (0,) and empty.dtype == tf.float32


def test_scan_errors():
    with pytest.raises(ValueError, match="scan: fn must return the structure of the "
                       "accumulator"):
        tf.scan(lambda a, x: a + x[0] * x[1], (E, E))         # TF: ValueError too
    with pytest.raises(TypeError, match="scan: fn must be callable"):
        tf.scan(3, E)
    with pytest.raises(ValueError, match="scan: elements in elems must be 1\\+ dimensional"):
        tf.scan(lambda a, x: a + x, tf.constant(3.0))


def test_scan_gradients_flow():
    # TF 2.21: [480, 434, 276] for this reverse scan of a*x + 1 from 2.0
    v = tf.Variable([1.0, 2.0, 3.0])
    with tf.GradientTape() as t:
        y = tf.reduce_sum(tf.scan(lambda a, x: a * x + 1.0, v, initializer=2.0,
                                  reverse=True) ** 2)
    np.testing.assert_allclose(t.gradient(y, v), [480.0, 434.0, 276.0])
    check_gradients(lambda x, a0: tf.scan(lambda a, e: a * tf.sin(e) + e, x, initializer=a0),
                    np.array([0.3, -0.5, 0.9]), np.array(0.7), order=2)


# -- op.get_attr('_gradient_op_type') under gradient_override_map --------------------------------

def test_override_map_entry_is_the_gradient_op_type_attr():
    with tf.Graph().as_default() as g:
        @tf.RegisterGradient("ProgramGapsG")
        def _g(op, dy):
            return dy

        x = tf.constant(1.0)
        with g.gradient_override_map({"Identity": "ProgramGapsG"}):
            y, z = tf.identity(x), x * 2.0
        assert y.op.get_attr("_gradient_op_type") == b"ProgramGapsG"     # TF: bytes
        for op in (z.op, tf.identity(x).op):          # not mapped, or outside the block
            with pytest.raises(ValueError, match="has no attr named '_gradient_op_type'"):
                op.get_attr("_gradient_op_type")


# -- TF1 Dimension items of get_shape() under disable_v2_behavior ---------------------------------

def test_get_shape_gives_dimensions_under_v1_behaviour():
    v1 = tf.compat.v1
    v1.disable_v2_behavior()
    try:
        with tf.Graph().as_default():
            x = v1.placeholder(tf.float32, [None, 3])
            s = x.get_shape()
            # TF 2.21 printed: Dimension(None) Dimension(3) 3 [None, 3] ... 6 3
            assert [repr(s[0]), repr(s[1]), s[1].value] == ["Dimension(None)", "Dimension(3)", 3]
            assert s.as_list() == [None, 3]
            assert [repr(d) for d in s] == ["Dimension(None)", "Dimension(3)"]
            assert [repr(d) for d in s.dims] == ["Dimension(None)", "Dimension(3)"]
            assert repr(s[1:][0]) == "Dimension(3)"
            assert str(s[1] * 2) == "6" and int(s[1]) == 3
            assert x.shape[1] == 3 and type(x.shape[1]) is int   # janusgrad: .shape stays v2
    finally:
        v1.enable_v2_behavior()
    assert tf.constant([[1.0, 2.0, 3.0]]).get_shape()[1] == 3
    assert type(tf.constant([[1.0, 2.0, 3.0]]).get_shape()[1]) is int
    v1.disable_v2_tensorshape()
    try:
        assert repr(tf.constant([[1.0, 2.0, 3.0]]).get_shape()[1]) == "Dimension(3)"
    finally:
        v1.enable_v2_tensorshape()


# -- devices recorded as TF records them -----------------------------------------------------------

CPU_FULL = "/job:localhost/replica:0/task:0/device:CPU:0"


@pytest.mark.parametrize("spec, want", [
    # printed by TF 2.21 for a constant made under tf.device(spec) in a graph
    ("/cpu:0", "/device:CPU:0"), ("/gpu:0", "/device:GPU:0"), ("/CPU:0", "/device:CPU:0"),
    ("cpu:0", "/device:CPU:0"), ("/device:GPU:1", "/device:GPU:1"),
    ("/job:worker/task:1", "/job:worker/task:1"),
    ("/job:worker/replica:0/task:1/device:cpu:0", "/job:worker/replica:0/task:1/device:CPU:0"),
    ("gpu", "/device:GPU:*"), ("/cpu:*", "/device:CPU:*"), ("", "")])
def test_graph_ops_record_the_device_scope(spec, want):
    with tf.Graph().as_default():
        with tf.device(spec):
            c = tf.constant(1.0)
        assert (c.device, c.op.device) == (want, want)


def test_device_scopes_merge_and_variables_as_tf():
    v1 = tf.compat.v1
    with tf.Graph().as_default():
        with tf.device("/job:w"):
            with tf.device("/cpu:0"):
                a = tf.constant(1.0)
            with tf.device("/task:2"):
                b = tf.constant(1.0)
            with tf.device(None):
                n = tf.constant(1.0)
        assert [a.device, b.device, n.device] == ["/job:w/device:CPU:0", "/job:w/task:2", ""]
        with tf.device("/gpu:0"), tf.device("/cpu:0"):
            assert tf.constant(1.0).device == "/device:CPU:0"
        with tf.device("/cpu:0"), tf.device(""):
            assert tf.constant(1.0).device == "/device:CPU:0"
        with tf.device("/cpu:0"):
            v = v1.Variable(1.0)
            w = v1.get_variable("w", [2])
        assert [v.device, w.device, v.op.device] == ["/device:CPU:0"] * 3
        assert v.value().device == "" and tf.constant(1.0).device == ""
        with v1.device(lambda op: "/cpu:0" if op.type == "Const" else "/gpu:0"):
            e = tf.constant(1.0)
            f = e + 1.0
        assert [e.device, f.device] == ["/cpu:0", "/gpu:0"]


def test_eager_tensors_and_variables_are_on_the_cpu():
    with tf.device("/gpu:0"):          # TF without a GPU: soft placement on the CPU
        x = tf.constant(1.0) + 1.0
        v = tf.Variable(1.0)
    assert [x.device, v.device, tf.constant(2.0).device] == [CPU_FULL] * 3


# -- the same op seed, the same numbers (TF's rule in graphs) -----------------------------------

@pytest.mark.parametrize("graph_seed", [None, 5])
def test_same_op_seed_same_values_in_a_graph(graph_seed):
    v1 = tf.compat.v1
    with tf.Graph().as_default():
        if graph_seed is not None:
            v1.set_random_seed(graph_seed)
        init = v1.random_normal_initializer(seed=7)
        a = v1.get_variable("a", [5], initializer=init)
        b = v1.get_variable("b", [5], initializer=v1.random_normal_initializer(seed=7))
        c = tf.random.uniform([4], seed=3)
        d = tf.random.uniform([4], seed=3)
        e = tf.random.uniform([4], seed=4)
        with v1.Session() as sess:
            sess.run(v1.global_variables_initializer())
            va, vb = sess.run([a, b])
            vc, vd, ve = sess.run([c, d, e])
            again = sess.run(c)
    np.testing.assert_array_equal(va, vb)
    np.testing.assert_array_equal(vc, vd)
    assert not np.array_equal(vc, ve)
    assert not np.array_equal(vc, again)        # an op's stream goes on from run to run


# -- tf.compat.v1.train.summary_iterator, tf.make_ndarray ---------------------------------------

def _tensor_proto(dtype, dims, **values):
    from tensorboardX.proto import tensor_pb2, tensor_shape_pb2
    shape = tensor_shape_pb2.TensorShapeProto(
        dim=[tensor_shape_pb2.TensorShapeProto.Dim(size=d) for d in dims])
    return tensor_pb2.TensorProto(dtype=dtype, tensor_shape=shape, **values)


def test_summary_iterator_reads_back_what_the_writers_wrote(tmp_path):
    pytest.importorskip("tensorboardX")
    writer = tf.summary.create_file_writer(str(tmp_path))
    with writer.as_default():
        for step in range(3):
            tf.summary.scalar("loss", 1.0 / (step + 1), step=step)
    writer.flush()
    (path,) = [p for p in tmp_path.iterdir() if p.name.startswith("events.out.tfevents")]
    got = [(e.step, v.tag, float(tf.make_ndarray(v.tensor)))
           for e in tf.compat.v1.train.summary_iterator(str(path)) for v in e.summary.value]
    assert got == [(0, "loss", 1.0), (1, "loss", 0.5), (2, "loss", np.float32(1 / 3))]
    assert tf.compat.v1.train.summary_iterator is tf.train.summary_iterator


def test_summary_iterator_errors_as_tf(tmp_path):
    pytest.importorskip("tensorboardX")
    records = tf.compat.v1.train.summary_iterator(str(tmp_path / "missing"))
    with pytest.raises(tf.errors.NotFoundError, match="No such file"):   # at the first next()
        next(records)
    bad = tmp_path / "events.out.tfevents.bad"
    bad.write_bytes(b"\x05\x00\x00\x00\x00\x00\x00\x00garbagegarbage")
    with pytest.raises(tf.errors.DataLossError, match="corrupted record at 0"):
        list(tf.compat.v1.train.summary_iterator(str(bad)))


def test_summary_iterator_without_tensorboardx(monkeypatch):
    monkeypatch.setitem(__import__("sys").modules, "tensorboardX", None)
    monkeypatch.setitem(__import__("sys").modules, "tensorboardX.proto", None)
    with pytest.raises(ImportError, match=r"summary_iterator needs tensorboardX.*tensorboard"):
        tf.compat.v1.train.summary_iterator("x")


def test_make_ndarray_as_tf():
    pytest.importorskip("tensorboardX")
    # TF 2.21 printed: [1. 2. 2. 2.]; zeros; [7 7 7]; [b'a' b'a']; [True False]; 2.5 ()
    np.testing.assert_array_equal(tf.make_ndarray(_tensor_proto(1, [4], float_val=[1.0, 2.0])),
                                  [1.0, 2.0, 2.0, 2.0])
    empty = tf.make_ndarray(_tensor_proto(1, [2, 2], float_val=[]))
    assert empty.dtype == np.float32 and empty.tolist() == [[0.0, 0.0], [0.0, 0.0]]
    ints = tf.make_ndarray(_tensor_proto(3, [3], int_val=[7]))
    assert ints.dtype == np.int32 and ints.tolist() == [7, 7, 7]
    assert tf.make_ndarray(_tensor_proto(7, [2], string_val=[b"a"])).tolist() == [b"a", b"a"]
    assert tf.make_ndarray(_tensor_proto(10, [2], bool_val=[True, False])).tolist() == \
        [True, False]
    scalar = tf.make_ndarray(_tensor_proto(1, [], float_val=[2.5]))
    assert scalar.shape == () and scalar == 2.5
    content = np.arange(6, dtype=np.float64).reshape(2, 3)
    np.testing.assert_array_equal(
        tf.make_ndarray(_tensor_proto(2, [2, 3], tensor_content=content.tobytes())), content)
    with pytest.raises(AttributeError, match="make_ndarray: tensor must be a TensorProto"):
        tf.make_ndarray(np.ones(2))


# -- tf.distribute: one replica ------------------------------------------------------------------

def test_strategies_have_one_replica_and_scopes_as_tf():
    d = tf.distribute
    default = d.get_strategy()
    assert default.num_replicas_in_sync == 1 and not d.has_strategy()
    assert not d.in_cross_replica_context()
    s = d.MirroredStrategy(devices=["/cpu:0"])
    assert s.num_replicas_in_sync == 1
    with s.scope():
        assert d.has_strategy() and d.get_strategy() is s and d.in_cross_replica_context()
        assert d.get_replica_context() is None
    assert d.get_replica_context().num_replicas_in_sync == 1
    assert d.OneDeviceStrategy("/cpu:0").num_replicas_in_sync == 1
    assert d.ReduceOp.SUM.value == "SUM" and d.ReduceOp.MEAN.value == "MEAN"


def test_run_and_reduce_as_tf_on_one_device():
    d = tf.distribute
    s = d.MirroredStrategy()
    r = s.run(lambda x: x * 2.0, args=(tf.constant([1.0, 2.0]),))
    np.testing.assert_array_equal(r, [2.0, 4.0])
    # TF 2.21: axis=None the value itself; MEAN over axis 0 3.0; SUM 6.0; "SUM" accepted
    np.testing.assert_array_equal(s.reduce(d.ReduceOp.SUM, r, axis=None), [2.0, 4.0])
    assert float(s.reduce(d.ReduceOp.MEAN, r, axis=0)) == 3.0
    assert float(s.reduce(d.ReduceOp.SUM, r, axis=0)) == 6.0
    np.testing.assert_array_equal(s.reduce("SUM", r, axis=None), [2.0, 4.0])
    assert len(s.experimental_local_results(r)) == 1
    assert s.run(lambda a, k=1: a + k, args=(1,), kwargs={"k": 2}) == 3
    inside = s.run(lambda x: d.get_replica_context().all_reduce("SUM", x),
                   args=(tf.constant(3.0),))
    assert float(inside) == 3.0
    with pytest.raises(ValueError, match="Strategy.reduce: reduce_op must be"):
        s.reduce("MAX", r, axis=None)
    with pytest.raises(TypeError, match="Strategy.run: fn must be callable"):
        s.run(3)


def test_compute_average_loss_as_tf():
    cal = tf.nn.compute_average_loss
    v = np.array([1.0, 2.0, 3.0], np.float32)
    assert float(cal(v)) == pytest.approx(v.sum() / 3)
    assert float(cal(v, global_batch_size=6)) == pytest.approx(v.sum() / 6)
    w = np.array([1.0, 0.0, 2.0], np.float32)
    assert float(cal(v, sample_weight=w, global_batch_size=6)) == pytest.approx((v * w).sum() / 6)
    assert float(cal(v, sample_weight=0.5)) == pytest.approx(v.sum() * 0.5 / 3)
    assert float(cal(np.array([[1.0, 2.0], [3.0, 4.0]], np.float32))) == 5.0
    ints = cal(tf.constant([1, 2]))
    assert ints.dtype == tf.float64 and float(ints) == 1.5          # TF 2.21: float64 1.5
    assert float(cal(tf.constant([1.0, 2.0]), global_batch_size=0)) == 0.0
    with pytest.raises(tf.errors.InvalidArgumentError, match="global_batch_size must be "
                       "non-negative"):
        cal(tf.constant([1.0, 2.0]), global_batch_size=-1)
    with pytest.raises(TypeError, match="global_batch_size must be an integer"):
        cal(tf.constant([1.0, 2.0]), global_batch_size=2.5)
    assert float(tf.nn.scale_regularization_loss(tf.constant(3.0))) == 3.0
    check_gradients(lambda x: cal(x * x, global_batch_size=4), np.array([0.5, -1.0, 2.0]))


def test_graph_device_is_tf_device_of_that_graph():
    g = tf.Graph()
    with g.as_default(), g.device("/job:w"), g.device("gpu:1"):
        assert tf.constant(1.0).device == "/job:w/device:GPU:1"
    with pytest.raises(ValueError, match="Unknown attribute 'garbage'"):
        g.device("garbage")


def test_scan_of_a_length_known_only_when_the_graph_runs():
    """A while loop then; the same values, and gradients, as unrolled (TF 2.21's numbers)."""
    v1 = tf.compat.v1
    with tf.Graph().as_default():
        p = v1.placeholder(tf.float32, [None])
        outs = [tf.scan(lambda a, x: a + x, p), tf.scan(lambda a, x: a + x, p, reverse=True),
                tf.scan(lambda a, x: a * 0.5 + x, p, initializer=1.0),
                tf.scan(lambda a, x: (a[0] + x[0], a[1] * x[1]), (p, p),
                        initializer=(0.0, 1.0))]
        loss = tf.reduce_sum(tf.scan(lambda a, x: a * x + 1.0, p, initializer=2.0,
                                     reverse=True) ** 2)
        (grad,) = tf.gradients(loss, p)
        with v1.Session() as sess:
            s, r, half, (total, prod) = sess.run(outs, {p: E})
            g = sess.run(grad, {p: [1.0, 2.0, 3.0]})
            empty = sess.run(outs[2], {p: np.zeros(0, np.float32)})
    np.testing.assert_allclose(s, np.cumsum(E))
    np.testing.assert_allclose(r, np.cumsum(E[::-1])[::-1])
    np.testing.assert_allclose(half, [1.5, 2.75, 4.375, 6.1875])
    np.testing.assert_allclose(total, np.cumsum(E))
    np.testing.assert_allclose(prod, np.cumprod(E))
    np.testing.assert_allclose(g, [480.0, 434.0, 276.0])
    assert empty.shape == (0,)


def test_scan_while_loop_gradient_matches_finite_differences():
    v1 = tf.compat.v1
    x0 = np.array([0.3, -0.5, 0.9, 0.2])

    def f(x):
        return np.sum(_np_scan(x) ** 2)

    def _np_scan(x):
        acc, out = 0.7, []
        for e in x:
            acc = acc * np.sin(e) + e
            out.append(acc)
        return np.array(out)

    with tf.Graph().as_default():
        p = v1.placeholder(tf.float64, [None])
        y = tf.reduce_sum(tf.scan(lambda a, e: a * tf.sin(e) + e, p,
                                  initializer=tf.constant(0.7, tf.float64)) ** 2)
        (grad,) = tf.gradients(y, p)
        with v1.Session() as sess:
            value, g = sess.run([y, grad], {p: x0})
    assert value == pytest.approx(f(x0))
    eps = 1e-6
    numeric = [(f(x0 + eps * np.eye(4)[i]) - f(x0 - eps * np.eye(4)[i])) / (2 * eps)
               for i in range(4)]
    np.testing.assert_allclose(g, numeric, rtol=1e-6)


def test_sort_of_unknown_sizes_in_a_graph():
    v1 = tf.compat.v1
    x = np.array([[3.0, 1.0, 2.0], [1.0, 5.0, 0.0]], np.float32)
    w = np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]], np.float32)
    with tf.Graph().as_default():
        p = v1.placeholder(tf.float32, None)                 # unknown rank: axis -1 only
        q = v1.placeholder(tf.float32, [2, None])
        outs = [tf.sort(p), tf.argsort(q, direction="DESCENDING"), tf.sort(q, axis=0)]
        (grad,) = tf.gradients(tf.reduce_sum(tf.sort(q) * w), q)
        with v1.Session() as sess:
            a, b, c, g = sess.run(outs + [grad], {p: x, q: x})
        with pytest.raises(ValueError, match="sort: the rank of values must be known"):
            tf.sort(p, axis=0)
    np.testing.assert_array_equal(a, np.sort(x, axis=-1))
    np.testing.assert_array_equal(b, np.argsort(-x, axis=-1, kind="stable"))
    np.testing.assert_array_equal(c, np.sort(x, axis=0))
    # each weight goes back to where its sorted value came from
    want = np.zeros_like(x)
    np.put_along_axis(want, np.argsort(x, axis=-1, kind="stable"), w, axis=-1)
    np.testing.assert_array_equal(g, want)
