"""TF1 layers, losses and regularizers as TF1 programs use them: the cases of
tests/test_tf1_layers_losses.py, whose expected results tools/record_tf1_layers.py records from
real TensorFlow 2.21 (tf-keras, TF_USE_LEGACY_KERAS=1) into tests/data/tf1_layers_losses.json.

Each case is a function of `tf` (tensorflow.compat.v1, or janusgrad.compat.v1) that builds a
graph in a fresh tf.Graph, runs it and returns JSON values: names, shapes, numbers, or
"raises <builtin class>" for a call that must fail. Inputs come from fixed NumPy arrays, the
variables from constant initializers, so nothing depends on TF's random streams. This module
imports neither TF nor janusgrad.
"""
import numpy as np

R = np.random.RandomState(11)
X2 = R.randn(5, 3).astype(np.float32)
X4 = R.randn(2, 6, 6, 3).astype(np.float32)
X3 = R.randn(2, 7, 3).astype(np.float32)
K_DENSE = R.randn(3, 4).astype(np.float32)
B_DENSE = R.randn(4).astype(np.float32)
K_CONV = R.randn(3, 3, 3, 2).astype(np.float32)
K_CONV1 = R.randn(3, 3, 2).astype(np.float32)
K_DECONV = R.randn(3, 3, 2, 3).astype(np.float32)
LOGITS = R.randn(6, 4).astype(np.float32)
CLASSES = np.array([0, 3, 1, 1, 2, 0], np.int64)
ONEHOT = np.eye(4, dtype=np.float32)[CLASSES]
BINARY = (R.rand(6, 4) > 0.5).astype(np.float32)
PRED = R.rand(6, 3).astype(np.float32)
TARGET = R.rand(6, 3).astype(np.float32)
W_BATCH = np.array([1.0, 0.5, 0.0, 2.0, 1.0, 1.0], np.float32)
W_FULL = R.rand(6, 3).astype(np.float32) * (R.rand(6, 3) > 0.3)
OUT_W = R.randn(2, 6, 6, 3).astype(np.float32)    # fixed weights of the BN gradient's loss


def tolist(value):
    return np.asarray(value).tolist()


def raises(fn):
    """'raises <nearest builtin class>' for the exception fn raises, else 'no error'."""
    try:
        fn()
    except Exception as e:          # noqa: BLE001 - the class is the record
        for cls in type(e).__mro__:
            if cls.__module__ == "builtins":
                return f"raises {cls.__name__}"
    return "no error"


def names(variables):
    return [v.name for v in variables]


def in_graph(tf, build):
    """build(tf) in a fresh graph; its dict's tensors are run in a session."""
    with tf.Graph().as_default():
        out, fetch = build(tf)
        if fetch:
            with tf.Session() as sess:
                sess.run(tf.global_variables_initializer())
                values = sess.run(fetch)
            out.update({k: tolist(v) for k, v in values.items()})
        return out


# -- layers: names, scopes, collections ----------------------------------------------------------

def dense_names(tf):
    def build(tf):
        x = tf.placeholder(tf.float32, [None, 3], name="x")
        a = tf.layers.dense(x, 4)
        b = tf.layers.dense(x, 4)
        c = tf.layers.dense(x, 2, name="fc", use_bias=False)
        with tf.variable_scope("outer"):
            d = tf.layers.dense(x, 2, activation=tf.nn.relu)
        with tf.variable_scope("shared"):
            tf.layers.dense(x, 2, name="d")
        with tf.variable_scope("shared", reuse=True):
            tf.layers.dense(x, 2, name="d")
        tf.layers.dense(x, 2, name="fc2")
        tf.layers.dense(x, 2, name="fc2", reuse=True)
        layer = tf.layers.Dense(3, name="cls")
        layer(x)
        layer(x)
        unnamed = tf.layers.Dense(3)
        unnamed(x)
        return {
            "outputs": [t.name for t in (a, b, c, d)],
            "global": names(tf.global_variables()),
            "trainable": names(tf.trainable_variables()),
            "layer_variables": names(layer.trainable_variables),
            "layer_scope": layer.scope_name,
            "unnamed_variables": names(unnamed.variables),
            "output_shape": a.shape.as_list(),
        }, None
    return in_graph(tf, build)


def dense_values(tf):
    def build(tf):
        x = tf.constant(X2)
        y = tf.layers.dense(x, 4, activation=tf.nn.tanh,
                            kernel_initializer=tf.constant_initializer(K_DENSE),
                            bias_initializer=tf.constant_initializer(B_DENSE),
                            kernel_regularizer=tf.keras.regularizers.l2(0.01),
                            bias_regularizer=tf.keras.regularizers.l1(0.1))
        z = tf.layers.dense(x, 4, use_bias=False, trainable=False,
                            kernel_initializer=tf.constant_initializer(K_DENSE))
        regs = tf.get_collection(tf.GraphKeys.REGULARIZATION_LOSSES)
        grad_x, grad_k = tf.gradients(tf.reduce_sum(y * y) + tf.losses.get_regularization_loss(),
                                      [x, tf.trainable_variables()[0]])
        return {
            "num_regularization_losses": len(regs),
            "regularization_scopes": [t.name.split("/Regularizer/")[0] for t in regs],
            "trainable": names(tf.trainable_variables()),
            "global": names(tf.global_variables()),
        }, {"y": y, "z": z, "regs": regs, "total_reg": tf.losses.get_regularization_loss(),
            "grad_x": grad_x, "grad_k": grad_k}
    return in_graph(tf, build)


def conv_pool_values(tf):
    def build(tf):
        x = tf.constant(X4)
        init = tf.constant_initializer(K_CONV)
        same = tf.layers.conv2d(x, 2, 3, padding="same", kernel_initializer=init,
                                bias_initializer=tf.constant_initializer(0.5))
        valid = tf.layers.conv2d(x, 2, (3, 3), strides=2, kernel_initializer=init,
                                 activation=tf.nn.relu, name="strided")
        maxp = tf.layers.max_pooling2d(x, 2, 2)
        maxp_same = tf.layers.max_pooling2d(x, (3, 3), (2, 2), padding="same")
        avgp = tf.layers.average_pooling2d(x, 3, 2, padding="same")
        flat = tf.layers.flatten(x)
        flat_first = tf.layers.flatten(x, data_format="channels_first")
        c1 = tf.layers.conv1d(tf.constant(X3), 2, 3, padding="same",
                              kernel_initializer=tf.constant_initializer(K_CONV1))
        p1 = tf.layers.max_pooling1d(tf.constant(X3), 2, 2)
        a1 = tf.layers.average_pooling1d(tf.constant(X3), 3, 1)
        deconv = tf.layers.conv2d_transpose(same, 3, 3, strides=2, padding="same",
                                            kernel_initializer=tf.constant_initializer(K_DECONV))
        grads = tf.gradients(tf.reduce_sum(valid * valid) + tf.reduce_sum(deconv), [x])
        shapes = {k: t.shape.as_list() for k, t in (("same", same), ("valid", valid),
                                                    ("maxp", maxp), ("maxp_same", maxp_same),
                                                    ("avgp", avgp), ("flat", flat), ("c1", c1),
                                                    ("p1", p1), ("a1", a1),
                                                    ("deconv", deconv))}
        return {"shapes": shapes, "global": names(tf.global_variables())}, {
            "same": same, "valid": valid, "maxp": maxp, "maxp_same": maxp_same, "avgp": avgp,
            "flat_first": flat_first, "c1": c1, "p1": p1, "a1": a1, "deconv": deconv,
            "grad_x": grads[0]}
    return in_graph(tf, build)


def dropout_off(tf):
    def build(tf):
        x = tf.constant(X2)
        training = tf.placeholder_with_default(False, [])
        return {}, {"default": tf.layers.dropout(x, 0.5),
                    "false": tf.layers.dropout(x, rate=0.9, training=False),
                    "tensor_false": tf.layers.dropout(x, rate=0.9, training=training)}
    return in_graph(tf, build)


# -- batch normalization -------------------------------------------------------------------------

def batch_norm_train(tf, inputs, **kwargs):
    """One training step of batch_normalization's update ops; outputs, moving statistics,
    gradients of a fixed loss."""
    def build(tf):
        x = tf.constant(inputs)
        y = tf.layers.batch_normalization(x, training=True, momentum=0.8, epsilon=0.01,
                                          beta_initializer=tf.constant_initializer(0.3),
                                          gamma_initializer=tf.constant_initializer(1.5),
                                          name="bn", **kwargs)
        updates = tf.get_collection(tf.GraphKeys.UPDATE_OPS)
        weights = OUT_W if inputs.shape == OUT_W.shape else \
            np.linspace(-1, 1, inputs.size, dtype=np.float32).reshape(inputs.shape)
        grad_sources = [x] + tf.trainable_variables()
        grads = tf.gradients(tf.reduce_sum(y * weights), grad_sources)
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            y_value, grad_values, _ = sess.run([y, grads, updates])
            moving = sess.run([v for v in tf.global_variables() if "moving" in v.name])
        return {"num_updates": len(updates), "global": names(tf.global_variables()),
                "trainable": names(tf.trainable_variables()), "y": tolist(y_value),
                "grads": [tolist(g) for g in grad_values],
                "moving": [tolist(m) for m in moving]}, None
    return in_graph(tf, build)


def batch_norm_dense(tf):
    return batch_norm_train(tf, X2)


def batch_norm_image(tf):
    return batch_norm_train(tf, X4)


def batch_norm_axis1(tf):
    return batch_norm_train(tf, X4, axis=1)


def batch_norm_no_center_scale(tf):
    def build(tf):
        x = tf.constant(X2)
        y = tf.layers.batch_normalization(x, center=False, scale=False, training=True)
        return {"global": names(tf.global_variables()),
                "trainable": names(tf.trainable_variables())}, {"y": y}
    return in_graph(tf, build)


def batch_norm_switch(tf):
    """A bool placeholder: False uses (and keeps) the moving statistics; True updates them;
    inference and a second layer's names."""
    def build(tf):
        training = tf.placeholder_with_default(False, [], name="training")
        x = tf.constant(X4)
        y = tf.layers.batch_normalization(x, training=training, momentum=0.5)
        z = tf.layers.batch_normalization(y, trainable=False)
        updates = tf.get_collection(tf.GraphKeys.UPDATE_OPS)
        moving = [v for v in tf.global_variables() if "moving" in v.name]
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            off = sess.run([y] + updates)[0]
            after_off = sess.run(moving)
            sess.run(updates, {training: True})
            after_on = sess.run(moving)
            inference = sess.run(z)
        return {"num_updates": len(updates), "global": names(tf.global_variables()),
                "trainable": names(tf.trainable_variables()), "off": tolist(off),
                "after_off": [tolist(m) for m in after_off],
                "after_on": [tolist(m) for m in after_on], "inference": tolist(inference)}, None
    return in_graph(tf, build)


# -- losses ----------------------------------------------------------------------------------

def loss_values(tf):
    def build(tf):
        logits = tf.constant(LOGITS)
        pred = tf.constant(PRED)
        Red = tf.losses.Reduction
        out = {
            "softmax": tf.losses.softmax_cross_entropy(ONEHOT, logits),
            "softmax_smooth_w": tf.losses.softmax_cross_entropy(
                ONEHOT, logits, weights=W_BATCH, label_smoothing=0.2),
            "sparse_col_w": tf.losses.sparse_softmax_cross_entropy(
                CLASSES[:, None], logits, weights=W_BATCH[:, None]),
            "sparse_int32": tf.losses.sparse_softmax_cross_entropy(CLASSES.astype(np.int32),
                                                                   logits, weights=2.0),
            "sigmoid_w": tf.losses.sigmoid_cross_entropy(BINARY, logits,
                                                         weights=W_BATCH[:, None]),
            "mse_full": tf.losses.mean_squared_error(TARGET, pred, weights=W_FULL),
            "absolute_w": tf.losses.absolute_difference(TARGET, pred, weights=W_BATCH[:, None]),
            "huber_d2": tf.losses.huber_loss(TARGET, 4.0 * pred, delta=2.0),
            "log_loss_eps": tf.losses.log_loss(TARGET, pred, epsilon=1e-3),
            "hinge_w": tf.losses.hinge_loss(BINARY, logits, weights=W_BATCH[:, None]),
            "cosine": tf.losses.cosine_distance(tf.nn.l2_normalize(TARGET, 1),
                                                tf.nn.l2_normalize(pred, 1), axis=1),
            "zero_weights": tf.losses.mean_squared_error(TARGET, pred, weights=0.0),
            "zero_weight_tensor": tf.losses.mean_squared_error(
                TARGET, pred, weights=np.zeros(6, np.float32)[:, None]),
        }
        for key in ("NONE", "SUM", "MEAN", "SUM_OVER_BATCH_SIZE", "SUM_BY_NONZERO_WEIGHTS"):
            out["mse_" + key] = tf.losses.mean_squared_error(
                TARGET, pred, weights=W_BATCH[:, None], reduction=getattr(Red, key),
                loss_collection=None)
            out["weighted_" + key] = tf.losses.compute_weighted_loss(
                TARGET, weights=W_FULL, reduction=getattr(Red, key), loss_collection=None)
        total = tf.losses.get_total_loss()
        grads = tf.gradients(total, [logits, pred])
        meta = {"names": {k: v.name for k, v in out.items()},
                "shapes": {k: v.shape.as_list() for k, v in out.items()},
                "collected": len(tf.losses.get_losses()),
                "reduction_values": [Red.NONE, Red.SUM, Red.MEAN, Red.SUM_OVER_BATCH_SIZE,
                                     Red.SUM_BY_NONZERO_WEIGHTS, Red.SUM_OVER_NONZERO_WEIGHTS],
                "total_name": total.name}
        return meta, {**out, "total": total, "grad_logits": grads[0], "grad_pred": grads[1]}
    return in_graph(tf, build)


def loss_dtypes(tf):
    def build(tf):
        logits = tf.constant(LOGITS.astype(np.float64))
        out = {"softmax64": tf.losses.softmax_cross_entropy(ONEHOT, logits),
               "sigmoid64": tf.losses.sigmoid_cross_entropy(BINARY, logits),
               "mse64": tf.losses.mean_squared_error(TARGET.astype(np.float64),
                                                     PRED.astype(np.float64))}
        return {"dtypes": {k: v.dtype.name for k, v in out.items()}}, out
    return in_graph(tf, build)


def loss_errors(tf):
    def build(tf):
        p = tf.constant(PRED)
        return {
            "shape_mismatch": raises(lambda: tf.losses.mean_squared_error(TARGET[:, :2], p)),
            "bad_reduction": raises(lambda: tf.losses.mean_squared_error(TARGET, p,
                                                                         reduction="mean")),
            "weights_rank": raises(lambda: tf.losses.mean_squared_error(
                TARGET, p, weights=np.ones((6, 3, 2), np.float32))),
            "weights_dim": raises(lambda: tf.losses.mean_squared_error(
                TARGET, p, weights=np.ones((2, 3), np.float32))),
            "labels_none": raises(lambda: tf.losses.mean_squared_error(None, p)),
            "cosine_no_axis": raises(lambda: tf.losses.cosine_distance(TARGET, p)),
            "total_no_losses": raises(lambda: tf.losses.get_total_loss()),
            "no_regularization": None,
        }, {"no_regularization": tf.losses.get_regularization_loss()}
    return in_graph(tf, build)


def layer_errors(tf):
    def build(tf):
        unknown = tf.placeholder(tf.float32, [None, None])
        return {
            "dense_unknown_last": raises(lambda: tf.layers.dense(unknown, 2)),
            "conv_rank": raises(lambda: tf.layers.conv2d(tf.constant(X2), 2, 3)),
            "conv_padding": raises(lambda: tf.layers.conv2d(tf.constant(X4), 2, 3,
                                                            padding="full")),
            "pool_size": raises(lambda: tf.layers.max_pooling2d(tf.constant(X4), (2, 2, 2), 1)),
            "dropout_rate": raises(lambda: tf.layers.dropout(tf.constant(X2), rate=1.5)),
            "shared_missing": raises(lambda: tf.layers.dense(tf.constant(X2), 2, name="nope",
                                                             reuse=True)),
        }, None
    return in_graph(tf, build)


# -- regularizers (tf.keras.regularizers: Keras 3 in TF 2.21; the same numbers in tf-keras) ----

def regularizer_values(regularizers, x):
    """Penalties and configs of tf.keras.regularizers (the module is passed in: Keras 3's)."""
    r = regularizers
    return {
        "l2": float(r.l2(0.01)(x)), "l1": float(r.l1(0.1)(x)),
        "l1_l2": float(r.l1_l2(l1=0.02, l2=0.03)(x)), "L2_default": float(r.L2()(x)),
        "L1_default": float(r.L1()(x)), "L1L2_default": float(r.L1L2()(x)),
        "get_l2": type(r.get("l2")).__name__, "get_none": r.get(None),
        "config": r.L1L2(l1=0.5, l2=0.25).get_config(),
        "negative": raises(lambda: r.l2(-1.0)), "unknown": raises(lambda: r.get("l3")),
    }


def subclassed_layer(tf):
    """A user's tf.layers.Layer: weights by add_weight in build, its scope from the class
    name; AUTO_REUSE shares a function layer's variables."""
    class ScaleShift(tf.layers.Layer):
        def build(self, input_shape):
            self.w = self.add_weight("w", [int(input_shape[-1])],
                                     initializer=tf.constant_initializer(2.0))
            self.b = self.add_weight("b", [], initializer=tf.zeros_initializer(),
                                     trainable=False)
            super().build(input_shape)

        def call(self, inputs):
            return inputs * self.w + self.b

    def build(tf):
        x = tf.constant(X2)
        layer = ScaleShift()
        y = layer(x)
        for _ in range(2):
            with tf.variable_scope("tower", reuse=tf.AUTO_REUSE):
                tf.layers.dense(x, 2, name="head")
        return {"global": names(tf.global_variables()),
                "trainable": names(tf.trainable_variables()),
                "layer_trainable": names(layer.trainable_weights),
                "layer_non_trainable": names(layer.non_trainable_weights)}, {"y": y}
    return in_graph(tf, build)


def variables_ignore_control_dependencies(tf):
    """minimize under control_dependencies(UPDATE_OPS) (TF1's batch-norm idiom): the slots'
    initializers do not run the updates, so initializing needs no feed."""
    def build(tf):
        x = tf.placeholder(tf.float32, [None, 3])
        y = tf.layers.batch_normalization(x, training=True)
        with tf.control_dependencies(tf.get_collection(tf.GraphKeys.UPDATE_OPS)):
            tf.train.MomentumOptimizer(0.1, 0.9).minimize(tf.reduce_sum(y * y))
            late = tf.Variable(np.float32(2.0), name="late")
        with tf.Session() as sess:
            sess.run(tf.global_variables_initializer())
            value = sess.run(late)
        return {"late": float(value), "global": names(tf.global_variables())}, None
    return in_graph(tf, build)


def eager_layers(tf):
    """Executing eagerly: outputs at once, batch normalization's moving statistics updated by
    the call, no collections."""
    dense = tf.layers.Dense(4, kernel_initializer=tf.constant_initializer(K_DENSE),
                            bias_initializer=tf.constant_initializer(B_DENSE))
    y = dense(X2)
    bn = tf.layers.BatchNormalization(momentum=0.5)
    z = bn(X4, training=True)
    loss = tf.losses.mean_squared_error(TARGET, PRED, weights=W_BATCH[:, None])
    return {"y": tolist(y), "z": tolist(z), "dense_variables": len(dense.variables),
            "moving": [tolist(bn.moving_mean), tolist(bn.moving_variance)],
            "loss": float(loss), "losses_collected": len(tf.losses.get_losses()),
            "update_ops": len(tf.get_collection(tf.GraphKeys.UPDATE_OPS))}


CASES = [dense_names, dense_values, conv_pool_values, dropout_off, batch_norm_dense,
         batch_norm_image, batch_norm_axis1, batch_norm_no_center_scale, batch_norm_switch,
         loss_values, loss_dtypes, loss_errors, layer_errors,
         variables_ignore_control_dependencies, subclassed_layer]
