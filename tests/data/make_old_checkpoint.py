"""Writes old_checkpoint.npz and old_checkpoint_trained_on.npz: a checkpoint as janusgrad wrote
it before the layers were restructured (issue 16), and what two more training steps from it
gave. tests/test_checkpoint.py restores it with today's janusgrad and trains on.

Made once with the janusgrad of commit 3cbfd50, from the repository root:

    git worktree add /tmp/old 3cbfd50
    PYTHONPATH=/tmp/old python tests/data/make_old_checkpoint.py
"""
import os
import sys

import numpy as np

import janusgrad as tf

HERE = os.path.dirname(os.path.abspath(__file__))


def model_and_optimizer():
    tf.random.set_seed(3)
    model = tf.keras.Sequential([tf.keras.layers.Dense(4, activation="relu"),
                                 tf.keras.layers.Dense(2)])
    return model, tf.keras.optimizers.Adam(learning_rate=0.05)


def batches():
    rng = np.random.default_rng(5)
    return [(rng.standard_normal((6, 3)).astype(np.float32), rng.integers(0, 2, 6))
            for _ in range(5)]


def train(model, opt, data):
    loss_fn = tf.keras.losses.SparseCategoricalCrossentropy(from_logits=True)
    for x, y in data:
        with tf.GradientTape() as tape:
            loss = loss_fn(y, model(x))
        grads = tape.gradient(loss, model.trainable_variables)
        opt.apply_gradients(zip(grads, model.trainable_variables))


def main():
    model, opt = model_and_optimizer()
    data = batches()
    train(model, opt, data[:3])
    ckpt = tf.train.Checkpoint(model=model, optimizer=opt, step=tf.Variable(np.int64(3)))
    ckpt.write(os.path.join(HERE, "old_checkpoint"))
    train(model, opt, data[3:])
    np.savez(os.path.join(HERE, "old_checkpoint_trained_on.npz"),
             *[v.numpy() for v in model.trainable_variables])
    print("written with", tf.__file__, file=sys.stderr)


if __name__ == "__main__":
    main()
