"""TopKV2 (ops/sort.py): top_k itself, and sort along another axis (transposed around it),
ascending (top_k of the negation). Distinct values: the gradient is a permutation of dy."""
import numpy as np

import janusgrad as tf

from . import Case


def _distinct(*shape):
    rng = np.random.default_rng(3)
    return rng.permutation(np.arange(int(np.prod(shape)), dtype=np.float64)).reshape(shape) / 3


CASES = {
    "TopKV2": [Case(lambda x: tf.math.top_k(x, 2).values, [_distinct(2, 4)]),
               Case(lambda x: tf.sort(x * x, axis=0), [_distinct(3, 2) + 1]),
               Case(lambda x: tf.sort(x, direction="DESCENDING"), [_distinct(5)])],
}
