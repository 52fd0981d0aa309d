"""tensorflow.python.framework.ops: graphs, operations, tensors, gradient registration, scopes."""
from ....autodiff.tape import GradientTape  # noqa: F401
from ....framework.context import (current_graph, disable_eager_execution,  # noqa: F401
                                   enable_eager_execution, executing_eagerly,
                                   executing_eagerly_outside_functions, get_default_graph,
                                   get_default_session, init_scope, reset_default_graph)
from ....framework.graph import FuncGraph, Graph, Operation  # noqa: F401
from ....framework.missing import missing_names as _missing_names
from ....framework.registry import (NoGradient, NotDifferentiable, RegisterGradient,  # noqa: F401
                                    get_gradient_function, no_gradient)
from ....framework.tensor import (EagerTensor, GraphTensor, Tensor,  # noqa: F401
                                  convert_to_tensor, register_tensor_conversion_function)
from ....ops.control import control_dependencies, name_scope  # noqa: F401
from ...devices import device  # noqa: F401
from ...graph_collections import (GraphKeys, add_to_collection, add_to_collections,  # noqa: F401
                                 get_collection, get_collection_ref)
from ...devices import device_v2  # noqa: F401

SymbolicTensor = GraphTensor
name_scope_v1 = name_scope


def convert_n_to_tensor(values, dtype=None, name=None, preferred_dtype=None):
    return [convert_to_tensor(v, dtype=dtype, preferred_dtype=preferred_dtype) for v in values]


def colocate_with(op, ignore_existing=False):
    """A no-op scope: janusgrad places everything on the CPU."""
    return device(None)


def inside_function():
    """Whether a tf.function is being traced."""
    return isinstance(current_graph(), FuncGraph)


def get_name_scope():
    return get_default_graph().get_name_scope()


__getattr__ = _missing_names(__name__)
