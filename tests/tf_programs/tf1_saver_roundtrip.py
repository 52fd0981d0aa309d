# Save and restore with tf.train.Saver (TF1): train, save with global_step into a temporary
# directory, clobber the variables and restore them, restore into a fresh graph and session via
# latest_checkpoint, restore a subset under other names with a var_list dict, list the file.
import json
import os
import shutil
import tempfile

import numpy as np
import tensorflow.compat.v1 as tf

tf.disable_eager_execution()

rng = np.random.RandomState(6)
X = rng.randn(32, 3).astype(np.float32)
Y = (X @ np.array([[1.0], [2.0], [-1.0]], np.float32) - 0.5).astype(np.float32)
ckpt_dir = tempfile.mkdtemp()


def build():
    x = tf.placeholder(tf.float32, [None, 3], name="x")
    y = tf.placeholder(tf.float32, [None, 1], name="y")
    with tf.variable_scope("linear"):
        w = tf.get_variable("w", initializer=np.zeros((3, 1), np.float32))
        b = tf.get_variable("b", initializer=np.zeros((1,), np.float32))
    pred = tf.add(tf.matmul(x, w), b, name="pred")
    loss = tf.reduce_mean(tf.square(pred - y))
    global_step = tf.train.get_or_create_global_step()
    train_op = tf.train.GradientDescentOptimizer(0.1).minimize(loss, global_step=global_step)
    return x, y, w, b, loss, global_step, train_op


x, y, w, b, loss, global_step, train_op = build()
saver = tf.train.Saver(max_to_keep=2)
with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    saved = []
    for step in range(1, 16):
        sess.run(train_op, {x: X, y: Y})
        if step % 5 == 0:
            saved.append(
                saver.save(sess, os.path.join(ckpt_dir, "model.ckpt"), global_step=global_step)
            )
    trained_w, trained_loss = sess.run([w, loss], {x: X, y: Y})
    sess.run([w.assign(tf.zeros_like(w)), b.assign([7.0])])
    clobbered = sess.run(loss, {x: X, y: Y})
    saver.restore(sess, saved[-1])
    restored_loss = sess.run(loss, {x: X, y: Y})
    print("saved_paths:", json.dumps([os.path.basename(p) for p in saved]))
    print("kept:", json.dumps([os.path.basename(p) for p in saver.last_checkpoints]))
    print("trained_w:", json.dumps(trained_w.ravel().tolist()))
    print("trained_loss:", json.dumps(float(trained_loss)))
    print("clobbered_loss:", json.dumps(float(clobbered)))
    print("restored_loss:", json.dumps(float(restored_loss)))
    print("restored_step:", json.dumps(int(sess.run(global_step))))

latest = tf.train.latest_checkpoint(ckpt_dir)
print("latest:", json.dumps(os.path.basename(latest)))
print("checkpoint_contents:", json.dumps([[n, s] for n, s in tf.train.list_variables(latest)]))
print("checkpoint_b:", json.dumps(tf.train.load_variable(latest, "linear/b").tolist()))

tf.reset_default_graph()
x, y, w, b, loss, global_step, train_op = build()
with tf.Session() as sess:
    tf.train.Saver().restore(sess, latest)
    print("fresh_graph_loss:", json.dumps(float(sess.run(loss, {x: X, y: Y}))))
    sess.run(train_op, {x: X, y: Y})
    print("continued_step:", json.dumps(int(sess.run(global_step))))

tf.reset_default_graph()
with tf.variable_scope("other"):
    w_other = tf.get_variable("weights", shape=[3, 1])
with tf.Session() as sess:
    tf.train.Saver({"linear/w": w_other}).restore(sess, latest)
    print("renamed_restore:", json.dumps(sess.run(w_other).ravel().tolist()))
shutil.rmtree(ckpt_dir)
