# A two-layer regression MLP written with variable_scope/get_variable (TF1 style), trained with
# GradientDescentOptimizer; an evaluation tower reuses the weights (reuse=True) and asking for an
# existing variable without reuse is TF's ValueError.
import json

import numpy as np
import tensorflow.compat.v1 as tf

tf.disable_eager_execution()

rng = np.random.RandomState(0)
X = rng.randn(64, 4).astype(np.float32)
true_w = np.array([[1.5], [-2.0], [0.5], [1.0]], np.float32)
Y = (np.tanh(X @ true_w) + 0.05 * rng.randn(64, 1)).astype(np.float32)
W1 = (0.3 * rng.randn(4, 8)).astype(np.float32)
W2 = (0.3 * rng.randn(8, 1)).astype(np.float32)


def mlp(x, reuse=False):
    with tf.variable_scope("mlp", reuse=reuse):
        with tf.variable_scope("hidden"):
            w = tf.get_variable("weights", [4, 8], initializer=tf.constant_initializer(W1))
            b = tf.get_variable("biases", [8], initializer=tf.zeros_initializer())
            h = tf.nn.relu(tf.matmul(x, w) + b)
        with tf.variable_scope("output"):
            w = tf.get_variable("weights", [8, 1], initializer=tf.constant_initializer(W2))
            b = tf.get_variable("biases", [1], initializer=tf.constant_initializer(0.1))
            return tf.matmul(h, w) + b


x = tf.placeholder(tf.float32, [None, 4], name="x")
y = tf.placeholder(tf.float32, [None, 1], name="y")
pred = mlp(x)
loss = tf.reduce_mean(tf.square(pred - y))
eval_pred = mlp(x, reuse=True)
eval_loss = tf.reduce_mean(tf.abs(eval_pred - y))
train_op = tf.train.GradientDescentOptimizer(learning_rate=0.1).minimize(loss)

try:
    mlp(x)
    duplicate = "no error"
except ValueError:
    duplicate = "ValueError"

print("variables:", json.dumps([v.name for v in tf.global_variables()]))
print("trainable_shapes:", json.dumps([v.shape.as_list() for v in tf.trainable_variables()]))
print("eval_pred_name:", json.dumps(eval_pred.name))
print("duplicate_variable:", json.dumps(duplicate))

losses = []
with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    for _ in range(30):
        _, loss_value = sess.run([train_op, loss], feed_dict={x: X, y: Y})
        losses.append(float(loss_value))
    print("losses:", json.dumps(losses))
    print("eval_mae:", json.dumps(float(sess.run(eval_loss, {x: X, y: Y}))))
    with tf.variable_scope("mlp/output", reuse=True):
        w_out = tf.get_variable("weights")
    print("output_weights:", json.dumps(sess.run(w_out).ravel().tolist()))
    print("same_object:", json.dumps(w_out is tf.trainable_variables()[2]))
