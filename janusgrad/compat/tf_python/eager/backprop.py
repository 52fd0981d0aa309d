"""tensorflow.python.eager.backprop."""
from ....autodiff.tape import GradientTape, UnconnectedGradients
from ....framework.missing import missing_names as _missing_names

__getattr__ = _missing_names(__name__)
