"""tensorflow.python.framework.tensor_shape."""
from ....framework.missing import missing_names as _missing_names
from ....framework.shape import TensorShape, as_shape, unknown_shape  # noqa: F401
from ...dimension import Dimension, dimension_at_index, dimension_value  # noqa: F401

__getattr__ = _missing_names(__name__)
