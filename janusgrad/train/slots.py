"""Optimizer slots: the per-variable state of an optimizer (`SlotStore`), shared by the TF1
optimizers (optimizer.py) and the Keras ones, and saved by tf.train.Checkpoint, which leaves a
restored value in the store for a slot not made yet.

A slot is made once, even when several threads ask for it at the same time (a lock taken only
when it is missing), outside any function being traced.
"""
import contextlib
import threading

import numpy as np

from ..framework.context import current_graph, init_scope
from ..ops.state import Variable


def base_name(var):
    """A variable's name without the ':0' output suffix."""
    return var.name.split(":")[0]


class SlotStore:
    """Per-variable optimizer state, created on first use as non-trainable variables (zeros,
    unless the optimizer gives another first value).

    A checkpoint restored before the slots exist leaves their values in `pending`; a slot made
    later starts from that value instead of zeros (TF's deferred restoration).
    """

    def __init__(self, owner_name):
        self.owner_name = owner_name
        self.by_var = {}        # id(var) -> {slot name: slot variable}
        self.items = []         # (var, slot name, slot variable) in creation order
        self.pending = {}       # (id(var), slot name) -> array from a checkpoint
        # values whose variable did not exist at restore time either: found by the variable's
        # checkpoint path once it exists (`resolve()` walks the checkpoint's objects again)
        self.pending_paths = {}     # (variable path, slot name) -> array
        self.resolve = None         # () -> {id(var): path}
        self._paths = None
        # taken only to make state on first use (slots in `make`, the TF1 optimizers' non-slot
        # variables), never by a step that finds its state made
        self.lock = threading.RLock()

    def __getstate__(self):
        """Pickled (tf.distribute's replicas) with its slots; entries keyed by a variable's id
        are keyed again where unpickled, and values waiting for a slot not made yet stay with
        the original (a replica's new slot takes the first replica's value)."""
        return {"owner_name": self.owner_name, "items": self.items}

    def __setstate__(self, state):
        self.__init__(state["owner_name"])
        self.items = list(state["items"])
        for var, slot_name, slot in self.items:
            self.by_var.setdefault(id(var), {})[slot_name] = slot

    def get(self, var, slot_name):
        return self.by_var.get(id(var), {}).get(slot_name)

    def make(self, var, slot_name, initial=None, dtype=None, var_name=None):
        """The slot `slot_name` of `var`, created on first call, once even when several threads
        ask at the same time: from a restored value, else `initial` (an array, tensor or
        zero-argument callable), else zeros. `var_name` names the slot's variable as TF1 names
        it (made at the root name scope); else it is `<var>/<optimizer>/<slot>`."""
        slot = self.get(var, slot_name)
        if slot is not None:            # the common case: no lock
            return slot
        with self.lock:
            slot = self.get(var, slot_name)
            if slot is not None:        # another thread made it meanwhile
                return slot
            value = self._restored(var, slot_name)
            if value is None:
                value = _zeros_for(var) if initial is None else initial
                dtype = var.dtype if initial is None else dtype
            else:
                dtype = None
            with init_scope(), root_scope(var_name is not None) as graph:
                name = f"{base_name(var)}/{self.owner_name}/{slot_name}" if var_name is None \
                    else var_name if graph is not None else self._eager_name(var_name)
                slot = Variable(value, trainable=False, dtype=dtype, name=name)
            self.items.append((var, slot_name, slot))
            self.by_var.setdefault(id(var), {})[slot_name] = slot     # published last
        return slot

    def _eager_name(self, name):
        """`name`, or `name_1`, `name_2`... if one of this store's eager slots has it (a graph
        makes its own names unique)."""
        taken = {s.name.split(":")[0] for _, _, s in self.items}
        unique, i = name, 0
        while unique in taken:
            i += 1
            unique = f"{name}_{i}"
        return unique

    def _restored(self, var, slot_name):
        """The value a checkpoint left for this slot, or None. One that does not fit `var`
        raises and stays pending, so that no slot is made from it, now or on a retry."""
        where, key = self.pending, (id(var), slot_name)
        if key not in where and self.pending_paths:
            if self._paths is None or id(var) not in self._paths[0]:
                self._paths = self.resolve()
            where, key = self.pending_paths, (self._paths[0].get(id(var)), slot_name)
        if key not in where:
            return None
        value = where[key]
        if value.dtype != var.dtype.np or not var.shape.is_compatible_with(value.shape):
            raise ValueError(f"{self.owner_name}: the checkpoint holds a value of dtype "
                             f"{value.dtype} and shape {list(value.shape)} for the slot "
                             f"{slot_name!r} of {var.name}, whose dtype is {var.dtype.name} "
                             f"and shape {var.shape}; no variable was changed")
        del where[key]
        if not self.pending_paths:
            self._paths = None
        return value

    def names(self):
        return sorted({name for _, name, _ in self.items})


@contextlib.contextmanager
def root_scope(enter=True):
    """The root name scope of the graph being built (TF1 names slots and the global step by
    their variable scope, whatever the name scope); yields that graph, or None eagerly."""
    graph = current_graph()
    if graph is None or not enter:
        yield graph
        return
    with graph.name_scope(""):
        yield graph


def _zeros_for(var):
    if var.shape.is_fully_defined():
        return np.zeros(var.shape.as_list(), var.dtype.np)
    from ..ops.array import zeros_like
    return lambda: zeros_like(var.initial_value)
