# TensorBoard logging the TF1 way: tf.summary.scalar/histogram, merge_all, a FileWriter in a
# temporary directory given sess.graph, add_summary at each step; then the event file is read
# back with tf.train.summary_iterator, as scripts that export TensorBoard data to CSV do.
import json
import os
import shutil
import tempfile

import numpy as np
import tensorflow.compat.v1 as tf

tf.disable_eager_execution()

rng = np.random.RandomState(11)
X = rng.randn(25, 2).astype(np.float32)
Y = (X[:, :1] * 3.0 - X[:, 1:]).astype(np.float32)
logdir = tempfile.mkdtemp()

x = tf.placeholder(tf.float32, [None, 2])
y = tf.placeholder(tf.float32, [None, 1])
w = tf.Variable(np.zeros((2, 1), np.float32), name="weights")
with tf.name_scope("metrics"):
    loss = tf.reduce_mean(tf.square(tf.matmul(x, w) - y))
    tf.summary.scalar("loss", loss)
    tf.summary.scalar("w_norm", tf.norm(w))
tf.summary.histogram("weights", w)
merged = tf.summary.merge_all()
train_op = tf.train.GradientDescentOptimizer(0.1).minimize(loss)

print("summary_dtype:", json.dumps(merged.dtype.name))
print("summary_collection:", json.dumps(len(tf.get_collection(tf.GraphKeys.SUMMARIES))))
with tf.Session() as sess:
    writer = tf.summary.FileWriter(logdir, sess.graph)
    sess.run(tf.global_variables_initializer())
    for step in range(8):
        summary, _ = sess.run([merged, train_op], {x: X, y: Y})
        writer.add_summary(summary, global_step=step)
    writer.flush()
    writer.close()

event_files = [f for f in os.listdir(logdir) if f.startswith("events.out.tfevents")]
print("num_event_files:", json.dumps(len(event_files)))
scalars, histograms, has_graph = {}, {}, False
for event in tf.train.summary_iterator(os.path.join(logdir, event_files[0])):
    has_graph = has_graph or event.HasField("graph_def")
    for value in event.summary.value:
        if value.HasField("simple_value"):
            scalars.setdefault(value.tag, []).append([event.step, value.simple_value])
        elif value.HasField("histo"):
            histograms.setdefault(value.tag, []).append(
                [event.step, value.histo.num, value.histo.sum]
            )
print("has_graph:", json.dumps(has_graph))
print("scalar_tags:", json.dumps(sorted(scalars)))
print("histogram_tags:", json.dumps(sorted(histograms)))
print("loss_curve:", json.dumps(scalars["metrics/loss"]))
print("w_norm_curve:", json.dumps(scalars["metrics/w_norm"]))
# the tag is the summary op's name, made unique in the graph: "weights" is the variable's
print("weights_histograms:", json.dumps(histograms[sorted(histograms)[0]]))
shutil.rmtree(logdir)
