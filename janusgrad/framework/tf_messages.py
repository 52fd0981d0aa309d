"""TF's wording for errors that eager kernels meet through NumPy, which would otherwise leak
NumPy's own ("gufunc signature (n?,k),(k,m?)", "operands could not be broadcast together"),
and for an eager op given inputs of two dtypes. Only failing calls reach this module."""
import re

import numpy as np

from .errors import InvalidArgumentError

# the names TF's C++ messages give dtypes (DataTypeString)
_C_NAMES = {"float32": "float", "float64": "double", "float16": "half"}


def c_name(dtype):
    return _C_NAMES.get(dtype.name, dtype.name)


def dtype_mismatch(op_type, index, want, got):
    """TF's eager error for input `index` of `op_type` being `got` where `want` was expected
    (in graph construction TF raises TypeError instead)."""
    return InvalidArgumentError(
        f"cannot compute {op_type} as input #{index}(zero-based) was expected to be a "
        f"{c_name(want)} tensor but is a {c_name(got)} tensor [Op:{op_type}]")


def _dims(shape):
    return "[" + ",".join(str(d) for d in shape) + "]"


_CONCAT_DIM = re.compile(r"along dimension (\d+), the array at index \d+ has size \d+ and the "
                         r"array at index (\d+)")
_AXIS = re.compile(r"axis (-?\d+) is out of bounds for array of dimension")
_CONCAT_RANK = re.compile(r"array at index (\d+) has \d+ dimension\(s\) and the array at "
                          r"index (\d+)")


def tf_wording(op_type, arrays, e):
    """TF's message for the kernel error `e` of `op_type` on `arrays` where `e` speaks NumPy's
    words; None where it does not."""
    msg = str(e)
    shapes = [np.shape(a) for a in arrays]
    if op_type in ("MatMul", "BatchMatMulV2") and len(shapes) == 2:
        if "core dimension" in msg:
            return f"Matrix size-incompatible: In[0]: {_dims(shapes[0])}, In[1]: {_dims(shapes[1])}"
        if "broadcast" in msg:
            return (f"In[0] and In[1] must have compatible batch dimensions: "
                    f"{_dims(shapes[0])} vs. {_dims(shapes[1])}")
    if "could not be broadcast" in msg:
        if op_type == "SelectV2" and len(shapes) == 3:
            c, x, y = (_dims(s) for s in shapes)
            return f"condition {c}, then {x}, and else {y} must be broadcastable"
        if len(shapes) == 2:
            return f"Incompatible shapes: {_dims(shapes[0])} vs. {_dims(shapes[1])}"
    if op_type == "ConcatV2":
        m = _AXIS.search(msg)
        if m:
            r = len(shapes[0])
            return (f"ConcatOp : Expected concatenating dimensions in the range [{-r}, {r}), "
                    f"but got {m.group(1)}")
        m = _CONCAT_DIM.search(msg)
        if m:
            d, j = int(m.group(1)), int(m.group(2))
            return (f"ConcatOp : Dimension {d} in both shapes must be equal: shape[0] = "
                    f"{_dims(shapes[0])} vs. shape[{j}] = {_dims(shapes[j])}")
        m = _CONCAT_RANK.search(msg)
        if m:
            j = int(m.group(2))
            return (f"ConcatOp : Ranks of all input tensors should match: shape[0] = "
                    f"{_dims(shapes[0])} vs. shape[{j}] = {_dims(shapes[j])}")
    if op_type == "Pack" and "same shape" in msg:
        j = next(j for j, s in enumerate(shapes) if s != shapes[0])
        return (f"Shapes of all inputs must match: values[0].shape = {_dims(shapes[0])} != "
                f"values[{j}].shape = {_dims(shapes[j])}")
    return None
