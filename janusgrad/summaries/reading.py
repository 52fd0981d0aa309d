"""Reading event files back (issue 18): tf.compat.v1.train.summary_iterator and tf.make_ndarray.

The Event and TensorProto classes are tensorboardX's (the `tensorboard` extra), the ones the
writers use: without tensorboardX these raise ImportError saying how to install it. An event
file is TF's record format: per record a little-endian uint64 length, the masked CRC-32C of
those 8 bytes, the data (one serialized Event), and the masked CRC-32C of the data.
"""
import struct

import numpy as np

from ..framework.errors import DataLossError, NotFoundError
from .events import EXTRA


def _need(function):
    try:
        from tensorboardX.crc32c import crc32c
        from tensorboardX.proto import event_pb2
    except ImportError:
        raise ImportError(f"{function} needs tensorboardX, installed by janusgrad's '{EXTRA}' "
                          f"extra: pip install 'janusgrad[{EXTRA}]'") from None
    return event_pb2, crc32c


def _masked(crc):
    return ((((crc >> 15) | (crc << 17)) & 0xFFFFFFFF) + 0xA282EAD8) & 0xFFFFFFFF


def summary_iterator(path):
    """The Event protos of the event file at `path`, in order (a generator, as TF's)."""
    event_pb2, crc32c = _need("summary_iterator")
    if not isinstance(path, (str, bytes)) and not hasattr(path, "__fspath__"):
        raise TypeError(f"summary_iterator: path must be a file name, got {type(path).__name__}")
    return _records(path, event_pb2, crc32c)


def _records(path, event_pb2, crc32c):
    # a generator: as TF's, a missing file is an error at the first next()
    try:
        fh = open(path, "rb")
    except FileNotFoundError:
        raise NotFoundError(f"summary_iterator: {path}; No such file or directory") from None
    with fh:
        offset = 0
        while True:
            header = fh.read(12)
            if not header:
                return
            if len(header) < 12:
                raise DataLossError(f"summary_iterator: truncated record at {offset} in {path}")
            (length,), (length_crc,) = struct.unpack("<Q", header[:8]), \
                struct.unpack("<I", header[8:])
            if _masked(crc32c(header[:8])) != length_crc:
                raise DataLossError(f"summary_iterator: corrupted record at {offset} in {path} "
                                    "(length checksum)")
            data, footer = fh.read(length), fh.read(4)
            if len(data) < length or len(footer) < 4:
                raise DataLossError(f"summary_iterator: truncated record at {offset} in {path}")
            if _masked(crc32c(data)) != struct.unpack("<I", footer)[0]:
                raise DataLossError(f"summary_iterator: corrupted record at {offset} in {path} "
                                    "(data checksum)")
            offset += 16 + length
            yield event_pb2.Event.FromString(data)


# TF's DataType enum -> (NumPy dtype, the TensorProto field of its values)
_DTYPES = {
    1: (np.float32, "float_val"), 2: (np.float64, "double_val"), 3: (np.int32, "int_val"),
    4: (np.uint8, "int_val"), 5: (np.int16, "int_val"), 6: (np.int8, "int_val"),
    7: (np.object_, "string_val"), 9: (np.int64, "int64_val"), 10: (np.bool_, "bool_val"),
    17: (np.uint16, "int_val"), 19: (np.float16, "half_val"), 22: (np.uint32, "uint32_val"),
    23: (np.uint64, "uint64_val"),
}


def make_ndarray(tensor):
    """The NumPy array a TensorProto holds (its shape, its dtype; a value field shorter than
    the shape repeats its last value, as TF)."""
    if not hasattr(tensor, "tensor_shape") or not hasattr(tensor, "dtype"):
        raise AttributeError(f"make_ndarray: tensor must be a TensorProto, got "
                             f"{type(tensor).__name__} (it has no attribute 'tensor_shape')")
    shape = [d.size for d in tensor.tensor_shape.dim]
    size = int(np.prod(shape, dtype=np.int64))
    if tensor.dtype not in _DTYPES:
        raise TypeError(f"make_ndarray: Unsupported tensor type: {tensor.dtype}")
    dtype, field = _DTYPES[tensor.dtype]
    if tensor.tensor_content:
        return np.frombuffer(tensor.tensor_content, dtype=dtype).copy().reshape(shape)
    if dtype is np.float16:
        values = np.array(list(tensor.half_val), np.uint16).view(np.float16)
    else:
        values = np.array(list(getattr(tensor, field)), dtype=dtype)
    if values.size == 0:
        return np.full(shape, b"" if dtype is np.object_ else 0, dtype)
    if values.size < size:
        values = np.concatenate([values, np.full(size - values.size, values[-1], dtype)])
    return values[:size].reshape(shape)
