# PCGrad gradient surgery for multi-task learning (TF2, Yu et al. 2020): per-task gradients from a
# persistent tape, flattened and projected onto the normal plane of any conflicting task's
# gradient (in a fixed task order), summed and applied with SGD to a shared-trunk model.
import json

import numpy as np
import tensorflow as tf

rng = np.random.default_rng(26)
X = rng.normal(size=(48, 5)).astype(np.float32)
Y1 = (X @ rng.normal(size=(5, 1))).astype(np.float32)
Y2 = (-(X @ rng.normal(size=(5, 1))) + 0.5).astype(np.float32)
Y3 = (np.abs(X[:, :1]) - 0.5).astype(np.float32)

trunk = [
    tf.Variable(rng.normal(scale=0.4, size=(5, 12)).astype(np.float32), name="trunk_w"),
    tf.Variable(np.zeros(12, np.float32), name="trunk_b"),
]
heads = [
    tf.Variable(rng.normal(scale=0.4, size=(12, 1)).astype(np.float32), name=f"head{i}")
    for i in range(3)
]
variables = trunk + heads
optimizer = tf.keras.optimizers.SGD(learning_rate=0.05)


def task_losses():
    h = tf.nn.elu(tf.matmul(X, trunk[0]) + trunk[1])
    return [
        tf.reduce_mean(tf.square(tf.matmul(h, head) - y)) for head, y in zip(heads, (Y1, Y2, Y3))
    ]


def flatten(grads):
    return tf.concat(
        [tf.reshape(tf.zeros_like(v) if g is None else g, [-1]) for g, v in zip(grads, variables)],
        axis=0,
    )


def unflatten(flat):
    out, start = [], 0
    for v in variables:
        size = int(np.prod(v.shape))
        out.append(tf.reshape(flat[start : start + size], v.shape))
        start += size
    return out


def pcgrad_step():
    with tf.GradientTape(persistent=True) as tape:
        losses = task_losses()
    task_grads = [flatten(tape.gradient(loss, variables)) for loss in losses]
    del tape
    projected, conflicts = [], 0
    for i, g_i in enumerate(task_grads):
        g = g_i
        for j, g_j in enumerate(task_grads):
            if i == j:
                continue
            dot = tf.reduce_sum(g * g_j)
            if dot < 0:
                conflicts += 1
                g = g - dot / tf.reduce_sum(g_j * g_j) * g_j
        projected.append(g)
    merged = tf.add_n(projected)
    optimizer.apply_gradients(zip(unflatten(merged), variables))
    cosines = [
        float(
            tf.reduce_sum(task_grads[a] * task_grads[b])
            / (tf.norm(task_grads[a]) * tf.norm(task_grads[b]))
        )
        for a, b in ((0, 1), (0, 2), (1, 2))
    ]
    return [float(loss) for loss in losses], conflicts, cosines


history = [pcgrad_step() for _ in range(12)]
print("task_losses:", json.dumps([h[0] for h in history]))
print("conflicts:", json.dumps([h[1] for h in history]))
print("cosines_first_step:", json.dumps(history[0][2]))
with tf.GradientTape() as tape:
    first_task_loss = task_losses()[0]
print(
    "unconnected_are_none:",
    json.dumps([g is None for g in tape.gradient(first_task_loss, variables)]),
)
print("trunk_b:", json.dumps(trunk[1].numpy().tolist()))
