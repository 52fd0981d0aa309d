"""Python operators on KerasTensors (`x[:, :2]`, `a + b`, `2 * x`): each becomes a call of a
small layer applying the operator, so the functional graph records it (as Keras 3 does)."""
import operator

from ..keras_tensor import KerasTensor
from .base import Layer, unique_layer_name


class OperatorLayer(Layer):
    """`fn(*inputs)` for the operator applied to KerasTensors (and constants)."""

    def __init__(self, fn, constants, name):
        super().__init__(name=name)
        self.fn, self.constants = fn, constants

    def call(self, inputs):
        it = iter(inputs)
        return self.fn(*[next(it) if c is None else c[0] for c in self.constants])


def _apply(fn, name, *operands):
    tensors = [x for x in operands if isinstance(x, KerasTensor)]
    constants = [None if isinstance(x, KerasTensor) else (x,) for x in operands]
    return OperatorLayer(fn, constants, unique_layer_name(name))(tensors)


def _binary(fn, name, reflected=False):
    if reflected:
        return lambda self, other: _apply(fn, name, other, self)
    return lambda self, other: _apply(fn, name, self, other)


for _name, _fn in (("add", operator.add), ("sub", operator.sub), ("mul", operator.mul),
                   ("truediv", operator.truediv), ("pow", operator.pow),
                   ("matmul", operator.matmul)):
    setattr(KerasTensor, f"__{_name}__", _binary(_fn, _name))
    setattr(KerasTensor, f"__r{_name}__", _binary(_fn, _name, reflected=True))
KerasTensor.__neg__ = lambda self: _apply(operator.neg, "negative", self)
KerasTensor.__getitem__ = lambda self, key: _apply(lambda x: x[key], "get_item", self)
