"""Model.compile/fit/evaluate/predict, callbacks and metrics: the behaviours beyond the
numbers recorded from Keras 3 (tests/test_keras_training.py): tracing, eager mode, progress
output, bad input, ModelCheckpoint, TerminateOnNaN, gradients of the new losses."""
import re

import numpy as np
import pytest

import janusgrad as tf
from janusgrad.check import check_gradients

RNG = np.random.default_rng(7)
X = RNG.normal(size=(20, 3)).astype(np.float32)
Y = (X[:, 0] > 0).astype(np.float32)


class Counting(tf.keras.Model):
    """One Dense layer; counts the Python calls of `call` (one per trace when traced)."""

    def __init__(self):
        super().__init__()
        self.dense = tf.keras.layers.Dense(1, activation="sigmoid",
                                           kernel_initializer="ones")
        self.calls = 0

    def call(self, x):
        self.calls += 1
        return self.dense(x)


def _model(run_eagerly=False, **compile_kwargs):
    model = Counting()
    kwargs = dict(optimizer=tf.keras.optimizers.SGD(0.1), loss="binary_crossentropy",
                  metrics=["accuracy"])
    kwargs.update(compile_kwargs)
    model.compile(run_eagerly=run_eagerly, **kwargs)
    return model


def test_the_step_is_traced_once_per_input_signature():
    model = _model()
    model.fit(X[:16], Y[:16], batch_size=8, epochs=3, shuffle=False, verbose=0)
    assert model.calls == 1            # 6 steps, one signature: one trace
    model.fit(X, Y, batch_size=8, epochs=2, shuffle=False, verbose=0)
    assert model.calls == 2            # the last batch of 4 is a second signature


def test_run_eagerly_gives_the_traced_results():
    traced, eager = _model(), _model(run_eagerly=True)
    h1 = traced.fit(X, Y, batch_size=6, epochs=2, shuffle=False, verbose=0)
    h2 = eager.fit(X, Y, batch_size=6, epochs=2, shuffle=False, verbose=0)
    assert eager.calls == 8            # every step runs the Python code
    for key in ("loss", "accuracy"):
        np.testing.assert_allclose(h1.history[key], h2.history[key], rtol=1e-6)
    np.testing.assert_allclose(traced.predict(X, verbose=0), eager.predict(X, verbose=0),
                               rtol=1e-6)


def test_loss_is_the_weighted_mean_of_numpy_bce():
    model = _model(metrics=None)
    model.dense.build(tf.TensorShape([None, 3]))
    w = np.array([[0.5], [-1.0], [0.25]], np.float32)
    model.dense.set_weights([w, np.zeros(1, np.float32)])
    p = np.clip(1 / (1 + np.exp(-(X @ w)[:, 0])), 1e-7, 1 - 1e-7)
    bce = -(Y * np.log(p) + (1 - Y) * np.log(1 - p))
    sw = np.linspace(0.5, 2.0, 20)
    got = model.evaluate(X, Y, sample_weight=sw, batch_size=20, verbose=0)
    np.testing.assert_allclose(got, np.mean(bce * sw), rtol=1e-5)


def test_verbose_output(capsys):
    model = _model()
    model.fit(X, Y, batch_size=10, epochs=2, shuffle=False, verbose=2)
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "Epoch 1/2" and lines[2] == "Epoch 2/2"
    assert re.match(r"2/2 - \d+s - \d+m?s/step - accuracy: \d\.\d{4} - loss: \d\.\d{4}$",
                    lines[1]), lines[1]
    assert model.metrics_names == ["loss", "compile_metrics"]      # as Keras 3
    assert [m.name for m in model.metrics[1].metrics] == ["accuracy"]
    model.fit(X, Y, batch_size=10, epochs=1, verbose=0)
    model.evaluate(X, Y, verbose=0)
    model.predict(X, verbose=0)
    assert capsys.readouterr().out == ""
    model.fit(X, Y, batch_size=10, epochs=1, verbose=1)
    out = capsys.readouterr().out
    assert "2/2 \u2501\u2501\u2501" in out and out.endswith("\n") and "Epoch" not in out
    assert out.count("\n") == 1 and out.count("2/2") == 1      # the bar ends once


def test_several_inputs_and_a_dict_of_outputs():
    class TwoInTwoOut(tf.keras.Model):
        def __init__(self):
            super().__init__()
            self.a = tf.keras.layers.Dense(1, kernel_initializer="ones")
            self.b = tf.keras.layers.Dense(2, kernel_initializer="zeros")

        def call(self, inputs):
            left, right = inputs
            return {"reg": self.a(left), "cls": self.b(right)}

    model = TwoInTwoOut()
    model.compile(optimizer="sgd", metrics={"cls": ["accuracy"]},
                  loss={"reg": "mse",
                        "cls": tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True)},
                  loss_weights={"reg": 0.0, "cls": 1.0})
    labels = (X[:, 1] > 0).astype(np.int32)
    logs = model.evaluate([X, X[:, :2]], {"reg": Y, "cls": labels}, verbose=0,
                          return_dict=True)
    # zero logits: log(2) for the classes, weight 0 for the regression
    np.testing.assert_allclose(logs["loss"], np.log(2.0), rtol=1e-6)
    np.testing.assert_allclose(logs["cls_loss"], np.log(2.0), rtol=1e-6)
    np.testing.assert_allclose(logs["reg_loss"], np.mean((X.sum(1) - Y) ** 2), rtol=1e-5)
    np.testing.assert_allclose(logs["cls_accuracy"], np.mean(labels == 0))
    # Keras 3's names and order (checked with TF 2.21): per-output losses in the loss
    # dict's order, a named output's metric prefixed
    assert model.metrics_names == ["loss", "compile_metrics", "reg_loss", "cls_loss"]
    values = model.evaluate([X, X[:, :2]], {"reg": Y, "cls": labels}, verbose=0)
    np.testing.assert_allclose(values, [logs["loss"], logs["reg_loss"], logs["cls_loss"],
                                        logs["cls_accuracy"]])
    out = model.predict([X, X[:, :2]], batch_size=7, verbose=0)
    assert sorted(out) == ["cls", "reg"] and out["reg"].shape == (20, 1)
    np.testing.assert_allclose(out["reg"][:, 0], X.sum(1), rtol=1e-6)


def test_model_losses_are_added():
    class WithLosses(Counting):
        @property
        def losses(self):          # what add_loss / regularizers give (the layers' area)
            return [tf.constant(0.25), tf.constant([0.5, 0.25])]

    plain = _model(metrics=None).evaluate(X, Y, verbose=0)
    model = WithLosses()
    model.compile(optimizer="sgd", loss="binary_crossentropy")
    np.testing.assert_allclose(model.evaluate(X, Y, verbose=0), plain + 1.0, rtol=1e-6)


def test_bad_input_is_a_clear_error():
    model = Counting()
    with pytest.raises(ValueError, match="compile"):
        model.fit(X, Y, verbose=0)
    model = _model()

    class FakeDataset:
        element_spec = None

    with pytest.raises(NotImplementedError, match=r"fit\(x=...\).*tf.data Datasets"):
        model.fit(FakeDataset(), verbose=0)
    with pytest.raises(ValueError, match="Data cardinality is ambiguous"):
        model.fit(X, Y[:5], verbose=0)
    with pytest.raises(ValueError, match="not sufficient to split"):
        model.fit(X[:1], Y[:1], validation_split=0.5, verbose=0)
    with pytest.raises(ValueError, match="Could not interpret loss identifier"):
        _model(loss="no_such_loss").fit(X, Y, verbose=0)
    with pytest.raises(ValueError, match="Could not interpret optimizer identifier"):
        _model(optimizer="no_such_optimizer")
    with pytest.raises(ValueError, match="Could not interpret metric identifier"):
        _model(metrics=["no_such_metric"]).fit(X, Y, verbose=0)
    with pytest.raises(ValueError, match="Expected `metrics` argument to be a list"):
        _model(metrics="accuracy")
    with pytest.raises(AttributeError, match="callbacks: expected keras.callbacks.Callback"):
        model.fit(X, Y, callbacks=[print], verbose=0)
    with pytest.raises(ValueError, match="cannot `class_weight` and `sample_weight`"):
        model.fit(X, Y, sample_weight=Y, class_weight={0: 2.0}, verbose=0)
    with pytest.raises(ValueError, match="Invalid value for argument `reduction`"):
        tf.keras.losses.MeanSquaredError(reduction="avg")
    # the function does not rank-match (Keras 3 raises too); the Loss class does
    with pytest.raises(ValueError, match="must have the same rank"):
        tf.keras.losses.binary_crossentropy(Y, Y[:, None])


def test_model_checkpoint_calls_save_weights(tmp_path):
    saved = []

    class Saving(Counting):
        def save_weights(self, filepath, overwrite=True):
            saved.append((filepath, float(self.dense.kernel.numpy()[0, 0])))

    model = Saving()
    model.compile(optimizer=tf.keras.optimizers.SGD(0.5), loss="mse")
    path = str(tmp_path / "w-{epoch:02d}-{loss:.3f}.weights")
    every = tf.keras.callbacks.ModelCheckpoint(path, save_weights_only=True, monitor="loss")
    model.fit(X, Y, epochs=2, verbose=0, callbacks=[every])
    assert [re.sub(r"-\d\.\d{3}", "-L", p) for p, _ in saved] == \
        [str(tmp_path / "w-01-L.weights"), str(tmp_path / "w-02-L.weights")]
    saved.clear()
    best = tf.keras.callbacks.ModelCheckpoint(str(tmp_path / "best"), save_weights_only=True,
                                              monitor="loss", save_best_only=True)
    losses = []
    record = tf.keras.callbacks.LambdaCallback(
        on_epoch_end=lambda epoch, logs: losses.append(logs["loss"]))
    model.compile(optimizer=tf.keras.optimizers.SGD(40.0), loss="mse")   # it diverges
    model.fit(X, Y, epochs=4, verbose=0, callbacks=[best, record])
    improved = [i for i in range(4) if losses[i] == min(losses[:i + 1])]
    assert len(saved) == len(improved) >= 1
    with pytest.raises(NotImplementedError, match="save_weights_only=True"):
        tf.keras.callbacks.ModelCheckpoint(str(tmp_path / "m.keras"))


def test_terminate_on_nan_and_stop_training():
    model = _model()
    bad = X.copy()
    bad[0, 0] = np.nan
    history = model.fit(bad, Y, batch_size=5, epochs=3, shuffle=False, verbose=0,
                        callbacks=[tf.keras.callbacks.TerminateOnNaN()])
    assert len(history.history["loss"]) == 1 and np.isnan(history.history["loss"][0])

    class StopAfterTwo(tf.keras.callbacks.Callback):
        def on_epoch_end(self, epoch, logs=None):
            self.model.stop_training = epoch == 1

    history = _model().fit(X, Y, epochs=5, verbose=0, callbacks=[StopAfterTwo()])
    assert history.epoch == [0, 1]


def test_callback_hooks_in_order():
    events = []

    class Log(tf.keras.callbacks.Callback):
        def __getattribute__(self, name):
            if name.startswith("on_"):
                return lambda *args, **kw: events.append(name)
            return super().__getattribute__(name)

    model = _model()
    model.fit(X, Y, batch_size=10, epochs=1, verbose=0, validation_data=(X, Y),
              callbacks=[Log()])
    assert events == ["on_train_begin", "on_epoch_begin",
                      "on_train_batch_begin", "on_train_batch_end",
                      "on_train_batch_begin", "on_train_batch_end",
                      "on_test_begin", "on_test_batch_begin", "on_test_batch_end",
                      "on_test_batch_begin", "on_test_batch_end", "on_test_end",
                      "on_epoch_end", "on_train_end"]


def test_early_stopping_auto_mode():
    model = _model()
    stop = tf.keras.callbacks.EarlyStopping(monitor="accuracy", patience=0)
    stop.set_model(model)
    model.fit(X, Y, epochs=1, verbose=0)
    stop._set_monitor_op()
    assert stop.monitor_op is np.greater           # accuracy is maximized
    unknown = tf.keras.callbacks.EarlyStopping(monitor="something")
    unknown.set_model(model)
    with pytest.raises(ValueError, match="isn't able to automatically determine"):
        unknown.on_epoch_end(0, {"something": 1.0})


def test_metrics_update_inside_a_traced_function():
    metric = tf.keras.metrics.SparseCategoricalAccuracy()

    @tf.function
    def step(y, p):
        metric.update_state(y, p)
        return metric.result()

    p = np.array([[0.1, 0.9], [0.8, 0.2], [0.3, 0.7]], np.float32)
    assert float(step(np.array([1, 1, 1]), p)) == pytest.approx(2 / 3)
    assert float(step(np.array([0, 0, 1]), p)) == pytest.approx(4 / 6)
    metric.reset_state()
    assert float(metric.result()) == 0.0


@pytest.mark.parametrize("name", ["huber", "hinge", "kl_divergence", "cosine_similarity",
                                  "log_cosh"])
def test_gradients_of_the_new_losses(name):
    fn = getattr(tf.keras.losses, name)
    y_true = RNG.uniform(0.1, 0.9, size=(4, 3))
    if name == "hinge":
        y_true = np.sign(RNG.normal(size=(4, 3)))
    y_pred = RNG.uniform(0.1, 0.9, size=(4, 3))
    check_gradients(lambda p: fn(tf.constant(y_true), p), y_pred)


def test_new_losses_against_numpy():
    t = RNG.uniform(0.1, 0.9, size=(4, 3))
    p = RNG.uniform(0.1, 0.9, size=(4, 3))
    e = p - t
    np.testing.assert_allclose(tf.keras.losses.huber(t, p, delta=0.2),
                               np.mean(np.where(abs(e) <= 0.2, 0.5 * e * e,
                                                0.2 * abs(e) - 0.02), -1), rtol=1e-6)
    np.testing.assert_allclose(tf.keras.losses.log_cosh(t, p),
                               np.mean(np.log(np.cosh(e)), -1), rtol=1e-6)
    np.testing.assert_allclose(tf.keras.losses.kl_divergence(t, p),
                               np.sum(t * np.log(t / p), -1), rtol=1e-6)
    cos = -np.sum(t * p, -1) / np.linalg.norm(t, axis=-1) / np.linalg.norm(p, axis=-1)
    np.testing.assert_allclose(tf.keras.losses.cosine_similarity(t, p), cos, rtol=1e-6)
    labels = (t > 0.5).astype(np.float64)        # 0/1 labels become -1/1
    np.testing.assert_allclose(tf.keras.losses.hinge(labels, p),
                               np.mean(np.maximum(1 - (2 * labels - 1) * p, 0), -1),
                               rtol=1e-6)


def test_overridden_test_step_and_own_metrics():
    class Custom(Counting):
        def __init__(self):
            super().__init__()
            self.gap = tf.keras.metrics.Mean(name="gap")

        def test_step(self, data):
            x, y = data
            y_pred = self(x)
            self.gap.update_state(tf.abs(y_pred[:, 0] - y))
            return {"gap": self.gap.result()}

    model = Custom()
    model.compile(optimizer="sgd", loss="mse")
    assert model.metrics_names == ["loss", "gap"]        # no compile_metrics without metrics
    p = 1 / (1 + np.exp(-X.sum(1)))
    got = model.evaluate(X, Y, batch_size=6, verbose=0, return_dict=True)
    assert sorted(got) == ["gap"]
    np.testing.assert_allclose(got["gap"], np.mean(abs(p - Y)), rtol=1e-5)


def test_tensors_as_data_give_the_arrays_results():
    model = _model()
    arrays = model.evaluate(X, Y, verbose=0)
    tensors = model.evaluate(tf.constant(X), tf.constant(Y), verbose=0)
    np.testing.assert_allclose(tensors, arrays)
    np.testing.assert_allclose(model.predict(tf.constant(X), verbose=0),
                               model.predict(X, verbose=0))


def test_a_user_metric_subclass():
    class CountPositives(tf.keras.metrics.Metric):
        def __init__(self, name="positives", **kwargs):
            super().__init__(name=name, **kwargs)
            self.seen = self.add_variable(shape=(), initializer="ones", name="seen")

        def update_state(self, y_true, y_pred, sample_weight=None):
            self.seen.assign_add(tf.reduce_sum(tf.cast(y_pred > 0.5, "float32")))

        def result(self):
            return tf.identity(self.seen)

    model = _model(metrics=[CountPositives()])
    p = 1 / (1 + np.exp(-X.sum(1)))
    # as TF 2.21: the first evaluate starts from the initializer's 1 (the compiled metrics
    # are built in the first step, after the reset); the next one from zeros
    assert model.evaluate(X, Y, verbose=0, return_dict=True)["positives"] == \
        1 + np.sum(p > 0.5)
    assert model.evaluate(X, Y, verbose=0, return_dict=True)["positives"] == np.sum(p > 0.5)


def test_a_user_loss_subclass_gets_floats():
    class Squared(tf.keras.losses.Loss):
        def __init__(self, scale):
            super().__init__("squared")           # Keras 3's Loss(name, reduction, dtype)
            self.scale = scale

        def call(self, y_true, y_pred):
            return self.scale * tf.reduce_mean(tf.square(y_true - y_pred), axis=-1)

    loss = Squared(3.0)
    assert loss.name == "squared" and loss.reduction == "sum_over_batch_size"
    labels = (X[:, :1] > 0).astype(np.int32)                 # integer labels, as Keras
    model = _model(loss=loss, metrics=None)
    p = 1 / (1 + np.exp(-X.sum(1, keepdims=True)))
    np.testing.assert_allclose(model.evaluate(X, labels, verbose=0),
                               3.0 * np.mean((labels - p) ** 2), rtol=1e-5)


def test_initial_epoch_and_the_history():
    seen = []
    model = _model()
    history = model.fit(X, Y, epochs=3, initial_epoch=1, verbose=0, callbacks=[
        tf.keras.callbacks.LambdaCallback(on_epoch_begin=lambda e, logs: seen.append(e))])
    assert seen == [1, 2] and history.epoch == [1, 2] and model.history is history
    assert history.params["epochs"] == 3 and history.model is model
