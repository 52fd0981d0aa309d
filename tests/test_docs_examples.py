"""The docs' Python code blocks run (issue 22): each page's ```python blocks in order, in one
fresh namespace per page, so that the guides cannot drift from the code. A block preceded by
the line `<!-- notest -->` is deliberately not run (a fragment, or one needing files)."""
import pathlib
import re

import pytest

DOCS = pathlib.Path(__file__).resolve().parent.parent / "docs"
BLOCK = re.compile(r"(<!-- notest -->\n)?```python\n(.*?)\n```", re.S)


def blocks(page):
    return [(m.group(2), m.start()) for m in BLOCK.finditer(page.read_text(encoding="utf-8"))
            if not m.group(1)]


@pytest.fixture(autouse=True)
def _unregister_new_ops():
    # the docs register op types (tf.register_op): undo them, as tests/test_python_ops.py does,
    # so that other tests in this process can register the same names
    from janusgrad.framework.registry import OPS
    from janusgrad.ops import python_ops
    before = set(OPS)
    yield
    for op_type in set(OPS) - before:
        if op_type in python_ops._USER_OPS:
            python_ops.unregister_op(op_type)


PAGES = sorted(p for p in DOCS.glob("*.md") if blocks(p)) if DOCS.is_dir() else []
# pages whose examples start Ray (the `distributed` extra): on the worker of the other tests that
# use Ray (one Ray instance), and only where it is installed
RAY_PAGES = {"distributed.md"}


def _param(page):
    if page.name not in RAY_PAGES:
        return page
    return pytest.param(page, marks=pytest.mark.xdist_group("ray"))


def test_pages_found():
    # the sdist ships docs/ with the tests; a glob that found nothing would test nothing
    if not DOCS.is_dir():
        pytest.skip("no docs/ beside tests/")
    assert len(PAGES) >= 2


@pytest.mark.parametrize("page", [_param(p) for p in PAGES], ids=lambda p: p.name)
def test_page_blocks_run(page, tmp_path, monkeypatch):
    if page.name in RAY_PAGES:
        pytest.importorskip("ray", reason="the `distributed` extra (Ray) is not installed")
    monkeypatch.chdir(tmp_path)     # blocks that write files write them here
    ns = {"__name__": "__docs__"}
    text = page.read_text(encoding="utf-8")
    for code, start in blocks(page):
        line = text.count("\n", 0, start) + 2
        try:
            exec(compile("\n" * (line - 1) + code, str(page), "exec"), ns)
        except Exception as e:   # noqa: BLE001 - say which block
            raise AssertionError(f"{page.name}, block at line {line}: {e!r}") from e


def test_notest_marker_skips():
    # the marker really excludes a block, and only that block
    import tempfile
    with tempfile.TemporaryDirectory() as d:
        p = pathlib.Path(d) / "x.md"
        p.write_text("<!-- notest -->\n```python\nraise SystemExit\n```\n\n```python\nx = 1\n```\n")
        assert [c for c, _ in blocks(p)] == ["x = 1"]


# -- the Examples in the docstrings of janusgrad's own API (docs/reference/janusgrad.md) -----

OWN_API_MODULES = ["janusgrad.autodiff.subgraph", "janusgrad.estimators",
                   "janusgrad.autodiff.transforms", "janusgrad.autodiff.forward",
                   "janusgrad.autodiff.explain", "janusgrad.check", "janusgrad.draw",
                   "janusgrad.ops.python_ops", "janusgrad.framework.registry",
                   "janusgrad.standin"]


@pytest.mark.parametrize("module", OWN_API_MODULES)
def test_docstring_examples_run(module):
    import doctest
    import importlib
    import sys
    if module == "janusgrad.standin" and any(
            n == "tensorflow" or n.startswith("tensorflow.") for n in sys.modules):
        pytest.skip("a stand-in is active in this process")
    mod = importlib.import_module(module)
    result = doctest.testmod(mod, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
    assert result.failed == 0, f"{module}: {result.failed} docstring example(s) failed"
    assert result.attempted > 0, f"{module}: no docstring examples found"
