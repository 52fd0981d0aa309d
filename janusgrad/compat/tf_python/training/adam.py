"""tensorflow.python.training.adam."""
from ....framework.missing import missing_names as _missing_names
from ....train.optimizer import AdamOptimizer

__getattr__ = _missing_names(__name__)
