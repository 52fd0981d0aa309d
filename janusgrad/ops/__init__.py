"""Op families (one file each: kernel and gradient side by side) and the registry.

Also the names TF programs reach through `from tensorflow.python.framework import ops`.
"""
from ..framework.context import get_default_graph  # noqa: F401
from ..framework.graph import Graph, Operation  # noqa: F401
from ..framework.tensor import Tensor, convert_to_tensor  # noqa: F401
from ..framework.registry import (NotDifferentiable, RegisterGradient,  # noqa: F401
                                  get_gradient_function, no_gradient)
from ..framework.context import disable_eager_execution, enable_eager_execution  # noqa: F401
