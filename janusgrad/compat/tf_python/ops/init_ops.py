"""tensorflow.python.ops.init_ops (TF1's initializers)."""
from ....framework.missing import missing_names as _missing_names
from ...init_ops import *  # noqa: F401,F403

__getattr__ = _missing_names(__name__)
