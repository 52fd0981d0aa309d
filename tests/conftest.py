"""Every test starts eager, with a fresh default graph, no tapes and its own gradient names."""
import numpy as np
import pytest

import janusgrad as tf
from janusgrad.framework import context
from janusgrad.framework.registry import GRADIENTS, remove_gradient, set_gradient


@pytest.fixture(autouse=True)
def fresh_state():
    before = dict(GRADIENTS)
    context.enable_eager_execution()
    context.reset_default_graph()
    context.ctx.tapes = []
    tf.random.set_seed(0)
    yield
    context.enable_eager_execution()
    context.reset_default_graph()
    context.ctx.graph_stack.clear()
    context.ctx.tapes = []
    for op_type in set(GRADIENTS) - set(before):       # through the registry: its other
        remove_gradient(op_type)                        # tables follow
    for op_type, fn in before.items():
        if GRADIENTS.get(op_type, remove_gradient) is not fn:
            set_gradient(op_type, fn)


@pytest.fixture
def rng():
    return np.random.default_rng(0)
