"""tensorflow.python.ops.gradients_impl."""
from ....autodiff.gradients import gradients, hessians
from ....autodiff.tape import UnconnectedGradients
from ....framework.missing import missing_names as _missing_names

__getattr__ = _missing_names(__name__)
