"""tf.keras.Model (subclassing) and tf.keras.Sequential."""
import inspect

from ..framework.shape import TensorShape
from .layers import InputLayer, Layer
from .trainer import Trainer


class Model(Trainer, Layer):   # Trainer: compile/fit/evaluate/predict (issue 20)
    """Subclass, create layers in `__init__` and define `call`: the layers and variables
    assigned as attributes are tracked (trainable_variables, checkpoints). janusgrad has no
    functional API (`Model(inputs, outputs)`), no `compile` and no `fit`: write the loop."""

    def __init__(self, *args, **kwargs):
        if args or "inputs" in kwargs or "outputs" in kwargs:
            raise NotImplementedError("janusgrad.keras.Model: the functional API "
                                      "(Model(inputs, outputs)) is not supported; subclass "
                                      "Model and define call(), or use Sequential")
        super().__init__(**kwargs)

    def build(self, input_shape):
        self.built = True


class Sequential(Model):
    """Layers applied one after the other: `Sequential([Dense(8, "relu"), Dense(1)])(x)`."""

    def __init__(self, layers=None, name=None, trainable=True):
        super().__init__(name=name, trainable=trainable)
        self._layers = []
        self._input_shape = None
        for layer in layers or []:
            self.add(layer)

    def add(self, layer):
        if not isinstance(layer, Layer):
            raise TypeError(f"The added layer must be an instance of class Layer. "
                            f"Received: layer={layer!r} of type {type(layer)}.")
        if isinstance(layer, InputLayer):
            if self._layers:
                raise ValueError("An Input can only be the first entry of a Sequential model")
            self._input_shape = layer.shape
            return
        if not self._layers and self._input_shape is None and \
                layer._input_shape_arg is not None:
            self._input_shape = TensorShape([None, *layer._input_shape_arg])
        self._layers.append(layer)
        self.built = False
        if self._input_shape is not None:
            self.build(self._input_shape)

    def pop(self):
        if not self._layers:
            raise TypeError("There are no layers in the model.")
        layer = self._layers.pop()
        self.built = False
        return layer

    @property
    def layers(self):
        return list(self._layers)

    def build(self, input_shape=None):
        """Create the weights of every layer whose output shape can be worked out ahead."""
        shape = TensorShape(input_shape if input_shape is not None else self._input_shape)
        for layer in self._layers:
            if not layer.built:
                layer.build(shape)
                layer.built = True
            try:
                shape = layer.compute_output_shape(shape)
            except NotImplementedError:
                return
        self.built = True

    def __call__(self, inputs, *args, **kwargs):
        return self.call(inputs, *args, **kwargs)

    def call(self, inputs, training=None, mask=None):
        x = inputs
        for layer in self._layers:
            if training is not None and _accepts_training(layer):
                x = layer(x, training=training)
            else:
                x = layer(x)
        return x

    def compute_output_shape(self, input_shape):
        shape = TensorShape(input_shape)
        for layer in self._layers:
            shape = layer.compute_output_shape(shape)
        return shape

    def _collect(self, frozen=False):
        frozen = frozen or not self.trainable
        for layer in self._layers:
            yield from layer._collect(frozen)

    def _checkpoint_children(self):
        return {f"layer-{i}": layer for i, layer in enumerate(self._layers)}

    def summary(self, print_fn=print):
        """Print one line per layer: name, type, output shape (when known), parameter count."""
        rows = [("Layer (type)", "Output Shape", "Param #")]
        shape = self._input_shape
        total = 0
        for layer in self._layers:
            try:
                shape = layer.compute_output_shape(shape) if shape is not None else None
            except NotImplementedError:
                shape = None
            count = sum(v.shape.num_elements() or 0 for v in layer.variables)
            total += count
            rows.append((f"{layer.name} ({type(layer).__name__})",
                         str(tuple(shape.as_list())) if shape is not None else "?", str(count)))
        widths = [max(len(r[i]) for r in rows) + 2 for i in range(3)]
        print_fn(f'Model: "{self.name}"')
        for r in rows:
            print_fn("".join(c.ljust(w) for c, w in zip(r, widths, strict=True)))
        print_fn(f"Total params: {total}")


def _accepts_training(layer):
    try:
        params = inspect.signature(layer.call).parameters
    except (TypeError, ValueError):
        return False
    return "training" in params or any(p.kind is p.VAR_KEYWORD for p in params.values())

# -- a name janusgrad lacks is a clear error (issue 18, running TF programs unchanged) --
from ..framework.missing import missing_names as _missing_names  # noqa: E402
__getattr__ = _missing_names(__name__)
