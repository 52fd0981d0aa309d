"""Graph ops are named as TensorFlow names them when the call gives no name (`x + y` is "add",
`tf.add` "Add", `tf.clip_by_norm` "clip_by_norm/..."): the names of the result tensors of every
case of tests/op_name_cases.py equal TF 2.21's, recorded by tools/record_tf_op_names.py into
tests/data/tf_op_names.json. Eager tensors have no names, so none of this is on the eager path."""
import json
import pathlib

import pytest

import janusgrad as tf

from .op_name_cases import build, cases

RECORD = json.loads((pathlib.Path(__file__).parent / "data" / "tf_op_names.json")
                    .read_text(encoding="utf-8"))["cases"]

# Where janusgrad builds the result otherwise than TF (one op where TF has several): the
# result's name differs, deliberately.
DIFFERENT = {
    "nn.silu": "TF wraps swish in a custom_gradient (IdentityN); janusgrad has one scope",
    "nn.swish": "TF wraps swish in a custom_gradient (IdentityN); janusgrad has one scope",
    "linspace": "janusgrad's LinSpace is one op; TF builds it of Slice/Concat",
    "nn.softmax_cross_entropy_with_logits": "TF reshapes to 2-D and back; janusgrad does not",
    "map_fn": "janusgrad's map_fn is one op, not a while loop over TensorLists",
    "vectorized_map": "janusgrad's vectorized_map is a loop op, not pfor",
    "gradients": "janusgrad sums the two paths with an add, TF with AddN",
    "scan": "janusgrad unrolls scan and stacks; TF's is a while loop over TensorLists",
    # tensor functions real programs use (issue 18)
    "repeat": "TF tiles and takes a boolean_mask; janusgrad gathers at repeated indices",
}
# asserts: TF builds an If (AssertGuard) and returns no tensor: there is no result name to
# compare, and the op lists differ by construction
NO_RESULT = {"assert_equal", "assert_less", "assert_greater", "debugging.assert_greater_equal",
             "debugging.assert_less_equal", "debugging.assert_none_equal", "Assert"}


def _params():
    out = []
    for name in cases():
        marks = [pytest.mark.xfail(strict=True, reason=DIFFERENT[name])] \
            if name in DIFFERENT else []
        out.append(pytest.param(name, id=name, marks=marks))
    return out


def test_every_case_is_recorded():
    assert set(cases()) == set(RECORD), "run tools/record_tf_op_names.py"


@pytest.mark.parametrize("name", _params())
def test_result_is_named_as_tf_names_it(name):
    want = RECORD[name]
    with tf.Graph().as_default():
        if "raises" in want:
            pytest.skip(f"TF cannot build it ({want['raises']})")
        ops, outputs = build(tf, name)
    if name in NO_RESULT:
        assert outputs == want["outputs"] == []
        return
    assert outputs == want["outputs"]
    # the op that makes the result has TF's name too (what `t.op.name` shows)
    assert [op[0] for op in ops][-1:] == [op[0] for op in want["ops"]][-1:]


def test_operators_and_functions_differ_as_in_tf():
    """`a + b` is "add" and tf.add(a, b) "Add" in the same graph, uniquified as TF does
    (case-insensitively: "Add_1"); values recorded from TF 2.21."""
    with tf.Graph().as_default():
        a, b = tf.constant(1.0), tf.constant(2.0)
        assert [(a + b).name, tf.add(a, b).name, (a + b).name] == ["add:0", "Add_1:0", "add_2:0"]
        assert [(a * b).op.name, (a - b).op.name, (a / b).op.name] == ["mul", "sub", "truediv"]
        assert tf.add(a, b, name="mine").name == "mine:0"
        with tf.compat.v1.name_scope("scope"):
            assert (a + b).name == "scope/add:0"


def test_eager_tensors_have_no_names():
    with pytest.raises(AttributeError):
        (tf.constant(1.0) + tf.constant(2.0)).name   # noqa: B018 (as TF: no name eagerly)
