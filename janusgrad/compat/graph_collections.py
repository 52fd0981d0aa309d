"""TF1's graph collections (tf.compat.v1.get_collection, GraphKeys, local variables and their
initializers).

A collection belongs to the default graph; when executing eagerly that is the process-wide
default graph, as in TF 2 (eager variables are in no collection, so `global_variables()` is
empty there, as TF's).
"""
from ..framework import dtypes
from ..framework.context import current_graph, get_default_graph
from ..framework.tensor import constant
from ..ops.array import stack
from ..ops.indexing import boolean_mask
from ..ops.control import name_scope
from ..ops.math import logical_not
from ..ops.state import Variable, global_variables, variables_initializer


class GraphKeys:
    """The names of TF's standard collections (TF's string values)."""
    GLOBAL_VARIABLES = "variables"
    LOCAL_VARIABLES = "local_variables"
    METRIC_VARIABLES = "metric_variables"
    MODEL_VARIABLES = "model_variables"
    TRAINABLE_VARIABLES = "trainable_variables"
    SUMMARIES = "summaries"
    QUEUE_RUNNERS = "queue_runners"
    TABLE_INITIALIZERS = "table_initializer"
    ASSET_FILEPATHS = "asset_filepaths"
    MOVING_AVERAGE_VARIABLES = "moving_average_variables"
    REGULARIZATION_LOSSES = "regularization_losses"
    CONCATENATED_VARIABLES = "concatenated_variables"
    SAVERS = "savers"
    WEIGHTS = "weights"
    BIASES = "biases"
    ACTIVATIONS = "activations"
    UPDATE_OPS = "update_ops"
    LOSSES = "losses"
    SAVEABLE_OBJECTS = "saveable_objects"
    RESOURCES = "resources"
    LOCAL_RESOURCES = "local_resources"
    TRAINABLE_RESOURCE_VARIABLES = "trainable_resource_variables"
    INIT_OP = "init_op"
    LOCAL_INIT_OP = "local_init_op"
    READY_OP = "ready_op"
    READY_FOR_LOCAL_INIT_OP = "ready_for_local_init_op"
    SUMMARY_OP = "summary_op"
    GLOBAL_STEP = "global_step"
    EVAL_STEP = "eval_step"
    TRAIN_OP = "train_op"
    COND_CONTEXT = "cond_context"
    WHILE_CONTEXT = "while_context"
    VARIABLES = "variables"             # TF's deprecated alias of GLOBAL_VARIABLES
    _SUMMARY_COLLECTION = "_SUMMARY_V2"
    _STREAMING_MODEL_PORTS = "streaming_model_ports"
    _VARIABLE_COLLECTIONS = [GLOBAL_VARIABLES, LOCAL_VARIABLES, METRIC_VARIABLES, MODEL_VARIABLES,
                             TRAINABLE_VARIABLES, MOVING_AVERAGE_VARIABLES,
                             CONCATENATED_VARIABLES, TRAINABLE_RESOURCE_VARIABLES]


def get_collection(key, scope=None):
    """A copy of the default graph's collection `key`; with `scope`, only the items whose name
    matches it (re.match)."""
    return get_default_graph().get_collection(key, scope)


def get_collection_ref(key):
    """The default graph's collection `key` itself: appending to it adds to the collection."""
    return get_default_graph().get_collection_ref(key)


def add_to_collection(name, value):
    """TF1: append `value` to the default graph's collection `name`."""
    get_default_graph().add_to_collection(name, value)


def add_to_collections(names, value):
    """Add `value` to each collection of `names` (a string is one name)."""
    get_default_graph().add_to_collections(names, value)


def _variables(key, scope):
    if current_graph() is None:
        return []
    return get_default_graph().get_collection(key, scope)


def local_variables(scope=None):
    """The variables of the LOCAL_VARIABLES collection (per-session state: counters, metrics)."""
    return _variables(GraphKeys.LOCAL_VARIABLES, scope)


def model_variables(scope=None):
    """TF1: the variables in the MODEL_VARIABLES collection (under `scope`)."""
    return _variables(GraphKeys.MODEL_VARIABLES, scope)


def moving_average_variables(scope=None):
    """TF1: the variables in the MOVING_AVERAGE_VARIABLES collection (under `scope`)."""
    return _variables(GraphKeys.MOVING_AVERAGE_VARIABLES, scope)


def local_variables_initializer():
    """The op initializing the local variables (None when executing eagerly)."""
    return variables_initializer(local_variables())


def is_variable_initialized(variable):
    """A bool scalar: whether the variable has a value yet."""
    if not isinstance(variable, Variable):
        raise TypeError(f"is_variable_initialized: variable must be a tf.Variable, got "
                        f"{variable!r}")
    return variable.is_initialized()


def report_uninitialized_variables(var_list=None, name="report_uninitialized_variables"):
    """A 1-D string tensor: the names of the variables of `var_list` (the global and local
    variables by default) not initialized yet."""
    if var_list is None:
        var_list = global_variables() + local_variables()
    var_list = list(var_list)
    for v in var_list:
        if not isinstance(v, Variable):
            raise TypeError(f"report_uninitialized_variables: var_list must hold tf.Variables, "
                            f"got {v!r}")
    with name_scope(name):
        if not var_list:
            return constant([], dtype=dtypes.string)
        uninitialized = logical_not(stack([v.is_initialized() for v in var_list]))
        names = constant([v.name.rpartition(":")[0].encode() for v in var_list])   # TF's bytes
        return boolean_mask(names, uninitialized)
