"""tensorflow.python.training.learning_rate_decay (TF1's schedules)."""
from ....framework.missing import missing_names as _missing_names
from ....train.schedules import (cosine_decay, cosine_decay_restarts, exponential_decay,  # noqa: F401
                                 inverse_time_decay, linear_cosine_decay, natural_exp_decay,
                                 piecewise_constant, polynomial_decay)

__getattr__ = _missing_names(__name__)
