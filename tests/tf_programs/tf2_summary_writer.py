# TF2 TensorBoard logging: tf.summary.create_file_writer in a temporary directory, as_default,
# tf.summary.scalar and histogram with explicit steps in a training loop (also from inside a
# tf.function), flush; the event file read back with summary_iterator, TF2 summaries being
# tensors in the event protos.
import json
import os
import shutil
import tempfile

import numpy as np
import tensorflow as tf

logdir = tempfile.mkdtemp()
rng = np.random.default_rng(33)
X = rng.normal(size=(20, 2)).astype(np.float32)
Y = (X @ np.array([[1.0], [3.0]])).astype(np.float32)
w = tf.Variable(tf.zeros([2, 1]))
writer = tf.summary.create_file_writer(logdir)


@tf.function
def train_step(step):
    with tf.GradientTape() as tape:
        loss = tf.reduce_mean(tf.square(tf.matmul(X, w) - Y))
    grad = tape.gradient(loss, w)
    w.assign_sub(0.1 * grad)
    tf.summary.scalar("grad_norm", tf.norm(grad), step=step)
    return loss


with writer.as_default():
    for step in range(6):
        loss = train_step(tf.constant(step, tf.int64))
        tf.summary.scalar("loss", loss, step=step)
        tf.summary.histogram("w", w, step=step)
    writer.flush()

files = [f for f in os.listdir(logdir) if f.startswith("events.out.tfevents")]
scalars = {}
histogram_steps = []
for event in tf.compat.v1.train.summary_iterator(os.path.join(logdir, files[0])):
    for value in event.summary.value:
        if value.metadata.plugin_data.plugin_name == "scalars":
            scalars.setdefault(value.tag, []).append(
                [event.step, float(tf.make_ndarray(value.tensor))]
            )
        elif value.metadata.plugin_data.plugin_name == "histograms":
            histogram_steps.append(event.step)
print("num_files:", json.dumps(len(files)))
print("tags:", json.dumps(sorted(scalars)))
print("loss:", json.dumps(scalars["loss"]))
print("grad_norm:", json.dumps(scalars["grad_norm"]))
print("histogram_steps:", json.dumps(histogram_steps))
print("w:", json.dumps(w.numpy().ravel().tolist()))
shutil.rmtree(logdir)
