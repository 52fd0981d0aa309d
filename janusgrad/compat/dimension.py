"""TF1's Dimension (tf.compat.v1.Dimension) and the bridges TF2 code uses, dimension_value and
dimension_at_index.

As in TF 2.21, a TensorShape's items are ints or None (`x.shape[1]` is 3, not Dimension(3));
a Dimension is what TF1 code builds itself or gets from these bridges. A TensorShape accepts
Dimensions wherever it accepts ints.
"""
from ..framework.shape import TensorShape


class Dimension:
    """One dimension of a shape: an int, or unknown (value None). Arithmetic with an unknown
    dimension is unknown; comparisons with one are None."""
    __slots__ = ("_value",)

    def __init__(self, value):
        if isinstance(value, Dimension):
            value = value.value
        elif value is not None:
            if isinstance(value, bool) or not hasattr(value, "__index__"):
                raise TypeError("Dimension value must be integer or None or have an __index__ "
                                f"method, got value {value!r} with type {type(value)!r}")
            value = int(value.__index__())
            if value < 0:
                raise ValueError(f"Dimension {value} must be >= 0")
        self._value = value

    @property
    def value(self):
        return self._value

    def __repr__(self):
        return f"Dimension({self._value!r})"

    def __str__(self):
        return "?" if self._value is None else str(self._value)

    def __int__(self):
        return self._value

    def __index__(self):
        return self._value

    def __bool__(self):
        return bool(self._value)

    def __hash__(self):
        return hash(self._value)

    def __reduce__(self):
        return Dimension, (self._value,)

    # -- compatibility ----------------------------------------------------------------------------
    def is_compatible_with(self, other):
        other = as_dimension(other)
        return self._value is None or other.value is None or self._value == other.value

    def assert_is_compatible_with(self, other):
        if not self.is_compatible_with(other):
            raise ValueError(f"Dimensions {self} and {as_dimension(other)} are not compatible")

    def merge_with(self, other):
        other = as_dimension(other)
        self.assert_is_compatible_with(other)
        return Dimension(other.value if self._value is None else self._value)

    # -- comparisons: None when either is unknown ----------------------------------------------
    def _compare(self, other, op):
        try:
            other = as_dimension(other)
        except (TypeError, ValueError):
            return NotImplemented
        if self._value is None or other.value is None:
            return None
        return op(self._value, other.value)

    def __eq__(self, other):
        return self._compare(other, lambda a, b: a == b)

    def __ne__(self, other):
        return self._compare(other, lambda a, b: a != b)

    def __lt__(self, other):
        return self._compare(other, lambda a, b: a < b)

    def __le__(self, other):
        return self._compare(other, lambda a, b: a <= b)

    def __gt__(self, other):
        return self._compare(other, lambda a, b: a > b)

    def __ge__(self, other):
        return self._compare(other, lambda a, b: a >= b)

    # -- arithmetic: unknown when either is unknown ---------------------------------------------
    def _combine(self, other, op, reflected=False):
        try:
            other = as_dimension(other)
        except (TypeError, ValueError):
            return NotImplemented
        if self._value is None or other.value is None:
            return Dimension(None)
        a, b = (other.value, self._value) if reflected else (self._value, other.value)
        return Dimension(op(a, b))

    def __add__(self, other):
        return self._combine(other, lambda a, b: a + b)

    def __radd__(self, other):
        return self._combine(other, lambda a, b: a + b, True)

    def __sub__(self, other):
        return self._combine(other, lambda a, b: a - b)

    def __rsub__(self, other):
        return self._combine(other, lambda a, b: a - b, True)

    def __mul__(self, other):
        return self._combine(other, lambda a, b: a * b)

    def __rmul__(self, other):
        return self._combine(other, lambda a, b: a * b, True)

    def __floordiv__(self, other):
        return self._combine(other, lambda a, b: a // b)

    def __rfloordiv__(self, other):
        return self._combine(other, lambda a, b: a // b, True)

    def __mod__(self, other):
        return self._combine(other, lambda a, b: a % b)

    def __rmod__(self, other):
        return self._combine(other, lambda a, b: a % b, True)

    def __truediv__(self, other):
        raise TypeError(f"unsupported operand type(s) for /: 'Dimension' and "
                        f"'{type(other).__name__}', please use // instead")

    def __rtruediv__(self, other):
        raise TypeError(f"unsupported operand type(s) for /: '{type(other).__name__}' and "
                        "'Dimension', please use // instead")


def as_dimension(value):
    """`value` as a Dimension (a Dimension is returned as it is)."""
    return value if isinstance(value, Dimension) else Dimension(value)


def dimension_value(dimension):
    """The int (or None) of a dimension, whether it is a Dimension or already an int."""
    if isinstance(dimension, Dimension):
        return dimension.value
    return dimension


def dimension_at_index(shape, index):
    """The Dimension at `index` of a TensorShape (unknown when the rank is unknown)."""
    if not isinstance(shape, TensorShape):
        raise TypeError(f"dimension_at_index: shape must be a TensorShape, got {shape!r}")
    if shape.rank is None:
        return Dimension(None)
    return Dimension(shape[index])
