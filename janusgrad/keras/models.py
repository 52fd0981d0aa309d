"""tf.keras.Model (subclassing; `Model(inputs, outputs)` gives a Functional, functional.py) and
tf.keras.Sequential."""
import os

from ..framework.shape import TensorShape
from ..train.checkpoint import Checkpoint
from .distribution import scope_strategy as _scope_strategy
from .keras_tensor import KerasTensor
from .layers.base import Layer
from .layers.input_layer import InputLayer
from .summary import print_summary
from .trainer import Trainer


class Model(Trainer, Layer):   # Trainer: compile/fit/evaluate/predict (issue 20)
    """Subclass it (layers and variables assigned as attributes are tracked) or call
    `Model(inputs, outputs)` (the functional API). Unlike TF, fit traces a step that builds
    layers once (TF twice), and steps_per_epoch must be one pass over the arrays.

    Subclassing: create layers in `__init__` and define `call`; what is assigned as an
    attribute is tracked (trainable_variables, checkpoints). `Model(inputs, outputs)` on
    tf.keras.Input tensors makes a Functional model."""

    def __new__(cls, *args, **kwargs):
        if cls is Model and (args or "inputs" in kwargs or "outputs" in kwargs):
            from .functional import Functional    # the same layer; Functional subclasses Model
            model = object.__new__(Functional)
        else:
            model = object.__new__(cls)
        # made in a strategy's scope: trained on its replicas (Keras 3's, issue 23)
        object.__setattr__(model, "_distribute_strategy", _scope_strategy())
        return model

    def __init__(self, *args, **kwargs):
        if args or "inputs" in kwargs or "outputs" in kwargs:
            # a subclass whose __init__ calls super().__init__(inputs, outputs): as Keras 3, the
            # instance becomes a Functional too (its class, with Functional after it in the
            # MRO: the subclass's own methods, a `call` included, still come first)
            from .functional import Functional
            if not isinstance(self, Functional):
                self.__class__ = _functional_subclass(type(self), Functional)
            Functional.__init__(self, *args, **kwargs)
            return
        super().__init__(**kwargs)

    @property
    def layers(self):
        return [layer for layer in self._sublayers()]

    def get_layer(self, name=None, index=None):
        """The layer named `name`, or at position `index` of `layers`."""
        if index is not None and name is not None:
            raise ValueError(f"Provide only a layer name or a layer index. Received: "
                             f"index={index}, name={name}.")
        layers = self.layers
        if index is not None:
            if len(layers) <= index:
                raise ValueError(f"Was asked to retrieve layer at index {index} but model "
                                 f"only has {len(layers)} layers.")
            return layers[index]
        if name is not None:
            for layer in layers:
                if layer.name == name:
                    return layer
            raise ValueError(f"No such layer: {name}. Existing layers are: "
                             f"{[layer.name for layer in layers]}.")
        raise ValueError("Provide either a layer name or layer index at `get_layer`.")

    def _maybe_build(self, inputs):
        # a subclassed model's layers build themselves in its call: nothing to do first
        if type(self).build is Model.build:
            self.built = True
        else:
            super()._maybe_build(inputs)

    def build(self, input_shape):
        """Create the weights by calling the model on a symbolic input of that shape."""
        if not self.built:
            self.built = True
            shape = [TensorShape(s) for s in input_shape] if isinstance(input_shape, list) \
                and input_shape and isinstance(input_shape[0], (list, tuple, TensorShape)) \
                else TensorShape(input_shape)
            if type(self).call is not Model.call:
                ins = [KerasTensor(s) for s in shape] if isinstance(shape, list) else \
                    KerasTensor(shape)
                self._symbolic_call((ins,), {})
        self.built = True

    def summary(self, line_length=None, positions=None, print_fn=None, **kwargs):
        """Print the layers, their output shapes and parameter counts, as Keras's table."""
        print_summary(self, print_fn or print)

    # -- weights on disk ---------------------------------------------------------------------
    def save_weights(self, filepath, overwrite=True):
        """Write every weight to `filepath` (janusgrad's own .npz format, written atomically);
        `load_weights(filepath)` reads it back."""
        path = _weights_path(filepath, "save_weights")
        if not overwrite and os.path.exists(path):
            raise FileExistsError(f"save_weights: {path} exists and overwrite=False")
        Checkpoint(root=self).write(path)

    def load_weights(self, filepath, skip_mismatch=False, **kwargs):
        """Assign the weights saved by `save_weights` (weights of layers not built yet take
        theirs when built); a weight of another shape is a ValueError and changes nothing."""
        path = _weights_path(filepath, "load_weights")
        status = Checkpoint(root=self).restore(path)
        if not skip_mismatch:
            status.assert_existing_objects_matched()
        return status


def _weights_path(filepath, what):
    path = os.fspath(filepath)
    if path.endswith((".h5", ".hdf5", ".keras")):
        raise ValueError(f"{what}: janusgrad does not write HDF5 or .keras files "
                         f"(got {path!r}); give a path ending in '.npz' (or no suffix: "
                         "'.npz' is added), janusgrad's own weights format.")
    return path if path.endswith(".npz") else path + ".npz"


_FUNCTIONAL_SUBCLASSES = {}     # a Model subclass -> the same with Functional in its bases


def _functional_subclass(cls, functional):
    made = _FUNCTIONAL_SUBCLASSES.get(cls)
    if made is None:
        made = _FUNCTIONAL_SUBCLASSES[cls] = type(cls.__name__, (cls, functional), {
            "__module__": cls.__module__, "__qualname__": cls.__qualname__})
    return made


class Sequential(Model):
    """Layers applied one after the other: `Sequential([Dense(8, "relu"), Dense(1)])(x)`."""

    _scoped = False

    def __init__(self, layers=None, trainable=True, name=None):
        super().__init__(name=name, trainable=trainable)
        self._layers = []
        self._input_shape = None
        self._input_tensor = None        # the Input's KerasTensor, where one was given
        for layer in layers or []:
            self.add(layer)

    def add(self, layer):
        if isinstance(layer, KerasTensor) and getattr(layer, "input_layer", None) is not None:
            layer = layer.input_layer
        if not isinstance(layer, Layer):
            raise ValueError(f"Only instances of `keras.Layer` can be added to a Sequential "
                             f"model. Received: {layer!r} (of type {type(layer)})")
        if isinstance(layer, InputLayer):
            if self._layers:
                raise ValueError("An Input can only be the first entry of a Sequential model")
            self._input_shape = layer.shape
            self._input_tensor = layer.output
            return
        if not self._layers and self._input_shape is None and \
                layer._input_shape_arg is not None:
            self._input_shape = TensorShape([None, *layer._input_shape_arg])
        was_built = self.built and len(self._output_shapes) == len(self._layers)
        self._layers.append(layer)
        if was_built:                 # only the new layer needs a symbolic call
            self._symbolic_output = layer(self._symbolic_output)
            self._output_shapes.append(self._symbolic_output.shape)
        elif self._input_shape is not None:
            self.built = False
            self.build(self._input_shape)
        else:
            self.built = False

    def pop(self):
        if not self._layers:
            raise TypeError("There are no layers in the model.")
        layer = self._layers.pop()
        self.built = False
        if self._input_shape is not None and self._layers:
            self.build(self._input_shape)
        return layer

    def _sublayers(self):
        return list(self._layers)

    def build(self, input_shape=None):
        """Build every layer by passing a symbolic input of that shape through them."""
        shape = TensorShape(input_shape if input_shape is not None else self._input_shape)
        if self._input_shape is None:
            self._input_shape = shape
        x = self._input_tensor
        if x is None or x.shape != shape:
            x = KerasTensor(shape)
        self._symbolic_input = x
        shapes = []
        for layer in self._layers:
            x = layer(x)
            shapes.append(x.shape)
        self._output_shapes = shapes
        self._symbolic_output = x
        self.built = True

    @property
    def inputs(self):
        """The symbolic input the model was built on (Keras 3's Sequential.inputs)."""
        if not self.built:
            raise AttributeError(f"Sequential model '{self.name}' has no defined inputs yet.")
        return [self._symbolic_input]

    @property
    def outputs(self):
        if not self.built:
            raise AttributeError(f"Sequential model '{self.name}' has no defined outputs yet.")
        return [self._symbolic_output]

    def call(self, inputs, training=None, mask=None):
        x = inputs
        for layer in self._layers:
            x = layer(x)
        return x

    def compute_output_shape(self, input_shape):
        shape = TensorShape(input_shape)
        for layer in self._layers:
            shape = layer.compute_output_shape(shape)
        return shape

    def _checkpoint_children(self):
        return {f"layer-{i}": layer for i, layer in enumerate(self._layers)}

    def get_config(self):
        layers = [{"class_name": type(layer).__name__, "config": layer.get_config()}
                  for layer in self._layers]
        if self._input_shape is not None:
            layers.insert(0, {"class_name": "InputLayer", "config": {
                "batch_shape": tuple(self._input_shape.as_list()), "dtype": "float32"}})
        return {"name": self.name, "trainable": self.trainable, "layers": layers}

    @classmethod
    def from_config(cls, config, custom_objects=None):
        """A new Sequential of new layers made from `get_config()`'s entries (classes of
        tf.keras.layers, or given in `custom_objects`)."""
        from . import layers as known           # the package: every built-in layer class
        layers = []
        for entry in config["layers"]:
            name = entry["class_name"]
            layer_class = (custom_objects or {}).get(name) or getattr(known, name, None)
            if layer_class is None:
                raise ValueError(f"Sequential.from_config: unknown layer class {name!r}; pass "
                                 "it in custom_objects")
            layers.append(layer_class.from_config(entry["config"]))
        return cls(layers, name=config.get("name"), trainable=config.get("trainable", True))


# -- a name janusgrad lacks is a clear error (issue 18, running TF programs unchanged) --
from ..framework.missing import missing_names as _missing_names  # noqa: E402
__getattr__ = _missing_names(__name__)
