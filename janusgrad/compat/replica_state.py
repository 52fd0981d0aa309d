"""Which tf.distribute strategy scopes and replica steps the code is in (per thread), and the
optimizers' hook that sums gradients over the replicas.

Apart from compat/distribute.py so that the optimizers, imported with janusgrad, need not load
the strategies: tf.distribute is imported on its first use.
"""
import threading


class _State(threading.local):
    def __init__(self):
        self.strategies = []          # entered scopes, innermost last
        self.replica = []             # replica contexts of running `run` calls


STATE = _State()


def aggregate_gradients(grads):
    """Inside a replica's step of several replicas: the gradients (tensors, IndexedSlices or
    None) summed over the replicas, as TF's optimizers do before an update; else `grads` as
    they are. The loss is the user's to scale (compute_average_loss, or Keras' fit)."""
    ctx = STATE.replica[-1] if STATE.replica else None
    if ctx is None or ctx.num_replicas_in_sync == 1:
        return grads
    given = [i for i, g in enumerate(grads) if g is not None]
    summed = ctx.all_reduce("SUM", [grads[i] for i in given])
    out = list(grads)
    for i, g in zip(given, summed):
        out[i] = g
    return out
