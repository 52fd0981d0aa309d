"""The functional API: `Model(inputs, outputs)` over tf.keras.Input tensors replays the layer
calls recorded between them (each a Node), in order, on real tensors."""
from ..framework.nest import flatten, pack_sequence_as
from ..framework.tensor import convert_to_tensor
from ..ops.math import cast
from .keras_tensor import KerasTensor
from .layers.operators import OperatorLayer
from .models import Model


class Functional(Model):
    """A model whose call runs the graph of layer calls from `inputs` to `outputs` (lists and
    dicts of KerasTensors allowed); shared layers are called once per use."""

    _scoped = False

    def __init__(self, inputs, outputs, name=None, trainable=True, **kwargs):
        Model.__init__(self, name=name, trainable=trainable, **kwargs)
        flat_in, flat_out = flatten(inputs), flatten(outputs)
        for what, flat in (("inputs", flat_in), ("outputs", flat_out)):
            bad = [x for x in flat if not isinstance(x, KerasTensor)]
            if bad or not flat:
                raise ValueError(f"All `{what}` values must be KerasTensors (from "
                                 f"tf.keras.Input and layers called on them). Received: "
                                 f"{what}={bad[0] if bad else flat!r}")
        self._inputs_struct, self._outputs_struct = inputs, outputs
        self._nodes = _nodes_between(flat_in, flat_out)
        # an operator on KerasTensors is an operation, not one of Keras's model.layers
        self._operations = _keras_order(flat_in, flat_out)       # what summary() lists
        self._layers = [x for x in self._operations if not isinstance(x, OperatorLayer)]
        self.built = True

    @property
    def inputs(self):
        return flatten(self._inputs_struct)

    @property
    def outputs(self):
        return flatten(self._outputs_struct)

    @property
    def input_shape(self):
        shapes = [tuple(t.shape.as_list()) for t in self.inputs]
        return shapes[0] if len(shapes) == 1 else shapes

    @property
    def output_shape(self):
        shapes = [tuple(t.shape.as_list()) for t in self.outputs]
        return shapes[0] if len(shapes) == 1 else shapes

    def _sublayers(self):
        return list(self._layers)

    def call(self, inputs, training=None, mask=None):
        symbols = flatten(self._inputs_struct)
        if isinstance(self._inputs_struct, dict) and isinstance(inputs, dict):
            missing = sorted(set(self._inputs_struct) - set(inputs))
            if missing:
                raise ValueError(f"Model {self.name!r}: missing inputs {missing} (the model "
                                 f"takes {sorted(self._inputs_struct)})")
            given = flatten({k: inputs[k] for k in self._inputs_struct})
        elif isinstance(inputs, dict):          # keyed by the Inputs' names
            names = [getattr(t, "input_layer", t).name for t in symbols]
            missing = sorted(set(names) - set(inputs))
            if missing:
                raise ValueError(f"Model {self.name!r}: missing inputs {missing} (the model "
                                 f"takes {names})")
            given = [inputs[n] for n in names]
        elif len(symbols) == 1 and isinstance(inputs, (list, tuple)) and len(inputs) == 1 \
                and hasattr(inputs[0], "shape"):
            given = list(inputs)                # model([x]) for a one-input model
        else:
            given = flatten(inputs) if isinstance(inputs, (list, tuple)) and \
                len(symbols) > 1 else [inputs]
        if len(given) != len(symbols):
            raise ValueError(f"Model {self.name!r} expects {len(symbols)} input(s), but it "
                             f"received {len(given)} input tensors.")
        values = {}
        for symbol, x in zip(symbols, given, strict=True):
            x = convert_to_tensor(x)
            if x.dtype is not symbol.dtype:
                x = cast(x, symbol.dtype)
            values[id(symbol)] = x
        for node in self._nodes:
            flat = flatten([list(node.args), node.kwargs])
            args, kwargs = pack_sequence_as(
                [list(node.args), node.kwargs],
                [values[id(t)] if isinstance(t, KerasTensor) else t for t in flat])
            outs = node.layer(*args, **kwargs)
            for symbol, value in zip(flatten(node.outputs), flatten(outs), strict=True):
                values[id(symbol)] = value
        return pack_sequence_as(self._outputs_struct,
                                [values[id(t)] for t in flatten(self._outputs_struct)])

    def _checkpoint_children(self):
        return {f"layer-{i}": layer for i, layer in enumerate(self._layers)}

    def get_config(self):
        return {"name": self.name, "trainable": self.trainable,
                "layers": [{"class_name": type(x).__name__, "name": x.name,
                            "config": x.get_config()} for x in self._layers]}


def _nodes_between(inputs, outputs):
    """The layer calls from `inputs` to `outputs`, each after the calls it reads."""
    known = {id(t) for t in inputs}
    order, done = [], set()

    def visit(t, path):
        if id(t) in known:
            return
        node = t.node
        if node is None:
            raise ValueError(f"Graph disconnected: cannot find parent for KerasTensor {t!r}: "
                             "it is an Input not listed in the model's inputs")
        if id(node) in done:
            return
        if id(node) in path:
            raise ValueError("The functional graph has a cycle")
        for parent in node.input_tensors():
            visit(parent, path | {id(node)})
        done.add(id(node))
        order.append(node)

    for t in outputs:
        visit(t, frozenset())
    return order


def _node_of(t):
    if t.node is not None:
        return t.node
    layer = getattr(t, "input_layer", None)
    return layer._inbound_nodes[0] if layer is not None else None


def _keras_order(inputs, outputs):
    """The layers in Keras's `model.layers` order: deepest first (depth counted from the
    outputs), layers of the same depth in the order a depth-first walk from the outputs finds
    them."""
    input_ids = {id(t) for t in inputs}
    finished, found, index = set(), [], {}

    def walk(t):
        node = _node_of(t)
        if node is None or id(node) in finished:
            return
        index.setdefault(id(node.layer), (len(index), node.layer))
        if id(t) not in input_ids:
            for parent in node.input_tensors():
                walk(parent)
        finished.add(id(node))
        found.append(node)

    for t in outputs:
        walk(t)
    node_depth, layer_depth = {}, {}
    for node in reversed(found):
        depth = max(node_depth.setdefault(id(node), 0), layer_depth.get(id(node.layer), 0))
        layer_depth[id(node.layer)] = node_depth[id(node)] = depth
        for parent in node.input_tensors():
            parent_node = _node_of(parent)
            if parent_node is not None:
                node_depth[id(parent_node)] = max(depth + 1, node_depth.get(id(parent_node), 0))
    for t in inputs:                      # an input no output depends on still counts
        layer = getattr(t, "input_layer", None)
        if layer is not None and id(layer) not in layer_depth:
            layer_depth[id(layer)] = 0
            index[id(layer)] = (-1, layer)
    ranked = sorted(index.values(), key=lambda e: (-layer_depth[id(e[1])], e[0]))
    return [layer for _, layer in ranked]
