"""Keras training scenarios run with a `tf` module: real TensorFlow 2.21 (Keras 3) by
tools/record_keras_training.py, whose output is tests/keras_training_recorded.json, and
janusgrad by tests/test_keras_training.py, which compares the two.

Each case takes `tf` and returns a JSON-able dict of floats / lists / strings. Weights are
set with set_weights from fixed NumPy values and shuffle is off, so both runs are the same
computation.
"""
import numpy as np

RNG = np.random.default_rng(20)
X = RNG.normal(size=(24, 3)).astype(np.float32)
YB = (X[:, 0] + X[:, 1] > 0).astype(np.float32)                 # binary labels, shape [n]
YS = (X[:, 0] > 0).astype(np.int32) + (X[:, 2] > 0.5).astype(np.int32)   # 3 classes
YD = (X[:, 1] > 0).astype(np.float32)                            # domain labels
SW = RNG.uniform(0.5, 2.0, size=24).astype(np.float32)
W1 = RNG.normal(scale=0.5, size=(3, 5)).astype(np.float32)
B1 = RNG.normal(scale=0.1, size=5).astype(np.float32)
W2 = RNG.normal(scale=0.5, size=(5, 1)).astype(np.float32)
W3 = RNG.normal(scale=0.5, size=(5, 3)).astype(np.float32)
P1 = RNG.uniform(0.05, 0.95, size=(6, 1)).astype(np.float32)    # predictions [n, 1]
T1 = (RNG.uniform(size=6) > 0.5).astype(np.float32)              # labels [n]
P3 = RNG.dirichlet(np.ones(3), size=6).astype(np.float32)
T3 = RNG.dirichlet(np.ones(3), size=6).astype(np.float32)
W6 = RNG.uniform(0.2, 1.5, size=6).astype(np.float32)


def _f(x):
    return np.asarray(x, np.float64).tolist()


def losses(tf):
    L = tf.keras.losses
    out = {}
    for name, loss in [("mse", L.MeanSquaredError()), ("mae", L.MeanAbsoluteError()),
                       ("bce", L.BinaryCrossentropy()), ("huber", L.Huber(delta=0.3)),
                       ("hinge", L.Hinge()), ("logcosh", L.LogCosh())]:
        out[name] = _f(loss(T1, P1))
        out[name + "_sw"] = _f(loss(T1, P1, sample_weight=W6))
    for red in ("sum", "none", "mean_with_sample_weight"):
        out["mse_" + red] = _f(L.MeanSquaredError(reduction=red)(T1, P1, sample_weight=W6))
    out["kld"] = _f(L.KLDivergence()(T3, P3))
    out["cosine"] = _f(L.CosineSimilarity()(T3, P3))
    out["cce_sw"] = _f(L.CategoricalCrossentropy()(T3, P3, sample_weight=W6))
    out["fn_mse"] = _f(L.mse(T1, P1))
    out["fn_bce"] = _f(L.binary_crossentropy(T1[:, None], P1))
    return out


def metrics(tf):
    M = tf.keras.metrics
    out = {}
    for name, metric, args in [
            ("binary", M.BinaryAccuracy(threshold=0.4), (T1, P1)),
            ("accuracy", M.Accuracy(), (np.arange(6), np.array([0, 1, 0, 3, 0, 5]))),
            ("sparse", M.SparseCategoricalAccuracy(), (np.argmax(T3, 1), P3)),
            ("sparse_col", M.SparseCategoricalAccuracy(), (np.argmax(T3, 1)[:, None], P3)),
            ("categorical", M.CategoricalAccuracy(), (np.eye(3)[np.argmax(T3, 1)], P3)),
            ("mse", M.MeanSquaredError(), (T1, P1))]:
        metric.update_state(*args)
        first = _f(metric.result())
        metric.update_state(*args, sample_weight=W6)
        out[name] = [first, _f(metric.result())]
        metric.reset_state()
        out[name + "_reset"] = _f(metric.result())
    mean = M.Mean()
    mean.update_state([1.0, 2.0, 6.0])
    mean.update_state(np.array([[1.0, 3.0], [5.0, 7.0]]), sample_weight=[0.5, 2.0])
    out["mean"] = _f(mean.result())
    total = M.Sum()
    total.update_state([1.0, 2.0, 6.0], sample_weight=[1.0, 0.0, 2.0])
    out["sum"] = _f(total.result())
    out["fn_sparse"] = _f(M.sparse_categorical_accuracy(np.argmax(T3, 1), P3))
    out["fn_binary"] = _f(M.binary_accuracy(T1, P1))
    return out


def _binary_model(tf):
    model = tf.keras.Sequential([tf.keras.Input(shape=(3,)),
                                 tf.keras.layers.Dense(5, activation="tanh"),
                                 tf.keras.layers.Dense(1, activation="sigmoid")])
    model.layers[0].set_weights([W1, B1])
    model.layers[1].set_weights([W2, np.zeros(1, np.float32)])
    return model


def _history(history):
    return {k: _f(v) for k, v in sorted(history.history.items())}


def fit_binary(tf):
    """Labels [n] against sigmoid outputs [n, 1]: the rank matching decides the loss."""
    model = _binary_model(tf)
    model.compile(optimizer=tf.keras.optimizers.SGD(learning_rate=0.2, momentum=0.5),
                  loss="binary_crossentropy", metrics=["accuracy", "mse"])
    history = model.fit(X[:18], YB[:18], batch_size=5, epochs=3, shuffle=False, verbose=0,
                        validation_data=(X[18:], YB[18:]))
    return {"history": _history(history),
            "evaluate": _f(model.evaluate(X, YB, batch_size=7, verbose=0)),
            "evaluate_dict": {k: _f(v) for k, v in sorted(
                model.evaluate(X, YB, verbose=0, return_dict=True).items())},
            "predict": _f(model.predict(X[:5], batch_size=2, verbose=0))}


def fit_sparse_weighted(tf):
    """Softmax over 3 classes, 'adam', sample_weight, validation_split, *_on_batch."""
    model = tf.keras.Sequential([tf.keras.Input(shape=(3,)),
                                 tf.keras.layers.Dense(5, activation="relu"),
                                 tf.keras.layers.Dense(3, activation="softmax")])
    model.layers[0].set_weights([W1, B1])
    model.layers[1].set_weights([W3, np.zeros(3, np.float32)])
    model.compile(optimizer="adam", loss="crossentropy", metrics=["acc"])
    history = model.fit(X, YS, batch_size=6, epochs=3, shuffle=False, verbose=0,
                        sample_weight=SW, validation_split=0.25)
    out = {"history": _history(history),
           "class_weight_on_batch": _f(model.train_on_batch(X[:8], YS[:8],
                                                            class_weight={0: 0.5, 2: 3.0})),
           "train_on_batch": _f(model.train_on_batch(X[:8], YS[:8])),
           "test_on_batch": _f(model.test_on_batch(X[:8], YS[:8])),
           "predict_on_batch": _f(model.predict_on_batch(X[:2]))}
    model.compile(optimizer="adam", loss="categorical_crossentropy", metrics=["acc"])
    out["class_weight_fit"] = _history(model.fit(X, np.eye(3, dtype=np.float32)[YS],
                                                 batch_size=12, epochs=1, shuffle=False,
                                                 verbose=0, class_weight={1: 2.0}))
    return out


def callbacks(tf):
    """EarlyStopping (patience, restore_best_weights) and LearningRateScheduler."""
    out = {}
    model = _binary_model(tf)
    model.compile(optimizer=tf.keras.optimizers.SGD(learning_rate=3.0), loss="mse")
    stop = tf.keras.callbacks.EarlyStopping(monitor="val_loss", patience=1,
                                            restore_best_weights=True)
    history = model.fit(X[:18], YB[:18], batch_size=6, epochs=20, shuffle=False, verbose=0,
                        validation_data=(X[18:], YB[18:]), callbacks=[stop])
    out["early_history"] = _history(history)
    out["early_stopped_epoch"] = stop.stopped_epoch
    out["early_best_epoch"] = stop.best_epoch
    out["early_weights_after"] = _f(model.layers[1].get_weights()[0])

    model = _binary_model(tf)
    model.compile(optimizer=tf.keras.optimizers.SGD(learning_rate=0.5), loss="mse")
    seen = []
    sched = tf.keras.callbacks.LearningRateScheduler(lambda epoch, lr: lr * 0.5)
    record = tf.keras.callbacks.LambdaCallback(
        on_epoch_begin=lambda epoch, logs: seen.append(
            float(np.asarray(model.optimizer.learning_rate))))
    history = model.fit(X, YB, batch_size=8, epochs=3, shuffle=False, verbose=0,
                        callbacks=[sched, record])
    out["sched_history"] = _history(history)
    out["sched_seen"] = seen
    return out


def _reversal_model(tf):
    @tf.custom_gradient
    def reverse(x):
        def grad(dy):
            return -0.7 * dy
        return tf.identity(x), grad

    class GradientReversal(tf.keras.layers.Layer):
        def call(self, x):
            return reverse(x)

    class DANN(tf.keras.Model):
        def __init__(self):
            super().__init__()
            self.features = tf.keras.layers.Dense(5, activation="tanh")
            self.label = tf.keras.layers.Dense(3)
            self.reversal = GradientReversal()
            self.domain = tf.keras.layers.Dense(1)

        def call(self, x):
            h = self.features(x)
            return [self.label(h), self.domain(self.reversal(h))]

    model = DANN()
    model(X[:2])
    model.features.set_weights([W1, B1])
    model.label.set_weights([W3, np.zeros(3, np.float32)])
    model.domain.set_weights([W2, np.zeros(1, np.float32)])
    return model


def gradient_reversal(tf):
    """Two outputs (label, domain) with a list of losses and loss_weights, trained with fit."""
    model = _reversal_model(tf)
    model.compile(optimizer=tf.keras.optimizers.SGD(learning_rate=0.1),
                  loss=[tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True),
                        tf.keras.losses.BinaryCrossentropy(from_logits=True)],
                  loss_weights=[1.0, 0.5])
    history = model.fit(X, [YS, YD], batch_size=8, epochs=4, shuffle=False, verbose=0)
    return {"history": _history(history),
            "features_kernel": _f(model.features.get_weights()[0]),
            "evaluate": _f(model.evaluate(X, [YS, YD], verbose=0))}


def per_output_loss_means(tf):
    """Uneven batches (8, 8, 4): Keras 3's per-output loss means count each batch once in its
    traced step (the batch size is None there) but weigh it by its size with run_eagerly."""
    out = {}
    for eager in (False, True):
        model = _reversal_model(tf)
        model.compile(optimizer=tf.keras.optimizers.SGD(learning_rate=0.1), run_eagerly=eager,
                      loss=[tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True),
                            tf.keras.losses.BinaryCrossentropy(from_logits=True)])
        history = model.fit(X[:20], [YS[:20], YD[:20]], batch_size=8, epochs=2, shuffle=False,
                            verbose=0)
        out["eager" if eager else "traced"] = _history(history)
    return out


def custom_train_step(tf):
    """An overridden train_step using compute_loss, optimizer and metrics (Keras 3's guide)."""
    class Custom(tf.keras.Sequential):
        def train_step(self, data):
            x, y = data
            with tf.GradientTape() as tape:
                y_pred = self(x, training=True)
                loss = self.compute_loss(y=y, y_pred=y_pred)
            grads = tape.gradient(loss, self.trainable_variables)
            # a doubled gradient: plainly not the default step
            self.optimizer.apply_gradients(zip([2.0 * g for g in grads],
                                               self.trainable_variables))
            for metric in self.metrics:
                if metric.name == "loss":
                    metric.update_state(loss)
                else:
                    metric.update_state(y, y_pred)
            return {m.name: m.result() for m in self.metrics}

    model = Custom([tf.keras.Input(shape=(3,)), tf.keras.layers.Dense(5, activation="tanh"),
                    tf.keras.layers.Dense(1, activation="sigmoid")])
    model.layers[0].set_weights([W1, B1])
    model.layers[1].set_weights([W2, np.zeros(1, np.float32)])
    model.compile(optimizer=tf.keras.optimizers.SGD(learning_rate=0.1),
                  loss="binary_crossentropy", metrics=["accuracy"])
    history = model.fit(X, YB, batch_size=8, epochs=3, shuffle=False, verbose=0)
    return {"history": _history(history)}


def metric_names(tf):
    """Two unnamed outputs with the same metric (numbered), and 'accuracy' on one-hot labels
    (categorical accuracy)."""
    model = _reversal_model(tf)
    model.compile(optimizer="sgd",
                  loss=[tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True),
                        tf.keras.losses.BinaryCrossentropy(from_logits=True)],
                  metrics=[["accuracy"], ["accuracy", "mse"]])
    logs = model.evaluate(X, [YS, YD], verbose=0, return_dict=True)
    values = model.evaluate(X, [YS, YD], verbose=0)
    onehot = tf.keras.Sequential([tf.keras.Input(shape=(3,)),
                                  tf.keras.layers.Dense(3, activation="softmax")])
    onehot.layers[0].set_weights([W1[:, :3], np.zeros(3, np.float32)])
    onehot.compile(loss="categorical_crossentropy", metrics=["accuracy"])
    return {"two_outputs": {k: _f(v) for k, v in sorted(logs.items())},
            "two_outputs_list": _f(values),
            "metrics_names": model.metrics_names,
            "categorical": {k: _f(v) for k, v in sorted(onehot.evaluate(
                X, np.eye(3, dtype=np.float32)[YS], verbose=0, return_dict=True).items())}}


def rmsprop(tf):
    """compile()'s default optimizer is 'rmsprop'; RMSprop with momentum, centered."""
    out = {}
    for key, opt in [("default", None),
                     ("centered", tf.keras.optimizers.RMSprop(0.01, rho=0.8, momentum=0.5,
                                                              centered=True))]:
        model = _binary_model(tf)
        if opt is None:
            model.compile(loss="mse")
        else:
            model.compile(optimizer=opt, loss="mse")
        out[key] = _history(model.fit(X, YB, batch_size=8, epochs=3, shuffle=False,
                                      verbose=0))
        out[key + "_kernel"] = _f(model.layers[1].get_weights()[0])
    return out


CASES = {f.__name__: f for f in (losses, metrics, fit_binary, fit_sparse_weighted, callbacks,
                                  gradient_reversal, custom_train_step, rmsprop,
                                  metric_names, per_output_loss_means)}
