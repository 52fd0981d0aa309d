# placeholder_with_default as TF1 code uses it: a keep-probability that is 1.0 unless fed (dropout
# at evaluation), a default batch that a feed replaces, and a training flag for tf.cond. Dropout's
# mask is random, so only what does not depend on it is printed: the kept entries are x / keep_prob.
import json

import numpy as np
import tensorflow.compat.v1 as tf

tf.disable_eager_execution()

data = np.arange(1.0, 201.0, dtype=np.float32).reshape(20, 10) / 100.0
keep_prob = tf.placeholder_with_default(1.0, shape=(), name="keep_prob")
batch = tf.placeholder_with_default(data[:2], shape=[None, 10], name="batch")
training = tf.placeholder_with_default(False, shape=[], name="training")

dropped = tf.nn.dropout(batch, keep_prob=keep_prob)
scale = tf.cond(training, lambda: tf.constant(2.0), lambda: tf.constant(1.0))
w = tf.Variable(np.linspace(-1.0, 1.0, 10, dtype=np.float32).reshape(10, 1))
out = tf.reduce_sum(tf.matmul(dropped, w) * scale)
grad_w = tf.gradients(out, w)[0]

print("keep_prob_op:", json.dumps(keep_prob.op.type))
print("batch_static_shape:", json.dumps(batch.shape.as_list()))
print("keep_prob_name:", json.dumps(keep_prob.name))
with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    print("default_out:", json.dumps(float(sess.run(out))))
    print("default_grad:", json.dumps(sess.run(grad_w).ravel().tolist()))
    print("fed_batch_out:", json.dumps(float(sess.run(out, {batch: data[5:9]}))))
    print("training_out:", json.dumps(float(sess.run(out, {training: True}))))
    d = sess.run(dropped, {batch: data, keep_prob: 0.5})
    kept = d != 0
    print("dropout_shape:", json.dumps(list(d.shape)))
    print("kept_are_scaled:", json.dumps(bool(np.allclose(d[kept], data[kept] / 0.5))))
    print("some_dropped:", json.dumps(bool(0 < kept.sum() < data.size)))
    print("no_dropout_by_default:", json.dumps(bool(np.array_equal(sess.run(dropped), data[:2]))))
    try:
        sess.run(out, {batch: np.ones((3, 4), np.float32)})
        bad = "no error"
    except ValueError:
        bad = "ValueError"
    print("bad_feed_shape:", json.dumps(bad))
