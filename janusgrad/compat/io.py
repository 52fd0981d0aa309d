"""tf.io: gfile (janusgrad has no other tf.io name yet)."""
from ..framework.missing import missing_names as _missing_names
from . import gfile  # noqa: F401

__getattr__ = _missing_names(__name__, "tf.io")
