"""tensorflow.python.framework.tensor."""
from ....framework.missing import missing_names as _missing_names
from ....framework.tensor import Tensor  # noqa: F401
from ....runtime.function import TensorSpec  # noqa: F401

__getattr__ = _missing_names(__name__)
