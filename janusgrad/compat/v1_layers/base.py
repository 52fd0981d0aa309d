"""tf.compat.v1.layers.Layer: a Keras layer whose variables come from TF1's variable store.

As tf-keras's legacy layers (what TF 2.21 runs for tf.compat.v1.layers):
- a layer opens its variable scope once: `name` (function forms: opened when the layer is made)
  or, without a name, a fresh `dense`, `dense_1` ... (`variable_scope(None, default_name=...)`)
  at its first call; later calls re-enter it with reuse=True, and its ops go to the name scope
  that scope opened, so variables are `dense/kernel:0` and ops `dense/MatMul`;
- weights are made by get_variable in that scope: the scope's reuse (`variable_scope(...,
  reuse=True)`, or the `reuse` argument) shares them, custom getters and the scope's
  initializer apply, trainable=False variables are in GLOBAL_VARIABLES only;
- a weight's regularizer loss (`dense/kernel/Regularizer/...`) is in `layer.losses` and, in a
  graph, in REGULARIZATION_LOSSES (once per variable: a reused variable adds none);
- in a graph, the layer's update ops (batch normalization's moving averages) are in
  `layer.updates` and UPDATE_OPS; executing eagerly they run at the call, and no collection
  is touched (as TF).
"""
import re

import numpy as np

from ...framework.context import current_graph
from ...framework.nest import flatten
from ...framework.shape import TensorShape
from ...framework.tensor import Tensor, convert_to_tensor
from ...keras import layers as keras_layers
from ...ops.array import constant_value, shape
from ...ops.control import name_scope
from ...ops.math import cast
from ...ops.state import Variable
from ...runtime.control_flow import cond
from ..graph_collections import GraphKeys, get_collection, get_collection_ref
from ..variable_scope import VariableScope, get_variable, variable_scope


def executing_eagerly():
    return current_graph() is None


def snake_case(name):
    """Keras's layer-name rule: 'MaxPooling2D' -> 'max_pooling2d', 'Conv2D' -> 'conv2d'."""
    name = re.sub(r"(.)([A-Z][a-z]+)", r"\1_\2", name)
    return re.sub(r"([a-z])([A-Z])", r"\1_\2", name).lower()


def smart_cond(pred, true_fn, false_fn):
    """true_fn() or false_fn() when `pred` is known now (a bool, 0 or 1, a constant tensor),
    else a tf.cond on it (TF's smart_cond)."""
    value = static_bool(pred)
    if value is None:
        return cond(pred, true_fn, false_fn)
    return true_fn() if value else false_fn()


def static_bool(pred):
    """True/False when `pred` is known before running, None for a tensor known only then."""
    if isinstance(pred, Variable):
        return None
    if isinstance(pred, Tensor):
        value = constant_value(pred)
        return None if value is None else bool(value)
    if isinstance(pred, (bool, np.bool_)) or (isinstance(pred, (int, np.integer)) and
                                              pred in (0, 1)):
        return bool(pred)
    raise TypeError(f"`pred` must be a Tensor, or a Python bool, or 1 or 0. Found instead: "
                    f"{type(pred).__name__}")


def add_to_collection_once(name, items):
    ref = get_collection_ref(name)
    seen = {id(x) for x in ref}
    for x in items:
        if id(x) not in seen:
            ref.append(x)
            seen.add(id(x))


class Layer(keras_layers.Layer):
    """Base class of the TF1 layers (tf.compat.v1.layers.Layer). Subclasses create weights with
    `add_weight` in `build(input_shape)` and compute in `call(inputs, ...)`; `dtype=None` takes
    the first input's dtype."""

    def __init__(self, trainable=True, name=None, dtype=None, **kwargs):
        scope = kwargs.pop("_scope", None)
        self._reuse = kwargs.pop("_reuse", None)
        activity_regularizer = kwargs.pop("activity_regularizer", None)
        self._infer_dtype = dtype is None
        if isinstance(name, VariableScope):
            base_name, name = name.name, None
        else:
            base_name = name
        super().__init__(trainable=trainable, name=name, dtype=dtype, **kwargs)
        self._base_name = base_name or snake_case(type(self).__name__)
        self.activity_regularizer = activity_regularizer
        self._v1_weights = []             # every variable add_weight returned, in order
        self._v1_updates = []             # graph mode: the update ops
        self._v1_losses = []              # graph mode: loss tensors; eagerly: callables
        self._scope = None
        self._current_scope = None
        if scope:
            with variable_scope(scope) as captured:
                self._scope = captured

    # -- scopes ------------------------------------------------------------------------------
    @property
    def scope_name(self):
        if not self._scope:
            raise ValueError(f'No name available for layer scope because the layer "{self.name}" '
                             "has not been used yet. The scope name  is determined the first "
                             "time the layer instance is called. You must therefore call the "
                             "layer before querying `scope_name`.")
        return self._scope.name

    def _set_scope(self, scope=None):
        if self._scope is not None:
            return
        if self._reuse:
            with variable_scope(scope if scope is not None else self._base_name) as captured:
                self._scope = captured
        else:
            with variable_scope(scope, default_name=self._base_name) as captured:
                self._scope = captured

    def _enter_scope(self, reuse):
        """The layer's variable scope (re-entered, opening no new name scope) and its ops'
        name scope, as one context."""
        return _LayerScope(self, reuse)

    # -- weights -----------------------------------------------------------------------------
    def add_weight(self, name, shape, dtype=None, initializer=None, regularizer=None,
                   trainable=None, constraint=None, use_resource=None, synchronization=None,
                   aggregation=None, partitioner=None, **kwargs):
        """The variable `name` of the layer's scope, made by get_variable (or the existing one
        where the scope reuses); its regularizer's loss joins the layer's losses."""
        for kwarg in kwargs:
            if kwarg != "experimental_autocast":
                raise TypeError(f"Unknown keyword argument: {kwarg}")
        trainable = True if trainable is None else trainable
        dtype = dtype if dtype is not None else self.dtype
        self._set_scope(None)
        with self._enter_scope(self.built or self._reuse):
            graph = current_graph()
            before = None if graph is None else \
                {id(v) for v in get_collection(GraphKeys.GLOBAL_VARIABLES)}
            variable = get_variable(name, shape=shape, dtype=dtype, initializer=initializer,
                                    trainable=trainable and self.trainable,
                                    constraint=constraint, partitioner=partitioner,
                                    use_resource=use_resource)
            if regularizer and (before is None or id(variable) not in before):
                self._add_regularization(name, variable, regularizer)
        if not any(v is variable for v in self._v1_weights):
            self._v1_weights.append(variable)
        return variable

    def _add_regularization(self, name, variable, regularizer):
        def loss():
            with name_scope(name + "/Regularizer"):
                return regularizer(variable)
        if executing_eagerly():
            self._v1_losses.append(loss)
            return
        value = loss()
        if value is not None:
            value = convert_to_tensor(value)
            self._v1_losses.append(value)
            add_to_collection_once(GraphKeys.REGULARIZATION_LOSSES, [value])

    def _layer_variables(self, trainable):
        return [v for v in self._v1_weights
                if trainable is None or (v.trainable and self.trainable) == trainable]

    @property
    def trainable_variables(self):
        return self._layer_variables(True)

    @property
    def non_trainable_variables(self):
        return self._layer_variables(False)

    @property
    def variables(self):
        return self._layer_variables(None)

    trainable_weights = trainable_variables
    non_trainable_weights = non_trainable_variables
    weights = variables

    @property
    def losses(self):
        """The regularization losses of the layer's weights (and activity), as tensors."""
        if executing_eagerly():
            out = [fn() for fn in self._v1_losses if callable(fn)]
            return [convert_to_tensor(v) for v in out if v is not None]
        return list(self._v1_losses)

    @property
    def updates(self):
        """The update ops made in graph mode (none for a layer that is not trainable)."""
        return list(self._v1_updates) if self.trainable else []

    def add_update(self, updates):
        """Record update ops (graph mode); eagerly, a callable update is run now."""
        for u in flatten(updates):
            if executing_eagerly():
                if callable(u) and self.trainable:
                    u()
            else:
                self._v1_updates.append(u() if callable(u) else u)

    # -- calling -----------------------------------------------------------------------------
    def apply(self, *args, **kwargs):
        return self(*args, **kwargs)

    def __call__(self, inputs, *args, **kwargs):
        scope = kwargs.pop("scope", None)
        self._set_scope(scope)
        with self._enter_scope(True if self.built else self._reuse):
            if not self.built:
                first = flatten(inputs)[0]
                first = first if isinstance(first, (Tensor, Variable)) else \
                    convert_to_tensor(first)
                if self._infer_dtype and first.dtype.is_floating:
                    self._dtype = first.dtype      # (Keras 3: `dtype` is a read-only name)
                self.build(TensorShape(first.shape))
                self.built = True
            outputs = self.call(inputs, *args, **kwargs)
            if self.activity_regularizer is not None:
                self._add_activity_loss(outputs)
        if not executing_eagerly():
            add_to_collection_once(GraphKeys.UPDATE_OPS, self.updates)
        return outputs

    def _add_activity_loss(self, outputs):
        def loss():
            with name_scope("ActivityRegularizer"):
                total = 0
                for out in flatten(outputs):
                    value = self.activity_regularizer(out)
                    batch = cast(shape(out)[0], value.dtype)
                    total = total + value / batch
                return total
        if executing_eagerly():
            value = loss()
            self._v1_losses.append(lambda: value)
            return
        value = loss()
        self._v1_losses.append(value)
        add_to_collection_once(GraphKeys.REGULARIZATION_LOSSES, [value])


class _LayerScope:
    """`with variable_scope(layer's scope, reuse, auxiliary_name_scope=False)` and the name
    scope that scope opened first (absolute: `dense/`, `out_1/`)."""

    def __init__(self, layer, reuse):
        self.layer, self.reuse = layer, reuse
        self.contexts = []

    def __enter__(self):
        vs = variable_scope(self.layer._scope, reuse=self.reuse or None,
                            auxiliary_name_scope=False)
        scope = vs.__enter__()
        self.contexts.append(vs)
        self.layer._current_scope = scope
        ns = name_scope(scope.original_name_scope)
        ns.__enter__()
        self.contexts.append(ns)
        return scope

    def __exit__(self, *exc):
        while self.contexts:
            self.contexts.pop().__exit__(*exc)
        return False


def normalize_tuple(value, n, name):
    """An int or n ints as a tuple of n ints, each > 0 (Keras's conv_utils.normalize_tuple)."""
    if isinstance(value, (int, np.integer)):
        out = (int(value),) * n
    else:
        try:
            out = tuple(int(v) for v in value)
        except (TypeError, ValueError):
            raise ValueError(f"The `{name}` argument must be a tuple of {n} integers. "
                             f"Received: {value}") from None
        if len(out) != n:
            raise ValueError(f"The `{name}` argument must be a tuple of {n} integers. "
                             f"Received: {value}")
    if any(v <= 0 for v in out):
        raise ValueError(f"The `{name}` argument must be a tuple of {n} integers. Received "
                         f"{name}={value} including values that do not satisfy the requirement "
                         "`> 0`.")
    return out


def normalize_padding(value, causal=False):
    """'valid' / 'same' (and 'causal' for Conv1D), any case."""
    padding = value.lower() if isinstance(value, str) else value
    if padding not in ("valid", "same") + (("causal",) if causal else ()):
        raise ValueError('The `padding` argument must be a list/tuple or one of "valid", "same" '
                         f'(or "causal", only for `Conv1D). Received: {value}')
    return padding


def normalize_data_format(value):
    """'channels_last' (the default) or 'channels_first', any case."""
    if value is None:
        return "channels_last"
    data_format = value.lower() if isinstance(value, str) else value
    if data_format not in ("channels_first", "channels_last"):
        raise ValueError('The `data_format` argument must be one of "channels_first", '
                         f'"channels_last". Received: {value}')
    return data_format
