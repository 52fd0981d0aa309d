"""tf.keras: Keras 3's layers (subclassing and the functional API), Sequential, compile/fit/
evaluate/predict with callbacks and metrics, losses, optimizers, initializers, regularizers.

A model is trained with `fit`, or with a GradientTape loop:

    model = tf.keras.Sequential([tf.keras.layers.Dense(16, "relu"), tf.keras.layers.Dense(3)])
    loss_fn = tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True)
    opt = tf.keras.optimizers.Adam(1e-2)
    with tf.GradientTape() as tape:
        loss = loss_fn(y, model(x))
    grads = tape.gradient(loss, model.trainable_variables)
    opt.apply_gradients(zip(grads, model.trainable_variables))
"""
from . import activations, backend, initializers, layers, losses, optimizers  # noqa: F401
from .layers import Input  # noqa: F401
from .models import Model, Sequential  # noqa: F401
# -- regularizers (issue 18, tf.compat.v1.layers and losses) --
from . import regularizers  # noqa: F401,E402

# -- layers and models (issue 20): the functional API's classes, Keras 3's Variable --
from . import functional as _functional  # noqa: E402,F401  (Model(inputs, outputs))
from .keras_tensor import KerasTensor  # noqa: E402,F401
from .layers import InputLayer, Layer  # noqa: E402,F401
from .variables import KerasVariable as Variable  # noqa: E402,F401

# -- the training loop: callbacks, metrics, Progbar (issue 20) --
from . import callbacks, metrics, utils  # noqa: F401,E402

# -- more Keras names real TF programs use (issue 18, more Keras names) --
from . import constraints, mixed_precision  # noqa: F401,E402

# -- a name janusgrad lacks is a clear error (issue 18, running TF programs unchanged) --
from ..framework.missing import missing_names as _missing_names  # noqa: E402
__getattr__ = _missing_names(__name__)
