"""Summaries (tf.summary, tf.compat.v1.summary) below the public face: `events` writes
TensorBoard event files and encodes Summary protocol buffers through tensorboardX (the
`tensorboard` extra); `ops` holds the summary ops of graphs and tf.functions, and the state of
TF2's default writer, step and record_if.

Without the extra, summaries are dropped with one UserWarning, and everything else runs: the
ops still exist, and a serialized summary is an empty bytes string.
"""
