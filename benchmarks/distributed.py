"""Data-parallel training on Ray (issue 23): steps per second of the CNN workload on 1 and 2
replicas, and what an all-reduce costs per MB.

    python benchmarks/distributed.py [--quick] [--batches 32,256,1024] [--markdown]

The step is workload (d)'s CNN (conv 3x3x1x16 SAME + bias, relu, 2x2 max-pool, dense 256 -> 10,
softmax cross-entropy, SGD) written as TF's custom-training-loop guide writes it: a tape step
run by strategy.run inside a tf.function, on global batches of several sizes. 1 replica is the
default strategy (one process, no Ray); 2 replicas are this process and one Ray actor, each
with half of every global batch. Times are wall-clock (two processes work at once), medians of
interleaved rounds; the speedup is the ratio of the two, measured in the same run. Every
process computes on one thread (as the main benchmarks do). Needs the `distributed` extra and
two free cores.
"""
import os

# One thread per process, as Ray gives each replica (num_cpus=1): the speedup is that of
# processes, not of BLAS threads already sharing the cores in the one-replica baseline.
for _var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import argparse  # noqa: E402
import statistics  # noqa: E402
import time  # noqa: E402

import numpy as np  # noqa: E402

import janusgrad as tf  # noqa: E402

H = W = 8
C, K, F, CLASSES = 1, 3, 16, 10
FLAT = (H // 2) * (W // 2) * F


def make_trainer(strategy, global_batch):
    rng = np.random.default_rng(3)
    with strategy.scope():
        wc = tf.Variable(rng.normal(0, 0.5, (K, K, C, F)).astype(np.float32))
        bc = tf.Variable(np.full(F, 0.01, np.float32))
        wd = tf.Variable(rng.normal(0, 0.1, (FLAT, CLASSES)).astype(np.float32))
        bd = tf.Variable(np.zeros(CLASSES, np.float32))
        optimizer = tf.keras.optimizers.SGD(0.1)
    params = [wc, bc, wd, bd]

    def step(x, labels):
        with tf.GradientTape() as tape:
            a = tf.nn.relu(tf.nn.conv2d(x, wc, 1, "SAME") + bc)
            pooled = tf.nn.max_pool2d(a, 2, 2, "VALID")
            logits = tf.matmul(tf.reshape(pooled, [-1, FLAT]), wd) + bd
            per_example = tf.nn.sparse_softmax_cross_entropy_with_logits(labels, logits)
            loss = tf.nn.compute_average_loss(per_example, global_batch_size=global_batch)
        optimizer.apply_gradients(zip(tape.gradient(loss, params), params))
        return loss

    @tf.function
    def distributed_step(batch):
        losses = strategy.run(step, args=batch)
        return strategy.reduce(tf.distribute.ReduceOp.SUM, losses, axis=None)

    rng = np.random.default_rng(0)
    x = rng.normal(size=(global_batch, H, W, C)).astype(np.float32)
    labels = rng.integers(0, CLASSES, global_batch)
    batch = next(iter(strategy.experimental_distribute_dataset([(x, labels)])))
    return lambda: distributed_step(batch)


def time_steps(step, seconds):
    """Steps per second over about `seconds` of wall-clock time."""
    step()
    n, start = 0, time.perf_counter()
    while time.perf_counter() - start < seconds:
        step()
        n += 1
    return n / (time.perf_counter() - start)


def all_reduce_cost(strategy, megabytes, repeats):
    """Seconds per all-reduce of `megabytes` of float32 (inside one step)."""
    x = np.ones(int(megabytes * 2**20 / 4), np.float32)

    def fn():
        ctx = tf.distribute.get_replica_context()
        t = tf.constant(x)
        start = time.perf_counter()
        for _ in range(repeats):
            ctx.all_reduce(tf.distribute.ReduceOp.SUM, t)
        return (time.perf_counter() - start) / repeats

    strategy.run(fn)        # (warm)
    return float(strategy.experimental_local_results(strategy.run(fn))[0])


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="fewer, shorter rounds")
    parser.add_argument("--batches", default="32,256,1024", help="global batch sizes")
    parser.add_argument("--markdown", action="store_true", help="print Markdown tables")
    args = parser.parse_args()
    rounds, seconds = (3, 0.5) if args.quick else (5, 1.5)
    batches = [int(b) for b in args.batches.split(",")]

    two = tf.distribute.MirroredStrategy(num_workers=2)
    one = tf.distribute.get_strategy()
    rows = []
    for gb in batches:
        trainers = {1: make_trainer(one, gb), 2: make_trainer(two, gb)}
        rates = {1: [], 2: []}
        for _ in range(rounds):             # interleaved: both see the same machine
            for n, step in trainers.items():
                rates[n].append(time_steps(step, seconds))
        r1, r2 = statistics.median(rates[1]), statistics.median(rates[2])
        rows.append((gb, r1, r2, r2 / r1))

    sizes = [0.01, 0.1, 1, 10] if not args.quick else [0.01, 1]
    costs = [(mb, all_reduce_cost(two, mb, 20 if mb < 5 else 5)) for mb in sizes]
    two.shutdown()

    if args.markdown:
        print("| global batch | 1 replica (steps/s) | 2 replicas (steps/s) | speedup |")
        print("|---:|---:|---:|---:|")
        for gb, r1, r2, s in rows:
            print(f"| {gb} | {r1:.0f} | {r2:.0f} | {s:.2f}x |")
        print()
        print("| all-reduce of | time | per MB |")
        print("|---:|---:|---:|")
        for mb, t in costs:
            print(f"| {mb:g} MB | {t * 1e3:.2f} ms | {t / mb * 1e3:.2f} ms |")
    else:
        print(f"{'global batch':>12} {'1 replica/s':>12} {'2 replicas/s':>13} {'speedup':>8}")
        for gb, r1, r2, s in rows:
            print(f"{gb:>12} {r1:>12.1f} {r2:>13.1f} {s:>7.2f}x")
        print(f"{'all-reduce':>12} {'ms':>12} {'ms per MB':>13}")
        for mb, t in costs:
            print(f"{mb:>10g}MB {t * 1e3:>12.2f} {t / mb * 1e3:>13.2f}")


if __name__ == "__main__":
    main()
