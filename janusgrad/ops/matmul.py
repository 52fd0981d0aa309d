"""Matrix products: matmul (MatMul, BatchMatMulV2), tensordot and einsum.

Kernel and gradient side by side; builds on math.py, array.py and reduce.py.
"""
import numpy as np

from ..framework import dtypes
from ..framework.errors import InvalidArgumentError, short_repr
from ..framework.execute import execute
from ..framework.registry import gradient, register_kernel
from ..framework.shape import TensorShape, broadcast_static
from ..framework.tensor import EagerTensor, Tensor, constant
from .array import constant_value, expand_dims, rank, reshape, shape, stack, transpose
from .control import op_scope
from .define import as_ints, convert_same_dtype, numeric
from .math import broadcast_like, range_, unbroadcast
from .reduce import reduce_prod, reduce_sum
from .state import Variable


# -- matmul ------------------------------------------------------------------------------------

def _matmul_kernel(a, b, *, transpose_a=False, transpose_b=False):
    if transpose_a:
        a = np.swapaxes(a, -1, -2)
    if transpose_b:
        b = np.swapaxes(b, -1, -2)
    return np.matmul(a, b)


def _matmul_infer(inputs, attrs):
    a, b = inputs[0].shape, inputs[1].shape
    if a.rank is None or b.rank is None:
        return [(inputs[0].dtype, TensorShape(None))]
    ad, bd = a.as_list(), b.as_list()
    if attrs["transpose_a"]:
        ad[-1], ad[-2] = ad[-2], ad[-1]
    if attrs["transpose_b"]:
        bd[-1], bd[-2] = bd[-2], bd[-1]
    if ad[-1] is not None and bd[-2] is not None and ad[-1] != bd[-2]:
        raise ValueError(f"Dimensions must be equal, but are {ad[-1]} and {bd[-2]} for "
                         f"'MatMul' with input shapes: {a}, {b}.")
    from ..framework.shape import broadcast_static
    batch = broadcast_static(TensorShape(ad[:-2]), TensorShape(bd[:-2]))
    return [(inputs[0].dtype, batch.concatenate([ad[-2], bd[-1]]))]


register_kernel("MatMul", _matmul_kernel, infer=_matmul_infer)
register_kernel("BatchMatMulV2", _matmul_kernel, infer=_matmul_infer)


def matmul(a, b, transpose_a=False, transpose_b=False, adjoint_a=False, adjoint_b=False,
           a_is_sparse=False, b_is_sparse=False, output_type=None, name=None):
    """a @ b over the last two axes (batched, broadcasting the leading ones)."""
    if type(a) is EagerTensor and type(b) is Variable:
        b = b.value()                           # `x @ w` (convert_same_dtype would read it too)
    if type(a) is EagerTensor and type(b) is EagerTensor and a.dtype is b.dtype:
        ra, rb = a._value.ndim, b._value.ndim           # eager: no conversion, no TensorShape
    else:       # the op TF names when the dtypes differ: BatchMatMulV2 above rank 2
        kind = "BatchMatMulV2" if any(type(t) is EagerTensor and t._value.ndim > 2
                                      for t in (a, b)) else "MatMul"
        a, b = convert_same_dtype(kind, [a, b], ["a", "b"])
        ra, rb = a.shape.rank, b.shape.rank
    if (ra is not None and ra < 2) or (rb is not None and rb < 2):
        raise ValueError(f"MatMul: inputs must be tensors of rank >= 2, got shapes {a.shape} "
                         f"and {b.shape}")
    if a.dtype.is_bool or a.dtype is dtypes.string:
        raise TypeError(f"MatMul: dtype {a.dtype.name} is not supported")
    attrs = {"transpose_a": bool(transpose_a or adjoint_a),
             "transpose_b": bool(transpose_b or adjoint_b)}
    op_type = "MatMul" if ra == 2 and rb == 2 else "BatchMatMulV2"
    return execute(op_type, [a, b], attrs, name=name)[0]


def _matmul_grad(op, dy):
    """dA = dy B^T, dB = A^T dy (with the transposes of the forward); an input no source
    needs (op.skip_input_indices, eager) gets no product at all: it is the big cost"""
    a, b = op.inputs
    ta, tb = op.get_attr("transpose_a"), op.get_attr("transpose_b")
    skip = op.skip_input_indices or ()
    da = db = None
    if 0 not in skip:
        if not ta:
            da = matmul(dy, b, transpose_b=not tb)
        else:
            da = matmul(b, dy, transpose_a=tb, transpose_b=True)
    if 1 not in skip:
        if not tb:
            db = matmul(a, dy, transpose_a=not ta)
        else:
            db = matmul(dy, a, transpose_a=True, transpose_b=ta)
    if op.type == "BatchMatMulV2":
        da, db = unbroadcast(da, a), unbroadcast(db, b)
    return da, db


gradient("MatMul", outputs=())(_matmul_grad)
gradient("BatchMatMulV2", outputs=())(_matmul_grad)


# -- tensordot, einsum -------------------------------------------------------------------------

def tensordot(a, b, axes, name=None):
    """Sum of a * b over the axes `axes` pairs up: an int N takes a's last N and b's first N
    axes; a pair of lists names them. Built from transpose, reshape and matmul, as TF does."""
    a, b = convert_same_dtype("tensordot", [a, b], ["a", "b"])
    if a.shape.rank is None or b.shape.rank is None:
        raise ValueError("tensordot: the ranks of a and b must be known")
    a_axes, b_axes = _tensordot_axes(axes, a.shape.rank, b.shape.rank)
    for i, j in zip(a_axes, b_axes):
        p, q = a.shape[i], b.shape[j]
        if p is not None and q is not None and p != q:
            raise ValueError(f"tensordot: dimension {i} of a ({p}) and dimension {j} of b ({q}) "
                             f"must be equal (shapes {a.shape} and {b.shape})")
    free_a = [i for i in range(a.shape.rank) if i not in a_axes]
    free_b = [i for i in range(b.shape.rank) if i not in b_axes]
    with op_scope(name, "Tensordot") as name:
        a2, a_free_dims = _tensordot_matrix(a, free_a, a_axes, free_first=True)
        b2, b_free_dims = _tensordot_matrix(b, free_b, b_axes, free_first=False)
        product = matmul(a2, b2)
        dims = a_free_dims + b_free_dims
        if all(type(d) is int for d in dims) and product.shape.as_list() == dims:
            return product                      # as TF: no reshape
        return reshape(product, _shape_of(dims), name=name)


def _tensordot_axes(axes, ra, rb):
    if isinstance(axes, Tensor):
        axes = constant_value(axes)
        if axes is None:
            raise ValueError("tensordot: axes must be known when the graph is built")
        axes = axes.tolist()
    if isinstance(axes, (int, np.integer)):
        n = int(axes)
        if n < 0:
            raise ValueError(f"tensordot: 'axes' must be at least 0, got {n}")
        if n > ra or n > rb:
            raise ValueError(f"tensordot: 'axes' ({n}) must not exceed the ranks of a ({ra}) "
                             f"and b ({rb})")
        return list(range(ra - n, ra)), list(range(n))
    if not isinstance(axes, (list, tuple)) or len(axes) != 2:
        raise ValueError(f"tensordot: 'axes' must be an int or a pair of axis lists, got "
                         f"{short_repr(axes)}")
    a_axes, b_axes = (as_ints("tensordot", "axes", v) for v in axes)
    if len(a_axes) != len(b_axes):
        raise ValueError(f"tensordot: Different number of contraction axes 'a' and 'b', "
                         f"{len(a_axes)} != {len(b_axes)}.")
    for axs, r, which in ((a_axes, ra, "a"), (b_axes, rb, "b")):
        if any(not -r <= i < r for i in axs) or len({i % r for i in axs}) != len(axs):
            raise ValueError(f"tensordot: invalid axes {axs} for '{which}' of rank {r}")
    return [i % ra for i in a_axes], [i % rb for i in b_axes]


def _tensordot_matrix(t, free, contracted, free_first):
    """t transposed and reshaped to a matrix [free, contracted] (or [contracted, free]), and its
    free dims (ints where static, scalar tensors where not)."""
    perm = free + contracted if free_first else contracted + free
    if perm != list(range(len(perm))):
        t = transpose(t, perm)
    dims = [d if d is not None else shape(t)[i] for i, d in enumerate(t.shape.as_list())]
    free_dims = dims[:len(free)] if free_first else dims[len(contracted):]
    con_dims = dims[len(free):] if free_first else dims[:len(contracted)]
    matrix = [_product(free_dims), _product(con_dims)]
    matrix = matrix if free_first else matrix[::-1]
    if all(type(d) is int for d in matrix) and t.shape.as_list() == matrix:   # (TF's rule)
        return t, free_dims
    return reshape(t, _shape_of(matrix)), free_dims


def _product(dims):
    if all(isinstance(d, int) for d in dims):
        return int(np.prod(dims))
    return reduce_prod(_shape_of(dims))


def _shape_of(dims):
    """A list of ints as it is; a list mixing ints and scalar tensors stacked into one tensor."""
    if all(isinstance(d, int) for d in dims):
        return dims
    return stack([d if isinstance(d, Tensor) else constant(d, dtypes.int32) for d in dims])


def _parse_einsum(equation, n_inputs):
    """(input subscripts, output subscripts), '...' written as '.'; implicit output made
    explicit (the letters seen once, sorted, after '...')."""
    eq = equation.replace(" ", "")
    lhs, arrow, out = eq.partition("->")
    ins = [sub.replace("...", ".") for sub in lhs.split(",")]
    if not arrow:
        letters = "".join(ins).replace(".", "")
        out = ("." if any("." in sub for sub in ins) else "") + "".join(
            sorted(c for c in set(letters) if letters.count(c) == 1))
    out = out.replace("...", ".")
    if len(ins) != n_inputs:
        raise ValueError(f"Einsum: equation '{equation}' names {len(ins)} inputs, but "
                         f"{n_inputs} were given")
    for sub in ins + [out]:
        if any(not (c.isalpha() or c == ".") for c in sub) or sub.count(".") > 1:
            raise ValueError(f"Einsum: invalid subscripts '{sub}' in equation '{equation}'")
    seen = set("".join(ins))
    if any(c not in seen for c in out) or len(set(out)) != len(out):
        raise ValueError(f"Einsum: output subscripts '{out}' in equation '{equation}' must "
                         "appear in the inputs, each once")
    return ins, out


def _einsum_equation(ins, out):
    return ",".join(ins).replace(".", "...") + "->" + out.replace(".", "...")


def _einsum_infer(inputs, attrs):
    ins, out = _parse_einsum(attrs["equation"], len(inputs))
    sizes, ellipsis = {}, TensorShape([])
    for sub, t in zip(ins, inputs):
        dims = t.shape.dims
        if dims is None:
            return [(inputs[0].dtype, TensorShape(None))]
        n_ell = len(dims) - len(sub.replace(".", ""))
        if n_ell < 0 or (n_ell and "." not in sub):
            raise ValueError(f"Einsum: input of shape {t.shape} does not match subscripts "
                             f"'{sub.replace('.', '...')}' of equation '{attrs['equation']}'")
        if "." in sub:
            i = sub.index(".")
            ellipsis = broadcast_static(ellipsis, TensorShape(dims[i:i + n_ell]))
            dims = dims[:i] + [None] + dims[i + n_ell:]
        for c, d in zip(sub, dims):
            if c == ".":
                continue
            prev = sizes.get(c)
            if prev is not None and d is not None and prev != d:
                raise ValueError(f"Einsum: subscript '{c}' has sizes {prev} and {d} in equation "
                                 f"'{attrs['equation']}' (input shapes "
                                 f"{[str(x.shape) for x in inputs]})")
            sizes[c] = d if prev is None else prev
    if "." not in out and ellipsis.rank:
        raise ValueError(_summed_ellipsis(attrs["equation"], ellipsis.rank) +
                         f" (input shapes {[str(x.shape) for x in inputs]})")
    if "." in out and ellipsis.rank is None:
        return [(inputs[0].dtype, TensorShape(None))]
    dims = []
    for c in out:
        dims.extend(ellipsis.as_list() if c == "." else [sizes[c]])
    return [(inputs[0].dtype, TensorShape(dims))]


def _summed_ellipsis(equation, n):
    return (f"Einsum: equation '{equation}': the inputs' '...' cover {n} broadcasting "
            "dimension(s), but no ellipsis (...) was found in the output subscripts")


def _einsum_kernel(*xs, equation):
    ins, out = _parse_einsum(equation, len(xs))
    if "." not in out:      # TF sums no '...' dims away (NumPy does, but only with optimize)
        n = max(x.ndim - len(sub) + 1 for sub, x in zip(ins, xs) if "." in sub) \
            if "." in "".join(ins) else 0
        if n > 0:
            raise InvalidArgumentError(_summed_ellipsis(equation, n))
    return np.asarray(np.einsum(_einsum_equation(ins, out), *xs, optimize=len(xs) > 1))


register_kernel("Einsum", _einsum_kernel, infer=_einsum_infer)


def einsum(equation, *inputs, **kwargs):
    """Einstein summation, as np.einsum: a label names one size in every input; '...'
    dims broadcast and, as TF's, are kept in the output (an error if it has no '...'). `name=`
    is accepted.

        tf.einsum("bij,bjk->bik", a, b)     # batched matmul
    """
    if len(inputs) == 1 and isinstance(inputs[0], (list, tuple)):
        inputs = tuple(inputs[0])
    name = kwargs.pop("name", None)
    kwargs.pop("optimize", None)
    if kwargs:
        raise TypeError(f"einsum: unexpected keyword arguments {sorted(kwargs)}")
    if not isinstance(equation, str):
        raise TypeError(f"einsum: equation must be a string, got {short_repr(equation)}")
    if not inputs:
        raise ValueError("einsum: at least one input is needed")
    xs = convert_same_dtype("Einsum", list(inputs), [f"inputs[{i}]" for i in
                                                     range(len(inputs))])
    if not numeric(xs[0].dtype):
        raise TypeError(f"Einsum: dtype {xs[0].dtype.name} is not supported")
    attrs = {"equation": _einsum_equation(*_parse_einsum(equation, len(xs)))}
    try:
        _einsum_infer(xs, attrs)    # shape errors name the labels, in both modes
    except ValueError as e:         # (TF's class: eagerly the op's, in a graph ValueError)
        if type(xs[0]) is EagerTensor:
            raise InvalidArgumentError(str(e)) from None
        raise
    with op_scope(name, "einsum"):
        return execute("Einsum", xs, attrs)[0]


@gradient("Einsum")
def _einsum_grad(op, dy):
    """input k: einsum of dy with the other inputs; labels summed away are broadcast back"""
    ins, out = _parse_einsum(op.get_attr("equation"), len(op.inputs))
    if "." not in out:      # then every '...' covers no dims (the op checks): drop them
        ins = [sub.replace(".", "") for sub in ins]
    dxs = []
    for k, x in enumerate(op.inputs):
        others = ins[:k] + ins[k + 1:]
        seen = set(out).union(*others)
        # a repeated label: the gradient w.r.t. the diagonal, embedded on x's diagonal
        sub = "".join(dict.fromkeys(ins[k]))
        xd = x if sub == ins[k] else einsum(_einsum_equation([ins[k]], sub), x)
        kept = "".join(c for c in sub if c in seen)
        # x without '...' beside others with it: their '...' dims lead the product, summed
        # after it (the op sums no '...' dims itself, as TF's)
        lead = "." not in sub and "." in out
        dx = einsum(_einsum_equation([out] + others, "." * lead + kept), dy, *op.inputs[:k],
                    *op.inputs[k + 1:])
        if lead:
            dx = _sum_leading(dx, len(kept))
        dx = _restore_summed(dx, sub, kept, xd)
        if sub != ins[k]:
            dx = execute("EinsumEmbedDiagonal", [dx, x], {"subscripts": ins[k],
                                                          "diagonal": sub})[0]
        dxs.append(dx)
    return dxs


def _sum_leading(t, n_kept):
    """t summed over all its axes but the last n_kept (a rank known only at run time too)."""
    r = t.shape.rank
    if r is not None:
        return reduce_sum(t, list(range(r - n_kept))) if r > n_kept else t
    return reduce_sum(t, range_(rank(t) - n_kept))


def _diagonal_view(a, sub, diag):
    """A writeable view of `a` (laid out as `sub`, labels repeated) as `diag` (each label once):
    a label's stride is the sum of the strides of its axes."""
    n_ell = a.ndim - len(sub.replace(".", ""))

    def labels(s):
        return [x for c in s for x in ([f".{i}" for i in range(n_ell)] if c == "." else [c])]

    sizes, strides = {}, {}
    for c, n, st in zip(labels(sub), a.shape, a.strides):
        sizes[c] = n
        strides[c] = strides.get(c, 0) + st
    out = labels(diag)
    return np.lib.stride_tricks.as_strided(a, [sizes[c] for c in out], [strides[c] for c in out])


def _embed_diagonal_kernel(d, x, *, subscripts, diagonal):
    """Zeros of x's shape with d (laid out as `diagonal`) written on the diagonal that
    `subscripts` names: the inverse of einsum('subscripts->diagonal')."""
    out = np.zeros(x.shape, d.dtype)
    _diagonal_view(out, subscripts, diagonal)[...] = d
    return out


register_kernel("EinsumEmbedDiagonal", _embed_diagonal_kernel,
                infer=lambda i, a: [(i[0].dtype, i[1].shape)])


@gradient("EinsumEmbedDiagonal")
def _embed_diagonal_grad(op, dy):
    """the diagonal of dy"""
    eq = _einsum_equation([op.get_attr("subscripts")], op.get_attr("diagonal"))
    return einsum(eq, dy), None


def _restore_summed(dx, sub, kept, x):
    """dx (laid out as `kept`) with size-1 dims where `sub` had labels summed away, then
    broadcast / summed to x's shape."""
    if kept != sub:
        ell = sub.find(".")
        before = [i for i, c in enumerate(sub) if c not in kept and (ell < 0 or i < ell)]
        after = [i for i, c in enumerate(sub) if c not in kept and ell >= 0 and i > ell]
        for i in before:
            dx = expand_dims(dx, i)
        for i in reversed(after):
            dx = expand_dims(dx, i - len(sub))
        dx = broadcast_like(dx, x)
    return unbroadcast(dx, x)
