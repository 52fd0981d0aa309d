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
import re
import subprocess
import sys

import pytest

from .tf_program_results import (EXPECTED_DIR, ROOT, compare, key_lines, load_expected,
                                 programs, tolerance)

TIMEOUT_S = 120

# program -> why it fails today: the first missing name or the first difference, then the rest
# of what it needs. V1 is the first gap of every TF1 script: tf.compat.v1 re-exports none of
# TF's top-level names (float32, constant, matmul, reduce_mean, nn, RegisterGradient, ...).
V1 = "compat.v1 lacks TF's top-level names (first: compat.v1.{})"
CONSTANT_ARRAY = ("keras.initializers.Constant takes only a scalar: an array of the weight's "
                  "shape is InvalidArgumentError from 'Fill' (TF: the initial value)")
XFAIL = {
    "tf1_auto_reuse_siamese": V1.format("float32") + "; then variable_scope (AUTO_REUSE, "
    "reuse_variables(), scope.name), get_variable, get_variable_scope, zeros_initializer",
    "tf1_custom_optimizer_powersign": "`from tensorflow.python.ops import control_flow_ops, "
    "math_ops, state_ops` and `from tensorflow.python.training import optimizer` (the import "
    "hook); then compat.v1.disable_v2_behavior, compat.v1.log, V1 names, train.Optimizer's "
    "subclass hooks (_prepare, _create_slots, _zeros_slot, _apply_dense), TF1 dims "
    "(x.get_shape()[1].value)",
    "tf1_custom_optimizer_resource": V1.format("constant") + "; then variable_scope, "
    "get_variable, train.RMSPropOptimizer, train.AdagradOptimizer, train.Optimizer's subclass "
    "hooks (_create_slots, _zeros_slot, _prepare, _resource_apply_dense)",
    "tf1_dorefa_override_map": V1.format("float32") + "; nothing else (runs with them)",
    "tf1_dqn_target_network": V1.format("float32") + "; then variable_scope, get_variable, "
    "GraphKeys, get_collection(scope=), assign, losses.huber_loss, train.RMSPropOptimizer",
    "tf1_guided_backprop_gen_nn_ops": "`from tensorflow.python.ops import gen_nn_ops` "
    "(gen_nn_ops.relu_grad; the import hook); then " + V1.format("float32"),
    "tf1_hessians_newton": V1.format("constant") + "; then compat.v1.assign_sub",
    "tf1_initializers": "compat.v1.variable_scope (with initializer=); then get_variable, "
    "constant/zeros/ones/glorot_uniform/truncated_normal/random_uniform/random_normal/"
    "variance_scaling initializers, compat.v1.random_uniform/random_normal/truncated_normal",
    "tf1_layers_conv_batchnorm": V1.format("float32") + "; then placeholder_with_default, "
    "layers.conv2d/batch_normalization/max_pooling2d/flatten/dense, GraphKeys.UPDATE_OPS, "
    "get_collection, constant_initializer, losses.sparse_softmax_cross_entropy, variable_scope, "
    "get_variable (reuse=True)",
    "tf1_layers_dense_classifier": V1.format("float32") + "; then placeholder_with_default, "
    "layers.dense/dropout, constant_initializer, losses.sparse_softmax_cross_entropy, "
    "GraphKeys.LOSSES, get_collection, variable_scope, get_variable",
    "tf1_losses": V1.format("constant") + "; then compat.v1.losses (TF1's: softmax/sparse/"
    "sigmoid cross-entropy, mean_squared_error, absolute_difference, huber_loss, log_loss, "
    "hinge_loss, Reduction, get_losses, get_total_loss), GraphKeys.LOSSES, get_collection",
    "tf1_lr_schedules": "compat.v1.train.exponential_decay; then train.polynomial_decay, "
    "train.piecewise_constant, train.global_step, compat.v1.get_variable, V1 names",
    "tf1_map_fn_while_loop": V1.format("float32") + "; then map_fn (also with dtype= of a "
    "tuple), scan, placeholder_with_default",
    "tf1_placeholder_with_default": "compat.v1.placeholder_with_default; then compat.v1.nn."
    "dropout(keep_prob=), V1 names",
    "tf1_register_gradient_clip": V1.format("RegisterGradient") + "; then variable_scope "
    "(AUTO_REUSE), get_variable, op.get_attr('_gradient_op_type') under an override map "
    "(janusgrad: ValueError, TF: b'ClipGradient')",
    "tf1_regularization_collections": V1.format("float32") + "; then variable_scope, "
    "get_variable(regularizer=), GraphKeys.REGULARIZATION_LOSSES, add_to_collection, "
    "get_collection, assign_add, losses.get_regularization_loss, zeros_initializer",
    "tf1_saver_meta_graph": V1.format("float32") + "; then add_to_collection, get_collection, "
    "train.Saver (MetaGraph files: model.meta), train.import_meta_graph",
    "tf1_saver_roundtrip": V1.format("float32") + "; then variable_scope, get_variable, "
    "train.Saver (max_to_keep, last_checkpoints, var_list dict), train.list_variables, "
    "train.load_variable",
    "tf1_session_config_device": "compat.v1.device; then ConfigProto, GPUOptions, "
    "Tensor.device ('/device:GPU:0' as TF names it; Variable.device is '' for "
    "'/device:CPU:0'), V1 names",
    "tf1_softmax_regression_tutorial": V1.format("float32") + "; then compat.v1.log, "
    "to_float, to_int32, reduce_sum(reduction_indices=), nn.softmax_cross_entropy_with_logits_v2, "
    "train.AdagradOptimizer",
    "tf1_summary_filewriter": V1.format("float32") + "; then compat.v1.summary (scalar, "
    "histogram, merge_all, FileWriter writing TF event files), GraphKeys.SUMMARIES, "
    "get_collection, train.summary_iterator",
    "tf1_variable_scope_mlp": V1.format("float32") + "; then variable_scope (reuse=True, "
    "name scopes 'mlp_1/...'), get_variable (ValueError on a duplicate), constant_initializer, "
    "zeros_initializer",
    "tf2_binarynet_ste": CONSTANT_ARRAY + "; then Keras 3 variable names: Variable.name is "
    "'kernel' (janusgrad 'bin1/kernel:0'), Variable.path 'bin1/kernel' is missing",
    "tf2_dann_gradient_reversal": CONSTANT_ARRAY + "; nothing else (runs with it)",
    "tf2_distribute_strategy": "tf.distribute (get_strategy, MirroredStrategy, strategy.scope/"
    "run/reduce, ReduceOp); then nn.compute_average_loss",
    "tf2_guided_backprop_keras": CONSTANT_ARRAY + "; nothing else (runs with it)",
    "tf2_keras_fit_callbacks": "keras.callbacks (Callback, EarlyStopping); then "
    "keras.regularizers.l2, Model.compile/fit/evaluate/predict, Model.losses, count_params",
    "tf2_maml_sinusoid": "tf.linalg.global_norm; nothing else (runs with it)",
    "tf2_override_map_in_function": "a GradientTape inside tf.function honours "
    "gradient_override_map (janusgrad [0, 2, 3, 4, 5, 0]); TF's ignores it there (zeros), "
    "while tf.gradients in the function and a tape around the call honour it",
    "tf2_per_example_gradients": "tf.vectorized_map; nothing else (runs with it)",
    "tf2_saliency_integrated_gradients": "keras.layers.Softmax; then tf.argsort, "
    + CONSTANT_ARRAY,
    "tf2_summary_writer": "tf.summary (create_file_writer, as_default, scalar and histogram in "
    "and out of tf.function, flush, TF event files); then tf.make_ndarray, "
    "compat.v1.train.summary_iterator",
    "tf2_tape_function_regression": "tf.linalg.global_norm; nothing else (runs with it)",
    "tf2_wgan_gp": CONSTANT_ARRAY + "; then tf.linalg.global_norm",
}


def run_under_janusgrad(path, tmp_path):
    """The program's stdout, run under janusgrad in a fresh interpreter (tmp_path its cwd).

    A temporary stand-in: the program's tensorflow imports are rewritten to janusgrad's, as
    shared/acceptance/run.py does. It is replaced by `python -m janusgrad run <program>` (the
    import hook mapping `tensorflow` to janusgrad) once that lands.
    """
    rewrites = [
        (r"^(\s*)import tensorflow\.compat\.v1 as (\w+)\s*$",
         r"\1import janusgrad.compat.v1 as \2"),
        (r"^(\s*)import tensorflow as (\w+)\s*$", r"\1import janusgrad as \2"),
        (r"^(\s*)import tensorflow\s*$", r"\1import janusgrad as tensorflow"),
        (r"^(\s*)from tensorflow\.keras import ", r"\1from janusgrad.keras import "),
        (r"^(\s*)from tensorflow\.python\.framework import ops\b", r"\1from janusgrad import ops"),
        (r"^(\s*)from tensorflow(\.[\w.]+)? import ", r"\1from janusgrad import "),
    ]
    source = path.read_text(encoding="utf-8")
    for pattern, replacement in rewrites:
        source = re.sub(pattern, replacement, source, flags=re.M)
    script = tmp_path / path.name
    script.write_text(source, encoding="utf-8")
    command = [sys.executable, str(script)]

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
