"""tf.test."""
from .check import compute_gradient  # noqa: F401
