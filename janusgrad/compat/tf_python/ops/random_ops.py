"""tensorflow.python.ops.random_ops (random_uniform & co are TF 1's names)."""
from ....framework.missing import missing_names as _missing_names
from ....ops.random import categorical, shuffle, truncated_normal
from ....ops.random import normal as random_normal
from ....ops.random import shuffle as random_shuffle
from ....ops.random import uniform as random_uniform

__getattr__ = _missing_names(__name__)
