"""tensorflow.python.training.proximal_gradient_descent."""
from ....framework.missing import missing_names as _missing_names
from ....train.optimizers import ProximalGradientDescentOptimizer

__getattr__ = _missing_names(__name__)
