"""tensorflow.python.ops.map_fn."""
from ....framework.missing import missing_names as _missing_names
from ....runtime.map_fn import map_fn  # noqa: F401

__getattr__ = _missing_names(__name__)
