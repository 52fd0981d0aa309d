"""Keras 3 layers and models (issue 20): subclassing, the functional API, Sequential's summary,
weights on disk, BatchNormalization and the other layers, seeded initializers.

Reference values (R) were recorded from Keras 3.15 / TF 2.21 by tools/record_keras_layers.py,
with the same inputs (`seq`) and weights set by set_weights."""
import numpy as np
import pytest

import janusgrad as tf
from janusgrad.check import check_gradients

from .keras_layers_expected import R

L = tf.keras.layers


def seq(shape, a=0.7, s=1.0):
    n = int(np.prod(shape))
    return (np.sin(np.arange(n) * a) * s).reshape(shape).astype(np.float32)


def set_all(layer, a=0.3):
    layer.set_weights([seq(w.shape, a + 0.1 * i) for i, w in enumerate(layer.get_weights())])


def close(a, b, rtol=1e-5, atol=1e-5):
    np.testing.assert_allclose(np.asarray(a), np.asarray(b, np.float32), rtol=rtol, atol=atol)


@pytest.fixture(autouse=True)
def fresh_names():
    tf.keras.backend.clear_session()


# -- BatchNormalization, LayerNormalization ----------------------------------------------------

def test_batch_norm_training_calls_move_the_statistics_as_keras():
    bn = L.BatchNormalization(momentum=0.9, epsilon=1e-3)
    x = seq((6, 3), 0.9, 2.0) + 1.0
    bn(x)
    bn.set_weights([seq((3,), 0.4) + 1.0, seq((3,), 0.5), np.zeros(3, np.float32),
                    np.ones(3, np.float32)])
    for i in range(3):
        close(bn(x * (i + 1), training=True), R[f"bn_train_{i}"])
    close(bn.moving_mean, R["bn_moving_mean"])
    close(bn.moving_variance, R["bn_moving_variance"])
    close(bn(x, training=False), R["bn_infer"])
    close(bn(x), R["bn_default"])
    assert [w.path for w in bn.weights] == R["bn_weight_paths"]
    assert len(bn.trainable_weights) == 2 and len(bn.non_trainable_weights) == 2


def test_batch_norm_on_another_axis():
    bn = L.BatchNormalization(axis=1)
    x = seq((2, 3, 2, 2), 0.3)
    bn(x)
    set_all(bn)
    bn.set_weights(bn.get_weights()[:2] + [seq((3,), 0.2), seq((3,), 0.6) ** 2 + 0.5])
    close(bn(x, training=True), R["bn_axis1_train"])
    close(bn.moving_mean, R["bn_axis1_moving"][0])
    close(bn.moving_variance, R["bn_axis1_moving"][1])


def test_training_reaches_nested_layers():
    model = tf.keras.Sequential([L.Dense(3), L.BatchNormalization()])
    x = seq((4, 2))
    model(x)
    before = model.layers[1].moving_mean.numpy().copy()
    model(x)                                          # inference: statistics unchanged
    np.testing.assert_array_equal(model.layers[1].moving_mean.numpy(), before)
    model(x, training=True)
    assert not np.allclose(model.layers[1].moving_mean.numpy(), before)


def test_layer_norm_as_keras_and_its_gradients():
    ln = L.LayerNormalization()
    x = seq((2, 5), 1.3, 3.0)
    ln(x)
    ln.set_weights([seq((5,), 0.2) + 1.0, seq((5,), 0.4)])
    close(ln(x), R["layer_norm"])
    xd = tf.constant(x.astype(np.float64))
    ln64 = L.LayerNormalization(dtype="float64")
    ln64(xd)
    check_gradients(lambda t: ln64(t), xd.numpy())
    bn64 = L.BatchNormalization(dtype="float64")
    bn64(xd)
    check_gradients(lambda t: bn64(t, training=True), xd.numpy())


# -- the other layers ---------------------------------------------------------------------------

def test_merging_layers_as_keras():
    p, q, r = seq((2, 3), 0.5), seq((2, 3), 1.1), seq((2, 3), 2.3)
    close(L.Add()([p, q, r]), R["merge_add"])
    close(L.Subtract()([p, q]), R["merge_subtract"])
    close(L.Multiply()([p, q, r]), R["merge_multiply"])
    close(L.Average()([p, q, r]), R["merge_average"])
    close(L.Concatenate(axis=0)([p, q]), R["merge_concat_axis0"])
    close(L.Concatenate()([p, q]), np.concatenate([p, q], -1))
    with pytest.raises(ValueError) as e:
        L.Concatenate()([p, seq((3, 4))])
    assert str(e.value) == R["errors"]["concat_mismatch"][1]
    with pytest.raises(ValueError) as e:
        L.Add()([p, seq((2, 4))])
    assert str(e.value) == R["errors"]["add_mismatch"][1]
    with pytest.raises(ValueError, match="exactly 2 inputs"):
        L.Subtract()([p, q, r])


def test_reshape_pooling_embedding_activation_as_keras():
    close(L.Reshape((3, -1))(seq((2, 6), 0.4)), R["reshape"])
    img = seq((2, 5, 5, 3), 0.37)
    close(L.AveragePooling2D(2)(img), R["avg_pool_valid"])
    close(L.AveragePooling2D(3, 2, padding="same")(img), R["avg_pool_same_3_2"])
    close(L.GlobalAveragePooling2D()(img), R["global_avg_pool"])
    assert L.GlobalAveragePooling2D(keepdims=True)(img).shape == R["global_avg_pool_keepdims"]
    emb = L.Embedding(6, 3)
    emb(np.array([0]))
    emb.set_weights([seq((6, 3), 0.45)])
    close(emb(np.array([[1, 5], [0, 1]])), R["embedding"])
    close(L.Activation("tanh")(seq((2, 3), 0.5)), R["activation_tanh"])


def test_dropout_only_when_training():
    x = np.ones((200, 10), np.float32)
    d = L.Dropout(0.5, seed=1)
    close(d(x), x)
    y = d(x, training=True).numpy()
    assert set(np.unique(y)) <= {0.0, 2.0} and 0.3 < (y == 0).mean() < 0.7
    with pytest.raises(ValueError, match="rate"):
        L.Dropout(1.5)


def test_wrong_input_width_names_the_layer_and_both_shapes():
    dense = L.Dense(3, name="dense_err")
    dense(np.zeros((2, 4), np.float32))
    with pytest.raises(ValueError) as e:
        dense(np.zeros((2, 5), np.float32))
    # Keras also names the input tensor ("Input 0 with name 'None' of layer ...")
    assert str(e.value) == R["errors"]["wrong_width"][1].replace(" with name 'None'", "")
    conv = L.Conv2D(2, 3)
    conv(np.zeros((1, 5, 5, 3), np.float32))
    with pytest.raises(ValueError, match="expected axis -1 of input shape to have value 3"):
        conv(np.zeros((1, 5, 5, 4), np.float32))


# -- Layer subclassing --------------------------------------------------------------------------

class WithLoss(L.Layer):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.dense = L.Dense(2, kernel_regularizer=lambda w: 0.01 * tf.reduce_sum(w * w),
                             name="inner")
        self.extra = [L.Dense(2, name="listed")]

    def call(self, x, training=None):
        y = self.extra[0](self.dense(x))
        self.add_loss(tf.reduce_mean(y ** 2))
        return y


def test_add_loss_is_cleared_per_call_and_regularizers_join_losses():
    wl = WithLoss(name="with_loss")
    x = seq((3, 4), 0.6)
    wl(x)
    wl.dense.set_weights([seq((4, 2), 0.3), seq((2,), 0.5)])
    wl.extra[0].set_weights([seq((2, 2), 0.7), seq((2,), 0.9)])
    wl(x)
    close([float(v) for v in wl.losses], R["losses_after_two_calls"])
    assert [w.path for w in wl.weights] == R["nested_weight_paths"]
    assert [w.name for w in wl.weights] == R["nested_weight_names"]


def test_build_runs_once_with_the_input_shape_and_add_weight_options():
    seen = []

    class Scale(L.Layer):
        def build(self, input_shape):
            seen.append(tuple(input_shape))
            self.w = self.add_weight(shape=(input_shape[-1],), initializer="ones", name="w",
                                     constraint=lambda v: tf.clip_by_value(v, 0.0, 1.5))
            self.count = self.add_weight(shape=(), initializer="zeros", trainable=False,
                                         name="count", dtype="int32")

        def call(self, x):
            return x * self.w

    s = Scale()
    s(np.ones((2, 3), np.float32))
    s(np.ones((5, 3), np.float32))
    assert seen == [(2, 3)] and s.built
    assert [w.name for w in s.trainable_weights] == ["w"]
    assert [w.name for w in s.non_trainable_weights] == ["count"]
    assert s.count.dtype == tf.int32 and s.count_params() == 4
    opt = tf.keras.optimizers.SGD(1.0)
    opt.apply_gradients([(tf.constant([-1.0, 0.0, 1.0]), s.w)])
    close(s.w, [1.5, 1.0, 0.0])                     # clip(1 - g) after the step, as Keras 3


def test_tracking_in_dicts_and_lists_filled_after_assignment():
    class Holder(L.Layer):
        def __init__(self):
            super().__init__()
            self.blocks = []
            self.heads = {"a": L.Dense(1), "b": L.Dense(2)}
            self.blocks.append(L.Dense(3))

        def call(self, x):
            h = self.blocks[0](x)
            return self.heads["a"](h), self.heads["b"](h)

    h = Holder()
    h(seq((2, 4)))
    assert len(h.trainable_weights) == 6 and h.count_params() == 15 + 4 + 8
    with pytest.raises(ValueError) as e:
        L.Dense(2, name="unbuilt").count_params()
    assert str(e.value) == R["errors"]["count_params_unbuilt"][1]


def test_subclassed_model_weight_paths_and_layers():
    class Sub(tf.keras.Model):
        def __init__(self):
            super().__init__(name="sub")
            self.d1 = L.Dense(3, name="d1")
            self.bn = L.BatchNormalization(name="bn")

        def call(self, x, training=None):
            return self.bn(self.d1(x))

    sub = Sub()
    sub(seq((3, 4), 0.6))
    assert [w.path for w in sub.weights] == R["subclassed_weight_paths"]
    assert len(sub.trainable_weights) == R["subclassed_trainable_count"]
    assert [layer.name for layer in sub.layers] == R["subclassed_layers"]
    assert sub.get_layer("bn") is sub.bn and sub.get_layer(index=0) is sub.d1


def test_get_config_round_trips_the_built_in_layers():
    layers = [L.Dense(3, activation="relu", use_bias=False, name="dd"), L.Conv2D(2, 3),
              L.Dropout(0.3), L.Embedding(5, 2), L.Reshape((2, 3)), L.BatchNormalization(
                  momentum=0.5), L.LayerNormalization(epsilon=0.1), L.Concatenate(axis=1),
              L.Activation("tanh"), L.AveragePooling2D(3), L.GlobalAveragePooling2D()]
    for layer in layers:
        config = layer.get_config()
        again = type(layer).from_config(config)
        assert again.get_config() == config, type(layer).__name__
    assert L.Dense(3, activation="relu").get_config()["activation"] == "relu"
    assert L.Dense(2).dtype == "float32" and L.Dense(2, dtype="float64").compute_dtype == "float64"


def test_compute_output_shape():
    assert L.Dense(4).compute_output_shape((None, 3)) == (None, 4)
    assert L.Conv2D(2, 3).compute_output_shape((1, 5, 5, 3)) == (1, 3, 3, 2)
    assert L.Concatenate().compute_output_shape([(None, 2), (None, 3)]) == (None, 5)

    class Twice(L.Layer):
        def call(self, x):
            return tf.concat([x, x], -1)

    assert Twice().compute_output_shape((None, 3)) == (None, 6)


# -- models -------------------------------------------------------------------------------------

def two_output_model():
    a_in = tf.keras.Input((4,), name="a_in")
    b_in = tf.keras.Input((3,), name="b_in")
    shared = L.Dense(5, activation="relu", name="shared")
    ha = shared(L.Concatenate(name="cat")([a_in, L.Dense(1, name="proj")(b_in)]))
    hb = shared(L.Concatenate(name="cat2")([b_in, b_in[:, :2]]))
    merged = L.Add(name="add")([ha, hb])
    out1 = L.Dense(2, name="out1")(merged)
    out2 = L.Dense(1, activation="sigmoid", name="out2")(L.Multiply(name="mul")([ha, hb]))
    return (a_in, b_in), (out1, out2)


def test_functional_model_with_two_inputs_shared_layer_two_outputs():
    (a_in, b_in), (out1, out2) = two_output_model()
    model = tf.keras.Model([a_in, b_in], [out1, out2], name="two_out")
    assert type(model).__name__ == "Functional" and isinstance(model, tf.keras.Model)
    for layer in model.layers:
        if layer.weights:
            set_all(layer, 0.11 * len(layer.name))
    xa, xb = seq((3, 4), 0.8), seq((3, 3), 1.7)
    o1, o2 = model([xa, xb])
    close(o1, R["functional_out1"])
    close(o2, R["functional_out2"])
    assert [x.name for x in model.layers] == R["functional_layers"]    # Keras's depth order
    assert model.count_params() == R["functional_count_params"]
    assert [w.path for w in model.weights] == R["functional_weight_paths"]
    with pytest.raises(ValueError) as e:
        model.get_layer("nope")
    assert str(e.value).startswith("No such layer: nope. Existing layers are: [")
    dmodel = tf.keras.Model({"a": a_in, "b": b_in}, {"first": out1, "second": out2})
    d = dmodel({"a": xa, "b": xb})
    assert sorted(d) == R["functional_dict_keys"]
    close(d["second"], R["functional_out2"])
    # gradients reach every weight through the shared layer, eagerly and in a tf.function
    with tf.GradientTape() as tape:
        first, second = model([xa, xb])
        loss = tf.reduce_sum(first) + tf.reduce_sum(second)
    grads = tape.gradient(loss, model.trainable_variables)
    assert all(g is not None for g in grads)

    @tf.function
    def step(a, b):
        with tf.GradientTape() as t:
            first, second = model([a, b])
            out = tf.reduce_sum(first) + tf.reduce_sum(second)
        return t.gradient(out, model.trainable_variables)

    for g, h in zip(step(xa, xb), grads, strict=True):
        close(g, h)


def test_functional_gradients_are_checked_numerically():
    x = tf.keras.Input((3,), dtype="float64")
    h = L.Dense(4, activation="tanh", dtype="float64")(x)
    y = L.Dense(2, dtype="float64")(L.Concatenate()([h, x]))
    model = tf.keras.Model(x, y)
    check_gradients(lambda t: model(t), seq((2, 3)).astype(np.float64))


def test_nested_models_and_symbolic_errors():
    inner_in = tf.keras.Input((3,))
    inner = tf.keras.Model(inner_in, L.Dense(2, name="inner_dense")(inner_in), name="inner")
    x = tf.keras.Input((3,))
    outer = tf.keras.Model(x, L.Dense(1)(inner(x)))
    assert outer(seq((4, 3))).shape == (4, 1)
    assert [layer.name for layer in outer.layers][1] == "inner"
    assert len(outer.trainable_weights) == 4
    other = tf.keras.Input((3,))
    with pytest.raises(ValueError, match="Graph disconnected"):
        tf.keras.Model(x, L.Add()([x, other]))


@pytest.fixture
def terminal_80(monkeypatch):
    monkeypatch.setenv("COLUMNS", "80")          # summary() sizes its table to the terminal


def test_functional_summaries_match_keras(terminal_80):
    (a_in, b_in), (out1, out2) = two_output_model()
    model = tf.keras.Model([a_in, b_in], [out1, out2], name="two_out")
    lines = []
    model.summary(print_fn=lines.append)
    assert "\n".join(lines) + "\n" == R["functional_summary"]      # with "Connected to"
    cx = tf.keras.Input((5,), name="chain_in")
    chain = tf.keras.Model(cx, L.Dense(2, name="c2")(L.Dense(3, name="c1")(cx)), name="chain")
    lines = []
    chain.summary(print_fn=lines.append)
    assert "\n".join(lines) + "\n" == R["chain_summary"]


def test_sequential_summary_matches_keras_once_built(terminal_80):
    sm = tf.keras.Sequential([tf.keras.Input((3,)), L.Dense(4, activation="relu"),
                              L.BatchNormalization(), L.Dense(2)], name="seq_model")
    assert sm.built == R["sequential_built"]
    lines = []
    sm.summary(print_fn=lines.append)
    assert "\n".join(lines) + "\n" == R["sequential_summary"]
    lazy = tf.keras.Sequential([L.Dense(4), L.Dense(2)])
    assert not lazy.built
    lazy(seq((1, 3)))
    assert lazy.built and lazy.count_params() == 26
    lines = []
    lazy.summary(print_fn=lines.append)
    assert any("(1, 2)" in line for line in lines)


# -- weights --------------------------------------------------------------------------------------

def test_set_weights_errors_as_keras():
    dense = L.Dense(3, name="dense_err")
    dense(np.zeros((2, 4), np.float32))
    for key, weights in (("set_weights_count", [np.zeros((4, 3))]),
                         ("set_weights_shape", [np.zeros((4, 2)), np.zeros(3)])):
        with pytest.raises(ValueError) as e:
            dense.set_weights(weights)
        assert str(e.value) == R["errors"][key][1]


def test_save_and_load_weights(tmp_path):
    def make():
        return tf.keras.Sequential([tf.keras.Input((3,)), L.Dense(4), L.BatchNormalization(),
                                    L.Dense(2)])

    m = make()
    m(seq((5, 3)), training=True)
    path = tmp_path / "model.weights"
    m.save_weights(str(path))
    assert (tmp_path / "model.weights.npz").exists()
    m2 = make()
    m2.load_weights(str(path))
    for a, b in zip(m.get_weights(), m2.get_weights(), strict=True):
        np.testing.assert_array_equal(a, b)
    with pytest.raises(ValueError, match="npz"):
        m.save_weights(str(tmp_path / "m.weights.h5"))
    bad = tf.keras.Sequential([tf.keras.Input((3,)), L.Dense(5), L.BatchNormalization(),
                               L.Dense(2)])
    before = bad.get_weights()
    with pytest.raises(ValueError):
        bad.load_weights(str(path))
    for a, b in zip(before, bad.get_weights(), strict=True):
        np.testing.assert_array_equal(a, b)           # nothing changed


# -- initializers -----------------------------------------------------------------------------

@pytest.mark.parametrize("name", sorted(R["seeded_same_each_call"]))
def test_seeded_initializers_give_the_same_values_each_call(name):
    init = getattr(tf.keras.initializers, name)(seed=7)
    same = np.array_equal(init((3, 4)), init((3, 4)))
    assert same == R["seeded_same_each_call"][name]
    other = getattr(tf.keras.initializers, name)(seed=8)
    assert not np.array_equal(init((3, 4)), other((3, 4)))
    with pytest.raises(ValueError, match="seed"):
        getattr(tf.keras.initializers, name)(seed="x")


def test_initializer_distributions():
    u = tf.keras.initializers.RandomUniform(-0.5, 0.5, seed=1)((200, 50)).numpy()
    assert u.min() >= -0.5 and u.max() < 0.5 and abs(u.mean()) < 0.02
    t = tf.keras.initializers.TruncatedNormal(0.0, 1.0, seed=1)((200, 50)).numpy()
    assert np.abs(t).max() <= 2.0 and 0.8 < t.std() < 0.95
    g = tf.keras.initializers.GlorotUniform(seed=2)((30, 20)).numpy()
    assert np.abs(g).max() <= np.sqrt(6 / 50)
    assert tf.keras.initializers.get("truncated_normal").__class__.__name__ == "TruncatedNormal"
    config = {"class_name": "RandomNormal", "config": {"mean": 1.0, "stddev": 0.5, "seed": 3}}
    np.testing.assert_array_equal(tf.keras.initializers.get(config)((4,)),
                                  tf.keras.initializers.RandomNormal(1.0, 0.5, seed=3)((4,)))


def test_layer_outputs_make_sub_models():
    model = tf.keras.Sequential([tf.keras.Input((4,)), L.Dense(6, activation="relu", name="h"),
                                 L.Dense(2, name="o")])
    x = seq((3, 4))
    features = tf.keras.Model(model.inputs, model.get_layer("h").output)
    h = model.get_layer("h")
    close(features(x), np.maximum(x @ h.kernel.numpy() + h.bias.numpy(), 0))
    assert features.layers[1] is h and model.layers[0].input is model.inputs[0]
    with pytest.raises(AttributeError, match="never been called"):
        L.Dense(2).output

    class OwnOutput(L.Layer):
        def __init__(self):
            super().__init__()
            self.output = L.Dense(2)           # a subclass's own attribute of that name

        def call(self, x):
            return self.output(x)

    own = OwnOutput()
    assert own(seq((2, 3))).shape == (2, 2) and len(own.trainable_weights) == 2


@pytest.mark.parametrize("name", ["random_uniform_initializer", "random_normal_initializer"])
def test_top_level_seeded_initializers_repeat_as_tf(name):
    init = getattr(tf, name)(seed=3)
    same = np.array_equal(init((5,)), getattr(tf, name)(seed=3)((5,)))
    assert same == R["tf_initializers_seeded_same"][name]
    assert np.array_equal(init((5,)), init((5,)))
    unseeded = getattr(tf, name)()
    assert np.array_equal(unseeded((5,)), unseeded((5,))) == \
        R["tf_initializers_unseeded_same"][name]


class GradReverse(L.Layer):
    def __init__(self, lam=1.0, **kwargs):
        super().__init__(**kwargs)
        self.lam = lam

    def call(self, x):
        @tf.custom_gradient
        def reverse(v):
            def grad(dy):
                return -self.lam * dy
            return tf.identity(v), grad
        return reverse(x)


@pytest.mark.parametrize("compiled", [False, True])
def test_gradient_reversal_layer_in_a_two_output_functional_model(compiled):
    gx = tf.keras.Input((4,))
    feat = L.Dense(6, activation="relu", name="feat")(gx)
    label = L.Dense(2, name="label")(feat)
    domain = L.Dense(1, name="domain")(GradReverse(0.5)(feat))
    dann = tf.keras.Model(gx, [label, domain])
    for layer in dann.layers:
        if layer.weights:
            set_all(layer, 0.05 * len(layer.name))
    x = seq((8, 4), 0.77)
    y = (np.arange(8) % 2).astype(np.int32)
    d = (np.arange(8) // 4).astype(np.float32).reshape(8, 1)
    sce = tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True)
    bce = tf.keras.losses.BinaryCrossentropy(from_logits=True)
    opt = tf.keras.optimizers.SGD(0.1)

    def step(x, y, d):
        with tf.GradientTape() as tape:
            lo, do = dann(x, training=True)
            l1, l2 = sce(y, lo), bce(d, do)
            total = l1 + l2
        grads = tape.gradient(total, dann.trainable_variables)
        opt.apply_gradients(zip(grads, dann.trainable_variables))
        return l1, l2

    step = tf.function(step) if compiled else step
    history = [[float(v) for v in step(x, y, d)] for _ in range(3)]
    close(history, R["grl_history"])
    close(dann.get_layer("feat").kernel.numpy()[0], R["grl_feat_kernel_row0"])
    close(dann.get_layer("domain").kernel.numpy()[:, 0], R["grl_domain_kernel"])


def test_functional_model_losses_activity_regularizer_and_add_loss():
    ax = tf.keras.Input((3,))
    ah = L.Dense(4, activity_regularizer=lambda y: 0.1 * tf.reduce_sum(y * y), name="act")(ax)
    amodel = tf.keras.Model(ax, WithLoss(name="wl")(ah))
    for layer in amodel.layers:
        if layer.weights:
            set_all(layer, 0.07 * len(layer.name))
    assert amodel.losses[-1:] and len(amodel.losses) == 1      # only the weight penalty yet
    amodel(seq((5, 3), 0.33))
    close([float(v) for v in amodel.losses], R["functional_losses"])
    amodel(seq((2, 3), 0.51))                                    # cleared, then added again
    close([float(v) for v in amodel.losses], R["functional_losses_second_call"])


def test_subclassed_model_build_creates_the_weights():
    class Net(tf.keras.Model):
        def __init__(self):
            super().__init__()
            self.a = L.Dense(3)
            self.b = L.Dense(1)

        def call(self, x):
            return self.b(self.a(x))

    net = Net()
    net.build((None, 4))
    assert net.built and net.count_params() == 4 * 3 + 3 + 3 + 1
    x = seq((2, 4))
    close(net(x), x @ net.a.kernel.numpy() @ net.b.kernel.numpy())


def test_functional_inputs_by_name_and_a_one_element_list():
    # Keras 3: a dict is matched to the Inputs by name ([[0, 0, 1]] here); model([x]) works
    a, b = tf.keras.Input((2,), name="a_in"), tf.keras.Input((1,), name="b_in")
    m = tf.keras.Model([a, b], L.Concatenate()([a, b]))
    close(m({"b_in": np.ones((1, 1)), "a_in": np.zeros((1, 2))}), [[0.0, 0.0, 1.0]])
    with pytest.raises(ValueError, match="missing inputs"):
        m({"a_in": np.zeros((1, 2))})
    m1 = tf.keras.Model(a, L.Dense(1, kernel_initializer="ones")(a))
    close(m1([np.ones((1, 2))]), [[2.0]])
    with pytest.raises(ValueError, match="expects 2 input"):
        m([np.zeros((1, 2))])


def test_symbolic_calls_leave_no_losses_behind():
    class Outer(tf.keras.Model):
        def __init__(self):
            super().__init__()
            self.inner = WithLoss()

        def call(self, x):
            return self.inner(x)

    outer = Outer()
    outer.build((None, 4))
    assert len(outer.losses) == 1           # the kernel penalty only: no traced add_loss
    outer(seq((2, 4)))
    assert len(outer.losses) == 2 and all(hasattr(v, "numpy") for v in outer.losses)


def test_a_tf_function_on_a_keras_tensor_is_keras_valueerror():
    x = tf.keras.Input((3,))
    with pytest.raises(ValueError, match="A KerasTensor cannot be used as input to a TensorFlow"):
        tf.reduce_sum(x)
    with pytest.raises(ValueError, match="KerasTensor"):
        np.asarray(x)
    y = L.Lambda(lambda t: tf.reduce_sum(t, axis=1, keepdims=True))(x)   # the way to do it
    close(tf.keras.Model(x, y)(np.ones((2, 3), np.float32)), [[3.0], [3.0]])


def test_sequential_config_round_trip():
    m = tf.keras.Sequential([tf.keras.Input((3,)), L.Dense(4, activation="relu"),
                             L.Dropout(0.2), L.Dense(2)], name="config_model")
    config = m.get_config()
    assert config["layers"][0]["class_name"] == "InputLayer"
    again = tf.keras.Sequential.from_config(config)
    assert again.built and again.count_params() == m.count_params() == 26
    assert [x.name for x in again.layers] == [x.name for x in m.layers]
    again.set_weights(m.get_weights())
    x = seq((2, 3))
    close(again(x), m(x))
    with pytest.raises(ValueError, match="custom_objects"):
        tf.keras.Sequential.from_config({"layers": [{"class_name": "Nope", "config": {}}]})
    assert L.Dense(2, autocast=False).units == 2


def test_a_model_subclass_may_init_as_a_functional_model_as_in_keras_3():
    # Keras 3 (TF 2.21): super().__init__(inputs, outputs) in a subclass makes it a Functional
    # model that is still an instance of the subclass; its own `call` (if any) comes first
    class Mine(tf.keras.Model):
        def __init__(self):
            inp = tf.keras.Input((3,))
            super().__init__(inputs=inp, outputs=tf.keras.layers.Dense(2, name="d")(inp),
                             name="mine")
            self.note = "set after the functional init"

    class Doubled(tf.keras.Model):
        def __init__(self, width):
            inp = tf.keras.Input((3,))
            super().__init__(inp, tf.keras.layers.Dense(width, name="d")(inp))

        def call(self, inputs):
            return super().call(inputs) * 2.0

    w = np.arange(6, dtype=np.float32).reshape(3, 2)
    x = np.array([[1.0, 2.0, 3.0]], np.float32)
    mine = Mine()
    assert isinstance(mine, Mine) and type(mine).__name__ == "Mine" and mine.name == "mine"
    assert [layer.name for layer in mine.layers] == ["input_layer", "d"]
    mine.get_layer("d").set_weights([w, np.ones(2, np.float32)])
    np.testing.assert_allclose(mine(x).numpy(), x @ w + 1.0)
    assert mine.note == "set after the functional init" and len(mine.trainable_variables) == 2
    doubled = Doubled(2)
    doubled.get_layer("d").set_weights([w, np.zeros(2, np.float32)])
    np.testing.assert_allclose(doubled(x).numpy(), 2.0 * (x @ w))
    assert type(Doubled(2)) is type(doubled)            # one made class per subclass
    mine.compile(optimizer="sgd", loss="mse")
    y = np.zeros((1, 2), np.float32)
    loss = mine.train_on_batch(x, y)
    np.testing.assert_allclose(loss, np.mean((x @ w + 1.0) ** 2), rtol=1e-6)
