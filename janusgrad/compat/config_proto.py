"""tf.compat.v1.ConfigProto, GPUOptions, GraphOptions, OptimizerOptions, RunOptions, RunMetadata.

TF's are protocol buffers; these are small Python messages with the same fields, defaults and
errors, so that a program's session boilerplate runs: the values are stored and can be read back,
and janusgrad runs everything on the CPU whatever they say. An unknown field is TF's
ValueError (in the constructor) or AttributeError (on assignment); a value of the wrong type is a
TypeError; a sub-message such as `gpu_options` is made on first read and is not assigned to (set
its fields, or pass it, or a dict, to the constructor). The `experimental` sub-messages accept any
field.
"""


class Message:
    """A protocol-buffer-like message: FIELDS maps each field to its default (bool, int, float
    or str: a scalar of that type; a Message subclass: a sub-message; dict: a map; list: a
    repeated field)."""
    FIELDS = {}
    OPEN = False        # accepts any field (the `experimental` sub-messages)

    def __init__(self, **fields):
        for name, value in fields.items():
            if name not in self.FIELDS and not self.OPEN:
                raise ValueError(f'Protocol message {type(self).__name__} has no "{name}" field.')
            default = self.FIELDS.get(name)
            if isinstance(default, type):
                if isinstance(value, dict):
                    value = default(**value)
                elif not isinstance(value, default):
                    raise TypeError(f"{type(self).__name__}: {name} must be a {default.__name__} "
                                    f"or a dict, got {type(value).__name__}")
                self.__dict__[name] = value
            elif isinstance(default, dict):
                getattr(self, name).update(value)
            elif isinstance(default, list):
                getattr(self, name).extend(value)
            else:
                setattr(self, name, value)

    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        if name not in self.FIELDS:
            if self.OPEN:
                return None
            raise AttributeError(f'Protocol message {type(self).__name__} has no "{name}" field.')
        default = self.FIELDS[name]
        if isinstance(default, type):
            value = default()
        elif isinstance(default, (dict, list)):
            value = type(default)()
        else:
            return default
        self.__dict__[name] = value
        return value

    def __setattr__(self, name, value):
        default = self.FIELDS.get(name)
        if name not in self.FIELDS:
            if not self.OPEN:
                raise AttributeError(
                    f'Protocol message {type(self).__name__} has no "{name}" field.')
        elif isinstance(default, (type, dict, list)):
            raise AttributeError(f'Assignment not allowed to field "{name}" in protocol '
                                 "message object.")
        else:
            value = _checked(type(self).__name__, name, default, value)
        self.__dict__[name] = value

    def _set_fields(self):
        return {k: v for k, v in self.__dict__.items()
                if v != (type(self.FIELDS[k])() if isinstance(self.FIELDS.get(k), (dict, list))
                         else self.FIELDS.get(k))
                and not (isinstance(v, Message) and not v._set_fields())}

    def __eq__(self, other):
        return type(other) is type(self) and self._set_fields() == other._set_fields()

    __hash__ = None

    def __str__(self):
        lines = []
        for k, v in self._set_fields().items():
            if isinstance(v, Message):
                inner = "".join("  " + line + "\n" for line in str(v).splitlines())
                lines.append(f"{k} {{\n{inner}}}")
            elif isinstance(v, dict):
                lines += [f"{k} {{\n  key: {_text(key)}\n  value: {_text(val)}\n}}"
                          for key, val in v.items()]
            elif isinstance(v, list):
                lines += [f"{k}: {_text(item)}" for item in v]
            else:
                lines.append(f"{k}: {_text(v)}")
        return "".join(line + "\n" for line in lines)

    __repr__ = __str__

    def CopyFrom(self, other):  # noqa: N802  (protobuf's name)
        self.__dict__.clear()
        self.MergeFrom(other)

    def MergeFrom(self, other):  # noqa: N802
        for k, v in other._set_fields().items():
            if isinstance(v, Message):
                getattr(self, k).MergeFrom(v)
            elif isinstance(v, (dict, list)):
                self.__dict__[k] = type(v)(v)
            else:
                self.__dict__[k] = v


def _text(v):
    if isinstance(v, bool):
        return "true" if v else "false"
    return f'"{v}"' if isinstance(v, str) else repr(v)


def _checked(owner, name, default, value):
    kind = type(default)
    if kind is float and isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    if kind is int and isinstance(value, int) and not isinstance(value, bool) \
            or kind is bool and isinstance(value, (bool, int)) or kind is str and isinstance(
                value, str):
        return kind(value)
    if kind in (bool, int) and hasattr(value, "__index__") and not isinstance(value, float):
        return kind(value.__index__())
    raise TypeError(f"{owner}.{name} must be a {kind.__name__}, got {value!r} of type "
                    f"{type(value).__name__}")


class Experimental(Message):
    """The `experimental` sub-messages: any field is accepted and stored."""
    OPEN = True


class GPUOptions(Message):
    """The GPU settings of a ConfigProto (allow_growth, per_process_gpu_memory_fraction,
    visible_device_list ...). Accepted and read back, without effect: janusgrad runs on the CPU."""
    FIELDS = {"per_process_gpu_memory_fraction": 0.0, "allow_growth": False,
              "allocator_type": "", "deferred_deletion_bytes": 0, "visible_device_list": "",
              "polling_active_delay_usecs": 0, "polling_inactive_delay_msecs": 0,
              "force_gpu_compatible": False, "experimental": Experimental}


class OptimizerOptions(Message):
    """The graph optimizer settings of a GraphOptions (opt_level, global_jit_level ...). Accepted
    and read back, without effect."""
    L1, L0 = 0, -1                              # opt_level
    DEFAULT, OFF, ON_1, ON_2 = 0, -1, 1, 2      # global_jit_level
    FIELDS = {"do_common_subexpression_elimination": False, "do_constant_folding": False,
              "max_folded_constant_in_bytes": 0, "do_function_inlining": False,
              "opt_level": 0, "global_jit_level": 0, "cpu_global_jit": False}


class GraphOptions(Message):
    """The graph settings of a ConfigProto (optimizer_options, infer_shapes ...). Accepted and read
    back, without effect."""
    FIELDS = {"enable_recv_scheduling": False, "optimizer_options": OptimizerOptions,
              "build_cost_model": 0, "build_cost_model_after": 0, "infer_shapes": False,
              "place_pruned_graph": False, "enable_bfloat16_sendrecv": False,
              "timeline_step": 0, "rewrite_options": Experimental}


class ThreadPoolOptionProto(Message):
    FIELDS = {"num_threads": 0, "global_name": ""}


class ConfigProto(Message):
    """TF1's session configuration (`tf.compat.v1.ConfigProto`: device_count, thread counts,
    gpu_options, allow_soft_placement ...), accepted and read back. A small Python class, not a
    protobuf; its settings change nothing (everything runs on the CPU)."""
    FIELDS = {"device_count": {}, "intra_op_parallelism_threads": 0,
              "inter_op_parallelism_threads": 0, "use_per_session_threads": False,
              "session_inter_op_thread_pool": [], "placement_period": 0, "device_filters": [],
              "gpu_options": GPUOptions, "pluggable_device_options": GPUOptions,
              "allow_soft_placement": False, "log_device_placement": False,
              "graph_options": GraphOptions, "operation_timeout_in_ms": 0,
              "rpc_options": Experimental, "cluster_def": Experimental,
              "isolate_session_state": False, "share_cluster_devices_in_session": False,
              "experimental": Experimental}
    Experimental = Experimental


class RunOptions(Message):
    """Options for one `Session.run` call (trace_level, timeout_in_ms ...). Accepted, without
    effect."""
    NO_TRACE, SOFTWARE_TRACE, HARDWARE_TRACE, FULL_TRACE = 0, 1, 2, 3
    FIELDS = {"trace_level": 0, "timeout_in_ms": 0, "inter_op_thread_pool": 0,
              "output_partition_graphs": False, "debug_options": Experimental,
              "report_tensor_allocations_upon_oom": False, "experimental": Experimental}
    Experimental = Experimental


class RunMetadata(Message):
    """What Session.run(run_metadata=...) fills in TF; janusgrad leaves it empty."""
    FIELDS = {"step_stats": Experimental, "cost_graph": Experimental, "partition_graphs": [],
              "function_graphs": []}
