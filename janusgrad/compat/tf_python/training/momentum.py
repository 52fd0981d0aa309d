"""tensorflow.python.training.momentum."""
from ....framework.missing import missing_names as _missing_names
from ....train.optimizers import MomentumOptimizer

__getattr__ = _missing_names(__name__)
