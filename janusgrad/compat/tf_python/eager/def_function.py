"""tensorflow.python.eager.def_function."""
from ....framework.missing import missing_names as _missing_names
from ....runtime.function import Function, function

__getattr__ = _missing_names(__name__)
