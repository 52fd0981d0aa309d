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
