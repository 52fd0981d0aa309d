"""tf.compat.v1.layers: TF1's layers (classes and functions) over janusgrad's variable store.

What TF 2.21 runs for them with tf-keras (TF_USE_LEGACY_KERAS=1): variables made by
get_variable under the layer's variable scope (`dense/kernel:0`, `dense_1/kernel:0`), scopes'
reuse, regularizers to REGULARIZATION_LOSSES, batch normalization's updates to UPDATE_OPS.
"""
from .base import Layer  # noqa: F401
from .convolutional import (Conv1D, Conv2D, Conv2DTranspose, conv1d, conv2d,  # noqa: F401
                            conv2d_transpose)
from .core import Dense, Dropout, Flatten, dense, dropout, flatten  # noqa: F401
from .normalization import BatchNormalization, batch_normalization  # noqa: F401
from .pooling import (AveragePooling1D, AveragePooling2D, MaxPooling1D,  # noqa: F401
                      MaxPooling2D, average_pooling1d, average_pooling2d, max_pooling1d,
                      max_pooling2d)

# -- a name janusgrad lacks is a clear error --
from ...framework.missing import missing_names as _missing_names  # noqa: E402
__getattr__ = _missing_names(__name__, "tf.compat.v1.layers")
