# WGAN-GP critic and generator updates (TF2, Gulrajani et al. 2017): the gradient penalty is the
# norm of the critic's input gradient at random interpolates, taken with an inner tape, and the
# critic update differentiates it again (second order) with the outer tape; Adam(0.5, 0.9).
import json

import numpy as np
import tensorflow as tf

rng = np.random.default_rng(23)
real = (rng.normal(size=(64, 2)) * [0.5, 0.2] + [2.0, -1.0]).astype(np.float32)
Z = rng.normal(size=(5, 64, 3)).astype(np.float32)
EPS = rng.random((5, 64, 1)).astype(np.float32)


def dense(units, activation=None, seed_shape=None):
    return tf.keras.layers.Dense(
        units,
        activation=activation,
        kernel_initializer=tf.keras.initializers.Constant(
            rng.normal(scale=0.5, size=seed_shape).astype(np.float32)
        ),
    )


generator = tf.keras.Sequential(
    [tf.keras.Input(shape=(3,)), dense(16, "tanh", (3, 16)), dense(2, None, (16, 2))]
)
critic = tf.keras.Sequential(
    [tf.keras.Input(shape=(2,)), dense(16, "tanh", (2, 16)), dense(1, None, (16, 1))]
)
g_opt = tf.keras.optimizers.Adam(1e-3, beta_1=0.5, beta_2=0.9)
d_opt = tf.keras.optimizers.Adam(1e-3, beta_1=0.5, beta_2=0.9)
LAMBDA = 10.0


def gradient_penalty(real_batch, fake_batch, eps):
    interpolates = eps * real_batch + (1.0 - eps) * fake_batch
    with tf.GradientTape() as gp_tape:
        gp_tape.watch(interpolates)
        critic_interp = critic(interpolates)
    grads = gp_tape.gradient(critic_interp, interpolates)
    slopes = tf.sqrt(tf.reduce_sum(tf.square(grads), axis=1) + 1e-12)
    return tf.reduce_mean((slopes - 1.0) ** 2)


@tf.function
def critic_step(real_batch, z, eps):
    fake = generator(z)
    with tf.GradientTape() as tape:
        w_dist = tf.reduce_mean(critic(real_batch)) - tf.reduce_mean(critic(fake))
        gp = gradient_penalty(real_batch, fake, eps)
        d_loss = -w_dist + LAMBDA * gp
    grads = tape.gradient(d_loss, critic.trainable_variables)
    d_opt.apply_gradients(zip(grads, critic.trainable_variables))
    return d_loss, gp, tf.linalg.global_norm(grads)


@tf.function
def generator_step(z):
    with tf.GradientTape() as tape:
        g_loss = -tf.reduce_mean(critic(generator(z)))
    grads = tape.gradient(g_loss, generator.trainable_variables)
    g_opt.apply_gradients(zip(grads, generator.trainable_variables))
    return g_loss


# the penalty's gradient w.r.t. the critic's first kernel, before any update
with tf.GradientTape() as tape:
    gp0 = gradient_penalty(real, generator(Z[0]), EPS[0])
print("initial_gp:", json.dumps(float(gp0)))
print(
    "gp_grad_kernel0:",
    json.dumps(tape.gradient(gp0, critic.trainable_variables[0]).numpy()[:, :4].tolist()),
)

history = []
for step in range(5):
    d_loss, gp, gnorm = critic_step(real, Z[step], EPS[step])
    g_loss = generator_step(Z[(step + 1) % 5])
    history.append([float(d_loss), float(gp), float(gnorm), float(g_loss)])
print("history:", json.dumps(history))
print("critic_hidden_bias:", json.dumps(critic.layers[0].bias.numpy().tolist()))
print("generated_mean:", json.dumps(tf.reduce_mean(generator(Z[0]), axis=0).numpy().tolist()))
