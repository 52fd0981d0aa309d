"""Symbolic tensors of the functional API: `tf.keras.Input` and a layer called on one give a
KerasTensor (shape and dtype, no value) that remembers the call that made it (its Node), so
`Model(inputs, outputs)` can replay the calls on real tensors."""
import itertools

from ..framework import dtypes
from ..framework.nest import flatten
from ..framework.shape import TensorShape

_numbers = itertools.count()


class KerasTensor:
    """A symbolic tensor of Keras's functional API: what `tf.keras.Input` and layers called on one
    return (a shape, a dtype and the call that made it)."""
    def __init__(self, shape, dtype=dtypes.float32, name=None, node=None, index=0):
        self.shape = TensorShape(shape)
        self.dtype = dtypes.as_dtype(dtype)
        self.name = name or f"keras_tensor_{next(_numbers)}"
        self.node = node          # the Node whose call made it (None for an Input's)
        self.index = index        # which of that call's flat outputs it is

    @property
    def ndim(self):
        return self.shape.rank

    def __repr__(self):
        return (f"<KerasTensor shape={tuple(self.shape.as_list())}, dtype={self.dtype.name}, "
                f"name={self.name}>")

    def __bool__(self):
        raise TypeError("A KerasTensor is symbolic: it has no truth value (it is a "
                        "placeholder of the functional API, not a value)")

    def _as_tensor(self, dtype=None):
        raise ValueError(_NOT_A_VALUE)

    def __array__(self, *args, **kwargs):
        raise ValueError(_NOT_A_VALUE)


# Keras 3's error, for a TF function (or NumPy) given a KerasTensor
_NOT_A_VALUE = ("A KerasTensor cannot be used as input to a TensorFlow function. A KerasTensor "
                "is a symbolic placeholder for a shape and dtype, used when constructing Keras "
                "Functional models or Keras Functions. You can only use it as input to a Keras "
                "layer or a Keras operation. Wrap the TF function in a layer (a Lambda or a "
                "Layer subclass whose call applies it).")


class Node:
    """One call of a layer on KerasTensors: the layer, the call's arguments (KerasTensors among
    them) and its outputs."""

    def __init__(self, layer, args, kwargs, outputs):
        self.layer, self.args, self.kwargs, self.outputs = layer, args, kwargs, outputs

    def input_tensors(self):
        return [t for t in flatten([list(self.args), self.kwargs]) if isinstance(t, KerasTensor)]
