"""The op tables, one owner: what the engine knows of every op type.

    OPS            op type -> OpDef: the NumPy kernel, static shape inference, flags
    GRADIENTS      op type (or override name) -> gradient function; None: not differentiable
    SAVES          op type -> the input / output values its gradient reads (tapes keep only those)
    TRUSTED        janusgrad's own gradient functions (and classes): the sweep does not check
                   what they return (the test suite does)
    TAKES_NONE     gradient functions (and classes) that take None for outputs no gradient
                   reached, instead of zeros
    UFUNC_KERNELS  op type -> the NumPy ufunc that is its kernel (for in-place plans)

The tables are plain dicts and sets, read directly on the hot paths, and written only by the
functions below, so they never disagree: replacing an op's gradient drops what the old one
declared (the values it reads, whether it takes None), and swapping a kernel makes compiled
plans pick up the new one. Everything here is bottom-layer: op families (ops/) fill the tables
with `register_kernel`, `@gradient` and `not_differentiable`; users with `RegisterGradient`,
`no_gradient`, `unregister_gradient` and register_op (ops/python_ops.py).
"""
import functools
import inspect
import types

from .shape import broadcast_static


class OpDef:
    """What the dispatcher needs to know of an op type."""
    __slots__ = ("type", "kernel", "infer", "multi", "side_effect")

    def __init__(self, op_type, kernel, infer, multi, side_effect):
        self.type = op_type
        self.kernel = kernel
        self.infer = infer            # (inputs, attrs) -> [(DType, TensorShape)] for graph mode
        self.multi = multi            # the kernel returns a sequence of arrays
        self.side_effect = side_effect  # must run in a tf.function even when nothing uses it


OPS: dict = {}
GRADIENTS: dict = {}
# op type -> (input indices, output indices, and how many leading indices each holds): the
# values its gradient reads (TF's _ops_which_dont_need_inputs/outputs). A tape record keeps only
# those arrays, holding a shape-and-dtype stand-in for the others, so they are freed as soon as
# the user drops them. Declared per gradient function (_DECLARED); SAVES follows GRADIENTS.
SAVES: dict = {}
_DECLARED: dict = {}
TRUSTED: set = set()
TAKES_NONE: set = set()
UFUNC_KERNELS: dict = {}
# Plans hold the kernels they call; when a kernel is swapped (janusgrad.debug wraps them) this
# count goes up and older plans are compiled again on their next run.
KERNELS_EPOCH = [0]


# -- kernels -----------------------------------------------------------------------------------

def register_kernel(op_type, kernel, *, infer=None, multi=False, side_effect=False, ufunc=False):
    """Add the op type `op_type` with its NumPy kernel; `ufunc`: the kernel is a NumPy ufunc
    taken from a kernel of one call (plans may then run it in place)."""
    if op_type in OPS:
        raise KeyError(f"Op type '{op_type}' is already registered")
    opdef = OPS[op_type] = OpDef(op_type, kernel, infer or elementwise_infer, multi, side_effect)
    if ufunc:
        UFUNC_KERNELS[op_type] = kernel
    return opdef


def unregister_kernel(op_type):
    """Remove an op type's kernel (register_op's re-runs and unregister_op)."""
    OPS.pop(op_type, None)
    UFUNC_KERNELS.pop(op_type, None)
    KERNELS_EPOCH[0] += 1


def swap_kernels(kernels):
    """Put each kernel of {op type: kernel} in place of the current one (janusgrad.debug);
    returns the replaced ones. Compiled plans take the new kernels on their next run."""
    old = {}
    for op_type, kernel in kernels.items():
        opdef = OPS.get(op_type)
        if opdef is not None:
            old[op_type] = opdef.kernel
            opdef.kernel = kernel
    KERNELS_EPOCH[0] += 1
    return old


def elementwise_infer(inputs, attrs):
    """One output: dtype of the first input, shape the broadcast of all inputs."""
    shape = inputs[0].shape
    for t in inputs[1:]:
        shape = broadcast_static(shape, t.shape)
    return [(inputs[0].dtype, shape)]


# -- janusgrad's own gradients -----------------------------------------------------------------

def gradient(op_type, *, inputs=None, outputs=None, zeros=True):
    """Register janusgrad's gradient of `op_type`: `fn(op, *dys) -> dx or [dx per input]`.

    `inputs` / `outputs`: the indices of the inputs / outputs whose VALUES fn reads (default:
    all). fn may still read the shape and dtype of the others, never their values: eager tapes
    keep only a stand-in for them (one that raises if its value is read).
    `zeros`: outputs no gradient reached get zeros (TF's rule). With False, fn gets None for
    them and skips the terms they would multiply (JAX's symbolic zeros, PyTorch's
    `set_materialize_grads(False)`).
    """
    def register(fn):
        if op_type in GRADIENTS:
            raise KeyError(f"Registering two gradient with name '{op_type}'!")
        TRUSTED.add(fn)
        if not zeros:
            TAKES_NONE.add(fn)
        if inputs is not None or outputs is not None:
            keep_in = None if inputs is None else frozenset(inputs)
            keep_out = None if outputs is None else frozenset(outputs)
            _DECLARED[fn] = (keep_in, keep_out, _leading(keep_in), _leading(keep_out))
        _set(op_type, fn)
        return fn
    return register


def _leading(kept):
    """How many leading indices `kept` holds: a tape keeps the values of an op with no more
    inputs (outputs) than that without looking at them one by one."""
    if kept is None:
        return 1 << 30
    n = 0
    while n in kept:
        n += 1
    return n


def not_differentiable(*op_types):
    for t in op_types:
        _set(t, None)


def set_gradient(op_type, fn):
    """Make `fn` (a function, or None: not differentiable) the gradient of `op_type`, replacing
    any other and what that one declared (janusgrad's own gradient put back declares again what
    it reads)."""
    _set(op_type, fn)


def remove_gradient(op_type):
    """Forget the gradient of `op_type` (differentiating it is then a LookupError)."""
    GRADIENTS.pop(op_type, None)
    SAVES.pop(op_type, None)


def _set(op_type, fn):
    GRADIENTS[op_type] = fn
    try:
        saves = _DECLARED.get(fn)
    except TypeError:           # an unhashable callable: it declared nothing
        saves = None
    if saves is None:
        SAVES.pop(op_type, None)    # what the old gradient read says nothing of the new one
    else:
        SAVES[op_type] = saves


# -- lookup ------------------------------------------------------------------------------------

def gradient_function(node):
    """The node's own gradient, else the registry entry for its (overridden) type; a
    LookupError that says how to fix it when there is none."""
    if node.grad_fn is not None:
        return node.grad_fn
    key = node.gradient_type or node.type
    if callable(key):
        return key
    try:
        return GRADIENTS[key]
    except KeyError:
        pass
    if key != node.type:
        raise LookupError(f"No gradient defined for operation '{node.name}' (op type: "
                          f"{node.type}): gradient_override_map maps it to '{key}', which is not "
                          "registered; register it with @tf.RegisterGradient('" + key + "')")
    raise LookupError(
        f"No gradient defined for operation '{node.name}' (op type: {node.type}). To fix it: "
        f"register one with @tf.RegisterGradient('{node.type}'), wrap the computation in "
        "tf.custom_gradient, or give the whole block one gradient with "
        "janusgrad.override_gradient; if it should pass no gradient, use tf.no_gradient("
        f"'{node.type}') or tf.stop_gradient on its input")


def get_gradient_function(op):
    """The gradient function that would run for `op` (None if not differentiable)."""
    if not op.inputs:
        return None
    return gradient_function(op)


# -- the public face: TF's names ---------------------------------------------------------------

class RegisterGradient:
    """Decorator registering `fn(op, *grads)` as the gradient of `op_type` (or of an override
    name used with `gradient_override_map`). A name registered twice is a KeyError, as in TF,
    unless it is the same function again (same qualified name and code: a re-run notebook cell).
    A function that declares a keyword parameter `default` gets `default(*grads)`, the gradient
    of the op's own type, to compose with (clip, scale, log...)."""

    def __init__(self, op_type):
        if not isinstance(op_type, str):
            raise TypeError("op_type must be a string")
        self._op_type = op_type

    def __call__(self, fn):
        prev = GRADIENTS.get(self._op_type, _MISSING)
        if prev is not _MISSING and not (prev is not None
                                         and same_function(_user_function(prev), fn)):
            raise KeyError(f"Registering two gradient with name '{self._op_type}'! "
                           f"(Previous registration was in {where(_user_function(prev))})")
        _set(self._op_type, _registered(fn))     # new, or a re-run notebook cell
        return fn


def _registered(fn):
    """What the registry holds for a user's gradient function (see with_default)."""
    if not callable(fn):
        raise TypeError(f"RegisterGradient expects a function, got {fn!r}")
    if not wants_default(fn):
        return fn
    wrapper = with_default(fn)
    wrapper._user_function = fn
    return wrapper


def _user_function(fn):
    return getattr(fn, "_user_function", fn)


_MISSING = object()


def no_gradient(op_type):
    """Declare `op_type` not differentiable: no gradient flows through it (not an error)."""
    if not isinstance(op_type, str):
        raise TypeError("op_type must be a string")
    if GRADIENTS.get(op_type) is not None:
        raise KeyError(f"Registering two gradient with name '{op_type}'! (Previous registration "
                       f"was in {where(_user_function(GRADIENTS[op_type]))})")
    _set(op_type, None)


NoGradient = no_gradient
NotDifferentiable = no_gradient


def unregister_gradient(op_type: str) -> None:
    """Remove a gradient registration (undo a `RegisterGradient` or `no_gradient`), e.g. to
    register a new version of a gradient in a notebook.

    Args:
        op_type: the name it was registered under.

    Raises:
        KeyError: no gradient is registered under that name.

    Examples:
        >>> import janusgrad as tf
        >>> @tf.RegisterGradient("DocHalf")
        ... def _half(op, dy):
        ...     return dy * 0.5
        >>> tf.unregister_gradient("DocHalf")
        >>> tf.unregister_gradient("DocHalf")
        Traceback (most recent call last):
        ...
        KeyError: "No gradient registered under the name 'DocHalf'"
    """
    if not isinstance(op_type, str):
        raise TypeError("op_type must be a string")
    if op_type not in GRADIENTS:
        raise KeyError(f"No gradient registered under the name '{op_type}'")
    remove_gradient(op_type)


def same_function(a, b):
    """Whether `b` is `a` again: the same object, or the same qualified name and code (a
    notebook cell run twice defines a new function object)."""
    if a is b:
        return True
    code_a, code_b = getattr(a, "__code__", None), getattr(b, "__code__", None)
    return (getattr(a, "__qualname__", None) == getattr(b, "__qualname__", None)
            and getattr(a, "__module__", None) == getattr(b, "__module__", None)
            and code_a is not None and code_b is not None
            and code_a.co_code == code_b.co_code and code_a.co_consts == code_b.co_consts)


def where(fn):
    """Where a registered function was defined, for error messages."""
    code = getattr(fn, "__code__", None)
    if fn is None:
        return "tf.no_gradient"
    if code is None:
        return repr(fn)
    return f"{code.co_name} {code.co_filename}:{code.co_firstlineno}"


# -- `default=`: composing with the gradient an op would have -----------------------------------

_KEYWORDS = {}      # code object -> keyword names (signatures are read once per function body)


def keywords(fn):
    """The parameter names `fn` accepts by keyword, plus "**" if it takes **kwargs."""
    if type(fn) is types.FunctionType and not fn.__dict__:     # no __wrapped__/__signature__
        hit = _KEYWORDS.get(fn.__code__)
        if hit is not None:
            return hit
    code = getattr(fn, "__code__", None)
    cacheable = code is not None and not hasattr(fn, "__wrapped__") \
        and not hasattr(fn, "__signature__")
    if cacheable:
        hit = _KEYWORDS.get(code)
        if hit is not None:
            return hit
    try:
        params = inspect.signature(fn).parameters.values()
    except (TypeError, ValueError):
        return frozenset({"**"})
    names = frozenset("**" if p.kind is p.VAR_KEYWORD else p.name for p in params
                      if p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY, p.VAR_KEYWORD))
    if cacheable:
        _KEYWORDS[code] = names
    return names


def wants_default(fn):
    """Whether a gradient function declares the keyword parameter `default`."""
    return "default" in keywords(fn)


def with_default(fn):
    """A registered or mapped gradient `fn(op, *dys, default=...)` as a plain `fn(op, *dys)`:
    `default(*dys)` runs the registry's gradient of the op's own type."""
    @functools.wraps(fn)
    def gradient(op, *dys):
        def default(*d):
            natural = GRADIENTS.get(op.type, _MISSING)
            if natural is _MISSING or natural is gradient:
                raise LookupError(f"default(): operation '{op.name}' (op type: {op.type}) has no "
                                  "other gradient than this one")
            if natural is None:
                return [None] * len(op.inputs)
            return natural(op, *d)
        return fn(op, *dys, default=default)
    return gradient
