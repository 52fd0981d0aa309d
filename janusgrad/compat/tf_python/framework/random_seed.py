"""tensorflow.python.framework.random_seed."""
from ....framework.missing import missing_names as _missing_names
from ....ops.random import set_seed  # noqa: F401
from ...random_seed import set_random_seed  # noqa: F401

__getattr__ = _missing_names(__name__)
