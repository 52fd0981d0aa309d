"""Layers that merge a list of inputs: Concatenate, Add, Subtract, Multiply, Average."""
from ...framework.shape import TensorShape
from ...framework.tensor import convert_to_tensor
from ...ops.array import concat
from .base import Layer


def _inputs(layer, inputs, exactly=None):
    count = len(inputs) if isinstance(inputs, (list, tuple)) else 1
    if exactly is not None and count != exactly:
        raise ValueError(f"A `{type(layer).__name__}` layer should be called on exactly "
                         f"{exactly} inputs. Received: {count} inputs")
    if count < 2:
        raise ValueError(f"A merge layer ({type(layer).__name__}) should be called on a list "
                         f"of at least 2 inputs. Got {count} inputs.")
    return [convert_to_tensor(x) for x in inputs]


def _broadcast_dim(x, y):
    if x is None or y is None:
        return y if x == 1 else x if y == 1 else None
    if x != y and 1 not in (x, y):
        raise ValueError
    return max(x, y)


def merged_shape(shapes):
    """The shape (batch axis excluded) of merging `shapes` elementwise, by Keras's rule:
    the trailing axes equal or one of them 1; else its ValueError naming both shapes."""
    out = list(shapes[0])
    for s in shapes[1:]:
        s = list(s)
        long, short = (out, s) if len(out) >= len(s) else (s, out)
        try:
            tail = [_broadcast_dim(x, y) for x, y in
                    zip(long[len(long) - len(short):], short, strict=True)]
        except ValueError:
            raise ValueError("Inputs have incompatible shapes. Received shapes "
                             f"{tuple(out)} and {tuple(s)}") from None
        out = long[:len(long) - len(short)] + tail
    return out


class _Merge(Layer):
    exactly = None

    def call(self, inputs):
        xs = _inputs(self, inputs, self.exactly)
        if all(x.shape.rank is not None for x in xs):
            merged_shape([x.shape.as_list()[1:] for x in xs])
        return self.merge(xs)

    def compute_output_shape(self, input_shape):
        shapes = [TensorShape(s).as_list() for s in input_shape]
        return TensorShape([shapes[0][0], *merged_shape([s[1:] for s in shapes])])


class Add(_Merge):
    """The elementwise sum of the inputs."""

    def merge(self, xs):
        out = xs[0]
        for x in xs[1:]:
            out = out + x
        return out


class Subtract(_Merge):
    """inputs[0] - inputs[1] (exactly two inputs)."""

    exactly = 2

    def merge(self, xs):
        return xs[0] - xs[1]


class Multiply(_Merge):
    """The elementwise product of the inputs."""

    def merge(self, xs):
        out = xs[0]
        for x in xs[1:]:
            out = out * x
        return out


class Average(_Merge):
    """The elementwise mean of the inputs."""

    def merge(self, xs):
        out = xs[0]
        for x in xs[1:]:
            out = out + x
        return out / float(len(xs))


class Concatenate(Layer):
    """The inputs joined along `axis` (the last by default); the other axes must match."""

    def __init__(self, axis=-1, **kwargs):
        super().__init__(**kwargs)
        self.axis = axis

    def _check(self, shapes):
        ranks = {len(s) for s in shapes}
        ok = len(ranks) == 1
        if ok:
            rank = ranks.pop()
            axis = self.axis % rank
            for s in shapes[1:]:
                for i, (x, y) in enumerate(zip(shapes[0], s, strict=True)):
                    if i != axis and x is not None and y is not None and x != y:
                        ok = False
        if not ok:
            raise ValueError("A `Concatenate` layer requires inputs with matching shapes "
                             "except for the concatenation axis. Received: input_shape="
                             f"{[tuple(s) for s in shapes]}")

    def call(self, inputs):
        xs = _inputs(self, inputs)
        if all(x.shape.rank is not None for x in xs):
            self._check([x.shape.as_list() for x in xs])
        return concat(xs, self.axis)

    def compute_output_shape(self, input_shape):
        shapes = [TensorShape(s).as_list() for s in input_shape]
        self._check(shapes)
        axis = self.axis % len(shapes[0])
        out = list(shapes[0])
        sizes = [s[axis] for s in shapes]
        out[axis] = None if any(d is None for d in sizes) else sum(sizes)
        return TensorShape(out)

    def get_config(self):
        return {**super().get_config(), "axis": self.axis}
