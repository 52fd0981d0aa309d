"""Keras's warning for the variables an apply_gradients call got no gradient for."""
import warnings


def warn_missing_gradients(pairs):
    """Warn, as Keras 3 does, naming the variables of `pairs` ((gradient, variable)) whose
    gradient is None: their path where they have one (Keras variables), else their name."""
    missing = [getattr(v, "path", None) or v.name for g, v in pairs if g is None]
    if missing:
        warnings.warn(f"Gradients do not exist for variables {missing} when minimizing the "
                      "loss. If using `model.compile()`, did you forget to provide a `loss` "
                      "argument?", UserWarning, stacklevel=3)
