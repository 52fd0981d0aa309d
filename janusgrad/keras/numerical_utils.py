"""keras.utils.to_categorical (issue 18): class ids -> one-hot rows."""
import numpy as np

from ..framework.tensor import Tensor
from ..ops.indexing import one_hot


def to_categorical(x, num_classes=None):
    """One-hot rows of `num_classes` (default: the largest id + 1), float64 for array input as
    Keras 3's (its NumPy path); a trailing axis of 1 is dropped. A tensor becomes a float32
    one_hot tensor, which (as in Keras) needs num_classes."""
    if isinstance(x, Tensor):
        if num_classes is None:
            raise ValueError("to_categorical: a tensor `x` needs `num_classes`")
        return one_hot(x, int(num_classes))
    x = np.array(x, dtype="int64")     # float ids truncate, as Keras'
    shape = x.shape
    if shape and shape[-1] == 1 and len(shape) > 1:
        shape = shape[:-1]
    x = x.reshape(-1)
    if not num_classes:
        num_classes = int(np.max(x)) + 1
    if x.size and (x.max() >= num_classes or x.min() < -num_classes):
        raise IndexError(f"to_categorical: a class id in `x` is outside 0..{num_classes - 1} "
                         f"(num_classes={num_classes})")
    out = np.zeros((x.shape[0], num_classes))
    out[np.arange(x.shape[0]), x] = 1      # negative ids count from the end, as NumPy's
    return out.reshape(shape + (num_classes,))
