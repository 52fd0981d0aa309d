"""The thread-local context: mode, default-graph stack, active tapes and default sessions.

Eager or graph is decided per call: a thread that has a graph on its stack (`g.as_default()`,
tracing a `tf.function`) builds graph ops; otherwise the process-wide mode set by
`enable/disable_eager_execution` decides, as in TensorFlow.
"""
import contextlib
import threading


class _Context(threading.local):
    def __init__(self):
        self.graph_stack = []     # graphs made default by as_default() / tracing, innermost last
        self.tapes = []           # recording GradientTapes, innermost last
        self.var_watchers = []    # lists collecting variables read (custom_gradient, tapes)
        self.force_eager = False  # inside eager_mode(): eager even in graph mode
        self.sessions = []        # default Sessions (`with sess:`, as_default()), innermost last


ctx = _Context()
process_state = {"eager": True, "default_graph": None}
_lock = threading.Lock()


def executing_eagerly():
    """Whether ops run at once (True outside graphs and `tf.function` traces)."""
    return current_graph() is None


def current_graph():
    """The graph new ops go into, or None when executing eagerly."""
    stack = ctx.graph_stack
    if stack:
        return stack[-1]
    if process_state["eager"] or ctx.force_eager:
        return None
    return get_default_graph()


def executing_eagerly_outside_functions():
    """True when the program runs eagerly, even while a tf.function is being traced."""
    for g in ctx.graph_stack:
        if not getattr(g, "is_function", False):
            return False
    return process_state["eager"] or ctx.force_eager


def enable_eager_execution(config=None, device_policy=None, execution_mode=None):
    """Execute ops eagerly again (TF2's default); TF1's arguments are accepted."""
    process_state["eager"] = True


def disable_eager_execution():
    """TF1: build graphs by default (placeholders, `tf.gradients`, `Session.run`) instead of
    executing eagerly."""
    process_state["eager"] = False


def get_default_graph():
    """The innermost graph made default in this thread, else the process-wide default graph."""
    if ctx.graph_stack:
        return ctx.graph_stack[-1]
    g = process_state["default_graph"]
    if g is None:
        with _lock:
            if process_state["default_graph"] is None:
                from .graph import Graph
                process_state["default_graph"] = Graph()
            g = process_state["default_graph"]
    return g


def reset_default_graph():
    """TF1: replace the default graph with a new, empty one (AssertionError inside a nested graph).
    """
    if ctx.graph_stack:
        raise AssertionError("Do not use tf.reset_default_graph() to clear nested graphs. If you "
                             "need a cleared graph, exit the nesting and create a new graph.")
    from .graph import Graph
    process_state["default_graph"] = Graph()


@contextlib.contextmanager
def graph_as_default(graph):
    ctx.graph_stack.append(graph)
    try:
        yield graph
    finally:
        ctx.graph_stack.pop()


@contextlib.contextmanager
def tapes_paused():
    """No tape records inside this block (custom_gradient runs its forward like this)."""
    saved, ctx.tapes = ctx.tapes, []
    try:
        yield
    finally:
        ctx.tapes = saved


@contextlib.contextmanager
def eager_mode():
    """Execute eagerly in this thread inside the block, whatever the mode and the graph stack
    (a py_function's Python body runs like this when its graph runs)."""
    saved_stack, saved_force = ctx.graph_stack, ctx.force_eager
    ctx.graph_stack, ctx.force_eager = [], True
    try:
        yield
    finally:
        ctx.graph_stack, ctx.force_eager = saved_stack, saved_force


@contextlib.contextmanager
def init_scope():
    """Leave any function being traced: variables made inside a tf.function live outside it."""
    stack = ctx.graph_stack
    keep = 0
    for i, g in enumerate(stack):
        if getattr(g, "is_function", False):
            break
        keep = i + 1
    saved = stack[keep:]
    del stack[keep:]
    saved_tapes, ctx.tapes = ctx.tapes, []
    try:
        yield
    finally:
        stack.extend(saved)
        ctx.tapes = saved_tapes


# -- default sessions (runtime/session.py pushes them; `eval` and `run` here read them) --------

def get_default_session():
    """The innermost default Session of this thread (tf.compat.v1.get_default_session)."""
    sessions = ctx.sessions
    return sessions[-1] if sessions else None


def default_session_for(graph, session):
    """The session that evaluates a tensor or runs an op of `graph`: `session`, else the
    default one, which must run that graph."""
    session = session or get_default_session()
    if session is None:
        raise ValueError("Cannot evaluate tensor using `eval()`: No default session is "
                         "registered. Use `with sess.as_default()` or pass an explicit session "
                         "to `eval(session=sess)`")
    if session.graph is not graph:
        raise ValueError("Cannot use the given session to evaluate tensor: the tensor's graph is "
                         "different from the session's graph.")
    return session
