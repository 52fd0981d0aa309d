"""tensorflow.python.training.adagrad."""
from ....framework.missing import missing_names as _missing_names
from ....train.optimizers import AdagradOptimizer

__getattr__ = _missing_names(__name__)
