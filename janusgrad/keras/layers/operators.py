"""Python operators on KerasTensors (`x[:, :2]`, `a + b`, `2 * x`): each becomes a call of a
small layer applying the operator, so the functional graph records it (as Keras 3 does)."""
import operator

from ..keras_tensor import KerasTensor
from .base import Layer, snake_case, unique_layer_name


class OperatorLayer(Layer):
    """`fn(*inputs)` for the operator applied to KerasTensors (and constants); `op_class` is
    the name Keras's summary gives the operation ('GetItem', 'Add', ...)."""

    def __init__(self, fn, constants, name, op_class):
        super().__init__(name=name)
        self.fn, self.constants, self.op_class = fn, constants, op_class

    def call(self, inputs):
        it = iter(inputs)
        return self.fn(*[next(it) if c is None else c[0] for c in self.constants])


def _apply(fn, op_class, *operands):
    tensors = [x for x in operands if isinstance(x, KerasTensor)]
    constants = [None if isinstance(x, KerasTensor) else (x,) for x in operands]
    name = unique_layer_name(snake_case(op_class))
    return OperatorLayer(fn, constants, name, op_class)(tensors)


def _binary(fn, op_class, reflected=False):
    if reflected:
        return lambda self, other: _apply(fn, op_class, other, self)
    return lambda self, other: _apply(fn, op_class, self, other)


# the Python operator, the function, and the class of Keras's operation
for _name, _fn, _class in (("add", operator.add, "Add"), ("sub", operator.sub, "Subtract"),
                           ("mul", operator.mul, "Multiply"),
                           ("truediv", operator.truediv, "TrueDivide"),
                           ("pow", operator.pow, "Power"), ("matmul", operator.matmul, "Matmul")):
    setattr(KerasTensor, f"__{_name}__", _binary(_fn, _class))
    setattr(KerasTensor, f"__r{_name}__", _binary(_fn, _class, reflected=True))
KerasTensor.__neg__ = lambda self: _apply(operator.neg, "Negative", self)
KerasTensor.__getitem__ = lambda self, key: _apply(lambda x: x[key], "GetItem", self)
