"""TapeRecord: one op a tape recorded, with the same read-only face as a graph Operation, so
that the one sweep (backprop.py) walks either."""


class TapeRecord:
    """One recorded op: the same read-only face as a graph Operation."""
    __slots__ = ("type", "inputs", "outputs", "attrs", "grad_fn", "skip_input_indices")
    gradient_type = None

    def __init__(self, op_type, inputs, outputs, attrs, grad_fn, skip=None):
        self.type = op_type
        self.inputs = inputs
        self.outputs = outputs
        self.attrs = attrs
        self.grad_fn = grad_fn
        # inputs no source depends on (TF's name): gradient functions may skip them
        self.skip_input_indices = skip

    @property
    def name(self):
        return self.type

    def get_attr(self, name):
        try:
            return self.attrs[name]
        except KeyError:
            raise ValueError(f"Op '{self.type}' has no attr named '{name}'") from None


class GraphRecord:
    """A graph Operation as a tape records it (a tape used while tracing a tf.function): the
    tape's view of the op, as TF's tape sees it. Its gradient is the op's own (`grad_fn`, else
    the registry's for its type): a `gradient_override_map` is for tf.gradients, which walks
    the graph itself, not for tapes. Inputs that no watched tensor reaches are marked skipped,
    as on an eager record. Everything else (`name`, `graph`, ...) is the Operation's."""
    __slots__ = ("op", "type", "inputs", "outputs", "grad_fn", "skip_input_indices")
    gradient_type = None

    def __init__(self, op, skip=None):
        self.op = op
        self.type = op.type
        self.inputs = op.inputs
        self.outputs = op.outputs
        self.grad_fn = op.grad_fn
        self.skip_input_indices = skip

    @property
    def attrs(self):
        return self.op.attrs

    def get_attr(self, name):
        return self.op.get_attr(name)

    def __getattr__(self, name):
        return getattr(self.op, name)

    def __repr__(self):
        return f"<tape record of {self.op!r}>"
