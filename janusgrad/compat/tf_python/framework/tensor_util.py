"""tensorflow.python.framework.tensor_util."""
from ....framework.missing import missing_names as _missing_names
from ....framework.tensor import Tensor
from ....ops.array import constant_value  # noqa: F401


def is_tf_type(x):
    return isinstance(x, Tensor)


is_tensor = is_tf_type
__getattr__ = _missing_names(__name__)
