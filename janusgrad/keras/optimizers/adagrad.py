"""keras.optimizers.Adagrad (issue 18), Keras 3's formula:
accumulator += g^2; var -= lr g / sqrt(accumulator + epsilon)."""
import numpy as np

from ...ops.math import sqrt, square
from . import Optimizer, hyper


class Adagrad(Optimizer):
    """Keras 3's Adagrad: accumulator += g ** 2; var -= lr * g / sqrt(accumulator + epsilon)."""
    def __init__(self, learning_rate=0.001, initial_accumulator_value=0.1, epsilon=1e-7,
                 weight_decay=None, clipnorm=None, clipvalue=None, global_clipnorm=None,
                 name="adagrad", **kwargs):
        super().__init__(learning_rate, weight_decay, clipnorm, clipvalue, global_clipnorm,
                         name, **kwargs)
        self.initial_accumulator_value = initial_accumulator_value
        self.epsilon = epsilon

    def build(self, var_list):
        for v in var_list:
            start = np.full(v.shape.as_list(), self.initial_accumulator_value,
                            v.dtype.as_numpy_dtype)
            self._slots.make(v, "accumulator", initial=start, dtype=v.dtype)

    def update_step(self, gradient, variable, learning_rate):
        dtype = variable.dtype
        lr = hyper(learning_rate, dtype)
        gradient = hyper(gradient, dtype)
        acc = self._slots.get(variable, "accumulator")
        acc_t = acc.assign_add(square(gradient))
        step = lr * gradient / sqrt(acc_t + hyper(self.epsilon, dtype))
        return variable.assign_sub(step, read_value=False)
