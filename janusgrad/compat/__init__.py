"""tf.compat."""
# -- running TF programs unchanged (issue 18): v1 is imported when first used (it brings in
#    Keras), so the small modules here (config_proto, devices, gfile ...) cost little to import;
#    v2 is TF 2's API, janusgrad's top level, which Python always loads before this package
#    (its parent): it is read from sys.modules, as compat sits below the public face --
import importlib as _importlib
import sys as _sys

from ..framework.missing import missing_names as _missing_names

_missing = _missing_names(__name__)


def __getattr__(name):
    if name == "v1":
        return _importlib.import_module(".v1", __name__)
    if name == "v2":
        return _sys.modules[__name__.rpartition(".")[0]]
    return _missing(name)


def __dir__():
    return sorted(set(globals()) | {"v1", "v2"})
