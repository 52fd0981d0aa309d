"""Exit status and tracebacks: as `python exits.py MODE` would end."""
import sys

import tensorflow as tf


def fail(message):
    raise ValueError(message)


mode = sys.argv[1] if len(sys.argv) > 1 else "ok"
print("started:", tf.constant(2.0).numpy())
if mode == "exit":
    sys.exit(int(sys.argv[2]))
if mode == "message":
    sys.exit("stopping here")
if mode == "raise":
    fail("raised by the program")
if mode == "interrupt":
    raise KeyboardInterrupt
if mode == "missing":
    tf.nn.rellu(tf.constant(1.0))
if mode == "missing_module":
    from tensorflow.python.ops import foo_ops  # noqa: F401
print("done: true")
