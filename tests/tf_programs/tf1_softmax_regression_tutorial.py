# The "MNIST for ML beginners" tutorial as TF1 users typed it, on scikit-learn's bundled 8x8
# digits: softmax regression with the hand-written cross-entropy (tf.log, reduction_indices),
# an InteractiveSession, initializer.run(), train_step.run() and accuracy.eval() with feed_dict;
# then the same model with softmax_cross_entropy_with_logits_v2 and tf.to_float.
import json

import numpy as np
import tensorflow.compat.v1 as tf
from sklearn.datasets import load_digits

tf.disable_eager_execution()

digits = load_digits()
images = (digits.data / 16.0).astype(np.float32)
onehot = np.eye(10, dtype=np.float32)[digits.target]
train_x, train_y = images[:1500], onehot[:1500]
test_x, test_y = images[1500:], onehot[1500:]

x = tf.placeholder(tf.float32, [None, 64])
W = tf.Variable(tf.zeros([64, 10]))
b = tf.Variable(tf.zeros([10]))
y = tf.nn.softmax(tf.matmul(x, W) + b)
y_ = tf.placeholder(tf.float32, [None, 10])
cross_entropy = tf.reduce_mean(-tf.reduce_sum(y_ * tf.log(y), reduction_indices=[1]))
train_step = tf.train.GradientDescentOptimizer(0.5).minimize(cross_entropy)
correct_prediction = tf.equal(tf.argmax(y, 1), tf.argmax(y_, 1))
accuracy = tf.reduce_mean(tf.to_float(correct_prediction))

sess = tf.InteractiveSession()
tf.global_variables_initializer().run()
losses = []
for i in range(15):
    start = (i * 100) % 1500
    batch_xs, batch_ys = train_x[start : start + 100], train_y[start : start + 100]
    train_step.run(feed_dict={x: batch_xs, y_: batch_ys})
    losses.append(float(cross_entropy.eval(feed_dict={x: batch_xs, y_: batch_ys})))
print("losses:", json.dumps(losses))
print("test_accuracy:", json.dumps(float(accuracy.eval(feed_dict={x: test_x, y_: test_y}))))
print("bias:", json.dumps(b.eval().tolist()))
sess.close()

tf.reset_default_graph()
x = tf.placeholder(tf.float32, [None, 64])
labels = tf.placeholder(tf.int32, [None])
W = tf.Variable(tf.zeros([64, 10]))
logits = tf.matmul(x, W)
loss = tf.reduce_mean(
    tf.nn.softmax_cross_entropy_with_logits_v2(labels=tf.one_hot(labels, 10), logits=logits)
)
accuracy = tf.reduce_mean(tf.to_float(tf.equal(tf.to_int32(tf.argmax(logits, 1)), labels)))
train_op = tf.train.AdagradOptimizer(0.5).minimize(loss)
with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    for _ in range(15):
        sess.run(train_op, {x: train_x, labels: digits.target[:1500]})
    print("v2_loss:", json.dumps(float(sess.run(loss, {x: train_x, labels: digits.target[:1500]}))))
    print(
        "v2_test_accuracy:",
        json.dumps(float(sess.run(accuracy, {x: test_x, labels: digits.target[1500:]}))),
    )
