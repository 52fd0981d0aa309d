"""tf.keras.Input / InputLayer: the symbolic input of a functional model (a KerasTensor), or
the first entry of a Sequential model, giving its input shape."""
from ...framework import dtypes
from ...framework.shape import TensorShape
from ..keras_tensor import KerasTensor, Node
from .base import Layer, unique_layer_name


class InputLayer(Layer):
    """The layer behind `tf.keras.Input`: its output is a KerasTensor of the given shape (with
    the batch axis first)."""

    def __init__(self, shape=None, batch_size=None, dtype=None, sparse=None, batch_shape=None,
                 input_tensor=None, name=None, input_shape=None, **kwargs):
        shape = shape if shape is not None else input_shape
        if batch_shape is not None:
            batch_size, shape = batch_shape[0], batch_shape[1:]
        if shape is None:
            raise ValueError("You must pass a `shape` argument.")
        if isinstance(shape, int):
            shape = (shape,)
        super().__init__(name=name or unique_layer_name("input_layer"), dtype=dtype,
                         input_shape=shape, **kwargs)
        self.batch_size = batch_size
        self.built = True
        tensor = KerasTensor(self.shape, dtype or dtypes.float32, name=name or None)
        tensor.input_layer = self
        self._inbound_nodes.append(Node(self, (), {}, tensor))

    @property
    def shape(self):
        return TensorShape([self.batch_size, *self._input_shape_arg])

    @property
    def batch_shape(self):
        return tuple(self.shape.as_list())

    def call(self, inputs):
        return inputs

    def compute_output_shape(self, input_shape):
        return TensorShape(input_shape)

    def get_config(self):
        return {"batch_shape": self.batch_shape, "dtype": self.dtype, "name": self.name}


def Input(shape=None, batch_size=None, dtype=None, sparse=None, batch_shape=None,  # noqa: N802
          name=None, tensor=None, **kwargs):
    """A symbolic input: `x = tf.keras.Input((4,))`, then `Model(x, layer(x))`. In a
    Sequential list it gives the model's input shape."""
    layer = InputLayer(shape=shape, batch_size=batch_size, dtype=dtype, batch_shape=batch_shape,
                       name=name, **kwargs)
    return layer.output
