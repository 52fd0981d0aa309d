"""tensorflow.python.ops.init_ops_v2 (TF2's initializers)."""
from ....framework.missing import missing_names as _missing_names
from ...init_ops_v2 import *  # noqa: F401,F403

__getattr__ = _missing_names(__name__)
