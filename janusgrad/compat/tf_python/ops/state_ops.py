"""tensorflow.python.ops.state_ops: TF 1's assignments to a variable."""
from ....framework.missing import missing_names as _missing_names
from ...v1_ops import assign, assign_add, assign_sub  # noqa: F401

__getattr__ = _missing_names(__name__)
