"""The documents hold together (issue 22): the generated pages of supported TF names are
current, and every relative link of the README and the guides reaches a file (and a heading,
for `#anchor`s) in the repository. `mkdocs build --strict` checks the site's own links too, but
the README is not part of the site, and GitHub reads both as plain Markdown."""
import importlib.util
import pathlib
import re

import pytest

ROOT = pathlib.Path(__file__).resolve().parent.parent
LINK = re.compile(r"\]\(([^)\s]+)\)")
FENCE = re.compile(r"```.*?```", re.S)


def slug(heading):
    # GitHub's and MkDocs' toc (for these headings) rule: lower case, drop punctuation, spaces -> -
    return re.sub(r"[^\w\- ]", "", heading.strip().lower()).replace(" ", "-")


def anchors(path):
    text = FENCE.sub("", path.read_text(encoding="utf-8"))
    return {slug(h) for h in re.findall(r"^#+ (.*)$", text, re.M)}


def links(path):
    text = FENCE.sub("", path.read_text(encoding="utf-8"))
    return [u for u in LINK.findall(text) if not re.match(r"[a-z]+:", u)]


DOCS = sorted((ROOT / "docs").rglob("*.md")) if (ROOT / "docs").is_dir() else []


@pytest.mark.parametrize("page", [ROOT / "README.md", ROOT / "DEVELOPING.md", *DOCS],
                         ids=lambda p: str(p.relative_to(ROOT)))
def test_relative_links_resolve(page):
    for url in links(page):
        target, _, frag = url.partition("#")
        dest = (page.parent / target).resolve() if target else page
        assert dest.exists(), f"{page.name}: link {url!r}: no {dest}"
        if frag and dest.suffix == ".md":
            assert frag in anchors(dest), f"{page.name}: link {url!r}: no heading #{frag}"


def test_slug_rule():
    assert slug("Reliability: what is guaranteed") == "reliability-what-is-guaranteed"
    assert slug("tf.compat.v1") == "tfcompatv1"


def test_readme_keeps_the_quick_start_and_leaves_shared():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    assert 'pip install -e ".[demo]" && python -m janusgrad.demo' in text
    assert 'pip install -e ".[test,demo,distributed]" && python -m pytest -n 2 tests' in text
    assert "python -m venv .venv && . .venv/bin/activate" in text
    assert "shared/" not in text        # the contract is in docs/, not outside the repository


def test_supported_names_pages_are_current():
    tool = ROOT / "tools" / "docs_names.py"
    if not tool.exists() or not (ROOT / "docs").is_dir():
        pytest.skip("no tools/docs_names.py or docs/ beside tests/")
    spec = importlib.util.spec_from_file_location("docs_names", tool)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    stale = [rel for rel, text in mod.render().items()
             if not (ROOT / "docs" / rel).exists()
             or (ROOT / "docs" / rel).read_text(encoding="utf-8") != text]
    assert not stale, f"out of date: {stale}; run python tools/docs_names.py"
    # using names (tf.compat.v1 caches the top-level ones it reads) changes nothing
    first = mod.render()
    tf_v1 = importlib.import_module("janusgrad.compat.v1")
    tf_v1.reduce_prod, tf_v1.keras
    assert mod.render() == first
    # and they list what janusgrad exports: a name from each kind of namespace
    import janusgrad as tf
    ref = (ROOT / "docs" / "reference" / "tf.md").read_text(encoding="utf-8")
    assert "| `tf.nn.softmax` |" in ref and hasattr(tf.nn, "softmax")
    keras = (ROOT / "docs" / "reference" / "tf.keras.md").read_text(encoding="utf-8")
    assert "| `tf.keras.layers.Dense` | class |" in keras
    assert "| `tf.gradient_block`" not in ref       # janusgrad's own: its own reference page


LIST_ITEM = re.compile(r"^([-*+]|\d+\.) ")


@pytest.mark.parametrize("page", DOCS, ids=lambda p: str(p.relative_to(ROOT)))
def test_lists_start_after_a_blank_line(page):
    # Python-Markdown (MkDocs) reads a list that follows a paragraph line as more of the
    # paragraph, so the site showed "...: - **layers**: ..." as text (GitHub renders it anyway)
    lines = FENCE.sub("", page.read_text(encoding="utf-8")).split("\n")
    for before, line in zip(lines, lines[1:]):
        if LIST_ITEM.match(line) and before.strip() and not LIST_ITEM.match(before) \
                and not before.startswith((" ", "\t", "|")):
            raise AssertionError(f"{page.name}: a list after a paragraph line needs a blank line "
                                 f"before it: {before[:50]!r} / {line[:50]!r}")
