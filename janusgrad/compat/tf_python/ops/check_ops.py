"""tensorflow.python.ops.check_ops."""
from ....ops.control import (assert_equal, assert_greater, assert_greater_equal,
                             assert_less, assert_less_equal, assert_none_equal)
from ....framework.missing import missing_names as _missing_names

__getattr__ = _missing_names(__name__)
