"""tf.compat.v1.train.Optimizer: the TF1 base class, subclassed as TF1 code subclasses it.

`minimize` = `compute_gradients` + `apply_gradients`; `apply_gradients` calls, in TF's order,
`_create_slots(var_list)` (outside any function being traced), `_prepare()` (in the name scope of
the step), then for each variable `_resource_apply_dense(grad, var)` when the class defines it,
else `_apply_dense(grad, var)` (TF 2 calls the first for its resource variables, TF 1 the second
for its reference variables: real subclasses define either), and `_finish(update_ops,
name_scope)`; then it increments the global step. Each update is written with janusgrad ops, so
one definition runs eagerly, builds graph nodes for a Session, and traces into a tf.function.
The built-in optimizers are in optimizers.py.

Per-variable state ("slots": `_zeros_slot`, `_get_or_make_slot`, ...) lives in a `SlotStore`
(slots.py), shared with the Keras optimizers and saved by tf.train.Checkpoint; non-slot
variables (Adam's beta powers) are kept per graph, as TF keeps them.

Threads: state made on first use (slots, non-slot variables) is made once, under a lock taken
only when it is missing; a step (eager, or building a graph) runs under its optimizer's lock, so
that steps from several threads give what the same steps one after another would, and the
tensors `_prepare` leaves on the optimizer are those of the step reading them. Numerics: under
`tf.debugging.enable_check_numerics()` a gradient holding NaN or Inf changes no variable (see
`validate_gradients`).
"""
import contextlib
import threading

import numpy as np

from ..autodiff.tape import GradientTape
from ..compat.replica_state import aggregate_gradients
from ..debug import numerics_check_enabled
from ..framework import dtypes
from ..framework.context import current_graph, get_default_graph, init_scope
from ..framework.errors import InvalidArgumentError
from ..framework.nest import flatten
from ..framework.tensor import Tensor, convert_to_tensor
from ..ops.array import identity_n, ones_like, reshape, shape, zeros_like
from ..ops.control import control_dependencies, group, name_scope, tuple_
from ..ops.indexed_slices import IndexedSlices
from ..ops.math import cast, greater, where_v2
from ..ops.segment import unique, unsorted_segment_sum
from ..ops.state import Variable, trainable_variables
from .slots import SlotStore, base_name, root_scope  # noqa: F401  (SlotStore: Keras's too)

# the class; `Variable`, which makes the optimizers' state, is replaced by tests watching it
_VARIABLE = Variable


def validate_gradients(owner, pairs, check_finite=False):
    """Every (gradient, variable) checked before any variable changes, so that a step is all or
    nothing: the gradient has the variable's shape and dtype and, with `check_finite`, no NaN or
    Inf (in graph mode, checks that the updates wait for). Returns (pairs, checks): the updates
    read the returned gradients and wait for `checks`.

    Under the numerics check (`tf.debugging.enable_check_numerics()`) too: eagerly every
    gradient is checked here when the check is on; in a graph (Session, tf.function) every
    gradient goes through one IdentityN that all updates read, whose kernel the check wraps
    while it is on, so that a NaN or Inf in any gradient stops the step before any update runs,
    whether the graph was built before or after the check was turned on."""
    out = []
    for g, v in pairs:
        if type(g) is not IndexedSlices:    # (slices stay slices: the optimizer applies them)
            g = convert_to_tensor(g)
        if not v.shape.is_compatible_with(g.shape):
            raise ValueError(f"{owner}: gradient of shape {g.shape} does not match variable "
                             f"{v.name} of shape {v.shape}; no variable was changed")
        if g.dtype is not v.dtype:
            raise TypeError(f"{owner}: gradient of dtype {g.dtype.name} for variable {v.name} "
                            f"of dtype {v.dtype.name}; no variable was changed")
        out.append((g, v))
    if current_graph() is None:
        if not (check_finite or numerics_check_enabled()):
            return out, []
        for g, v in out:
            if not np.all(np.isfinite(_dense_part(g).numpy())):
                raise InvalidArgumentError(f"{owner}: the gradient for variable {v.name} contains "
                                           "NaN or Inf; no variable was changed")
        return out, []
    if not check_finite:
        gated = identity_n([_dense_part(g) for g, _ in out], name="checked_gradients")
        return [(_like(g, gd), v) for gd, (g, v) in zip(gated, out, strict=True)], [gated[0].op]
    from ..ops.control import check_numerics
    checks = [check_numerics(_dense_part(g), f"{owner}: the gradient for variable {v.name}")
              for g, v in out]
    return out, checks


def _dense_part(g):
    """What is checked of a gradient: its values, for IndexedSlices."""
    return g.values if type(g) is IndexedSlices else g


def _like(g, part):
    return IndexedSlices(part, g.indices, g.dense_shape) if type(g) is IndexedSlices else part


def hyper(value, dtype):
    """A hyperparameter (number, tensor, variable or zero-argument callable) as a tensor."""
    if callable(value) and not hasattr(value, "_as_tensor"):
        value = value()
    value = convert_to_tensor(value)
    return value if value.dtype is dtype else cast(value, dtype)


def outer_graph():
    """The graph that variables made now go to (outside any function being traced): None when
    executing eagerly."""
    if current_graph() is None:
        return None
    with init_scope():
        return current_graph()


@contextlib.contextmanager
def _step_scope(name, default):
    """TF's `name_scope(name, default)` of a step: yields the scope's name ("train/"), which
    names the step's op exactly ("train"); eagerly the same string, naming nothing."""
    graph = current_graph()
    if graph is None:
        yield (name or default) + "/"
        return
    with graph.name_scope(name or default) as scope:
        yield scope


TRAIN_OP = "train_op"           # GraphKeys.TRAIN_OP: the ops apply_gradients returns
_VALID_DTYPES = frozenset((dtypes.float16, dtypes.float32, dtypes.float64))


class Optimizer:
    """TF1's optimizer base: subclasses define `_create_slots`, `_prepare`, `_apply_dense` or
    `_resource_apply_dense`, maybe `_finish`. Unlike TF 2.21, `_apply_dense` alone runs on TF
    2's variables too; IndexedSlices updates are computed densely.

    The protocol, with its arguments, is in the module docstring."""

    GATE_NONE = 0
    GATE_OP = 1
    GATE_GRAPH = 2

    def __init__(self, use_locking, name, use_own_namescope_for_non_slot_vars=False,
                 check_finite=False):
        if not name:
            raise ValueError("Must specify the optimizer name")
        self._use_locking = use_locking
        self._name = name
        self._check_finite = check_finite       # refuse NaN / Inf gradients (before any update)
        self._slots = SlotStore(self._name)
        self._non_slot_dict = {}        # (name, graph or None) -> variable (Adam's beta powers)
        self._pending_restore = {}      # checkpoint values of non-slot variables not made yet
        # held by a step: steps from several threads run one at a time, as serial ones
        self._lock = threading.RLock()

    def get_name(self):
        return self._name

    # -- minimize = compute_gradients + apply_gradients ---------------------------------------
    def minimize(self, loss, global_step=None, var_list=None, gate_gradients=GATE_OP,
                 aggregation_method=None, colocate_gradients_with_ops=False, name=None,
                 grad_loss=None, tape=None):
        """An op that updates `var_list` (default: the trainable variables) to decrease `loss`
        and increments `global_step`. Eagerly `loss` is a function (or pass `tape=`)."""
        # `tape` (janusgrad's) only when given: subclasses override compute_gradients with TF's
        # signature
        extra = {} if tape is None else {"tape": tape}
        grads_and_vars = self.compute_gradients(
            loss, var_list=var_list, gate_gradients=gate_gradients,
            aggregation_method=aggregation_method,
            colocate_gradients_with_ops=colocate_gradients_with_ops, grad_loss=grad_loss, **extra)
        if not any(g is not None for g, _ in grads_and_vars):
            raise ValueError("No gradients provided for any variable, check your graph for ops "
                             "that do not support gradients, between variables "
                             f"{[str(v) for _, v in grads_and_vars]} and loss {loss}.")
        return self.apply_gradients(grads_and_vars, global_step=global_step, name=name)

    def compute_gradients(self, loss, var_list=None, gate_gradients=GATE_OP,
                          aggregation_method=None, colocate_gradients_with_ops=False,
                          grad_loss=None, tape=None):
        """[(gradient or None, variable)] for `var_list` (default: the trainable variables,
        or eagerly those `loss` reads)."""
        if callable(loss):
            with GradientTape() as t:
                if var_list is not None:
                    t.watch(var_list)
                value = loss()
            var_list = list(var_list) if var_list is not None else list(t.watched_variables())
            grads = t.gradient(value, var_list, output_gradients=grad_loss)
            return list(zip(grads, var_list, strict=True))
        if current_graph() is None:
            if tape is None:
                raise RuntimeError("`loss` passed to Optimizer.compute_gradients should be a "
                                   "function when eager execution is enabled.")
            grads = tape.gradient(loss, var_list)
            return list(zip(grads, var_list, strict=True))
        if gate_gradients not in (self.GATE_NONE, self.GATE_OP, self.GATE_GRAPH):
            raise ValueError("gate_gradients must be one of: Optimizer.GATE_NONE, "
                             f"Optimizer.GATE_OP, Optimizer.GATE_GRAPH.  Not {gate_gradients}")
        loss = convert_to_tensor(loss)
        self._assert_valid_dtypes([loss] + ([] if grad_loss is None else
                                            [convert_to_tensor(grad_loss)]))
        var_list = trainable_variables() if var_list is None else flatten(var_list)
        if not var_list:
            raise ValueError("No variables to optimize.")
        from ..autodiff.gradients import gradients
        grads = gradients(loss, var_list, grad_ys=grad_loss,
                          gate_gradients=gate_gradients == self.GATE_OP,
                          aggregation_method=aggregation_method,
                          colocate_gradients_with_ops=colocate_gradients_with_ops)
        if gate_gradients == self.GATE_GRAPH:
            grads = tuple_(grads)
        pairs = list(zip(grads, var_list, strict=True))
        self._assert_valid_dtypes([v for g, v in pairs if g is not None])
        return pairs

    def apply_gradients(self, grads_and_vars, global_step=None, name=None):
        """Apply each (gradient, variable), then increment `global_step`: returns the op that
        does it all, named `name` (default: the optimizer's name); None eagerly. Every gradient
        is checked before any variable changes."""
        grads_and_vars = tuple(grads_and_vars)
        if not grads_and_vars:
            raise ValueError("No variables provided.")
        pairs = []
        for g, v in grads_and_vars:
            if g is not None and type(g) is not IndexedSlices:
                try:
                    g = convert_to_tensor(g)
                except (TypeError, ValueError):
                    raise TypeError("Gradient must be convertible to a Tensor or IndexedSlices, "
                                    f"or None: {g}") from None
            if not isinstance(v, _VARIABLE):
                raise NotImplementedError(f"Trying to update a Tensor {v}"
                                          if isinstance(v, Tensor) else
                                          f"Trying to optimize unsupported type {v!r}")
            pairs.append((g, v))
        if not any(g is not None for g, _ in pairs):
            raise ValueError(f"No gradients provided for any variable: "
                             f"{[v.name for _, v in pairs]}")
        # in a step of several replicas: every replica's gradients, summed (issue 23)
        pairs = list(zip(aggregate_gradients([g for g, _ in pairs]), [v for _, v in pairs]))
        pairs, checks = validate_gradients(
            self._name, [(g, v) for g, v in pairs if g is not None], self._check_finite)
        with self._lock:
            return self._apply(pairs, checks, global_step, name)

    def _apply(self, pairs, checks, global_step, name):
        with init_scope():
            self._create_slots([v for _, v in pairs])
        graph = current_graph()
        update_ops = []
        with _step_scope(name, self._name) as scope:
            self._prepare()
            with control_dependencies(checks):
                for g, v in pairs:
                    with name_scope("update_" + (base_name(v) if v.graph is not None else "")):
                        update_ops.append(self._apply_one(g, v))
                if global_step is None:
                    apply_updates = self._finish(update_ops, scope)
                else:
                    finish = self._finish(update_ops, "update")
                    with control_dependencies(graph_only([finish])):
                        apply_updates = global_step.assign_add(1, read_value=False, name=scope)
        if graph is None:
            return None
        if isinstance(apply_updates, Tensor):
            apply_updates = apply_updates.op
        if apply_updates is not None and apply_updates not in graph.get_collection(TRAIN_OP):
            graph.add_to_collection(TRAIN_OP, apply_updates)
        return apply_updates

    # whether TF1's sparse kernel of the class updates only the rows an IndexedSlices gradient
    # names (sparse_apply_momentum, ...), leaving the other rows' value and slots as they were;
    # False where it moves every row as the dense update does (GradientDescent, Adam)
    _sparse_rows_only = False

    def _apply_one(self, grad, var):
        """One variable's update: `_resource_apply_dense` where the class defines it (as TF 2
        calls it for its variables), else `_apply_dense` (for IndexedSlices: `_apply_slices`);
        then the variable's constraint."""
        update = self._apply_slices(grad, var) if type(grad) is IndexedSlices else \
            self._dense_update(grad, var)
        if var.constraint is None:
            return update
        with control_dependencies(graph_only([update])):
            return var.assign(var.constraint(var))

    def _apply_slices(self, grad, var):
        """TF1's sparse apply: a class's own `_resource_apply_sparse(values, var, indices)` or
        `_apply_sparse(IndexedSlices, var)` gets the rows with repeated indices summed, as TF1
        gives them; janusgrad's optimizers update densely (densifying sums the repeats) and,
        where TF1's sparse kernel touches only the named rows, put the others back."""
        cls = type(self)
        if cls._resource_apply_sparse is not Optimizer._resource_apply_sparse or \
                cls._apply_sparse is not Optimizer._apply_sparse:
            rows, at = unique(grad.indices)
            values = unsorted_segment_sum(grad.values, at, shape(rows, at.dtype)[0])
            if cls._resource_apply_sparse is not Optimizer._resource_apply_sparse:
                return self._resource_apply_sparse(values, var, rows)
            return self._apply_sparse(IndexedSlices(values, rows, grad.dense_shape), var)
        dense = convert_to_tensor(grad)
        if not self._sparse_rows_only:
            return self._dense_update(dense, var)
        kept = [var] + [self.get_slot(var, n) for n in sorted(self.get_slot_names())
                        if self.get_slot(var, n) is not None]
        old = [k.read_value() for k in kept]        # (an update copies an array a tensor holds)
        ones = ones_like(grad.indices, dtype=var.dtype)
        hit = unsorted_segment_sum(ones, grad.indices, shape(var, grad.indices.dtype)[0])
        hit = reshape(greater(hit, zeros_like(hit)), [-1] + [1] * (var.shape.rank - 1))
        with control_dependencies(graph_only(old)):
            update = self._dense_update(dense, var)
        with control_dependencies(graph_only([update])):
            restores = [k.assign(where_v2(hit, k.read_value(), o), read_value=False)
                        for k, o in zip(kept, old)]
        return group(*restores) if current_graph() is not None else None

    def _dense_update(self, grad, var):
        if type(self)._resource_apply_dense is not Optimizer._resource_apply_dense:
            return self._resource_apply_dense(grad, var)
        return self._apply_dense(grad, var)

    # -- what subclasses define -------------------------------------------------------------
    def _create_slots(self, var_list):
        pass

    def _prepare(self):
        pass

    def _apply_dense(self, grad, var):
        raise NotImplementedError(f"{type(self).__name__} defines neither _apply_dense nor "
                                  "_resource_apply_dense")

    def _resource_apply_dense(self, grad, handle):
        raise NotImplementedError(f"{type(self).__name__} defines neither _apply_dense nor "
                                  "_resource_apply_dense")

    def _apply_sparse(self, grad, var):
        raise NotImplementedError(f"{type(self).__name__} does not define _apply_sparse")

    def _resource_apply_sparse(self, grad, handle, indices):
        raise NotImplementedError(f"{type(self).__name__} does not define "
                                  "_resource_apply_sparse")

    def _finish(self, update_ops, name_scope):
        return group(*update_ops, name=name_scope)

    def _valid_dtypes(self):
        return _VALID_DTYPES

    def _assert_valid_dtypes(self, tensors):
        valid = self._valid_dtypes()
        for t in tensors:
            if t.dtype.base_dtype not in valid:
                raise ValueError(f"Invalid type {t.dtype!r} for {t.name}, expected: "
                                 f"{sorted(d.name for d in valid)}.")

    @staticmethod
    def _call_if_callable(param):
        return param() if callable(param) else param

    # -- slots --------------------------------------------------------------------------------
    def _zeros_slot(self, var, slot_name, op_name):
        """The slot `slot_name` of `var` (a variable named `<var>/<op_name>`), zeros at first."""
        return self._slots.make(var, slot_name, var_name=f"{base_name(var)}/{op_name}")

    def _get_or_make_slot(self, var, val, slot_name, op_name):
        """The slot `slot_name` of `var`, `val` (a tensor or array) at first."""
        return self._slots.make(var, slot_name, initial=val, var_name=f"{base_name(var)}/{op_name}")

    def _get_or_make_slot_with_initializer(self, var, initializer, shape, dtype, slot_name,
                                           op_name):
        """The slot `slot_name` of `var`, `initializer(shape, dtype=dtype)` at first."""
        dtype = dtypes.as_dtype(dtype)
        shape = [None if d is None else int(d) for d in
                 (shape.as_list() if hasattr(shape, "as_list") else shape)]

        def initial():
            if callable(initializer) and not hasattr(initializer, "_as_tensor"):
                try:
                    return initializer(shape, dtype=dtype)
                except TypeError:
                    return initializer()
            return initializer
        return self._slots.make(var, slot_name, initial=initial, dtype=dtype,
                                var_name=f"{base_name(var)}/{op_name}")

    def get_slot(self, var, name):
        """The slot `name` made for `var`, or None."""
        return self._slots.get(var, name)

    def get_slot_names(self):
        return self._slots.names()

    # -- non-slot variables ---------------------------------------------------------------------
    def _create_non_slot_variable(self, initial_value, name, colocate_with):
        """A variable of the optimizer's own (Adam's beta powers), one per graph, made once
        (from a restored value if a checkpoint left one)."""
        graph = outer_graph()
        found = self._non_slot_dict.get((name, graph))
        if found is not None:           # the common case: no lock
            return found
        with self._slots.lock:
            found = self._non_slot_dict.get((name, graph))
            if found is not None:
                return found
            with init_scope(), root_scope():
                initial = initial_value() if callable(initial_value) and \
                    not hasattr(initial_value, "_as_tensor") else initial_value
                initial = convert_to_tensor(initial)
                restored = self._pending_restore.get(name)
                if restored is not None and (restored.dtype != initial.dtype.np or
                                             not initial.shape.is_compatible_with(restored.shape)):
                    raise ValueError(f"{self._name}: the checkpoint holds a value of dtype "
                                     f"{restored.dtype} and shape {list(restored.shape)} for "
                                     f"{name}, a {initial.dtype.name} of shape {initial.shape}; "
                                     "no variable was changed")
                self._pending_restore.pop(name, None)
                variable = Variable(restored if restored is not None else initial,
                                    trainable=False, name=name)
            self._non_slot_dict[(name, graph)] = variable
        return variable

    def _get_non_slot_variable(self, name, graph=None):
        return self._non_slot_dict.get((name, graph))

    def _non_slot_variables(self):
        return self._non_slot_dict.values()

    def variables(self):
        """The optimizer's variables (slots and non-slot ones) of the current graph, by name."""
        graph = outer_graph()
        own = [v for (_, g), v in self._non_slot_dict.items() if g is graph]
        own += [s for _, _, s in self._slots.items if s.graph is graph]
        return sorted(own, key=lambda v: v.name)

    def _checkpoint_children(self):
        graph = outer_graph()
        return {name: v for (name, g), v in sorted(self._non_slot_dict.items(),
                                                   key=lambda item: item[0][0]) if g is graph}


def graph_only(ops):
    """Control inputs in graph mode (eager updates have already run)."""
    return [o for o in ops if o is not None] if current_graph() is not None else []


GLOBAL_STEP = "global_step"         # GraphKeys.GLOBAL_STEP: the collection holding it
_global_step_lock = threading.Lock()


def get_global_step(graph=None):
    """The graph's global step variable (the one in its 'global_step' collection), or None."""
    graph = graph or get_default_graph()
    found = graph.get_collection(GLOBAL_STEP)
    return found[0] if len(found) == 1 else None        # TF's None for several, too


def create_global_step(graph=None):
    """A new int64 step counter named 'global_step', kept in the graph's 'global_step'
    collection; ValueError if the graph has one."""
    graph = graph or get_default_graph()
    with _global_step_lock:
        if get_global_step(graph) is not None:
            raise ValueError("\"global_step\" already exists.")
        return _make_global_step(graph)


def get_or_create_global_step(graph=None):
    """The graph's global step, made (an int64 counter, an eager variable when executing
    eagerly) on the first call, once even when threads ask at the same time."""
    graph = graph or get_default_graph()
    step = get_global_step(graph)
    if step is not None:                # the common case: no lock
        return step
    with _global_step_lock:
        step = get_global_step(graph)
        if step is None:
            step = _make_global_step(graph)
    return step


def _make_global_step(graph):
    if current_graph() is None:
        step = Variable(np.int64(0), trainable=False, name=GLOBAL_STEP)
    else:
        with graph.as_default(), root_scope():
            step = Variable(np.int64(0), trainable=False, name=GLOBAL_STEP)
    graph.add_to_collection(GLOBAL_STEP, step)
    return step


def global_step(sess, global_step_tensor):
    """The value of the global step, as an int (read through `sess` in graph mode)."""
    if current_graph() is None or getattr(global_step_tensor, "graph", None) is None:
        return int(np.asarray(global_step_tensor))
    return int(sess.run(global_step_tensor))
