"""tensorflow.python.ops.script_ops."""
from ....ops.python_ops import numpy_function
from ....framework.missing import missing_names as _missing_names
from ....runtime.py_function import py_function  # noqa: F401

eager_py_func = py_function
__getattr__ = _missing_names(__name__)
