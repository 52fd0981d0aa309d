# A small CNN from tf.layers (conv2d, batch_normalization, max_pooling2d, flatten, dense) with the
# moving statistics updated through GraphKeys.UPDATE_OPS under control_dependencies, and an
# is_training switch made with placeholder_with_default, as TF1 image models were written.
# legacy-keras: tf.compat.v1.layers exists in TF 2.21 only with tf-keras (TF_USE_LEGACY_KERAS=1)
import json

import numpy as np
import tensorflow.compat.v1 as tf

tf.disable_eager_execution()

rng = np.random.RandomState(4)
images_np = rng.rand(16, 8, 8, 1).astype(np.float32)
images_np[8:, 2:6, 2:6, 0] += 1.0  # class 1: a bright square in the middle
labels_np = np.array([0] * 8 + [1] * 8, np.int32)
CONV = (0.3 * rng.randn(3, 3, 1, 4)).astype(np.float32)
DENSE = (0.1 * rng.randn(4 * 4 * 4, 2)).astype(np.float32)

images = tf.placeholder(tf.float32, [None, 8, 8, 1], name="images")
labels = tf.placeholder(tf.int32, [None], name="labels")
is_training = tf.placeholder_with_default(False, shape=(), name="is_training")

net = tf.layers.conv2d(
    images,
    filters=4,
    kernel_size=3,
    padding="same",
    use_bias=False,
    kernel_initializer=tf.constant_initializer(CONV),
    name="conv1",
)
net = tf.layers.batch_normalization(net, momentum=0.9, training=is_training, name="bn1")
net = tf.nn.relu(net)
net = tf.layers.max_pooling2d(net, pool_size=2, strides=2, name="pool1")
net = tf.layers.flatten(net, name="flat")
logits = tf.layers.dense(net, 2, kernel_initializer=tf.constant_initializer(DENSE), name="out")
loss = tf.losses.sparse_softmax_cross_entropy(labels, logits)

update_ops = tf.get_collection(tf.GraphKeys.UPDATE_OPS)
with tf.control_dependencies(update_ops):
    train_op = tf.train.MomentumOptimizer(0.05, momentum=0.5).minimize(loss)

print("num_update_ops:", json.dumps(len(update_ops)))
print("pool_shape:", json.dumps(net.shape.as_list()))
print("trainable:", json.dumps([v.name for v in tf.trainable_variables()]))
print("bn_variables:", json.dumps([v.name for v in tf.global_variables(scope="bn1")]))

with tf.variable_scope("bn1", reuse=True):
    moving_mean = tf.get_variable("moving_mean")
    moving_variance = tf.get_variable("moving_variance")

feed = {images: images_np, labels: labels_np}
with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    print("inference_loss_before:", json.dumps(float(sess.run(loss, feed))))
    history = []
    for _ in range(15):
        _, loss_value = sess.run([train_op, loss], {**feed, is_training: True})
        history.append(float(loss_value))
    print("training_losses:", json.dumps(history))
    print("moving_mean:", json.dumps(sess.run(moving_mean).tolist()))
    print("moving_variance:", json.dumps(sess.run(moving_variance).tolist()))
    print("inference_loss_after:", json.dumps(float(sess.run(loss, feed))))
    print("train_mode_loss_after:", json.dumps(float(sess.run(loss, {**feed, is_training: True}))))
    print("moving_mean_unchanged_by_loss:", json.dumps(sess.run(moving_mean).tolist()))
