"""Where the user's code made each op of a tf.function, so that an op failing when the function
runs is reported as TF reports it ("Graph execution error: Detected at node Reshape defined at
(most recent call last): File "prog.py", line 5, in f ...") rather than at janusgrad's plan.
The sites are taken as ops are added to a traced graph: tracing pays, the eager path never does.
"""
import linecache
import os
import sys

from ..framework.graph import FuncGraph

# frames of janusgrad itself and of the interpreter's frozen modules (runpy, for
# `python -m janusgrad run`) are not the user's
_OWN = os.path.dirname(os.path.dirname(os.path.abspath(__file__))) + os.sep


class TracedGraph(FuncGraph):
    """The graph of a tf.function: a FuncGraph that keeps, per op, the user's frames that made
    it. The frames outside the trace are the same for all its ops: they are taken once, and
    each op walks only the frames inside the trace (the user's function and what it calls)."""

    def __init__(self, name, outer=None):
        super().__init__(name, outer)
        tracer = sys._getframe(1)               # the frame tracing the function
        self._tracer = tracer.f_code
        self._outside = _user_frames(tracer.f_back, None)[0]
        self.sites = {}

    def add_op(self, op_type, inputs, attrs, specs, name=None, grad_fn=None):
        op = super().add_op(op_type, inputs, attrs, specs, name, grad_fn)
        self.sites[op._id] = _user_frames(sys._getframe(1), self._tracer)
        return op

    def site(self, op):
        """The user's frames that made `op`, outermost first, as (file, line, function)."""
        frames, inside = self.sites[op._id]
        if inside:                              # made while tracing: the trace's caller's too
            frames = frames + self._outside
        return [(code.co_filename, _line(code, offset), code.co_name)
                for code, offset in reversed(frames)]


def _user_frames(frame, stop):
    """The user's frames from `frame` out to the first running the code `stop` (all of them if
    none does), innermost first, as (code, instruction offset): the line is looked up only for
    an error's message. Returned with whether `stop` was reached."""
    frames = []
    while frame is not None:
        code = frame.f_code
        if code is stop:
            return frames, True
        filename = code.co_filename
        user = _IS_USER.get(filename)
        if user is None:
            user = _IS_USER[filename] = not filename.startswith((_OWN, "<frozen "))
        if user:
            frames.append((code, frame.f_lasti))
        frame = frame.f_back
    return frames, False


_IS_USER = {}       # file name -> whether its frames are the user's


def _line(code, offset):
    for start, end, line in code.co_lines():
        if start <= offset < end:
            return line
    return code.co_firstlineno


def located(graph, e):
    """The error `e` of running `graph`'s plan, of the same class, told where the failing op was
    made (TF's "Graph execution error"); None where janusgrad cannot tell (an op without a
    site, an error already located by a function nested in this one)."""
    if getattr(e, "located", False):
        return None
    op = getattr(e, "failed_node", None)
    sites = getattr(graph, "sites", None)
    if op is None or sites is None or op.graph is not graph or op._id not in sites:
        return None
    lines = ["Graph execution error:", "",
             f"Detected at node {op.name} defined at (most recent call last):"]
    for filename, lineno, name in graph.site(op):
        lines.append(f'  File "{filename}", line {lineno}, in {name}')
        source = linecache.getline(filename, lineno).strip()
        if source:
            lines.append(f"    {source}")
    lines += ["", str(e), f"\t [[{{{{node {op.name}}}}}]] [tf.function {graph.name!r}]"]
    try:
        error = type(e)("\n".join(lines))
    except TypeError:               # a class that wants other arguments: keep it as it is
        return None
    error.located = True
    error.failed_node = op
    error.at_node = lambda _op, _args: error     # the calls around it pass it on as it is
    return error
