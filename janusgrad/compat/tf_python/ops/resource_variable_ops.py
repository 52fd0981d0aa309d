"""tensorflow.python.ops.resource_variable_ops: janusgrad's variables are TF 2's resource
variables, so ResourceVariable (and BaseResourceVariable) is its Variable."""
from ....framework.missing import missing_names as _missing_names
from ....ops.state import Variable

ResourceVariable = BaseResourceVariable = Variable
__getattr__ = _missing_names(__name__)
