"""tf.test."""
from .check import compute_gradient  # noqa: F401

# -- the questions programs ask about the build (issue 18): no GPU, no CUDA (compat/devices.py,
#    imported when first asked); a name janusgrad lacks is a clear error --
from .framework.missing import missing_names as _missing_names  # noqa: E402

_missing = _missing_names(__name__)
_BUILD = ("gpu_device_name", "is_built_with_cuda", "is_built_with_gpu_support",
          "is_built_with_rocm", "is_built_with_xla", "is_gpu_available")


def __getattr__(name):
    if name not in _BUILD:
        return _missing(name)
    from .compat import devices
    value = getattr(devices, name)
    globals()[name] = value
    return value


def __dir__():
    return sorted(set(globals()) | set(_BUILD))
