"""tf.compat.v1.set_random_seed: TF 1's graph-level seed.

As TF does: executing eagerly, it is tf.random.set_seed; building a graph, it is the seed of the
default graph (`graph.seed`), from which the graph's random ops that have no seed of their own
derive theirs, so each Session over that graph draws the same sequence. A new graph (after
reset_default_graph) has no seed again.
"""
from ..framework.context import executing_eagerly, get_default_graph
from ..ops.define import as_int
from ..ops.random import set_seed


def set_random_seed(seed):
    """TF1: set the graph-level random seed (eagerly, the global seed, as `tf.random.set_seed`).
    The values drawn are reproducible but are not TF's."""
    if executing_eagerly():
        set_seed(seed)
    else:
        get_default_graph().seed = None if seed is None else as_int(
            "set_random_seed", "seed", seed)
