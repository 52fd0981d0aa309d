"""TensorShape: a shape whose rank or dims may be unknown (None), as in graph mode."""


class TensorShape:
    """The shape of a tensor: a list of dimensions, each an int or None (unknown), or an unknown
    rank. Its `dims` are ints (TF 2.21: Dimension objects); `x.shape[i]` is an int as in TF 2."""
    __slots__ = ("_dims",)

    def __init__(self, dims):
        if isinstance(dims, TensorShape):
            dims = dims._dims
        elif dims is not None:
            if isinstance(dims, int):
                dims = (dims,)
            try:
                dims = tuple(_dim(d) for d in dims)
            except TypeError:
                from .errors import short_repr
                raise TypeError("A TensorShape is a list of ints or None, got "
                                f"{short_repr(dims)}") from None
        self._dims = dims

    @classmethod
    def _known(cls, dims):
        """The shape of an array (a tuple of ints), without checking each dim."""
        s = _new(cls)
        s._dims = dims
        return s

    # -- queries ------------------------------------------------------------
    @property
    def rank(self):
        return None if self._dims is None else len(self._dims)

    ndims = rank

    @property
    def dims(self):
        return None if self._dims is None else list(self._dims)

    def is_fully_defined(self):
        return self._dims is not None and all(d is not None for d in self._dims)

    def as_list(self):
        if self._dims is None:
            raise ValueError("as_list() is not defined on an unknown TensorShape.")
        return list(self._dims)

    def num_elements(self):
        if not self.is_fully_defined():
            return None
        n = 1
        for d in self._dims:
            n *= d
        return n

    def is_compatible_with(self, other):
        if type(other) is tuple and other == self._dims:
            return True                 # an array's shape, equal: the common case
        other = as_shape(other)
        if self._dims is None or other._dims is None:
            return True
        if len(self._dims) != len(other._dims):
            return False
        return all(a is None or b is None or a == b for a, b in zip(self._dims, other._dims))

    def merge_with(self, other):
        other = as_shape(other)
        if not self.is_compatible_with(other):
            raise ValueError(f"Shapes {self} and {other} are not compatible")
        if self._dims is None:
            return other
        if other._dims is None:
            return self
        return TensorShape([a if a is not None else b for a, b in zip(self._dims, other._dims)])

    def assert_is_compatible_with(self, other):
        if not self.is_compatible_with(other):
            raise ValueError(f"Shapes {self} and {as_shape(other)} are incompatible")

    def with_rank(self, rank):
        if self._dims is None:
            return TensorShape([None] * rank)
        if len(self._dims) != rank:
            raise ValueError(f"Shape {self} must have rank {rank}")
        return self

    # -- sequence protocol ----------------------------------------------------
    def __len__(self):
        if self._dims is None:
            raise ValueError("Cannot take the length of shape with unknown rank.")
        return len(self._dims)

    def __iter__(self):
        if self._dims is None:
            raise ValueError("Cannot iterate over a shape with unknown rank.")
        return iter(self._dims)

    def __getitem__(self, key):
        if self._dims is None:
            return TensorShape(None) if isinstance(key, slice) else None
        if isinstance(key, slice):
            return TensorShape(self._dims[key])
        return self._dims[key]

    def __eq__(self, other):
        try:
            other = as_shape(other)
        except TypeError:
            return NotImplemented
        return self._dims == other._dims

    def __ne__(self, other):
        eq = self.__eq__(other)
        return eq if eq is NotImplemented else not eq

    def __hash__(self):
        return hash(self._dims)

    def __add__(self, other):
        return self.concatenate(other)

    def concatenate(self, other):
        other = as_shape(other)
        if self._dims is None or other._dims is None:
            return TensorShape(None)
        return TensorShape(self._dims + other._dims)

    def __bool__(self):
        return self._dims is not None

    def __repr__(self):
        return f"TensorShape({self.dims})" if self._dims is not None else "TensorShape(None)"

    def __str__(self):
        if self._dims is None:
            return "<unknown>"
        inner = ", ".join("None" if d is None else str(d) for d in self._dims)
        return f"({inner},)" if len(self._dims) == 1 else f"({inner})"


_new = object.__new__


def _dim(d):
    if d is None:
        return None
    if hasattr(d, "value") and not isinstance(d, int):   # Dimension-like
        d = d.value
        if d is None:
            return None
    d = int(d.__index__()) if not isinstance(d, int) else d
    if d < 0:
        raise ValueError(f"Dimension {d} must be >= 0 (use None for an unknown dimension)")
    return d


def as_shape(shape):
    return shape if isinstance(shape, TensorShape) else TensorShape(shape)


def unknown_shape(rank=None):
    return TensorShape(None if rank is None else [None] * rank)


def broadcast_static(a, b):
    """The broadcast of two static shapes, None where unknown; ValueError when incompatible."""
    if a._dims is None or b._dims is None:
        return TensorShape(None)
    x, y = a._dims, b._dims
    n = max(len(x), len(y))
    x = (1,) * (n - len(x)) + x
    y = (1,) * (n - len(y)) + y
    out = []
    for p, q in zip(x, y):
        if p == 1:
            out.append(q)
        elif q == 1:
            out.append(p)
        elif p is None:
            out.append(q if q is not None and q != 1 else None)
        elif q is None or p == q:
            out.append(p)
        else:
            shapes = ", ".join("[" + ",".join("?" if d is None else str(d) for d in s._dims) + "]"
                               for s in (a, b))
            raise ValueError(f"Dimensions must be equal, but are {p} and {q} with input shapes: "
                             f"{shapes}.")                        # TF's words (graph mode)
    return TensorShape(out)


# -- issue 18 (the gaps the TF programs found): TF1's Dimension items ---------------------------
# Under tf.compat.v1.disable_v2_behavior() (or disable_v2_tensorshape) TF1 code reads
# `x.get_shape()[1].value`: get_shape() then gives a view whose items are TF1 Dimension objects
# (the class is compat's, set by it). Only get_shape() changes: janusgrad's own code reads
# `.shape`, whose items stay ints.
_V1 = {"dimension": None}


def set_v1_dimension(dimension_class):
    """Make get_shape() give Dimension items (the class), or ints again (None)."""
    _V1["dimension"] = dimension_class


def v1_dimension():
    return _V1["dimension"]


def get_shape_view(shape):
    """What Tensor.get_shape() returns: the shape, or its TF1 view while TF1 shapes are on."""
    return shape if _V1["dimension"] is None else V1TensorShape(shape._dims)


class V1TensorShape(TensorShape):
    """A TensorShape whose items are TF1 Dimensions (Dimension(None) for an unknown one)."""
    __slots__ = ()

    def __getitem__(self, key):
        item = TensorShape.__getitem__(self, key)
        if isinstance(key, slice):
            return item if _V1["dimension"] is None else V1TensorShape(item._dims)
        return _V1["dimension"](item) if _V1["dimension"] is not None else item

    def __iter__(self):
        wrap = _V1["dimension"]
        items = TensorShape.__iter__(self)
        return items if wrap is None else (wrap(d) for d in items)

    @property
    def dims(self):
        wrap = _V1["dimension"]
        if self._dims is None or wrap is None:
            return TensorShape.dims.fget(self)
        return [wrap(d) for d in self._dims]
