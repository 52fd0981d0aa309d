"""tf.dtypes."""
from .framework.dtypes import (DType, as_dtype, bool, complex64, complex128, double,  # noqa: F401,A004
                               float16, float32, float64, half, int8, int16, int32, int64,
                               resource, string, uint8, uint16, uint32, uint64)
from .ops.math import cast  # noqa: F401

# -- a name janusgrad lacks is a clear error (issue 18, running TF programs unchanged) --
from .framework.missing import missing_names as _missing_names  # noqa: E402
__getattr__ = _missing_names(__name__)
