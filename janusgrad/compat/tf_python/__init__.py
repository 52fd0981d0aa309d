"""tensorflow.python: the internal modules real TF programs import (custom gradients, TF 1
code, GPU checks), laid out as TF's tree and holding janusgrad's own objects: each module
re-exports, with TF's names, what janusgrad has of the TF module it stands for.

`python -m janusgrad run` and `janusgrad.stand_in_for_tensorflow()` map `tensorflow.python.X`
here; a name or module janusgrad lacks is a clear error (framework/missing.py).
"""
from ...framework.missing import missing_names as _missing_names

__getattr__ = _missing_names(__name__)
