"""tensorflow.python.ops.control_flow_ops (cond, while_loop and case too, as in TF before 2.13)."""
from ....framework.missing import missing_names as _missing_names
from ....ops.array import identity
from ....ops.control import control_dependencies, group, no_op
from ....ops.control import tuple_ as tuple
from ....runtime.control_flow import case, cond
from ....runtime.control_flow import while_loop_v1 as while_loop   # TF 1's, as in TF


def with_dependencies(dependencies, output_tensor, name=None):
    """`output_tensor`, computed only after `dependencies` have run."""
    with control_dependencies(dependencies):
        return identity(output_tensor, name=name)


__getattr__ = _missing_names(__name__)
