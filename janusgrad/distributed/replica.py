"""A replica other than the first: a Ray actor (one process) that keeps its own copy of the
model and runs each step on its share of the batch (strategy.py makes it with ray.remote)."""
import os

from ..compat.distribute import ReplicaContext, Strategy, enter_replica, exit_replica
from ..framework.nest import map_structure
from ..framework.tensor import Tensor
from ..ops.state import watch_variable_creation
from ..runtime.function import Function
from . import shipping
from .collective import Collective


class ReplicaView(Strategy):
    """The strategy as a replica's step sees it: its number of replicas; no replicas of its
    own to run (a step runs on one replica)."""

    def __init__(self, num_replicas, kind):
        super().__init__()
        self._num_replicas = num_replicas
        self._kind = kind

    @property
    def num_replicas_in_sync(self):
        return self._num_replicas

    def run(self, fn, args=(), kwargs=None, options=None):
        raise RuntimeError(f"tf.distribute.{self._kind}.run was called inside a replica's step "
                           "(strategy.run inside strategy.run)")


class Replica:
    def __init__(self, rank, num_replicas, hub, kind):
        import ray
        self.rank = rank
        self.num_replicas = num_replicas
        self.collective = Collective(hub, rank, lambda ref, key: ray.get(ref))
        shipping.STRATEGY[0] = self.view = ReplicaView(num_replicas, kind)
        self.functions = {}

    def pid(self):
        return os.getpid()

    def load(self, key, data, traced):
        """Step function `key` (run as a tf.function when the first replica's call was traced
        into one)."""
        fn = shipping.loads(data)
        if traced and not isinstance(fn, Function):
            fn = Function(fn)
        self.functions[key] = fn

    def assign(self, values):
        """Variables the first replica changed outside a step."""
        for key, value in values.items():
            shipping.REGISTRY[key].assign(value)

    def run(self, key, data):
        args, kwargs = shipping.loads(data)
        enter_replica(ReplicaContext(self.view, self.rank, self.num_replicas, self.collective))
        try:
            with watch_variable_creation(self._made):
                out = self.functions[key](*args, **kwargs)
        finally:
            exit_replica()
        out = map_structure(lambda x: x.numpy() if isinstance(x, Tensor) else x, out)
        return out, dict(self.collective.counts)      # (how far it went: strategy._wait)

    def _made(self, variable):
        key = ("made", self.collective.counts["create"])
        self.collective.first_value(variable)
        shipping.register_made(key, variable)
