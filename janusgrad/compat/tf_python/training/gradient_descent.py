"""tensorflow.python.training.gradient_descent."""
from ....framework.missing import missing_names as _missing_names
from ....train.optimizers import GradientDescentOptimizer

__getattr__ = _missing_names(__name__)
