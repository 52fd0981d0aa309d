"""tensorflow.python.platform: tf_logging, gfile, app, flags."""
from ....framework.missing import missing_names as _missing_names
from ... import app, flags, gfile  # noqa: F401
from ... import tf_logging  # noqa: F401

__getattr__ = _missing_names(__name__)
