"""TensorFlow programs written the way real users write them run under janusgrad with TF's results.

Each program in tests/tf_programs/ is plain TensorFlow code (TF1 scripts under
`tf.compat.v1.disable_eager_execution()`, ported TF2 code with tapes, tf.function and Keras);
tests/tf_program_results.py says how their `KEY: <json>` lines are read and compared.
TensorFlow 2.21's results are tests/tf_programs/expected/<name>.json, recorded by
tools/record_tf_programs.py (its docstring tells how; CI never runs it). Here each program runs
under janusgrad in a fresh interpreter, and its KEY lines must match the record: the same keys,
strings, booleans and nulls equal, numbers within rtol 1e-4 / atol 1e-5 unless the program's
`# tolerance:` line says otherwise and why.

The programs janusgrad cannot run yet are strict xfails whose reasons name what is missing (the
first name the program stops at, then what else it needs): this list is the to-do list of
issue 18, and a program that starts passing fails here until its entry is removed.
"""
import importlib.util
import os
import subprocess
import sys

import pytest

from .tf_program_results import (EXPECTED_DIR, ROOT, compare, key_lines, load_expected,
                                 programs, tolerance)

TIMEOUT_S = 120

# program -> why it fails today (checked by running it through `python -m janusgrad run`): the
# first missing name or difference, then what else it needs as far as known
CONSTANT_ARRAY = ("keras.initializers.Constant takes only a scalar: an array of the weight's "
                  "shape is InvalidArgumentError from 'Fill' (TF: the initial value)")
XFAIL = {
    "tf1_custom_optimizer_powersign": "x.get_shape()[1].value: TF1 Dimension objects under "
    "disable_v2_behavior() (janusgrad's TensorShape gives ints)",
    "tf1_dqn_target_network": "compat.v1.losses.huber_loss",
    "tf1_initializers": "two initializers with the same op seed give different values "
    "(seeded_equal: TF gives the same)",
    "tf1_layers_conv_batchnorm": "compat.v1.layers (conv2d, batch_normalization, max_pooling2d, "
    "flatten, dense); then compat.v1.losses.sparse_softmax_cross_entropy",
    "tf1_layers_dense_classifier": "compat.v1.layers (dense, dropout); then "
    "compat.v1.losses.sparse_softmax_cross_entropy",
    "tf1_losses": "compat.v1.losses' loss functions (softmax/sparse/sigmoid cross-entropy, "
    "mean_squared_error, absolute_difference, huber_loss, log_loss, hinge_loss, Reduction)",
    "tf1_map_fn_while_loop": "compat.v1.scan",
    "tf1_register_gradient_clip": "op.get_attr('_gradient_op_type') under an override map "
    "(janusgrad: ValueError, TF: b'ClipGradient')",
    "tf1_saver_meta_graph": "train.import_meta_graph (MetaGraph files: model.meta)",
    "tf1_session_config_device": "devices are not recorded: Variable.device is '' (TF "
    "'/device:CPU:0' under tf.device('/cpu:0'))",
    "tf1_summary_filewriter": "compat.v1.train.summary_iterator",
    "tf1_variable_scope_mlp": "op names of the Python operators: `a + b` is named 'AddV2' "
    "(TF: 'add'; also 'mul', 'sub', 'truediv' ...)",
    "tf2_binarynet_ste": CONSTANT_ARRAY + "; then Keras 3 variable names: Variable.name is "
    "'kernel' (janusgrad 'bin1/kernel:0'), Variable.path 'bin1/kernel' is missing",
    "tf2_dann_gradient_reversal": CONSTANT_ARRAY,
    "tf2_distribute_strategy": "tf.distribute (get_strategy, MirroredStrategy, strategy.scope/"
    "run/reduce, ReduceOp); then nn.compute_average_loss",
    "tf2_guided_backprop_keras": CONSTANT_ARRAY,
    # issue 20 (training loop): compile/fit/callbacks/evaluate/predict give TF's results
    # once the weights are set with set_weights; the rest is the Keras layers' area
    "tf2_keras_fit_callbacks": "keras.regularizers.l2; then Constant with an array, "
    "Model.losses, Layer.count_params",
    "tf2_maml_sinusoid": "tf.linalg.global_norm",
    "tf2_saliency_integrated_gradients": "keras.layers.Softmax; then tf.argsort, "
    + CONSTANT_ARRAY,
    "tf2_summary_writer": "compat.v1.train.summary_iterator; then tf.make_ndarray",
    "tf2_tape_function_regression": "tf.linalg.global_norm",
    "tf2_wgan_gp": CONSTANT_ARRAY + "; then tf.linalg.global_norm",
}


def run_under_janusgrad(path, tmp_path):
    """The program's stdout, run unchanged by `python -m janusgrad run` in a fresh interpreter
    (tmp_path its cwd)."""
    command = [sys.executable, "-m", "janusgrad", "run", str(path)]

    env = dict(os.environ, PYTHONHASHSEED="0")
    env["PYTHONPATH"] = os.pathsep.join([str(ROOT), env.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    try:
        done = subprocess.run(command, cwd=tmp_path, env=env, capture_output=True, text=True,
                              timeout=TIMEOUT_S)
    except subprocess.TimeoutExpired:
        pytest.fail(f"{path.name} ran longer than {TIMEOUT_S} s")
    if done.returncode != 0:
        pytest.fail(f"{path.name} exited with {done.returncode}:\n{done.stderr[-3000:]}",
                    pytrace=False)
    return done.stdout


def params():
    out = []
    for path in programs():
        marks = []
        if path.stem in XFAIL:
            marks.append(pytest.mark.xfail(strict=True, reason=XFAIL[path.stem]))
        out.append(pytest.param(path, id=path.stem, marks=marks))
    return out


@pytest.mark.parametrize("path", params())
def test_program_gives_tensorflows_results(path, tmp_path):
    uses_sklearn = "from sklearn" in path.read_text(encoding="utf-8")
    if uses_sklearn and not importlib.util.find_spec("sklearn"):
        pytest.skip("needs scikit-learn (the demo extra) for its bundled dataset")
    want = load_expected(path)
    got = key_lines(run_under_janusgrad(path, tmp_path))
    rtol, atol = tolerance(path)
    difference = compare(got, want, rtol, atol)
    assert difference is None, f"{path.name}: {difference}"


def test_every_program_has_a_record_and_every_record_a_program():
    names = {p.stem for p in programs()}
    recorded = {p.stem for p in EXPECTED_DIR.glob("*.json")}
    assert names - recorded == set(), "no record: run tools/record_tf_programs.py"
    assert recorded - names == set(), "records of programs that are gone"
    assert set(XFAIL) <= names, f"xfail entries for no program: {sorted(set(XFAIL) - names)}"
