"""tensorflow.python.ops.nn_impl."""
from ....framework.missing import missing_names as _missing_names
from ....ops.nn import (batch_normalization, l2_normalize,
                        sigmoid_cross_entropy_with_logits)
from ....ops.nn import silu as swish
from .nn import moments

__getattr__ = _missing_names(__name__)
