"""Keras's lookup of a family of objects (regularizers, constraints): `serialize`,
`deserialize` and `get` by name, config dict, class or callable, made once per family."""


def lookup_functions(module, what, by_name):
    """(serialize, deserialize, get) for the classes of `by_name` (name -> class); `module` is
    the family's Keras module ("keras.constraints"), `what` its noun in errors."""

    def serialize(obj):
        """{'module': ..., 'class_name': ..., 'config': ..., 'registered_name': None}."""
        return {"module": module, "class_name": type(obj).__name__,
                "config": obj.get_config(), "registered_name": None}

    def deserialize(config, custom_objects=None):
        """The object a serialize() dict (or a name) describes."""
        if isinstance(config, str):
            return get(config)
        name = config.get("class_name")
        cls = (custom_objects or {}).get(name) or by_name.get(name)
        if cls is None:
            raise ValueError(f"Could not interpret {what} identifier: {config}")
        return cls.from_config(config.get("config") or {})

    def get(identifier):
        """None (None), a name, a config dict, a class (instantiated) or a callable."""
        if identifier is None:
            return None
        if isinstance(identifier, dict):
            obj = deserialize(identifier)
        elif isinstance(identifier, str):
            obj = by_name.get(identifier)
        else:
            obj = identifier
        if callable(obj):
            return obj() if isinstance(obj, type) else obj
        raise ValueError(f"Could not interpret {what} identifier: {identifier}")

    return serialize, deserialize, get
