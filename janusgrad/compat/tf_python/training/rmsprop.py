"""tensorflow.python.training.rmsprop."""
from ....framework.missing import missing_names as _missing_names
from ....train.optimizers import RMSPropOptimizer

__getattr__ = _missing_names(__name__)
