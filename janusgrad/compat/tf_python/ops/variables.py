"""tensorflow.python.ops.variables."""
from ....framework.missing import missing_names as _missing_names
from ....ops.state import (Variable, global_variables, global_variables_initializer,
                           initialize_all_variables, trainable_variables, variables_initializer)

VariableV1 = Variable
__getattr__ = _missing_names(__name__)
