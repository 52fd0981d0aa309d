"""The strategies with several replicas: the first replica's side (see __init__.py).

`ReplicatedStrategy(num_replicas, kind)` is what tf.distribute.MultiWorkerMirroredStrategy and
MirroredStrategy are when they have more than one replica (compat/distribute.py decides).
"""
import os
import pickle
import sys

import numpy as np

from ..compat.replica_state import STATE
from ..compat.distribute import (InputContext, MirroredStrategy, MultiWorkerMirroredStrategy,
                                 PerReplica, ReplicaContext, Strategy,
                                 StrategyExtended, ValueContext, enter_replica, exit_replica,
                                 map_per_replica, replica_count, split_batch)
from ..framework.context import current_graph
from ..framework.errors import UnavailableError
from ..framework.nest import flatten, map_structure, pack_sequence_as
from ..framework.tensor import EagerTensor, Tensor, convert_to_tensor
from ..ops.array import concat, identity
from ..ops.control import control_dependencies
from ..ops.python_ops import numpy_function
from ..ops.state import watch_variable_creation
from . import import_ray
from .collective import Collective, Hub
from .replica import Replica
from .shipping import Shipper


_START_TIMEOUT = 60


def _start_ray(ray):
    """A local Ray instance, unless the program started one (ray.init(address=...) for a
    cluster). Its processes import what this one can (the program's folder, a test's)."""
    if ray.is_initialized():
        return
    path = os.pathsep.join(os.path.abspath(p or os.curdir) for p in sys.path)
    ray.init(include_dashboard=False, logging_level="WARNING", configure_logging=True,
             runtime_env={"env_vars": {"PYTHONPATH": path}})


class _Extended(StrategyExtended):
    @property
    def worker_devices(self):
        n = self._container_strategy.num_replicas_in_sync
        return tuple(f"/job:worker/replica:0/task:{i}/device:CPU:0" for i in range(n))

    parameter_devices = worker_devices


class ReplicatedStrategy(Strategy):
    """`num_replicas` replicas: this process and num_replicas - 1 Ray actors."""

    def __init__(self, num_replicas, kind):
        ray = import_ray(kind)
        super().__init__()
        self._extended = _Extended(self)
        self._kind = kind
        self._ray = ray
        if num_replicas is not None:
            num_replicas = replica_count(None, num_replicas, kind)
        _start_ray(ray)
        if num_replicas is None:        # one replica per CPU of the cluster (this process's too)
            num_replicas = max(1, int(ray.cluster_resources().get("CPU", 1)))
        self._n = int(num_replicas)
        self._failed = None
        self._hub = ray.remote(Hub).options(num_cpus=0, max_concurrency=2 * self._n + 4) \
            .remote(self._n)
        actor = ray.remote(num_cpus=1, max_restarts=0)(Replica)
        self._actors = [actor.remote(rank, self._n, self._hub, kind) for rank in range(1, self._n)]
        try:
            self._pids = ray.get([a.pid.remote() for a in self._actors], timeout=_START_TIMEOUT)
        except ray.exceptions.GetTimeoutError:
            self.shutdown()
            free = ray.available_resources().get("CPU", 0)
            raise RuntimeError(
                f"tf.distribute.{kind}: the Ray cluster could not start {self._n - 1} replica "
                f"processes of one CPU each within {_START_TIMEOUT} s ({free:g} CPUs free of "
                f"{ray.cluster_resources().get('CPU', 0):g}): ask for fewer num_workers, or "
                "shut down other strategies (strategy.shutdown())") from None
        self._shipper = Shipper(ray, self)
        self._collective = Collective(self._hub, 0, self._wait)
        self._functions = {}        # the step functions sent: key -> (function, traced)
        self._inflight = {}         # ref of a replica's running step -> its rank
        self._done = {}             # rank -> its result, once its step is over
        self._step_open = False     # a traced step started and not joined yet

    # -- what TF's strategies say of themselves ---------------------------------------------
    @property
    def num_replicas_in_sync(self):
        return self._n

    def __repr__(self):
        return f"<tf.distribute.{self._kind} with {self._n} replicas (Ray actors {self._pids})>"

    # -- running a step ----------------------------------------------------------------------
    def run(self, fn, args=(), kwargs=None, options=None):
        """fn(*args, **kwargs) on every replica at once, each with its part of the per-replica
        arguments (a value that is not per-replica goes to all); returns the replicas' results,
        one PerReplica per tensor. Inside, optimizers apply every replica's gradients summed."""
        if not callable(fn):
            raise TypeError(f"{self._kind}.run: fn must be callable, got {fn!r}")
        self._check_usable()
        if STATE.replica:
            raise RuntimeError(f"tf.distribute.{self._kind}.run was called inside a replica's "
                               "step (strategy.run inside strategy.run)")
        kwargs = kwargs or {}
        if current_graph() is not None:
            return self._run_in_graph(fn, args, kwargs)
        key = self._send(fn, traced=False)
        self._push()
        refs = [a.run.remote(key, self._dumps(self._part(i + 1, (args, kwargs)), "its arguments"))
                for i, a in enumerate(self._actors)]
        self._inflight = {r: i + 1 for i, r in enumerate(refs)}
        mine_args, mine_kwargs = self._part(0, (args, kwargs))
        mine = self._as_first(fn, mine_args, mine_kwargs)
        theirs = self._gather()
        self._shipper.mark_sent()
        return _merge(mine, theirs)

    def _as_first(self, fn, args, kwargs):
        """fn run here, as replica 0; a failure fails the other replicas' meetings too."""
        enter_replica(ReplicaContext(self, 0, self._n, self._collective))
        try:
            with watch_variable_creation(self._made):
                return fn(*args, **kwargs)
        except BaseException as e:
            self._fail(f"replica 0 raised {type(e).__name__}: {e}")
            raise
        finally:
            exit_replica()

    def _made(self, variable):
        key = ("made", self._collective.counts["create"])
        self._collective.first_value(variable)
        self._shipper.made(key, variable)

    def _run_in_graph(self, fn, args, kwargs):
        """strategy.run inside a tf.function being traced: this replica's step is traced into
        the graph, between an op that starts the other replicas' steps (each theirs traced
        in its process) and one that waits for their results."""
        key = self._send(fn, traced=True)
        per = [self._part(i, (args, kwargs)) for i in range(self._n)]
        others = [flatten(p) for p in per[1:]]
        tensors = [x for leaves in others for x in leaves if isinstance(x, Tensor)]

        def launch(*arrays):
            it = iter(arrays)
            filled = [pack_sequence_as(p, [EagerTensor(next(it)) if isinstance(x, Tensor) else x
                                           for x in leaves])
                      for p, leaves in zip(per[1:], others)]
            if self._step_open:     # the last traced step failed on replica 0 before its join
                self._fail("a step failed on replica 0 while the other replicas ran it")
            self._check_usable()
            self._step_open = True
            self._push()
            refs = [a.run.remote(key, self._dumps(part, "its arguments"))
                    for a, part in zip(self._actors, filled)]
            self._inflight = {r: i + 1 for i, r in enumerate(refs)}
            return np.int64(len(refs))

        graph = current_graph()
        mark = len(graph.get_operations())
        started = numpy_function(launch, tensors, "int64", name="StartReplicas")
        with control_dependencies([started]):
            mine_args, mine_kwargs = per[0]
            mine_args = map_structure(lambda x: identity(x) if isinstance(x, Tensor) else x,
                                      mine_args)
            mine = self._as_first(fn, mine_args, mine_kwargs)
        leaves = flatten(mine)
        tensor_at = [i for i, x in enumerate(leaves) if isinstance(x, Tensor)]
        touts = [leaves[i].dtype for i in tensor_at] * (self._n - 1)
        after = [op for op in graph.ops_since(mark) if op.type != "Placeholder"]  # (captures)

        def join(started):
            results = self._gather()
            self._step_open = False
            self._shipper.mark_sent()
            return [np.asarray(flatten(r)[i]) for r in results for i in tensor_at]

        with control_dependencies(after):
            joined = numpy_function(join, [started], touts, name="JoinReplicas") \
                if touts else [numpy_function(join, [started], [], name="JoinReplicas")]
        if not tensor_at:
            with control_dependencies(joined):
                return mine
        theirs = iter(joined)
        per_leaf = {i: [] for i in tensor_at}
        for _ in range(self._n - 1):
            for i in per_leaf:
                t = next(theirs)
                t.set_shape(leaves[i].shape if leaves[i].shape.rank == 0 else None)
                per_leaf[i].append(t)
        return pack_sequence_as(mine, [PerReplica([x] + per_leaf[i]) if i in per_leaf else x
                                       for i, x in enumerate(leaves)])

    # -- sending -----------------------------------------------------------------------------
    @staticmethod
    def _function_key(fn):
        """Calls of the same step share its copies on the replicas: a function by its code and
        what it closes over, a bound method by its function and object, else the object."""
        self_ = getattr(fn, "__self__", None)
        func = getattr(fn, "__func__", fn)
        code = getattr(func, "__code__", None)
        if code is None:
            return ("object", id(fn), id(self_))
        cells = tuple(id(c.cell_contents) for c in (func.__closure__ or ()))
        return ("code", id(code), cells, id(self_), id(func.__defaults__))

    def _send(self, fn, traced):
        key = self._function_key(fn)
        known = self._functions.get(key)
        if known is None or known[1] != traced:
            data = self._dumps(fn, "the step function")
            for a in self._actors:
                a.load.remote(key, data, traced)
            self._functions[key] = (fn, traced)     # (kept: the ids in the key stay its own)
        return key

    def _dumps(self, obj, what):
        """obj pickled for the replicas; what cannot be pickled is the user's TypeError."""
        try:
            return self._shipper.dumps(obj)
        except (TypeError, AttributeError, pickle.PicklingError) as e:
            raise TypeError(f"tf.distribute.{self._kind}.run: {what} cannot be sent to the "
                            f"replicas: {e}. A step and what it uses are pickled (cloudpickle): "
                            "models, layers, optimizers, variables, tf.functions, NumPy arrays "
                            "and plain Python pickle; open files, sockets and locks held by "
                            "your objects do not") from e

    def _push(self):
        changed = self._shipper.changed()
        if changed:
            for a in self._actors:
                a.assign.remote(changed)
            self._shipper.mark_sent(changed)

    def _part(self, rank, value):
        """Replica `rank`'s share of a structure of per-replica values."""
        return map_per_replica(lambda v: v[rank] if isinstance(v, PerReplica) else v, value)

    # -- waiting, and failures ---------------------------------------------------------------
    def _describe(self, rank):
        return f"replica {rank} (Ray actor, process {self._pids[rank - 1]})"

    def _wait(self, ref, key):
        """Replica 0's reply to meeting `key`, while watching the others: one that died or
        failed, or finished its step without coming to the meeting, ends the wait with an
        error instead of a hang."""
        ray = self._ray
        while True:
            ready, _ = ray.wait([ref] + list(self._inflight), num_returns=1)
            if ref in ready:
                return ray.get(ref)
            for r in ready:
                rank = self._inflight.pop(r)
                result = self._done[rank] = self._result(r, rank)
                if result[1][key[0]] <= key[1]:
                    why = (f"{self._describe(rank)} finished its step without taking part in "
                           f"{key[0]} number {key[1]}, where replica 0 waits for it: the "
                           "replicas ran different code")
                    self._fail(why)
                    raise UnavailableError(f"tf.distribute.{self._kind}: {why}")

    def _gather(self):
        """The other replicas' results of this step."""
        while self._inflight:
            ready, _ = self._ray.wait(list(self._inflight), num_returns=1)
            for r in ready:
                rank = self._inflight.pop(r)
                self._done[rank] = self._result(r, rank)
        results = [self._done.pop(rank)[0] for rank in range(1, self._n)]
        return results

    def _result(self, ref, rank):
        ray = self._ray
        try:
            return ray.get(ref)
        except ray.exceptions.RayActorError as e:
            why = (f"{self._describe(rank)} died during a step ({type(e).__name__}). The "
                   "replicas' state is lost: restart the job; it resumes from the last "
                   "checkpoint (tf.train.CheckpointManager, keras.callbacks.BackupAndRestore)")
            self._fail(why)
            raise UnavailableError(f"tf.distribute.{self._kind}: {why}") from None
        except ray.exceptions.RayTaskError as e:
            self._fail(f"{self._describe(rank)} raised {type(e.cause).__name__}: {e.cause}")
            cause = e.as_instanceof_cause()
            raise cause from None

    def _fail(self, why):
        if self._failed is None:
            self._failed = why
            self._hub.abort.remote(why)

    def _check_usable(self):
        if self._failed is not None:
            raise UnavailableError(f"tf.distribute.{self._kind} cannot run any more steps: "
                                   f"{self._failed}")

    # -- combining and distributing ----------------------------------------------------------
    def gather(self, value, axis):
        """The replicas' values concatenated along `axis`."""
        return map_per_replica(lambda v: concat(list(v), axis) if isinstance(v, PerReplica)
                               else v, value)

    def experimental_distribute_dataset(self, dataset, options=None):
        """Each global batch of `dataset` (an iterable of NumPy arrays or tensors, or nests of
        them) split along its first axis into one part per replica."""
        return DistributedDataset(self, lambda: iter(dataset), split=True, source=dataset)

    def distribute_datasets_from_function(self, dataset_fn, options=None):
        """`dataset_fn(input_context)` gives per-replica batches (input_context says the
        replicas' number); consecutive batches go to replicas 0, 1, ..."""
        context = InputContext(num_replicas_in_sync=self._n)
        dataset = dataset_fn(context)
        return DistributedDataset(self, lambda: iter(dataset), split=False, source=dataset)

    def experimental_distribute_values_from_function(self, value_fn):
        values = []
        for i in range(self._n):
            context = ValueContext()
            context.replica_id_in_sync_group, context.num_replicas_in_sync = i, self._n
            values.append(value_fn(context))
        return PerReplica(values)

    def shutdown(self):
        """End the replicas' processes, freeing their CPUs (also done when the strategy is
        garbage collected or the program ends); the strategy cannot run steps any more."""
        for a in self._actors:
            self._ray.kill(a)
        self._ray.kill(self._hub)
        self._failed = self._failed or "the strategy was shut down"


def _same(a, b):
    try:
        return bool(a == b)
    except Exception:
        return a is b


def _merge(mine, theirs):
    """One PerReplica per tensor of replica 0's result; the same Python value stays itself."""
    leaves = flatten(mine)
    others = [flatten(t) for t in theirs]
    out = []
    for i, x in enumerate(leaves):
        values = [x] + [o[i] for o in others]
        if isinstance(x, Tensor) or any(isinstance(v, np.ndarray) for v in values[1:]):
            out.append(PerReplica([convert_to_tensor(v) for v in values]))
        elif all(_same(v, x) for v in values[1:]):
            out.append(x)
        else:
            out.append(PerReplica(values))
    return pack_sequence_as(mine, out)


class DistributedDataset:
    """Iterates per-replica batches (TF's DistributedDataset)."""

    def __init__(self, strategy, start, split, source):
        self._strategy = strategy
        self._start = start
        self._split = split
        self._source = source

    def __iter__(self):
        n = self._strategy.num_replicas_in_sync
        it = self._start()
        if self._split:
            for batch in it:
                yield split_batch(batch, n, "experimental_distribute_dataset")
            return
        while True:
            parts = []
            for _ in range(n):
                try:
                    parts.append(next(it))
                except StopIteration:
                    break
            if not parts:
                return
            if len(parts) < n:
                raise ValueError(f"distribute_datasets_from_function: the dataset ended with "
                                 f"{len(parts)} batches for {n} replicas (make its number of "
                                 "batches a multiple of the number of replicas)")
            leaves = [flatten(p) for p in parts]
            yield pack_sequence_as(parts[0], [
                PerReplica([convert_to_tensor(ls[i]) for ls in leaves])
                for i in range(len(leaves[0]))])

    def __len__(self):
        n = len(self._source)
        return n if self._split else n // self._strategy.num_replicas_in_sync


class RayMirroredStrategy(ReplicatedStrategy, MirroredStrategy):
    """tf.distribute.MirroredStrategy with several replicas (one per device given, or
    num_workers)."""

    def __init__(self, devices=None, cross_device_ops=None, num_workers=None):
        ReplicatedStrategy.__init__(self, replica_count(devices, num_workers), "MirroredStrategy")
        self._devices = tuple(devices) if devices is not None else \
            tuple(f"/cpu:{i}" for i in range(self._n))


class RayMultiWorkerMirroredStrategy(ReplicatedStrategy, MultiWorkerMirroredStrategy):
    """tf.distribute.MultiWorkerMirroredStrategy: num_workers replicas, by default one per CPU
    of the Ray cluster."""

    def __init__(self, cluster_resolver=None, communication_options=None, num_workers=None):
        ReplicatedStrategy.__init__(self, num_workers, "MultiWorkerMirroredStrategy")
