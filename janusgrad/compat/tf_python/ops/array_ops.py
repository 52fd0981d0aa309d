"""tensorflow.python.ops.array_ops (`where` broadcasts, as where_v2)."""
from ....ops.array import (concat, expand_dims, fill, identity, identity_n, ones,
                           ones_like, placeholder, rank, reshape, shape, size, split, squeeze,
                           stop_gradient, transpose, where, zeros, zeros_like)
from ....ops.control import check_numerics
from ....ops.indexing import (boolean_mask, broadcast_to, gather, gather_nd,
                              one_hot, pad, reverse, scatter_nd, slice_ as slice, tile)
from ....ops.linalg import matrix_transpose
from ....framework.missing import missing_names as _missing_names
from ....ops.array import where as where_v2

__getattr__ = _missing_names(__name__)
