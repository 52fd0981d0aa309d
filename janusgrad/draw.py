"""Pictures of graphs, tensor histories and tapes, with each op's gradient rule on it.

`draw(obj)` returns a Drawing: `.dot` is Graphviz DOT text (always available), `.save(path)`
renders SVG/PNG/PDF with Graphviz's `dot` program when it is installed, and notebooks show it
through `_repr_svg_`. Ops are coloured by the gradient that runs for them: custom
(custom_gradient, estimators), overridden (gradient_override_map), stopped (stop_gradient, ops
with no gradient), pass-through (identities) and missing; gradient blocks are boxes around
their ops, and ops built by tf.gradients are drawn dashed in their own box.
"""
from typing import Any

import os
import shutil
import subprocess

from .framework import dtypes
from .framework.context import ctx
from .framework.graph import Graph, Operation
from .framework.registry import GRADIENTS
from .framework.tensor import EagerTensor, GraphTensor, Tensor
from .ops.state import Variable

_KINDS = {                        # kind -> (fill colour, legend text)
    "custom": ("#ffe0b2", "custom gradient"),
    "override": ("#e1bee7", "overridden (gradient_override_map)"),
    "stopped": ("#ffcdd2", "stopped: no gradient flows"),
    "pass": ("#c8e6c9", "pass-through: dy as is"),
    "missing": ("#ff8a80", "no gradient defined (LookupError)"),
    "source": ("#e3f2fd", "placeholder / variable / watched input"),
}


class Drawing:
    """A picture: `.dot` (DOT text), `.save(path)`, `.svg()`; notebooks render it as SVG."""

    def __init__(self, dot):
        self.dot = dot

    def save(self, path):
        """Write DOT (.dot, .gv) or render with Graphviz (.svg, .png, .pdf) by the suffix."""
        fmt = os.path.splitext(str(path))[1].lower().lstrip(".")
        if fmt in ("dot", "gv"):
            with open(path, "w") as f:
                f.write(self.dot)
            return path
        if fmt not in ("svg", "png", "pdf"):
            raise ValueError(f"draw: cannot save as '.{fmt}'; use .svg, .png, .pdf or .dot")
        with open(path, "wb") as f:
            f.write(_render(self.dot, fmt))
        return path

    def svg(self):
        """The picture as SVG text (needs Graphviz's `dot`)."""
        return _render(self.dot, "svg").decode()

    def _repr_svg_(self):
        try:
            return self.svg()
        except FileNotFoundError:
            return None                  # the notebook falls back to the text form

    def __str__(self):
        return self.dot

    def __repr__(self):
        return f"<janusgrad Drawing: {self.dot.count(' [label=')} nodes; .dot, .save(path)>"


def _render(dot, fmt):
    program = shutil.which("dot")
    if program is None:
        raise FileNotFoundError(
            f"draw: rendering {fmt.upper()} needs Graphviz's `dot` program, which is not "
            "installed (not found on PATH). Install Graphviz (apt-get install graphviz, brew "
            "install graphviz, conda install graphviz), or save the DOT text with .save('x.dot')")
    done = subprocess.run([program, f"-T{fmt}"], input=dot.encode(), capture_output=True,
                          check=False)
    if done.returncode != 0:
        raise RuntimeError(f"draw: `dot -T{fmt}` failed: {done.stderr.decode().strip()}")
    return done.stdout


def draw(obj: Any, gradients: bool = True) -> "Drawing":
    """Draw a graph, a tensor's history, an Operation's history, a GradientTape or a
    tf.function's concrete function, with the gradient rule that runs for each op.

    Custom, overridden, stopped and pass-through gradients are coloured, gradient blocks boxed,
    and (for a graph) the ops `tf.gradients` built are shown dashed.

    Args:
        obj: a `Graph`, a graph tensor, an eager tensor recorded by an active tape, an
            `Operation`, a `GradientTape`, or a concrete function of a `tf.function`.
        gradients: label each op with its gradient rule and show the gradient ops; False
            draws only the forward ops.

    Returns:
        A `Drawing`: `.dot` is the DOT text; `.save(path)` writes `.dot`, or `.svg`, `.png`,
        `.pdf` with Graphviz's `dot` installed; notebooks display it directly.

    Raises:
        TypeError: obj is none of the above.
        ValueError: an eager tensor no active tape recorded.

    Examples:
        >>> import janusgrad as tf
        >>> with tf.Graph().as_default():
        ...     x = tf.compat.v1.placeholder(tf.float32)
        ...     d = tf.draw(tf.stop_gradient(x) * 2.0)
        >>> d.dot.startswith("digraph")
        True
        >>> "StopGradient" in d.dot
        True
    """
    nodes, blocks, numbering, title = _collect(obj)
    return Drawing(_dot(nodes, blocks, numbering, title, gradients))


def _collect(obj):
    """(nodes in forward order, block nodes, tape numbering or None, title)."""
    from .autodiff.subgraph import graph_blocks
    from .autodiff.tape import GradientTape
    if hasattr(obj, "graph") and hasattr(obj, "outputs") and isinstance(
            getattr(obj, "graph", None), Graph) and not isinstance(obj, (Tensor, Operation)):
        obj = obj.graph                                   # a ConcreteFunction
    if isinstance(obj, Graph):
        return obj.get_operations(), graph_blocks(obj) or [], None, getattr(obj, "name", "graph")
    if isinstance(obj, GradientTape):
        records = obj.records_since()
        return records, obj.blocks, _numbers(records), "tape"
    if isinstance(obj, Variable):
        obj = obj.value()
    if isinstance(obj, Operation):
        obj = obj.outputs[0] if obj.outputs else obj
    if isinstance(obj, GraphTensor) or isinstance(obj, Operation):
        graph = obj.graph
        ops = _ancestors([obj.op] if isinstance(obj, GraphTensor) else [obj])
        return ops, graph_blocks(graph) or [], None, getattr(obj, "name", "tensor")
    if isinstance(obj, EagerTensor):
        for tape in reversed(ctx.tapes):
            every = tape.records_since()
            records = _history(every, obj)
            if records:
                return records, tape.blocks, _numbers(every), "tensor"
        raise ValueError("draw: this eager tensor has no recorded history; draw it inside the "
                         "`with tf.GradientTape()` that recorded it, or draw(tape)")
    raise TypeError(f"draw: expected a Graph, a tensor, an Operation, a GradientTape or a "
                    f"tf.function's concrete function, got {type(obj).__name__}")


def _numbers(records):
    return {id(n): i for i, n in enumerate(records)}


def _ancestors(ops):
    seen, stack = {}, list(ops)
    while stack:
        op = stack.pop()
        if id(op) in seen:
            continue
        seen[id(op)] = op
        stack.extend(t.op for t in op.inputs)
        stack.extend(op.control_inputs)
    return sorted(seen.values(), key=lambda op: op._id)


def _history(records, t):
    need = {t._id}
    kept = []
    for node in reversed(records):
        if any(y._id in need for y in node.outputs):
            kept.append(node)
            need.update(x._id for x in node.inputs)
    kept.reverse()
    return kept


# -- DOT ---------------------------------------------------------------------------------------

def _dot(nodes, blocks, numbering, title, gradients):
    ids = {}
    lines = [f"digraph {_quote(title)} {{",
             "  rankdir=TB; node [shape=box, style=\"rounded,filled\", fillcolor=white, "
             "fontname=\"Helvetica\", fontsize=10]; edge [fontname=\"Helvetica\", fontsize=8, "
             "color=\"#607d8b\"];"]
    grad_ops = {id(n) for n in nodes if gradients and _is_gradient_op(n)}
    if not gradients:
        nodes = [n for n in nodes if not _is_gradient_op(n)]
    producers = {y._id: node for node in nodes for y in node.outputs}
    kinds_seen = set()
    body = {}
    for i, node in enumerate(nodes):
        ids[id(node)] = f"n{i}"
        kind, rule = _gradient_kind(node)
        label = _node_name(node, numbering)
        attrs = {}
        if id(node) in grad_ops:
            attrs.update(style="\"rounded,dashed,filled\"", fillcolor="\"#f5f5f5\"")
        elif gradients or kind == "source":
            if kind:
                kinds_seen.add(kind)
                attrs["fillcolor"] = _quote(_KINDS[kind][0])
            if gradients and rule:
                label += f"\ngrad: {rule}"
        if kind == "source":
            attrs["shape"] = "ellipse"
        extra = "".join(f", {k}={v}" for k, v in attrs.items())
        body[id(node)] = f"{ids[id(node)]} [label={_quote(label)}{extra}];"
    # tensors that come from outside the drawn nodes (watched inputs of a tape)
    outside = {}
    for node in nodes:
        for x in node.inputs:
            if x._id not in producers and x._id not in outside:
                outside[x._id] = (f"t{len(outside)}", x)
    for key, x in outside.values():
        kinds_seen.add("source")
        lines.append(f"  {key} [label={_quote(_tensor_label(x))}, shape=ellipse, "
                     f"fillcolor={_quote(_KINDS['source'][0])}];")
    placed = set()
    for k, block in enumerate(blocks or []):
        placed |= _cluster(lines, block, ids, body, f"block{k}", gradients, depth=1)
    if grad_ops:
        lines.append("  subgraph cluster_gradients {")
        lines.append("    label=\"ops built by tf.gradients\"; style=dashed; color=\"#9e9e9e\";")
        for node in nodes:
            if id(node) in grad_ops and id(node) not in placed:
                lines.append("    " + body[id(node)])
                placed.add(id(node))
        lines.append("  }")
    for node in nodes:
        if id(node) not in placed:
            lines.append("  " + body[id(node)])
    for node in nodes:
        value_only = getattr(node.grad_fn, "n_outputs", 0) if gradients else 0
        for i, x in enumerate(node.inputs):
            src = producers.get(x._id)
            start = ids[id(src)] if src is not None else outside[x._id][0]
            label = _shape_label(x)
            extra = ""
            if i < value_only:             # custom_gradient's forward: its value, no gradient
                label, extra = label + " (value only)", ", style=dashed"
            lines.append(f"  {start} -> {ids[id(node)]} [label={_quote(label)}{extra}];")
    if gradients and kinds_seen:
        rows = "".join(f"<TR><TD BGCOLOR=\"{_KINDS[k][0]}\">{_KINDS[k][1]}</TD></TR>"
                       for k in _KINDS if k in kinds_seen)
        if blocks:
            rows += ("<TR><TD><FONT COLOR=\"#1565c0\">dashed box: gradient block (its grad "
                     "replaces the ops inside)</FONT></TD></TR>")
        if any(getattr(n.grad_fn, "n_outputs", 0) for n in nodes):
            rows += "<TR><TD>dashed edge: value only, no gradient</TD></TR>"
        lines.append(f"  legend [shape=plaintext, style=\"\", label=<<TABLE BORDER=\"0\" "
                     f"CELLBORDER=\"1\" CELLSPACING=\"0\">{rows}</TABLE>>];")
    lines.append("}")
    return "\n".join(lines) + "\n"


def _cluster(lines, block, ids, body, key, gradients, depth):
    placed = set()
    pad = "  " * depth
    fn = getattr(block.block.grad_fn, "__name__", "grad_fn")
    label = f"gradient block '{block.name}'" + (f"\ngrad: {fn}" if gradients else "")
    lines.append(f"{pad}subgraph cluster_{key} {{")
    lines.append(f"{pad}  label={_quote(label)}; style=\"dashed,bold\"; color=\"#1565c0\"; "
                 "fontcolor=\"#1565c0\";")
    for j, inner in enumerate(block.nested):
        placed |= _cluster(lines, inner, ids, body, f"{key}_{j}", gradients, depth + 1)
    for node in block.nodes:
        if id(node) in body and id(node) not in placed:
            lines.append(f"{pad}  {body[id(node)]}")
            placed.add(id(node))
    lines.append(f"{pad}}}")
    return placed


def _gradient_kind(node):
    """(kind, the rule's name) of the gradient that runs for this node."""
    if not node.inputs:
        if node.type in ("Placeholder", "VarHandleOp"):
            return "source", None
        return None, None
    if node.grad_fn is not None:
        name = getattr(node.grad_fn, "__name__", "grad_fn")
        return ("pass" if "pass_through" in name else "custom"), name
    key = node.gradient_type or node.type
    if callable(key):
        return "override", getattr(key, "__name__", "mapped function")
    if key not in GRADIENTS:
        return "missing", "none defined"
    fn = GRADIENTS[key]
    if fn is None:
        if not any(y.dtype.is_differentiable for y in node.outputs):
            return None, None                # integer results, side effects: no gradient to stop
        return "stopped", ("stop_gradient" if node.type == "StopGradient" else "none")
    if key != node.type:
        return "override", f"'{key}'"
    fn_name = getattr(getattr(fn, "_user_function", fn), "__name__", "?")
    if node.type in ("Identity", "IdentityN", "ReadVariableOp", "Snapshot"):
        return "pass", fn_name
    return None, fn_name


def _is_gradient_op(node):
    name = getattr(node, "name", "")
    first = name.split("/", 1)[0]
    return isinstance(node, Operation) and "/" in name and (
        first == "gradients" or first.startswith("gradients_"))


def _node_name(node, numbering):
    if numbering is not None and id(node) in numbering:
        return f"{node.type} #{numbering[id(node)]}"
    name = getattr(node, "name", node.type)
    return name if name == node.type else f"{name}\n({node.type})"


def _tensor_label(x):
    if x.dtype is dtypes.resource:
        return f"variable {getattr(getattr(x, '_value', None), 'name', '')}".strip()
    return f"watched {_shape_label(x)}"


def _shape_label(x):
    if x.dtype is dtypes.resource:
        return "resource"
    shape = x.shape
    dims = "?" if shape.rank is None else ",".join("?" if d is None else str(d)
                                                   for d in shape.as_list())
    return f"{x.dtype.name}[{dims}]"


def _quote(text):
    return '"' + str(text).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


__all__ = ["draw", "Drawing"]
