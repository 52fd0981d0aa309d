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
