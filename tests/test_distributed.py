"""tf.distribute with several replicas on Ray (issue 23): two replicas (this process and one Ray
actor) train as one process does on the same global batches; per-replica values, reductions,
datasets; variables made in a step or changed between steps; failures raise, never hang.

One strategy serves the module (Ray takes seconds to start); tests that break a strategy make
their own. The killed-replica test runs jobs in subprocesses (tests/distributed_job.py).
"""
import os
import re
import subprocess
import sys
import time

import numpy as np
import pytest

import janusgrad as tf

ray = pytest.importorskip("ray", reason="the `distributed` extra (Ray) is not installed")
pytestmark = pytest.mark.xdist_group("ray")     # one Ray instance: the module on one worker

HERE = os.path.dirname(os.path.abspath(__file__))


@pytest.fixture(scope="module")
def strategy():
    s = tf.distribute.MirroredStrategy(num_workers=2)
    yield s
    s.shutdown()


def _data(seed=0, n=64, d=5):
    rng = np.random.default_rng(seed)
    x = rng.normal(size=(n, d)).astype(np.float32)
    y = (x @ rng.normal(size=(d, 1)) + 0.1 * rng.normal(size=(n, 1))).astype(np.float32)
    return [(x[i:i + 16], y[i:i + 16]) for i in range(0, n, 16)]


def _train(strategy, batches, use_function, epochs=3):
    """A custom training loop as TF's guide writes it; returns the losses and weights."""
    with strategy.scope():
        tf.random.set_seed(1)
        model = tf.keras.Sequential([tf.keras.layers.Dense(8, activation="tanh"),
                                     tf.keras.layers.Dense(1)])
        optimizer = tf.keras.optimizers.Adam(0.05)

    def step(x, y):
        with tf.GradientTape() as tape:
            per_example = tf.reduce_sum(tf.square(model(x) - y), axis=1)
            loss = tf.nn.compute_average_loss(per_example, global_batch_size=16)
        grads = tape.gradient(loss, model.trainable_variables)
        optimizer.apply_gradients(zip(grads, model.trainable_variables))
        return loss

    def distributed_step(batch):
        per_replica = strategy.run(step, args=batch)
        return strategy.reduce(tf.distribute.ReduceOp.SUM, per_replica, axis=None)

    if use_function:
        distributed_step = tf.function(distributed_step)
    dataset = strategy.experimental_distribute_dataset(batches)
    losses = [float(distributed_step(b)) for _ in range(epochs) for b in dataset]
    return losses, [v.numpy() for v in model.trainable_variables]


@pytest.mark.parametrize("use_function", [False, True], ids=["eager", "tf.function"])
def test_custom_loop_on_two_replicas_matches_one_process(strategy, use_function):
    batches = _data()
    losses_1, weights_1 = _train(tf.distribute.get_strategy(), batches, use_function)
    losses_2, weights_2 = _train(strategy, batches, use_function)
    np.testing.assert_allclose(losses_2, losses_1, rtol=2e-5, atol=1e-6)
    for a, b in zip(weights_2, weights_1):
        np.testing.assert_allclose(a, b, rtol=2e-5, atol=1e-6)
    # and training did something: the weights moved, the loss fell
    assert losses_1[-1] < 0.5 * losses_1[0]


def test_the_replicas_hold_the_same_variables_after_steps(strategy):
    with strategy.scope():
        v = tf.Variable([1.0, 2.0])
        opt = tf.keras.optimizers.SGD(0.5)

    def step(x):
        with tf.GradientTape() as tape:
            loss = tf.reduce_sum(v * x)
        opt.apply_gradients([(tape.gradient(loss, v), v)])
        return v.read_value()

    x = tf.distribute.PerReplica([tf.constant([1.0, 0.0]), tf.constant([0.0, 3.0])])
    out = strategy.run(step, args=(x,))
    # the summed gradient [1, 3], applied on both replicas: [1 - 0.5, 2 - 1.5]
    for value in strategy.experimental_local_results(out):
        np.testing.assert_allclose(value.numpy(), [0.5, 0.5])
    np.testing.assert_allclose(v.numpy(), [0.5, 0.5])


def test_tf1_optimizers_and_tf_function_steps_sum_gradients_too(strategy):
    """tf.compat.v1's optimizers aggregate as Keras' do, and a step that is itself a
    tf.function is traced on each replica."""
    with strategy.scope():
        v = tf.Variable([0.0, 0.0])
        opt = tf.compat.v1.train.GradientDescentOptimizer(1.0)

    @tf.function
    def step(x):
        with tf.GradientTape() as tape:
            loss = tf.reduce_sum(v * x)
        opt.apply_gradients([(tape.gradient(loss, v), v)])
        return v.read_value()

    x = tf.distribute.PerReplica([tf.constant([1.0, 2.0]), tf.constant([10.0, 20.0])])
    out = strategy.run(step, args=(x,))
    for value in strategy.experimental_local_results(out):
        np.testing.assert_allclose(value.numpy(), [-11.0, -22.0])
    np.testing.assert_allclose(v.numpy(), [-11.0, -22.0])


def test_indexed_slices_gradients_are_gathered_from_every_replica(strategy):
    """An embedding's gradient is IndexedSlices; each replica looks up other rows, and every
    replica applies the rows of both (as one process on the whole batch)."""
    table0 = np.arange(12, dtype=np.float32).reshape(6, 2)
    ids = [np.array([0, 1, 1]), np.array([4, 1])]

    def train(strategy, parts):
        with strategy.scope():
            table = tf.Variable(table0)
            opt = tf.keras.optimizers.SGD(0.1)

        def step(i):
            with tf.GradientTape() as tape:
                loss = tf.reduce_sum(tf.square(tf.gather(table, i)))
            grad = tape.gradient(loss, table)
            assert isinstance(grad, tf.IndexedSlices)
            opt.apply_gradients([(grad, table)])
            return tf.constant(0.0)

        strategy.run(step, args=(parts,))
        return table.numpy()

    one = train(tf.distribute.get_strategy(), np.concatenate(ids))
    two = train(strategy, tf.distribute.PerReplica(ids))
    np.testing.assert_allclose(two, one, rtol=1e-6)
    assert not np.allclose(two, table0)


def test_all_reduce_in_a_replica_context_sums_and_averages(strategy):
    def fn():
        ctx = tf.distribute.get_replica_context()
        x = tf.constant([1.0, 2.0]) * float(ctx.replica_id_in_sync_group + 1)
        return (ctx.all_reduce(tf.distribute.ReduceOp.SUM, x),
                ctx.all_reduce("MEAN", {"a": x}),
                ctx.replica_id_in_sync_group, ctx.num_replicas_in_sync)

    total, mean, rid, n = strategy.run(fn)
    for t in strategy.experimental_local_results(total):
        np.testing.assert_allclose(t.numpy(), [3.0, 6.0])
    for m in strategy.experimental_local_results(mean["a"]):
        np.testing.assert_allclose(m.numpy(), [1.5, 3.0])
    assert [int(r) for r in strategy.experimental_local_results(rid)] == [0, 1]
    assert n == 2


def test_reduce_combines_per_replica_values_and_axes(strategy):
    per = tf.distribute.PerReplica([tf.constant([[1.0, 2.0]]), tf.constant([[3.0, 4.0],
                                                                            [5.0, 6.0]])])
    np.testing.assert_allclose(strategy.reduce("SUM", per, axis=0).numpy(), [9.0, 12.0])
    np.testing.assert_allclose(strategy.reduce("MEAN", per, axis=0).numpy(), [3.0, 4.0])
    same = tf.distribute.PerReplica([tf.constant(2.0), tf.constant(4.0)])
    assert float(strategy.reduce(tf.distribute.ReduceOp.MEAN, same, axis=None)) == 3.0
    assert float(strategy.reduce(tf.distribute.ReduceOp.SUM, same, axis=None)) == 6.0
    # a value that is not per-replica is every replica's
    assert float(strategy.reduce("SUM", tf.constant(1.5), axis=None)) == 3.0
    with pytest.raises(ValueError, match="ReduceOp"):
        strategy.reduce("MAX", same, axis=None)
    np.testing.assert_allclose(strategy.gather(per, axis=0).numpy(),
                               [[1, 2], [3, 4], [5, 6]])


def test_distributed_datasets_split_global_batches(strategy):
    batches = [(np.arange(8).reshape(4, 2), np.arange(4)), (np.arange(6).reshape(3, 2),
                                                           np.arange(3))]
    parts = list(strategy.experimental_distribute_dataset(batches))
    x, y = parts[0]
    assert [a.numpy().tolist() for a in x.values] == [[[0, 1], [2, 3]], [[4, 5], [6, 7]]]
    assert [a.numpy().tolist() for a in parts[1][1].values] == [[0, 1], [2]]
    with pytest.raises(ValueError, match="cannot be split across 2 replicas"):
        list(strategy.experimental_distribute_dataset([np.zeros((1, 3))]))

    seen = []

    def dataset_fn(context):
        seen.append((context.num_replicas_in_sync, context.get_per_replica_batch_size(8)))
        return [np.full((4,), i) for i in range(4)]

    per = list(strategy.distribute_datasets_from_function(dataset_fn))
    assert seen == [(2, 4)]
    assert [[int(v.numpy()[0]) for v in p.values] for p in per] == [[0, 1], [2, 3]]

    values = strategy.experimental_distribute_values_from_function(
        lambda ctx: ctx.replica_id_in_sync_group * 10)
    assert values.values == (0, 10)


def test_variables_made_in_a_step_start_from_the_first_replicas_value(strategy):
    """A layer built inside the step draws random weights on each replica; the replicas
    must start from replica 0's (as TF's mirrored variables do)."""
    with strategy.scope():
        layer = tf.keras.layers.Dense(3)

    def step(x):
        layer(x)
        return layer.kernel.read_value()

    kernels = strategy.experimental_local_results(strategy.run(step, args=(np.ones((2, 4),
                                                                                  np.float32),)))
    np.testing.assert_array_equal(kernels[1].numpy(), kernels[0].numpy())
    np.testing.assert_array_equal(kernels[0].numpy(), layer.kernel.numpy())


def test_a_variable_changed_between_steps_reaches_the_replicas(strategy):
    with strategy.scope():
        v = tf.Variable(1.0)

    def read():
        return v.read_value()

    assert [float(x) for x in strategy.experimental_local_results(strategy.run(read))] == [1, 1]
    v.assign(7.0)           # outside a step: as a restored checkpoint would
    assert [float(x) for x in strategy.experimental_local_results(strategy.run(read))] == [7, 7]


def test_compute_average_loss_divides_by_the_global_batch(strategy):
    def fn(x):
        return tf.nn.compute_average_loss(x), tf.nn.scale_regularization_loss(tf.constant(4.0))

    per = tf.distribute.PerReplica([tf.constant([1.0, 3.0]), tf.constant([5.0, 7.0])])
    avg, reg = strategy.run(fn, args=(per,))
    # each replica: its sum over 2 examples x 2 replicas
    assert [float(a) for a in avg.values] == [1.0, 3.0]
    assert [float(r) for r in reg.values] == [2.0, 2.0]


def test_strategy_describes_itself(strategy):
    assert strategy.num_replicas_in_sync == 2
    assert isinstance(strategy, tf.distribute.MirroredStrategy)
    assert len(strategy.extended.worker_devices) == 2
    with strategy.scope():
        assert tf.distribute.get_strategy() is strategy
        assert tf.distribute.in_cross_replica_context()
        assert tf.distribute.get_replica_context() is None
    assert tf.distribute.get_strategy() is not strategy
    with pytest.raises(TypeError, match="callable"):
        strategy.run(3)


def test_what_cannot_reach_the_replicas_is_a_clear_error(strategy):
    numbers = (i for i in range(3))     # a generator: no pickle

    def step():
        next(numbers)
        return tf.constant(1.0)

    with pytest.raises(TypeError, match="the step function cannot be sent to the replicas"):
        strategy.run(step)
    # refused before any replica started: the strategy goes on
    assert float(strategy.reduce("SUM", strategy.run(lambda: tf.constant(1.0)))) == 2.0


def test_bad_num_workers_is_refused():
    with pytest.raises(ValueError, match="num_workers must be a positive integer"):
        tf.distribute.MirroredStrategy(num_workers=0)
    with pytest.raises(ValueError, match="num_workers must be a positive integer"):
        tf.distribute.MultiWorkerMirroredStrategy(num_workers="two")
    # without num_workers or several devices: TF's one replica on a CPU machine, no Ray
    assert tf.distribute.MirroredStrategy().num_replicas_in_sync == 1


# -- failures: each breaks its strategy, so each makes its own ------------------------------

def test_an_error_in_a_replicas_step_is_raised_as_its_class():
    s = tf.distribute.MirroredStrategy(num_workers=2)
    try:
        def fn():
            if tf.distribute.get_replica_context().replica_id_in_sync_group == 1:
                raise KeyError("only on replica 1")
            return tf.distribute.get_replica_context().all_reduce("SUM", tf.constant(1.0))

        start = time.monotonic()
        with pytest.raises(KeyError, match="only on replica 1"):
            s.run(fn)
        assert time.monotonic() - start < 10
        with pytest.raises(tf.errors.UnavailableError, match="cannot run any more steps"):
            s.run(lambda: 1)
    finally:
        s.shutdown()


def test_a_traced_step_failing_on_replica_0_does_not_hang_the_next():
    """An op of replica 0's traced step fails while the other replica waits for it in the
    all-reduce: the error is raised, and the next step raises instead of hanging."""
    s = tf.distribute.MirroredStrategy(num_workers=2)
    try:
        def fn(x):
            ctx = tf.distribute.get_replica_context()
            x = tf.debugging.check_numerics(x, "bad input")     # fails on replica 0 only
            return ctx.all_reduce("SUM", x), 7

        @tf.function
        def step(x):
            return s.run(fn, args=(x,))

        good = tf.distribute.PerReplica([tf.constant(1.0), tf.constant(2.0)])
        total, seven = step(good)
        assert [float(t) for t in total.values] == [3.0, 3.0] and seven == 7
        bad = tf.distribute.PerReplica([tf.constant(np.nan), tf.constant(2.0)])
        with pytest.raises(tf.errors.InvalidArgumentError, match="bad input"):
            step(bad)
        start = time.monotonic()
        with pytest.raises(tf.errors.UnavailableError, match="failed on replica 0"):
            step(good)
        assert time.monotonic() - start < 10
    finally:
        s.shutdown()


def test_run_inside_run_is_refused():
    s = tf.distribute.MirroredStrategy(num_workers=2)
    try:
        with pytest.raises(RuntimeError, match="strategy.run inside strategy.run"):
            s.run(lambda: s.run(lambda: 1))
    finally:
        s.shutdown()


def test_replicas_running_different_code_raise_instead_of_hanging():
    s = tf.distribute.MirroredStrategy(num_workers=2)
    try:
        def fn():
            ctx = tf.distribute.get_replica_context()
            if ctx.replica_id_in_sync_group == 0:
                return ctx.all_reduce("SUM", tf.constant(1.0))
            return tf.constant(0.0)

        start = time.monotonic()
        with pytest.raises(tf.errors.UnavailableError, match="ran different code"):
            s.run(fn)
        assert time.monotonic() - start < 10
    finally:
        s.shutdown()


def test_a_killed_replica_raises_within_seconds_and_the_job_resumes(tmp_path):
    """The job (tests/distributed_job.py) trains with a CheckpointManager; replica 1 kills its
    own process during step 5. The job must fail within 10 s of that step, not hang; run
    again, it resumes from the last checkpoint and ends with the weights of the same job run
    in one process, never interrupted."""
    job = os.path.join(HERE, "distributed_job.py")
    env = dict(os.environ, PYTHONPATH=os.path.dirname(HERE) + os.pathsep +
               os.environ.get("PYTHONPATH", ""))

    def run(folder, *args):
        return subprocess.run([sys.executable, job, str(folder), *args], env=env,
                              capture_output=True, text=True, timeout=240)

    killed = run(tmp_path / "a", "--kill-at", "5")
    assert killed.returncode == 3, killed.stdout + killed.stderr
    report = re.search(r"error=(\w+) seconds=([\d.]+)", killed.stdout)
    assert report is not None, killed.stdout
    assert report[1] == "UnavailableError"
    assert float(report[2]) < 10
    assert "replica 1" in killed.stderr and "died" in killed.stderr
    resumed = run(tmp_path / "a")
    assert resumed.returncode == 0, resumed.stdout + resumed.stderr
    assert "resumed_from=4" in resumed.stdout       # checkpoints after steps 2 and 4
    whole = run(tmp_path / "b", "--one-process")
    assert whole.returncode == 0, whole.stdout + whole.stderr
    assert "resumed_from=0" in whole.stdout
    w_resumed = np.load(tmp_path / "a" / "final.npy")
    w_whole = np.load(tmp_path / "b" / "final.npy")
    np.testing.assert_allclose(w_resumed, w_whole, rtol=1e-5)
    assert not np.allclose(w_whole, np.linspace(-1, 1, 3).reshape(3, 1))


def test_without_ray_a_multi_worker_strategy_says_which_extra_to_install():
    code = ("import sys; sys.modules['ray'] = None\n"
            "import janusgrad as tf\n"
            "assert tf.distribute.get_strategy().num_replicas_in_sync == 1\n"
            "assert tf.distribute.MirroredStrategy().num_replicas_in_sync == 1\n"
            "try:\n"
            "    tf.distribute.MultiWorkerMirroredStrategy()\n"
            "except ImportError as e:\n"
            "    print(e)\n")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         timeout=60, cwd=os.path.dirname(HERE))
    assert out.returncode == 0, out.stderr
    assert "MultiWorkerMirroredStrategy" in out.stdout
    assert "distributed" in out.stdout and "pip install" in out.stdout
