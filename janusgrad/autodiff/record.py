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
