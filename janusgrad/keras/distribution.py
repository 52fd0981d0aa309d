"""Keras' training under a tf.distribute strategy with several replicas (issue 23), as Keras 3's
TensorFlow trainer does it.

- A model records the strategy whose scope it was made in (`model.distribute_strategy`).
- A step runs through `strategy.run` on each global batch split across the replicas; the logs
  are the mean of the replicas' logs (Keras' reduce_per_replica, reduction "auto"), predict's
  outputs are the replicas' concatenated.
- Losses are scaled by 1 / replicas (Keras' scale_loss_for_distribution), so that the summed
  gradients the optimizers apply are the mean over the global batch; the loss trackers are fed
  the unscaled loss.
- Each replica's metrics accumulate its own share, as TF's sync-on-read metric variables: a
  step also returns the metric variables summed over the replicas, and the epoch's logs are
  read from those sums (TF's cross-replica read of the metrics).
"""

from ..compat.distribute import (PerReplica, get_strategy, has_strategy, map_per_replica,
                                 split_batch)
from ..framework.tensor import convert_to_tensor
from ..ops.array import concat, stack
from ..ops.math import add_n, cast, multiply
from ..ops.reduce import reduce_mean
from ..runtime.function import function


def scope_strategy():
    """The strategy a model made now records: the innermost scope's, else None (Keras 3)."""
    return get_strategy() if has_strategy() else None


def _replicas():
    return get_strategy().num_replicas_in_sync


def scale_loss_for_distribution(value):
    """The loss divided by the number of replicas when there are several (Keras 3's)."""
    n = _replicas()
    if n > 1:
        value = multiply(value, cast(1.0 / n, value.dtype))
    return value


def unscale_loss_for_distribution(value):
    """The loss multiplied back by the number of replicas (what loss trackers record)."""
    n = _replicas()
    if n > 1:
        value = multiply(value, cast(n, value.dtype))
    return value


def _metric_variables(model):
    return [v for m in model.metrics for v in m.variables]


def _mean(v):
    return reduce_mean(stack([convert_to_tensor(x) for x in v]), axis=0)


def _concat(v):
    return concat([convert_to_tensor(x) for x in v], 0)


class DistributedSteps:
    """A model's train / test / predict steps run on every replica of its strategy."""

    def __init__(self, model, strategy, eager):
        self.model = model
        self.strategy = strategy
        self.eager = eager
        self.functions = {}
        self.states = None          # the metric variables summed over the replicas

    def _function(self, kind):
        fn = self.functions.get(kind)
        if fn is None:
            fn = self.functions[kind] = self._make(kind)
        return fn

    def _make(self, kind):
        model, strategy = self.model, self.strategy
        step = getattr(model, f"{kind}_step")

        def replica_step(data):
            out = step(data)
            if kind == "predict":
                return out
            # read after the step's updates: this replica's share of the metrics
            return out, [v.read_value() for v in _metric_variables(model)]

        def one_step_on_data(data):
            out = strategy.run(replica_step, args=(data,))
            if kind == "predict":
                return map_per_replica(lambda v: _concat(v) if isinstance(v, PerReplica)
                                       else v, out)
            logs, states = out
            logs = map_per_replica(lambda v: _mean(v) if isinstance(v, PerReplica) else v,
                                   logs)
            states = [add_n([convert_to_tensor(x) for x in v]) if isinstance(v, PerReplica)
                      else v for v in states]
            return logs, states

        return one_step_on_data if self.eager else function(one_step_on_data)

    def run(self, kind, data):
        """One step on the global batch `data` (a structure of arrays), split along its first
        axis into one part per replica (np.array_split: a batch with fewer rows than replicas
        leaves some replicas an empty part, as TF's)."""
        out = self._function(kind)(split_batch(data, self.strategy.num_replicas_in_sync))
        if kind == "predict":
            return out
        logs, self.states = out
        return logs

    def sync_metrics(self):
        """Give this process's metric variables the sums over the replicas of the last step
        (what the epoch's logs are read from, as TF's cross-replica read)."""
        if self.states is None:
            return
        for v, total in zip(_metric_variables(self.model), self.states):
            v.assign(total)
        self.states = None

