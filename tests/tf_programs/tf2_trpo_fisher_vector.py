# TRPO's natural-gradient step (TF2, Schulman et al. 2015): the Fisher-vector product as the
# Hessian-vector product of the mean KL between the policy and a frozen copy of itself (gradient,
# dot with a vector, gradient again, with nested tapes), conjugate gradient for the step
# direction, and the step scaled to the KL trust region.
import json

import numpy as np
import tensorflow as tf

rng = np.random.default_rng(28)
STATES = rng.normal(size=(40, 4)).astype(np.float32)
ACTIONS = rng.integers(0, 3, size=40)
ADVANTAGES = rng.normal(size=40).astype(np.float32)
params = [
    tf.Variable(rng.normal(scale=0.5, size=(4, 8)).astype(np.float32)),
    tf.Variable(np.zeros(8, np.float32)),
    tf.Variable(rng.normal(scale=0.5, size=(8, 3)).astype(np.float32)),
]
MAX_KL, DAMPING = 0.01, 0.1


def policy_logits(p):
    return tf.matmul(tf.tanh(tf.matmul(STATES, p[0]) + p[1]), p[2])


def flat(tensors):
    return tf.concat([tf.reshape(t, [-1]) for t in tensors], axis=0)


def unflat(vector):
    out, i = [], 0
    for p in params:
        n = int(np.prod(p.shape))
        out.append(tf.reshape(vector[i : i + n], p.shape))
        i += n
    return out


old_log_probs = tf.nn.log_softmax(policy_logits(params))
old_probs = tf.exp(old_log_probs)


def mean_kl():
    log_probs = tf.nn.log_softmax(policy_logits(params))
    return tf.reduce_mean(
        tf.reduce_sum(
            tf.stop_gradient(old_probs) * (tf.stop_gradient(old_log_probs) - log_probs), axis=1
        )
    )


def fisher_vector_product(vector):
    with tf.GradientTape() as outer:
        with tf.GradientTape() as inner:
            kl = mean_kl()
        kl_grad = flat(inner.gradient(kl, params))
        grad_vector = tf.reduce_sum(kl_grad * vector)
    return flat(outer.gradient(grad_vector, params)) + DAMPING * vector


def conjugate_gradient(b, iterations=10):
    x = tf.zeros_like(b)
    r, p = tf.identity(b), tf.identity(b)
    rr = tf.reduce_sum(r * r)
    for _ in range(iterations):
        Ap = fisher_vector_product(p)
        alpha = rr / tf.reduce_sum(p * Ap)
        x += alpha * p
        r -= alpha * Ap
        new_rr = tf.reduce_sum(r * r)
        p = r + new_rr / rr * p
        rr = new_rr
    return x


with tf.GradientTape() as tape:
    log_probs = tf.nn.log_softmax(policy_logits(params))
    taken = tf.reduce_sum(log_probs * tf.one_hot(ACTIONS, 3), axis=1)
    surrogate = tf.reduce_mean(tf.exp(taken - tf.stop_gradient(taken)) * ADVANTAGES)
policy_gradient = flat(tape.gradient(surrogate, params))
probe = tf.constant(np.linspace(-1.0, 1.0, int(policy_gradient.shape[0])).astype(np.float32))
fvp = fisher_vector_product(probe)
step_direction = conjugate_gradient(policy_gradient)
shs = 0.5 * tf.reduce_sum(step_direction * fisher_vector_product(step_direction))
full_step = step_direction * tf.sqrt(MAX_KL / shs)

print("num_params:", json.dumps(int(policy_gradient.shape[0])))
print("kl_at_start:", json.dumps(float(mean_kl())))
print("surrogate:", json.dumps(float(surrogate)))
print("policy_gradient_norm:", json.dumps(float(tf.norm(policy_gradient))))
print("fvp_probe_head:", json.dumps(fvp[:8].numpy().tolist()))
asymmetry = tf.reduce_sum(policy_gradient * fvp) - tf.reduce_sum(
    probe * fisher_vector_product(policy_gradient)
)
print("fvp_symmetric:", json.dumps(bool(abs(float(asymmetry)) < 1e-5)))
residual = tf.norm(fisher_vector_product(step_direction) - policy_gradient)
print("cg_converged:", json.dumps(bool(float(residual) < 1e-3 * float(tf.norm(policy_gradient)))))
print("shs:", json.dumps(float(shs)))
for p, s in zip(params, unflat(full_step)):
    p.assign_add(s)
print("kl_after_step:", json.dumps(float(mean_kl())))
print("improvement_estimate:", json.dumps(float(tf.reduce_sum(policy_gradient * full_step))))
