"""tf.math.reduce_variance / reduce_std / reduce_euclidean_norm: composites of the reductions,
so their gradients are those of the ops they are made of."""
from ..framework import dtypes
from ..framework.tensor import convert_to_tensor
from .control import op_scope
from .math import abs, cast, sqrt, square, subtract  # noqa: A004
from .reduce import reduce_mean, reduce_sum


def _float(x, fn):
    x = convert_to_tensor(x)
    if not (x.dtype.is_floating or x.dtype.is_complex):
        raise TypeError(f"{fn}: input_tensor must be either real or complex, got "
                        f"{x.dtype.name}")
    return x


def reduce_variance(input_tensor, axis=None, keepdims=False, name=None):
    """the mean of |x - mean(x)|^2 over axis (real for complex x)"""
    x = _float(input_tensor, "reduce_variance")
    with op_scope(name, "reduce_variance"):
        centred = subtract(x, reduce_mean(x, axis=axis, keepdims=True))
        dev = square(abs(centred)) if x.dtype.is_complex else square(centred)
        return reduce_mean(dev, axis=axis, keepdims=keepdims)


def reduce_std(input_tensor, axis=None, keepdims=False, name=None):
    """sqrt(reduce_variance(x))"""
    _float(input_tensor, "reduce_std")
    with op_scope(name, "reduce_std"):
        return sqrt(reduce_variance(input_tensor, axis=axis, keepdims=keepdims))


def reduce_euclidean_norm(input_tensor, axis=None, keepdims=False, name=None):
    """sqrt(sum(x^2)) over axis; integer inputs give the integer part, as TF's kernel"""
    with op_scope(name, "EuclideanNorm") as name:     # (TF's one op, named so)
        return _euclidean_norm(input_tensor, axis, keepdims, name)


def _euclidean_norm(input_tensor, axis, keepdims, name):
    x = convert_to_tensor(input_tensor)
    if x.dtype.is_integer:      # (not differentiable: TF computes in the integer dtype)
        total = reduce_sum(square(cast(x, dtypes.float64)), axis=axis, keepdims=keepdims)
        return cast(sqrt(total), x.dtype, name=name)
    x = _float(x, "reduce_euclidean_norm")
    if x.dtype.is_complex:      # sqrt(sum |x|^2), in the complex dtype
        total = reduce_sum(square(abs(x)), axis=axis, keepdims=keepdims)
        return cast(sqrt(total), x.dtype, name=name)
    return sqrt(reduce_sum(square(x), axis=axis, keepdims=keepdims), name=name)
