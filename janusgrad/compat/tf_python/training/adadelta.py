"""tensorflow.python.training.adadelta."""
from ....framework.missing import missing_names as _missing_names
from ....train.optimizers import AdadeltaOptimizer

__getattr__ = _missing_names(__name__)
