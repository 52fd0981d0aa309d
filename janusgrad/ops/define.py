"""How an op family declares its ops: `@op` registers a NumPy kernel in the op table
(framework/registry.py) and returns the op's public function, with TF's argument conversion and
a fast eager entry; positional parameters of the kernel are tensor inputs, keyword-only
parameters are attrs. The gradient goes right below the kernel with `@gradient` (the registry's).
Also the helpers op functions share: TF's dtype rules for arguments, ints known at graph
construction, static shape inference, numbers in a kernel's own dtype.
"""
import inspect
import types
import math

import numpy as np

from ..framework import dtypes
from ..framework.context import ctx, process_state
from ..framework.context import executing_eagerly as _eager
from ..framework.errors import InvalidArgumentError, in_api, short_repr
from ..framework.execute import execute, run_eager
from ..framework.registry import OPS, elementwise_infer, register_kernel
from ..framework.shape import TensorShape
from ..framework.tf_messages import dtype_mismatch
from ..framework.tensor import EagerTensor, Tensor, constant, convert_to_tensor, next_id
from .state import Variable


# -- static shape / dtype inference helpers (graph mode only) ---------------------------------

def fixed(dtype=None, shape=None):
    """An `infer` for one output whose dtype / shape are functions of (inputs, attrs) or fixed."""
    def infer(inputs, attrs):
        dt = dtype(inputs, attrs) if callable(dtype) else (dtype or inputs[0].dtype)
        if shape is None:
            shp = elementwise_infer(inputs, attrs)[0][1]
        elif callable(shape):
            shp = shape(inputs, attrs)
        else:
            shp = shape
        return [(dt, shp if isinstance(shp, TensorShape) else TensorShape(shp))]
    return infer


def unknown_infer(inputs, attrs):
    return [(inputs[0].dtype, TensorShape(None))]


# -- argument conversion ----------------------------------------------------------------------

_SCALARS = (float, int)
_SCALAR_CACHE = {}


def scalar_tensor(value, dtype):
    """The eager tensor for a Python number (or NumPy scalar) in an op with a tensor of
    `dtype` (`x * 0.5`), cached: eager tensors are immutable, and a loop repeats the same few
    constants. None when TF would not convert it (a float into an integer dtype)."""
    key = (type(value), value, dtype)
    if value == 0 and isinstance(value, (float, np.floating)):
        key += (math.copysign(1.0, value),)     # -0.0 == 0.0: not the same constant
    t = _SCALAR_CACHE.get(key)
    if t is None:
        if type(value) is float and not dtype.is_floating:
            return None
        if type(value) is int and dtype.is_integer and \
                not int(dtype.min) <= value <= int(dtype.max):
            return None                     # 300 into uint8 (NumPy 1.x would wrap it, and warn)
        try:
            arr = np.array(value, dtype.np)
        except (OverflowError, TypeError, ValueError):
            return None
        if arr != value:                    # a value the dtype cannot hold: refuse, as TF
            return None
        if len(_SCALAR_CACHE) >= 512:
            _SCALAR_CACHE.clear()
        t = _SCALAR_CACHE[key] = EagerTensor(arr, dtype)
    return t


def convert_same_dtype(op_type, args, names, first_input=0):
    """Tensors for `args`, all of one dtype: Python values take the dtype of the first tensor,
    two tensors of different dtypes are an error (TF does not promote): eagerly TF's
    InvalidArgumentError, naming the op's input `first_input + i`; in a graph a TypeError."""
    first = None
    for a in args:
        if isinstance(a, Tensor):
            first = a
            break
        if hasattr(a, "_as_tensor"):
            first = a
            break
    dtype = first.dtype if first is not None else None
    out = []
    for i, a in enumerate(args):
        if isinstance(a, Tensor):
            t = a
        elif (type(a) in _SCALARS and dtype is not None and _eager()
              and (t := scalar_tensor(a, dtype)) is not None):
            pass                                                # the common `x * 0.5`, fast
        elif hasattr(a, "_as_tensor"):
            t = a._as_tensor(None)
        else:
            try:
                t = constant(a, dtype) if dtype is not None else convert_to_tensor(a)
            except (TypeError, ValueError) as e:
                want = f"the dtype {dtype.name} of the other inputs" if dtype is not None \
                    else "a tensor"
                raise type(e)(f"{op_type}: cannot convert {names[i]}={short_repr(a)} to {want}"
                              ) from None
        if dtype is not None and t.dtype is not dtype:
            if _eager():
                raise dtype_mismatch(op_type, first_input + i, dtype, t.dtype)
            if names[0].endswith("[0]"):                # a list argument: TF's words for it
                kinds = ", ".join(getattr(a, "dtype", dtype).name for a in args)
                raise TypeError(f"Tensors in list passed to '{names[0][:-3]}' of '{op_type}' "
                                f"Op have types [{kinds}] that don't all match.")
            raise TypeError(f"Input '{names[i]}' of '{op_type}' Op has type {t.dtype.name} that "
                            f"does not match type {dtype.name} of argument '{names[0]}'.")
        out.append(t)
    return out


def invalid(message):
    """The error for an argument value an op cannot take (an axis out of range): TF's kernel
    refuses it eagerly (InvalidArgumentError), its shape function in a graph (ValueError)."""
    return InvalidArgumentError(message) if _eager() else ValueError(message)


def as_int(op_type, what, value):
    """`value` as a Python int for the argument `what` of `op_type`: ints, integer NumPy scalars
    and integer tensors whose value is known; anything else is an error naming the op (the
    public function being called when op_type is None)."""
    if type(value) is int:
        return value
    v = _known_value(op_type, what, value)
    if isinstance(v, np.ndarray) and v.ndim == 0 and v.dtype.kind in "iu":
        return int(v)
    if isinstance(v, (int, np.integer)) and not isinstance(v, (bool, np.bool_)):
        return int(v)
    raise TypeError(_where(op_type, f"{what} must be an integer, got {short_repr(value)}"))


def as_ints(op_type, what, value):
    """`value` (an int or a 1-D sequence, array or tensor of ints) as a list of Python ints."""
    if type(value) in (list, tuple) and all(type(a) is int for a in value):
        return list(value)
    v = _known_value(op_type, what, value)
    if isinstance(v, np.ndarray) and v.dtype.kind in "iu" and v.ndim <= 1:
        return [int(a) for a in v.reshape(-1)]
    if isinstance(v, (list, tuple)):
        return [as_int(op_type, what, a) for a in v]
    return [as_int(op_type, what, v)]


def _known_value(op_type, what, value):
    if isinstance(value, Tensor):
        from .array import constant_value
        v = constant_value(value)
        if v is None:
            raise ValueError(_where(op_type, f"{what} must be known when the graph is built, "
                                    f"got the tensor {value.name}"))
        return v
    return value


def _where(op_type, message):
    return f"{op_type}: {message}" if op_type else in_api(message)


def op(op_type, *, infer=None, multi=False, side_effect=False, same_dtype=True,
       allowed=None, default_name=None):
    """Register the decorated NumPy kernel for `op_type`; return its public function.

    `allowed`: a predicate on the input DType, checked on the first input (e.g. floats only),
    so that a wrong dtype is a TypeError naming the op in both modes.
    `default_name`: the name of the op in a graph when the call gives none, where TF's public
    function names it otherwise than by its type (`tf.add` makes an AddV2 named "Add");
    `fn.named(default)` is the same function with another default (`x + y` is named "add").
    Only graph ops have names: the eager path never reads it (the signature keeps TF's
    `name=None`; None becomes the default on the graph path only).
    """
    def decorate(kernel):
        params = inspect.signature(kernel).parameters.values()
        names = [p.name for p in params if p.kind is p.POSITIONAL_OR_KEYWORD]
        if _ENTRY_NAMES.intersection(names):
            raise ValueError(f"{op_type}: a kernel parameter may not be named one of "
                             f"{sorted(_ENTRY_NAMES)} (the names its public function uses)")
        ufunc = _as_ufunc(kernel)
        register_kernel(op_type, ufunc or kernel, infer=infer, multi=multi,
                        side_effect=side_effect, ufunc=ufunc is not None)
        n = len(names)
        # the predicate, evaluated once per dtype: a set lookup per call
        allowed_set = None if allowed is None else frozenset(
            d for d in dtypes.BY_NAME.values() if d.np is not None and allowed(d))

        opdef = OPS[op_type]

        def public(args, name, attrs):
            """Any mode, any arguments: conversion by TF's dtype rules, then execute (its
            name and `op_type` are what errors.api_name looks for on the stack)."""
            if len(args) != n:
                args = _bind(op_type, names, args, attrs)
            if same_dtype:
                if n == 1:
                    a = args[0]
                    inputs = [a if isinstance(a, Tensor) else convert_to_tensor(a)]
                else:
                    inputs = convert_same_dtype(op_type, args, names)
            else:
                inputs = [a if isinstance(a, Tensor) else convert_to_tensor(a) for a in args]
            if allowed_set is not None and inputs[0].dtype not in allowed_set:
                raise TypeError(f"Value passed to parameter '{names[0]}' of op '{op_type}' has "
                                f"DataType {inputs[0].dtype.name} not in the list of allowed "
                                "values for this op")
            outs = execute(op_type, inputs, attrs, name=name)
            return outs if multi else outs[0]

        # The function users call: `public` behind an eager entry with the kernel's own
        # parameters (see `_entry`), whose `name` defaults to `default`
        general = multi or side_effect or n > 2 or \
            any(p.kind is not p.POSITIONAL_OR_KEYWORD for p in params)

        def make_entry(default):
            if general:
                def entry(*args, name=None, **attrs):
                    return public(args, default if name is None else name, attrs)
            else:
                entry = _entry(names, same_dtype, opdef, allowed_set, public, default)
            entry.__name__ = kernel.__name__
            entry.__qualname__ = kernel.__qualname__
            entry.__module__ = kernel.__module__    # its home: pickles by reference (Ray's)
            entry.__doc__ = kernel.__doc__
            entry.kernel = kernel
            entry.op_type = op_type
            entry.named = make_entry
            return entry
        return make_entry(default_name)
    return decorate


def _ufunc_templates():
    def unary(x):
        return np.f(x)

    def binary(x, y):
        return np.f(x, y)
    return {unary.__code__.co_code, binary.__code__.co_code}


_UFUNC_CALLS = _ufunc_templates()


def _as_ufunc(kernel):
    """The ufunc itself for a kernel whose whole body is `return np.<ufunc>(x)` or
    `return np.<ufunc>(x, y)` (its bytecode is the template's, with `np` this module's NumPy):
    calling the ufunc directly saves a Python frame, about 0.1 us a run. None otherwise."""
    code = getattr(kernel, "__code__", None)
    if code is None or code.co_code not in _UFUNC_CALLS or len(code.co_names) != 2 or \
            code.co_kwonlyargcount or code.co_flags & (inspect.CO_VARARGS |
                                                       inspect.CO_VARKEYWORDS) or \
            kernel.__defaults__ or kernel.__closure__ or kernel.__globals__.get("np") is not np:
        return None
    f = getattr(np, code.co_names[1], None)
    return f if isinstance(f, np.ufunc) and f.nin == code.co_argcount else None


# The eager entry of a one- or two-input op, written out with the kernel's parameter names
# (`def sin(x, name=None)`, `def add(x, y, name=None)`) and compiled once per op, as
# namedtuple and dataclasses do: a fixed signature binds its arguments without building an
# *args tuple and a **kwargs dict, about 0.25 us of the 1.5 us an eager op costs. Its eager
# path is execute.run_eager written out in it (keep them in step), which saves a call; a
# kernel that raises is called again through run_eager, which names the error (an op with a
# side effect gets no such entry). Calls that are not eager tensors in eager mode go to the
# op's general path, `public`. Its own names start with "_", so that a kernel parameter (`y`,
# `out`) never shadows them.
_UNARY = """
def _entry({a}, name=None):
    if not ctx.graph_stack and (process_state["eager"] or ctx.force_eager):
        if type({a}) is Variable:
            {a} = {a}.value()                           # read once, here
        if type({a}) is EagerTensor and (allowed_set is None or {a}.dtype in allowed_set):
            try:
                _out = opdef.kernel({a}._value)
            except Exception:
                return run_eager(opdef, {a})
{wrap}
            if ctx.tapes:
                for _tape in ctx.tapes:
                    _tape.record_op(op_type, [{a}], [_y], _NO_ATTRS, None)
            return _y
    return public(({a},), _default if name is None else name, {{}})
"""
_BINARY = """
def _entry({a}, {b}, name=None):
    if not ctx.graph_stack and (process_state["eager"] or ctx.force_eager):
        if type({a}) is not EagerTensor or type({b}) is not EagerTensor:
            if not same_dtype:
                return public(({a}, {b}), name, {{}})
            {a}, {b} = _eager_operands({a}, {b})      # `x * 0.5`, `x + bias` ...
        if type({a}) is EagerTensor and type({b}) is EagerTensor and \\
                ({b}.dtype is {a}.dtype or not same_dtype) and \\
                (allowed_set is None or {a}.dtype in allowed_set):
            try:
                _out = opdef.kernel({a}._value, {b}._value)
            except Exception:
                return run_eager(opdef, {a}, {b})
{wrap}
            if ctx.tapes:
                for _tape in ctx.tapes:
                    _tape.record_op(op_type, [{a}, {b}], [_y], _NO_ATTRS, None)
            return _y
    return public(({a}, {b}), _default if name is None else name, {{}})
"""
# the output tensor `_y` over the kernel's `_out`, as run_eager makes it
_WRAP = """\
            _dt = ({a}.dtype if _out.dtype is {a}._value.dtype else _BY_NP.get(_out.dtype)) \\
                if type(_out) is _ndarray else None
            if _dt is not None:
                _y = _new_tensor(EagerTensor)
                _y._value = _out
                _y.dtype = _dt
                _y._id = next_id()
                _y._stand_in = None
            else:
                _y = EagerTensor(_out)"""
_ENTRY_GLOBALS = {"ctx": ctx, "process_state": process_state, "Variable": Variable,
                  "EagerTensor": EagerTensor, "run_eager": run_eager, "_ndarray": np.ndarray,
                  "_BY_NP": dtypes.BY_NUMPY, "_new_tensor": object.__new__, "next_id": next_id,
                  "_NO_ATTRS": {}}
_ENTRY_NAMES = {"name", "opdef", "op_type", "allowed_set", "public", "same_dtype", "_entry",
                "_eager_operands", "_default"} | set(_ENTRY_GLOBALS)


def _entry(names, same_dtype, opdef, allowed_set, public, default=None):
    """The entry's source depends on its parameters' names only: compiled once per names
    (import time), each op gets its own copy of that code (`replace`: no compiling), as the
    interpreter specializes a code object's global lookups to one namespace."""
    code = _ENTRY_CODE.get(names_key := tuple(names))
    if code is None:
        wrap = _WRAP.format(a=names[0])
        source = _UNARY.format(a=names[0], wrap=wrap) if len(names) == 1 else \
            _BINARY.format(a=names[0], b=names[1], wrap=wrap)
        module = compile(source, "<janusgrad op entry>", "exec")
        code = _ENTRY_CODE[names_key] = next(c for c in module.co_consts
                                             if isinstance(c, types.CodeType))
    namespace = dict(_ENTRY_GLOBALS, __name__=__name__, opdef=opdef, op_type=opdef.type,
                     allowed_set=allowed_set, public=public, same_dtype=same_dtype,
                     _eager_operands=_eager_operands, _default=default)
    own = code.replace(co_filename=f"<janusgrad entry of {opdef.type}>")
    return types.FunctionType(own, namespace, "_entry", (None,))      # (name=None)


_ENTRY_CODE = {}        # parameter names -> the compiled source of their entry


def _eager_operands(a, b):
    """The operands of a binary op called eagerly, with the variables read (once), a Python
    number made a tensor of the other operand's dtype (`x * 0.5`, `1.0 - x`) where TF would
    convert it, and a NumPy scalar of that very dtype made a tensor; what is still not an
    eager tensor goes to the general path (which converts other NumPy scalars, or raises)."""
    if type(a) is Variable:
        a = a.value()
    if type(b) is Variable:
        b = b.value()
    if type(a) is EagerTensor:
        if type(b) in _SCALARS and (t := scalar_tensor(b, a.dtype)) is not None:
            b = t
        elif isinstance(b, np.generic) and b.dtype is a._value.dtype and \
                (t := scalar_tensor(b, a.dtype)) is not None:           # `x * np.float32(2)`
            b = t
    elif type(b) is EagerTensor:
        if type(a) in _SCALARS:
            if (t := scalar_tensor(a, b.dtype)) is not None:
                a = t
        elif isinstance(a, np.generic) and a.dtype is b._value.dtype and \
                (t := scalar_tensor(a, b.dtype)) is not None:
            a = t
    return a, b


def _bind(op_type, names, args, attrs):
    args = list(args)
    for n in names[len(args):]:
        if n not in attrs:
            raise TypeError(f"{op_type} missing required argument '{n}'")
        args.append(attrs.pop(n))
    if len(args) != len(names):
        raise TypeError(f"{op_type} takes {len(names)} tensor arguments ({', '.join(names)}), "
                        f"got {len(args)}")
    return args


def floating(dt):
    return dt.is_floating or dt.is_complex


def numeric(dt):
    return dt.is_floating or dt.is_integer or dt.is_complex


class PerDtype(dict):
    """A number for kernels to combine with arrays, as a NumPy scalar of the arrays' dtype:
    `ONE = PerDtype(1)`, then `dy * (ONE[y.dtype] - y * y)` (each dtype's scalar is made once).
    A Python number would leave the result's dtype to NumPy's promotion rules: NumPy 2 keeps
    float32 in `y * 0.5`, NumPy 1.x gives float64 when every operand is a scalar or 0-d
    (value-based casting). A scalar of y's own dtype keeps y's dtype under both, and costs no
    more than NumPy 2's conversion of the Python number."""
    __slots__ = ("value",)

    def __init__(self, value):
        super().__init__()
        self.value = value

    def __missing__(self, dtype):
        scalar = self[dtype] = dtype.type(self.value)
        return scalar
