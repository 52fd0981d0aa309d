"""tensorflow.python.ops.cond."""
from ....framework.missing import missing_names as _missing_names
from ....runtime.control_flow import cond

__getattr__ = _missing_names(__name__)
