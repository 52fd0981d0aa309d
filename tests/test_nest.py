"""tf.nest (issue 18: TF programs use it unchanged): TF 2.21's results and error classes,
checked in ~/tfenv (mappings flatten in sorted-key order and are rebuilt in their own order;
None and strings are leaves; tensors are leaves)."""
import collections

import numpy as np
import pytest

import janusgrad as tf

P = collections.namedtuple("P", "x y")


def test_flatten_and_pack_as_tf():
    n = tf.nest
    assert n.flatten(None) == [None]
    assert n.flatten("ab") == ["ab"]
    assert n.flatten({"b": 1, "a": [2, (3, None)]}) == [2, 3, None, 1]
    assert n.flatten({10: "ten", 9: "nine"}) == ["nine", "ten"]       # keys sorted as keys
    assert n.flatten(collections.OrderedDict([("b", 1), ("a", 2)])) == [2, 1]
    assert n.flatten(P(1, [2])) == [1, 2]
    packed = n.pack_sequence_as({"b": 0, "a": [0, 0]}, [1, 2, 3])
    assert packed == {"b": 3, "a": [1, 2]}
    od = n.pack_sequence_as(collections.OrderedDict([("b", 1), ("a", 2)]), [5, 6])
    assert type(od) is collections.OrderedDict and list(od.items()) == [("b", 6), ("a", 5)]
    assert n.pack_sequence_as(P(0, (0,)), [1, 2]) == P(1, (2,))
    assert n.pack_sequence_as(1, [5]) == 5
    t = tf.constant([1.0, 2.0])
    assert n.flatten([t, {"k": t}])[1] is t and not n.is_nested(t)


def test_map_structure_and_is_nested_as_tf():
    n = tf.nest
    assert n.map_structure(lambda a, b: a + b, [1, (2,)], [10, (20,)]) == [11, (22,)]
    assert n.map_structure(lambda a: a * 2, P(1, 2)) == P(2, 4)
    assert n.map_structure(lambda x: x, {"a": None}) == {"a": None}
    assert n.map_structure(lambda a, b: a, [1], (1,), check_types=False) == [1]
    out = n.map_structure(tf.square, {"w": tf.constant([2.0]), "b": [tf.constant(3.0)]})
    np.testing.assert_array_equal(out["w"].numpy(), [4.0])
    assert out["b"][0].numpy() == 9.0
    assert [n.is_nested(x) for x in ([], 1, "s", {}, P(1, 2))] == [True, False, False, True,
                                                                  True]


@pytest.mark.parametrize("call,cls,match", [
    (lambda n: n.pack_sequence_as([0, 0], [1]), ValueError, "2 atoms"),
    (lambda n: n.pack_sequence_as([0], 1), TypeError, "incompatible type"),
    (lambda n: n.map_structure(1, [1]), TypeError, "func must be callable"),
    (lambda n: n.map_structure(lambda x: x), ValueError, "at least one structure"),
    (lambda n: n.map_structure(lambda a, b: a, [1], (1,)), TypeError, "same nested structure"),
    (lambda n: n.assert_same_structure([1], (1,)), TypeError, "same nested structure"),
    (lambda n: n.assert_same_structure([1], [1, 2]), ValueError, "same nested structure"),
    (lambda n: n.assert_same_structure([1], [[1]]), ValueError, "same nested structure"),
    (lambda n: n.assert_same_structure({"a": 1}, {"b": 1}), ValueError, "same set of keys"),
    (lambda n: n.assert_same_structure(P(1, 2), (1, 2)), TypeError, "same sequence type"),
    (lambda n: n.flatten({1: 1, "a": 2}), TypeError, "not supported"),
])
def test_errors_as_tf(call, cls, match):
    with pytest.raises(cls, match=match):
        call(tf.nest)


def test_assert_same_structure_passes_as_tf():
    tf.nest.assert_same_structure([1, {"a": (2, 3)}], ["x", {"a": ("y", None)}])
    tf.nest.assert_same_structure([1], (1,), check_types=False)
    tf.nest.assert_same_structure({"a": 1}, collections.OrderedDict(a=2))
