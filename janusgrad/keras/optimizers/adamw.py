"""keras.optimizers.AdamW (issue 18): Adam plus decoupled weight decay, as Keras 3's (the base
optimizer's var -= var * weight_decay * lr before each Adam update)."""
from . import Adam


class AdamW(Adam):
    """Keras 3's Adam with decoupled weight decay: var -= lr * weight_decay * var, then Adam's
    step."""
    def __init__(self, learning_rate=0.001, weight_decay=0.004, beta_1=0.9, beta_2=0.999,
                 epsilon=1e-7, amsgrad=False, clipnorm=None, clipvalue=None,
                 global_clipnorm=None, name="adam_w", **kwargs):
        super().__init__(learning_rate, beta_1, beta_2, epsilon, amsgrad, weight_decay,
                         clipnorm, clipvalue, global_clipnorm, name, **kwargs)
        if self.weight_decay is None:
            raise ValueError("Argument `weight_decay` must be a float. Received: "
                             "weight_decay=None")
