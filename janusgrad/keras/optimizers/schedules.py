"""tf.keras.optimizers.schedules: learning rates that depend on the step."""
from ...framework.tensor import convert_to_tensor
from ...ops.math import cast, floor, pow as pow_


class LearningRateSchedule:
    """Base class: `schedule(step)` -> the learning rate at that step."""

    def __call__(self, step):
        raise NotImplementedError


class ExponentialDecay(LearningRateSchedule):
    """initial_learning_rate * decay_rate ^ (step / decay_steps) (floored if staircase)."""

    def __init__(self, initial_learning_rate, decay_steps, decay_rate, staircase=False,
                 name="ExponentialDecay"):
        if decay_steps <= 0:
            raise ValueError(f"Argument `decay_steps` must be > 0. Received: "
                             f"decay_steps={decay_steps}")
        self.initial_learning_rate = initial_learning_rate
        self.decay_steps = decay_steps
        self.decay_rate = decay_rate
        self.staircase = staircase
        self.name = name

    def __call__(self, step):
        lr = convert_to_tensor(self.initial_learning_rate)
        p = cast(convert_to_tensor(step), lr.dtype) / cast(self.decay_steps, lr.dtype)
        if self.staircase:
            p = floor(p)
        return lr * pow_(cast(self.decay_rate, lr.dtype), p)

# -- a name janusgrad lacks is a clear error (issue 18, running TF programs unchanged) --
from ...framework.missing import missing_names as _missing_names  # noqa: E402
__getattr__ = _missing_names(__name__)
