"""A training job on two replicas that checkpoints every 2 steps, as TF's multi-worker guide
writes one (run by tests/test_distributed.py, in a process of its own).

    python distributed_job.py FOLDER [--kill-at STEP] [--one-process]

It resumes from FOLDER's latest checkpoint, trains to step 8 and saves the weights to
FOLDER/final.npy. With --kill-at, replica 1 kills its own process (SIGKILL) during that step;
the job then prints error=<class> seconds=<time from the step's start to the error> and exits
with 3. With --one-process it runs the same steps on the default strategy (no Ray).
"""
import os
import signal
import sys
import time

import numpy as np

import janusgrad as tf

STEPS = 8


def main(folder, kill_at, one_process):
    strategy = tf.distribute.get_strategy() if one_process else \
        tf.distribute.MultiWorkerMirroredStrategy(num_workers=2)
    rng = np.random.default_rng(0)
    x = rng.normal(size=(STEPS, 8, 3)).astype(np.float32)
    y = rng.normal(size=(STEPS, 8, 1)).astype(np.float32)
    with strategy.scope():
        w = tf.Variable(np.linspace(-1, 1, 3, dtype=np.float32).reshape(3, 1))
        optimizer = tf.keras.optimizers.Adam(0.1)
        step_var = tf.Variable(0, dtype=tf.int64)
    checkpoint = tf.train.Checkpoint(w=w, optimizer=optimizer, step=step_var)
    manager = tf.train.CheckpointManager(checkpoint, folder, max_to_keep=2)
    if manager.latest_checkpoint:
        checkpoint.restore(manager.latest_checkpoint)
    print(f"resumed_from={int(step_var.numpy())}", flush=True)

    def step(xb, yb):
        ctx = tf.distribute.get_replica_context()
        if ctx.replica_id_in_sync_group == 1 and int(step_var.numpy()) + 1 == kill_at:
            os.kill(os.getpid(), signal.SIGKILL)
        with tf.GradientTape() as tape:
            loss = tf.nn.compute_average_loss(tf.reduce_sum(tf.square(xb @ w - yb), axis=1),
                                              global_batch_size=8)
        optimizer.apply_gradients([(tape.gradient(loss, w), w)])
        step_var.assign_add(1)
        return loss

    while int(step_var.numpy()) < STEPS:
        i = int(step_var.numpy())
        batch = strategy.experimental_distribute_dataset([(x[i], y[i])])
        start = time.monotonic()
        try:
            for b in batch:
                strategy.run(step, args=b)
        except Exception as e:
            print(f"error={type(e).__name__} seconds={time.monotonic() - start:.2f}", flush=True)
            print(e, file=sys.stderr)
            return 3
        if int(step_var.numpy()) % 2 == 0:
            manager.save()
    np.save(os.path.join(folder, "final.npy"), w.numpy())
    return 0


if __name__ == "__main__":
    args = sys.argv[1:]
    kill = int(args[args.index("--kill-at") + 1]) if "--kill-at" in args else -1
    sys.exit(main(args[0], kill, "--one-process" in args))
