"""tf.compat. Its modules are imported when first used (v1 brings most of the TF1 names, Keras
and the optimizers): janusgrad's top level imports this package for a few light names."""
_LAZY = {"v1": (".v1", None), "dimension_value": (".dimension", "dimension_value"),
         "dimension_at_index": (".dimension", "dimension_at_index")}


def __getattr__(name):
    if name not in _LAZY:
        raise AttributeError(f"module 'janusgrad.compat' has no attribute '{name}'")
    import importlib
    module, attr = _LAZY[name]
    value = importlib.import_module(module, __name__)
    value = value if attr is None else getattr(value, attr)
    globals()[name] = value
    return value


def __dir__():
    return sorted(set(globals()) | set(_LAZY))
