# The tf.losses family (TF1) on one batch: weights, label smoothing, reductions, the LOSSES
# collection and get_total_loss, and the gradients of the total loss w.r.t. the logits.
import json

import numpy as np
import tensorflow.compat.v1 as tf

tf.disable_eager_execution()

rng = np.random.RandomState(5)
logits_np = rng.randn(6, 4).astype(np.float32)
classes = np.array([0, 3, 1, 1, 2, 0])
onehot_np = np.eye(4, dtype=np.float32)[classes]
binary_np = (rng.rand(6, 4) > 0.5).astype(np.float32)
pred_np = rng.rand(6, 3).astype(np.float32)
target_np = rng.rand(6, 3).astype(np.float32)
weights_np = np.array([1.0, 0.5, 0.0, 2.0, 1.0, 1.0], np.float32)

logits = tf.Variable(logits_np, name="logits")
pred = tf.Variable(pred_np, name="pred")
onehot = tf.constant(onehot_np)
results = {
    "softmax": tf.losses.softmax_cross_entropy(onehot, logits),
    "softmax_smoothed": tf.losses.softmax_cross_entropy(onehot, logits, label_smoothing=0.1),
    "softmax_weighted": tf.losses.softmax_cross_entropy(onehot, logits, weights=weights_np),
    "sparse": tf.losses.sparse_softmax_cross_entropy(tf.constant(classes), logits),
    "sigmoid": tf.losses.sigmoid_cross_entropy(binary_np, logits),
    "sigmoid_smoothed": tf.losses.sigmoid_cross_entropy(binary_np, logits, label_smoothing=0.2),
    "mse": tf.losses.mean_squared_error(target_np, pred),
    "mse_weighted": tf.losses.mean_squared_error(target_np, pred, weights=weights_np[:, None]),
    "absolute": tf.losses.absolute_difference(target_np, pred),
    "huber": tf.losses.huber_loss(target_np, 3.0 * pred, delta=0.5),
    "log_loss": tf.losses.log_loss(target_np, pred),
    "hinge": tf.losses.hinge_loss(binary_np, logits),
    "mse_sum": tf.losses.mean_squared_error(
        target_np, pred, reduction=tf.losses.Reduction.SUM, loss_collection=None
    ),
    "mse_none": tf.losses.mean_squared_error(
        target_np, pred, reduction=tf.losses.Reduction.NONE, loss_collection=None
    ),
}
total = tf.losses.get_total_loss()
grad_logits, grad_pred = tf.gradients(total, [logits, pred])

print("num_collected:", json.dumps(len(tf.losses.get_losses())))
print("collection_equals_losses:", json.dumps(len(tf.get_collection(tf.GraphKeys.LOSSES))))
print("mse_none_shape:", json.dumps(results["mse_none"].shape.as_list()))
print("sparse_name:", json.dumps(results["sparse"].name))
with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    values = sess.run(results)
    for key in sorted(values):
        print(f"{key}:", json.dumps(np.asarray(values[key]).tolist()))
    t, gl, gp = sess.run([total, grad_logits, grad_pred])
    print("total:", json.dumps(float(t)))
    print("grad_logits:", json.dumps(gl.tolist()))
    print("grad_pred:", json.dumps(gp.tolist()))
