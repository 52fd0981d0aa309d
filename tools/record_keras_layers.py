"""Record Keras 3 (TF 2.21) results for tests/test_keras_layers.py into
tests/keras_layers_expected.py. Run with TF's interpreter:

    ~/tfenv/bin/python tools/record_keras_layers.py

(the inputs and weights are deterministic, the same `seq` as the tests)."""
import io
import os
import pprint
from contextlib import redirect_stdout

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
os.environ["COLUMNS"] = "80"         # summary() sizes its table to the terminal
import numpy as np  # noqa: E402
import tensorflow as tf  # noqa: E402

keras = tf.keras
L = keras.layers
OUT = os.path.join(os.path.dirname(__file__), "..", "tests", "keras_layers_expected.py")


def seq(shape, a=0.7, s=1.0):
    n = int(np.prod(shape))
    return (np.sin(np.arange(n) * a) * s).reshape(shape).astype(np.float32)


def set_all(layer, a=0.3):
    layer.set_weights([seq(w.shape, a + 0.1 * i) for i, w in enumerate(layer.get_weights())])


R = {}

# BatchNormalization: three training calls move the statistics, then an inference call
bn = L.BatchNormalization(momentum=0.9, epsilon=1e-3)
x = seq((6, 3), 0.9, 2.0) + 1.0
bn(x)
bn.set_weights([seq((3,), 0.4) + 1.0, seq((3,), 0.5), np.zeros(3, np.float32),
                np.ones(3, np.float32)])
for i in range(3):
    R[f"bn_train_{i}"] = np.asarray(bn(x * (i + 1), training=True)).tolist()
R["bn_moving_mean"] = bn.moving_mean.numpy().tolist()
R["bn_moving_variance"] = bn.moving_variance.numpy().tolist()
R["bn_infer"] = np.asarray(bn(x, training=False)).tolist()
R["bn_default"] = np.asarray(bn(x)).tolist()
R["bn_weight_paths"] = [w.path for w in bn.weights]

# BatchNormalization on NHWC (axis=-1) and axis=1
bn4 = L.BatchNormalization(axis=1)
x4 = seq((2, 3, 2, 2), 0.3)
bn4(x4)
set_all(bn4)
bn4.set_weights(bn4.get_weights()[:2] + [seq((3,), 0.2), seq((3,), 0.6) ** 2 + 0.5])
R["bn_axis1_train"] = np.asarray(bn4(x4, training=True)).tolist()
R["bn_axis1_moving"] = [bn4.moving_mean.numpy().tolist(), bn4.moving_variance.numpy().tolist()]

# LayerNormalization
ln = L.LayerNormalization()
xl = seq((2, 5), 1.3, 3.0)
ln(xl)
ln.set_weights([seq((5,), 0.2) + 1.0, seq((5,), 0.4)])
R["layer_norm"] = np.asarray(ln(xl)).tolist()

# functional model: two inputs, a shared layer, two outputs (a list and a dict)
keras.utils.clear_session()
a_in = keras.Input((4,), name="a_in")
b_in = keras.Input((3,), name="b_in")
shared = L.Dense(5, activation="relu", name="shared")
ha = shared(L.Concatenate(name="cat")([a_in, L.Dense(1, name="proj")(b_in)]))
hb = shared(L.Concatenate(name="cat2")([b_in, b_in[:, :2]]))
merged = L.Add(name="add")([ha, hb])
out1 = L.Dense(2, name="out1")(merged)
out2 = L.Dense(1, activation="sigmoid", name="out2")(L.Multiply(name="mul")([ha, hb]))
model = keras.Model([a_in, b_in], [out1, out2], name="two_out")
for layer in model.layers:
    if layer.weights:
        set_all(layer, 0.11 * len(layer.name))
xa, xb = seq((3, 4), 0.8), seq((3, 3), 1.7)
o1, o2 = model([xa, xb])
R["functional_out1"] = np.asarray(o1).tolist()
R["functional_out2"] = np.asarray(o2).tolist()
R["functional_layers"] = [layer.name for layer in model.layers]
R["functional_count_params"] = model.count_params()
R["functional_weight_paths"] = [w.path for w in model.weights]
buf = io.StringIO()
with redirect_stdout(buf):
    model.summary()
R["functional_summary"] = buf.getvalue()
dmodel = keras.Model({"a": a_in, "b": b_in}, {"first": out1, "second": out2})
d = dmodel({"a": xa, "b": xb})
R["functional_dict_keys"] = sorted(d)

# merging layers, reshape, pooling, embedding
p, q, r = seq((2, 3), 0.5), seq((2, 3), 1.1), seq((2, 3), 2.3)
R["merge_add"] = np.asarray(L.Add()([p, q, r])).tolist()
R["merge_subtract"] = np.asarray(L.Subtract()([p, q])).tolist()
R["merge_multiply"] = np.asarray(L.Multiply()([p, q, r])).tolist()
R["merge_average"] = np.asarray(L.Average()([p, q, r])).tolist()
R["merge_concat_axis0"] = np.asarray(L.Concatenate(axis=0)([p, q])).tolist()
R["reshape"] = np.asarray(L.Reshape((3, -1))(seq((2, 6), 0.4))).tolist()
img = seq((2, 5, 5, 3), 0.37)
R["avg_pool_valid"] = np.asarray(L.AveragePooling2D(2)(img)).tolist()
R["avg_pool_same_3_2"] = np.asarray(L.AveragePooling2D(3, 2, padding="same")(img)).tolist()
R["global_avg_pool"] = np.asarray(L.GlobalAveragePooling2D()(img)).tolist()
R["global_avg_pool_keepdims"] = list(L.GlobalAveragePooling2D(keepdims=True)(img).shape)
emb = L.Embedding(6, 3)
emb(np.array([0]))
emb.set_weights([seq((6, 3), 0.45)])
R["embedding"] = np.asarray(emb(np.array([[1, 5], [0, 1]]))).tolist()
R["activation_tanh"] = np.asarray(L.Activation("tanh")(p)).tolist()

# regularizers and add_loss: .losses after a call (L2(0.01) on a kernel)
keras.utils.clear_session()


class WithLoss(L.Layer):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.dense = L.Dense(2, kernel_regularizer=keras.regularizers.L2(0.01), name="inner")
        self.extra = [L.Dense(2, name="listed")]

    def call(self, x, training=None):
        y = self.extra[0](self.dense(x))
        self.add_loss(tf.reduce_mean(y ** 2))
        return y


wl = WithLoss(name="with_loss")
xw = seq((3, 4), 0.6)
wl(xw)
wl.dense.set_weights([seq((4, 2), 0.3), seq((2,), 0.5)])
wl.extra[0].set_weights([seq((2, 2), 0.7), seq((2,), 0.9)])
wl(xw)
R["losses_after_two_calls"] = [float(v) for v in wl.losses]
R["nested_weight_paths"] = [w.path for w in wl.weights]
R["nested_weight_names"] = [w.name for w in wl.weights]


class Sub(keras.Model):
    def __init__(self):
        super().__init__(name="sub")
        self.d1 = L.Dense(3, name="d1")
        self.bn = L.BatchNormalization(name="bn")

    def call(self, x, training=None):
        return self.bn(self.d1(x))


sub = Sub()
sub(xw)
R["subclassed_weight_paths"] = [w.path for w in sub.weights]
R["subclassed_trainable_count"] = len(sub.trainable_weights)
R["subclassed_layers"] = [layer.name for layer in sub.layers]

# Sequential summary once called
keras.utils.clear_session()
sm = keras.Sequential([keras.Input((3,)), L.Dense(4, activation="relu"),
                       L.BatchNormalization(), L.Dense(2)], name="seq_model")
buf = io.StringIO()
with redirect_stdout(buf):
    sm.summary()
R["sequential_summary"] = buf.getvalue()
R["sequential_built"] = sm.built
cx = keras.Input((5,), name="chain_in")
chain = keras.Model(cx, L.Dense(2, name="c2")(L.Dense(3, name="c1")(cx)), name="chain")
buf = io.StringIO()
with redirect_stdout(buf):
    chain.summary()
R["chain_summary"] = buf.getvalue()

# errors
errors = {}
dense = L.Dense(3, name="dense_err")
dense(np.zeros((2, 4), np.float32))
for key, fn in {
    "wrong_width": lambda: dense(np.zeros((2, 5), np.float32)),
    "set_weights_count": lambda: dense.set_weights([np.zeros((4, 3))]),
    "set_weights_shape": lambda: dense.set_weights([np.zeros((4, 2)), np.zeros(3)]),
    "count_params_unbuilt": lambda: L.Dense(2, name="unbuilt").count_params(),
    "concat_mismatch": lambda: L.Concatenate()([p, seq((3, 4))]),
    "add_mismatch": lambda: L.Add()([p, seq((2, 4))]),
    "get_layer_missing": lambda: model.get_layer("nope"),
}.items():
    try:
        fn()
        errors[key] = None
    except Exception as e:  # noqa: BLE001
        errors[key] = [type(e).__name__, str(e)]
R["errors"] = errors

# seeded initializers: the same object gives the same values on each call
same = {}
for name in ["RandomUniform", "RandomNormal", "TruncatedNormal", "GlorotUniform",
             "GlorotNormal", "HeNormal", "HeUniform", "LecunNormal", "LecunUniform"]:
    init = getattr(keras.initializers, name)(seed=7)
    same[name] = bool(np.array_equal(init((3, 4)), init((3, 4))))
R["seeded_same_each_call"] = same
R["tf_initializers_seeded_same"] = {
    name: bool(np.array_equal(getattr(tf, name)(seed=3)((5,)), getattr(tf, name)(seed=3)((5,))))
    for name in ["random_uniform_initializer", "random_normal_initializer"]}
R["tf_initializers_unseeded_same"] = {
    name: bool(np.array_equal(*[getattr(tf, name)()((5,)) for _ in range(2)]))
    for name in ["random_uniform_initializer", "random_normal_initializer"]}



# a gradient-reversal layer (tf.custom_gradient in call) in a two-output functional model,
# trained three SGD steps with a tape over model.trainable_variables
class GradReverse(L.Layer):
    def __init__(self, lam=1.0, **kwargs):
        super().__init__(**kwargs)
        self.lam = lam

    def call(self, x):
        @tf.custom_gradient
        def reverse(v):
            def grad(dy):
                return -self.lam * dy
            return tf.identity(v), grad
        return reverse(x)


keras.utils.clear_session()
gx = keras.Input((4,))
feat = L.Dense(6, activation="relu", name="feat")(gx)
label = L.Dense(2, name="label")(feat)
domain = L.Dense(1, name="domain")(GradReverse(0.5)(feat))
dann = keras.Model(gx, [label, domain])
for layer in dann.layers:
    if layer.weights:
        set_all(layer, 0.05 * len(layer.name))
X = seq((8, 4), 0.77)
Y = (np.arange(8) % 2).astype(np.int32)
D = (np.arange(8) // 4).astype(np.float32).reshape(8, 1)
sce = keras.losses.SparseCategoricalCrossentropy(from_logits=True)
bce = keras.losses.BinaryCrossentropy(from_logits=True)
opt = keras.optimizers.SGD(0.1)
history = []
for _ in range(3):
    with tf.GradientTape() as tape:
        lo, do = dann(X, training=True)
        l1, l2 = sce(Y, lo), bce(D, do)
        total = l1 + l2
    grads = tape.gradient(total, dann.trainable_variables)
    opt.apply_gradients(zip(grads, dann.trainable_variables))
    history.append([float(l1), float(l2)])
R["grl_history"] = history
R["grl_feat_kernel_row0"] = dann.get_layer("feat").kernel.numpy()[0].tolist()
R["grl_domain_kernel"] = dann.get_layer("domain").kernel.numpy()[:, 0].tolist()

# losses of a functional model: an activity regularizer (divided by the batch size) and a
# layer's add_loss, after each call
keras.utils.clear_session()
ax = keras.Input((3,))
ah = L.Dense(4, activity_regularizer=keras.regularizers.L2(0.1), name="act")(ax)
aw = WithLoss(name="wl")(ah)
amodel = keras.Model(ax, aw)
for layer in amodel.layers:
    if layer.weights:
        set_all(layer, 0.07 * len(layer.name))
amodel(seq((5, 3), 0.33))
R["functional_losses"] = [float(v) for v in amodel.losses]
amodel(seq((2, 3), 0.51))
R["functional_losses_second_call"] = [float(v) for v in amodel.losses]

with open(OUT, "w") as f:
    f.write('"""Keras 3 / TF 2.21 results, recorded by tools/record_keras_layers.py: '
            'do not edit."""\n')
    f.write(f"KERAS_VERSION = {keras.__version__!r}\n")
    f.write("R = ")
    f.write(pprint.pformat(R, width=99))
    f.write("\n")
print("wrote", OUT)
