"""tf.nn."""
from .ops.conv import (avg_pool, avg_pool2d, conv2d, conv2d_transpose, max_pool,  # noqa: F401
                       max_pool2d)
from .ops.math import sigmoid, softplus, tanh  # noqa: F401
from .ops.nn import (batch_normalization, bias_add, dropout, elu, embedding_lookup,  # noqa: F401
                     gelu, l2_loss, l2_normalize, leaky_relu, log_softmax, moments, relu, relu6,
                     selu, sigmoid_cross_entropy_with_logits, silu, softmax,
                     softmax_cross_entropy_with_logits, sparse_softmax_cross_entropy_with_logits,
                     swish)

# -- the gaps the TF programs found (issue 18): top_k; the losses of tf.distribute --
from .ops.sort import top_k  # noqa: E402,F401
from .compat.distribute import compute_average_loss, scale_regularization_loss  # noqa: E402,F401,I001

# -- a name janusgrad lacks is a clear error (issue 18, running TF programs unchanged) --
from .framework.missing import missing_names as _missing_names  # noqa: E402
__getattr__ = _missing_names(__name__)
