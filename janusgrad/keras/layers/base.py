"""tf.keras.layers.Layer, as Keras 3 runs it.

Calling a layer builds it once from its inputs' shapes (`build(input_shape)`, under the
layer's name so its weights' paths read 'outer/dense/kernel'), then runs `call`. The
outermost call clears the losses its layers added last time (`add_loss`); `training` given to
it reaches every nested layer whose `call` takes `training` and is not given one. Layers,
variables and lists/dicts of them assigned as attributes are tracked (weights, losses,
checkpoints). A call on KerasTensors (the functional API) traces `call` into a graph for the
output shapes and records the call as a Node instead of computing anything.
"""
import inspect
import re
import threading
import weakref

import numpy as np

from ...framework import dtypes
from ...framework.context import init_scope
from ...framework.nest import flatten, map_structure, pack_sequence_as
from ...framework.shape import TensorShape
from ...framework.tensor import convert_to_tensor
from ...ops.array import shape
from ...ops.math import cast
from ...ops.state import Variable
from ...runtime.function import Function, TensorSpec
from .. import activations, initializers
from .. import constraints  # issue 18: constraint names and configs, as keras.constraints.get
from ..keras_tensor import KerasTensor, Node
from ..variables import KerasVariable

name_counts = {}


def unique_layer_name(base):
    """'dense', then 'dense_1', 'dense_2' ... as Keras names layers."""
    n = name_counts.get(base, 0)
    name_counts[base] = n + 1
    return base if n == 0 else f"{base}_{n}"


def snake_case(name):
    """Keras's layer-name rule: 'MaxPooling2D' -> 'max_pooling2d', 'Conv2D' -> 'conv2d'."""
    name = re.sub(r"(.)([A-Z][a-z]+)", r"\1_\2", name)
    return re.sub(r"([a-z])([A-Z])", r"\1_\2", name).lower()


class _CallStack(threading.local):
    def __init__(self):
        self.frames = []          # (layer, training) of the calls running now, outermost first
        self.with_losses = weakref.WeakValueDictionary()   # id -> layer holding losses


_calls = _CallStack()


def get_regularizer(identifier):
    """A weight or activity regularizer: None or a callable (variable -> scalar loss)."""
    if identifier is None or callable(identifier):
        return identifier
    raise ValueError(f"Could not interpret regularizer identifier: {identifier!r} (give a "
                     "callable, e.g. tf.keras.regularizers.l2(1e-4))")


def get_constraint(identifier):
    return constraints.get(identifier)


def serialize(obj):
    """An initializer/regularizer/constraint as get_config lists it (a name for activations)."""
    if obj is None or isinstance(obj, (str, int, float)):
        return obj
    config = obj.get_config() if hasattr(obj, "get_config") else None
    if config is None:
        return obj
    if isinstance(obj, constraints.Constraint):
        return constraints.serialize(obj)
    return {"module": "keras.initializers", "class_name": type(obj).__name__, "config": config,
            "registered_name": None}


def _is_tensorish(x):
    return hasattr(x, "shape") and hasattr(x, "dtype")


def _shapes(inputs):
    """What build gets: the input's shape, or a list/dict of them for several inputs."""
    if isinstance(inputs, (list, tuple, dict)) and \
            all(_is_tensorish(x) for x in flatten(inputs)) and flatten(inputs):
        return map_structure(lambda t: TensorShape(t.shape), inputs)
    if _is_tensorish(inputs):
        return TensorShape(inputs.shape)
    return TensorShape(convert_to_tensor(inputs).shape)


class Layer:
    """Base layer: override `build(input_shape)` (create weights with `add_weight`) and
    `call(inputs)`; calling the layer builds it once, then runs `call`."""

    _scoped = True            # whether weights built inside its call are named under it

    def __init__(self, trainable=True, name=None, dtype=None, input_shape=None,
                 activity_regularizer=None, autocast=True, **kwargs):
        object.__setattr__(self, "_tracked", [])      # (attribute name, value), in order
        self.name = name or unique_layer_name(snake_case(type(self).__name__))
        self.trainable = trainable
        self.built = False
        self._dtype = dtypes.as_dtype(dtype) if dtype is not None else dtypes.float32
        self._weights = []                            # (weight name, variable), in order
        self._regularized = []                        # (variable, regularizer)
        self._losses = []
        self._pending_restore = {}                    # values restored before build
        self.activity_regularizer = get_regularizer(activity_regularizer)
        self._inbound_nodes = []
        batch_input_shape = kwargs.pop("batch_input_shape", None)
        input_dim = kwargs.pop("input_dim", None)
        if input_shape is None and batch_input_shape is not None:
            input_shape = batch_input_shape[1:]
        if input_shape is None and input_dim is not None:
            input_shape = (input_dim,)
        self._input_shape_arg = tuple(input_shape) if input_shape is not None else None
        if kwargs:
            raise TypeError(f"Unrecognized keyword arguments passed to {type(self).__name__}: "
                            f"{kwargs}")
        params = _call_parameters(self)
        self._call_takes_training = "training" in params
        self._call_takes_mask = "mask" in params

    def __setattr__(self, name, value):
        tracked = self.__dict__.get("_tracked")
        if tracked is not None and not name.startswith("_"):
            tracked[:] = [(n, v) for n, v in tracked if n != name]
            if _trackable(value):
                tracked.append((name, value))
        object.__setattr__(self, name, value)

    # -- building and calling ----------------------------------------------------------------
    def build(self, input_shape):
        self.built = True

    def call(self, inputs, *args, **kwargs):
        raise NotImplementedError(f"Layer {type(self).__name__} does not have a `call()` "
                                  "method implemented.")

    def __call__(self, *args, **kwargs):
        if not args:
            if "inputs" not in kwargs:
                raise TypeError(f"{self.name}: a layer is called on its inputs, got no "
                                "positional argument")
            args = (kwargs.pop("inputs"),)
        frames = _calls.frames
        outer_training = frames[-1][1] if frames else None
        if kwargs.get("training") is None:
            kwargs.pop("training", None)
            if outer_training is not None and self._call_takes_training:
                kwargs["training"] = outer_training
        elif not self._call_takes_training:
            outer_training = kwargs.pop("training")
        if not self._call_takes_mask:
            kwargs.pop("mask", None)
        training = kwargs.get("training", outer_training)
        if _symbolic(args) or kwargs and _symbolic(kwargs.values()):
            return self._symbolic_call(args, kwargs)
        if not frames and _calls.with_losses:
            self._clear_losses()
        frames.append((self, training))
        try:
            self._maybe_build(args[0])
            outputs = self.call(*args, **kwargs)
        finally:
            frames.pop()
        if self.activity_regularizer is not None:
            for out in flatten(outputs):
                if _is_tensorish(out):
                    loss = self.activity_regularizer(out)
                    if out.shape.rank:      # Keras 3 divides by the batch size
                        loss = loss / cast(shape(out)[0], loss.dtype)
                    self.add_loss(loss)
        return outputs

    def _maybe_build(self, inputs):
        if self.built:
            return
        self.build(_shapes(inputs))
        self.built = True

    def _symbolic_call(self, args, kwargs):
        """The functional API: the outputs' shapes from a trace of `call`; the call recorded."""
        flat = flatten([list(args), kwargs])
        specs = [TensorSpec(t.shape, t.dtype) if isinstance(t, KerasTensor) else t for t in flat]
        self._maybe_build(args[0])
        tensor_slots = [i for i, t in enumerate(flat) if isinstance(t, KerasTensor)]

        def traced(*tensors):
            filled = list(flat)
            for i, t in zip(tensor_slots, tensors, strict=True):
                filled[i] = t
            a, kw = pack_sequence_as([list(args), kwargs], filled)
            _calls.frames.append((self, kw.get("training")))
            try:
                return self.call(*a, **kw)
            finally:
                _calls.frames.pop()

        saved = {id(layer): list(layer._losses) for layer in self._flatten_layers()}
        cf = Function(traced, autograph=False).get_concrete_function(
            *[specs[i] for i in tensor_slots])
        for layer in self._flatten_layers():     # losses of the trace are graph tensors: dropped
            layer._losses[:] = saved.get(id(layer), [])
        node = Node(self, args, kwargs, None)
        outs = [KerasTensor(t.shape, t.dtype, node=node, index=i)
                for i, t in enumerate(cf.outputs)]
        node.outputs = pack_sequence_as(cf.structure, outs)
        self._inbound_nodes.append(node)
        return node.outputs

    @property
    def dtype(self):
        """The weights' dtype, by name ('float32'), as Keras 3 gives it."""
        return self._dtype.name

    compute_dtype = variable_dtype = dtype

    @property
    def output(self):
        """The KerasTensor(s) of the layer's first call on KerasTensors (Keras's rule)."""
        return self._node_attribute("outputs", "output")

    @output.setter
    def output(self, value):          # a subclass may use the name for its own attribute
        self.__dict__["_own_output"] = value

    @property
    def input(self):
        return self._node_attribute("args", "input")

    @input.setter  # noqa: A003  (Keras's name)
    def input(self, value):  # noqa: A003
        self.__dict__["_own_input"] = value

    def _node_attribute(self, attr, what):
        own = self.__dict__.get("_own_" + what)
        if own is not None:
            return own
        if not self._inbound_nodes:
            raise AttributeError(f"The layer {self.name} has never been called and thus has "
                                 f"no defined {what}.")
        value = getattr(self._inbound_nodes[0], attr)
        return value[0] if attr == "args" else value

    def compute_output_shape(self, input_shape):
        """The output shape for inputs of `input_shape`, from a trace of `call`."""
        def spec(s):
            return TensorSpec(s, self._dtype)
        shapes = map_structure(lambda s: s, input_shape) if isinstance(input_shape, list) and \
            input_shape and isinstance(input_shape[0], (list, tuple, TensorShape)) else \
            TensorShape(input_shape)
        ins = map_structure(lambda s: KerasTensor(s, self._dtype), shapes) \
            if isinstance(shapes, list) else KerasTensor(shapes, self._dtype)
        out = self._symbolic_call((ins,), {})
        self._inbound_nodes.pop()
        return map_structure(lambda t: t.shape, out)

    def compute_output_spec(self, *args, **kwargs):
        return self._symbolic_call(args, kwargs)

    # -- weights -----------------------------------------------------------------------------
    def add_weight(self, shape=None, initializer=None, dtype=None, trainable=True,
                   autocast=True, regularizer=None, constraint=None, aggregation="none",
                   overwrite_with_gradient=False, name=None, **kwargs):
        """A new weight of this layer (a value restored before build wins over the init).
        Keras 3's argument order; a name given first (Keras 2's order) is taken as the name."""
        if isinstance(shape, str):          # add_weight("kernel", shape=...): Keras 2
            name, shape = shape, kwargs.pop("shape", None)
            if isinstance(initializer, (list, tuple)):
                shape, initializer = initializer, None
        if kwargs:
            raise TypeError(f"{self.name}.add_weight: unexpected arguments {sorted(kwargs)}")
        dtype = dtypes.as_dtype(dtype) if dtype is not None else self._dtype
        shape = [int(d) for d in (shape or ())]
        if initializer is None:
            initializer = "glorot_uniform" if dtype.is_floating else "zeros"
        init = initializers.get(initializer)
        name = name if name is not None else f"variable_{len(self._weights)}"
        restored = self._pending_restore.pop(name, None)
        if restored is not None and (list(restored.shape) != shape or
                                     restored.dtype != dtype.np):
            raise ValueError(f"{self.name}/{name}: the checkpoint holds a {restored.dtype} "
                             f"value of shape {list(restored.shape)}, the layer builds a "
                             f"{dtype.name} weight of shape {shape}")
        initial = restored if restored is not None else (lambda: init(shape, dtype=dtype))
        scope = [f[0].name for f in _calls.frames if f[0]._scoped]
        if not scope or scope[-1] != self.name:
            scope.append(self.name)
        with init_scope():
            var = KerasVariable(initial, name=name, path="/".join([*scope, name]),
                                trainable=trainable, dtype=dtype,
                                constraint=get_constraint(constraint))
        var.regularizer = get_regularizer(regularizer)
        if var.regularizer is not None:
            self._regularized.append((var, var.regularizer))
        self._weights.append((name, var))
        return var

    def _sublayers(self):
        """The layers tracked directly under this one, in order, each once."""
        out = []
        for _, v in self._tracked:
            for x in _walk(v):
                if isinstance(x, Layer) and not any(x is y for y in out):
                    out.append(x)
        return out

    def _flatten_layers(self):
        out = [self]
        for layer in self._sublayers():
            for x in layer._flatten_layers():
                if not any(x is y for y in out):
                    out.append(x)
        return out

    def _collect(self, frozen=False):
        """(variable, trainable here) pairs in Keras's order (this layer's trainable weights,
        its other weights, then each sublayer's): a frozen layer freezes all inside it."""
        frozen = frozen or not self.trainable
        own = [v for _, v in self._weights]
        own += [v for _, value in self._tracked for v in _walk(value) if isinstance(v, Variable)]
        for v in [v for v in own if v.trainable] + [v for v in own if not v.trainable]:
            yield v, v.trainable and not frozen
        for layer in self._sublayers():
            yield from layer._collect(frozen)

    def _all_variables(self, trainable):
        out, seen = [], set()
        for v, is_trainable in self._collect():
            if (trainable is None or is_trainable == trainable) and id(v) not in seen:
                seen.add(id(v))
                out.append(v)
        return out

    @property
    def trainable_variables(self):
        return self._all_variables(True)

    @property
    def trainable_weights(self):
        return self._all_variables(True)

    @property
    def non_trainable_variables(self):
        return self._all_variables(False)

    @property
    def non_trainable_weights(self):
        return self._all_variables(False)

    @property
    def variables(self):
        return self._all_variables(None)

    @property
    def weights(self):
        return self._all_variables(None)

    def get_weights(self):
        return [np.array(v.numpy()) for v in self.weights]

    def set_weights(self, weights):
        variables = self.weights
        if len(weights) != len(variables):
            raise ValueError(f"You called `set_weights(weights)` on layer '{self.name}' with a "
                             f"weight list of length {len(weights)}, but the layer was "
                             f"expecting {len(variables)} weights.")
        for v, w in zip(variables, weights, strict=True):
            if tuple(v.shape.as_list()) != tuple(np.shape(w)):
                raise ValueError(f"Layer {self.name} weight shape {tuple(v.shape.as_list())} "
                                 f"is not compatible with provided weight shape "
                                 f"{tuple(np.shape(w))}.")
        for v, w in zip(variables, weights, strict=True):
            v.assign(np.asarray(w, v.dtype.np))

    def count_params(self):
        if not self.built:
            raise ValueError(f"You tried to call `count_params` on layer '{self.name}', but "
                             "the layer isn't built. You can build it manually via: "
                             "`layer.build(input_shape)`.")
        return int(sum(v.shape.num_elements() or 0 for v in self.weights))

    # -- losses ------------------------------------------------------------------------------
    def add_loss(self, loss):
        """A scalar added to `losses` until the next outermost call (Keras clears them then)."""
        self._losses.append(loss)
        _calls.with_losses[id(self)] = self

    def _clear_losses(self):
        for layer in self._flatten_layers():
            if layer._losses:
                layer._losses.clear()
                _calls.with_losses.pop(id(layer), None)

    @property
    def losses(self):
        """`add_loss` losses of this layer and those inside it, then the weight penalties
        (recomputed from the weights' current values)."""
        out = []
        layers = self._flatten_layers()
        for layer in layers:
            out.extend(layer._losses)
        for layer in layers:
            for var, reg in layer._regularized:
                if any(var is v for v in self.trainable_weights):
                    out.append(reg(var))
        return out

    # -- configuration -----------------------------------------------------------------------
    def get_config(self):
        return {"name": self.name, "trainable": self.trainable, "dtype": self.dtype}

    @classmethod
    def from_config(cls, config):
        return cls(**config)

    def _checkpoint_children(self):
        kids = {name: v for name, v in self._weights}
        for name, value in self._tracked:
            if isinstance(value, dict):
                kids.update((f"{name}/{k}", v) for k, v in value.items() if _trackable(v))
            elif isinstance(value, (list, tuple)):
                kids.update((f"{name}/{i}", v) for i, v in enumerate(value) if _trackable(v))
            else:
                kids[name] = value
        return kids

    def __repr__(self):
        return f"<{type(self).__name__} name={self.name}, built={self.built}>"


def _symbolic(values):
    """Whether a KerasTensor is among the arguments (a functional-API call)."""
    for v in values:
        if isinstance(v, KerasTensor):
            return True
        if isinstance(v, (list, tuple, dict)) and \
                any(isinstance(t, KerasTensor) for t in flatten(v)):
            return True
    return False


def _trackable(value):
    if isinstance(value, (Layer, Variable)):
        return True
    if isinstance(value, (list, tuple)):
        return any(_trackable(v) for v in value) or (isinstance(value, list) and not value)
    if isinstance(value, dict):
        return any(_trackable(v) for v in value.values()) or not value
    return False


def _walk(value):
    """The layers and variables in an attribute's value (lists and dicts searched, as they
    are now: a list filled after it was assigned counts)."""
    if isinstance(value, (Layer, Variable)):
        yield value
    elif isinstance(value, (list, tuple)):
        for v in value:
            yield from _walk(v)
    elif isinstance(value, dict):
        for v in value.values():
            yield from _walk(v)


def _call_parameters(layer):
    try:
        params = inspect.signature(layer.call).parameters
    except (TypeError, ValueError):
        return {}
    if any(p.kind is p.VAR_KEYWORD for p in params.values()):
        return {**params, "training": None, "mask": None}
    return params


def layer_dtype_cast(layer, x):
    """The input as a tensor of the layer's dtype (Keras casts float inputs to it)."""
    x = convert_to_tensor(x)
    if x.dtype is not layer._dtype and x.dtype.is_floating:
        x = cast(x, layer._dtype)
    return x


def get_activation(identifier):
    return activations.get(identifier)


# -- building a nested layer under its own name (issue 18, recurrent Keras layers) --
def build_in_scope(layer, input_shape):
    """Build `layer` as its own call would, so its weights' paths name it (outer/layer/w)."""
    _calls.frames.append((layer, None))
    try:
        layer.build(input_shape)
        layer.built = True
    finally:
        _calls.frames.pop()
