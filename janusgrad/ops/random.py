"""Random ops, reproducible within janusgrad under tf.random.set_seed (not TF's streams).

Eager ops draw from a process generator reset by set_seed (an op-level seed picks a stream of
its own); a graph op owns a generator made when it is built, so each Session.run draws anew.
"""
import threading

import numpy as np

from ..framework import dtypes
from ..framework.context import current_graph
from ..framework.execute import execute
from ..framework.registry import OPS, not_differentiable, register_kernel
from ..framework.shape import TensorShape
from ..framework.tensor import Tensor, convert_to_tensor
from .control import op_scope
from .define import as_int, as_ints, invalid

# "rng" is made on first use: numpy.random costs ~10 ms to import, and most programs never
# draw a random number
_state = {"seed": None, "rng": None, "streams": {}, "count": 0}
_lock = threading.Lock()


def set_seed(seed):
    """Make the random ops that follow reproducible. The values are janusgrad's (drawn by
    NumPy), not TF's random streams."""
    with _lock:
        _state["seed"] = None if seed is None else as_int(None, "seed", seed)
        _state["rng"] = np.random.default_rng(seed)
        _state["streams"] = {}
        _state["count"] = 0


def generator(seed):
    graph = current_graph()
    with _lock:
        if graph is not None:
            gseed = graph.seed if graph.seed is not None else _state["seed"]
            _state["count"] += 1
            if gseed is None and seed is None:
                return np.random.default_rng()
            if graph.seed is not None and seed is None:
                # TF 1's graph-level seed (set_random_seed): the op's place in its graph picks
                # its stream, so rebuilding the graph under the same seed draws the same numbers
                return np.random.default_rng([graph.seed % 2**64, graph.version])
            if seed is not None:
                # issue 18: as TF, the (graph seed, op seed) pair alone picks the stream: two
                # ops with the same op seed draw the same numbers (a graph rebuilt too)
                return np.random.default_rng([gseed or 0, as_int(None, "seed", seed)])
            return np.random.default_rng([gseed or 0, _state["count"], graph.version])
        if seed is None:
            if _state["rng"] is None:
                _state["rng"] = np.random.default_rng()
            return _state["rng"]
        key = as_int(None, "seed", seed)
        if key not in _state["streams"]:
            _state["streams"][key] = np.random.default_rng([_state["seed"] or 0, key])
        return _state["streams"][key]


def _static_shape(shape, op_type):
    if isinstance(shape, Tensor):
        from .array import constant_value
        value = constant_value(shape)
        if value is None:
            raise NotImplementedError(f"{op_type}: shape must be known when the graph is built")
        shape = value.tolist()
    if isinstance(shape, TensorShape):
        shape = shape.as_list()
    if isinstance(shape, (int, np.integer)):
        shape = [shape]
    shape = as_ints(op_type, "shape", shape)
    if any(d < 0 for d in shape):
        d = next(d for d in shape if d < 0)
        raise invalid(f"{op_type}: Dimension {d} must be >= 0 (shape {shape})")
    return tuple(shape)


def _infer(inputs, attrs):
    return [(attrs["dtype"], TensorShape(list(attrs["shape"])))]


def _uniform_kernel(lo, hi, *, shape, dtype, rng):
    if dtype.is_integer:
        return rng.integers(lo, hi, size=shape, dtype=dtype.np)
    return rng.uniform(lo, hi, size=shape).astype(dtype.np)


def _normal_kernel(mean, std, *, shape, dtype, rng):
    return (mean + std * rng.standard_normal(shape)).astype(dtype.np)


def _truncated_kernel(mean, std, *, shape, dtype, rng):
    z = rng.standard_normal(shape)
    bad = np.abs(z) > 2
    while bad.any():
        z[bad] = rng.standard_normal(int(bad.sum()))
        bad = np.abs(z) > 2
    return (mean + std * z).astype(dtype.np)


register_kernel("RandomUniform", _uniform_kernel, infer=_infer)
register_kernel("RandomStandardNormal", _normal_kernel, infer=_infer)
register_kernel("TruncatedNormal", _truncated_kernel, infer=_infer)
register_kernel("RandomShuffle", lambda x, *, rng: rng.permutation(x) if x.ndim else x.copy(),
                infer=lambda i, a: [(i[0].dtype, i[0].shape)])
not_differentiable("RandomUniform", "RandomStandardNormal", "TruncatedNormal", "RandomShuffle",
                   "Multinomial")


def _dynamic_random_kernel(shape, a, b, *, draw, dtype, rng):
    """The draw op `draw` with its shape given as a tensor (known only at run time)."""
    if shape.ndim != 1:
        raise ValueError(f"{draw}: shape must be a vector, got a tensor of shape "
                         f"{list(shape.shape)}")
    if np.any(shape < 0):
        raise ValueError(f"{draw}: shape dimensions must be >= 0, got {shape.tolist()}")
    return OPS[draw].kernel(a, b, shape=tuple(shape.tolist()), dtype=dtype, rng=rng)


def _dynamic_random_infer(inputs, attrs):
    from .array import shape_entries
    dims = shape_entries(inputs[0])         # tf.shape(x) gives x's static dims, as TF's
    return [(attrs["dtype"], TensorShape(dims))]


register_kernel("DynamicRandom", _dynamic_random_kernel, infer=_dynamic_random_infer)
not_differentiable("DynamicRandom")


def has_tensors(shape):
    """Whether a shape argument is a tensor or a list with tensors in it."""
    return isinstance(shape, Tensor) or \
        isinstance(shape, (list, tuple)) and any(isinstance(d, Tensor) for d in shape)


def _run_time_shape(shape, op_type):
    """An int tensor for a shape whose value is known only when the graph runs (say
    `tf.shape(x)` of a placeholder with a None dim), else None."""
    if not has_tensors(shape):
        return None
    from .array import shape_tensor, constant_value
    t = shape_tensor(shape, op_type)
    if constant_value(t) is not None:
        return None
    if t.shape.rank not in (None, 1):
        raise ValueError(f"{op_type}: shape must be a vector, got a tensor of shape {t.shape}")
    return t


def _draw(op_type, shape, a, b, dtype, seed, name, scope_name):
    """The draw, in a graph named as TF names its result: in the scope `scope_name` (or
    `name`), the scope's own name (TF's last op, which adds the mean / minval), except for a
    uniform float draw in [0, 1) ("RandomUniform") or [0, maxval) ("Mul")."""
    dtype = dtypes.as_dtype(dtype)
    shape_t = _run_time_shape(shape, op_type)
    if shape_t is None:
        shape = _static_shape(shape, op_type)
    with op_scope(name, scope_name) as name:
        if name is not None and op_type == "RandomUniform" and not dtype.is_integer and \
                type(a) is int and a == 0:
            name = None if type(b) is int and b == 1 else "Mul"
        a = convert_to_tensor(a, dtype=dtype)
        b = convert_to_tensor(b, dtype=dtype)
        attrs = {"dtype": dtype, "rng": generator(seed)}
        if shape_t is not None:
            return execute("DynamicRandom", [shape_t, a, b], dict(attrs, draw=op_type),
                           name=name)[0]
        return execute(op_type, [a, b], dict(attrs, shape=shape), name=name)[0]


def uniform(shape, minval=0, maxval=None, dtype=dtypes.float32, seed=None, name=None):
    """Uniform values in [minval, maxval). Reproducible under `tf.random.set_seed` and op
    seeds, but not TF's random streams (other values)."""
    dtype = dtypes.as_dtype(dtype)
    if maxval is None:
        if dtype.is_integer:
            raise ValueError("Must specify maxval for integer dtype")
        maxval = 1
    return _draw("RandomUniform", shape, minval, maxval, dtype, seed, name, "random_uniform")


def normal(shape, mean=0.0, stddev=1.0, dtype=dtypes.float32, seed=None, name=None):
    """Random values from a normal distribution with `mean` and `stddev`. Reproducible under
    `tf.random.set_seed` and op seeds, but not TF's random streams (other values)."""
    return _draw("RandomStandardNormal", shape, mean, stddev, dtype, seed, name, "random_normal")


def truncated_normal(shape, mean=0.0, stddev=1.0, dtype=dtypes.float32, seed=None, name=None):
    """Normal values, redrawn when more than 2 stddev from the mean."""
    return _draw("TruncatedNormal", shape, mean, stddev, dtype, seed, name, "truncated_normal")


def shuffle(value, seed=None, name=None):
    """`value` with its first dimension randomly permuted."""
    return execute("RandomShuffle", [convert_to_tensor(value)], {"rng": generator(seed)},
                   name=name)[0]


def _categorical_kernel(logits, *, num_samples, dtype, rng):
    """Inverse-CDF sampling for every row at once: row r's cumulative probabilities are shifted
    by r, so one searchsorted over the concatenation serves all rows (no loop over the batch)."""
    rows, classes = logits.shape
    z = logits - logits.max(axis=1, keepdims=True)
    p = np.exp(z.astype(np.float64))
    cum = np.cumsum(p / p.sum(axis=1, keepdims=True), axis=1)
    cum[:, -1] = 1.0                                 # no round-off gap above the last class
    offset = np.arange(rows, dtype=np.float64)[:, None]
    u = rng.uniform(size=(rows, num_samples))
    flat = np.searchsorted((cum + offset).ravel(), (u + offset).ravel(), side="right")
    picked = flat.reshape(rows, num_samples) - np.arange(rows)[:, None] * classes
    return np.minimum(picked, classes - 1).astype(dtype.np)


register_kernel("Multinomial", _categorical_kernel, infer=lambda i, a: [
    (a["dtype"], TensorShape([i[0].shape.dims[0] if i[0].shape.rank else None,
                              a["num_samples"]]))])


def categorical(logits, num_samples, dtype=None, seed=None, name=None):
    """Samples of class indices from unnormalized log-probabilities, shape [batch, num_samples]."""
    logits = convert_to_tensor(logits)
    if not logits.dtype.is_floating:
        raise TypeError(f"categorical: logits must be floating, got {logits.dtype.name}")
    if logits.shape.rank is not None and logits.shape.rank != 2:
        raise ValueError(f"categorical: logits must be 2-D [batch, classes], got {logits.shape}")
    attrs = {"num_samples": as_int("Multinomial", "num_samples", num_samples),
             "dtype": dtypes.as_dtype(dtype or dtypes.int64),
             "rng": generator(seed)}
    with op_scope(name, "categorical"):
        return execute("Multinomial", [logits], attrs)[0]
