"""tf.keras.activations: elementwise functions, and `get` for names used by layers."""
from ..framework.tensor import convert_to_tensor
from ..ops import nn
from ..ops.math import sigmoid, softplus, tanh  # noqa: F401


def relu(x, negative_slope=0.0, max_value=None, threshold=0.0, alpha=None):
    """max(x, 0), Keras-style: values at or below `threshold` become 0, `max_value` caps the
    output, and `negative_slope` (Keras 2: `alpha`) * (x - threshold) is added below it."""
    from ..ops.math import cast, clip_by_value, greater
    slope = alpha if alpha is not None else negative_slope
    x = convert_to_tensor(x)
    if slope == 0.0 and max_value is None and threshold == 0.0:
        return nn.relu(x)
    negative = nn.relu(threshold - x) if slope != 0.0 else None
    y = x * cast(greater(x, threshold), x.dtype) if threshold != 0.0 else nn.relu(x)
    if max_value is not None:
        y = clip_by_value(y, 0.0, max_value)
    return y - slope * negative if negative is not None else y


def softmax(x, axis=-1):
    """exp(x) / sum(exp(x)) along `axis` (the last by default)."""
    return nn.softmax(x, axis=axis)


def log_softmax(x, axis=-1):
    """log(softmax(x)) along `axis`, computed stably."""
    return nn.log_softmax(x, axis=axis)


def elu(x, alpha=1.0):
    """Exponential linear unit: x where x > 0, else alpha * (exp(x) - 1)."""
    y = nn.elu(x)
    return y if alpha == 1.0 else _scaled_negative(x, y, alpha)


def _scaled_negative(x, y, alpha):
    from ..ops.math import greater, where_v2
    return where_v2(greater(x, 0.0), y, alpha * y)


def selu(x):
    """Scaled exponential linear unit (Klambauer et al.)."""
    return nn.selu(x)


def gelu(x, approximate=False):
    """Gaussian error linear unit, exact or (approximate=True) the tanh approximation."""
    return nn.gelu(x, approximate=approximate)


def silu(x):
    """x * sigmoid(x) (also Keras's `swish`)."""
    return nn.silu(x)


swish = silu


def linear(x):
    """The identity activation: returns x unchanged."""
    return x


_BY_NAME = {"relu": relu, "sigmoid": sigmoid, "tanh": tanh, "softmax": softmax,
            "log_softmax": log_softmax, "softplus": softplus, "elu": elu, "selu": selu,
            "gelu": gelu, "silu": silu, "swish": swish, "linear": linear}


def get(identifier):
    """The activation function named `identifier` (None and 'linear' give the identity)."""
    if identifier is None:
        return linear
    if isinstance(identifier, str):
        if identifier not in _BY_NAME:
            raise ValueError(f"Could not interpret activation function identifier: "
                             f"{identifier!r}")
        return _BY_NAME[identifier]
    if callable(identifier):
        return identifier
    raise ValueError(f"Could not interpret activation function identifier: {identifier!r}")


# -- layers and models (issue 20): the name get_config lists for an activation --
def serialize(activation):
    """The activation's name ('relu'; 'linear' for the identity), or the callable itself."""
    for name, fn in _BY_NAME.items():
        if fn is activation:
            return name
    return getattr(activation, "__name__", activation)


# -- hard_sigmoid, an LSTM/GRU recurrent_activation (issue 18, recurrent Keras layers) --
def hard_sigmoid(x):
    """Keras 3's: relu6(x + 3) / 6 (slope 1/6; Keras 2's was 0.2)."""
    x = convert_to_tensor(x)
    return nn.relu6(x + 3.0) / 6.0


_BY_NAME["hard_sigmoid"] = hard_sigmoid

# -- a name janusgrad lacks is a clear error (issue 18, running TF programs unchanged) --
from ..framework.missing import missing_names as _missing_names  # noqa: E402
__getattr__ = _missing_names(__name__)
