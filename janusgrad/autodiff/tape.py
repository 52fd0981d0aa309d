"""GradientTape: records the ops that touch watched tensors, then runs the shared sweep."""
import contextlib
import enum

from ..framework import dtypes
from ..framework.context import ctx, current_graph, executing_eagerly
from ..framework.nest import flatten, pack_sequence_as
from ..framework.registry import SAVES
from ..framework.tensor import EagerTensor, Tensor, convert_to_tensor, stand_in
from ..ops import array as _array
from ..ops.state import Variable
from .backprop import backprop, prune
from .record import GraphRecord, TapeRecord


class UnconnectedGradients(enum.Enum):
    """What a gradient of an unconnected source is: None (NONE, the default) or zeros (ZERO)."""
    NONE = "none"
    ZERO = "zero"


# Arrays smaller than this stay in the records even when the gradient does not read them:
# keeping them costs next to no memory, and a stand-in costs more time than the op on them.
SMALL_BYTES = 1024


def _kept(tensors, keep):
    """The tensors a record holds: stand-ins (no array) where the gradient reads no value;
    `tensors` itself when nothing is dropped (the usual case: no new list)."""
    if len(tensors) == 1:       # most ops' outputs, without the loop
        t = tensors[0]
        if 0 in keep or type(t) is not EagerTensor or t._value.nbytes < SMALL_BYTES:
            return tensors
        return [stand_in(t)]
    out = None
    for i, t in enumerate(tensors):
        if i not in keep and type(t) is EagerTensor and t._value.nbytes >= SMALL_BYTES:
            if out is None:
                out = list(tensors)
            out[i] = stand_in(t)
    return tensors if out is None else out


_new_record = object.__new__


def record_opaque(tapes, op_type, inputs, outputs, grad_fn, n_outputs):
    """Record, on each tape, a node whose gradient reads no input value (custom_gradient's:
    its grad_fn holds what it needs; its first `n_outputs` inputs are f's outputs, whose arrays
    the record's outputs hold anyway). The tapes keep stand-ins for the other inputs, so an
    argument is freed once the user drops it, as in TF; a Recorder keeps whole tensors (blocks
    look for inputs there)."""
    light = None
    for tape in tapes:
        if type(tape) is Recorder:
            tape.record_op(op_type, inputs, outputs, _NO_ATTRS, grad_fn)
        else:
            if light is None:       # f's outputs as they are, stand-ins for the arguments
                light = inputs[:n_outputs] + _kept(inputs[n_outputs:], _NOTHING)
            tape.record_op(op_type, light, outputs, _NO_ATTRS, grad_fn)


_NO_ATTRS = {}
_NOTHING = frozenset()
_SKIP_FIRST = (0,)


class GradientTape:
    """Record operations for automatic differentiation (TF's tf.GradientTape). Gradients with
    respect to complex tensors are not conjugated as TF's are (a known gap)."""

    def __init__(self, persistent=False, watch_accessed_variables=True):
        self._persistent = persistent
        self._watch_accessed = watch_accessed_variables
        self._watched = set()       # numbers (Tensor._id) of the tensors that depend on a root
        self._roots = set()         # ... of the tensors watched explicitly (and variables)
        self._late = False          # a root was watched after an op had used it
        self._skipped = set()       # ... of the unwatched inputs of the records (as skipped)
        self._reskipped = False     # prune rewrote the records' skip_input_indices
        self._records = []
        self._variables = []
        self._used = False
        self._entered = False       # TF's tape exists only from `with` on
        self.blocks = []            # gradient blocks over these records (subgraph.py adds them)

    # -- recording -----------------------------------------------------------------------
    def __enter__(self):
        ctx.tapes.append(self)
        self._entered = True
        return self

    def __exit__(self, *exc):
        self.leave()

    def leave(self):
        tapes = ctx.tapes
        for i in range(len(tapes) - 1, -1, -1):
            if tapes[i] is self:
                del tapes[i]
                return True
        return False

    def watch(self, tensor):
        """Record what is computed from `tensor` (a tensor, variable or nest of them)."""
        for t in flatten(tensor):
            if isinstance(t, Variable):       # a Variable
                if not any(v is t for v in self._variables):
                    self._variables.append(t)
                t = variable_handle(t)
            elif not isinstance(t, Tensor):
                raise ValueError(f"Passed in object {t!r} of type '{type(t).__name__}', not "
                                 "tf.Tensor or tf.Variable or ExtensionType.")
            else:
                t = traced(t)
            if t.dtype.is_differentiable or t.dtype is dtypes.resource:
                self._add_root(t._id)

    def _add_root(self, k):
        """Watch the tensor numbered k."""
        if k in self._skipped and k not in self._watched:
            self._late = True       # an op recorded before this watch skips it
        self._watched.add(k)
        self._roots.add(k)

    def variable_accessed(self, var):
        if self._watch_accessed and var.trainable:
            if ctx.graph_stack:
                self.watch(var)         # inside a tf.function: watch its capture of the handle
                return
            k = var.handle._id          # eager: watch() for the handle itself
            if k not in self._roots:    # (else read again: watched already)
                if not any(v is var for v in self._variables):
                    self._variables.append(var)
                self._add_root(k)

    def record_op(self, op_type, inputs, outputs, attrs, grad_fn):
        watched = self._watched
        n = len(inputs)
        if n == 1:
            if inputs[0]._id not in watched:
                return
            skip = None
        elif n == 2:                    # most ops: no list to build
            h0 = inputs[0]._id in watched
            h1 = inputs[1]._id in watched
            if h0 and h1:
                skip = None
            elif h0 or h1:
                skip = (1,) if h0 else (0,)
                self._skipped.add(inputs[1]._id if h0 else inputs[0]._id)
            else:
                return
        else:
            hit = [x._id in watched for x in inputs]
            if True not in hit:
                return
            skip = None if False not in hit else tuple(i for i, h in enumerate(hit) if not h)
            if skip is not None:
                self._skipped.update(inputs[i]._id for i in skip)
        if grad_fn is None:
            # keep only the arrays the op's gradient reads (see registry.gradient)
            saves = SAVES.get(op_type)       # (the registry drops it with its gradient)
            if saves is not None:
                keep_in, keep_out, all_in, all_out = saves
                # (a lone tensor under SMALL_BYTES stays: that test here saves _kept's call)
                if n > all_in and (n > 1 or inputs[0]._value.nbytes >= SMALL_BYTES):
                    inputs = _kept(inputs, keep_in)
                if len(outputs) > all_out and \
                        (len(outputs) > 1 or outputs[0]._value.nbytes >= SMALL_BYTES):
                    outputs = _kept(outputs, keep_out)
        # TapeRecord(...) with its slots filled here: a third of the cost of calling __init__
        record = _new_record(TapeRecord)
        record.type = op_type
        record.inputs = inputs
        record.outputs = outputs
        record.attrs = attrs
        record.grad_fn = grad_fn
        record.skip_input_indices = skip
        self._records.append(record)
        if len(outputs) == 1:
            y = outputs[0]
            if y.dtype.is_differentiable:
                watched.add(y._id)
        else:
            for y in outputs:
                if y.dtype.is_differentiable:
                    watched.add(y._id)

    def record_custom(self, result, x, y, grad_fn):
        """record_opaque's record for the usual eager custom_gradient node: f's one output
        `result`, its one argument `x` (watched), the node's output `y`; without the lists."""
        watched = self._watched
        if x._id not in watched or result._id in watched:
            record_opaque([self], "IdentityN", [result, x], [y], grad_fn, 1)   # the rare cases
            return
        self._skipped.add(result._id)
        record = _new_record(TapeRecord)        # slots filled here, as in record_op
        record.type = "IdentityN"
        record.inputs = [result, x if x._value.nbytes < SMALL_BYTES else stand_in(x)]
        record.outputs = [y]
        record.attrs = _NO_ATTRS
        record.grad_fn = grad_fn
        record.skip_input_indices = _SKIP_FIRST
        self._records.append(record)
        if y.dtype.is_differentiable:
            watched.add(y._id)

    def record_node(self, node):
        """Record a graph Operation (a tape used while building a graph: tf.function), as the
        tape's own view of it (record.GraphRecord: no gradient_override_map, as in TF)."""
        watched = self._watched
        hit = [x._id in watched for x in node.inputs]
        if True in hit:
            skip = None
            if False in hit:
                skip = tuple(i for i, h in enumerate(hit) if not h)
                self._skipped.update(node.inputs[i]._id for i in skip)
            self._records.append(GraphRecord(node, skip))
            for y in node.outputs:
                if y.dtype.is_differentiable:
                    watched.add(y._id)

    @contextlib.contextmanager
    def stop_recording(self):
        """Ops inside are not recorded by this tape."""
        if not self.leave():
            raise ValueError("Tape must be recording to stop recording.")
        try:
            yield
        finally:
            ctx.tapes.append(self)

    def reset(self):
        self._watched = set()
        self._roots = set()
        self._skipped = set()
        self._late = self._reskipped = False
        self._records = []
        self._variables = []
        self.blocks = []

    def watched_variables(self):
        return tuple(self._variables)

    # -- what the rest of autodiff asks of a tape ------------------------------------------
    def mark(self):
        """A position in the records: records_since / forget_since take it."""
        return len(self._records)

    def records_since(self, mark=0):
        """The records made since `mark`, in order (a new list)."""
        return self._records[mark:]

    def forget_since(self, mark):
        """Drop the records made since `mark`: their outputs are no longer watched."""
        for node in self._records[mark:]:
            for y in node.outputs:
                self._watched.discard(y._id)
        del self._records[mark:]

    def watches(self, t):
        """Whether the tape watches `t`: a gradient w.r.t. t can flow through its records."""
        return t._id in self._watched

    @property
    def spent(self):
        """A non-persistent tape that gave its gradients (or jacobians) has forgotten its
        records."""
        return self._used and not self._persistent

    def check_usable(self, what):
        if not self._entered:
            raise RuntimeError("A non-persistent GradientTape can only be used to compute one "
                               "set of gradients (or jacobians)")     # TF's words, even so
        if self.spent:
            raise RuntimeError(f"A non-persistent GradientTape can only be used to compute one "
                               f"set of gradients (or jacobians); {what} was called on a used "
                               "one")

    def consume(self):
        """What one gradient() call does to a non-persistent tape: it forgets its records."""
        if not self._persistent:
            self._used = True
            self._records, self._watched, self.blocks = [], set(), []

    def prune(self, targets, sources):
        """The records on a path from some source to some target (the sweep's prune over this
        tape's records and blocks)."""
        self._reskipped = True          # prune rewrites the records' skip_input_indices
        return prune(self._records, targets, sources, self.blocks)

    # -- gradients -----------------------------------------------------------------------
    def gradient(self, target, sources, output_gradients=None,
                 unconnected_gradients=UnconnectedGradients.NONE):
        """d(sum of target * output_gradients) / d(source) per source, nested like `sources`."""
        if self.spent or not self._entered:     # TF says the same of a tape never entered
            raise RuntimeError("A non-persistent GradientTape can only be used to compute one "
                               "set of gradients (or jacobians)")
        targets = [as_target(t) for t in flatten(target)]
        flat_sources = flatten(sources)
        keys = [source_key(s) for s in flat_sources]
        check_unconnected(unconnected_gradients)
        if output_gradients is not None:
            seeds = check_seeds("output_gradients", output_gradients, targets)
        else:
            seeds = [None] * len(targets)
        # a persistent tape inside its `with` records the sweep's ops too (as TF's), so that
        # what is computed from a gradient there can be differentiated again
        if not self._persistent:
            self.leave()
        records, blocks, watched = self._records, self.blocks, self._watched
        direct = self._sweeps_all(keys)
        # a non-persistent tape hands its records to the sweep (as TF consumes the tape before
        # it): each is freed as soon as its gradient has run, and with it the arrays nothing
        # else holds
        self.consume()
        seeds = [_array.ones_like(t) if s is None else s for t, s in zip(targets, seeds)]
        if direct:
            nodes = records
        else:
            nodes = prune(records, targets, keys, blocks)
            self._reskipped = True
        del records
        grads = backprop(nodes, targets, seeds, keys, consume=not self._persistent)
        _only_watched(grads, keys, watched, targets)
        grads = [fill_unconnected(g, s, unconnected_gradients) for g, s in zip(grads, flat_sources)]
        return pack_sequence_as(sources, grads)

    def jacobian(self, target, sources, unconnected_gradients=UnconnectedGradients.NONE,
                 parallel_iterations=None, experimental_use_pfor=True):
        """d target[i...] / d source[j...], shaped target.shape + source.shape."""
        from .jacobians import jacobian
        self._check_loop("jacobian", experimental_use_pfor)
        return jacobian(self, target, sources, unconnected_gradients)

    def batch_jacobian(self, target, source, unconnected_gradients=UnconnectedGradients.NONE,
                       parallel_iterations=None, experimental_use_pfor=True):
        """Per-example jacobians: shape [batch] + target.shape[1:] + source.shape[1:]."""
        from .jacobians import batch_jacobian
        self._check_loop("batch_jacobian", experimental_use_pfor)
        return batch_jacobian(self, target, source, unconnected_gradients)

    def _check_loop(self, what, use_pfor):
        """TF's eager loop over rows (experimental_use_pfor=False) needs a persistent tape;
        its words, double space included."""
        self.check_usable(what)
        if not use_pfor and not self._persistent and executing_eagerly():
            middle = "with  experimental" if what == "jacobian" else " with experimental"
            raise RuntimeError(f"GradientTape must be created with persistent=True to compute "
                               f"the {what} with eager execution enabled and {middle}_use_pfor "
                               "set to False.")

    def _sweeps_all(self, sources):
        """Whether the sweep may run over the records as they are: every record then depends
        on some source, and the inputs marked skipped at recording are exactly those no source
        reaches (so prune's walks would change nothing; the sweep ignores nodes that get no
        gradient)."""
        if self.blocks or self._late or self._reskipped:
            return False
        ids = {s._id for s in sources}
        return self._roots <= ids

    def one_gradient(self, targets, seeds, keys):
        """The sweep without consuming the tape (jacobians call it once per row)."""
        nodes = self.prune(targets, keys)
        was = self.leave()
        try:
            return _only_watched(backprop(nodes, targets, seeds, keys), keys, self._watched,
                                 targets)
        finally:
            if was:
                ctx.tapes.append(self)


class Recorder(GradientTape):
    """Records every op run while it is active, watched or not: the whole forward of a
    gradient block or of a custom_gradient whose grad_fn asks for `default`."""

    def __init__(self):
        super().__init__(persistent=True, watch_accessed_variables=False)
        self._entered = True        # put on ctx.tapes by its owner, not by `with`

    def record_op(self, op_type, inputs, outputs, attrs, grad_fn):
        # whole records: a block's inputs are found here, and its grad_fn may read them
        self._records.append(TapeRecord(op_type, inputs, outputs, attrs, grad_fn))

    def record_custom(self, result, x, y, grad_fn):
        self.record_op("IdentityN", [result, x], [y], _NO_ATTRS, grad_fn)

    def _sweeps_all(self, sources):
        return False            # it records everything, not only what depends on its roots

    def record_node(self, node):
        self._records.append(node)


def _only_watched(grads, keys, watched, targets):
    """As TF: no gradient for a source the tape does not watch (a constant beside a watched
    tensor, a tensor made under stop_recording or watched by another tape), unless it is a
    target; the pruned sweep, which starts from every source, would give it one."""
    for i, k in enumerate(keys):
        if grads[i] is not None and k._id not in watched \
                and not any(t._id == k._id for t in targets):
            grads[i] = None
    return grads


def as_target(t):
    if isinstance(t, Variable):
        return t.value()
    if not isinstance(t, Tensor):
        raise TypeError(f"GradientTape.gradient: target must be a Tensor, got {t!r}")
    return traced(t)


def variable_handle(var):
    """The variable's handle as the graph being traced sees it: inside a tf.function, reads
    use the captured handle, so that is what the tape must watch and differentiate by."""
    graph = current_graph()
    if getattr(graph, "is_function", False):
        return graph.own(var.handle, "ReadVariableOp")
    return var.handle


def source_key(s):
    if type(s) is EagerTensor and not ctx.graph_stack:
        return s                                # eager: no capture to look up
    if isinstance(s, Variable):
        return variable_handle(s)
    if not isinstance(s, Tensor):
        raise TypeError(f"GradientTape.gradient: sources must be tensors or variables, got {s!r}")
    return traced(s)


def traced(t):
    """`t` as the graph being traced sees it: inside a tf.function an outside tensor (an eager
    one, say) is used through its capture, so that is what the tape must watch and sources."""
    graph = current_graph()
    if getattr(graph, "is_function", False):
        return graph.own(t, "GradientTape")
    return t


def check_unconnected(mode):
    """unconnected_gradients: checked before any work, not only when some gradient is None."""
    if type(mode) is UnconnectedGradients:
        return mode                     # (the Enum's call costs 1 us)
    try:
        return UnconnectedGradients(mode)
    except ValueError:
        raise ValueError(f"Unknown value for unconnected_gradients: {mode!r} (expected 'none', "
                         "'zero' or tf.UnconnectedGradients.NONE / ZERO)") from None


def check_seeds(what, given, targets):
    """output_gradients / grad_ys: one per target (None: ones), each of its target's dtype
    and shape, so that a mistake is named here rather than deep inside the sweep."""
    given = flatten(given)
    if len(given) != len(targets):
        raise ValueError(f"{what} has {len(given)} entries for {len(targets)} targets")
    seeds = []
    for i, (g, t) in enumerate(zip(given, targets)):
        if g is not None:
            try:
                g = convert_to_tensor(g, dtype=t.dtype)
            except (TypeError, ValueError) as e:
                raise TypeError(f"{what}[{i}] must have the dtype of its target, "
                                f"{t.dtype.name}: {e}") from None
            if not g.shape.is_compatible_with(t.shape):
                raise ValueError(f"{what}[{i}] has shape {g.shape}, but its target has shape "
                                 f"{t.shape}")
        seeds.append(g)
    return seeds


def fill_unconnected(g, source, mode):
    if g is not None:
        if g.dtype is dtypes.resource:
            return None
        return g
    mode = UnconnectedGradients(mode) if not isinstance(mode, UnconnectedGradients) else mode
    if mode is UnconnectedGradients.ZERO:
        from ..ops.array import zeros, zeros_like
        if isinstance(source, Variable):
            return zeros(source.shape.as_list(), source.dtype)
        return zeros_like(source)
    return None


__all__ = ["GradientTape", "UnconnectedGradients", "TapeRecord", "EagerTensor"]
