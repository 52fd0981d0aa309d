"""janusgrad: automatic differentiation where every op's backward pass can be set apart from
its forward pass. `import janusgrad as tf` runs TensorFlow programs (eager and TF1 graph style).

This module only re-exports; each name lives in one place (see the layout in the README).
"""
__version__ = "0.1.0"

from .framework.context import (disable_eager_execution, enable_eager_execution,
                                executing_eagerly, get_default_graph, reset_default_graph)
from .framework.dtypes import (DType, as_dtype, bool, complex64, complex128, double,  # noqa: A004
                               float16, float32, float64, half, int8, int16, int32, int64, string,
                               uint8, uint16, uint32, uint64)
from .framework.graph import Graph, Operation
from .framework.shape import TensorShape
from .framework.tensor import (Tensor, constant, convert_to_tensor,
                               register_tensor_conversion_function)
from .ops.state import (Variable, global_variables, global_variables_initializer,
                        initialize_all_variables, trainable_variables, variables_initializer)
from .ops import operators as _operators  # noqa: F401  (installs Tensor's Python operators)
from .ops.array import (concat, expand_dims, eye, fill, identity, identity_n, newaxis, ones,
                        ones_like, placeholder, rank, reshape, shape, size, squeeze, stack,
                        stop_gradient, transpose, unstack, where, zeros, zeros_like)
from .ops.control import control_dependencies, group, name_scope, no_op
from .ops.control import print_ as print  # noqa: A004
from .ops.control import tuple_ as tuple  # noqa: A004
from .ops.math import (abs, add, add_n, cast, clip_by_value, cos, divide, equal,  # noqa: A004
                       exp, greater, greater_equal, less, less_equal, logical_and, logical_not,
                       logical_or, maximum, minimum, multiply, negative, not_equal, pow, round,
                       scalar_mul, sigmoid, sign, sin, sqrt, square, subtract, tan, tanh, truediv)
from .ops.matmul import matmul
from .ops.reduce import (argmax, argmin, reduce_all, reduce_any, reduce_max, reduce_mean,
                         reduce_min, reduce_prod, reduce_sum)
from .framework.registry import (NoGradient, NotDifferentiable, RegisterGradient, no_gradient,
                                 unregister_gradient)
from .autodiff.custom import custom_gradient, grad_pass_through, recompute_grad
from .autodiff.gradients import gradients, hessians
from .autodiff.tape import GradientTape, UnconnectedGradients
from .runtime.function import TensorSpec, function
from .runtime.session import InteractiveSession, Session, get_default_session
from .train import Optimizer as _Optimizer  # noqa: F401
from . import (debugging, dtypes, errors, linalg, math, nn, ops,  # noqa: E402
               random, test, train, version)

# Each family adds its top-level names in its own block below (one import line per module).
# -- math & array (ops/math.py, reduce.py, matmul.py, array.py, indexing.py) --
from .ops.array import split  # noqa: E402
from .ops.indexing import (boolean_mask, broadcast_to, gather, gather_nd, one_hot,  # noqa: E402
                           pad, reverse, scatter_nd, slice_ as slice, tile)  # noqa: A004
from .ops.math import floor, linspace, range_ as range, real_div as realdiv  # noqa: E402,A004
from .ops.matmul import einsum, tensordot  # noqa: E402
from .ops.reduce import (clip_by_global_norm, clip_by_norm, cumsum,  # noqa: E402
                         reduce_logsumexp)
# -- nn (ops/nn.py, ops/conv.py) --
# -- linalg (ops/linalg.py) --
from .ops.linalg import norm  # noqa: E402
# -- control flow, debugging, Python ops (ops/control.py, ops/python_ops.py;
#    runtime/control_flow.py, runtime/py_function.py) --
from . import debug  # noqa: E402
from .ops.control import Assert, assert_equal, assert_greater, assert_less  # noqa: E402
from .ops.python_ops import numpy_function, register_op  # noqa: E402
from .runtime.control_flow import case, cond, while_loop  # noqa: E402
from .runtime.py_function import py_function  # noqa: E402
from .check import GradientCheckError, check_gradients  # noqa: E402
# -- gradient control beyond TF (autodiff/*, estimators.py, draw.py) --
from .autodiff.subgraph import GradientBlock, gradient_block, override_gradient  # noqa: E402
from .autodiff.transforms import grad, hessian, value_and_grad, vjp  # noqa: E402
from .autodiff.forward import jvp  # noqa: E402
from .autodiff.explain import explain_gradient  # noqa: E402
from .draw import Drawing, draw  # noqa: E402
from . import estimators  # noqa: E402
# -- TF1 scopes, variables, collections, initializers; map_fn (compat/, runtime/map_fn.py) --
from .compat.init_ops_v2 import (constant_initializer, ones_initializer,  # noqa: E402
                                 random_normal_initializer, random_uniform_initializer,
                                 zeros_initializer)
from .runtime.map_fn import map_fn, vectorized_map  # noqa: E402
# -- training (train/, keras/) --
# tf.keras and tf.compat (and tf.losses, tf.optimizers, tf.initializers: Keras's) are imported
# when first used: together they are a third of janusgrad's import time
_LAZY = {"keras": ".keras", "compat": ".compat", "initializers": ".keras.initializers",
         "losses": ".keras.losses", "optimizers": ".keras.optimizers"}


def __getattr__(name):
    module = _LAZY.get(name)
    if module is None:
        from .framework.missing import missing_attribute
        raise missing_attribute(__name__, name)
    import importlib
    module, _, attr = module.partition(":")         # "module:name" for a name in a module
    value = importlib.import_module(module, __name__)
    value = getattr(value, attr) if attr else value
    globals()[name] = value
    return value


def __dir__():
    return sorted(set(globals()) | set(_LAZY))


# -- running TF programs unchanged (issue 18): `python -m janusgrad run prog.py` and
#    stand_in_for_tensorflow() (standin.py); the boilerplate around programs (compat/): devices,
#    session configs, TF 1's top-level names for them, tf.config, tf.io and TF 1's tf.logging,
#    tf.app, tf.flags, tf.gfile; all imported when first used --
from .framework.missing import register_namespace as _register_namespace  # noqa: E402
from .version import GIT_VERSION, VERSION  # noqa: E402
_LAZY.update({"config": ".compat.config", "io": ".compat.io", "logging": ".compat.tf_logging",
              "app": ".compat.app", "flags": ".compat.flags", "gfile": ".compat.gfile_v1",
              "device": ".compat.devices:device_v2", "get_logger": ".compat.tf_logging:get_logger",
              "set_random_seed": ".compat.random_seed:set_random_seed",
              "stand_in_for_tensorflow": ".standin:stand_in_for_tensorflow",
              **{name: ".compat.config_proto:" + name for name in (
                  "ConfigProto", "GPUOptions", "GraphOptions", "OptimizerOptions", "RunOptions",
                  "RunMetadata")}})
_register_namespace(__name__, "tf")

# -- gradient semantics and summaries (issue 18): tf.raw_ops (Add), tf.summary, imported when
#    first used --
_LAZY.update({"raw_ops": ".raw_ops", "summary": ".summary"})

# -- the gaps the TF programs found (issue 18): sort, argsort --
from .ops.sort import argsort, sort  # noqa: E402,F401

# -- the gaps the TF programs found (issue 18): scan (runtime/map_fn.py) --
from .runtime.map_fn import scan  # noqa: E402,F401

# -- the gaps the TF programs found (issue 18): tf.make_ndarray (summaries/reading.py) --
_LAZY.update({"make_ndarray": ".summaries.reading:make_ndarray"})

# -- the gaps the TF programs found (issue 18): tf.distribute (one replica), imported when
#    first used --
_LAZY.update({"distribute": ".distribute"})

# -- IndexedSlices (issue 19): gather's gradient along axis 0, as TF's --
from .ops.indexed_slices import IndexedSlices  # noqa: F401,E402
from .ops.segment import unique  # noqa: F401,E402

# -- tf.Module (issue 19's module pattern; compat/module.py) --
from .compat.module import Module  # noqa: E402,F401

# -- tensor functions real programs use (issue 18): repeat, sequence_mask, tensor_scatter_nd_* --
from .ops.repeat import repeat, sequence_mask  # noqa: F401,E402
from .ops.tensor_scatter import (tensor_scatter_nd_add, tensor_scatter_nd_max,  # noqa: F401,E402
                                 tensor_scatter_nd_min, tensor_scatter_nd_sub,
                                 tensor_scatter_nd_update)
from .ops.histogram import histogram_fixed_width  # noqa: F401,E402
_LAZY.update({"nest": ".compat.nest"})  # tensor functions real programs use (issue 18): tf.nest
_LAZY.update({"image": ".compat.image"})  # tensor functions real programs use (issue 18)
