"""Model.summary(): Keras 3's table (the layers in order, their output shapes, parameter
counts, and for a functional model that is not a chain the layers each one reads), then the
totals with their size in bytes. Column widths follow Keras's: fractions of a line as wide as
the terminal allows (88 or 108 characters at most), shrunk evenly to fit the borders."""
import shutil
import textwrap

import numpy as np


def _readable(size):
    """Bytes as Keras writes them: '104.00 B', '1.50 KB', ..."""
    for unit in ("B", "KB", "MB", "GB", "TB"):
        if size / 1024 < 1:
            return f"{size:.2f} {unit}"
        size /= 1024
    return f"{size:.2f} PB"


def _bytes(variables):
    return sum((v.shape.num_elements() or 0) * np.dtype(v.dtype.np).itemsize for v in variables)


def _count(variables):
    return sum(v.shape.num_elements() or 0 for v in variables)


def _flat(x):
    if isinstance(x, (list, tuple)):
        return [y for item in x for y in _flat(item)]
    if isinstance(x, dict):
        return [y for k in sorted(x) for y in _flat(x[k])]
    return [x]


def _output_shape(model, layer, index):
    shapes = getattr(model, "_output_shapes", None)
    if shapes is not None and index < len(shapes):
        return str(tuple(shapes[index].as_list()))
    nodes = getattr(layer, "_inbound_nodes", [])
    if nodes:
        outs = [tuple(t.shape.as_list()) for t in _flat(nodes[0].outputs)]
        return str(outs[0] if len(outs) == 1 else outs)
    return "?"


def _model_nodes(model):
    """The Nodes of a functional model (its Inputs' included), or None for another model."""
    nodes = getattr(model, "_nodes", None)
    if nodes is None:
        return None
    inputs = [t.input_layer._inbound_nodes[0] for t in model.inputs
              if getattr(t, "input_layer", None) is not None]
    return inputs + list(nodes)


def _sequential_like(nodes):
    """Keras's test: one node per depth, each reading one tensor, no layer used twice."""
    if nodes is None:
        return True
    starts = [n for n in nodes if not n.input_tensors()]
    if len(starts) > 1 or any(len(n.input_tensors()) > 1 for n in nodes):
        return False
    layers = [id(n.layer) for n in nodes]
    read = [id(t) for n in nodes for t in n.input_tensors()]
    return len(set(layers)) == len(layers) and len(set(read)) == len(read)


def _connections(layer, nodes):
    """'dense[0][0], input_layer[0][0]': the producing layer, its call, the output's index."""
    ids = {id(n) for n in nodes}
    parts = []
    for node in layer._inbound_nodes:
        if id(node) not in ids:
            continue
        for t in node.input_tensors():
            producer = t.node if t.node is not None else t.input_layer._inbound_nodes[0]
            node_index = next(i for i, n in enumerate(producer.layer._inbound_nodes)
                              if n is producer)
            parts.append(f"{producer.layer.name}[{node_index}][{t.index}]")
    return ", ".join(parts) or "-"


def _ratio_reduce(total, values):
    """Take `total` off the values evenly, rounding as rich does."""
    out, remaining, count = [], total, len(values)
    for v in values:
        cut = round(remaining / count)
        out.append(v - cut)
        remaining -= cut
        count -= 1
    return out


def print_summary(model, print_fn):
    """Print a model's table of layers, output shapes and parameter counts, as Keras 3's
    `Model.summary()` does, through `print_fn`."""
    nodes = _model_nodes(model)
    sequential = _sequential_like(nodes)
    if sequential:
        line, positions = 88, (0.45, 0.80, 1.0)
        header = ["Layer (type)", "Output Shape", "Param #"]
    else:
        line, positions = 108, (0.3, 0.56, 0.74, 1.0)
        header = ["Layer (type)", "Output Shape", "Param #", "Connected to"]
    line = min(line, shutil.get_terminal_size().columns - 4)
    widths, current = [], 0
    for pos in positions:
        widths.append(int(pos * line) - current)
        current += widths[-1]
    widths = _ratio_reduce(sum(widths) + 3 * len(widths) + 1 - line, widths)
    right = {2}                                    # the parameter counts are right-aligned

    def border(left, mid, end, fill):
        return left + mid.join(fill * (w + 2) for w in widths) + end

    def row(cells, edge="│"):
        """One row; a cell too wide for its column wraps at spaces onto more lines."""
        wrapped = [textwrap.wrap(c, w, break_on_hyphens=False) or [""]
                   for c, w in zip(cells, widths, strict=True)]
        out = []
        for i in range(max(len(w) for w in wrapped)):
            texts = [(w[i] if i < len(w) else "") for w in wrapped]
            texts = [t.rjust(w) if k in right else t.ljust(w)
                     for k, (t, w) in enumerate(zip(texts, widths, strict=True))]
            out.append(edge + edge.join(f" {t} " for t in texts) + edge)
        return "\n".join(out)

    lines = [f'Model: "{model.name}"', border("┏", "┳", "┓", "━"), row(header, "┃"),
             border("┡", "╇", "┩", "━")]
    layers = getattr(model, "_operations", None) or model.layers
    for i, layer in enumerate(layers):
        kind = getattr(layer, "op_class", type(layer).__name__)
        if not layer.built:
            params = "0 (unbuilt)"
        else:
            params = f"{_count(layer.weights):,}"
        cells = [f"{layer.name} ({kind})", _output_shape(model, layer, i), params]
        if not sequential:
            cells.append(_connections(layer, nodes))
        lines.append(row(cells))
        if i < len(layers) - 1:
            lines.append(border("├", "┼", "┤", "─"))
    lines.append(border("└", "┴", "┘", "─"))
    weights, trainable = model.weights, model.trainable_weights
    frozen = [v for v in weights if not any(v is t for t in trainable)]
    for label, vs in (("Total", weights), ("Trainable", trainable),
                      ("Non-trainable", frozen)):
        lines.append(f" {label} params: {_count(vs):,} ({_readable(_bytes(vs))})")
    for text in lines:
        print_fn(text)
