"""TF1's spellings of tensor functions (tf.compat.v1.*): to_float & co, random_uniform & co,
log, assign, the reductions' `keep_dims=` / `reduction_indices=`, argmax's `dimension=`.
"""
from ..framework import dtypes
from ..ops import random as random_ops
from ..ops import reduce as reduce_ops
from ..ops.math import cast, log  # noqa: F401  (log: tf.compat.v1.log)
from ..ops.state import Variable


# -- casts -------------------------------------------------------------------------------------

def to_float(x, name="ToFloat"):
    """cast(x, float32); x itself when it is float32 already."""
    return cast(x, dtypes.float32, name=name)


def to_double(x, name="ToDouble"):
    """TF1: cast `x` to float64."""
    return cast(x, dtypes.float64, name=name)


def to_int32(x, name="ToInt32"):
    """TF1: cast `x` to int32."""
    return cast(x, dtypes.int32, name=name)


def to_int64(x, name="ToInt64"):
    """TF1: cast `x` to int64."""
    return cast(x, dtypes.int64, name=name)


# -- random ops (named as TF1's) ---------------------------------------------------------------

def random_uniform(shape, minval=0, maxval=None, dtype=dtypes.float32, seed=None, name=None):
    """TF1's name for `tf.random.uniform` (op name 'random_uniform')."""
    return random_ops.uniform(shape, minval, maxval, dtype, seed=seed,
                              name=name or "random_uniform")


def random_normal(shape, mean=0.0, stddev=1.0, dtype=dtypes.float32, seed=None, name=None):
    """TF1's name for `tf.random.normal` (op name 'random_normal')."""
    return random_ops.normal(shape, mean, stddev, dtype, seed=seed, name=name or "random_normal")


def truncated_normal(shape, mean=0.0, stddev=1.0, dtype=dtypes.float32, seed=None, name=None):
    """TF1's name for `tf.random.truncated_normal`: normal values redrawn beyond two standard
    deviations."""
    return random_ops.truncated_normal(shape, mean, stddev, dtype, seed=seed,
                                       name=name or "truncated_normal")


def random_shuffle(value, seed=None, name=None):
    """TF1's name for `tf.random.shuffle`: shuffle a tensor along its first dimension."""
    return random_ops.shuffle(value, seed=seed, name=name)


# -- assignments -------------------------------------------------------------------------------

def _variable(ref, fn):
    if not isinstance(ref, Variable):
        raise AttributeError(f"{fn}: ref must be a tf.Variable (only variables can be assigned "
                             f"to), got {ref!r}")
    return ref


def assign(ref, value, validate_shape=None, use_locking=None, name=None):
    """ref.assign(value): the variable (eagerly) or its value after the assignment (graph)."""
    return _variable(ref, "assign").assign(value, name=name)


def assign_add(ref, value, use_locking=None, name=None):
    """TF1: add `value` to the variable `ref` and return the new value."""
    return _variable(ref, "assign_add").assign_add(value, name=name)


def assign_sub(ref, value, use_locking=None, name=None):
    """TF1: subtract `value` from the variable `ref` and return the new value."""
    return _variable(ref, "assign_sub").assign_sub(value, name=name)


# -- reductions with TF1's argument names ------------------------------------------------------

def _either(fn, new_name, new, old_name, old):
    """TF's deprecated_argument_lookup: the value given under either name, not both."""
    if old is not None:
        if new is not None:
            raise ValueError(f"{fn}: Cannot specify both '{old_name}' and '{new_name}'.")
        return old
    return new


def _v1_reduction(reduction):
    fname = reduction.__name__

    def reduce(input_tensor, axis=None, keepdims=None, name=None, reduction_indices=None,
               keep_dims=None):
        axis = _either(reduce.__name__, "axis", axis, "reduction_indices", reduction_indices)
        keepdims = _either(reduce.__name__, "keepdims", keepdims, "keep_dims", keep_dims)
        return reduction(input_tensor, axis, bool(keepdims), name=name)

    reduce.__name__ = reduce.__qualname__ = fname
    reduce.__doc__ = (f"tf.compat.v1.{fname}: {fname} with TF1's `reduction_indices` (axis) and "
                      "`keep_dims` (keepdims).")
    return reduce


reduce_sum = _v1_reduction(reduce_ops.reduce_sum)
reduce_mean = _v1_reduction(reduce_ops.reduce_mean)
reduce_max = _v1_reduction(reduce_ops.reduce_max)
reduce_min = _v1_reduction(reduce_ops.reduce_min)
reduce_prod = _v1_reduction(reduce_ops.reduce_prod)
reduce_any = _v1_reduction(reduce_ops.reduce_any)
reduce_all = _v1_reduction(reduce_ops.reduce_all)
reduce_logsumexp = _v1_reduction(reduce_ops.reduce_logsumexp)


def argmax(input, axis=None, name=None, dimension=None, output_type=dtypes.int64):  # noqa: A002
    """The index of the largest value along `axis` (TF1's `dimension`; 0 when neither)."""
    axis = _either("argmax", "axis", axis, "dimension", dimension)
    return reduce_ops.argmax(input, 0 if axis is None else axis, output_type, name=name)


def argmin(input, axis=None, name=None, dimension=None, output_type=dtypes.int64):  # noqa: A002
    """TF1's argmin: the index of the smallest value along `axis` (or TF1's `dimension`; axis 0 by
    default)."""
    axis = _either("argmin", "axis", axis, "dimension", dimension)
    return reduce_ops.argmin(input, 0 if axis is None else axis, output_type, name=name)
