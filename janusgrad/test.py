"""tf.test."""
from .check import compute_gradient  # noqa: F401

# -- the questions programs ask about the build (issue 18): no GPU, no CUDA --
from .compat.devices import (gpu_device_name, is_built_with_cuda,  # noqa: E402
                             is_built_with_gpu_support, is_built_with_rocm, is_built_with_xla,
                             is_gpu_available)

# -- a name janusgrad lacks is a clear error (issue 18, running TF programs unchanged) --
from .framework.missing import missing_names as _missing_names  # noqa: E402
__getattr__ = _missing_names(__name__)
