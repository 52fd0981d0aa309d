# The TF1 initializers a model zoo uses, through get_variable: constant ones give exact values;
# the random ones (glorot_uniform, truncated_normal, random_uniform, variance_scaling) are
# compared only in what does not depend on TF's random streams: shape, dtype, name, and the
# bounds each distribution guarantees; a seeded initializer gives the same values twice.
import json

import numpy as np
import tensorflow.compat.v1 as tf

tf.disable_eager_execution()

with tf.variable_scope("init", initializer=tf.constant_initializer(0.5)):
    scoped_default = tf.get_variable("scoped_default", [2, 2])
    glorot = tf.get_variable("glorot", [30, 20], initializer=tf.glorot_uniform_initializer())
    trunc = tf.get_variable(
        "trunc", [1000], initializer=tf.truncated_normal_initializer(stddev=0.1)
    )
    uniform = tf.get_variable(
        "uniform", [500], initializer=tf.random_uniform_initializer(-0.2, 0.3)
    )
    vs = tf.get_variable(
        "vs",
        [64, 32],
        initializer=tf.variance_scaling_initializer(
            scale=2.0, mode="fan_in", distribution="uniform"
        ),
    )
    const = tf.get_variable(
        "const", [2, 3], initializer=tf.constant_initializer([[1, 2, 3], [4, 5, 6]])
    )
    zeros = tf.get_variable("zeros", [3], initializer=tf.zeros_initializer())
    ones = tf.get_variable("ones", [2], dtype=tf.float64, initializer=tf.ones_initializer())
    ints = tf.get_variable("ints", [2], dtype=tf.int32, initializer=tf.zeros_initializer())
    seeded_a = tf.get_variable("seeded_a", [5], initializer=tf.random_normal_initializer(seed=7))
    seeded_b = tf.get_variable("seeded_b", [5], initializer=tf.random_normal_initializer(seed=7))
legacy = tf.Variable(tf.random_uniform([3, 3], -1.0, 1.0, seed=3), name="legacy")
normal = tf.Variable(tf.random_normal([2000], mean=1.0, stddev=0.5), name="normal")
trunc_t = tf.truncated_normal([4, 4], stddev=2.0)

print("names:", json.dumps([v.name for v in tf.global_variables()]))
print("dtypes:", json.dumps([v.dtype.base_dtype.name for v in tf.global_variables()]))
print("shapes:", json.dumps([v.shape.as_list() for v in tf.global_variables()]))
with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    values = dict(
        zip(
            [
                "scoped_default",
                "glorot",
                "trunc",
                "uniform",
                "vs",
                "const",
                "zeros",
                "ones",
                "ints",
                "seeded_a",
                "seeded_b",
                "legacy",
                "normal",
            ],
            sess.run(tf.global_variables()),
        )
    )
    print("scoped_default:", json.dumps(values["scoped_default"].tolist()))
    print("const:", json.dumps(values["const"].tolist()))
    print("zeros_ones_ints:", json.dumps([values[k].tolist() for k in ("zeros", "ones", "ints")]))
    glorot_limit = np.sqrt(6.0 / (30 + 20))
    print("glorot_in_limit:", json.dumps(bool(np.abs(values["glorot"]).max() <= glorot_limit)))
    print("glorot_spread:", json.dumps(bool(np.abs(values["glorot"]).max() > 0.8 * glorot_limit)))
    print("trunc_within_2_std:", json.dumps(bool(np.abs(values["trunc"]).max() <= 0.2)))
    print(
        "uniform_in_range:",
        json.dumps(bool(values["uniform"].min() >= -0.2 and values["uniform"].max() < 0.3)),
    )
    print("vs_in_limit:", json.dumps(bool(np.abs(values["vs"]).max() <= np.sqrt(3 * 2.0 / 64))))
    print("seeded_equal:", json.dumps(bool(np.array_equal(values["seeded_a"], values["seeded_b"]))))
    print("legacy_in_range:", json.dumps(bool(np.abs(values["legacy"]).max() <= 1.0)))
    print("normal_mean_near_1:", json.dumps(bool(abs(values["normal"].mean() - 1.0) < 0.05)))
    t = sess.run(trunc_t)
    print("trunc_tensor_bound:", json.dumps(bool(np.abs(t).max() <= 4.0)))
    print("fresh_draws_differ:", json.dumps(bool(not np.array_equal(t, sess.run(trunc_t)))))
