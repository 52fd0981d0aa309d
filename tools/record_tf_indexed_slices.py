"""Records TF 2.21's numbers for IndexedSlices (issue 19) into
tests/tf_indexed_slices_recorded.json: the gradient of an embedding lookup with a repeated index,
clip_by_norm / clip_by_global_norm of it, and two steps of each tf.compat.v1 and Keras 3
optimizer applying it. Run with TF's interpreter:
    ~/tfenv/bin/python tools/record_tf_indexed_slices.py
"""
import json
import os

import numpy as np
import tensorflow as tf

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "..", "tests", "tf_indexed_slices_recorded.json")

TABLE = np.arange(12, dtype=np.float32).reshape(6, 2) / 10.0 - 0.5
IDS = [[1, 4], [1, 1]]                  # row 1 three times, row 4 once, other rows never
# the optimizers' two steps look up different rows: a row the second step does not touch shows
# whether its slots and value move anyway (dense) or not (sparse)
STEP_IDS = [IDS, [[2, 4], [0, 2]]]
W = np.array([[1.0, -2.0], [0.5, 3.0]], np.float32)     # per-lookup weights: distinct slices


def loss_of(table, ids=IDS):
    rows = tf.nn.embedding_lookup(table, ids)         # (2, 2, 2)
    return tf.reduce_sum(tf.square(rows) * W)


def sparse_grad(var, ids=IDS):
    with tf.GradientTape() as tape:
        loss = loss_of(var, ids)
    return tape.gradient(loss, var)


def ls(t):
    return np.asarray(t).tolist()


def main():
    out = {"table": ls(TABLE), "ids": IDS, "step_ids": STEP_IDS, "w": ls(W)}
    v = tf.Variable(TABLE)
    g = sparse_grad(v)
    assert isinstance(g, tf.IndexedSlices)
    out["grad"] = {"values": ls(g.values), "indices": ls(g.indices),
                   "dense_shape": ls(g.dense_shape), "dense": ls(tf.convert_to_tensor(g))}
    c = tf.clip_by_norm(g, 1.0)
    out["clip_by_norm"] = {"values": ls(c.values), "indices": ls(c.indices),
                           "type": type(c).__name__}
    dense = tf.constant([3.0, 4.0])
    (cg, cd), norm = tf.clip_by_global_norm([g, dense], 2.0)
    out["clip_by_global_norm"] = {"values": ls(cg.values), "indices": ls(cg.indices),
                                  "dense": ls(cd), "norm": float(norm),
                                  "type": type(cg).__name__}
    v1 = tf.compat.v1.train
    tf1 = {"GradientDescent": lambda: v1.GradientDescentOptimizer(0.1),
           "Momentum": lambda: v1.MomentumOptimizer(0.1, 0.9),
           "MomentumNesterov": lambda: v1.MomentumOptimizer(0.1, 0.9, use_nesterov=True),
           "Adam": lambda: v1.AdamOptimizer(0.1),
           "RMSProp": lambda: v1.RMSPropOptimizer(0.1),
           "RMSPropMomentum": lambda: v1.RMSPropOptimizer(0.1, momentum=0.5),
           "RMSPropCentered": lambda: v1.RMSPropOptimizer(0.1, momentum=0.5, centered=True),
           "Adagrad": lambda: v1.AdagradOptimizer(0.1),
           "Adadelta": lambda: v1.AdadeltaOptimizer(1.0),
           "ProximalGradientDescent": lambda: v1.ProximalGradientDescentOptimizer(
               0.1, l1_regularization_strength=0.01, l2_regularization_strength=0.1)}
    out["tf1"] = {}
    for name, make in tf1.items():
        opt, var = make(), tf.Variable(TABLE)
        for ids in STEP_IDS:
            opt.apply_gradients([(sparse_grad(var, ids), var)])
        out["tf1"][name] = ls(var)
    keras = {"SGD": lambda: tf.keras.optimizers.SGD(0.1),
             "SGDMomentum": lambda: tf.keras.optimizers.SGD(0.1, momentum=0.9),
             "SGDNesterov": lambda: tf.keras.optimizers.SGD(0.1, momentum=0.9, nesterov=True),
             "Adam": lambda: tf.keras.optimizers.Adam(0.1)}
    out["keras"] = {}
    for name, make in keras.items():
        opt, var = make(), tf.Variable(TABLE)
        for ids in STEP_IDS:
            opt.apply_gradients([(sparse_grad(var, ids), var)])
        out["keras"][name] = ls(var)
    with open(OUT, "w") as f:
        json.dump(out, f, indent=1)
        f.write("\n")
    print("wrote", OUT)


if __name__ == "__main__":
    main()
