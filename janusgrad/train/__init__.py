"""tf.train and tf.compat.v1.train: TF1 optimizers, checkpoints, the global step."""
from .checkpoint import Checkpoint  # noqa: F401
from .checkpoint_files import latest_checkpoint  # noqa: F401
from .checkpoint_manager import CheckpointManager  # noqa: F401
from .optimizer import (AdamOptimizer, GradientDescentOptimizer, MomentumOptimizer,  # noqa: F401
                        Optimizer, get_global_step, get_or_create_global_step)

# -- a name janusgrad lacks is a clear error (issue 18, running TF programs unchanged) --
from ..framework.missing import missing_names as _missing_names  # noqa: E402
__getattr__ = _missing_names(__name__)
