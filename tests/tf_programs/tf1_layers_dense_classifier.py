# A three-class classifier from tf.layers.dense (TF1), trained with AdamOptimizer on
# tf.losses.sparse_softmax_cross_entropy; the kernels start from NumPy arrays (constant_initializer)
# so that the numbers do not depend on TF's random streams.
# legacy-keras: tf.compat.v1.layers exists in TF 2.21 only with tf-keras (TF_USE_LEGACY_KERAS=1)
import json

import numpy as np
import tensorflow.compat.v1 as tf

tf.disable_eager_execution()

rng = np.random.RandomState(3)
centers = np.array([[2.0, 0.0], [-1.0, 1.7], [-1.0, -1.7]], np.float32)
labels_np = np.repeat(np.arange(3), 30).astype(np.int64)
features_np = (centers[labels_np] + 0.8 * rng.randn(90, 2)).astype(np.float32)
K1 = (0.5 * rng.randn(2, 16)).astype(np.float32)
K2 = (0.5 * rng.randn(16, 16)).astype(np.float32)
K3 = (0.5 * rng.randn(16, 3)).astype(np.float32)

features = tf.placeholder(tf.float32, [None, 2], name="features")
labels = tf.placeholder(tf.int64, [None], name="labels")
training = tf.placeholder_with_default(False, [], name="training")
net = tf.layers.dense(
    features, 16, activation=tf.nn.relu, name="fc1", kernel_initializer=tf.constant_initializer(K1)
)
net = tf.layers.dropout(net, rate=0.2, training=training)  # never fed here: dropout is off
net = tf.layers.dense(
    net,
    16,
    activation=tf.nn.tanh,
    name="fc2",
    kernel_initializer=tf.constant_initializer(K2),
    bias_initializer=tf.constant_initializer(0.05),
)
logits = tf.layers.dense(net, 3, name="logits", kernel_initializer=tf.constant_initializer(K3))
loss = tf.losses.sparse_softmax_cross_entropy(labels=labels, logits=logits)
predictions = tf.argmax(logits, axis=1)
accuracy = tf.reduce_mean(tf.cast(tf.equal(predictions, labels), tf.float32))
optimizer = tf.train.AdamOptimizer(learning_rate=0.01)
train_op = optimizer.minimize(loss)

print("logits_name:", json.dumps(logits.name))
print("trainable:", json.dumps([v.name for v in tf.trainable_variables()]))
print("global:", json.dumps(sorted(v.name for v in tf.global_variables())))
print("losses_collection:", json.dumps([t.name for t in tf.get_collection(tf.GraphKeys.LOSSES)]))

with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    feed = {features: features_np, labels: labels_np}
    history = []
    for step in range(40):
        _, loss_value, acc = sess.run([train_op, loss, accuracy], feed)
        if step % 5 == 0:
            history.append([float(loss_value), float(acc)])
    print("history:", json.dumps(history))
    final_loss, final_acc = sess.run([loss, accuracy], {features: features_np, labels: labels_np})
    print("final_loss:", json.dumps(float(final_loss)))
    print("final_accuracy:", json.dumps(float(final_acc)))
    probe = np.array([[2.0, 0.0], [-1.0, 1.5], [0.0, -2.0]], np.float32)
    print("probe_predictions:", json.dumps(sess.run(predictions, {features: probe}).tolist()))
    with tf.variable_scope("logits", reuse=True):
        bias = tf.get_variable("bias")
    print("logits_bias:", json.dumps(sess.run(bias).tolist()))
