"""keras.mixed_precision (issue 18): programs call set_global_policy("float32") (or read
global_policy()) to be explicit; janusgrad's layers compute in float32 unless given a dtype, so
that is the one policy supported. mixed_float16 / mixed_bfloat16 and other dtypes raise
NotImplementedError rather than silently training in float32."""

_FLOATS = ("float16", "bfloat16", "float32", "float64")
_MIXED = ("mixed_float16", "mixed_bfloat16")


class DTypePolicy:
    """The dtype policy "float32": compute and variable dtype float32."""

    def __init__(self, name=None):
        name = "float32" if name is None else name
        if not isinstance(name, str) or name not in _FLOATS + _MIXED:
            raise ValueError(f"Cannot convert {name!r} to a mixed precision DTypePolicy. Valid "
                             "policies include 'mixed_float16', 'mixed_bfloat16', and the name "
                             "of any float dtype such as 'float32'.")
        if name != "float32":
            raise NotImplementedError(f"keras.mixed_precision: janusgrad supports only the "
                                      f"'float32' policy, got {name!r}")
        self._name = name

    name = property(lambda self: self._name)
    compute_dtype = variable_dtype = property(lambda self: "float32")

    def __eq__(self, other):
        return isinstance(other, DTypePolicy) and other.name == self.name

    def __hash__(self):
        return hash(self.name)

    def __repr__(self):
        return f'<DTypePolicy "{self.name}">'

    def get_config(self):
        return {"name": self.name}


Policy = DTypePolicy
_global = DTypePolicy("float32")


def set_global_policy(policy):
    """A policy name or a DTypePolicy; only "float32" is supported (see the module's note)."""
    global _global
    if isinstance(policy, str):
        policy = DTypePolicy(policy)
    elif not isinstance(policy, DTypePolicy):
        raise ValueError("Invalid `policy` argument. Expected the string name of a policy (such "
                         "as 'mixed_float16') or a `DTypePolicy` instance. Received: "
                         f"policy={policy} (of type {type(policy)})")
    _global = policy


def global_policy():
    return _global


set_dtype_policy, dtype_policy = set_global_policy, global_policy
