"""A TensorFlow name janusgrad does not have is an error that says so and lists the closest names
it has, still an AttributeError (hasattr, getattr with a default) for attributes."""
import importlib
import pkgutil
import sys

import pytest

import janusgrad as tf
from janusgrad.framework.missing import NAMESPACES, MissingNameError, tf_name


@pytest.mark.parametrize("lookup, says, closest", [
    (lambda: tf.reduce_summ, "tf.reduce_summ is not implemented by janusgrad", "reduce_sum"),
    (lambda: tf.nn.rellu, "tf.nn.rellu is not implemented by janusgrad", "relu"),
    (lambda: tf.compat.v1.Sessoin, "tf.compat.v1.Sessoin is not implemented", "Session"),
    (lambda: tf.keras.layers.Dense2, "tf.keras.layers.Dense2 is not implemented", "Dense"),
    (lambda: tf.math.reduce_sums, "tf.math.reduce_sums is not", "reduce_sum"),
    (lambda: tf.io.gfile.exist, "tf.io.gfile.exist is not implemented", "exists"),
    (lambda: tf.config.list_physical_device, "tf.config.list_physical_device is",
     "list_physical_devices"),
])
def test_missing_names_name_themselves_and_the_closest(lookup, says, closest):
    with pytest.raises(AttributeError) as e:
        lookup()
    assert isinstance(e.value, MissingNameError)
    assert says in str(e.value)
    assert closest in str(e.value).split("Closest names in")[1]


def test_a_name_janusgrad_has_elsewhere_is_pointed_at():
    with pytest.raises(AttributeError) as e:
        tf.nn.reduce_sum
    assert "janusgrad has reduce_sum as tf.reduce_sum" in str(e.value)
    with pytest.raises(AttributeError, match="tf.nn.relu"):
        tf.math.relu


def test_hasattr_and_getattr_default_keep_working():
    assert not hasattr(tf, "foo") and not hasattr(tf.nn, "foo")
    assert getattr(tf.keras.layers, "Foo", 7) == 7
    assert hasattr(tf, "constant") and hasattr(tf.nn, "relu")
    with pytest.raises(AttributeError, match="has no attribute '__wrapped__'"):
        tf.__wrapped__                  # dunders: short, no suggestions (tools probe them)


def test_every_namespace_module_has_the_hook():
    """tf.X, tf.compat.v1, tf.keras.*, tensorflow.python.*: each namespace module raises the
    helper's error for a name it lacks."""
    tf_python = importlib.import_module("janusgrad.compat.tf_python")
    for m in pkgutil.walk_packages(tf_python.__path__, tf_python.__name__ + "."):
        importlib.import_module(m.name)
    modules = [tf, tf.nn, tf.math, tf.linalg, tf.random, tf.errors, tf.dtypes, tf.debugging,
               tf.test, tf.version, tf.train, tf.keras, tf.keras.layers, tf.keras.losses,
               tf.keras.optimizers, tf.keras.initializers, tf.keras.activations,
               tf.keras.backend, tf.compat, tf.compat.v1, tf.config, tf.config.experimental,
               tf.config.threading, tf.io, tf.io.gfile, tf.compat.v1.gfile,
               tf.compat.v1.logging, tf.compat.v1.app]
    modules += [tf.distribute]          # issue 18 (the gaps the TF programs found)
    # the Keras training loop (issue 20)
    modules += [tf.keras.callbacks, tf.keras.metrics, tf.keras.utils]
    modules += [sys.modules[n] for n in sorted(sys.modules) if n.startswith(tf_python.__name__)]
    for module in modules:
        with pytest.raises(MissingNameError, match="is not implemented by janusgrad"):
            module.no_such_name_anywhere
        assert module.__name__ in NAMESPACES, module.__name__


def test_tf_spelling_of_modules():
    assert tf_name("janusgrad") == "tf"
    assert tf_name("janusgrad.nn") == "tf.nn"
    assert tf_name("janusgrad.compat.gfile") == "tf.io.gfile"
    assert tf_name("janusgrad.compat.tf_python.ops.math_ops") == "tensorflow.python.ops.math_ops"


def test_missing_names_cost_nothing_for_names_that_exist():
    """Module __getattr__ runs only for missing names: existing ones are plain dict hits."""
    calls = []
    hook = tf.nn.__getattr__
    tf.nn.__getattr__ = lambda name: calls.append(name) or hook(name)
    try:
        tf.nn.relu, tf.nn.softmax
        assert calls == []
        hasattr(tf.nn, "nope")
        assert calls == ["nope"]
    finally:
        tf.nn.__getattr__ = hook


def test_compat_v1_has_tf2_names_tf1_shares():
    assert tf.compat.v1.float32 is tf.float32 and tf.compat.v1.matmul is tf.matmul
    assert tf.compat.v2 is tf
    assert tf.compat.v1.nn.relu is tf.nn.relu
    assert tf.compat.v1.nn.dropout is not tf.nn.dropout      # TF 1's: keep_prob
