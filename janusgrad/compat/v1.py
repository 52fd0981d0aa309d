"""tf.compat.v1: the TF1 names, re-exported."""
from ..autodiff.gradients import gradients  # noqa: F401
from ..framework.context import (disable_eager_execution, enable_eager_execution,  # noqa: F401
                                 executing_eagerly, get_default_graph, reset_default_graph)
from ..ops.state import (Variable, global_variables,  # noqa: F401
                                   global_variables_initializer, initialize_all_variables,
                                   trainable_variables, variables_initializer)
from ..ops.array import placeholder  # noqa: F401
from ..runtime.session import InteractiveSession, Session, get_default_session  # noqa: F401
from .. import keras, train  # noqa: F401
# -- gradient semantics and summaries (issue 18) --
from . import v1_summary as summary  # noqa: F401
from ..framework.registry import (NoGradient, NotDifferentiable, RegisterGradient,  # noqa: F401
                                  no_gradient)


# -- the boilerplate around real programs (issue 18, running TF programs unchanged): session
#    configs, devices, logging, app and flags, files, seeds, TF's version --
from . import app, config, flags, io  # noqa: E402
from . import gfile_v1 as gfile  # noqa: E402
from . import tf_logging as logging  # noqa: E402
from . import tf_test as test  # noqa: E402
from .config_proto import (ConfigProto, GPUOptions, GraphOptions, OptimizerOptions,  # noqa: E402
                           RunMetadata, RunOptions)
from .devices import device  # noqa: E402
from .random_seed import set_random_seed  # noqa: E402
from .tf_logging import get_logger  # noqa: E402
from ..framework.context import disable_eager_execution as disable_v2_behavior  # noqa: E402
from ..framework.context import enable_eager_execution as enable_v2_behavior  # noqa: E402
# TF's version, as janusgrad/version.py says it (tests/test_standin.py checks they agree)
VERSION = __version__ = "2.21.0"
GIT_VERSION = "janusgrad"
COMPILER_VERSION = "janusgrad"

# -- TF1 scopes, variables, collections, initializers and tensor functions (issue 18) --
from ..ops.array import placeholder_with_default  # noqa: F401,E402
from ..ops.control import name_scope  # noqa: F401,E402
from ..runtime.map_fn import map_fn, vectorized_map  # noqa: F401,E402
from . import v1_initializers as initializers  # noqa: F401,E402
from . import v1_losses as losses  # noqa: F401,E402
from .dimension import Dimension, dimension_at_index, dimension_value  # noqa: F401,E402
from .graph_collections import (GraphKeys, add_to_collection, add_to_collections,  # noqa: F401,E402
                                get_collection, get_collection_ref, is_variable_initialized,
                                local_variables, local_variables_initializer, model_variables,
                                moving_average_variables, report_uninitialized_variables)
from .init_ops import (constant_initializer, glorot_normal_initializer,  # noqa: F401,E402
                       glorot_uniform_initializer, ones_initializer, orthogonal_initializer,
                       random_normal_initializer, random_uniform_initializer,
                       truncated_normal_initializer, variance_scaling_initializer,
                       zeros_initializer)
from .template import make_template  # noqa: F401,E402
from .v1_ops import (argmax, argmin, assign, assign_add, assign_sub, log,  # noqa: F401,E402
                     random_normal, random_shuffle, random_uniform, reduce_all, reduce_any,
                     reduce_logsumexp, reduce_max, reduce_mean, reduce_min, reduce_prod,
                     reduce_sum, to_double, to_float, to_int32, to_int64,
                     truncated_normal)
from .variable_scope import (AUTO_REUSE, VariableScope, get_local_variable,  # noqa: F401,E402
                             get_variable, get_variable_scope, no_regularizer, variable_scope)

# -- TF1 layers, losses, regularizers (issue 18, tf.compat.v1.layers) --
from . import v1_layers as layers  # noqa: F401,E402

# -- error paths (issue 19): TF 1's while_loop lets a body return a bare tensor for [x] --
from ..runtime.control_flow import while_loop_v1 as while_loop  # noqa: F401,E402

# -- IndexedSlices (issue 19): TF 1's top-level name of the op that densifies them --
from ..ops.segment import unsorted_segment_sum  # noqa: F401,E402

# -- tensor functions real programs use (issue 18): TF 1's top-level segment reductions --
from ..ops.segment import (segment_max, segment_mean, segment_min, segment_prod,  # noqa: F401,E402
                           segment_sum, unsorted_segment_max, unsorted_segment_mean,
                           unsorted_segment_min, unsorted_segment_prod)

# -- the TF 2 names TF 1 shares, a name janusgrad lacks a clear error (issue 18, running TF
#    programs unchanged): what this module does not define is janusgrad's top-level name
#    (tf.compat.v1.float32 is tf.float32), read from the public face in sys.modules (loaded
#    before this package, its parent) as compat sits below it; tf.compat.v1.nn is TF 1's nn
#    (dropout's keep_prob, the softmax cross-entropy that stops at the labels) --
import importlib as _importlib  # noqa: E402
import sys as _sys  # noqa: E402

from ..framework.missing import missing_names as _missing_names  # noqa: E402

_missing = _missing_names(__name__)
_V1_MODULES = {"nn": "..compat.tf_python.ops.nn"}


def __getattr__(name):
    if name in _V1_MODULES:
        value = _importlib.import_module(_V1_MODULES[name], __package__)
    else:
        top = _sys.modules[__package__.rpartition(".")[0]]
        if name.startswith("_") or name not in dir(top):
            return _missing(name)
        value = getattr(top, name)
    globals()[name] = value
    return value

# -- the gaps the TF programs found (issue 18): TF 1's global_norm and scan --
from ..ops.reduce import global_norm  # noqa: E402,F401
from ..runtime.map_fn import scan  # noqa: E402,F401

# -- the gaps the TF programs found (issue 18): disable_v2_behavior also turns TF1 shapes on
#    (get_shape() items are Dimension objects, as TF1 code reads them); enable_v2_behavior off --
from ..framework.context import disable_eager_execution as _disable_eager  # noqa: E402
from ..framework.context import enable_eager_execution as _enable_eager  # noqa: E402
from ..framework.shape import set_v1_dimension as _set_v1_dimension  # noqa: E402
from .dimension import Dimension as _Dimension  # noqa: E402


def disable_v2_tensorshape():
    """Make `get_shape()` give TF1's Dimension objects (`x.get_shape()[1].value`). janusgrad's
    `TensorShape.dims` and `x.shape[i]` stay ints."""
    _set_v1_dimension(_Dimension)


def enable_v2_tensorshape():
    """Make `get_shape()` give ints again (TF2's shapes)."""
    _set_v1_dimension(None)


def disable_v2_behavior():  # noqa: F811 (replaces the plain alias above)
    """Turn TF2's behaviour off: graph mode by default, and `get_shape()` gives TF1's Dimension
    objects. `x.shape[i]` stays an int, as in TF 2."""
    _disable_eager()
    disable_v2_tensorshape()


def enable_v2_behavior():  # noqa: F811
    """Turn TF2's behaviour on: eager execution and shapes of ints."""
    _enable_eager()
    enable_v2_tensorshape()
