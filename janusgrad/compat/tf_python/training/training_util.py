"""tensorflow.python.training.training_util: the global step."""
from ....framework.missing import missing_names as _missing_names
from ....train.optimizer import get_global_step, get_or_create_global_step

__getattr__ = _missing_names(__name__)
