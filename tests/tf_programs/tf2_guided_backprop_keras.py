# Guided backpropagation as Grad-CAM repositories write it for TF2/Keras: a @tf.custom_gradient
# guidedRelu swapped in for the activation of every Conv2D layer that has one, then the gradient
# of a class score w.r.t. the input under a tape; beside the plain saliency of the same model.
import json

import numpy as np
import tensorflow as tf


@tf.custom_gradient
def guidedRelu(x):
    def grad(dy):
        return tf.cast(dy > 0, "float32") * tf.cast(x > 0, "float32") * dy

    return tf.nn.relu(x), grad


rng = np.random.default_rng(21)


def const(*shape):
    return tf.keras.initializers.Constant(rng.normal(size=shape).astype(np.float32))


model = tf.keras.Sequential(
    [
        tf.keras.Input(shape=(8, 8, 1)),
        tf.keras.layers.Conv2D(
            4, 3, padding="same", activation="relu", kernel_initializer=const(3, 3, 1, 4)
        ),
        tf.keras.layers.MaxPooling2D(2),
        tf.keras.layers.Conv2D(
            6,
            3,
            padding="same",
            activation="relu",
            kernel_initializer=const(3, 3, 4, 6),
            bias_initializer=tf.keras.initializers.Constant(0.1),
        ),
        tf.keras.layers.Flatten(),
        tf.keras.layers.Dense(3, kernel_initializer=const(96, 3)),
    ]
)
image = tf.constant(rng.random((1, 8, 8, 1)).astype(np.float32))
class_index = 2

with tf.GradientTape() as tape:
    tape.watch(image)
    score = model(image)[0, class_index]
saliency = tape.gradient(score, image)[0, :, :, 0]

# as in Keras 2 code, where model.layers[0] was the InputLayer; a Keras 3 Sequential does not list
# its Input, so [1:] skips the first Conv2D here, and TF 2.21 leaves that layer's relu plain
layer_dict = [layer for layer in model.layers[1:] if hasattr(layer, "activation")]
for layer in layer_dict:
    if layer.activation == tf.keras.activations.relu:
        layer.activation = guidedRelu
with tf.GradientTape() as tape:
    tape.watch(image)
    guided_score = model(image)[0, class_index]
guided = tape.gradient(guided_score, image)[0, :, :, 0]

print("layers:", json.dumps([type(layer).__name__ for layer in model.layers]))
print("swapped:", json.dumps(sum(layer.activation is guidedRelu for layer in layer_dict)))
print("score:", json.dumps([float(score), float(guided_score)]))
print("saliency:", json.dumps(saliency.numpy().tolist()))
print("guided:", json.dumps(guided.numpy().tolist()))
print("guided_positive:", json.dumps(float(tf.reduce_mean(tf.cast(guided > 0, tf.float32)))))
