"""tf.random."""
from .ops.random import (categorical, normal, set_seed, shuffle, truncated_normal,  # noqa: F401
                         uniform)

# -- a name janusgrad lacks is a clear error (issue 18, running TF programs unchanged) --
from .framework.missing import missing_names as _missing_names  # noqa: E402
__getattr__ = _missing_names(__name__)
