"""Graph and Operation: the lazy half of the one dispatcher (see execute.py).

Name scopes and control dependencies are per thread and per graph, as in TF. A `FuncGraph`
(the body of a tf.function or a cond branch) turns tensors from outside into placeholders,
"captures", that the caller feeds.
"""
import contextlib
import re
import threading
import weakref

from . import context, dtypes
from .device_spec import check_spec, merge_device_specs
from .registry import OPS, wants_default, with_default
from .shape import TensorShape
from .tensor import EagerTensor, GraphTensor, Tensor

OP_HOOKS = []     # called with each new Operation while a debug mode is on (janusgrad.debug)


class Operation:
    """A node: `type`, `name`, `inputs`, `outputs`, attrs; the same face as a tape record."""
    __slots__ = ("type", "name", "inputs", "outputs", "attrs", "graph", "control_inputs",
                 "grad_fn", "gradient_type", "_id", "__weakref__", "device")
    skip_input_indices = None      # graph gradients compute every input's gradient, as TF
    def __init__(self, graph, op_type, name, inputs, attrs, control_inputs, grad_fn, gradient_type):
        self.graph = graph
        self.type = op_type
        self.name = name
        self.inputs = inputs
        self.attrs = attrs
        self.control_inputs = control_inputs
        self.grad_fn = grad_fn              # a per-node gradient (custom_gradient, overrides)
        self.gradient_type = gradient_type  # the registry key set by gradient_override_map
        self.outputs = []
        self.device = ""                    # the tf.device scope's, as TF records it (issue 18)

    def get_attr(self, name):
        try:
            return self.attrs[name]
        except KeyError:
            # issue 18: TF records an override map's entry as this attr (bytes)
            if name == "_gradient_op_type" and isinstance(self.gradient_type, str):
                return self.gradient_type.encode()
            raise ValueError(f"Operation '{self.name}' (op type: {self.type}) has no attr named "
                             f"'{name}'; it has {sorted(self.attrs)}") from None

    def values(self):
        return tuple(self.outputs)

    @property
    def node_def(self):
        raise NotImplementedError("janusgrad operations have no NodeDef; use .type, .name, "
                                  ".inputs and .get_attr")

    def run(self, feed_dict=None, session=None):
        context.default_session_for(self.graph, session).run(self, feed_dict)

    def __repr__(self):
        return f"<tf.Operation '{self.name}' type={self.type}>"


class _ThreadState(threading.local):
    def __init__(self):
        self.scope = ""
        self.control_deps = []
        self.override_maps = []
        self.device = ""          # the tf.device scope: a canonical spec or a function of the op


class Graph:
    """A tf.Graph: ops in creation order (which is a topological order), names unique."""
    is_function = False

    def __init__(self):
        self._ops = []
        self._by_name = {}
        self._name_counts = {}
        self._finalized = False
        self._thread = _ThreadState()
        self._lock = threading.RLock()
        self._collections = {}
        self.plans = {}           # Session plans compiled for this graph, keyed by signature
        self.function_traces = {}   # tf.function -> its traces for calls inside this graph
        self.seed = None

    # -- TF's public face ----------------------------------------------------------------
    def as_default(self):
        return context.graph_as_default(self)

    def get_operations(self):
        return list(self._ops)

    def ops_since(self, start):
        """The ops created since the graph had `start` ops (`graph.version` then), in order."""
        return self._ops[start:]

    def get_operation_by_name(self, name):
        if not isinstance(name, str):
            raise TypeError(f"Operation names are strings, got {name!r}")
        try:
            return self._by_name[name]
        except KeyError:
            raise KeyError(f"The name {name!r} refers to an Operation not in the graph.") from None

    def get_tensor_by_name(self, name):
        if not isinstance(name, str) or ":" not in name:
            raise ValueError(f"The name {name!r} looks like an (invalid) Operation name, not a "
                             "Tensor name. Tensor names must be of the form "
                             "'<op_name>:<output_index>'.")
        op_name, _, index = name.rpartition(":")
        op = self.get_operation_by_name(op_name)
        try:
            return op.outputs[int(index)]
        except (ValueError, IndexError):
            raise KeyError(f"The name {name!r} refers to a Tensor which does not exist. The "
                           f"operation {op_name!r} has {len(op.outputs)} outputs.") from None

    def finalize(self):
        self._finalized = True

    @property
    def finalized(self):
        return self._finalized

    @property
    def version(self):
        return len(self._ops)

    def get_collection(self, key, scope=None):
        items = list(self._collections.get(key, []))
        if scope:
            items = [v for v in items if re.match(scope, getattr(v, "name", ""))]
        return items

    def add_to_collection(self, key, value):
        self._collections.setdefault(key, []).append(value)

    def add_to_collections(self, names, value):
        """Add `value` to each collection in `names` (one name if a string), once each."""
        names = (names,) if isinstance(names, str) else dict.fromkeys(names)
        for key in names:
            self.add_to_collection(key, value)

    def get_collection_ref(self, key):
        """The collection's list itself (made empty if new): changes to it change the graph's."""
        return self._collections.setdefault(key, [])

    def get_all_collection_keys(self):
        return [k for k in self._collections if isinstance(k, str)]

    def clear_collection(self, name):
        self._collections.pop(name, None)

    @contextlib.contextmanager
    def name_scope(self, name):
        state = self._thread
        old = state.scope
        if name is None or name == "":
            new = ""
        elif name.endswith("/"):
            new = name
        else:
            new = self.unique_name(old + name) + "/"
        state.scope = new
        try:
            yield new
        finally:
            state.scope = old

    def get_name_scope(self):
        return self._thread.scope.rstrip("/")

    @contextlib.contextmanager
    def control_dependencies(self, control_inputs):
        state = self._thread
        old = state.control_deps
        if control_inputs is None:
            state.control_deps = []
        else:
            ops = list(old)
            for c in control_inputs:
                op = _as_op(c, self)
                if op is not None and op.graph is not self and not self.is_function:
                    raise ValueError(f"Control input {op.name} must be from the same graph as "
                                     "the ops created in this block (it belongs to another "
                                     "tf.Graph)")
                if op is not None and op not in ops:
                    ops.append(op)
            state.control_deps = ops
        try:
            yield
        finally:
            state.control_deps = old

    @contextlib.contextmanager
    def gradient_override_map(self, op_type_map):
        """Ops created inside take their gradient from the registry key mapped to their type,
        or from the function mapped to it (`{"MatMul": fn}`, fn(op, *dys), which may declare a
        keyword parameter `default`). Leaving the block warns about keys that matched no op."""
        if not isinstance(op_type_map, dict):
            raise TypeError("op_type_map must be a dictionary mapping strings to strings")
        entries = {}
        for k, v in op_type_map.items():
            if not isinstance(k, str) or not (isinstance(v, str) or callable(v)):
                raise TypeError("op_type_map must be a dictionary mapping op type strings to "
                                f"registered gradient names, got {k!r}: {v!r}")
            entries[k] = with_default(v) if callable(v) and wants_default(v) else v
        maps = self._thread.override_maps
        maps.append(entries)
        start = len(self._ops)
        eager = context.current_graph() is None       # ops run eagerly: none joins a graph
        try:
            yield
        finally:
            maps.pop()
        _warn_unmatched(op_type_map, {op.type for op in self._ops[start:]}, eager)  # not on errors

    def unique_name(self, name, mark_as_used=True):
        """`name`, or `name_1`, `name_2`... if taken (case-insensitively, as TF)."""
        with self._lock:          # name scopes call this from any thread, outside _add_op
            key = name.lower()
            i = self._name_counts.get(key, 0)
            if mark_as_used:
                self._name_counts[key] = i + 1
            if i > 0:
                base = key
                while key in self._name_counts:
                    key = f"{base}_{i}"
                    i += 1
                if mark_as_used:
                    self._name_counts[key] = 1
                name = f"{name}_{i - 1}"
            return name

    def create_op(self, op_type, inputs, dtypes=None, name=None, attrs=None, **_):
        """Add an op of a registered type (TF's `Graph.create_op`); returns the Operation."""
        from .execute import execute
        with self.as_default():
            outs = execute(op_type, list(inputs), dict(attrs or {}), name=name)
        op = outs[0].op if outs else self._ops[-1]
        if dtypes is not None:
            got = [t.dtype.name for t in op.outputs]
            want = [_dt(d).name for d in dtypes]
            if got != want:
                raise TypeError(f"create_op('{op_type}'): dtypes={want} do not match the op's "
                                f"output dtypes {got}")
        return op

    # -- internals -------------------------------------------------------------------------
    def add_op(self, op_type, inputs, attrs, specs, name=None, grad_fn=None):
        """Create an Operation; `specs` is a list of (DType, TensorShape), one per output."""
        if self._finalized:
            raise RuntimeError("Graph is finalized and cannot be modified.")
        inputs = [self.own(t, op_type) for t in inputs]
        state = self._thread
        gradient_type = None
        for m in reversed(state.override_maps):
            if op_type in m:
                gradient_type = m[op_type]
                break
        with self._lock:
            if name and name[-1] == "/":        # a name scope's name: the op takes it as it is
                full = name[:-1]                # (TF's `apply_gradients(name="train")` op)
                if full in self._by_name:
                    raise ValueError(f"Duplicate node name in graph: '{full}'")
                self._name_counts.setdefault(full.lower(), 1)
            else:
                full = self.unique_name(state.scope + (name or op_type))
            control = [c for c in state.control_deps if c.graph is self]
            op = Operation(self, op_type, full, inputs, attrs, control, grad_fn, gradient_type)
            op._id = len(self._ops)
            op.outputs = [GraphTensor(op, i, dt, shp) for i, (dt, shp) in enumerate(specs)]
            self._ops.append(op)
            self._by_name[full] = op
        if state.device:
            device = state.device
            op.device = (device(op) or "") if callable(device) else device
        if OP_HOOKS:
            for hook in OP_HOOKS:
                hook(op)
        return op

    def own(self, t, op_type):
        """The tensor as an input of this graph (FuncGraphs capture outside tensors)."""
        if isinstance(t, GraphTensor):
            if t.op.graph is self:
                return t
            raise ValueError(f"Tensor {t.name} must be from the same graph as the op "
                             f"'{op_type}' being created (it belongs to another tf.Graph)")
        if isinstance(t, EagerTensor):
            return self.constant(t._value, "Const")
        raise TypeError(f"Op '{op_type}' expects Tensor inputs, got {t!r}")

    def constant(self, value, name="Const"):
        shape = TensorShape(value.shape)
        dt = dtypes.from_numpy(value.dtype)
        return self.add_op("Const", [], {"value": value, "dtype": dt}, [(dt, shape)],
                           name=name).outputs[0]

    def current_scope(self):
        return self._thread.scope

    # -- issue 18: tf.device scopes, as TF records them --
    def device(self, device_name_or_function):
        """Ops made in the block record this device: a spec (canonical, merged with the
        enclosing scope's), None (no device), or a function of the op (its answer as is)."""
        spec = device_name_or_function
        if spec is None or callable(spec):
            return self.device_scope(spec or "")
        check_spec(spec)
        outer = self._thread.device
        return self.device_scope(merge_device_specs("" if callable(outer) else outer, spec))

    def current_device(self):
        """The device new ops get: "" (none), a canonical spec, or a function of the op."""
        return self._thread.device

    @contextlib.contextmanager
    def device_scope(self, device):
        state = self._thread
        saved, state.device = state.device, device
        try:
            yield
        finally:
            state.device = saved


class FuncGraph(Graph):
    """The graph of a function body; tensors from outside become placeholder "captures"."""
    is_function = True

    def __init__(self, name, outer=None):
        super().__init__()
        self.name = name
        self.outer = outer             # the graph the function is called from (None: eager)
        self.captures = []             # (outside tensor, inside placeholder)
        self._capture_ids = {}
        self._captured = []
        self._stand_ins = {}           # id(outside tensor) -> (argument placeholder, its ref)
        self.inputs = []               # placeholders for the arguments, then the captures
        self.outputs = []
        self.variables_read = []

    def own(self, t, op_type):
        if isinstance(t, GraphTensor) and t.op.graph is self:
            return t
        if isinstance(t, Tensor):
            return self.capture(t)
        raise TypeError(f"Op '{op_type}' expects Tensor inputs, got {t!r}")

    def capture(self, t):
        """The placeholder standing for the outside tensor `t` (fed by the caller)."""
        hit = self._capture_ids.get(id(t))
        if hit is not None:
            return hit
        stand_in = self._stand_ins.get(id(t))
        if stand_in is not None:
            return stand_in[0]
        outside = t
        if isinstance(t, GraphTensor) and isinstance(self.outer, FuncGraph) \
                and t.op.graph is not self.outer:
            outside = self.outer.capture(t)       # nested functions capture through each level
        with self.control_dependencies(None):
            inner = self.add_op("Placeholder", [], {"dtype": t.dtype, "shape": t.shape},
                                [(t.dtype, t.shape)], name="capture").outputs[0]
        self.captures.append((outside, inner))
        self.inputs.append(inner)
        self._capture_ids[id(t)] = inner
        self._captured.append(t)                   # keeps ids unique while the graph lives
        return inner

    def argument_for(self, t, name="arg"):
        """An argument placeholder that stands for the outside tensor `t` (a variable argument's
        handle): reads of `t` inside use it, as they would a capture, but the caller feeds it
        with whatever it passes in t's place (the handle of another variable of that dtype and
        shape), so the function does not hold on to `t`. The stand-in lasts while `t` lives."""
        hit = self._stand_ins.get(id(t))
        if hit is not None:
            return hit[0]
        with self.control_dependencies(None):
            inner = self.add_op("Placeholder", [], {"dtype": t.dtype, "shape": t.shape},
                                [(t.dtype, t.shape)], name=name).outputs[0]
        self.inputs.append(inner)
        key, stand_ins = id(t), self._stand_ins
        try:    # dropped when t dies, before its id can be another tensor's
            ref = weakref.ref(t, lambda _, key=key: stand_ins.pop(key, None))
        except TypeError:
            ref = t
        stand_ins[key] = (inner, ref)
        return inner


def _warn_unmatched(op_type_map, created, eager):
    """A key that matched no op created in a gradient_override_map is most often a typo (TF
    says nothing: this warning is janusgrad's), or a map used where no graph is built."""
    import warnings
    for key in op_type_map:
        if key in created:
            continue
        if eager and not created:
            hint = (": ops run eagerly here, and GradientTape does not use override maps (as in "
                    "TF); they apply to the ops of a graph (tf.gradients, tf.function). Use "
                    "tf.custom_gradient for a tape")
        else:
            close = did_you_mean(key, created)
            hint = f': did you mean "{close}"?' if close else ""
        warnings.warn(f'gradient_override_map: the key "{key}" matched no op created inside the '
                      f"block{hint}", UserWarning, stacklevel=4)


def did_you_mean(key, created):
    """The op type `key` was probably meant to be: one created in the block (the same but for
    case, else a close spelling: "Add" for AddV2), else, for a key that is no op type at all, a
    close known op type; never `key` itself; None if nothing is close."""
    import difflib
    made = sorted(t for t in created if t != key)
    same = [t for t in made if t.lower() == key.lower()]
    if same:
        return same[0]
    close = difflib.get_close_matches(key, made, n=1, cutoff=0.6)
    if close:
        return close[0]
    if key in OPS:
        return None
    known = [t for t in OPS if t != key]
    close = [t for t in known if t.lower() == key.lower()] or \
        difflib.get_close_matches(key, known, n=1, cutoff=0.6)
    return close[0] if close else None


def _as_op(c, graph):
    if c is None:
        return None
    if isinstance(c, Operation):
        return c
    if isinstance(c, GraphTensor):
        return c.op
    if isinstance(c, EagerTensor):
        return None
    op = getattr(c, "op", None)          # variables and other tensor-likes
    if isinstance(op, Operation):
        return op
    if callable(c):
        return None
    raise TypeError(f"Can not convert {c!r} to an Operation or Tensor for control_dependencies")


def _dt(d):
    return dtypes.as_dtype(d)
