"""The arrays fit/evaluate/predict take, as Keras 3's array data adapter reads them:
NumPy arrays or tensors, or lists/dicts of them; a tf.data Dataset or a generator is refused."""
import inspect

import numpy as np

from ..framework import nest
from ..framework.tensor import Tensor


def to_numpy(structure, what):
    def leaf(v):
        if v is None:
            return None
        if isinstance(v, np.ndarray):
            return v
        if isinstance(v, Tensor) or hasattr(v, "numpy"):
            return np.asarray(v.numpy())
        if isinstance(v, (int, float, bool, np.generic)) or \
                isinstance(v, (list, tuple)) and not any(
                    isinstance(e, (np.ndarray, Tensor, dict)) for e in v):
            return np.asarray(v)
        raise TypeError(f"{what}: expected NumPy arrays or tensors (or lists/dicts of them); "
                        f"received {type(v).__name__}")
    if structure is None:
        return None
    refuse_pipelines(structure, what)
    if isinstance(structure, dict):
        return {k: to_numpy(v, what) for k, v in structure.items()}
    if isinstance(structure, (list, tuple)) and any(
            isinstance(e, (np.ndarray, Tensor, dict, list, tuple)) or hasattr(e, "numpy")
            for e in structure):
        return type(structure)(to_numpy(v, what) for v in structure) \
            if type(structure) in (list, tuple) else [to_numpy(v, what) for v in structure]
    return leaf(structure)


def refuse_pipelines(x, what):
    if hasattr(x, "element_spec") or inspect.isgenerator(x) or \
            type(x).__name__ in ("PyDataset", "Sequence", "DataLoader"):
        raise NotImplementedError(
            f"{what}: janusgrad's Model.fit/evaluate/predict take NumPy arrays or tensors (or "
            f"lists/dicts of them); tf.data Datasets, generators and PyDatasets are not "
            f"supported. Received {type(x).__name__}")


def leaves(structure):
    return [v for v in nest.flatten(structure) if v is not None]


def num_samples(*structures):
    per = [[len(v) if np.ndim(v) else 1 for v in leaves(s)] for s in structures]
    sizes = {n for p in per for n in p}
    if len(sizes) > 1:
        listed = " ".join(f"'{label}' sizes: {', '.join(map(str, p))}" for label, p in
                          zip(("x", "y", "sample_weight"), per) if p)
        raise ValueError(f"Data cardinality is ambiguous. Make sure all arrays contain the "
                         f"same number of samples.{listed}")
    return sizes.pop() if sizes else 0


def take(structure, index):
    return nest.map_structure(lambda v: None if v is None else v[index], structure)


def unpack_x_y_sample_weight(data):
    """(x,) / (x, y) / (x, y, sample_weight) -> (x, y, sample_weight), as Keras's."""
    if isinstance(data, list):
        data = tuple(data)
    if not isinstance(data, tuple):
        return data, None, None
    if len(data) == 1:
        return data[0], None, None
    if len(data) == 2:
        return data[0], data[1], None
    if len(data) == 3:
        return data
    raise ValueError(f"Data is expected to be in format `x`, `(x,)`, `(x, y)`, or "
                     f"`(x, y, sample_weight)`, found: {data}")


def class_weights(y, sample_weight, class_weight):
    """Keras 3's class_weight: each sample weighs class_weight[its class] (1 if absent);
    the class of a one-hot row is its argmax."""
    if sample_weight is not None:
        raise ValueError("You cannot `class_weight` and `sample_weight` at the same time.")
    if isinstance(y, (list, tuple, dict)):
        raise ValueError("`class_weight` is only supported for Models with a single output.")
    labels = np.asarray(y)
    if labels.ndim > 1:
        labels = np.argmax(labels, -1) if labels.shape[-1] != 1 else np.squeeze(labels, -1)
    labels = np.round(labels).astype(np.int32)
    return np.array([class_weight.get(int(c), 1.0) for c in labels], np.float32)
