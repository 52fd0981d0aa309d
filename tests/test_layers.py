"""janusgrad's layers, enforced: each imports only its own layer and those below, never above,
not even inside a function; a module's underscore names are its own.

The layers, bottom first (DEVELOPING.md says what each holds and what goes where). A module
belongs to the first layer whose package prefix it has; janusgrad/__init__.py and the
namespace modules beside it (nn.py, math.py, linalg.py...) are the public face.
"""
import ast
import importlib.util
import pathlib
import subprocess
import sys

import pytest

LAYERS = (
    ("framework", ("janusgrad.framework",)),
    ("ops", ("janusgrad.ops",)),
    ("autodiff", ("janusgrad.autodiff",)),
    ("runtime", ("janusgrad.runtime",)),
    ("built on the engine", ("janusgrad.train", "janusgrad.keras", "janusgrad.compat",
                             "janusgrad.estimators", "janusgrad.draw", "janusgrad.debug",
                             "janusgrad.check", "janusgrad.summaries",
                             "janusgrad.distributed")),
    ("the public face", ("janusgrad",)),
    ("applications of the public face", ("janusgrad.demo",)),
)

# the package under test, wherever it is installed from (a checkout or a wheel)
PACKAGE = pathlib.Path(importlib.util.find_spec("janusgrad").origin).parent


def layer_of(module):
    """The index in LAYERS of a module's layer (the longest matching prefix wins)."""
    best, best_len = None, -1
    for i, (_, prefixes) in enumerate(LAYERS):
        for p in prefixes:
            if (module == p or module.startswith(p + ".")) and len(p) > best_len:
                best, best_len = i, len(p)
    return best


def module_name(path):
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def modules():
    return {module_name(p): p for p in sorted(PACKAGE.rglob("*.py"))}


MODULES = modules()


def imports(module, path):
    """(line, imported module, names) for every import of a janusgrad module in `path`, at any
    depth (function bodies included). `from . import x` of a submodule x counts as importing x."""
    tree = ast.parse(path.read_text(), str(path))
    package = module if path.name == "__init__.py" else module.rpartition(".")[0]
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                if node.level > 1:
                    base = base[:-(node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if target != "janusgrad" and not target.startswith("janusgrad."):
                continue
            names = [a.name for a in node.names]
            subs = [f"{target}.{n}" for n in names if f"{target}.{n}" in MODULES]
            if subs and len(subs) == len(names):
                found.extend((node.lineno, s, []) for s in subs)
            else:
                found.append((node.lineno, target, names))
        elif isinstance(node, ast.Import):
            for a in node.names:
                if a.name == "janusgrad" or a.name.startswith("janusgrad."):
                    found.append((node.lineno, a.name, []))
    return found


def test_every_module_has_a_layer_and_every_layer_modules():
    assert all(layer_of(m) is not None for m in MODULES)
    assert {layer_of(m) for m in MODULES} == set(range(len(LAYERS)))
    assert LAYERS[layer_of("janusgrad.ops.state")][0] == "ops"
    assert LAYERS[layer_of("janusgrad.runtime.control_flow")][0] == "runtime"
    assert LAYERS[layer_of("janusgrad.nn")][0] == "the public face"


def test_no_import_reaches_a_higher_layer():
    upward = []
    for module, path in MODULES.items():
        mine = layer_of(module)
        for line, target, _ in imports(module, path):
            theirs = layer_of(target)
            if theirs is not None and theirs > mine:
                upward.append(f"{path.relative_to(PACKAGE.parent)}:{line}: {module} "
                              f"({LAYERS[mine][0]}) imports {target} ({LAYERS[theirs][0]})")
    assert not upward, "imports from a lower layer to a higher one:\n" + "\n".join(upward)


def test_the_checker_sees_function_level_and_relative_imports(tmp_path):
    """The test above would fail on the kinds of upward import the package used to have."""
    src = ("from ..ops.array import zeros\n"
           "def f():\n"
           "    from ..autodiff import backprop\n"
           "    import janusgrad.runtime.session\n")
    tmp = tmp_path / "example.py"
    tmp.write_text(src)
    found = imports("janusgrad.framework.example", tmp)
    targets = [t for _, t, _ in found]
    assert targets == ["janusgrad.ops.array", "janusgrad.autodiff.backprop",
                       "janusgrad.runtime.session"]
    assert [layer_of(t) for t in targets] == [1, 2, 3]


def test_underscore_names_are_not_imported_from_other_modules():
    """A leading underscore means "this module only": no module imports another's."""
    leaks = []
    for module, path in MODULES.items():
        for line, target, names in imports(module, path):
            private = [n for n in names if n.startswith("_") and not n.startswith("__")]
            if private and target != module:
                leaks.append(f"{path.relative_to(PACKAGE.parent)}:{line}: {private} from "
                             f"{target}")
    assert not leaks, "\n".join(leaks)


def _private_attributes(path, class_name):
    """The underscore attributes a class sets on self or defines."""
    tree = ast.parse(path.read_text())
    names = set()
    for cls in ast.walk(tree):
        if isinstance(cls, ast.ClassDef) and cls.name == class_name:
            for node in ast.walk(cls):
                if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) \
                        and node.value.id == "self" and node.attr.startswith("_") \
                        and not node.attr.startswith("__"):
                    names.add(node.attr)
                elif isinstance(node, ast.FunctionDef) and node.name.startswith("_") \
                        and not node.name.startswith("__"):
                    names.add(node.name)
    return names


# Tensor's slots (_value, _id) are the tensor's own protocol, read by every layer's hot path
# (the sweep keys gradients by _id); the graph's and the tape's state is theirs alone.
@pytest.mark.parametrize("owner, class_name", [("janusgrad.framework.graph", "Graph"),
                                               ("janusgrad.autodiff.tape", "GradientTape")])
def test_graph_and_tape_state_is_read_through_their_methods(owner, class_name):
    private = _private_attributes(MODULES[owner], class_name) - {"_id", "_lock"}
    assert {"_records", "_watched"} <= private or {"_ops", "_by_name"} <= private
    uses = []
    for module, path in MODULES.items():
        if module == owner:
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Attribute) and node.attr in private and not (
                    isinstance(node.value, ast.Name) and node.value.id in ("self", "cls")):
                uses.append(f"{path.relative_to(PACKAGE.parent)}:{node.lineno}: .{node.attr}")
    assert not uses, f"{class_name}'s private state used outside {owner}:\n" + "\n".join(uses)


def test_each_layer_imports_without_the_layers_above():
    """At run time too: loading every module of a layer (with the package's own __init__ left
    out, as it is the top) loads no module of a higher layer."""
    script = f"""
import importlib, sys, types
pkg = types.ModuleType("janusgrad")
pkg.__path__ = [{str(PACKAGE)!r}]
sys.modules["janusgrad"] = pkg
layers = {[list(p) for _, p in LAYERS]!r}
modules = {sorted(MODULES)!r}
k = int(sys.argv[1])
def layer(m):
    best, n = None, -1
    for i, prefixes in enumerate(layers):
        for p in prefixes:
            if (m == p or m.startswith(p + ".")) and len(p) > n:
                best, n = i, len(p)
    return best
for m in modules:
    if m != "janusgrad" and layer(m) == k and not m.endswith("__main__"):
        importlib.import_module(m)
above = sorted(m for m in sys.modules if m.startswith("janusgrad.") and layer(m) > k)
print("\\n".join(above))
"""
    for k, (name, _) in enumerate(LAYERS[:4]):
        out = subprocess.run([sys.executable, "-c", script, str(k)], capture_output=True,
                             text=True, timeout=120)
        assert out.returncode == 0, out.stderr
        assert out.stdout.strip() == "", f"loading the {name} layer loaded {out.stdout.split()}"


def _module_level_imports(module, path):
    """The janusgrad modules `module` imports while it is being imported (statements outside
    function bodies), parent packages left out."""
    tree = ast.parse(path.read_text(), str(path))
    functions = [n for n in ast.walk(tree) if isinstance(n, (ast.FunctionDef,
                                                               ast.AsyncFunctionDef))]
    inside = {id(n) for f in functions for n in ast.walk(f)}
    lines = {n.lineno for n in ast.walk(tree) if isinstance(n, (ast.Import, ast.ImportFrom))
             and id(n) not in inside}
    return {t for line, t, _ in imports(module, path)
            if line in lines and not module.startswith(t + ".") and t != "janusgrad"}


def test_module_level_imports_have_no_cycle():
    """Any module can be imported first: a module-level import never comes back to a module
    that is still being imported (imports inside functions may; they run later)."""
    edges = {m: {t for t in _module_level_imports(m, p) if t in MODULES}
             for m, p in MODULES.items()}
    cycles = _cycles(edges)
    assert not cycles, "module-level import cycles:\n" + "\n".join(cycles)


def test_the_cycle_finder_finds_a_cycle_like_the_one_tape_and_backprop_had():
    edges = {"tape": {"backprop", "registry"}, "backprop": {"tape"}, "registry": set()}
    assert _cycles(edges) == ["backprop -> tape -> backprop"]
    assert _cycles({"a": {"b"}, "b": set()}) == []


def _cycles(edges):
    state, cycles = {}, []

    def visit(m, stack):
        state[m] = "open"
        stack.append(m)
        for t in sorted(edges[m]):
            if state.get(t) == "open":
                cycles.append(" -> ".join(stack[stack.index(t):] + [t]))
            elif t not in state:
                visit(t, stack)
        stack.pop()
        state[m] = "done"

    for m in sorted(edges):
        if m not in state:
            visit(m, [])
    return cycles
