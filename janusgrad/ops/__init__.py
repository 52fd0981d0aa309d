"""Op families, one file each with kernel and gradient side by side (their tables are
framework/registry.py's).

Also the names TF programs reach through `from tensorflow.python.framework import ops`.
"""
from ..framework.context import (disable_eager_execution,  # noqa: F401
                                 enable_eager_execution, get_default_graph)
from ..framework.graph import Graph, Operation  # noqa: F401
from ..framework.registry import (NotDifferentiable, RegisterGradient,  # noqa: F401
                                  get_gradient_function, no_gradient)
from ..framework.tensor import Tensor, convert_to_tensor  # noqa: F401
# -- gradient semantics (issue 18): TF's other names of no_gradient --
from ..framework.registry import NoGradient  # noqa: F401
# -- TF1 scopes, variables, collections (issue 18): ops.name_scope(name, default_name, values) --
from .control import name_scope  # noqa: F401,E402
