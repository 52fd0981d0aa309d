"""The TF1 training cases that tests/test_v1_training.py runs and tools/record_tf_v1_training.py
records with real TensorFlow (`tf` is a parameter: janusgrad in the tests, TensorFlow in the
recording script), so that both run the very same code.

Optimizer cases: `make(tf)` returns (optimizer, global step or None); each runs STEPS steps of
apply_gradients on two variables, A0 and B0, with the gradients `gradients(k)`.
Schedule cases: `make(tf, step)` returns a TF1 decay function's result for that global step.
"""
import numpy as np

STEPS = 5
A0 = np.array([1.0, -2.0, 3.0], np.float32)
B0 = np.array([[0.5, -0.25], [2.0, 1.5]], np.float32)


def gradients(k):
    """The gradients for A and B at step k (0-based)."""
    return ((np.sin((k + 1) * np.array([0.5, 1.0, 1.5])) * 2).astype(np.float32),
            (np.cos((k + 1) * np.array([[0.3, 0.7], [1.1, 1.9]])) * 1.5).astype(np.float32))


def user_optimizers(tf):
    """Optimizers written the way TF1 programs subclass tf.compat.v1.train.Optimizer."""
    base = tf.compat.v1.train.Optimizer

    class HandSGD(base):
        """Plain gradient descent; only `_apply_dense`, as TF1 code wrote it."""

        def __init__(self, learning_rate, use_locking=False, name="HandSGD"):
            super().__init__(use_locking, name)
            self._lr = learning_rate

        def _prepare(self):
            self._lr_t = tf.convert_to_tensor(self._lr, name="learning_rate")

        def _apply_dense(self, grad, var):
            return var.assign_sub(tf.cast(self._lr_t, var.dtype.base_dtype) * grad)

    class PowerSign(base):
        """PowerSign (Bello et al. 2017): m = beta m + (1 - beta) g;
        var -= lr * alpha ^ (sign(g) sign(m)) * g."""

        def __init__(self, learning_rate=0.1, alpha=2.718281828, beta=0.9, use_locking=False,
                     name="PowerSign"):
            super().__init__(use_locking, name)
            self._lr, self._alpha, self._beta = learning_rate, alpha, beta

        def _create_slots(self, var_list):
            for v in var_list:
                self._zeros_slot(v, "m", self._name)

        def _prepare(self):
            self._lr_t = tf.convert_to_tensor(self._lr, name="learning_rate")
            self._alpha_t = tf.convert_to_tensor(self._alpha, name="alpha")
            self._beta_t = tf.convert_to_tensor(self._beta, name="beta")

        def _apply_dense(self, grad, var):
            dtype = var.dtype.base_dtype
            lr_t, beta_t = tf.cast(self._lr_t, dtype), tf.cast(self._beta_t, dtype)
            log_alpha = tf.math.log(tf.cast(self._alpha_t, dtype))
            m = self.get_slot(var, "m")
            m_t = m.assign(beta_t * m + (1.0 - beta_t) * grad)
            update = tf.exp(log_alpha * tf.sign(grad) * tf.sign(m_t)) * grad
            var_update = var.assign_sub(lr_t * update)
            return tf.group(*[var_update, m_t])

    class AddSign(base):
        """AddSign (Bello et al. 2017): m = beta m + (1 - beta) g;
        var -= lr * (alpha + sign(g) sign(m)) * g."""

        def __init__(self, learning_rate=0.1, alpha=1.0, beta=0.9, use_locking=False,
                     name="AddSign"):
            super().__init__(use_locking, name)
            self._lr, self._alpha, self._beta = learning_rate, alpha, beta

        def _create_slots(self, var_list):
            for v in var_list:
                self._zeros_slot(v, "m", self._name)

        def _prepare(self):
            self._lr_t = tf.convert_to_tensor(self._lr, name="learning_rate")
            self._alpha_t = tf.convert_to_tensor(self._alpha, name="alpha")
            self._beta_t = tf.convert_to_tensor(self._beta, name="beta")

        def _apply_dense(self, grad, var):
            dtype = var.dtype.base_dtype
            lr_t, beta_t = tf.cast(self._lr_t, dtype), tf.cast(self._beta_t, dtype)
            alpha_t = tf.cast(self._alpha_t, dtype)
            m = self.get_slot(var, "m")
            m_t = m.assign(beta_t * m + (1.0 - beta_t) * grad)
            update = (alpha_t + tf.sign(grad) * tf.sign(m_t)) * grad
            return tf.group(var.assign_sub(lr_t * update), m_t)

    class CountedMomentum(base):
        """Momentum written for TF 2's resource variables (only `_resource_apply_dense`): a
        slot made from a value ("velocity", starting at 0.5), one from an initializer
        ("scale", starting at 0.25 and growing), and a non-slot step counter that `_finish`
        advances and that damps the learning rate: lr / (1 + count)."""

        def __init__(self, learning_rate, momentum, use_locking=False, name="CountedMomentum"):
            super().__init__(use_locking, name)
            self._lr, self._momentum = learning_rate, momentum

        def _create_slots(self, var_list):
            first = min(var_list, key=lambda v: v.name)
            self._count = self._create_non_slot_variable(
                initial_value=0.0, name="count", colocate_with=first)
            for v in var_list:
                self._get_or_make_slot(v, tf.ones(v.shape.as_list()) * 0.5, "velocity",
                                       self._name)
                self._get_or_make_slot_with_initializer(
                    v, lambda shape, dtype=None: tf.fill(shape, tf.cast(0.25, dtype)),
                    v.shape, v.dtype.base_dtype, "scale", self._name)

        def _prepare(self):
            self._lr_t = tf.convert_to_tensor(self._call_if_callable(self._lr), name="lr")
            self._momentum_t = tf.convert_to_tensor(self._momentum, name="momentum")

        def _resource_apply_dense(self, grad, handle):
            lr = self._lr_t / (1.0 + self._count)
            velocity = self.get_slot(handle, "velocity")
            scale = self.get_slot(handle, "scale")
            v_t = velocity.assign(self._momentum_t * velocity + grad)
            s_t = scale.assign_add(0.125 * tf.abs(grad))
            return tf.group(handle.assign_sub(lr * v_t * s_t), s_t)

        def _finish(self, update_ops, name_scope):
            with tf.control_dependencies(update_ops):
                count = self._count.assign_add(1.0)
            return tf.group(*update_ops, count, name=name_scope)

    return {"HandSGD": HandSGD, "PowerSign": PowerSign, "AddSign": AddSign,
            "CountedMomentum": CountedMomentum}


def names_scenario(tf):
    """Graph-mode names: the ops minimize / apply_gradients return, their control inputs, the
    variables made. Returns a dict of lists of strings."""
    g = tf.Graph()
    with g.as_default():
        w = tf.Variable([1.0, 2.0], name="w")
        with tf.name_scope("scope"):
            b = tf.Variable(1.0, name="b")
        loss = tf.reduce_sum(w * w) + b
        step = tf.compat.v1.train.get_or_create_global_step()
        ops = []
        for name in (None, "train"):
            for make in (lambda: tf.compat.v1.train.GradientDescentOptimizer(0.1),
                         lambda: tf.compat.v1.train.AdamOptimizer(0.1)):
                for global_step in (None, step):
                    op = make().minimize(loss, global_step=global_step, name=name)
                    ops.append(f"{op.name} {op.type}")
        opt = tf.compat.v1.train.MomentumOptimizer(0.1, 0.9)
        op = opt.apply_gradients([(tf.constant([1.0, 1.0]), w)], name="apply")
        ops.append(f"{op.name} {op.type}")
        return {"ops": ops,
                "variables": [v.name for v in tf.compat.v1.global_variables()],
                "train_op": [o.name for o in g.get_collection("train_op")],
                "global_step": [step.name, step.dtype.name],
                "momentum_slot": [opt.get_slot(w, "momentum").name]}


def _v1(tf):
    return tf.compat.v1.train


def _with_step(make_opt):
    """A case whose learning rate is a schedule of the global step, which each step advances."""
    def make(tf):
        step = tf.compat.v1.train.get_or_create_global_step()
        return make_opt(tf, step), step
    return make


OPTIMIZERS = {
    "rmsprop": lambda tf: (_v1(tf).RMSPropOptimizer(0.01), None),
    "rmsprop_momentum": lambda tf: (_v1(tf).RMSPropOptimizer(
        0.05, decay=0.8, momentum=0.5, epsilon=1e-6), None),
    "rmsprop_centered": lambda tf: (_v1(tf).RMSPropOptimizer(
        0.05, epsilon=1e-3, centered=True), None),
    "rmsprop_centered_momentum": lambda tf: (_v1(tf).RMSPropOptimizer(
        0.02, decay=0.7, momentum=0.9, centered=True), None),
    "adagrad": lambda tf: (_v1(tf).AdagradOptimizer(0.1), None),
    "adagrad_initial": lambda tf: (_v1(tf).AdagradOptimizer(
        0.5, initial_accumulator_value=1.5), None),
    "adadelta": lambda tf: (_v1(tf).AdadeltaOptimizer(1.0, rho=0.9, epsilon=1e-6), None),
    "adadelta_default": lambda tf: (_v1(tf).AdadeltaOptimizer(), None),
    "proximal_l1_l2": lambda tf: (_v1(tf).ProximalGradientDescentOptimizer(0.1, 0.05, 0.1), None),
    "proximal_l2": lambda tf: (_v1(tf).ProximalGradientDescentOptimizer(0.1, 0.0, 0.5), None),
    "proximal_big_l1": lambda tf: (_v1(tf).ProximalGradientDescentOptimizer(0.2, 3.0), None),
    "hand_sgd": lambda tf: (user_optimizers(tf)["HandSGD"](0.1), None),
    "power_sign": lambda tf: (user_optimizers(tf)["PowerSign"](0.1), None),
    "add_sign": lambda tf: (user_optimizers(tf)["AddSign"](0.05, beta=0.5), None),
    "counted_momentum": lambda tf: (user_optimizers(tf)["CountedMomentum"](0.1, 0.8), None),
    "sgd_exponential_decay": _with_step(lambda tf, step: _v1(tf).GradientDescentOptimizer(
        _v1(tf).exponential_decay(0.1, step, 2, 0.5))),
    "momentum_piecewise": _with_step(lambda tf, step: _v1(tf).MomentumOptimizer(
        _v1(tf).piecewise_constant(step, [1, 3], [0.1, 0.05, 0.01]), 0.9)),
    "adam_polynomial": _with_step(lambda tf, step: _v1(tf).AdamOptimizer(
        _v1(tf).polynomial_decay(0.1, step, 3, end_learning_rate=0.01, power=2.0))),
    "rmsprop_cosine": _with_step(lambda tf, step: _v1(tf).RMSPropOptimizer(
        _v1(tf).cosine_decay(0.05, step, 4, alpha=0.2), momentum=0.5)),
}

SCHEDULE_STEPS = [0, 1, 2, 5, 9, 10, 11, 20, 35]
SCHEDULES = {
    "exponential": lambda tf, s: _v1(tf).exponential_decay(0.1, s, 10, 0.5),
    "exponential_staircase": lambda tf, s: _v1(tf).exponential_decay(0.1, s, 10, 0.5, True),
    "natural_exp": lambda tf, s: _v1(tf).natural_exp_decay(0.1, s, 10, 0.5),
    "natural_exp_staircase": lambda tf, s: _v1(tf).natural_exp_decay(0.1, s, 4, 0.3, True),
    "inverse_time": lambda tf, s: _v1(tf).inverse_time_decay(0.1, s, 10, 0.5),
    "inverse_time_staircase": lambda tf, s: _v1(tf).inverse_time_decay(0.1, s, 3, 2.0, True),
    "polynomial": lambda tf, s: _v1(tf).polynomial_decay(0.1, s, 10, 0.01, power=0.5),
    "polynomial_cycle": lambda tf, s: _v1(tf).polynomial_decay(0.1, s, 4, 0.02, 2.0, True),
    "piecewise": lambda tf, s: _v1(tf).piecewise_constant(s, [3, 10], [1.0, 0.5, 0.1]),
    "piecewise_one_boundary": lambda tf, s: _v1(tf).piecewise_constant(s, [5], [0.2, 0.02]),
    "cosine": lambda tf, s: _v1(tf).cosine_decay(0.1, s, 20, alpha=0.1),
    "cosine_restarts": lambda tf, s: _v1(tf).cosine_decay_restarts(0.1, s, 4, 2.0, 0.5, 0.05),
    "cosine_restarts_t_mul_1": lambda tf, s: _v1(tf).cosine_decay_restarts(0.1, s, 3, 1.0),
    "linear_cosine": lambda tf, s: _v1(tf).linear_cosine_decay(0.1, s, 20, 1.0, 0.1, 0.01),
    "exponential_float64": lambda tf, s: _v1(tf).exponential_decay(
        tf.constant(0.1, tf.float64), s, 3, 0.7),
}
