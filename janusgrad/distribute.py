"""tf.distribute: strategies of one replica on janusgrad's one device (compat/distribute.py)."""
from .compat.distribute import (InputContext, MirroredStrategy,  # noqa: F401
                                OneDeviceStrategy, ReduceOp, ReplicaContext, Strategy,
                                StrategyExtended, get_replica_context, get_strategy,
                                has_strategy, in_cross_replica_context)

# -- a name janusgrad lacks is a clear error (issue 18, running TF programs unchanged) --
from .framework.missing import missing_names as _missing_names  # noqa: E402
__getattr__ = _missing_names(__name__)
