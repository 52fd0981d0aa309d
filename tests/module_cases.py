"""tf.Module scenarios run by both real TF (tools/record_tf_module.py writes their results to
tests/tf_module_expected.json) and janusgrad (tests/test_module.py compares). Each scenario takes
the `tf` module and returns JSON-able values: names, traversal orders, paths, errors."""
import numpy as np


def _error(fn):
    try:
        fn()
    except Exception as e:  # noqa: BLE001 - the class and message are the result
        builtin = next(c for c in type(e).__mro__ if c.__module__ == "builtins")
        return [builtin.__name__, str(e)]
    return None


def default_names(tf):
    names = {}
    for cls_name in ("MyModule", "HTTPServer2D", "A", "ABCNet", "snake_case", "Conv2DLayer",
                     "mlp"):
        cls = type(cls_name, (tf.Module,), {})
        names[cls_name] = cls().name
    with tf.name_scope("outer"):
        m = tf.Module(name="inner")
        with m.name_scope as entered:
            inside = tf.Module(name="deeper")
    return {"names": names, "plain": tf.Module().name, "scoped": [m.name, m.name_scope.name],
            "entered": entered, "nested": [inside.name, inside.name_scope.name]}


def bad_names(tf):
    return {repr(n): _error(lambda n=n: tf.Module(name=n))
            for n in ("1abc", "a/b", "a b", "", "a-b", "x.y", "é")}


def _tree(tf):
    """A module with variables in attributes, lists, tuples and dicts, submodules at several
    depths, a variable reached twice and a cycle."""
    class Leaf(tf.Module):
        def __init__(self, tag, name=None):
            super().__init__(name=name)
            self.v = tf.Variable(1.0, name=f"{tag}_v")
            self.frozen = tf.Variable(2.0, trainable=False, name=f"{tag}_frozen")

    class Root(tf.Module):
        def __init__(self):
            super().__init__(name="root")
            self.z = tf.Variable(0.0, name="z")
            self.b_list = [tf.Variable(1.0, name="b0"),
                           {"y": tf.Variable(2.0, name="by"),
                            "x": [Leaf("bx_leaf", name="bx_leaf"),
                                  tf.Variable(3.0, name="bx1")]}]
            self.a = Leaf("a", name="a_leaf")
            self.a.child = Leaf("a_child", name="a_child")
            self.c_tuple = (tf.Variable(4.0, trainable=False, name="c0"), self.z)
            self.m = {"k2": Leaf("k2", name="k2_leaf"), "k1": 7, "k0": "text"}
            self.a.child.parent = self        # a cycle
            self.number = 3
    return Root()


def traversal(tf):
    root = _tree(tf)

    def names(vs):
        return [v.name for v in vs]

    def path(p):
        return [str(x) for x in p]
    return {
        "variables": names(root.variables),
        "trainable": names(root.trainable_variables),
        "non_trainable": names(root.non_trainable_variables),
        "submodules": [m.name for m in root.submodules],
        "a_submodules": [m.name for m in root.a.submodules],
        "a_variables": names(root.a.variables),
        # the leaves of public attributes (TF's internal ones differ from janusgrad's)
        "flat_not_recursive": [[path(p), type(x).__name__ if not isinstance(x, tf.Variable)
                                else "Variable"]
                               for p, x in root._flatten(recursive=False, with_path=True)
                               if not p[0].startswith("_")],
        "paths": [[path(p), getattr(x, "name", repr(x))]
                  for p, x in root._flatten(with_path=True,
                                            predicate=lambda x: isinstance(x, tf.Variable))],
        "reverse_key": names(root._flatten(predicate=lambda x: isinstance(x, tf.Variable),
                                           attribute_traversal_key=lambda k: [-ord(c) for c in k],
                                           recursive=False)),
        "tuple_types": [type(root.variables).__name__, type(root.submodules).__name__],
    }


def ignored_properties(tf):
    class Hiding(tf.Module):
        _TF_MODULE_IGNORED_PROPERTIES = frozenset(["hidden"]).union(
            tf.Module._TF_MODULE_IGNORED_PROPERTIES)

        def __init__(self):
            super().__init__()
            self.hidden = tf.Variable(1.0, name="hidden")
            self.shown = tf.Variable(2.0, name="shown")

    outer = tf.Module(name="outer")
    outer.inner = Hiding()
    outer.own = tf.Variable(0.0, name="own")
    return {"base": sorted(tf.Module._TF_MODULE_IGNORED_PROPERTIES),
            "hiding": [v.name for v in Hiding().variables],
            "outer": [v.name for v in outer.variables]}


def unsortable_keys(tf):
    m = tf.Module(name="m")
    m.d = {1: tf.Variable(1.0), "a": tf.Variable(2.0)}
    err = None
    try:
        m.variables
    except Exception as e:  # noqa: BLE001 - the class and message are the result
        err = [type(e).__name__, str(e).split(" of ")[0], type(e.__cause__).__name__]
    return err


def eager_scopes(tf):
    class Dense(tf.Module):
        def __init__(self, n_in, n_out, name=None):
            super().__init__(name=name)
            with self.name_scope:
                self.w = tf.Variable(tf.ones([n_in, n_out]), name="w")
                self.b = tf.Variable(tf.zeros([n_out]))
                with tf.name_scope("extra"):
                    self.e = tf.Variable(1.0, name="e")

    class MLP(tf.Module):
        def __init__(self, name=None):
            super().__init__(name=name)
            with self.name_scope:
                self.layers = [Dense(2, 3), Dense(3, 1, name="out")]

        @tf.Module.with_name_scope
        def make(self):
            self.extra = tf.Variable(0.0, name="made")
            return tf.Variable(0.0).name

    mlp = MLP()
    made = mlp.make()
    with tf.name_scope("top"):
        d = Dense(1, 1, name="d")
    again = Dense(1, 1, name="d")
    return {"mlp": [v.name for v in mlp.variables], "made": made,
            "top": [v.name for v in d.variables],
            "again": [v.name for v in again.variables],
            "scopes": [mlp.name_scope.name, mlp.layers[0].name_scope.name, d.name_scope.name,
                       again.name_scope.name],
            "method_name": MLP.make.__name__}


def graph_scopes(tf):
    g = tf.Graph()
    with g.as_default():
        a = tf.Module(name="mod")
        b = tf.Module(name="mod")
        with a.name_scope:
            va = tf.Variable(1.0, name="v")
            c = tf.constant(1.0, name="c")
        with b.name_scope:
            vb = tf.Variable(1.0, name="v")
        with a.name_scope:
            vc = tf.Variable(1.0, name="v")
        with tf.name_scope("outer"):
            inner = tf.Module(name="inner")
            with inner.name_scope:
                vi = tf.Variable(1.0, name="v")
    return {"scopes": [a.name_scope.name, b.name_scope.name, inner.name_scope.name],
            "variables": [va.name, vb.name, vc.name, vi.name], "op": c.name}


def function_pattern(tf):
    """Issue 19's pattern: variables made on the first call of a @tf.function __call__."""
    class Dense(tf.Module):
        def __init__(self, units, name=None):
            super().__init__(name=name)
            self.units = units
            self.w = None

        @tf.function
        def __call__(self, x):
            if self.w is None:
                with self.name_scope:
                    init = np.arange(x.shape[-1] * self.units, dtype=np.float32)
                    self.w = tf.Variable(init.reshape(x.shape[-1], self.units) / 10, name="w")
                    self.b = tf.Variable(tf.ones([self.units]), name="b")
            return tf.matmul(x, self.w) + self.b

    d = Dense(2, name="dense")
    x = tf.constant([[1.0, 2.0, 3.0]])
    y1 = d(x).numpy().tolist()
    y2 = d(2 * x).numpy().tolist()
    return {"y1": y1, "y2": y2, "variables": [v.name for v in d.variables],
            "traces": d.__call__.experimental_get_tracing_count()}


def eager_variable_names(tf):
    """Eager variables take the name scope they are made in; get_variable's names are already
    full ones and are not prefixed again."""
    with tf.name_scope("s"):
        a = tf.Variable(1.0, name="a")
        with tf.name_scope("t"):
            b = tf.Variable(1.0)
        with tf.name_scope("s2/"):
            c = tf.Variable(1.0, name="c")
    with tf.compat.v1.variable_scope("vs"):
        w = tf.compat.v1.get_variable("w", [1])
        with tf.name_scope("n"):
            u = tf.compat.v1.get_variable("u", [1])
    return [v.name for v in (a, b, c, w, u, tf.Variable(1.0, name="d"))]


SCENARIOS = {f.__name__: f for f in (default_names, bad_names, traversal, ignored_properties,
                                     unsortable_keys, eager_scopes, graph_scopes,
                                     function_pattern, eager_variable_names)}
