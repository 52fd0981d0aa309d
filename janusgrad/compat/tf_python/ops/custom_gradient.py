"""tensorflow.python.ops.custom_gradient."""
from ....autodiff.custom import custom_gradient, grad_pass_through, recompute_grad
from ....autodiff.tape import UnconnectedGradients
from ....framework.missing import missing_names as _missing_names

__getattr__ = _missing_names(__name__)
