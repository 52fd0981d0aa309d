"""Every TensorFlow name on the generated reference pages has a one-line summary (issue 22),
taken from its own docstring (so that help() shows the same words), never from a base class's:
a name added without one fails here."""
import importlib.util
import pathlib

import pytest

import janusgrad as tf

ROOT = pathlib.Path(__file__).resolve().parent.parent
TOOL = ROOT / "tools" / "docs_names.py"



@pytest.fixture(scope="module")
def tool():
    if not TOOL.exists():
        pytest.skip("no tools/docs_names.py beside tests/")
    spec = importlib.util.spec_from_file_location("docs_names", TOOL)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    for dotted in mod.NAMESPACES:
        mod.resolve(dotted)
    return mod


def rows(tool):
    for dotted in tool.NAMESPACES:
        for name, kind, text in tool.names_of(dotted) or ():
            yield f"{dotted}.{name}", kind, text


def test_every_tf_name_has_a_summary(tool):
    missing = sorted(full for full, _, text in rows(tool) if not text.strip())
    assert not missing, (f"{len(missing)} TF names without a one-line summary (give each a "
                         f"docstring): {missing}")


def test_summaries_are_one_line(tool):
    for full, _, text in rows(tool):
        assert "\n" not in text, full
        assert len(text) <= 260, full


def test_a_summary_is_the_objects_own_docstring(tool):
    class Base:
        """Base class: the words of the base."""

    class Child(Base):
        pass

    class Documented(Base):
        """A child with words of its own.

        More detail, not in the summary."""

    for cls in (Base, Child, Documented):
        cls.__module__ = "janusgrad.example"
    assert tool.summary(Base) == "Base class: the words of the base."
    assert tool.summary(Child) == ""                   # never the base's words
    assert tool.summary(Documented) == "A child with words of its own."
    assert tool.summary(Documented()) == ""            # an instance: not its class's words

    def f():
        """First
        line.

        Second paragraph."""
    assert tool.summary(f) == "First line."


def test_values_dtypes_and_other_packages_classes(tool):
    assert tool.summary(tf.double, "double") == "The `float64` dtype (a `tf.DType`)."
    assert tool.summary(tf.int32, "int32") == "The `int32` dtype (a `tf.DType`)."
    assert tool.summary(tf.VERSION, "VERSION") == tool.VALUES["VERSION"]
    assert "'2.21.0'" in tool.VALUES["VERSION"] and tf.VERSION == "2.21.0"
    assert tool.summary(17, "not_a_known_constant") == ""
    assert tool.summary(tf.compat.v1.logging.WARN, "WARN") == "The WARN logging level, 30."
    assert tf.compat.v1.logging.WARN == 30 and tf.compat.v1.logging.FATAL == 50

    class Foreign:
        pass
    Foreign.__module__ = "absl.flags._argument_parser"
    assert tool.summary(Foreign) == "`absl`'s `" + Foreign.__qualname__ + \
        "`, as TF re-exports it."


def test_pages_show_the_summaries():
    ref = (ROOT / "docs" / "reference" / "tf.md").read_text(encoding="utf-8")
    assert "| `tf.zeros_like` | function | A tensor of zeros with the shape of `input`" in ref
    assert "| `tf.float32` | DType | The `float32` dtype (a `tf.DType`). |" in ref
    keras = (ROOT / "docs" / "reference" / "tf.keras.md").read_text(encoding="utf-8")
    # a subclass with no docstring of its own used to show its base's ("Base class: ...")
    assert "| `tf.keras.losses.Huber` | class | Base class" not in keras


def test_pages_list_tensorflow_names_only(tool):
    # tf.keras.losses imports `cast` for its own use: a janusgrad name, not one of TF's
    assert callable(getattr(tf.keras.losses, "cast", None))
    assert "cast" not in tool.tf_names("tf.keras.losses")
    keras = (ROOT / "docs" / "reference" / "tf.keras.md").read_text(encoding="utf-8")
    assert "| `tf.keras.losses.cast` |" not in keras
    assert "| `tf.keras.losses.Huber` | class |" in keras
    # TF1's names, which janusgrad also has at the top level, are TF's (in tf.compat.v1)
    assert tool.tf_counterparts("tf.train") == ["tf.train", "tf.compat.v1.train"]
    assert tool.tf_counterparts("tf.logging") == ["tf.compat.v1.logging"]
    assert tool.tf_counterparts("tf.compat.v1.nn") == ["tf.compat.v1.nn"]
    assert {"Session", "placeholder"} <= tool.tf_names("tf")
    ref = (ROOT / "docs" / "reference" / "tf.md").read_text(encoding="utf-8")
    assert "| `tf.Session` | class |" in ref
    assert "| `tf.Drawing` |" not in ref           # janusgrad's own, on its own page


def test_no_empty_namespace_sections(tool):
    for page in ("tf.md", "tf.keras.md", "tf.compat.v1.md"):
        text = (ROOT / "docs" / "reference" / page).read_text(encoding="utf-8")
        assert "|---|---|---|\n\n" not in text, page


def test_table_cells_keep_their_text(tool):
    # Markdown would read `__doc__` as bold and `a * b * c` as emphasis; code spans stay as they are
    assert tool.table_cell("Takes a __doc__ string") == "Takes a \\_\\_doc\\_\\_ string"
    assert tool.table_cell("x * y * z, `a*b`") == "x \\* y \\* z, `a*b`"
    assert tool.table_cell("a | b < c") == "a \\| b &lt; c"
