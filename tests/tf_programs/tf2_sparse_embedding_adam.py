# Bag-of-embeddings classifier (TF2): the embedding table's gradient is a tf.IndexedSlices (one
# row per word looked up, repeated words not summed), clipped by global norm together with the
# dense gradients and applied with Keras Adam, eagerly and then inside a tf.function.
import json

import numpy as np
import tensorflow as tf

rng = np.random.default_rng(7)
VOCAB, DIM = 20, 4
docs = rng.integers(0, VOCAB, size=(16, 6)).astype(np.int32)     # words repeat within a doc
labels = (docs.sum(axis=1) % 2).astype(np.float32)[:, None]
emb = tf.Variable(rng.normal(scale=0.3, size=(VOCAB, DIM)).astype(np.float32), name="emb")
w = tf.Variable(rng.normal(scale=0.3, size=(DIM, 1)).astype(np.float32), name="w")
opt = tf.keras.optimizers.Adam(learning_rate=0.05)


def step(batch, y):
    with tf.GradientTape() as tape:
        h = tf.reduce_mean(tf.nn.embedding_lookup(emb, batch), axis=1)
        logits = tf.matmul(h, w)
        loss = tf.reduce_mean(tf.nn.sigmoid_cross_entropy_with_logits(labels=y, logits=logits))
    grads = tape.gradient(loss, [emb, w])
    clipped, norm = tf.clip_by_global_norm(grads, 0.5)
    opt.apply_gradients(zip(clipped, [emb, w]))
    return loss, grads[0], norm


graph_step = tf.function(step)

losses, norms = [], []
for i in range(8):
    batch, y = docs[(i % 4) * 4:(i % 4) * 4 + 4], labels[(i % 4) * 4:(i % 4) * 4 + 4]
    loss, g, norm = (step if i < 4 else graph_step)(tf.constant(batch), tf.constant(y))
    losses.append(float(loss))
    norms.append(float(norm))
    if i == 0:
        print("grad_type:", json.dumps(type(g).__name__))
        print("is_tensor:", json.dumps(isinstance(g, tf.Tensor)))
        print("grad_indices:", json.dumps(g.indices.numpy().tolist()))
        print("grad_dense_shape:", json.dumps(g.dense_shape.numpy().tolist()))
        print("grad_dense_row_sums:", json.dumps(tf.reduce_sum(tf.convert_to_tensor(g),
                                                               axis=1).numpy().tolist()))
    if i == 4:
        print("graph_grad_type:", json.dumps(type(g).__name__))

print("losses:", json.dumps(losses))
print("norms:", json.dumps(norms))
print("emb:", json.dumps(emb.numpy().tolist()))
print("w:", json.dumps(w.numpy().tolist()))
