"""keras.mixed_precision (issue 18): the "float32" policy, as Keras 3 / TF 2.21 shows it
(checked there by hand: repr <DTypePolicy "float32">, the messages below); other policies are
a clear NotImplementedError."""
import pytest

import janusgrad as tf

mp = tf.keras.mixed_precision


def test_float32_policy_as_keras():
    p = mp.global_policy()
    assert repr(p) == '<DTypePolicy "float32">'
    assert (p.name, p.compute_dtype, p.variable_dtype) == ("float32", "float32", "float32")
    mp.set_global_policy("float32")
    assert mp.global_policy() == mp.Policy("float32") and mp.Policy is mp.DTypePolicy
    mp.set_global_policy(mp.DTypePolicy("float32"))
    assert mp.dtype_policy() == p


def test_unsupported_and_bad_policies():
    for name in ("mixed_float16", "mixed_bfloat16", "float64"):
        with pytest.raises(NotImplementedError, match=f"float32.*{name}"):
            mp.set_global_policy(name)
    assert mp.global_policy().name == "float32"    # unchanged by the refusals
    with pytest.raises(ValueError, match="Cannot convert 'foo' to a mixed precision"):
        mp.set_global_policy("foo")
    with pytest.raises(ValueError, match=r"Invalid `policy` argument.*policy=3 \(of type "):
        mp.set_global_policy(3)
