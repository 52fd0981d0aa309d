"""Sending step functions, arguments and variables to the replicas.

A step function refers to the model, the optimizer, the loss: cloudpickle (Ray's copy) sends
it with all of them. Three things need more than cloudpickle:
- a variable is sent by value the first time (Variable.__reduce__) and registered on the
  replica under a key; afterwards it is sent as that key, so every function a replica gets
  uses the same copy of it, and a variable changed by the first replica outside a step (a
  restored checkpoint, a reset metric) is sent again by key (`changed`);
- the strategy itself is sent as a mark: on a replica it is that replica's view of it;
- locks (optimizers, tf.functions hold some) are made anew.
"""
import _thread
import io
import pickle
import threading

from ..ops.state import Variable

_LOCKS = {_thread.RLock: threading.RLock, _thread.LockType: threading.Lock}

# on a replica: the variables received, by key, and the strategy's view there
REGISTRY = {}
STRATEGY = [None]


def _register(key, rebuild, args):
    variable = rebuild(*args)
    REGISTRY[key] = variable
    return variable


def register_made(key, variable):
    """A variable a replica made inside a step, known under `key` on every replica."""
    REGISTRY[key] = variable


class Shipper:
    """The first replica's side: pickles for the others, and what they already hold."""

    def __init__(self, ray, strategy):
        self.base = ray.cloudpickle.CloudPickler
        self.strategy = strategy
        self.keys = {}          # id(variable) -> key
        self.variables = {}     # key -> variable (kept alive: the key must stay its own)
        self.sent = {}          # key -> the value array the replicas hold
        self.count = 0
        shipper = self

        class _Pickler(self.base):
            def persistent_id(self, o):
                if o is shipper.strategy:
                    return ("strategy",)
                if isinstance(o, Variable) and o.graph is None:
                    key = shipper.keys.get(id(o))
                    if key is not None and key in shipper.sent:
                        return ("variable", key)
                return None

            def reducer_override(self, o):
                make = _LOCKS.get(type(o))
                if make is not None:
                    return make, ()
                if isinstance(o, Variable) and o.graph is None:
                    key = shipper.key_of(o)
                    self.fresh.append((key, o))
                    rebuild, args = o.__reduce__()
                    return _register, (key, rebuild, args)
                return super().reducer_override(o)

        self.pickler = _Pickler

    def key_of(self, variable):
        key = self.keys.get(id(variable))
        if key is None:
            key = self.keys[id(variable)] = ("sent", self.count)
            self.count += 1
            self.variables[key] = variable
        return key

    def made(self, key, variable):
        """A variable made in a step (the replicas made theirs alike, with its value)."""
        self.keys[id(variable)] = key
        self.variables[key] = variable
        self.sent[key] = variable.numpy()

    def dumps(self, obj):
        """obj pickled for the replicas."""
        buffer = io.BytesIO()
        pickler = self.pickler(buffer, protocol=pickle.HIGHEST_PROTOCOL)
        pickler.fresh = []
        pickler.dump(obj)
        for key, variable in pickler.fresh:
            self.sent[key] = variable.numpy()
        return buffer.getvalue()

    def changed(self):
        """{key: value} of the variables whose value changed since the replicas got it."""
        return {key: v.numpy() for key, v in self.variables.items()
                if key in self.sent and v.numpy() is not self.sent[key]}

    def mark_sent(self, values=None):
        """After a step (every replica made the same updates) or a push: the replicas hold
        the variables' values now."""
        if values is None:
            self.sent = {key: v.numpy() for key, v in self.variables.items() if key in self.sent}
        else:
            self.sent.update(values)


class _Unpickler(pickle.Unpickler):
    def persistent_load(self, pid):
        if pid[0] == "strategy":
            return STRATEGY[0]
        return REGISTRY[pid[1]]


def loads(data):
    """On a replica: what Shipper.dumps sent."""
    return _Unpickler(io.BytesIO(data)).load()
