"""tf.image, the basics (issue 18): flips, per_image_standardization, convert_image_dtype,
rgb_to_grayscale, composed of janusgrad ops as TF composes them (so gradients flow where TF's
do). Not here yet: resize and the rest of tf.image."""
import numpy as np

from ..framework import dtypes
from ..framework.tensor import convert_to_tensor
from ..ops.array import identity
from ..ops.control import op_scope
from ..ops.indexing import reverse
from ..ops.math import cast, clip_by_value, floordiv, maximum, multiply, rsqrt, subtract, truediv
from ..ops.moments import reduce_std
from ..ops.reduce import reduce_mean, reduce_sum


def _image(image, fn, ranks=(3, 4)):
    image = convert_to_tensor(image)
    rank = image.shape.rank
    if rank is not None and rank < 3:
        raise ValueError(f"{fn}: 'image' (shape {image.shape}) must be at least "
                         "three-dimensional.")
    if rank is not None and ranks and rank not in ranks:
        raise ValueError(f"{fn}: 'image' (shape {image.shape}) must have either 3 or 4 "
                         "dimensions.")
    return image


def flip_left_right(image):
    """image reversed along its width (axis -2 of [height, width, channels])"""
    return reverse(_image(image, "flip_left_right"), [-2])


def flip_up_down(image):
    """image reversed along its height (axis -3)"""
    return reverse(_image(image, "flip_up_down"), [-3])


def per_image_standardization(image):
    """(x - mean) / max(std, 1/sqrt(pixels)) over each image's last three axes, in float32"""
    image = cast(_image(image, "per_image_standardization", ranks=()), dtypes.float32)
    with op_scope(None, "per_image_standardization") as scope:
        dims = image.shape.dims
        axes = [-1, -2, -3]
        mean = reduce_mean(image, axis=axes, keepdims=True)
        if dims is not None and None not in dims[-3:]:
            pixels = float(np.prod(dims[-3:]))
            floor = rsqrt(convert_to_tensor(pixels, dtypes.float32))
        else:
            from ..ops.array import shape
            from ..ops.reduce import reduce_prod
            floor = rsqrt(cast(reduce_prod(shape(image)[-3:]), dtypes.float32))
        std = maximum(reduce_std(image, axis=axes, keepdims=True), floor)
        return truediv(subtract(image, mean), std, name=scope)


def _saturate(x, dtype):
    """x clipped to dtype's range before a cast (TF's saturate_cast, for the casts here)"""
    lo, hi = max(dtype.min, x.dtype.min), min(dtype.max, x.dtype.max)
    return clip_by_value(x, cast(lo, x.dtype), cast(hi, x.dtype))


def convert_image_dtype(image, dtype, saturate=False, name=None):
    """image in `dtype`, rescaled: floats span [0, 1], integers [0, MAX] (TF's rules: integer
    to integer by integer multiply/floordiv, float to integer times MAX + 0.5)."""
    image = convert_to_tensor(image)
    dtype = dtypes.as_dtype(dtype)
    if not dtype.is_floating and not dtype.is_integer:
        raise AttributeError("convert_image_dtype: dtype must be either floating point or "
                             "integer")
    if not image.dtype.is_floating and not image.dtype.is_integer:
        raise AttributeError("convert_image_dtype: image dtype must be either floating point "
                             "or integer")
    if dtype == image.dtype:
        return identity(image, name=name)
    with op_scope(name, "convert_image") as name:
        if image.dtype.is_integer and dtype.is_integer:
            scale_in, scale_out = image.dtype.max, dtype.max
            if scale_in > scale_out:        # down: scale, then cast
                scaled = floordiv(image, cast((scale_in + 1) // (scale_out + 1), image.dtype))
                return cast(_saturate(scaled, dtype) if saturate else scaled, dtype, name=name)
            up = cast(_saturate(image, dtype) if saturate else image, dtype)
            return multiply(up, cast((scale_out + 1) // (scale_in + 1), dtype), name=name)
        if image.dtype.is_floating and dtype.is_floating:
            return cast(image, dtype, name=name)
        if image.dtype.is_integer:          # to float: cast, then scale
            return multiply(cast(image, dtype), cast(1.0 / image.dtype.max, dtype), name=name)
        scaled = multiply(image, cast(dtype.max + 0.5, image.dtype))   # (rounding, as TF)
        return cast(_saturate(scaled, dtype) if saturate else scaled, dtype, name=name)


def rgb_to_grayscale(images, name=None):
    """0.2989 R + 0.5870 G + 0.1140 B, keeping a last axis of 1, in the images' dtype"""
    with op_scope(name, "rgb_to_grayscale") as name:
        images = convert_to_tensor(images)
        flt = convert_image_dtype(images, dtypes.float32)
        weights = convert_to_tensor([0.2989, 0.5870, 0.1140], dtypes.float32)
        gray = reduce_sum(multiply(flt, weights), axis=-1, keepdims=True)   # (any rank)
        return convert_image_dtype(gray, images.dtype, name=name)
