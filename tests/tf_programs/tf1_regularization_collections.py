# Weight decay as the TF1 tutorials wrote it: get_variable(regularizer=...) fills
# GraphKeys.REGULARIZATION_LOSSES, the cifar10 tutorial's add_to_collection('losses', ...) plus
# add_n(get_collection('losses')); non-trainable counters stay out of TRAINABLE_VARIABLES.
import json

import numpy as np
import tensorflow.compat.v1 as tf

tf.disable_eager_execution()

rng = np.random.RandomState(2)
X = rng.randn(40, 3).astype(np.float32)
Y = (X @ np.array([[2.0], [-1.0], [0.5]], np.float32) + 0.3).astype(np.float32)
W1 = rng.randn(3, 4).astype(np.float32)
W2 = rng.randn(4, 1).astype(np.float32)


def variable_with_weight_decay(name, value, wd):
    var = tf.get_variable(name, initializer=tf.constant(value))
    if wd is not None:
        weight_decay = tf.multiply(tf.nn.l2_loss(var), wd, name="weight_loss")
        tf.add_to_collection("losses", weight_decay)
    return var


def l2(w):
    return 0.01 * tf.reduce_sum(tf.square(w))


x = tf.placeholder(tf.float32, [None, 3])
y = tf.placeholder(tf.float32, [None, 1])
with tf.variable_scope("layer1"):
    w1 = tf.get_variable("w", initializer=W1, regularizer=l2)
    b1 = tf.get_variable("b", [4], initializer=tf.zeros_initializer(), regularizer=l2)
    h = tf.nn.sigmoid(tf.matmul(x, w1) + b1)
with tf.variable_scope("layer2"):
    w2 = variable_with_weight_decay("w", W2, 0.004)
    out = tf.matmul(h, w2)
step_counter = tf.get_variable("steps", [], tf.int32, tf.zeros_initializer(), trainable=False)
count = tf.assign_add(step_counter, 1)

data_loss = tf.reduce_mean(tf.square(out - y))
tf.add_to_collection("losses", data_loss)
total_loss = tf.add_n(tf.get_collection("losses"), name="total_loss")
reg_losses = tf.get_collection(tf.GraphKeys.REGULARIZATION_LOSSES)
reg_loss = tf.losses.get_regularization_loss()
objective = total_loss + reg_loss
train_op = tf.train.GradientDescentOptimizer(0.2).minimize(objective)

print("num_reg_losses:", json.dumps(len(reg_losses)))
print("num_losses:", json.dumps(len(tf.get_collection("losses"))))
print("total_loss_name:", json.dumps(total_loss.name))
print("trainable:", json.dumps([v.name for v in tf.trainable_variables()]))
print("global:", json.dumps([v.name for v in tf.global_variables()]))
print(
    "layer1_collection:",
    json.dumps(
        [v.name for v in tf.get_collection(tf.GraphKeys.TRAINABLE_VARIABLES, scope="layer1")]
    ),
)

with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    print("initial_reg:", json.dumps([float(v) for v in sess.run(reg_losses)]))
    history = []
    for _ in range(20):
        _, t, r, c = sess.run([train_op, total_loss, reg_loss, count], {x: X, y: Y})
        history.append([float(t), float(r)])
    print("history:", json.dumps(history))
    print("steps:", json.dumps(int(sess.run(step_counter))))
    print("w2:", json.dumps(sess.run(w2).ravel().tolist()))
