"""tf.distribute's strategy API, and its one-replica strategies (issue 18).

In one process janusgrad computes on one CPU, so these strategies have one replica, as TF's
MirroredStrategy on one device: `run(fn, args)` is fn(*args) in a replica context, `reduce` of
a per-replica value is the value itself (axis=None) or its sum / mean along `axis`, variables
made in `scope()` are plain variables. Programs written for several replicas run unchanged and
give the numbers TF gives on one device.

Several replicas (issue 23) are processes: janusgrad/distributed runs them on Ray and builds on
what is here: a `ReplicaContext` with a replica id and a `collective` that all-reduces across
the processes, `PerReplica` values, and `aggregate_gradients` (replica_state.py), which
optimizers call so that inside `run` they apply the sum of every replica's gradients.
"""
import contextlib
import enum

import numpy as np

from ..framework.errors import InvalidArgumentError, short_repr
from ..framework.nest import flatten, map_structure, pack_sequence_as
from ..framework.tensor import EagerTensor, Tensor, convert_to_tensor
from ..ops.array import shape
from ..ops.indexed_slices import IndexedSlices
from ..ops.math import cast, divide_no_nan, multiply
from ..ops.reduce import reduce_mean, reduce_sum
from .replica_state import STATE as _STATE
from .replica_state import aggregate_gradients  # noqa: F401  (the optimizers' hook, here too)


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




class InputContext:
    """What distribute_datasets_from_function gives its function: which input pipeline it
    makes, and for how many replicas."""

    def __init__(self, num_input_pipelines=1, input_pipeline_id=0, num_replicas_in_sync=1):
        self.num_input_pipelines = num_input_pipelines
        self.input_pipeline_id = input_pipeline_id
        self.num_replicas_in_sync = num_replicas_in_sync

    def get_per_replica_batch_size(self, global_batch_size):
        """The batch size of each replica: the global one divided by the replicas' number."""
        if global_batch_size % self.num_replicas_in_sync:
            raise ValueError(f"The `global_batch_size` {global_batch_size!r} is not divisible "
                             f"by `num_replicas_in_sync` {self.num_replicas_in_sync!r}")
        return global_batch_size // self.num_replicas_in_sync


class StrategyExtended:
    """A strategy's lower-level view (`strategy.extended`): its devices."""

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
        enter_replica(ReplicaContext(self))
        try:
            return fn(*args, **(kwargs or {}))
        finally:
            exit_replica()

    def reduce(self, reduce_op, value, axis=None):
        """The per-replica value combined over the replicas (SUM or MEAN), after, with `axis`,
        summing each replica's value along it (MEAN: over all the elements along it, of every
        replica). A value that is not per-replica is the same on every replica."""
        op = _reduce_op("Strategy.reduce", reduce_op)
        n = self.num_replicas_in_sync

        def one(v):
            parts = v.values if isinstance(v, PerReplica) else (v,) * n
            parts = [convert_to_tensor(p) for p in parts]
            if len(parts) == 1:         # TF's numbers on one device: the value, or its reduction
                if axis is None:
                    return parts[0]
                return (reduce_sum if op is ReduceOp.SUM else reduce_mean)(parts[0], axis=axis)
            if axis is None:
                total = parts[0]
                for p in parts[1:]:
                    total = total + p
                return total if op is ReduceOp.SUM or n == 1 else total / n
            total = reduce_sum(parts[0], axis=axis)
            count = shape(parts[0])[axis]
            for p in parts[1:]:
                total = total + reduce_sum(p, axis=axis)
                count = count + shape(p)[axis]
            if op is ReduceOp.SUM:
                return total
            return total / cast(count, total.dtype)
        return map_per_replica(one, value)

    def experimental_local_results(self, value):
        """The values of the replicas of this process, in replica order."""
        if isinstance(value, PerReplica):
            return value.values
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
    """TF's MirroredStrategy: one replica per device. Without `devices` or `num_workers`
    (janusgrad's), one replica in this process, as TF's on a machine without GPUs. With
    several devices or num_workers > 1, that many replicas, each a process of its own on Ray
    (janusgrad/distributed: the `distributed` extra)."""

    def __new__(cls, devices=None, cross_device_ops=None, num_workers=None):
        if cls is MirroredStrategy and replica_count(devices, num_workers) > 1:
            from ..distributed.strategy import RayMirroredStrategy
            return RayMirroredStrategy.__new__(RayMirroredStrategy)
        return super().__new__(cls)

    def __init__(self, devices=None, cross_device_ops=None, num_workers=None):
        super().__init__()
        self._devices = tuple(devices) if devices is not None else ("/cpu:0",)


def replica_count(devices, num_workers, kind="MirroredStrategy"):
    """How many replicas a strategy given these devices / num_workers has (num_workers
    checked)."""
    if num_workers is not None:
        if isinstance(num_workers, bool) or not isinstance(num_workers, (int, np.integer)) \
                or num_workers < 1:
            raise ValueError(f"tf.distribute.{kind}: num_workers must be a positive integer, "
                             f"got {num_workers!r}")
        return int(num_workers)
    return len(tuple(devices)) if devices is not None else 1


class MultiWorkerMirroredStrategy(Strategy):
    """TF's MultiWorkerMirroredStrategy: replicas in processes of their own, on Ray
    (janusgrad/distributed: the `distributed` extra), `num_workers` of them (janusgrad's;
    by default one per CPU of the Ray cluster). TF's cluster_resolver and
    communication_options are accepted and unused: Ray's cluster is the cluster."""

    def __new__(cls, cluster_resolver=None, communication_options=None, num_workers=None):
        if cls is MultiWorkerMirroredStrategy:
            from ..distributed.strategy import RayMultiWorkerMirroredStrategy
            return RayMultiWorkerMirroredStrategy.__new__(RayMultiWorkerMirroredStrategy)
        return super().__new__(cls)


class OneDeviceStrategy(Strategy):
    """TF's strategy of one replica on one device: here, this process."""

    def __init__(self, device):
        super().__init__()
        self._devices = (device,)


class _DefaultDistributionStrategy(Strategy):
    pass


_DEFAULT = _DefaultDistributionStrategy()


class ReplicaContext:
    """Where a replica's step runs. `collective` (janusgrad/distributed's, for several
    replicas) has all_reduce(op, values): the values combined over the replicas, each a tensor
    or IndexedSlices (SUM of slices: all of them, concatenated)."""

    def __init__(self, strategy, replica_id=0, num_replicas=1, collective=None):
        self._strategy = strategy
        self._replica_id = replica_id
        self._num_replicas = num_replicas
        self._collective = collective

    @property
    def strategy(self):
        return self._strategy

    @property
    def num_replicas_in_sync(self):
        return self._num_replicas

    @property
    def replica_id_in_sync_group(self):
        return self._replica_id

    def all_reduce(self, reduce_op, value, options=None):
        """`value` (a nest of tensors / IndexedSlices) summed or averaged over the replicas;
        every replica gets the same result."""
        op = _reduce_op("ReplicaContext.all_reduce", reduce_op)
        if self._collective is None:
            return map_structure(convert_to_tensor, value)
        flat = flatten(value)
        leaves = [v if isinstance(v, IndexedSlices) else convert_to_tensor(v) for v in flat]
        return pack_sequence_as(value, self._collective.all_reduce(op, leaves))

    def merge_call(self, merge_fn, args=(), kwargs=None):
        return merge_fn(self._strategy, *args, **(kwargs or {}))


class PerReplica(tuple):
    """One value per replica, as `run` returns them (TF's PerReplica): `values` in replica
    order. strategy.reduce combines them; experimental_local_results lists them. A tuple, so
    that a tf.function given one traces with a placeholder per replica's tensor (TF's
    composite tensor)."""

    @property
    def values(self):
        return tuple(self)

    def __repr__(self):
        return "PerReplica:{" + ", ".join(f"{i}: {v!r}" for i, v in enumerate(self)) + "}"


def split_batch(batch, n, refuse_short=None):
    """A global batch (a nest of arrays / tensors) split along its first axis into one part per
    replica, as PerReplica leaves (np.array_split: the first parts one row longer). A batch
    with fewer rows than replicas leaves some an empty part, as TF's; with `refuse_short`
    (the caller's name) it is a ValueError instead, as is a scalar."""
    out = []
    for x in flatten(batch):
        a = np.asarray(x.numpy() if isinstance(x, Tensor) else x)
        if a.ndim == 0:
            raise ValueError(f"{refuse_short or 'split_batch'}: a batch's elements must have a "
                             f"first (batch) axis to split across {n} replicas, got a scalar")
        if refuse_short and a.shape[0] < n:
            raise ValueError(f"{refuse_short}: a batch of {a.shape[0]} cannot be split across "
                             f"{n} replicas")
        out.append(PerReplica([EagerTensor(p) for p in np.array_split(a, n)]))
    return pack_sequence_as(batch, out)


def map_per_replica(fn, structure):
    """fn over the leaves of a nest, a PerReplica value being one leaf."""
    if isinstance(structure, PerReplica):
        return fn(structure)
    if isinstance(structure, (list, tuple)):
        items = [map_per_replica(fn, x) for x in structure]
        if isinstance(structure, list):
            return items
        return type(structure)(*items) if hasattr(structure, "_fields") else \
            type(structure)(items)
    if isinstance(structure, dict):
        return type(structure)((k, map_per_replica(fn, v)) for k, v in structure.items())
    return fn(structure)


def enter_replica(context):
    """Make `context` (a ReplicaContext) current, with its strategy, until exit_replica: what
    run does around a replica's step (and janusgrad/distributed's replicas around theirs)."""
    _STATE.replica.append(context)
    _STATE.strategies.append(context.strategy)


def exit_replica():
    _STATE.strategies.pop()
    _STATE.replica.pop()


def get_strategy():
    """The innermost strategy scope's, else the default strategy."""
    return _STATE.strategies[-1] if _STATE.strategies else _DEFAULT


def has_strategy():
    """Whether a strategy's scope (or a replica's step) is entered."""
    return bool(_STATE.strategies)


def in_cross_replica_context():
    """Whether code runs in a strategy's scope but outside a replica's step."""
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
        ctx = _STATE.replica[-1] if _STATE.replica else None
        global_batch_size = n * (ctx.num_replicas_in_sync if ctx is not None else 1)
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
