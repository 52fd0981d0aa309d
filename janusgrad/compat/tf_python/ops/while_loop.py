"""tensorflow.python.ops.while_loop."""
from ....framework.missing import missing_names as _missing_names
from ....runtime.control_flow import while_loop

__getattr__ = _missing_names(__name__)
