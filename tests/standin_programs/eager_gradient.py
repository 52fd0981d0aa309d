"""TF 2, eager: a tape gradient, Keras, the program's own identity (argv, __name__, __file__)."""
import json
import os
import sys

import tensorflow as tf
from tensorflow import keras

print("argv:", json.dumps(sys.argv))
print("name:", json.dumps(__name__))
print("file:", json.dumps(__file__))
print("path0:", json.dumps(sys.path[0]))
print("version:", json.dumps(tf.__version__))
print("major:", json.dumps(int(tf.__version__.split(".")[0])))

x = tf.constant([[1.0, -2.0], [3.0, 0.5]])
w = tf.Variable([[0.5], [-1.0]])
with tf.GradientTape() as tape:
    y = tf.reduce_sum(tf.nn.relu(tf.matmul(x, w)) ** 2)
print("loss:", json.dumps(float(y)))
print("grad_w:", json.dumps(tape.gradient(y, w).numpy().tolist()))

layer = keras.layers.Dense(1, kernel_initializer="ones", bias_initializer="zeros")
print("dense:", json.dumps(layer(x).numpy().tolist()))
print("gpus:", json.dumps(len(tf.config.list_physical_devices("GPU"))))
print("here:", json.dumps(os.path.basename(os.path.dirname(os.path.abspath(__file__)))))
