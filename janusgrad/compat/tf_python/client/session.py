"""tensorflow.python.client.session."""
from ....framework.missing import missing_names as _missing_names
from ....runtime.session import InteractiveSession, Session

__getattr__ = _missing_names(__name__)
