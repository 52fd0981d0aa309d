"""tf.compat. Its modules are imported when first used (v1 brings most of the TF1 names, Keras
and the optimizers), so the small modules here (config_proto, devices, gfile ...) cost little
to import. v2 is TF 2's API, janusgrad's top level, which Python always loads before this
package (its parent): it is read from sys.modules, as compat sits below the public face."""
import importlib as _importlib
import sys as _sys

from ..framework.missing import missing_names as _missing_names

_missing = _missing_names(__name__)
_LAZY = {"v1": (".v1", None), "dimension_value": (".dimension", "dimension_value"),
         "dimension_at_index": (".dimension", "dimension_at_index")}


def __getattr__(name):
    if name == "v2":
        return _sys.modules[__name__.rpartition(".")[0]]
    if name not in _LAZY:
        return _missing(name)
    module, attr = _LAZY[name]
    value = _importlib.import_module(module, __name__)
    value = value if attr is None else getattr(value, attr)
    globals()[name] = value
    return value


def __dir__():
    return sorted(set(globals()) | set(_LAZY) | {"v2"})
