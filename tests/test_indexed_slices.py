"""tf.IndexedSlices (issue 19): gather's gradient along axis 0, summed in the sweep, densified,
clipped and applied by the optimizers as TF 2.21 / Keras 3 do (their numbers recorded by
tools/record_tf_indexed_slices.py into tests/tf_indexed_slices_recorded.json)."""
import json
import pathlib
import tracemalloc

import numpy as np
import pytest

import janusgrad as tf

REC = json.loads((pathlib.Path(__file__).parent / "tf_indexed_slices_recorded.json").read_text())
TABLE = np.array(REC["table"], np.float32)
W = np.array(REC["w"], np.float32)
P = np.arange(12.0, dtype=np.float32).reshape(4, 3)


def dense_of(values, indices, shape):
    out = np.zeros(shape, np.asarray(values).dtype)
    np.add.at(out, np.asarray(indices), np.asarray(values))
    return out


def test_gather_gradient_is_indexed_slices_and_densifies_summing_repeats():
    p = tf.constant(P)
    with tf.GradientTape() as tape:
        tape.watch(p)
        y = tf.gather(p, [0, 2, 0])
        loss = tf.reduce_sum(y * y)
    g = tape.gradient(loss, p)
    assert isinstance(g, tf.IndexedSlices) and not isinstance(g, tf.Tensor)
    assert tf.compat.v1.IndexedSlices is tf.IndexedSlices
    np.testing.assert_array_equal(g.values.numpy(), 2 * P[[0, 2, 0]])
    np.testing.assert_array_equal(g.indices.numpy(), [0, 2, 0])
    np.testing.assert_array_equal(g.dense_shape.numpy(), [4, 3])
    assert g.dense_shape.dtype == tf.int32 and g.dtype == tf.float32 and g.shape == [4, 3]
    dense = tf.convert_to_tensor(g)
    np.testing.assert_array_equal(dense.numpy(), dense_of(2 * P[[0, 2, 0]], [0, 2, 0], (4, 3)))


def test_sweep_sums_slices_as_tf():
    p = tf.constant(P)
    with tf.GradientTape(persistent=True) as tape:
        tape.watch(p)
        mixed = tf.reduce_sum(tf.gather(p, [0, 2, 0])) + tf.reduce_sum(p * 2.0)
        two = tf.reduce_sum(tf.gather(p, [0, 2, 0])) + tf.reduce_sum(tf.gather(p, [1]))
    g = tape.gradient(mixed, p)                 # with a dense gradient: dense, as TF
    assert type(g) is not tf.IndexedSlices
    np.testing.assert_array_equal(g.numpy(), 2.0 + dense_of(np.ones((3, 3)), [0, 2, 0], (4, 3)))
    g = tape.gradient(two, p)                   # two slices: concatenated, TF's order
    assert isinstance(g, tf.IndexedSlices)
    np.testing.assert_array_equal(g.indices.numpy(), [0, 2, 0, 1])
    np.testing.assert_array_equal(g.values.numpy(), np.ones((4, 3)))


def test_dense_where_tf_is_dense_and_slices_pass_identity_and_cast():
    p = tf.constant(P)
    with tf.GradientTape(persistent=True) as tape:
        tape.watch(p)
        axis1 = tf.reduce_sum(tf.gather(p, [0, 1], axis=1))
        axis_minus_2 = tf.reduce_sum(tf.gather(p, [0, 1], axis=-2))     # TF: dense too
        through_mul = tf.reduce_sum(tf.gather(p * 1.0, [1]))
        through_identity = tf.reduce_sum(tf.gather(tf.identity(p), [1]))
        through_cast = tf.reduce_sum(tf.gather(tf.cast(p, tf.float64), [1]))
    assert type(tape.gradient(axis1, p)) is not tf.IndexedSlices
    g = tape.gradient(axis_minus_2, p)
    assert type(g) is not tf.IndexedSlices
    np.testing.assert_array_equal(g.numpy(), dense_of(np.ones((2, 3)), [0, 1], (4, 3)))
    assert type(tape.gradient(through_mul, p)) is not tf.IndexedSlices
    assert isinstance(tape.gradient(through_identity, p), tf.IndexedSlices)
    g = tape.gradient(through_cast, p)
    assert isinstance(g, tf.IndexedSlices) and g.dtype == tf.float32


def test_embedding_lookup_of_a_variable():
    v = tf.Variable(TABLE)
    with tf.GradientTape() as tape:
        loss = tf.reduce_sum(tf.square(tf.nn.embedding_lookup(v, REC["ids"])) * W)
    g = tape.gradient(loss, v)
    assert isinstance(g, tf.IndexedSlices)
    np.testing.assert_allclose(g.values.numpy(), REC["grad"]["values"], rtol=1e-6)
    np.testing.assert_array_equal(g.indices.numpy(), REC["grad"]["indices"])
    np.testing.assert_array_equal(g.dense_shape.numpy(), REC["grad"]["dense_shape"])
    np.testing.assert_allclose(tf.convert_to_tensor(g).numpy(), REC["grad"]["dense"], rtol=1e-6)


def test_graph_gradients_and_session_run_give_indexed_slices_value():
    with tf.Graph().as_default():
        x = tf.compat.v1.placeholder(tf.float32, [4, 3])
        (g,) = tf.gradients(tf.reduce_sum(tf.gather(x, [0, 2, 0]) * 3.0), x)
        (mixed,) = tf.gradients(tf.reduce_sum(tf.gather(x, [0])) + tf.reduce_sum(x), x)
        assert isinstance(g, tf.IndexedSlices) and type(mixed) is not tf.IndexedSlices
        assert g.values.shape == [3, 3] and g.indices.shape == [3]     # static, as TF's
        with tf.compat.v1.Session() as sess:
            value, m = sess.run([g, mixed], {x: P})
    assert type(value).__name__ == "IndexedSlicesValue"
    np.testing.assert_array_equal(value.values, np.full((3, 3), 3.0))
    np.testing.assert_array_equal(value.indices, [0, 2, 0])
    np.testing.assert_array_equal(value.dense_shape, [4, 3])
    np.testing.assert_array_equal(m, 1.0 + dense_of(np.ones((1, 3)), [0], (4, 3)))


def test_tf_function_returns_indexed_slices():
    v = tf.Variable(P)

    @tf.function
    def grad():
        with tf.GradientTape() as tape:
            loss = tf.reduce_sum(tf.gather(v, [1, 1]))
        return tape.gradient(loss, v)

    g = grad()
    assert isinstance(g, tf.IndexedSlices)
    np.testing.assert_array_equal(g.indices.numpy(), [1, 1])
    np.testing.assert_array_equal(g.values.numpy(), np.ones((2, 3)))
    np.testing.assert_array_equal(g.dense_shape.numpy(), [4, 3])


def test_second_order_through_slices():
    x = tf.Variable([1.0, 2.0, 3.0])
    with tf.GradientTape() as outer:
        with tf.GradientTape() as inner:
            loss = tf.reduce_sum(tf.gather(x, [0, 0, 2]) ** 3)
        g = inner.gradient(loss, x)
        s = tf.reduce_sum(tf.convert_to_tensor(g) ** 2)
    h = outer.gradient(s, x)
    # dense g = [6 x0^2, 0, 3 x2^2]; s = 36 x0^4 + 9 x2^4: d/dx0 = 144 x0^3 (two slices of it)
    assert isinstance(h, tf.IndexedSlices)
    np.testing.assert_allclose(tf.convert_to_tensor(h).numpy(), [144.0, 0.0, 36 * 27.0])


def test_clip_by_norm_and_global_norm_of_slices_use_the_unsummed_values():
    v = tf.Variable(TABLE)
    with tf.GradientTape() as tape:
        loss = tf.reduce_sum(tf.square(tf.nn.embedding_lookup(v, REC["ids"])) * W)
    g = tape.gradient(loss, v)
    c = tf.clip_by_norm(g, 1.0)
    assert isinstance(c, tf.IndexedSlices)
    np.testing.assert_allclose(c.values.numpy(), REC["clip_by_norm"]["values"], rtol=1e-6)
    (cg, cd), norm = tf.clip_by_global_norm([g, tf.constant([3.0, 4.0])], 2.0)
    rec = REC["clip_by_global_norm"]
    assert isinstance(cg, tf.IndexedSlices)
    np.testing.assert_allclose(cg.values.numpy(), rec["values"], rtol=1e-6)
    np.testing.assert_allclose(cd.numpy(), rec["dense"], rtol=1e-6)
    np.testing.assert_allclose(norm.numpy(), rec["norm"], rtol=1e-6)


def sparse_grad(var, ids):
    with tf.GradientTape() as tape:
        loss = tf.reduce_sum(tf.square(tf.nn.embedding_lookup(var, ids)) * W)
    g = tape.gradient(loss, var)
    assert isinstance(g, tf.IndexedSlices)
    return g


V1 = tf.compat.v1.train
TF1 = {"GradientDescent": lambda: V1.GradientDescentOptimizer(0.1),
       "Momentum": lambda: V1.MomentumOptimizer(0.1, 0.9),
       "MomentumNesterov": lambda: V1.MomentumOptimizer(0.1, 0.9, use_nesterov=True),
       "Adam": lambda: V1.AdamOptimizer(0.1),
       "RMSProp": lambda: V1.RMSPropOptimizer(0.1),
       "RMSPropMomentum": lambda: V1.RMSPropOptimizer(0.1, momentum=0.5),
       "RMSPropCentered": lambda: V1.RMSPropOptimizer(0.1, momentum=0.5, centered=True),
       "Adagrad": lambda: V1.AdagradOptimizer(0.1),
       "Adadelta": lambda: V1.AdadeltaOptimizer(1.0),
       "ProximalGradientDescent": lambda: V1.ProximalGradientDescentOptimizer(
           0.1, l1_regularization_strength=0.01, l2_regularization_strength=0.1)}
KERAS = {"SGD": lambda: tf.keras.optimizers.SGD(0.1),
         "SGDMomentum": lambda: tf.keras.optimizers.SGD(0.1, momentum=0.9),
         "SGDNesterov": lambda: tf.keras.optimizers.SGD(0.1, momentum=0.9, nesterov=True),
         "Adam": lambda: tf.keras.optimizers.Adam(0.1)}


@pytest.mark.parametrize("name", sorted(TF1))
def test_tf1_optimizers_apply_slices_as_tf1(name):
    opt, var = TF1[name](), tf.Variable(TABLE)
    for ids in REC["step_ids"]:
        opt.apply_gradients([(sparse_grad(var, ids), var)])
    np.testing.assert_allclose(var.numpy(), REC["tf1"][name], rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("name", ["Momentum", "RMSPropMomentum", "Adam"])
def test_tf1_optimizers_apply_slices_in_a_graph(name):
    with tf.Graph().as_default():
        var = tf.compat.v1.Variable(TABLE)
        ids = tf.compat.v1.placeholder(tf.int32, [2, 2])
        loss = tf.reduce_sum(tf.square(tf.nn.embedding_lookup(var, ids)) * W)
        train = TF1[name]().minimize(loss)
        with tf.compat.v1.Session() as sess:
            sess.run(tf.compat.v1.global_variables_initializer())
            for step_ids in REC["step_ids"]:
                sess.run(train, {ids: step_ids})
            value = sess.run(var)
    np.testing.assert_allclose(value, REC["tf1"][name], rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("name", sorted(KERAS))
def test_keras_optimizers_apply_slices_as_keras(name):
    opt, var = KERAS[name](), tf.Variable(TABLE)
    for ids in REC["step_ids"]:
        opt.apply_gradients([(sparse_grad(var, ids), var)])
    np.testing.assert_allclose(var.numpy(), REC["keras"][name], rtol=1e-5, atol=1e-6)


def test_keras_adam_squares_each_slice_not_the_summed_row():
    # the recorded numbers differ from Adam on the densified gradient (a repeated index)
    dense_opt, var_d = tf.keras.optimizers.Adam(0.1), tf.Variable(TABLE)
    for ids in REC["step_ids"]:
        dense_opt.apply_gradients([(tf.convert_to_tensor(sparse_grad(var_d, ids)), var_d)])
    assert not np.allclose(var_d.numpy(), REC["keras"]["Adam"], atol=1e-4)


def test_an_embedding_gradient_costs_the_slices_not_the_table():
    table = tf.Variable(np.zeros((200_000, 32), np.float32))      # 25.6 MB
    ids = tf.constant([3, 7, 3])
    with tf.GradientTape() as tape:
        loss = tf.reduce_sum(tf.nn.embedding_lookup(table, ids))
    tracemalloc.start()
    try:
        g = tape.gradient(loss, table)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert isinstance(g, tf.IndexedSlices) and g.values.shape == (3, 32)
    assert peak < 1_000_000, peak


def test_conversion_errors_as_tf():
    s = tf.IndexedSlices(tf.constant([[1.0, 2.0]]), tf.constant([1]))
    with pytest.raises(ValueError, match="without dense_shape"):
        tf.convert_to_tensor(s)
    s = tf.IndexedSlices(tf.constant([[1.0, 2.0]]), tf.constant([1]), tf.constant([3, 2]))
    with pytest.raises(ValueError, match="float64 for IndexedSlices"):
        tf.convert_to_tensor(s, tf.float64)
    np.testing.assert_array_equal((-s).values.numpy(), [[-1.0, -2.0]])


def test_unsorted_segment_sum():
    d = np.arange(12.0, dtype=np.float32).reshape(4, 3)
    out = tf.math.unsorted_segment_sum(d, [2, -1, 2, 0], 3).numpy()
    np.testing.assert_array_equal(out, [d[3], np.zeros(3), d[0] + d[2]])
    out = tf.math.unsorted_segment_sum(d.reshape(2, 2, 3), [[1, 0], [1, 1]], 2).numpy()
    np.testing.assert_array_equal(out, [d[1], d[0] + d[2] + d[3]])
    with pytest.raises(tf.errors.InvalidArgumentError, match=r"segment_ids\[2\] = 5"):
        tf.math.unsorted_segment_sum(d, [0, 1, 5, 0], 3)
    with pytest.raises(tf.errors.InvalidArgumentError, match="does not start with"):
        tf.math.unsorted_segment_sum(d, [0, 1], 3)
    with pytest.raises(TypeError, match="segment_ids"):
        tf.math.unsorted_segment_sum(d, [0.0, 1.0, 1.0, 0.0], 3)


def test_jacobian_and_hessians_through_gather_are_dense_as_tf():
    x = tf.Variable([1.0, 2.0, 3.0])
    with tf.GradientTape() as tape:
        y = tf.gather(x, [0, 0, 2]) ** 2
    j = tape.jacobian(y, x)
    assert type(j) is not tf.IndexedSlices
    np.testing.assert_array_equal(j.numpy(), [[2, 0, 0], [2, 0, 0], [0, 0, 6]])
    with tf.Graph().as_default():
        p = tf.compat.v1.placeholder(tf.float32, [3])
        (h,) = tf.hessians(tf.reduce_sum(tf.gather(p, [0, 0, 2]) ** 3), p)
        with tf.compat.v1.Session() as sess:
            value = sess.run(h, {p: [1.0, 2.0, 3.0]})
    np.testing.assert_array_equal(value, np.diag([12.0, 0.0, 18.0]))   # 6 x0 twice, 6 x2


def test_keras_adam_step_in_a_tf_function_applies_slices_as_keras():
    opt, var = KERAS["Adam"](), tf.Variable(TABLE)

    @tf.function
    def step(ids):
        with tf.GradientTape() as tape:
            loss = tf.reduce_sum(tf.square(tf.nn.embedding_lookup(var, ids)) * W)
        (g,) = tape.gradient(loss, [var])
        opt.apply_gradients([(g, var)])
        return g

    for ids in REC["step_ids"]:
        assert isinstance(step(tf.constant(ids)), tf.IndexedSlices)
    np.testing.assert_allclose(var.numpy(), REC["keras"]["Adam"], rtol=1e-5, atol=1e-6)


def test_clip_by_value_clips_each_slice_and_keras_clipvalue_uses_it():
    values = np.array([[3.0, -4.0], [0.5, 4.0]], np.float32)
    s = tf.IndexedSlices(tf.constant(values), tf.constant([1, 1]), tf.constant([3, 2]))
    c = tf.clip_by_value(s, -1.0, 1.0)
    assert isinstance(c, tf.IndexedSlices)
    np.testing.assert_array_equal(c.values.numpy(), np.clip(values, -1, 1))
    var = tf.Variable(np.zeros((3, 2), np.float32))
    tf.keras.optimizers.SGD(0.1, clipvalue=1.0).apply_gradients([(s, var)])
    # the clipped slices summed (-0.15 in row 1), not the summed row clipped (-0.1)
    np.testing.assert_allclose(var.numpy(), -0.1 * dense_of(np.clip(values, -1, 1), [1, 1],
                                                            (3, 2)), rtol=1e-6)


def test_custom_gradient_gets_the_slices_as_tf():
    seen = []

    @tf.custom_gradient
    def f(x):
        def grad(dy):
            seen.append(type(dy))
            return dy
        return tf.identity(x), grad

    p = tf.Variable(P)
    with tf.GradientTape() as tape:
        loss = tf.reduce_sum(tf.gather(f(p), [1, 1]))
    g = tape.gradient(loss, p)
    assert seen == [tf.IndexedSlices] and isinstance(g, tf.IndexedSlices)
    np.testing.assert_array_equal(tf.convert_to_tensor(g).numpy(),
                                  dense_of(np.ones((2, 3)), [1, 1], (4, 3)))


def test_tf1_optimizer_subclass_gets_summed_rows_in_its_sparse_hooks():
    got = {}

    class Resource(tf.compat.v1.train.GradientDescentOptimizer):
        def _resource_apply_sparse(self, grad, handle, indices):
            got["resource"] = (grad.numpy(), indices.numpy())
            return handle.assign_add(tf.zeros_like(handle), read_value=False)

    class Ref(tf.compat.v1.train.GradientDescentOptimizer):
        def _apply_sparse(self, grad, var):
            got["ref"] = (grad.values.numpy(), grad.indices.numpy())
            raise NotImplementedError("Sparse gradient updates are not supported.")

    values = np.arange(8.0, dtype=np.float32).reshape(4, 2)
    g = tf.IndexedSlices(tf.constant(values), tf.constant([3, 1, 3, 0]), tf.constant([5, 2]))
    var = tf.Variable(np.zeros((5, 2), np.float32))
    Resource(0.1).apply_gradients([(g, var)])
    rows, summed = got["resource"][1], got["resource"][0]
    np.testing.assert_array_equal(rows, [3, 1, 0])                 # first appearances, as TF's
    np.testing.assert_array_equal(summed, [values[0] + values[2], values[1], values[3]])
    with pytest.raises(NotImplementedError, match="Sparse gradient updates"):
        Ref(0.1).apply_gradients([(g, var)])
    np.testing.assert_array_equal(got["ref"][1], [3, 1, 0])


def test_unique_as_tf():
    unique = tf.unique
    y, idx = unique([5, 3, 5, 1, 3])
    np.testing.assert_array_equal(y.numpy(), [5, 3, 1])
    np.testing.assert_array_equal(idx.numpy(), [0, 1, 0, 2, 1])
    assert idx.dtype == tf.int32 and unique([5, 3], out_idx=tf.int64).idx.dtype == tf.int64
    with pytest.raises(tf.errors.InvalidArgumentError, match="1D vector"):
        unique([[1, 2]])


def test_keras_embedding_gradient_is_indexed_slices_of_the_rows_looked_up():
    layer = tf.keras.layers.Embedding(10, 3)
    ids = np.array([[1, 2, 1], [7, 1, 0]], np.int32)
    weights = np.arange(18, dtype=np.float32).reshape(2, 3, 3)
    with tf.GradientTape() as tape:
        y = tf.reduce_sum(layer(tf.constant(ids)) * weights)
    (g,) = tape.gradient(y, layer.trainable_variables)
    assert isinstance(g, tf.IndexedSlices) and not isinstance(g, tf.Tensor)
    np.testing.assert_array_equal(g.indices.numpy(), ids.reshape(-1))
    np.testing.assert_array_equal(g.values.numpy(), weights.reshape(6, 3))
    dense = np.zeros((10, 3), np.float32)
    np.add.at(dense, ids.reshape(-1), weights.reshape(6, 3))      # repeated rows add
    np.testing.assert_array_equal(tf.convert_to_tensor(g).numpy(), dense)


def test_indexed_slices_argument_to_a_function_is_keyed_by_its_parts_specs():
    # as TF's IndexedSlicesSpec: new slices of the same dtypes and shapes reuse the trace,
    # never keyed by the object (which would retrace, and hold, every gradient passed)
    table = tf.Variable(np.arange(12.0, dtype=np.float32).reshape(6, 2))

    def grad(ids):
        with tf.GradientTape() as tape:
            y = tf.reduce_sum(tf.gather(table, tf.constant(ids)) * 3.0)
        return tape.gradient(y, table)

    @tf.function
    def dense_twice(g):
        return tf.convert_to_tensor(g) * 2.0, g.indices

    for ids in ([1, 2, 1], [0, 5, 5], [4, 4, 4]):
        dense, indices = dense_twice(grad(ids))
        want = np.zeros((6, 2), np.float32)
        np.add.at(want, ids, 6.0)
        np.testing.assert_array_equal(dense.numpy(), want)
        np.testing.assert_array_equal(indices.numpy(), ids)
    assert dense_twice.trace_count == 1
    dense_twice(grad([0, 1]))                    # two rows, not three: another signature
    assert dense_twice.trace_count == 2
