"""tensorflow.python.ops.variable_scope."""
from ....framework.missing import missing_names as _missing_names
from ...variable_scope import (AUTO_REUSE, VariableScope, get_local_variable,  # noqa: F401
                              get_variable, get_variable_scope, no_regularizer,
                              variable_scope)

__getattr__ = _missing_names(__name__)
