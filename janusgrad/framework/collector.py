"""`paused()`: Python's cycle collector held off while janusgrad builds a large structure.

tf.gradients adds a few graph nodes per forward op, and a Session compiles its plan over all of
them: thousands of new objects that stay alive. The collector runs whenever enough objects have
been made, and its full collections walk every live object, so on a growing graph their cost
grows with the square of its size (about 20% of tf.gradients plus the first run at 8,000 ops).
Nothing made there is cyclic garbage to find, so the collector waits until the structure is
built and runs as usual afterwards.
"""
import contextlib
import gc


@contextlib.contextmanager
def paused():
    if not gc.isenabled():          # the user's setting (or an enclosing pause): leave it
        yield
        return
    gc.disable()
    try:
        yield
    finally:
        gc.enable()
