"""tf.distribute on janusgrad's one device (issue 18: the gaps the TF programs found).

janusgrad computes on one CPU, so every strategy has one replica, as TF's MirroredStrategy on
one device: `run(fn, args)` is fn(*args) in a replica context, `reduce` of a per-replica value
is the value itself (axis=None) or its sum / mean along `axis`, variables made in `scope()`
are plain variables. Programs written for several replicas run unchanged and give the numbers
TF gives on one device.
"""
import contextlib
import enum
import threading

import numpy as np

from ..framework.errors import InvalidArgumentError, short_repr
from ..framework.nest import map_structure
from ..framework.tensor import convert_to_tensor
from ..ops.array import shape
from ..ops.math import cast, divide_no_nan, multiply
from ..ops.reduce import reduce_mean, reduce_sum


class ReduceOp(enum.Enum):
    """How strategy.reduce and all_reduce combine the replicas' values: SUM or MEAN."""
    SUM = "SUM"
    MEAN = "MEAN"


def _reduce_op(function, op):
    if isinstance(op, ReduceOp):
        return op
    if isinstance(op, str) and op.upper() in ReduceOp.__members__:
        return ReduceOp[op.upper()]
    raise ValueError(f"{function}: reduce_op must be a tf.distribute.ReduceOp (SUM or MEAN), "
                     f"got {op!r}")


class _State(threading.local):
    def __init__(self):
        self.strategies = []          # entered scopes, innermost last
        self.replica = []             # replica contexts of running `run` calls


_STATE = _State()


class InputContext:
    """What distribute_datasets_from_function gives its function: one input pipeline."""
    num_input_pipelines = 1
    input_pipeline_id = 0
    num_replicas_in_sync = 1

    def get_per_replica_batch_size(self, global_batch_size):
        return global_batch_size


class StrategyExtended:
    def __init__(self, strategy):
        self._container_strategy = strategy

    @property
    def worker_devices(self):
        return ("/job:localhost/replica:0/task:0/device:CPU:0",)

    parameter_devices = worker_devices


class Strategy:
    """One replica on the CPU (see the module's docstring)."""

    def __init__(self, extended=None):
        self._extended = StrategyExtended(self)

    @property
    def num_replicas_in_sync(self):
        return 1

    @property
    def extended(self):
        return self._extended

    @contextlib.contextmanager
    def scope(self):
        _STATE.strategies.append(self)
        try:
            yield self
        finally:
            _STATE.strategies.pop()

    def run(self, fn, args=(), kwargs=None, options=None):
        """fn(*args, **kwargs) on the one replica."""
        if not callable(fn):
            raise TypeError(f"Strategy.run: fn must be callable, got {short_repr(fn)}")
        _STATE.replica.append(ReplicaContext(self))
        _STATE.strategies.append(self)
        try:
            return fn(*args, **(kwargs or {}))
        finally:
            _STATE.strategies.pop()
            _STATE.replica.pop()

    def reduce(self, reduce_op, value, axis):
        """The per-replica value combined over the replicas (one: the value itself), then,
        with `axis`, summed or averaged along it."""
        op = _reduce_op("Strategy.reduce", reduce_op)
        if axis is None:
            return map_structure(convert_to_tensor, value)
        fn = reduce_sum if op is ReduceOp.SUM else reduce_mean
        return map_structure(lambda v: fn(v, axis=axis), value)

    def experimental_local_results(self, value):
        return (value,)

    def gather(self, value, axis):
        return value

    def experimental_distribute_dataset(self, dataset, options=None):
        return dataset

    def distribute_datasets_from_function(self, dataset_fn, options=None):
        return dataset_fn(InputContext())

    def experimental_distribute_values_from_function(self, value_fn):
        return value_fn(ValueContext())


class ValueContext:
    replica_id_in_sync_group = 0
    num_replicas_in_sync = 1


class MirroredStrategy(Strategy):
    def __init__(self, devices=None, cross_device_ops=None):
        super().__init__()
        self._devices = tuple(devices) if devices is not None else ("/cpu:0",)


class OneDeviceStrategy(Strategy):
    def __init__(self, device):
        super().__init__()
        self._devices = (device,)


class _DefaultDistributionStrategy(Strategy):
    pass


_DEFAULT = _DefaultDistributionStrategy()


class ReplicaContext:
    def __init__(self, strategy):
        self._strategy = strategy

    @property
    def strategy(self):
        return self._strategy

    @property
    def num_replicas_in_sync(self):
        return 1

    @property
    def replica_id_in_sync_group(self):
        return 0

    def all_reduce(self, reduce_op, value, options=None):
        _reduce_op("ReplicaContext.all_reduce", reduce_op)
        return map_structure(convert_to_tensor, value)

    def merge_call(self, merge_fn, args=(), kwargs=None):
        return merge_fn(self._strategy, *args, **(kwargs or {}))


def get_strategy():
    """The innermost strategy scope's, else the default strategy."""
    return _STATE.strategies[-1] if _STATE.strategies else _DEFAULT


def has_strategy():
    return bool(_STATE.strategies)


def in_cross_replica_context():
    return bool(_STATE.strategies) and not _STATE.replica


def get_replica_context():
    """The replica context inside `run` (or outside any scope: the default one); None in a
    strategy's cross-replica context, as TF."""
    if _STATE.replica:
        return _STATE.replica[-1]
    return None if _STATE.strategies else ReplicaContext(_DEFAULT)


# -- tf.nn's losses for distributed training -------------------------------------------------

def compute_average_loss(per_example_loss, sample_weight=None, global_batch_size=None):
    """sum(per_example_loss * sample_weight) / global_batch_size (by default the batch size,
    the first dimension, times the one replica); 0 for a global_batch_size of 0."""
    loss = convert_to_tensor(per_example_loss)
    if sample_weight is not None:
        loss = multiply(loss, cast(convert_to_tensor(sample_weight), loss.dtype))
    total = reduce_sum(loss)
    if global_batch_size is None:
        n = loss.shape[0] if loss.shape.rank else 1
        if n is None:
            n = shape(loss)[0]
        global_batch_size = n
    if isinstance(global_batch_size, bool) or not _is_integer(global_batch_size):
        raise TypeError("compute_average_loss: global_batch_size must be an integer, got "
                        f"{short_repr(global_batch_size)}")
    size = convert_to_tensor(global_batch_size)
    if size.shape.rank not in (None, 0):
        raise ValueError("compute_average_loss: global_batch_size must be a scalar, got shape "
                         f"{size.shape}")
    static = getattr(size, "_value", None)
    if static is not None and static < 0:
        raise InvalidArgumentError("compute_average_loss: global_batch_size must be "
                                   f"non-negative, got {int(static)}")
    if not total.dtype.is_floating:
        return divide_no_nan(cast(total, "float64"), cast(size, "float64"))
    return divide_no_nan(total, cast(size, total.dtype))


def _is_integer(value):
    if isinstance(value, (int, np.integer)):
        return True
    return bool(getattr(getattr(value, "dtype", None), "is_integer", False))


def scale_regularization_loss(regularization_loss):
    """The loss summed, divided by the number of replicas (one), as TF computes it."""
    return reduce_sum(convert_to_tensor(regularization_loss)) / get_strategy().num_replicas_in_sync
