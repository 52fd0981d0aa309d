"""tf.keras.layers: the base Layer and the built-in layers, one module per family.

A layer creates its weights on its first call, from the input's static shape; a layer or
variable assigned as an attribute (or in a list or dict) is tracked, so `trainable_variables`
collects the weights of nested layers, and tf.train.Checkpoint finds them by attribute name.
"""
from .activation import Softmax  # noqa: F401
from .base import Layer  # noqa: F401
from .convolutional import Conv2D  # noqa: F401
from .core import Activation, Dense, Dropout, Embedding, Flatten, Lambda, Reshape  # noqa: F401
from .input_layer import Input, InputLayer  # noqa: F401
from .merging import Add, Average, Concatenate, Multiply, Subtract  # noqa: F401
from . import operators  # noqa: F401  (operators on KerasTensors)
from .normalization import BatchNormalization, LayerNormalization  # noqa: F401
from .pooling import AveragePooling2D, GlobalAveragePooling2D, MaxPooling2D  # noqa: F401

Convolution2D = Conv2D
MaxPool2D = MaxPooling2D
AvgPool2D = AveragePooling2D
GlobalAvgPool2D = GlobalAveragePooling2D

# -- recurrent layers and their cells (issue 18, recurrent Keras layers) --
from .recurrent import GRU, LSTM, RNN, Bidirectional, SimpleRNN  # noqa: F401,E402
from .rnn_cells import GRUCell, LSTMCell, SimpleRNNCell  # noqa: F401,E402

# -- more layers real TF programs use (issue 18, more Keras names) --
from .activation import ELU, LeakyReLU, ReLU  # noqa: F401, E402
from .pooling import GlobalMaxPooling2D  # noqa: F401, E402
from .reshaping import (Cropping2D, Permute, RepeatVector, UpSampling2D,  # noqa: F401,E402
                        ZeroPadding2D)

GlobalMaxPool2D = GlobalMaxPooling2D

# -- a name janusgrad lacks is a clear error (issue 18, running TF programs unchanged) --
from ...framework.missing import missing_names as _missing_names  # noqa: E402
__getattr__ = _missing_names(__name__)
