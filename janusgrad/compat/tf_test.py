"""tf.compat.v1.test: the gradient check and the questions programs ask about the build (no
GPU, no CUDA: janusgrad runs on the CPU)."""
from ..check import compute_gradient  # noqa: F401
from ..framework.missing import missing_names as _missing_names
from .devices import (gpu_device_name, is_built_with_cuda, is_built_with_gpu_support,  # noqa: F401
                      is_built_with_rocm, is_built_with_xla, is_gpu_available)

__getattr__ = _missing_names(__name__, "tf.compat.v1.test")
