"""tensorflow.python.ops.gradients."""
from ....autodiff.custom import custom_gradient
from ....autodiff.gradients import gradients, hessians
from ....autodiff.tape import GradientTape, UnconnectedGradients
from ....framework.missing import missing_names as _missing_names

__getattr__ = _missing_names(__name__)
