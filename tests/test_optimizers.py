"""Optimizers against fixed numbers from real TensorFlow, in eager, graph and tf.function mode.

The expected arrays were computed once with TensorFlow 2.21.0 (Keras 3.15.1, CPU) by running
the same four updates there: a variable starting at [1, -2, 3] and the gradients
g_k = 2 sin((k + 1) * [0.5, 1.0, 1.5]), k = 0..3; each row is the variable after one update.
"""
import numpy as np
import pytest

import janusgrad as tf

K = tf.keras.optimizers
V1 = tf.compat.v1.train


def grads(k):
    return (np.sin((k + 1) * np.array([0.5, 1.0, 1.5])) * 2).astype(np.float32)


SGD = np.array([[0.9041149, -2.1682942, 2.800501],
                [0.7358207, -2.3501537, 2.772277],
                [0.5363217, -2.3783777, 2.9677832],
                [0.3544622, -2.2270172, 3.0236664]], np.float32)
SGD_MOMENTUM = np.array([[0.9041149, -2.1682942, 2.800501],
                         [0.6495241, -2.5016184, 2.592728],
                         [0.22089338, -2.8298342, 2.6012383],
                         [-0.34673375, -2.973868, 2.6647806]], np.float32)
SGD_NESTEROV = np.array([[0.9137034, -2.1514647, 2.8204508],
                         [0.73155534, -2.3689923, 2.7312095],
                         [0.4736055, -2.4956722, 2.8470614],
                         [0.18337172, -2.4495022, 2.9118354]], np.float32)
ADAM = np.array([[0.900001, -2.0999992, 2.9000008],
                 [0.8021804, -2.200125, 2.8232284],
                 [0.70367736, -2.2842598, 2.8251657],
                 [0.6043405, -2.3129773, 2.838078]], np.float32)
ADAM_AMSGRAD = np.array([[0.98006576, -2.0199625, 2.9800317],
                         [0.96048355, -2.0399668, 2.9656353],
                         [0.9407191, -2.0556378, 2.967921],
                         [0.92079633, -2.0591109, 2.9722524]], np.float32)
SGD_CLIPNORM = np.array([[0.9827581, -2.0302622, 2.9641266],
                         [0.94901615, -2.066724, 2.958468],
                         [0.9134862, -2.0717506, 2.9932868],
                         [0.8760845, -2.0406215, 3.0047798]], np.float32)
ADAM_WEIGHT_DECAY = np.array([[0.850001, -1.9999992, 2.7500007],
                              [0.7096804, -2.000125, 2.535728],
                              [0.5756933, -1.9842536, 2.410879],
                              [0.44757172, -1.9137586, 2.3032472]], np.float32)
V1_MOMENTUM = np.array([[0.9041149, -2.1682942, 2.800501],
                        [0.6495241, -2.5016184, 2.5927281],
                        [0.22089335, -2.8298342, 2.6012385],
                        [-0.34673378, -2.973868, 2.6647809]], np.float32)
V1_NESTEROV = np.array([[0.9137034, -2.1514647, 2.8204508],
                        [0.73155534, -2.3689923, 2.7312095],
                        [0.4736055, -2.4956722, 2.8470616],
                        [0.18337172, -2.4495022, 2.9118357]], np.float32)
V1_ADAM = np.array([[0.90000004, -2.1, 2.9],
                    [0.8021787, -2.2001264, 2.823227],
                    [0.70367587, -2.2842612, 2.8251643],
                    [0.6043382, -2.312979, 2.8380766]], np.float32)
V1_ADAM_HYPER = np.array([[0.98006576, -2.0199625, 2.9800317],
                          [0.96048355, -2.0399668, 2.9650235],
                          [0.9407191, -2.0563612, 2.9673092],
                          [0.9207964, -2.0598342, 2.9717672]], np.float32)

KERAS_CASES = {
    "sgd": (lambda: K.SGD(0.1), SGD),
    "sgd_momentum": (lambda: K.SGD(0.1, momentum=0.9), SGD_MOMENTUM),
    "sgd_nesterov": (lambda: K.SGD(0.05, momentum=0.8, nesterov=True), SGD_NESTEROV),
    "adam": (lambda: K.Adam(0.1), ADAM),
    "adam_amsgrad": (lambda: K.Adam(0.02, beta_1=0.8, beta_2=0.9, epsilon=1e-3, amsgrad=True),
                     ADAM_AMSGRAD),
    "sgd_clipnorm": (lambda: K.SGD(0.1, clipnorm=0.5), SGD_CLIPNORM),
    "adam_weight_decay": (lambda: K.Adam(0.1, weight_decay=0.5), ADAM_WEIGHT_DECAY),
}
V1_CASES = {
    "gradient_descent": (lambda: V1.GradientDescentOptimizer(0.1), SGD),
    "momentum": (lambda: V1.MomentumOptimizer(0.1, 0.9), V1_MOMENTUM),
    "nesterov": (lambda: V1.MomentumOptimizer(0.05, 0.8, use_nesterov=True), V1_NESTEROV),
    "adam": (lambda: V1.AdamOptimizer(0.1), V1_ADAM),
    "adam_hyper": (lambda: V1.AdamOptimizer(0.02, beta1=0.8, beta2=0.9, epsilon=1e-3),
                   V1_ADAM_HYPER),
}
ALL = [("keras", k) for k in KERAS_CASES] + [("v1", k) for k in V1_CASES]


def case(family, name):
    return (KERAS_CASES if family == "keras" else V1_CASES)[name]


def close(a, b):
    np.testing.assert_allclose(a, b, rtol=2e-6, atol=2e-7)


@pytest.mark.parametrize("family,name", ALL)
def test_eager_updates_match_tensorflow(family, name):
    make, expected = case(family, name)
    opt = make()
    v = tf.Variable([1.0, -2.0, 3.0])
    for k in range(4):
        opt.apply_gradients([(tf.constant(grads(k)), v)])
        close(v.numpy(), expected[k])


@pytest.mark.parametrize("family,name", ALL)
def test_graph_mode_updates_match_tensorflow(family, name):
    make, expected = case(family, name)
    tf.compat.v1.disable_eager_execution()
    v = tf.Variable([1.0, -2.0, 3.0])
    g = tf.compat.v1.placeholder(tf.float32, [3])
    opt = make()
    train = opt.apply_gradients([(g, v)])
    with tf.compat.v1.Session() as sess:
        sess.run(tf.compat.v1.global_variables_initializer())
        for k in range(4):
            sess.run(train, feed_dict={g: grads(k)})
            close(sess.run(v), expected[k])


@pytest.mark.parametrize("family,name", ALL)
def test_tf_function_updates_match_tensorflow_and_trace_once(family, name):
    make, expected = case(family, name)
    opt = make()
    v = tf.Variable([1.0, -2.0, 3.0])

    @tf.function
    def step(g):
        opt.apply_gradients([(g, v)])

    for k in range(4):
        step(tf.constant(grads(k)))
        close(v.numpy(), expected[k])
    assert step.trace_count == 1


@pytest.mark.parametrize("family,name", [("keras", "adam"), ("v1", "adam")])
def test_minimize_with_a_loss_function(family, name):
    # loss = sum(g_0 * v) has gradient g_0: the first row of the reference
    make, expected = case(family, name)
    opt = make()
    v = tf.Variable([1.0, -2.0, 3.0])
    g0 = tf.constant(grads(0))
    if family == "keras":
        opt.minimize(lambda: tf.reduce_sum(g0 * v), [v])
    else:
        opt.minimize(lambda: tf.reduce_sum(g0 * v), var_list=[v])
    close(v.numpy(), expected[0])


def test_keras_minimize_with_a_tape_and_a_tensor_loss():
    opt = K.SGD(0.1)
    v = tf.Variable([1.0, -2.0, 3.0])
    with tf.GradientTape() as tape:
        loss = tf.reduce_sum(tf.constant(grads(0)) * v)
    opt.minimize(loss, [v], tape=tape)
    close(v.numpy(), SGD[0])
    with pytest.raises(ValueError, match="tape"):
        opt.minimize(loss, [v])


def test_v1_minimize_in_graph_mode_with_global_step():
    tf.compat.v1.disable_eager_execution()
    v = tf.Variable([1.0, -2.0, 3.0])
    loss = tf.reduce_sum(tf.constant(grads(0)) * v)
    step = tf.compat.v1.train.get_or_create_global_step()
    assert tf.compat.v1.train.get_or_create_global_step() is step
    train = V1.MomentumOptimizer(0.1, 0.9).minimize(loss, global_step=step)
    with tf.compat.v1.Session() as sess:
        sess.run(tf.compat.v1.global_variables_initializer())
        sess.run(train)
        close(sess.run(v), V1_MOMENTUM[0])
        sess.run(train)
        assert sess.run(step) == 2


def test_eager_global_step_is_created_once():
    step = tf.compat.v1.train.get_or_create_global_step()
    assert tf.compat.v1.train.get_or_create_global_step() is step
    V1.GradientDescentOptimizer(0.1).apply_gradients([(tf.constant(1.0), tf.Variable(1.0))],
                                                     global_step=step)
    assert step.numpy() == 1 and step.dtype is tf.int64


def test_slots_are_named_and_kept_per_variable():
    opt = K.Adam(0.1)
    a, b = tf.Variable([1.0, 2.0]), tf.Variable(3.0)
    opt.apply_gradients([(tf.constant([1.0, 1.0]), a), (tf.constant(1.0), b)])
    names = [v.name for v in opt.variables]
    assert names[:2] == ["adam/iteration:0", "adam/learning_rate:0"]
    assert len(opt.variables) == 2 + 4                 # momentum and velocity of a and b
    assert opt.iterations.numpy() == 1
    v1 = V1.AdamOptimizer(0.1)
    v1.apply_gradients([(tf.constant([1.0, 1.0]), a)])
    assert v1.get_slot_names() == ["m", "v"]
    np.testing.assert_allclose(v1.get_slot(a, "m").numpy(), [0.1, 0.1], rtol=1e-6)
    assert v1.get_slot(b, "m") is None


def test_none_gradients_are_skipped_but_all_none_raises():
    opt = K.SGD(0.1)
    a, b = tf.Variable(1.0), tf.Variable(2.0)
    with pytest.warns(UserWarning, match="Gradients do not exist for variables"):   # as Keras
        opt.apply_gradients([(None, a), (tf.constant(1.0), b)])
    assert a.numpy() == 1.0 and b.numpy() == pytest.approx(1.9)
    with pytest.raises(ValueError, match="No gradients provided"):
        opt.apply_gradients([(None, a)])
    with pytest.raises(ValueError, match="No gradients provided"):
        V1.GradientDescentOptimizer(0.1).apply_gradients([(None, a)])


def test_gradient_of_the_wrong_shape_raises():
    v = tf.Variable([1.0, 2.0])
    with pytest.raises(ValueError, match="shape"):
        K.SGD(0.1).apply_gradients([(tf.constant([1.0, 2.0, 3.0]), v)])
    with pytest.raises(ValueError, match="shape"):
        V1.AdamOptimizer(0.1).apply_gradients([(tf.constant([1.0, 2.0, 3.0]), v)])


def test_bad_hyperparameters_raise():
    with pytest.raises(ValueError, match="momentum"):
        K.SGD(0.1, momentum=1.5)
    with pytest.raises(ValueError, match="Only one of"):
        K.SGD(0.1, clipnorm=1.0, clipvalue=1.0)
    with pytest.raises(TypeError, match="Unexpected keyword"):
        K.Adam(0.1, betta_1=0.9)


def test_learning_rate_variable_changes_without_retracing():
    opt = K.SGD(1.0)
    v = tf.Variable(0.0)

    @tf.function
    def step():
        opt.apply_gradients([(tf.constant(1.0), v)])

    step()
    opt.learning_rate = 0.5
    step()
    assert v.numpy() == pytest.approx(-1.5)
    assert step.trace_count == 1


def test_learning_rate_schedule_follows_the_iterations():
    schedule = K.schedules.ExponentialDecay(1.0, decay_steps=1, decay_rate=0.5)
    opt = K.SGD(schedule)
    v = tf.Variable(0.0)
    for _ in range(3):
        opt.apply_gradients([(tf.constant(1.0), v)])
    assert v.numpy() == pytest.approx(-(1.0 + 0.5 + 0.25))


def test_clipvalue_and_global_clipnorm():
    v, w = tf.Variable([0.0, 0.0]), tf.Variable(0.0)
    K.SGD(1.0, clipvalue=0.5).apply_gradients([(tf.constant([2.0, -0.25]), v)])
    np.testing.assert_allclose(v.numpy(), [-0.5, 0.25])
    v.assign([0.0, 0.0])
    K.SGD(1.0, global_clipnorm=1.0).apply_gradients([(tf.constant([3.0, 0.0]), v),
                                                     (tf.constant(4.0), w)])
    np.testing.assert_allclose([*v.numpy(), w.numpy()], [-0.6, 0.0, -0.8], rtol=1e-6)


def test_eager_minimize_needs_a_callable_or_a_tape():
    v = tf.Variable(1.0)
    with pytest.raises(RuntimeError, match="should be a function"):
        V1.GradientDescentOptimizer(0.1).minimize(v * 2.0, var_list=[v])


def test_float64_variables_are_updated_in_float64():
    v = tf.Variable(np.array([1.0, 2.0]))
    K.Adam(0.1).apply_gradients([(tf.constant(np.array([0.5, -0.5])), v)])
    V1.MomentumOptimizer(0.1, 0.9).apply_gradients([(tf.constant(np.array([0.5, -0.5])), v)])
    assert v.dtype is tf.float64
    # both keep their learning rate in float32 and cast it; Keras casts the Python betas
    # straight to float64, TF1 rounds its hyperparameters to float32 first
    g, lr = np.array([0.5, -0.5]), float(np.float32(0.1))
    m, s = (1 - 0.9) * g, np.sqrt((1 - 0.999) * g * g)
    adam = lr * np.sqrt(1 - 0.999) / (1 - 0.9) * m / (s + 1e-7)
    np.testing.assert_allclose(v.numpy(), np.array([1.0, 2.0]) - adam - lr * g, rtol=1e-14)


def test_gradient_tape_sees_variables_inside_tf_function():
    # the tape must watch the captured handle that reads use inside the traced graph
    w = tf.Variable(2.0)

    @tf.function
    def grad(x):
        with tf.GradientTape() as tape:
            y = w * x
        return tape.gradient(y, w)

    assert grad(tf.constant(3.0)).numpy() == 3.0
