"""Model.summary(): Keras 3's table (the layers in order, their output shapes, parameter
counts), then the totals with their size in bytes."""
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


def _output_shape(model, layer, index):
    shapes = getattr(model, "_output_shapes", None)
    if shapes is not None and index < len(shapes):
        return str(tuple(shapes[index].as_list()))
    nodes = getattr(layer, "_inbound_nodes", [])
    if nodes:
        outs = [tuple(t.shape.as_list()) for t in _flat(nodes[0].outputs)]
        return str(outs[0] if len(outs) == 1 else outs)
    return "?"


def _flat(x):
    if isinstance(x, (list, tuple)):
        return [y for item in x for y in _flat(item)]
    if isinstance(x, dict):
        return [y for k in sorted(x) for y in _flat(x[k])]
    return [x]


def print_summary(model, print_fn):
    widths = (31, 22, 13)
    lines = [f'Model: "{model.name}"']

    def border(left, mid, right, fill):
        return left + mid.join(fill * (w + 2) for w in widths) + right

    def row(cells, edge="│"):
        """One row; a cell too wide for its column wraps at spaces onto more lines."""
        wrapped = [textwrap.wrap(c, w, break_on_hyphens=False) or [""]
                   for c, w in zip(cells, widths, strict=True)]
        height = max(len(w) for w in wrapped)
        out = []
        for i in range(height):
            name, shape, params = (w[i] if i < len(w) else "" for w in wrapped)
            out.append(f"{edge} {name.ljust(widths[0])} {edge} {shape.ljust(widths[1])} "
                       f"{edge} {params.rjust(widths[2])} {edge}")
        return "\n".join(out)

    lines.append(border("┏", "┳", "┓", "━"))
    lines.append(row(("Layer (type)", "Output Shape", "Param #"), "┃"))
    lines.append(border("┡", "╇", "┩", "━"))
    layers = model.layers
    for i, layer in enumerate(layers):
        count = _count(layer.weights) if layer.built else 0
        params = f"{count:,}" if layer.built else "0 (unbuilt)"
        lines.append(row((f"{layer.name} ({type(layer).__name__})",
                          _output_shape(model, layer, i), params)))
        if i < len(layers) - 1:
            lines.append(border("├", "┼", "┤", "─"))
    lines.append(border("└", "┴", "┘", "─"))
    weights, trainable = model.weights, model.trainable_weights
    frozen = [v for v in weights if not any(v is t for t in trainable)]
    for label, vs in (("Total", weights), ("Trainable", trainable),
                      ("Non-trainable", frozen)):
        lines.append(f" {label} params: {_count(vs):,} ({_readable(_bytes(vs))})")
    for line in lines:
        print_fn(line)
