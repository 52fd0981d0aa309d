"""tf.nest: flatten, pack_sequence_as, map_structure, assert_same_structure, is_nested, as
TF's: lists, tuples, namedtuples and mappings nest (a mapping's values in the order of its
sorted keys; a mapping is rebuilt in its own key order); everything else, None and strings
included, is a leaf. framework/nest.py is the engine's own, faster variant (it keeps flat
lists as they are); this one is the public API with TF's checks and messages."""
import collections.abc

_SEQUENCES = (list, tuple)


def is_nested(seq):
    """Whether `seq` is a list, tuple (namedtuple) or mapping."""
    return isinstance(seq, (list, tuple, collections.abc.Mapping))


def _children(structure):
    if isinstance(structure, collections.abc.Mapping):
        return [structure[k] for k in sorted(structure)]      # (TF's: unsortable keys raise)
    return list(structure)


def flatten(structure, expand_composites=False):
    """The leaves of `structure`, depth first; a leaf alone is [leaf]."""
    if not is_nested(structure):
        return [structure]
    return [leaf for child in _children(structure) for leaf in flatten(child)]


def _rebuild(structure, items):
    if isinstance(structure, collections.abc.Mapping):
        values = dict(zip(sorted(structure), items))
        return type(structure)((k, values[k]) for k in structure)
    if isinstance(structure, tuple) and hasattr(structure, "_fields"):      # namedtuple
        return type(structure)(*items)
    return type(structure)(items)


def _pack(structure, it):
    if not is_nested(structure):
        return next(it)
    return _rebuild(structure, [_pack(child, it) for child in _children(structure)])


def pack_sequence_as(structure, flat_sequence, expand_composites=False):
    """`flat_sequence`'s items put back in the nesting of `structure`."""
    if not is_nested(flat_sequence):
        raise TypeError(f"pack_sequence_as: Attempted to pack value:\n  {flat_sequence!r}\n"
                        f"into a structure, but found incompatible type "
                        f"`{type(flat_sequence)}` instead.")
    flat = list(flat_sequence)
    n = len(flatten(structure))
    if n != len(flat):
        raise ValueError(f"pack_sequence_as: Could not pack sequence. Structure had {n} atoms, "
                         f"but flat_sequence had {len(flat)} items.  Structure: {structure!r}, "
                         f"flat_sequence: {flat!r}.")
    if not is_nested(structure):
        return flat[0]
    return _pack(structure, iter(flat))


def _same_type(a, b):
    if isinstance(a, collections.abc.Mapping) and isinstance(b, collections.abc.Mapping):
        return True                 # (TF: any two mappings may be compared)
    return type(a) is type(b)


def _check(a, b, check_types, top_a, top_b):
    def fail(cls, why):
        raise cls(f"assert_same_structure: The two structures don't have the same nested "
                  f"structure.\n\nFirst structure: type={type(top_a).__name__} str={top_a!r}"
                  f"\n\nSecond structure: type={type(top_b).__name__} str={top_b!r}\n\n"
                  f"More specifically: {why}")
    if is_nested(a) != is_nested(b):
        fail(ValueError, f"Substructure {a!r} is {'' if is_nested(a) else 'not '}a sequence, "
                         f"while substructure {b!r} is {'' if is_nested(b) else 'not '}")
    if not is_nested(a):
        return
    if check_types and not _same_type(a, b):
        fail(TypeError, f"The two namedtuples/sequences don't have the same sequence type: "
                        f"{type(a)} and {type(b)}")
    if isinstance(a, collections.abc.Mapping) and isinstance(b, collections.abc.Mapping) \
            and set(a) != set(b):
        fail(ValueError, f"The two dictionaries don't have the same set of keys: "
                         f"{sorted(a)} and {sorted(b)}")
    ca, cb = _children(a), _children(b)
    if len(ca) != len(cb):
        fail(ValueError, f"Substructure {a!r} has length {len(ca)}, while {b!r} has length "
                         f"{len(cb)}")
    for x, y in zip(ca, cb):
        _check(x, y, check_types, top_a, top_b)


def assert_same_structure(nest1, nest2, check_types=True, expand_composites=False):
    """ValueError where the nestings or lengths differ, TypeError (check_types) where the
    sequence types do (a list against a tuple, two namedtuple classes)."""
    _check(nest1, nest2, check_types, nest1, nest2)


def map_structure(func, *structure, **kwargs):
    """func applied to the leaves (of each structure, side by side), in the first's nesting."""
    if not callable(func):
        raise TypeError(f"map_structure: func must be callable, got: {func!r}")
    if not structure:
        raise ValueError("map_structure: Must provide at least one structure")
    check_types = kwargs.pop("check_types", True)
    kwargs.pop("expand_composites", None)
    if kwargs:
        raise ValueError(f"map_structure: Only valid keyword arguments are `check_types` and "
                         f"`expand_composites`, not: `{', '.join(kwargs)}`")
    for other in structure[1:]:
        assert_same_structure(structure[0], other, check_types=check_types)
    leaves = [flatten(s) for s in structure]
    return pack_sequence_as(structure[0], [func(*xs) for xs in zip(*leaves)])
