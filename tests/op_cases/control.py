"""Cases for the loop, debugging and Python-function ops (control flow, ops/python_ops.py)."""
import numpy as np

import janusgrad as tf

from . import Case

R = np.random.default_rng(7)
X = R.uniform(0.5, 1.5, (2, 3))
W = R.uniform(-1.0, 1.0, (3, 3))


def _power_loop(x):
    # x ** 4 by a loop the checker sees as a While op in graph mode (a Python loop eagerly)
    _, y = tf.while_loop(lambda i, y: i < 3, lambda i, y: (i + 1, y * x), [0, x])
    return y


def _rnn_loop(x, w):
    # a loop variable, a captured tensor (w) and a data-dependent trip count
    def body(i, h):
        return i + 1, tf.tanh(tf.matmul(h, w) + x)
    _, h = tf.while_loop(lambda i, h: i < 3, body, (tf.constant(0), x))
    return h


def _nested_loops(x):
    def outer(i, y):
        _, z = tf.while_loop(lambda j, z: j < 2, lambda j, z: (j + 1, tf.sin(z) * x), [0, y])
        return i + 1, z
    return tf.while_loop(lambda i, y: i < 2, outer, [0, x])[1]


def _loop_inside_function(x):
    @tf.function
    def f(a):
        return tf.while_loop(lambda i, y: i < 3, lambda i, y: (i + 1, y * a + 1.0), [0, a],
                             maximum_iterations=2)[1]
    return f(x)


def _state_get(stack):
    # the backward loop's read of one iteration's state; its gradient scatters into the stack
    from janusgrad.runtime.control_flow import _loop_state_get
    return _loop_state_get(stack, tf.constant(1)) * stack[0]


def _state_get_grad(dy, stack):
    from janusgrad.framework.execute import execute
    out = execute("LoopStateGetGrad", [dy, stack, tf.constant(2)])[0]
    return out * stack


def _noop():
    # a side effect, so that the loop or cond is the stateful op type ("While", "If")
    tf.numpy_function(lambda: np.float32(0.0), [], tf.float32)


def _stateful_loop(x):
    def body(i, y):
        _noop()
        return i + 1, tf.sin(y) * x
    return tf.while_loop(lambda i, y: i < 2, body, [0, x])[1]


def _stateful_cond(x):
    def big():
        _noop()
        return x * x * x
    return tf.cond(tf.reduce_sum(x) > 0.0, big, lambda: tf.exp(x))


def _pure_cond(x, w):
    return tf.cond(tf.reduce_sum(x) > 0.0, lambda: tf.matmul(x, w) * x, lambda: tf.exp(x) * w)


def _py_function(x):
    # differentiated through the op's gradient in graph mode, through the tape eagerly
    return tf.py_function(lambda a: tf.sin(a) * a, [x], x.dtype)


def _map_rows(x, w):
    # sliced elems (x's rows) and a captured tensor used whole (w): stacked and summed gradients
    return tf.map_fn(lambda r: tf.sin(r) * tf.reduce_sum(r * w), x)


def _map_nested(x, y):
    # nested elems and outputs, an output structure other than the elems'
    def fn(t):
        a, b = t
        return {"p": a * b[0], "s": tf.reduce_sum(tf.exp(a) * b)}
    out = tf.map_fn(fn, (x, y), fn_output_signature={"p": x.dtype, "s": x.dtype})
    return out["p"] * out["s"][:, None]


def _vectorized(x, w):
    return tf.vectorized_map(lambda r: tf.tanh(tf.linalg.matvec(w, r)), x)


def _map_in_function(x):
    return tf.function(lambda a: tf.map_fn(lambda r: r * r * r, a))(x)


def _stateful_map(x):
    def fn(r):
        _noop()
        return tf.cos(r) * r
    return tf.map_fn(fn, x)


CASES = {
    "StatelessMapFn": [Case(_map_rows, [X, W[0]]), Case(_map_nested, [X, W[:2, :3]]),
                       Case(_vectorized, [X, W]), Case(_map_in_function, [X])],
    "MapFn": [Case(_stateful_map, [X])],
    "StatelessWhile": [Case(_power_loop, [X]), Case(_rnn_loop, [X[:, :3] * 0.5, W]),
                       Case(_nested_loops, [X]), Case(_loop_inside_function, [X])],
    "While": [Case(_stateful_loop, [X])],
    "StatelessIf": [Case(_pure_cond, [X[:, :2], W[:2, :2]]),
                    Case(_pure_cond, [-X[:, :2], W[:2, :2]])],
    "If": [Case(_stateful_cond, [X]), Case(_stateful_cond, [-X])],
    "LoopStateGet": [Case(_state_get, [R.standard_normal((3, 2))])],
    "LoopStateGetGrad": [Case(_state_get_grad, [R.standard_normal(2), R.standard_normal((3, 2))])],
    "CheckNumerics": [Case(lambda x: tf.debugging.check_numerics(x * x, "x squared") * x, [X])],
    "EagerPyFunc": [Case(_py_function, [X])],
}
