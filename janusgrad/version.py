"""tf.version: the TensorFlow API version janusgrad follows."""
VERSION = "2.21.0"
GIT_VERSION = "janusgrad"

# -- a name janusgrad lacks is a clear error (issue 18, running TF programs unchanged) --
from .framework.missing import missing_names as _missing_names  # noqa: E402
__getattr__ = _missing_names(__name__)
