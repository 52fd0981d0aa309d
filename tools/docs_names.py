"""Write the supported-TensorFlow-names pages of the docs from what janusgrad exports (issue 22).

    python tools/docs_names.py           # rewrite docs/supported_names.md and docs/reference/tf*.md
    python tools/docs_names.py --check   # exit 1 if they are out of date (tests/test_docs_names.py)

The pages are the contract of `python -m janusgrad run`: every name listed is there, with the
first line of its docstring. They are generated, never edited by hand: a name added to a
namespace module appears here when this script is run again, and the test says when to.
"""
import argparse
import inspect
import pathlib
import sys
import types

ROOT = pathlib.Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs"

# TF's namespaces, as TF groups them: page -> the dotted names documented on it (a namespace
# janusgrad does not have is skipped). Everything else a janusgrad module holds (its own
# implementation modules: autodiff, framework, ops, keras.trainer ...) is not a TF namespace.
PAGES = {
    "tf": ["tf", "tf.math", "tf.nn", "tf.linalg", "tf.random", "tf.dtypes", "tf.errors",
           "tf.debugging", "tf.train", "tf.summary", "tf.config", "tf.io", "tf.io.gfile", "tf.test",
           "tf.distribute", "tf.initializers", "tf.losses", "tf.optimizers", "tf.raw_ops",
           "tf.logging", "tf.app", "tf.flags", "tf.gfile", "tf.version"],
    "tf.keras": ["tf.keras", "tf.keras.layers", "tf.keras.models", "tf.keras.optimizers",
                 "tf.keras.losses", "tf.keras.metrics", "tf.keras.callbacks",
                 "tf.keras.activations", "tf.keras.initializers", "tf.keras.regularizers",
                 "tf.keras.backend", "tf.keras.utils"],
    "tf.compat.v1": ["tf.compat.v1", "tf.compat.v1.nn", "tf.compat.v1.layers",
                     "tf.compat.v1.train", "tf.compat.v1.losses", "tf.compat.v1.summary",
                     "tf.compat.v1.initializers", "tf.compat.v1.keras", "tf.compat.v1.logging",
                     "tf.compat.v1.app", "tf.compat.v1.flags", "tf.compat.v1.gfile",
                     "tf.compat.v1.io", "tf.compat.v1.io.gfile", "tf.compat.v1.test",
                     "tf.compat.v1.config"],
}
NAMESPACES = [ns for page in PAGES.values() for ns in page]
# TF 1's namespaces that TF 2 keeps only under tf.compat.v1 (janusgrad also has them at the top)
V1_ONLY = {"tf.logging", "tf.app", "tf.flags", "tf.gfile"}
# TF's public names per namespace, recorded from TF 2.21 by tools/record_tf_names.py
TF_NAMES = ROOT / "tests" / "tf_names_expected.json"


def tf_counterparts(dotted):
    """Where TF has the names of janusgrad's namespace `dotted`: TF 2's module and its
    tf.compat.v1 counterpart (TF1 programs' names: `tf.Session`, `tf.train.AdamOptimizer`)."""
    if dotted.startswith("tf.compat.v1"):
        return [dotted]
    v1 = "tf.compat.v1" + dotted[2:]
    return [v1] if dotted in V1_ONLY else [dotted, v1]


_RECORDED = {}


def tf_names(dotted):
    """The names TF 2.21 (with Keras 3, or with tf-keras) has in namespace `dotted` or its
    tf.compat.v1 counterpart; None where TF has no such namespace (then all are listed)."""
    if not _RECORDED and TF_NAMES.exists():
        import json
        _RECORDED.update(json.loads(TF_NAMES.read_text(encoding="utf-8")))
    found = [set(rec["namespaces"][where]) for rec in _RECORDED.values()
             for where in tf_counterparts(dotted) if where in rec["namespaces"]]
    return set().union(*found) if found else None


# janusgrad's own names at the top level: documented in reference/janusgrad.md, not TF's
OWN = {"estimators", "gradient_block", "override_gradient", "grad", "value_and_grad", "vjp",
       "jvp", "hessian", "explain_gradient", "check_gradients", "GradientCheckError", "draw",
       "register_op", "stand_in_for_tensorflow", "unregister_gradient", "debug"}


def resolve(dotted):
    import janusgrad
    obj = janusgrad
    for part in dotted.split(".")[1:]:
        obj = getattr(obj, part, None)
        if obj is None:
            return None
    return obj


# Names bound to plain values (str, int, float, None, an enum member) cannot carry a docstring
# of their own (theirs is their type's), so their summaries are written here, by name; DType
# instances are summarized from their own `name`. Everything else is summarized from its own
# docstring, so that help() shows the same words.
VALUES = {
    "VERSION": "The TensorFlow version janusgrad stands in for: '2.21.0'.",
    "GIT_VERSION": "TF's git version string; janusgrad's is 'janusgrad'.",
    "COMPILER_VERSION": "TF's compiler version string; janusgrad's is 'janusgrad'.",
    "newaxis": "None: `x[:, tf.newaxis]` inserts a dimension of size 1, as in NumPy.",
    "AUTO_REUSE": "The `reuse` value of `variable_scope` that makes `get_variable` create a "
                  "variable or reuse the existing one.",
    "SUMMARIES": "The name of the graph collection that TF1's summary ops are added to: "
                 "'summaries'.",
    "FLAGS": "The program's flags: absl-py's `flags.FLAGS`, wrapped as TF wraps it (reading a "
             "flag before the flags are parsed parses `sys.argv`).",
    "EPSILON": "1e-7, the fuzz factor Keras's losses clip probabilities with.",
    "DEBUG": "The DEBUG logging level, 10.",
    "INFO": "The INFO logging level, 20.",
    "WARN": "The WARN logging level, 30.",
    "ERROR": "The ERROR logging level, 40.",
    "FATAL": "The FATAL logging level, 50.",
}


def own_doc(obj):
    """The object's own docstring, never one inherited: a class without one would otherwise be
    summarized by its base's (`BinaryCrossentropy` by Loss's "Base class: ..."), and an instance
    by its type's."""
    if inspect.isclass(obj):
        doc = vars(obj).get("__doc__")
    elif isinstance(obj, types.ModuleType) or inspect.isroutine(obj):
        doc = obj.__doc__
    else:
        doc = getattr(obj, "__doc__", None)
        if doc is type(obj).__doc__:
            doc = None
    return inspect.cleandoc(doc) if isinstance(doc, str) else ""


def summary(obj, name=None):
    """The first paragraph of `obj`'s own docstring, on one line ("" if it has none)."""
    if type(obj).__name__ == "DType" and isinstance(getattr(obj, "name", None), str):
        return f"The `{obj.name}` dtype (a `tf.DType`)."
    if not (inspect.isroutine(obj) or inspect.isclass(obj) or callable(obj)
            or isinstance(obj, (types.ModuleType, types.SimpleNamespace))):
        return VALUES.get(name, "")
    doc = own_doc(obj) or VALUES.get(name, "")
    if not doc and inspect.isclass(obj) and not obj.__module__.startswith("janusgrad"):
        # a class of another package that TF re-exports as it is (absl-py's, for tf.flags)
        return f"`{obj.__module__.split('.')[0]}`'s `{obj.__qualname__}`, as TF re-exports it."
    line = " ".join(doc.split("\n\n", 1)[0].split())
    return (line[:257] + "...") if len(line) > 260 else line


def kind(obj):
    if inspect.isclass(obj):
        return "class"
    if isinstance(obj, types.ModuleType):
        return "module"
    if callable(obj):
        return "function"
    return type(obj).__name__


def names_of(dotted):
    """The public names of one namespace: (name, kind, summary), sorted; None if janusgrad
    lacks the namespace. Modules that are not TF namespaces are left out."""
    mod = resolve(dotted)
    if not isinstance(mod, types.ModuleType):
        return None
    names = set(dir(mod))
    if dotted == "tf.compat.v1":
        # TF 1's module falls back to every top-level name (read and cached when first used,
        # so its dir() grows as a program runs): list them all, whatever was used already
        names |= set(dir(resolve("tf")))
    rows = []
    # a name TF lacks is a helper the module imports for itself (`tf.keras.losses.cast`), or
    # janusgrad's own (`tf.Drawing`): not one of TF's names
    known = tf_names(dotted)
    for name in sorted(names, key=lambda n: (n.lower(), n)):
        if name.startswith("_") or (dotted in ("tf", "tf.compat.v1") and name in OWN):
            continue
        if known is not None and name not in known:
            continue
        try:
            obj = getattr(mod, name)
        except AttributeError:
            continue
        if isinstance(obj, types.ModuleType) and f"{dotted}.{name}" not in NAMESPACES and \
                not (dotted == "tf" and name == "compat"):
            continue
        rows.append((name, kind(obj), summary(obj, name)))
    return rows


def table_cell(text):
    """A summary as Markdown table text: `|` and `<` escaped, and outside code spans `*` and
    `__` too, so that `x * y` and absl's "__doc__" are not read as emphasis."""
    parts = text.replace("|", "\\|").replace("<", "&lt;").split("`")
    for i in range(0, len(parts), 2):     # the even parts are outside backticks
        parts[i] = parts[i].replace("*", "\\*").replace("__", "\\_\\_")
    return "`".join(parts)


def anchor(dotted):
    return dotted.replace(".", "")


def render():
    """{path relative to docs/: text}"""
    out, index = {}, []
    for dotted in NAMESPACES:     # imported first: a loaded submodule is in its parent's dir()
        resolve(dotted)
    for page, spaces in PAGES.items():
        lines = [f"# {page} names", "",
                 f"The TensorFlow names janusgrad exports under `{page}` and its namespaces, "
                 "each with the first line of its docstring (where a name differs from "
                 "TensorFlow's, its docstring says so). Generated by `tools/docs_names.py` from "
                 "what janusgrad exports; do not edit.", ""]
        for dotted in spaces:
            rows = names_of(dotted)
            if not rows:              # no such namespace, or no TF name in it: no empty table
                continue
            index.append((dotted, page, len(rows)))
            lines += [f"## {dotted}", "", "| name | kind | summary |", "|---|---|---|"]
            for name, k, s in rows:
                s = table_cell(s)
                lines.append(f"| `{dotted}.{name}` | {k} | {s} |")
            lines.append("")
        out[f"reference/{page}.md"] = "\n".join(lines)
    total = sum(n for _, _, n in index)
    lines = ["# Supported TensorFlow names", "",
             "`python -m janusgrad run prog.py` runs a TensorFlow program with janusgrad standing "
             "in for `tensorflow`. These are the TensorFlow names it provides: "
             f"{total} names in {len(index)} namespaces, generated by `tools/docs_names.py` from "
             "what janusgrad actually exports (a test fails when this page is out of date). "
             "Names a janusgrad module holds that TensorFlow 2.21 does not have there (helpers "
             "it imports for its own use) are left out; TF's names are recorded by "
             "`tools/record_tf_names.py`. A name janusgrad does not have raises an "
             "`AttributeError` (an `ImportError` for a module) that says janusgrad does not "
             "implement it and names the closest ones it has. Where "
             "janusgrad deliberately differs from TensorFlow is in "
             "[Using it as TensorFlow](tensorflow.md).", "",
             "| namespace | names |", "|---|---:|"]
    for dotted, page, n in index:
        lines.append(f"| [`{dotted}`](reference/{page}.md#{anchor(dotted)}) | {n} |")
    out["supported_names.md"] = "\n".join(lines) + "\n"
    return out


def main(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--check", action="store_true", help="only say whether the pages are current")
    args = p.parse_args(argv)
    stale = []
    for rel, text in render().items():
        path = DOCS / rel
        if args.check:
            if not path.exists() or path.read_text(encoding="utf-8") != text:
                stale.append(rel)
        else:
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text, encoding="utf-8")
    if stale:
        print("out of date: " + ", ".join(stale) + "; run python tools/docs_names.py",
              file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
