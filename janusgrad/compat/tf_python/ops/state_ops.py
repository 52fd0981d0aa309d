"""tensorflow.python.ops.state_ops: TF 1's assignments to a variable."""
from ....framework.missing import missing_names as _missing_names
from ....ops.state import Variable


def _variable(function, ref):
    if not isinstance(ref, Variable):
        # TF's AttributeError (a tensor has no .assign), said plainly
        raise AttributeError(f"{function}: ref must be a tf.Variable (only variables can be "
                             f"assigned to), got {type(ref).__name__}")
    return ref


def assign(ref, value, validate_shape=None, use_locking=None, name=None):
    return _variable("assign", ref).assign(value, name=name)


def assign_add(ref, value, use_locking=None, name=None):
    return _variable("assign_add", ref).assign_add(value, name=name)


def assign_sub(ref, value, use_locking=None, name=None):
    return _variable("assign_sub", ref).assign_sub(value, name=name)


__getattr__ = _missing_names(__name__)
