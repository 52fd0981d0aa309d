"""tensorflow.python.util.nest: nested structures (lists, tuples, dicts, namedtuples)."""
from ....framework.missing import missing_names as _missing_names
from ....framework.nest import (assert_same_structure, flatten, flatten_up_to,
                                map_structure, pack_sequence_as)
from ....framework.nest import is_sequence as is_nested

is_sequence = is_nested
__getattr__ = _missing_names(__name__)
