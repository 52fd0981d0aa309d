"""Keras 3 variables: `name` is the weight's own name ('kernel'), `path` the layer path it was
created under ('dense/kernel'), as keras.Variable (a tf.Variable with TF's ':0' names otherwise)."""
from ..ops.state import Variable


class KerasVariable(Variable):
    """A Keras 3 variable (`tf.keras.Variable`): `name` is the weight's own name ('kernel'), `path`
    the layer's path to it ('dense/kernel')."""
    def __init__(self, initial_value, name, path, **kwargs):
        super().__init__(initial_value, name=path, **kwargs)
        self._keras_name = name
        self._path = path

    @property
    def name(self):
        return self._keras_name

    @property
    def path(self):
        return self._path

    def __repr__(self):
        value = self._resource.value
        text = "" if self.graph is not None or value is None else f", value={value}"
        return (f"<Variable path={self._path}, shape={tuple(self.shape.as_list())}, "
                f"dtype={self.dtype.name}{text}>")
