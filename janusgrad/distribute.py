"""tf.distribute: its strategy API (compat/distribute.py); strategies of several replicas run them
as processes on Ray (janusgrad/distributed, the `distributed` extra)."""
from .compat.distribute import (InputContext, MirroredStrategy,  # noqa: F401
                                MultiWorkerMirroredStrategy, PerReplica,
                                OneDeviceStrategy, ReduceOp, ReplicaContext, Strategy,
                                StrategyExtended, get_replica_context, get_strategy,
                                has_strategy, in_cross_replica_context)

# -- a name janusgrad lacks is a clear error (issue 18, running TF programs unchanged) --
from .framework.missing import missing_names as _missing_names  # noqa: E402
__getattr__ = _missing_names(__name__)
