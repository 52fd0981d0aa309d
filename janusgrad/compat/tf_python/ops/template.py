"""tensorflow.python.ops.template."""
from ....framework.missing import missing_names as _missing_names
from ...template import make_template  # noqa: F401

__getattr__ = _missing_names(__name__)
