"""tensorflow.python.framework.dtypes."""
from ....framework.dtypes import (DType, as_dtype, bool, complex64, complex128,  # noqa: F401,A004
                                  double, float16, float32, float64, half, int8, int16, int32,
                                  int64, resource, string, uint8, uint16, uint32, uint64, variant)
from ....framework.missing import missing_names as _missing_names

__getattr__ = _missing_names(__name__)
