"""tensorflow.python.training.saver."""
from ....framework.missing import missing_names as _missing_names
from ....train.saver import Saver, checkpoint_exists, get_checkpoint_state  # noqa: F401
from ....train.checkpoint_files import latest_checkpoint  # noqa: F401

__getattr__ = _missing_names(__name__)
