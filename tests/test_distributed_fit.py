"""Keras fit / evaluate / predict on 2 replicas (issue 23): the numbers of one process trained
on the same global batches, the user's gradients (custom_gradient, straight-through
estimators) surviving the all-reduce, and BackupAndRestore under a strategy.

One strategy (two replicas: this process and a Ray actor) serves the whole module."""
import json
import os

import numpy as np
import pytest

ray = pytest.importorskip("ray")

import janusgrad as tf  # noqa: E402
from janusgrad.estimators import sign_ste  # noqa: E402

RTOL = 1e-5
with open(os.path.join(os.path.dirname(__file__), "keras_distributed_fit_recorded.json")) as _f:
    KERAS = json.load(_f)           # TF 2.21 on 2 replicas (tools/record_keras_distributed_fit.py)
KERAS_PROBE = KERAS["probe"]


@pytest.fixture(scope="module")
def strategy():
    s = tf.distribute.MirroredStrategy(num_workers=2)
    yield s
    s.shutdown()


def _data(rows=48, features=5, seed=0):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(rows, features)).astype(np.float32)
    y = (x @ rng.normal(size=(features, 1)) > 0).astype(np.float32)
    return x, y


def _close(a, b):
    for u, v in zip(a, b, strict=True):
        np.testing.assert_allclose(u, v, rtol=RTOL, atol=1e-6)


def _classifier(strategy, eager):
    with strategy.scope():
        tf.random.set_seed(1)
        model = tf.keras.Sequential([
            tf.keras.Input((5,)),
            tf.keras.layers.Dense(8, activation="tanh",
                                  kernel_regularizer=tf.keras.regularizers.l2(0.01)),
            tf.keras.layers.Dense(1, activation="sigmoid")])
        model.compile(tf.keras.optimizers.Adam(0.05), loss="binary_crossentropy",
                      metrics=["accuracy"], run_eagerly=eager)
    return model


def test_a_model_records_the_strategy_of_its_scope(strategy):
    with strategy.scope():
        inside = tf.keras.Sequential([tf.keras.layers.Dense(1)])
    outside = tf.keras.Sequential([tf.keras.layers.Dense(1)])
    assert inside.distribute_strategy is strategy
    assert outside.distribute_strategy is tf.distribute.get_strategy()
    assert outside.distribute_strategy.num_replicas_in_sync == 1


@pytest.mark.parametrize("eager", [False, True], ids=["function", "eager"])
def test_fit_evaluate_predict_on_two_replicas_give_one_process_numbers(strategy, eager):
    x, y = _data()
    runs = []
    for s in (tf.distribute.get_strategy(), strategy):
        model = _classifier(s, eager)
        history = model.fit(x, y, batch_size=16, epochs=3, shuffle=False, verbose=0,
                            validation_data=(x[:16], y[:16]))
        runs.append((history.history, model.get_weights(),
                     model.evaluate(x, y, batch_size=16, verbose=0, return_dict=True),
                     model.predict(x, batch_size=16, verbose=0),
                     int(model.optimizer.iterations.numpy())))
    (h1, w1, e1, p1, n1), (h2, w2, e2, p2, n2) = runs
    assert sorted(h2) == sorted(h1) == ["accuracy", "loss", "val_accuracy", "val_loss"]
    for key in h1:
        np.testing.assert_allclose(h2[key], h1[key], rtol=RTOL)
    _close(w2, w1)
    assert sorted(e2) == sorted(e1)
    for key in e1:
        np.testing.assert_allclose(e2[key], e1[key], rtol=RTOL)
    assert p2.shape == p1.shape == (48, 1)
    np.testing.assert_allclose(p2, p1, rtol=RTOL, atol=1e-7)
    assert n1 == n2 == 9


def test_a_two_output_model_logs_each_output_loss_as_one_process(strategy):
    x, y = _data()
    runs = []
    for s in (tf.distribute.get_strategy(), strategy):
        with s.scope():
            tf.random.set_seed(2)
            inputs = tf.keras.Input((5,))
            hidden = tf.keras.layers.Dense(6, activation="relu")(inputs)
            a = tf.keras.layers.Dense(1, name="a")(hidden)
            b = tf.keras.layers.Dense(1, activation="sigmoid", name="b")(hidden)
            model = tf.keras.Model(inputs, [a, b])
            model.compile("adam", loss=["mse", "binary_crossentropy"], loss_weights=[0.5, 2.0],
                          metrics=[[], ["accuracy"]])
        history = model.fit(x, [x[:, :1], y], batch_size=16, epochs=2, shuffle=False,
                            verbose=0)
        runs.append((history.history, model.get_weights()))
    (h1, w1), (h2, w2) = runs
    assert sorted(h2) == sorted(h1) == ["accuracy", "binary_crossentropy_loss", "loss", "mse_loss"]
    for key in h1:
        np.testing.assert_allclose(h2[key], h1[key], rtol=RTOL)
    _close(w2, w1)



@pytest.mark.parametrize("eager", [False, True], ids=["function", "eager"])
def test_a_last_batch_smaller_than_the_replicas_gives_tfs_numbers(strategy, eager):
    # 5 rows in batches of 2: the last row goes to one replica, the other gets an empty batch;
    # TF's fit then counts that replica's loss as 0 (each replica's loss is scaled by 1/2)
    x = np.random.default_rng(0).normal(size=(5, 3)).astype("float32")
    y = np.random.default_rng(1).normal(size=(5, 1)).astype("float32")
    with strategy.scope():
        model = tf.keras.Sequential([tf.keras.Input((3,)),
                                     tf.keras.layers.Dense(1, kernel_initializer="ones")])
        model.compile(tf.keras.optimizers.SGD(0.1), loss="mse", metrics=["mae"],
                      run_eagerly=eager)
    history = model.fit(x, y, batch_size=2, epochs=2, shuffle=False, verbose=0)
    expected = KERAS["uneven"]
    for key in ("loss", "mae"):
        np.testing.assert_allclose(history.history[key], expected["history"][key], rtol=RTOL)
    _close(model.get_weights(), [np.array(w, np.float32) for w in expected["weights"]])
    np.testing.assert_allclose(model.evaluate(x, y, batch_size=2, verbose=0),
                               expected["evaluate"], rtol=RTOL)

def test_two_replica_sgd_steps_are_the_mean_gradient_over_the_global_batch(strategy):
    # computed independently: a linear model, MSE, SGD; each step uses the global batch's mean
    x, y = _data(rows=32, features=3, seed=2)
    with strategy.scope():
        model = tf.keras.Sequential([tf.keras.Input((3,)),
                                     tf.keras.layers.Dense(1, kernel_initializer="ones")])
        model.compile(tf.keras.optimizers.SGD(0.1), loss="mse")
    history = model.fit(x, y, batch_size=16, epochs=1, shuffle=False, verbose=0)
    w, b = np.ones((3, 1)), np.zeros(1)
    losses = []
    for i in range(0, 32, 16):
        xb, yb = x[i:i + 16].astype(np.float64), y[i:i + 16].astype(np.float64)
        err = xb @ w + b - yb
        losses.append(np.mean(err ** 2))
        w, b = w - 0.1 * 2 * xb.T @ err / 16, b - 0.1 * 2 * err.sum(0) / 16
    kernel, bias = model.get_weights()
    np.testing.assert_allclose(kernel, w, rtol=1e-5)
    np.testing.assert_allclose(bias, b, rtol=1e-5, atol=1e-7)
    np.testing.assert_allclose(history.history["loss"], [np.mean(losses)], rtol=1e-5)


class _Probe(tf.keras.Model):
    """A train_step that reports what each replica saw: its rows, its replica id, and the ratio
    of a Keras loss to the plain mean (1 / replicas under a strategy, as Keras 3 scales it)."""

    def __init__(self):
        super().__init__()
        self.dense = tf.keras.layers.Dense(1)

    def call(self, x):
        return self.dense(x)

    def train_step(self, data):
        x, y = data
        pred = self(x)
        keras_loss = tf.keras.losses.MeanSquaredError()(y, pred)
        plain = tf.reduce_mean(tf.square(y - pred))
        ctx = tf.distribute.get_replica_context()
        return {"rows": tf.cast(tf.shape(x)[0], tf.float32),
                "replica": tf.cast(ctx.replica_id_in_sync_group, tf.float32),
                "scale": keras_loss / plain}


def test_each_replica_runs_its_share_of_the_batch_and_logs_are_their_mean(strategy):
    x, y = _data(rows=32)
    with strategy.scope():
        model = _Probe()
        model.compile("sgd", loss="mse")
    seen = []
    record = tf.keras.callbacks.LambdaCallback(
        on_train_batch_end=lambda batch, logs: seen.append(dict(logs)))
    model.fit(x, y, batch_size=16, epochs=1, shuffle=False, verbose=0, callbacks=[record])
    assert len(seen) == len(KERAS_PROBE) == 2
    for logs, keras_logs in zip(seen, KERAS_PROBE):
        assert sorted(logs) == sorted(keras_logs)
        assert logs["rows"] == keras_logs["rows"] == 8.0    # 16 rows across 2 replicas
        assert logs["replica"] == keras_logs["replica"]     # the mean of replica ids 0, 1
        np.testing.assert_allclose(logs["scale"], keras_logs["scale"], rtol=1e-6)



def test_a_model_made_outside_trains_on_the_replicas_of_the_scope_fit_runs_in(strategy):
    # Keras 3's distribute_strategy: the model's own, else the current scope's
    x, y = _data(rows=32)
    model = _Probe()
    model.compile("sgd", loss="mse")
    seen = []
    record = tf.keras.callbacks.LambdaCallback(
        on_train_batch_end=lambda batch, logs: seen.append(logs["rows"]))
    with strategy.scope():
        assert model.distribute_strategy is strategy
        model.fit(x, y, batch_size=16, epochs=1, shuffle=False, verbose=0, callbacks=[record])
    model.fit(x, y, batch_size=16, epochs=1, shuffle=False, verbose=0, callbacks=[record])
    assert seen == [8.0, 8.0, 16.0, 16.0]

# -- the user's gradients survive the all-reduce ------------------------------------------

@tf.custom_gradient
def _reverse(x):
    """Gradient reversal (a domain-adversarial layer): identity forward, -0.5 * dy back."""
    def grad(dy):
        return -0.5 * dy
    return tf.identity(x), grad


class _Reversal(tf.keras.layers.Layer):
    def call(self, x):
        return _reverse(x)


class _Sign(tf.keras.layers.Layer):
    def call(self, x):
        return sign_ste(x)


def _controlled(strategy, reverse=True, eager=False):
    with strategy.scope():
        tf.random.set_seed(3)
        model = tf.keras.Sequential([
            tf.keras.Input((5,)), tf.keras.layers.Dense(6, activation="tanh"),
            _Reversal() if reverse else tf.keras.layers.Activation("linear"),
            tf.keras.layers.Dense(6), _Sign(), tf.keras.layers.Dense(1)])
        model.compile(tf.keras.optimizers.SGD(0.05), loss="mse", run_eagerly=eager)
    return model


def test_fit_keeps_custom_gradients_and_straight_through_estimators(strategy):
    x, y = _data(rows=32)
    weights = []
    for s, reverse in [(tf.distribute.get_strategy(), True), (strategy, True),
                       (tf.distribute.get_strategy(), False)]:
        model = _controlled(s, reverse)
        model.fit(x, y, batch_size=16, epochs=2, shuffle=False, verbose=0)
        weights.append(model.get_weights())
    one, two, plain = weights
    _close(two, one)
    # the reversal's gradient matters: without it the first layer trains otherwise
    assert not np.allclose(plain[0], one[0], rtol=1e-3)


@pytest.mark.parametrize("traced", [False, True], ids=["eager", "function"])
def test_a_custom_loop_keeps_custom_gradients_and_straight_through_estimators(strategy,
                                                                              traced):
    x, y = _data(rows=32)
    batches = [(x[i:i + 16], y[i:i + 16]) for i in range(0, 32, 16)]
    results = []
    for s in (tf.distribute.get_strategy(), strategy):
        model = _controlled(s)
        with s.scope():
            optimizer = tf.keras.optimizers.SGD(0.05)

        def step(xb, yb, model=model, optimizer=optimizer):
            with tf.GradientTape() as tape:
                per_example = tf.reduce_sum(tf.square(model(xb) - yb), axis=1)
                loss = tf.nn.compute_average_loss(per_example, global_batch_size=16)
            grads = tape.gradient(loss, model.trainable_variables)
            optimizer.apply_gradients(zip(grads, model.trainable_variables))
            return loss

        def distributed_step(batch, s=s, step=step):
            return s.reduce(tf.distribute.ReduceOp.SUM, s.run(step, args=batch), axis=None)

        if traced:
            distributed_step = tf.function(distributed_step)
        losses = [float(distributed_step(b))
                  for _ in range(2) for b in s.experimental_distribute_dataset(batches)]
        results.append((losses, model.get_weights()))
    (l1, w1), (l2, w2) = results
    np.testing.assert_allclose(l2, l1, rtol=RTOL)
    _close(w2, w1)


# -- BackupAndRestore under the strategy ------------------------------------------------------

class _StopAt(tf.keras.callbacks.Callback):
    def __init__(self, epoch):
        super().__init__()
        self.epoch = epoch

    def on_epoch_begin(self, epoch, logs=None):
        if epoch == self.epoch:
            raise RuntimeError("interrupted")


def test_backup_and_restore_resumes_on_every_replica(strategy, tmp_path):
    x, y = _data(rows=32)
    backup = str(tmp_path / "backup")

    def make():
        with strategy.scope():
            tf.random.set_seed(5)
            model = tf.keras.Sequential([tf.keras.Input((5,)),
                                         tf.keras.layers.Dense(4, activation="tanh"),
                                         tf.keras.layers.Dense(1)])
            model.compile(tf.keras.optimizers.Adam(0.05), loss="mse")
        return model

    reference = make()
    expected = reference.fit(x, y, batch_size=16, epochs=4, shuffle=False, verbose=0)
    model = make()
    with pytest.raises(RuntimeError, match="interrupted"):
        model.fit(x, y, batch_size=16, epochs=4, shuffle=False, verbose=0,
                  callbacks=[tf.keras.callbacks.BackupAndRestore(backup), _StopAt(2)])
    # more training moves this process and the replica past the backup; restoring it must
    # reach the replica too, or its gradients (and the weights) would differ
    model.fit(x, y, batch_size=16, epochs=1, shuffle=False, verbose=0)
    history = model.fit(x, y, batch_size=16, epochs=4, shuffle=False, verbose=0,
                        callbacks=[tf.keras.callbacks.BackupAndRestore(backup)])
    assert history.epoch == [2, 3]
    np.testing.assert_allclose(history.history["loss"], expected.history["loss"][2:],
                               rtol=RTOL)
    _close(model.get_weights(), reference.get_weights())
    assert int(model.optimizer.iterations.numpy()) == 8
    assert not (tmp_path / "backup").exists()
