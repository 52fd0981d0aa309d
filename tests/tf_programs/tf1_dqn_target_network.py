# The DQN update (TF1): online and target Q-networks in two variable scopes, a target-update op
# built from get_collection(TRAINABLE_VARIABLES, scope=...) and tf.assign, stop_gradient on the
# bootstrap target, tf.losses.huber_loss, RMSProp with compute_gradients and clip_by_norm.
import json

import numpy as np
import tensorflow.compat.v1 as tf

tf.disable_eager_execution()

rng = np.random.RandomState(17)
N_STATE, N_ACTION, GAMMA = 4, 3, 0.9
WEIGHTS = {"w1": 0.5 * rng.randn(N_STATE, 8), "w2": 0.5 * rng.randn(8, N_ACTION)}
S = rng.randn(32, N_STATE).astype(np.float32)
A = rng.randint(0, N_ACTION, 32).astype(np.int32)
R = rng.randn(32).astype(np.float32)
S2 = rng.randn(32, N_STATE).astype(np.float32)
DONE = (rng.rand(32) < 0.2).astype(np.float32)


def q_network(state, scope):
    with tf.variable_scope(scope):
        w1 = tf.get_variable("w1", initializer=WEIGHTS["w1"].astype(np.float32))
        w2 = tf.get_variable("w2", initializer=WEIGHTS["w2"].astype(np.float32))
        return tf.matmul(tf.nn.relu(tf.matmul(state, w1)), w2)


state = tf.placeholder(tf.float32, [None, N_STATE], name="state")
action = tf.placeholder(tf.int32, [None], name="action")
reward = tf.placeholder(tf.float32, [None], name="reward")
next_state = tf.placeholder(tf.float32, [None, N_STATE], name="next_state")
done = tf.placeholder(tf.float32, [None], name="done")

q = q_network(state, "online")
q_next = q_network(next_state, "target")
q_taken = tf.reduce_sum(q * tf.one_hot(action, N_ACTION), axis=1)
target = tf.stop_gradient(reward + GAMMA * (1.0 - done) * tf.reduce_max(q_next, axis=1))
loss = tf.losses.huber_loss(target, q_taken)

online_vars = tf.get_collection(tf.GraphKeys.TRAINABLE_VARIABLES, scope="online")
target_vars = tf.get_collection(tf.GraphKeys.TRAINABLE_VARIABLES, scope="target")
update_target = tf.group(*[tf.assign(t, o) for o, t in zip(online_vars, target_vars)])
optimizer = tf.train.RMSPropOptimizer(learning_rate=0.01, decay=0.95, epsilon=0.01)
grads_and_vars = optimizer.compute_gradients(loss, var_list=online_vars)
clipped = [(tf.clip_by_norm(g, 1.0), v) for g, v in grads_and_vars]
train_op = optimizer.apply_gradients(clipped)

print("online_vars:", json.dumps([v.name for v in online_vars]))
print("target_vars:", json.dumps([v.name for v in target_vars]))
feed = {state: S, action: A, reward: R, next_state: S2, done: DONE}
with tf.Session() as sess:
    sess.run(tf.global_variables_initializer())
    sess.run(update_target)
    losses = []
    for step in range(30):
        if step % 10 == 0:
            sess.run(update_target)
        losses.append(float(sess.run([train_op, loss], feed)[1]))
    print("losses:", json.dumps(losses))
    print(
        "grad_norms:",
        json.dumps(
            [float(np.linalg.norm(g)) for g in sess.run([g for g, _ in grads_and_vars], feed)]
        ),
    )
    print(
        "target_lags_online:",
        json.dumps(float(np.abs(sess.run(online_vars[1]) - sess.run(target_vars[1])).max())),
    )
    print("greedy_actions:", json.dumps(sess.run(tf.argmax(q, axis=1), {state: S[:8]}).tolist()))
