"""janusgrad.draw: DOT text always, SVG/PNG through Graphviz when installed, a clear error when
not; gradient rules marked on graphs, tensor histories, tapes and tf.functions."""
import importlib
import shutil

import pytest

import janusgrad as tf
from janusgrad import estimators
from janusgrad.framework.execute import execute
from janusgrad.framework.registry import OPS
from janusgrad.framework.registry import register_kernel

HAVE_DOT = shutil.which("dot") is not None
draw_module = importlib.import_module("janusgrad.draw")     # tf.draw is the function


def _graph_with_every_kind():
    tf.compat.v1.disable_eager_execution()

    @tf.RegisterGradient("DrawClip")
    def _clip(op, dy):
        return tf.clip_by_value(dy, -0.1, 0.1)

    @tf.custom_gradient
    def mysquare(x):
        return x * x, lambda dy: dy * 2.0 * x
    if "DrawNoGrad" not in OPS:
        register_kernel("DrawNoGrad", lambda x: x + 1)
    x = tf.compat.v1.placeholder(tf.float32, [3], name="x")
    g = tf.compat.v1.get_default_graph()
    with g.gradient_override_map({"Identity": "DrawClip"}):
        a = tf.identity(x, name="clipped")
    with tf.gradient_block(lambda dy: dy, name="myblock") as block:
        b = block.outputs(tf.sin(a, name="inside"))
    c = mysquare(b) + tf.stop_gradient(x, name="frozen") + tf.identity(x, name="plain_id")
    d = execute("DrawNoGrad", [x], name="opaque")[0]
    y = tf.reduce_sum(c, name="loss")
    tf.gradients(y, x)
    return g, y, d


def test_graph_dot_marks_every_kind_of_gradient():
    g, _, _ = _graph_with_every_kind()
    dot = tf.draw(g).dot
    assert dot.startswith("digraph")
    assert "clipped\\n(Identity)\\ngrad: 'DrawClip'\", fillcolor=\"#e1bee7\"" in dot
    assert "grad: custom_gradient(mysquare)\", fillcolor=\"#ffe0b2\"" in dot
    assert "frozen\\n(StopGradient)\\ngrad: stop_gradient\", fillcolor=\"#ffcdd2\"" in dot
    assert "plain_id\\n(Identity)\\ngrad: _identity_grad\", fillcolor=\"#c8e6c9\"" in dot
    assert "opaque\\n(DrawNoGrad)\\ngrad: none defined\", fillcolor=\"#ff8a80\"" in dot
    assert "subgraph cluster_block0" in dot and "gradient block 'myblock'" in dot
    block_part = dot[dot.index("cluster_block0"):dot.index("}", dot.index("cluster_block0"))]
    assert "inside" in block_part
    assert "subgraph cluster_gradients" in dot and "gradients/" in dot
    assert "legend" in dot and "custom gradient" in dot


def test_gradients_false_draws_the_forward_only():
    g, _, _ = _graph_with_every_kind()
    dot = tf.draw(g, gradients=False).dot
    assert "grad:" not in dot and "gradients/" not in dot and "legend" not in dot
    assert "clipped" in dot


def test_a_tensor_history_has_only_its_ancestors():
    _, y, d = _graph_with_every_kind()
    dot = tf.draw(y).dot
    assert "inside" in dot and "opaque" not in dot and "gradients/" not in dot
    assert "opaque" in tf.draw(d.op).dot


def test_tape_and_eager_tensor_history():
    x = tf.constant([1.0, 2.0])
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = estimators.round_ste(x) * tf.stop_gradient(x)
        z = tf.sin(x)
        history = tf.draw(y)                          # found on the active tape
    dot = tf.draw(tape).dot
    assert "IdentityN #" in dot and "straight_through(round)" in dot
    assert "watched float32[2]" in dot and "Sin #" in dot
    assert "Sin #" not in history.dot and "IdentityN #" in history.dot
    with pytest.raises(ValueError, match="no recorded history"):
        tf.draw(z)


def test_a_tf_function_graph():
    @tf.function
    def f(x):
        return estimators.reverse_gradient(x, 0.5) * 2.0
    dot = tf.draw(f.get_concrete_function(tf.constant([1.0]))).dot
    assert "custom_gradient(reverse_gradient)" in dot and "arg" in dot


def test_save_dot_and_bad_arguments(tmp_path):
    x = tf.Graph()
    with x.as_default():
        y = tf.sin(tf.constant(1.0))
    drawing = tf.draw(y)
    path = tmp_path / "g.dot"
    drawing.save(str(path))
    assert path.read_text() == drawing.dot == str(drawing)
    with pytest.raises(ValueError, match="'.txt'"):
        drawing.save(str(tmp_path / "g.txt"))
    with pytest.raises(TypeError, match="expected a Graph"):
        tf.draw(3)


def test_missing_graphviz_is_a_clear_error(tmp_path, monkeypatch):
    monkeypatch.setattr(draw_module.shutil, "which", lambda name: None)
    drawing = tf.draw(tf.Graph())
    with pytest.raises(FileNotFoundError, match="Graphviz's `dot` program"):
        drawing.save(str(tmp_path / "g.svg"))
    assert drawing._repr_svg_() is None


@pytest.mark.skipif(not HAVE_DOT, reason="Graphviz's dot is not installed")
def test_svg_and_png_with_graphviz(tmp_path):
    g, _, _ = _graph_with_every_kind()
    drawing = tf.draw(g)
    svg = drawing._repr_svg_()
    assert svg.lstrip().startswith("<?xml") and "<svg" in svg and "myblock" in svg
    drawing.save(str(tmp_path / "g.png"))
    assert (tmp_path / "g.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
