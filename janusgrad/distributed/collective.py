"""Where the replicas meet: all-reduce of gradients, and a new variable's first value.

`Hub` is one threaded Ray actor per strategy. Every collective call of a replica is a
"meeting" keyed by its kind and its number in that replica's sequence (replicas run the same
code, so their n-th all-reduce is the same all-reduce): the hub waits for every replica's part,
checks that they agree (same kind, dtypes, shapes), combines them once and answers each replica
with the result. A replica that died or a step that failed aborts the hub: every waiting and
later meeting answers with the failure instead of hanging.

`Collective` is a process's side: it packs the tensors of one all-reduce into one flat array
per dtype (one object through Ray's object store per replica and step, never a pickle per
tensor), and IndexedSlices into their values and indices (gathered, as TF's all-reduce of
slices), and unpacks the answer. In a graph being traced (tf.function) it becomes an op that
does the same when it runs.
"""
import threading

import numpy as np

from ..framework.errors import UnavailableError
from ..framework.tensor import EagerTensor, Tensor, convert_to_tensor
from ..framework.context import current_graph
from ..ops.indexed_slices import IndexedSlices
from ..ops.python_ops import numpy_function

FAILED = "failed"


class _Meeting:
    def __init__(self):
        self.parts = {}
        self.answer = None
        self.answered = 0


class Hub:
    """The meeting point of `n` replicas: a threaded Ray actor (strategy.py makes it with
    ray.remote and max_concurrency above n), each waiting replica's call holding one thread
    (a thread answers faster than asyncio does here, ~1 ms against ~2 per call)."""

    def __init__(self, n):
        self.n = n
        self.meetings = {}
        self.failure = None
        self.changed = threading.Condition()

    def meet(self, key, rank, signature, payload, wait=True):
        """rank's part of meeting `key`; once all n have come: (ok, combined) to each, or
        (FAILED, why). With wait=False (the first replica's value of a new variable, which
        nobody waits for) it returns at once: a caller that waits holds one of the actor's
        threads, and posts that nobody reads must not use them up."""
        with self.changed:
            if self.failure is not None:
                return FAILED, self.failure
            m = self.meetings.get(key)
            if m is None:
                m = self.meetings[key] = _Meeting()
            m.parts[rank] = (signature, payload)
            if len(m.parts) == self.n:
                m.answer = self._combine(key, m.parts)
                if m.answer[0] == FAILED:
                    self._abort(m.answer[1])
                self.changed.notify_all()
            while wait and m.answer is None:
                self.changed.wait()
            m.answered += 1
            if m.answered == self.n:
                self.meetings.pop(key, None)
            return m.answer

    def abort(self, why):
        """Fail every meeting, now and later, with `why`."""
        with self.changed:
            self._abort(why)
        return True

    def _abort(self, why):
        if self.failure is None:
            self.failure = why
        for m in self.meetings.values():
            if m.answer is None:
                m.answer = (FAILED, self.failure)
        self.changed.notify_all()

    def _combine(self, key, parts):
        kind = key[0]
        first = parts[0][0]
        for rank in sorted(parts):
            if parts[rank][0] != first:
                return FAILED, (f"the replicas disagree at {kind} number {key[1]}: replica 0 "
                                f"has {first}, replica {rank} has {parts[rank][0]} (every "
                                "replica must run the same step on the same model)")
        if kind == "create":                    # the first replica's value, for everyone
            return "ok", parts[0][1]
        op, _ = first
        dense = None
        slices = []
        for rank in sorted(parts):              # in replica order: every replica adds alike
            d, s = parts[rank][1]
            if dense is None:
                dense = [a.copy() for a in d]
            else:
                for total, a in zip(dense, d):
                    total += a
            slices.append(s)
        gathered = [(np.concatenate([s[i][0] for s in slices]),
                     np.concatenate([s[i][1] for s in slices])) for i in range(len(slices[0]))]
        if op == "MEAN":
            dense = [a / self.n if a.dtype.kind in "fc" else a // self.n for a in dense]
            gathered = [(v / self.n, i) for v, i in gathered]
        return "ok", (dense, gathered)


def _signature_of(op, leaves):
    """What the replicas must agree on: the reduction and each leaf's kind, dtype and shape
    (of slices: the dense shape and the shape of one slice)."""
    sig = []
    for x in leaves:
        if isinstance(x, IndexedSlices):
            sig.append(("slices", x.values.dtype.name, tuple(x.values.shape[1:])))
        else:
            sig.append(("dense", x.dtype.name, tuple(x.shape)))
    return op, tuple(sig)


class Collective:
    """A replica's side of the hub. `wait(ref, key)` gets the reply to meeting `key` (the first
    replica's watches the others while it waits)."""

    def __init__(self, hub, rank, wait):
        self.hub = hub
        self.rank = rank
        self.wait = wait
        self.counts = {"reduce": 0, "create": 0}

    def _next(self, kind):
        n = self.counts[kind]
        self.counts[kind] = n + 1
        return kind, n

    def all_reduce(self, op, leaves):
        """The leaves (tensors / IndexedSlices) summed (op ReduceOp.SUM) or averaged over the
        replicas."""
        op = op.value
        if current_graph() is not None:
            return self._all_reduce_op(op, leaves)
        dense = [x for x in leaves if not isinstance(x, IndexedSlices)]
        slices = [x for x in leaves if isinstance(x, IndexedSlices)]
        arrays = [np.asarray(convert_to_tensor(x).numpy()) for x in dense]
        parts = [(np.asarray(convert_to_tensor(s.values).numpy()),
                  np.asarray(convert_to_tensor(s.indices).numpy())) for s in slices]
        sig = _signature_of(op, leaves)
        summed, gathered = self.reduce_arrays(sig, arrays, parts)
        out, d, s = [], iter(summed), iter(gathered)
        for x in leaves:
            if isinstance(x, IndexedSlices):
                values, indices = next(s)
                out.append(IndexedSlices(EagerTensor(values), EagerTensor(indices),
                                         x.dense_shape))
            else:
                out.append(EagerTensor(next(d)))
        return out

    def reduce_arrays(self, sig, arrays, slices):
        """One meeting: the dense arrays, packed into one flat array per dtype, and the
        slices' (values, indices); returns them combined, unpacked."""
        groups = {}
        for i, a in enumerate(arrays):
            groups.setdefault(a.dtype.str, []).append(i)
        order = sorted(groups)
        flat = [np.concatenate([arrays[i].ravel() for i in groups[k]]) if groups[k] else None
                for k in order]
        key = self._next("reduce")
        status, answer = self.wait(self.hub.meet.remote(key, self.rank, sig, (flat, slices)), key)
        if status == FAILED:
            raise UnavailableError(f"tf.distribute all-reduce (replica {self.rank}): {answer}")
        summed_flat, gathered = answer
        out = [None] * len(arrays)
        for k, total in zip(order, summed_flat):
            at = 0
            for i in groups[k]:
                size = arrays[i].size
                out[i] = total[at:at + size].reshape(arrays[i].shape)
                at += size
        return out, gathered

    def _all_reduce_op(self, op, leaves):
        """In a graph being traced: an op that all-reduces when it runs."""
        inputs, touts, plan = [], [], []
        for x in leaves:
            if isinstance(x, IndexedSlices):
                inputs += [x.values, x.indices]
                touts += [x.values.dtype, x.indices.dtype]
                plan.append(("slices", x))
            else:
                x = x if isinstance(x, Tensor) else convert_to_tensor(x)
                inputs.append(x)
                touts.append(x.dtype)
                plan.append(("dense", x))
        sig = _signature_of(op, leaves)

        def run(*arrays):
            dense, slices, it = [], [], iter(arrays)
            for kind, _ in plan:
                if kind == "slices":
                    slices.append((next(it), next(it)))
                else:
                    dense.append(next(it))
            summed, gathered = self.reduce_arrays(sig, dense, slices)
            out, d, s = [], iter(summed), iter(gathered)
            for kind, _ in plan:
                out += list(next(s)) if kind == "slices" else [next(d)]
            return out

        results = iter(numpy_function(run, inputs, touts, name="AllReduce"))
        out = []
        for kind, x in plan:
            if kind == "slices":
                values, indices = next(results), next(results)
                values.set_shape([None] + list(x.values.shape[1:]))
                out.append(IndexedSlices(values, indices, x.dense_shape))
            else:
                t = next(results)
                t.set_shape(x.shape)
                out.append(t)
        return out

    def first_value(self, variable):
        """A variable made inside a step: the first replica publishes its value, the others
        take it (as TF's mirrored variables start from the primary's value)."""
        key = self._next("create")
        sig = (variable.dtype.name, tuple(variable.shape))
        if self.rank == 0:
            self.hub.meet.remote(key, 0, sig, variable.numpy(), False)   # nobody waits
            return
        status, answer = self.wait(self.hub.meet.remote(key, self.rank, sig, None), key)
        if status == FAILED:
            raise UnavailableError(f"tf.distribute (replica {self.rank}), making variable "
                                   f"{variable.name}: {answer}")
        variable.assign(answer)
