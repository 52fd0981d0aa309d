"""tf.Module (janusgrad/compat/module.py): the scenarios of tests/module_cases.py give what real
TF 2.21 gave (tests/tf_module_expected.json, recorded by tools/record_tf_module.py); gradients,
checkpoints and the mirror are checked against values computed here with NumPy."""
import json
import os

import numpy as np
import pytest

import janusgrad as tf
from tests.module_cases import SCENARIOS

EXPECTED = json.load(open(os.path.join(os.path.dirname(__file__), "tf_module_expected.json"),
                          encoding="utf-8"))["results"]


@pytest.mark.parametrize("name", sorted(SCENARIOS))
def test_as_tf(name):
    assert set(EXPECTED) == set(SCENARIOS)
    assert json.loads(json.dumps(SCENARIOS[name](tf))) == EXPECTED[name]


def test_exports_and_mirror():
    import janusgrad.compat.tf_python.module.module as mirror
    assert tf.Module is mirror.Module
    assert mirror.camel_to_snake("MyHTTPModule") == "my_http_module"
    assert not issubclass(tf.keras.layers.Layer, tf.Module)      # as TF 2.21 (Keras 3)
    with pytest.raises(AttributeError, match="janusgrad"):
        mirror.no_such_name  # noqa: B018


def test_name_must_be_a_string():
    with pytest.raises(TypeError):
        tf.Module(name=3)


def test_name_and_name_scope_are_read_only():
    m = tf.Module(name="m")
    with pytest.raises(AttributeError):
        m.name = "other"
    assert m.name_scope is m.name_scope          # one scope object, entered again and again
    with m.name_scope as a, m.name_scope as b:
        v = tf.Variable(1.0, name="v")
    assert a == b == "m/" and v.name == "m/v:0"
    assert tf.Variable(1.0, name="v").name == "v:0"      # the scope is left


def _mlp(seed):
    rng = np.random.default_rng(seed)

    class Dense(tf.Module):
        def __init__(self, n_in, n_out, name=None):
            super().__init__(name=name)
            with self.name_scope:
                self.w = tf.Variable(rng.normal(size=(n_in, n_out)).astype(np.float32), name="w")
                self.b = tf.Variable(rng.normal(size=(n_out,)).astype(np.float32), name="b")

        def __call__(self, x):
            return tf.matmul(x, self.w) + self.b

    class MLP(tf.Module):
        def __init__(self):
            super().__init__()
            self.hidden = Dense(3, 4)
            self.out = Dense(4, 1)
            self.steps = tf.Variable(0, trainable=False)

        def __call__(self, x):
            return self.out(tf.tanh(self.hidden(x)))
    return MLP()


def _numpy_grads(model, x):
    """d mean(f(x)^2) / d (hidden.b, hidden.w, out.b, out.w), written out with NumPy."""
    w1, b1 = model.hidden.w.numpy(), model.hidden.b.numpy()
    w2, b2 = model.out.w.numpy(), model.out.b.numpy()
    h = np.tanh(x @ w1 + b1)
    y = h @ w2 + b2
    dy = 2 * y / y.size
    dw2, db2 = h.T @ dy, dy.sum(0)
    dz = (dy @ w2.T) * (1 - h * h)
    return [dz.sum(0), x.T @ dz, db2, dw2]


@pytest.mark.parametrize("graph", [False, True], ids=["eager", "function"])
def test_gradients_through_trainable_variables(graph):
    model = _mlp(0)
    x = np.random.default_rng(1).normal(size=(5, 3)).astype(np.float32)

    def loss_grads(x):
        with tf.GradientTape() as tape:
            loss = tf.reduce_mean(tf.square(model(x)))
        return tape.gradient(loss, model.trainable_variables)
    if graph:
        loss_grads = tf.function(loss_grads)
    assert [v.name for v in model.trainable_variables] == ["dense/b:0", "dense/w:0"] * 2
    assert [v.name for v in model.non_trainable_variables] == ["Variable:0"]
    grads = loss_grads(tf.constant(x))
    for g, want in zip(grads, _numpy_grads(model, x.astype(np.float64))):
        np.testing.assert_allclose(g.numpy(), want, rtol=1e-4, atol=1e-6)


def test_checkpoint_saves_and_restores_a_module(tmp_path):
    model = _mlp(2)
    model.extra = [tf.Module(name="in_list")]
    model.extra[0].v = tf.Variable([1.0, 2.0])
    model.table = {"k": _mlp(3)}
    saved = [v.numpy().copy() for v in model.variables]
    ckpt = tf.train.Checkpoint(model=model)
    path = ckpt.save(str(tmp_path / "m"))
    keys = {name for name, _ in tf.train.list_variables(path)}
    assert {"model/hidden/w", "model/out/b", "model/steps", "model/extra/0/v",
            "model/table/k/hidden/w"} <= keys
    for v in model.variables:
        v.assign(tf.zeros_like(v))
    ckpt.restore(path).assert_consumed()
    for v, want in zip(model.variables, saved):
        np.testing.assert_array_equal(v.numpy(), want)

    fresh = _mlp(4)                             # another object with the same attributes
    fresh.extra = [tf.Module(name="in_list")]
    fresh.extra[0].v = tf.Variable([0.0, 0.0])
    fresh.table = {"k": _mlp(5)}
    tf.train.Checkpoint(model=fresh).restore(path)
    for v, want in zip(fresh.variables, saved):
        np.testing.assert_array_equal(v.numpy(), want)


def test_with_name_scope_in_a_graph():
    class M(tf.Module):
        @tf.Module.with_name_scope
        def build(self):
            return tf.constant(1.0, name="c"), tf.Variable(1.0, name="v")

    g = tf.Graph()
    with g.as_default():
        m = M()
        c, v = m.build()
        c2, _ = m.build()
    assert (c.name, v.name, c2.name) == ("m/c:0", "m/v:0", "m/c_1:0")
