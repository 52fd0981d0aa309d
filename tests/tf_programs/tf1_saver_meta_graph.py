# The TF1 deployment pattern: save a trained graph with its MetaGraph, then in a new graph
# import_meta_graph, find tensors and ops by name and through a collection, and continue.
import json
import os
import shutil
import tempfile

import numpy as np
import tensorflow.compat.v1 as tf

tf.disable_eager_execution()

rng = np.random.RandomState(7)
X = rng.randn(20, 2).astype(np.float32)
Y = (np.sin(X[:, :1]) + X[:, 1:] ** 2).astype(np.float32)
W = (0.5 * rng.randn(2, 1)).astype(np.float32)
ckpt = os.path.join(tempfile.mkdtemp(), "model")

x = tf.placeholder(tf.float32, [None, 2], name="input")
y = tf.placeholder(tf.float32, [None, 1], name="target")
w = tf.Variable(W, name="w")
b = tf.Variable(0.0, name="b")
pred = tf.identity(tf.matmul(x, w) + b, name="prediction")
loss = tf.reduce_mean(tf.square(pred - y), name="loss")
train_op = tf.train.AdamOptimizer(0.05).minimize(loss, name="train")
tf.add_to_collection("train_op", train_op)
tf.add_to_collection("prediction", pred)

with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    for _ in range(10):
        sess.run(train_op, {x: X, y: Y})
    before = sess.run(loss, {x: X, y: Y})
    tf.train.Saver().save(sess, ckpt)
print("files:", json.dumps(sorted(os.listdir(os.path.dirname(ckpt)))))
print("loss_at_save:", json.dumps(float(before)))

tf.reset_default_graph()
with tf.Session() as sess:
    saver = tf.train.import_meta_graph(ckpt + ".meta")
    saver.restore(sess, ckpt)
    graph = tf.get_default_graph()
    x2 = graph.get_tensor_by_name("input:0")
    y2 = graph.get_tensor_by_name("target:0")
    loss2 = graph.get_tensor_by_name("loss:0")
    train2 = tf.get_collection("train_op")[0]
    pred2 = tf.get_collection("prediction")[0]
    print("restored_names:", json.dumps([train2.name, pred2.name, train2.type]))
    print("restored_loss:", json.dumps(float(sess.run(loss2, {x2: X, y2: Y}))))
    losses = []
    for _ in range(10):
        losses.append(float(sess.run([train2, loss2], {x2: X, y2: Y})[1]))
    print("continued_losses:", json.dumps(losses))
    print("variables:", json.dumps(sorted(v.name for v in tf.global_variables())))
    w_restored = [v for v in tf.trainable_variables() if v.op.name == "w"][0]
    print("w_after:", json.dumps(sess.run(w_restored).ravel().tolist()))
shutil.rmtree(os.path.dirname(ckpt))
