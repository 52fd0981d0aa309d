"""tensorflow.python.ops.while_loop."""
from ....framework.missing import missing_names as _missing_names
from ....runtime.control_flow import while_loop as while_loop_v2
# TF's `while_loop` in this module is TF 1's (tf.compat.v1.while_loop); while_loop_v2 is tf's
from ....runtime.control_flow import while_loop_v1 as while_loop

__getattr__ = _missing_names(__name__)
