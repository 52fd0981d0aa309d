"""tensorflow.python.training.optimizer: TF 1's Optimizer, the base of custom optimizers."""
from ....framework.missing import missing_names as _missing_names
from ....train.optimizer import Optimizer

__getattr__ = _missing_names(__name__)
