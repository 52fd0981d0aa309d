"""Data-parallel training over processes, on Ray (issue 23): tf.distribute's
MultiWorkerMirroredStrategy and MirroredStrategy with several replicas.

How it is laid out:
- the process that made the strategy (Ray's driver) is replica 0, as TF's chief worker: its
  variables are the model's, always current, so checkpoints, callbacks and evaluation work as in
  one process; replicas 1..N-1 are Ray actors, one process each (`replica.py`);
- a step function and what it refers to (model, optimizer...) go to the replicas pickled once
  (`shipping.py`); a variable travels by value the first time and by a key afterwards, so every
  function a replica receives shares that replica's copy of it;
- the replicas meet in one threaded Ray actor (`collective.py`) to all-reduce gradients (one
  flat buffer per dtype per step, IndexedSlices gathered) and to hand a variable made inside a
  step the first replica's value;
- `strategy.py` is the driver's side: run / reduce / scope / datasets, and failures (a replica
  that dies makes `run` raise UnavailableError, never hang).

Ray is imported only when a strategy with several replicas is made: `import janusgrad` and the
default strategy need nothing of it.
"""

RAY_MISSING = ("tf.distribute.{name} with several replicas runs them on Ray, which is not "
               "installed: install janusgrad's `distributed` extra (pip install "
               "'janusgrad[distributed]', or pip install -e '.[distributed]' in a checkout)")


def import_ray(name):
    """Ray, or the ImportError that says which extra to install."""
    try:
        import ray
    except ImportError as e:
        raise ImportError(RAY_MISSING.format(name=name)) from e
    return ray
