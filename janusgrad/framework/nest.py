"""Flatten, rebuild and compare nested lists / tuples / dicts (TF's `nest`, the part we need)."""


_NESTS = (list, tuple, dict)


def flatten(structure):
    if isinstance(structure, (list, tuple)):
        if (type(structure) is list or type(structure) is tuple) and _flat(structure):
            return list(structure)              # a flat list (of sources, say): as it is
        return [leaf for item in structure for leaf in flatten(item)]
    if isinstance(structure, dict):
        return [leaf for k in sorted(structure, key=_key) for leaf in flatten(structure[k])]
    return [structure]


def pack_sequence_as(structure, flat):
    if type(structure) is list and len(structure) == len(flat) and _flat(structure):
        return list(flat)                       # a flat list: the leaves as they are
    it = iter(flat)
    out = _pack(structure, it)
    return out


def _pack(structure, it):
    if isinstance(structure, (list, tuple)):
        items = [_pack(s, it) for s in structure]
        if isinstance(structure, list):
            return items
        if hasattr(structure, "_fields"):      # namedtuple
            return type(structure)(*items)
        return type(structure)(items)
    if isinstance(structure, dict):
        return type(structure)((k, _pack(structure[k], it)) for k in sorted(structure, key=_key))
    return next(it)


def _flat(seq):
    """Whether no item of `seq` is itself a nest."""
    for item in seq:
        if isinstance(item, _NESTS):
            return False
    return True


def map_structure(fn, structure):
    return pack_sequence_as(structure, [fn(x) for x in flatten(structure)])


def _key(k):
    return (type(k).__name__, str(k))


def sorted_keys(d):
    """A dict's keys in the order flatten walks them."""
    return sorted(d, key=_key)


def assert_same_structure(a, b):
    """TF's nest.assert_same_structure: ValueError for another nesting or length, TypeError for
    another sequence type (list vs tuple, two namedtuple classes)."""
    a_seq, b_seq = is_sequence(a), is_sequence(b)
    if a_seq != b_seq:
        raise ValueError("The two structures don't have the same nested structure.\n\n"
                         f"First structure: {a!r}\n\nSecond structure: {b!r}")
    if not a_seq:
        return
    if type(a) is not type(b):
        raise TypeError("The two structures don't have the same sequence type. Input structure "
                        f"has type {type(a)}, while shallow structure has type {type(b)}.")
    if isinstance(a, dict):
        if sorted(a, key=str) != sorted(b, key=str):
            raise ValueError(f"The two dictionaries don't have the same set of keys: "
                             f"{sorted(a, key=str)} and {sorted(b, key=str)}")
        a, b = [a[k] for k in sorted(a, key=str)], [b[k] for k in sorted(b, key=str)]
    if len(a) != len(b):
        raise ValueError("The two structures don't have the same number of elements.\n\n"
                         f"First structure: {a!r}\n\nSecond structure: {b!r}")
    for x, y in zip(a, b):
        assert_same_structure(x, y)


def is_sequence(x):
    return isinstance(x, (list, tuple, dict))


def flatten_up_to(shallow, deep):
    """The leaves of `deep` at the leaf positions of `shallow` (shape invariants given as lists
    stay whole)."""
    if not is_sequence(shallow):
        return [deep]
    if not is_sequence(deep) or len(shallow) != len(deep):
        raise ValueError(f"shape_invariants {deep!r} do not have the structure of the loop "
                         f"variables {shallow!r}")
    if isinstance(shallow, dict):
        return [leaf for k in sorted(shallow, key=str) for leaf in flatten_up_to(shallow[k],
                                                                                 deep[k])]
    return [leaf for s, d in zip(shallow, deep) for leaf in flatten_up_to(s, d)]
