"""tape.jacobian and tape.batch_jacobian: one reverse sweep per output element (or per output
column of an example for batch_jacobian), over the tape's records, without consuming them until
the end (a non-persistent tape then counts as used, as in TF)."""
import numpy as np

from ..framework.nest import flatten, pack_sequence_as
from ..framework.tensor import constant
from .tape import UnconnectedGradients, as_target, check_unconnected, source_key


def jacobian(tape, target, sources, unconnected):
    """d target[i...] / d source[j...], shaped target.shape + source.shape, nested like sources."""
    from ..ops.array import reshape, stack, zeros
    tape.check_usable("jacobian")
    y = as_target(target)
    flat = flatten(sources)
    keys = [source_key(s) for s in flat]
    y_shape = _known_shape(y, "jacobian", "target")
    n = int(np.prod(y_shape, dtype=np.int64))
    rows = [[] for _ in flat]
    for i in range(n):
        seed = np.zeros(n, y.dtype.np)
        seed[i] = 1
        grads = tape.one_gradient([y], [constant(seed.reshape(y_shape))], keys)
        for j, g in enumerate(grads):
            rows[j].append(g)
    out = []
    for j, s in enumerate(flat):
        shape = y_shape + _known_shape(s, "jacobian", "source")
        if all(g is None or _is_resource(g) for g in rows[j]):
            out.append(_unconnected(shape, s, unconnected))
            continue
        filled = [zeros(_known_shape(s, "jacobian", "source"), s.dtype) if g is None else g
                  for g in rows[j]]
        out.append(reshape(stack(filled), shape))
    tape.consume()
    return pack_sequence_as(sources, out)


def batch_jacobian(tape, target, source, unconnected):
    """Per-example jacobians: [batch] + target.shape[1:] + source.shape[1:], for a target whose
    example b depends only on example b of the source (the sweep adds the examples up)."""
    from ..ops.array import reshape, stack, transpose, zeros
    tape.check_usable("batch_jacobian")
    check_unconnected(unconnected)
    y = as_target(target)
    key = source_key(source)
    ys = _known_shape(y, "batch_jacobian", "target")
    xs = _known_shape(source, "batch_jacobian", "source")
    if len(ys) < 2 or len(xs) < 2 or ys[0] != xs[0]:
        raise ValueError(f"batch_jacobian: target and source need rank >= 2 and the same first "
                         f"(batch) dimension, got shapes {ys} and {xs}")
    per = int(np.prod(ys[1:], dtype=np.int64))
    shape = [ys[0]] + ys[1:] + xs[1:]
    cols = []
    for i in range(per):
        seed = np.zeros([ys[0], per], y.dtype.np)
        seed[:, i] = 1
        (g,) = tape.one_gradient([y], [constant(seed.reshape(ys))], [key])
        if g is None or _is_resource(g):
            tape.consume()
            # zeros whatever `unconnected_gradients` says, as TF's (its comment: "to maintain
            # compatibility with the previous behavior"); with NONE, of the target's dtype
            z = _unconnected(shape, source, unconnected)
            return zeros(shape, y.dtype) if z is None else z
        cols.append(reshape(g, [xs[0], -1]))
    tape.consume()
    if not cols:
        return zeros(shape, y.dtype)
    return reshape(transpose(stack(cols), [1, 0, 2]), shape)


def _known_shape(t, what, role):
    shape = t.shape
    if shape.rank is None or not shape.is_fully_defined():
        raise ValueError(f"{what}: the {role} needs a fully known shape, got {shape}")
    return shape.as_list()


def _is_resource(g):
    return not g.dtype.is_differentiable


def _unconnected(shape, source, mode):
    mode = UnconnectedGradients(mode) if not isinstance(mode, UnconnectedGradients) else mode
    if mode is UnconnectedGradients.ZERO:
        from ..ops.array import zeros
        return zeros(shape, source.dtype)
    return None
