"""The Python operators of Tensor and Variable are these ops (TF does the same in math_ops), and
so are Tensor's other methods made of ops (`__iter__`): the framework defines Tensor without
importing any op, and this module completes it."""
from ..framework.errors import OperatorNotAllowedInGraphError
from ..framework.tensor import EagerTensor, Tensor, eq_is_identity
from . import array, indexing, math, matmul
from .state import Variable


def _binary(fn):
    """(fn itself as `x op y`: one call less on the hot path; the swapped fn for `y op x`)."""
    def reverse(self, other):
        return fn(other, self)
    return fn, reverse


def _matmul(x, y):
    return matmul.matmul(x, y, name="matmul")


def _eq(self, other):
    if eq_is_identity():
        return self is other
    if other is None:
        return False
    try:
        return math.equal(self, other)
    except (TypeError, ValueError):
        return False


def _ne(self, other):
    if eq_is_identity():
        return self is not other
    if other is None:
        return True
    try:
        return math.not_equal(self, other)
    except (TypeError, ValueError):
        return True


def _xor(x, y):
    return math.logical_xor(x, y, name="xor")


# the operators' ops are named as TF names them in graphs (`x + y` is "add", tf.add "Add"):
# the same functions with another default name, no cost eagerly
_TABLE = {
    "add": math.add.named("add"), "sub": math.subtract.named("sub"),
    "mul": math.multiply.named("mul"), "truediv": math.truediv,
    "floordiv": math.floordiv.named("floordiv"), "mod": math.floormod.named("mod"),
    "pow": math.pow.named("pow"), "matmul": _matmul, "and": math.logical_and.named("and"),
    "or": math.logical_or.named("or"), "xor": _xor,
}


def _install(cls):
    for name, fn in _TABLE.items():
        fwd, rev = _binary(fn)
        setattr(cls, f"__{name}__", fwd)
        setattr(cls, f"__r{name}__", rev)
    # the op functions themselves (one call less than a lambda around them)
    cls.__neg__ = math.negative
    cls.__abs__ = math.abs
    cls.__pos__ = lambda self: self
    cls.__invert__ = math.logical_not
    cls.__lt__ = math.less
    cls.__le__ = math.less_equal
    cls.__gt__ = math.greater
    cls.__ge__ = math.greater_equal
    cls.__getitem__ = lambda self, key: indexing.getitem(self, key)


def _iter(self):
    """The tensor unstacked along its first dimension."""
    dims = self.shape.dims
    if type(self) is EagerTensor:
        if not dims:
            raise TypeError("Cannot iterate over a scalar tensor.")
    elif dims is None or not dims or dims[0] is None:
        # (TF's class; in a tf.function, TF's AutoGraph would make the loop a while loop)
        hint = ": janusgrad has no AutoGraph to convert a Python `for` over a tensor, write it " \
            "as tf.while_loop(cond, body, loop_vars) (or tf.map_fn / tf.scan)" \
            if getattr(self.graph, "is_function", False) else ""
        raise OperatorNotAllowedInGraphError(
            f"Iterating over the symbolic tensor {self.name} is not allowed: its first "
            f"dimension is not known (shape {self.shape}){hint}")
    return iter(array.unstack(self))


_install(Tensor)
_install(Variable)
Tensor.__iter__ = _iter
# Setting __eq__ after class creation keeps each class's own __hash__ rule.
for _cls in (Tensor, Variable):
    _cls.__eq__ = _eq
    _cls.__ne__ = _ne
