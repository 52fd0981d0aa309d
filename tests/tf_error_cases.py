"""Where TensorFlow raises (or warns), and with what: the cases of tests/test_tf_errors.py.

Each case is a function of `tf` (real TensorFlow when tools/record_tf_errors.py records
tests/tf_errors_expected.py, janusgrad in the test). What is recorded: the exception's class
(TF's own, e.g. InvalidArgumentError, and its nearest builtin) and `part`, the piece of TF's
message janusgrad must say too (by default all of it, less TF's runtime decoration), or the
value returned (warnings' messages, values, None).
"""
import warnings
from dataclasses import dataclass

CASES = {}


@dataclass
class Case:
    fn: object
    part: str = None        # the piece of TF's message to find in janusgrad's; None: all of it;
    #                         "": the class only


def case(part=None):
    def register(fn):
        CASES[fn.__name__] = Case(fn, part)
        return fn
    return register


def _f32(tf, v=1.0):
    return tf.constant(v, tf.float32)


def _f64(tf, v=1.0):
    return tf.constant(v, tf.float64)


# -- eager ops given two dtypes: InvalidArgumentError naming the op and the input ------------

@case()
def add_float_double(tf):
    return _f32(tf) + _f64(tf)


@case()
def add_int_float(tf):
    return tf.constant(1) + _f32(tf)


@case()
def subtract(tf):
    return tf.subtract(_f32(tf), _f64(tf))


@case()
def multiply_int_float(tf):
    return tf.multiply(tf.constant(1), _f32(tf))


@case()
def maximum(tf):
    return tf.maximum(_f32(tf), _f64(tf))


@case()
def pow_(tf):
    return tf.pow(_f32(tf), _f64(tf))


@case()
def floordiv(tf):
    return _f32(tf) // _f64(tf)


@case()
def realdiv(tf):
    return tf.realdiv(_f32(tf), _f64(tf))


@case()
def equal(tf):
    return tf.equal(_f32(tf), _f64(tf))


@case()
def less(tf):
    return _f32(tf) < _f64(tf)


@case()
def int64_uint8(tf):
    return tf.constant(1, tf.int64) + tf.constant(1, tf.uint8)


@case()
def complex64_complex128(tf):
    return tf.constant(1.0, tf.complex64) + tf.constant(1.0, tf.complex128)


@case()
def logical_and_int(tf):
    return tf.logical_and(tf.constant(True), tf.constant(1))


@case()
def matmul_dtypes(tf):
    return tf.matmul(tf.ones([2, 2]), tf.ones([2, 2], tf.float64))


@case()
def batch_matmul_dtypes(tf):
    return tf.matmul(tf.ones([3, 2, 2]), tf.ones([3, 2, 2], tf.float64))


@case()
def matvec_dtypes(tf):
    return tf.linalg.matvec(tf.ones([2, 2]), tf.ones([2], tf.float64))


@case()
def concat_dtypes(tf):
    return tf.concat([tf.ones([2]), tf.ones([2]), tf.ones([2], tf.int32)], 0)


@case()
def stack_dtypes(tf):
    return tf.stack([tf.ones([2]), tf.ones([2], tf.float64)])


@case()
def where_dtypes(tf):
    return tf.where(tf.constant([True, False]), tf.ones([2]), tf.ones([2], tf.float64))


@case()
def add_n_dtypes(tf):
    return tf.add_n([_f32(tf), _f64(tf)])


@case()
def bias_add_dtypes(tf):
    return tf.nn.bias_add(tf.ones([2, 2]), tf.ones([2], tf.float64))


@case()
def assert_equal_dtypes(tf):
    return tf.debugging.assert_equal(tf.constant([1, 2]), tf.constant([1.0, 2.0]))


@case()
def truediv_dtypes(tf):
    # `/` checks the dtypes in Python first: TypeError
    return _f32(tf) / _f64(tf)


@case()
def divide_dtypes(tf):
    return tf.math.divide(_f32(tf), tf.constant(1))


# -- ... and in graph construction: TypeError ----------------------------------------------

@case()
def graph_add_dtypes(tf):
    with tf.Graph().as_default():
        return tf.ones([2]) + tf.ones([2], tf.float64)


@case()
def graph_matmul_dtypes(tf):
    with tf.Graph().as_default():
        return tf.matmul(tf.ones([2, 2]), tf.ones([2, 2], tf.float64))


@case()
def graph_concat_dtypes(tf):
    with tf.Graph().as_default():
        return tf.concat([tf.ones([2]), tf.ones([2], tf.float64)], 0)


@case()
def function_add_dtypes(tf):
    @tf.function
    def f(a, b):
        return a + b
    return f(_f32(tf), _f64(tf))


@case()
def graph_truediv_dtypes(tf):
    with tf.Graph().as_default():
        return tf.ones([2]) / tf.ones([2], tf.float64)


# -- indices out of range: InvalidArgumentError eagerly; one_hot gives zeros -----------------

@case()
def gather_out_of_range(tf):
    return tf.gather(tf.ones([3]), [5])


@case()
def gather_negative(tf):
    return tf.gather(tf.ones([3]), [-1])


@case()
def gather_batch_dims(tf):
    return tf.gather(tf.ones([2, 3]), [[0, 5], [1, 1]], batch_dims=1)


@case()
def gather_axis(tf):
    return tf.gather(tf.ones([2, 3]), [3], axis=1)


@case()
def embedding_lookup(tf):
    return tf.nn.embedding_lookup(tf.ones([3, 2]), [4])


@case(part="indices[0,1] = [4, 0] does not index into param shape [3,2]")   # TF: node name
def gather_nd_out_of_range(tf):
    return tf.gather_nd(tf.ones([3, 2]), [[[0, 0], [4, 0]]])


@case()
def one_hot_out_of_range(tf):
    return tf.one_hot([5, 1], 3).numpy().tolist()


@case()
def session_gather_out_of_range(tf):
    with tf.Graph().as_default():
        y = tf.gather(tf.ones([3]), [5])
        with tf.compat.v1.Session() as sess:
            return sess.run(y)


# -- shapes that do not fit: TF's words, not NumPy's ----------------------------------------

@case()
def matmul_shapes(tf):
    return tf.matmul(tf.ones([2, 3]), tf.ones([2, 3]))


@case()
def matmul_operator_shapes(tf):
    return tf.ones([2, 3]) @ tf.ones([2, 3])


@case(part="Matrix size-incompatible: In[0]: [3,2,3], In[1]: [3,2,2]")   # TF adds " 0 0"
def batch_matmul_shapes(tf):
    return tf.matmul(tf.ones([3, 2, 3]), tf.ones([3, 2, 2]))


@case()
def batch_matmul_batch_dims(tf):
    return tf.matmul(tf.ones([3, 2, 2]), tf.ones([4, 2, 2]))


@case()
def add_broadcast(tf):
    return tf.ones([2]) + tf.ones([3])


@case()
def subtract_broadcast(tf):
    return tf.ones([2, 3]) - tf.ones([4, 1, 2])


@case()
def multiply_broadcast(tf):
    return tf.multiply(tf.ones([2, 3]), tf.ones([4]))


@case()
def maximum_broadcast(tf):
    return tf.maximum(tf.ones([2]), tf.ones([3]))


@case()
def equal_broadcast(tf):
    return tf.equal(tf.ones([2]), tf.ones([3]))


@case()
def divide_broadcast(tf):
    return tf.ones([2]) / tf.ones([3])


@case()
def squared_difference_broadcast(tf):
    return tf.math.squared_difference(tf.ones([2]), tf.ones([3]))


@case()
def where_broadcast(tf):
    return tf.where(tf.ones([2], tf.bool), tf.ones([3]), tf.ones([3]))


@case()
def reshape_size(tf):
    return tf.reshape(tf.ones([6]), [4])


@case()
def reshape_multiple(tf):
    return tf.reshape(tf.ones([6]), [4, -1])


@case()
def reshape_two_unknown(tf):
    return tf.reshape(tf.ones([6]), [-1, -1])


@case()
def concat_shapes(tf):
    return tf.concat([tf.ones([2, 3]), tf.ones([2, 4])], 0)


@case()
def concat_ranks(tf):
    return tf.concat([tf.ones([2, 3]), tf.ones([2])], 0)


@case()
def concat_axis(tf):
    return tf.concat([tf.ones([2]), tf.ones([2])], axis=3)


@case(part="Invalid reduction dimension")   # TF's message has a stray "(" after it
def reduce_axis(tf):
    return tf.reduce_sum(tf.ones([2]), axis=3)


@case()
def expand_dims_axis(tf):
    return tf.expand_dims(tf.ones([2]), 5)


@case()
def transpose_perm(tf):
    return tf.transpose(tf.ones([2, 3]), [0, 2])


@case()
def argmax_axis(tf):
    return tf.argmax(tf.ones([2]), axis=3)


@case()
def cumsum_axis(tf):
    return tf.cumsum(tf.ones([2]), axis=3)


@case()
def random_negative_shape(tf):
    return tf.random.normal([-2])


@case(part="")      # the class only: TF's eager message is its kernel's rank check
def gather_axis_range(tf):
    return tf.gather(tf.ones([2]), [0], axis=3)


@case(part="Invalid reduction dimension")
def graph_reduce_axis(tf):
    with tf.Graph().as_default():
        return tf.reduce_sum(tf.ones([2]), axis=3)


@case()
def stack_shapes(tf):
    return tf.stack([tf.ones([2]), tf.ones([2]), tf.ones([2, 1])])


@case()
def tile_multiples(tf):
    return tf.tile(tf.ones([2]), [1, 2])


@case(part="Dimensions must be equal, but are 3 and 2 for ")
def graph_matmul_shapes(tf):
    with tf.Graph().as_default():
        return tf.matmul(tf.ones([2, 3]), tf.ones([2, 3]))


@case(part="Dimensions must be equal, but are 2 and 3 ")
def graph_add_broadcast(tf):
    with tf.Graph().as_default():
        return tf.ones([2]) + tf.ones([3])


# -- variables -----------------------------------------------------------------------------

@case()
def assign_dtype(tf):
    return tf.Variable(1.0).assign(_f64(tf))


@case()
def assign_add_dtype(tf):
    return tf.Variable(1.0).assign_add(_f64(tf))


@case()
def assign_sub_int(tf):
    return tf.Variable(1.0).assign_sub(tf.constant(1))


@case(part="Tensor conversion requested dtype float32 for Tensor with dtype float64")
def function_assign_dtype(tf):
    v = tf.Variable(1.0)

    @tf.function
    def f(x):
        return v.assign(x)
    return f(_f64(tf))


@case()
def assign_read_value_false(tf):
    v = tf.Variable(1.0)
    got = [v.assign(2.0, read_value=False), v.assign_add(1.0, read_value=False),
           v.assign_sub(0.5, read_value=False)]
    return got + [float(v.numpy())]


@case()
def graph_tensor_numpy(tf):
    with tf.Graph().as_default():
        return tf.constant(1.0).numpy()


# -- gradients -----------------------------------------------------------------------------

@case()
def hessians_linear(tf):
    with tf.Graph().as_default():
        x = tf.compat.v1.placeholder(tf.float32, [2])
        return tf.hessians(3.0 * x, x)


@case()
def function_hessians_linear(tf):
    @tf.function
    def f(x):
        return tf.hessians(3.0 * x, x)
    return f(tf.constant([1.0, 2.0]))


@case()
def hessians_quadratic(tf):
    @tf.function
    def f(x):
        return tf.hessians(x * x, x)
    return f(tf.constant([1.0, 2.0]))[0].numpy().tolist()


@case()
def jacobian_loop_non_persistent(tf):
    x = tf.constant([1.0, 2.0])
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = x * x
    return tape.jacobian(y, x, experimental_use_pfor=False)


@case()
def batch_jacobian_loop_non_persistent(tf):
    x = tf.constant([[1.0, 2.0]])
    with tf.GradientTape() as tape:
        tape.watch(x)
        y = x * x
    return tape.batch_jacobian(y, x, experimental_use_pfor=False)


@case()
def jacobian_loop_persistent(tf):
    x = tf.constant([1.0, 2.0])
    with tf.GradientTape(persistent=True) as tape:
        tape.watch(x)
        y = x * x
    return tape.jacobian(y, x, experimental_use_pfor=False).numpy().tolist()


@case()
def gradient_tape_never_entered(tf):
    tape = tf.GradientTape()
    x = tf.Variable(1.0)
    return tape.gradient(x * 2.0, x)


@case()
def persistent_tape_never_entered(tf):
    tape = tf.GradientTape(persistent=True)
    x = tf.Variable(1.0)
    return tape.gradient(x * 2.0, x)


@case()
def jacobian_tape_never_entered(tf):
    tape = tf.GradientTape()
    x = tf.Variable([1.0])
    return tape.jacobian(x * 2.0, x)


# -- while_loop ----------------------------------------------------------------------------

@case(part="The two structures don't have the same ")
def while_loop_body_structure(tf):
    return tf.while_loop(lambda i, j: i < 3, lambda i, j: (i + 1,),
                         [tf.constant(0), tf.constant(1)])


@case(part="The two structures don't have the same nested structure.")
def while_loop_body_nesting(tf):
    return tf.while_loop(lambda i, j: i < 3, lambda i, j: (i + 1, [j]),
                         (tf.constant(1), tf.constant(2)))


@case()
def while_loop_bare_tensor(tf):
    return tf.while_loop(lambda i: i < 3, lambda i: i + 1, tf.constant(1))


@case()
def while_loop_bare_number(tf):
    return tf.while_loop(lambda i: i < 3, lambda i: i + 1, 1)


@case()
def while_loop_bare_variable(tf):
    return tf.while_loop(lambda i: i < 3, lambda i: i + 1, tf.Variable(1))


@case()
def while_loop_list_of_one(tf):
    # a list of one: the body may return the bare tensor
    return tf.while_loop(lambda i: i < 3, lambda i: i + 1, [tf.constant(0)])[0].numpy().tolist()


# -- optimizers given None gradients ---------------------------------------------------------

def _warned(fn):
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        fn()
    return [(type(w.message).__name__, str(w.message)) for w in caught
            if "Gradients do not exist" in str(w.message)]


@case()
def keras_apply_none_gradient(tf):
    a, b, c = tf.Variable(1.0, name="a"), tf.Variable(2.0, name="b"), tf.Variable(3.0, name="c")
    opt = tf.keras.optimizers.SGD(0.1)
    got = _warned(lambda: opt.apply_gradients([(None, c), (tf.constant(1.0), a), (None, b)]))
    return got + [float(a.numpy()), float(b.numpy()), float(c.numpy())]


@case(part="No gradients provided for any variable")
def keras_apply_all_none(tf):
    b = tf.Variable(2.0, name="b")
    return tf.keras.optimizers.SGD(0.1).apply_gradients([(None, b)])


@case()
def v1_apply_none_gradient(tf):
    a, b = tf.Variable(1.0, name="a"), tf.Variable(2.0, name="b")
    opt = tf.compat.v1.train.GradientDescentOptimizer(0.1)
    got = _warned(lambda: opt.apply_gradients([(tf.constant(1.0), a), (None, b)]))
    return got + [float(a.numpy()), float(b.numpy())]


@case(part="No gradients provided for any variable")
def v1_apply_all_none(tf):
    b = tf.Variable(2.0, name="b")
    return tf.compat.v1.train.GradientDescentOptimizer(0.1).apply_gradients([(None, b)])
