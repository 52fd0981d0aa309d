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
