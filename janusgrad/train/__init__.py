"""tf.train and tf.compat.v1.train: TF1 optimizers, checkpoints, the global step, the Saver and
the learning-rate schedules (those two loaded when first used, to keep `import janusgrad`
short)."""
from ..framework.missing import missing_attribute, register_namespace
from .checkpoint import Checkpoint  # noqa: F401
from .checkpoint_files import latest_checkpoint  # noqa: F401
from .checkpoint_manager import CheckpointManager  # noqa: F401
from .optimizer import (Optimizer, create_global_step, get_global_step,  # noqa: F401
                        get_or_create_global_step, global_step)
from .optimizers import (AdadeltaOptimizer, AdagradOptimizer, AdamOptimizer,  # noqa: F401
                         GradientDescentOptimizer, MomentumOptimizer,
                         ProximalGradientDescentOptimizer, RMSPropOptimizer)

_LAZY = {
    **dict.fromkeys(("Saver", "CheckpointReader", "CheckpointState", "checkpoint_exists",
                     "get_checkpoint_state", "list_variables", "load_checkpoint",
                     "load_variable"), ".saver"),
    **dict.fromkeys(("cosine_decay", "cosine_decay_restarts", "exponential_decay",
                     "inverse_time_decay", "linear_cosine_decay", "natural_exp_decay",
                     "piecewise_constant", "piecewise_constant_decay", "polynomial_decay"),
                    ".schedules"),
}

# -- the gaps the TF programs found (issue 18): event files read back --
_LAZY["summary_iterator"] = "..summaries.reading"


def __getattr__(name):
    module = _LAZY.get(name)
    if module is None:                  # a name janusgrad lacks: a clear error (issue 18)
        raise missing_attribute(__name__, name)
    import importlib
    value = getattr(importlib.import_module(module, __name__), name)
    globals()[name] = value
    return value


def __dir__():
    return sorted(set(globals()) | set(_LAZY))


register_namespace(__name__)
