"""tensorflow.python.training.adam."""
from ....framework.missing import missing_names as _missing_names
from ....train.optimizers import AdamOptimizer

__getattr__ = _missing_names(__name__)
