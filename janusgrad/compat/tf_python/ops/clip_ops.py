"""tensorflow.python.ops.clip_ops."""
from ....ops.math import clip_by_value
from ....ops.reduce import clip_by_global_norm, clip_by_norm
from ....framework.missing import missing_names as _missing_names

__getattr__ = _missing_names(__name__)
