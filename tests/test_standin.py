"""`python -m janusgrad run prog.py` and janusgrad.stand_in_for_tensorflow(): unchanged TF programs
(tests/standin_programs/) run as `python prog.py` runs them, with janusgrad for tensorflow.

The programs print `KEY: <json>` lines; the expected numbers are NumPy's. Each program also runs
unchanged under TensorFlow 2.21 with the same output (checked by hand: `python prog.py`).
"""
import json
import os
import shutil
import signal
import subprocess
import sys

import numpy as np
import pytest

import janusgrad
from janusgrad import standin

HERE = os.path.dirname(os.path.abspath(__file__))
PROGRAMS = os.path.join(HERE, "standin_programs")


def run(*args, cwd=PROGRAMS, timeout=120):
    env = dict(os.environ)
    env.pop("PYTHONSAFEPATH", None)
    return subprocess.run([sys.executable, "-m", "janusgrad", *args], capture_output=True,
                          text=True, cwd=cwd, timeout=timeout, env=env)


def keys(stdout):
    out = {}
    for line in stdout.splitlines():
        key, sep, value = line.partition(": ")
        if sep and key.isidentifier():
            out[key] = json.loads(value)
    return out


# -- the runner --------------------------------------------------------------------------------

def test_eager_program_runs_as_python_runs_it():
    p = run("run", "eager_gradient.py", "--flag=1", "extra")
    assert p.returncode == 0, p.stderr
    k = keys(p.stdout)
    assert k["argv"] == ["eager_gradient.py", "--flag=1", "extra"]
    assert k["name"] == "__main__"
    assert k["file"] == os.path.join(PROGRAMS, "eager_gradient.py")
    assert k["path0"] == PROGRAMS
    assert k["version"] == "2.21.0" and k["major"] == 2
    x = np.array([[1.0, -2.0], [3.0, 0.5]])
    w = np.array([[0.5], [-1.0]])
    h = x @ w
    assert k["loss"] == pytest.approx(float((np.maximum(h, 0) ** 2).sum()))
    np.testing.assert_allclose(k["grad_w"], x.T @ (2 * np.maximum(h, 0)), rtol=1e-6)
    np.testing.assert_allclose(k["dense"], x.sum(1, keepdims=True))
    assert k["gpus"] == 0 and k["here"] == "standin_programs"


def test_tf1_graph_program_with_session_boilerplate():
    p = run("run", "graph_session.py")
    assert p.returncode == 0, p.stderr
    k = keys(p.stdout)
    x = np.array([[1.0, 2.0, 3.0], [0.0, -1.0, 0.5]])
    w = np.arange(6).reshape(3, 2) / 10.0
    y = 1 / (1 + np.exp(-(x @ w)))
    assert k["loss"] == pytest.approx(float((y ** 2).mean()), rel=1e-6)
    np.testing.assert_allclose(k["grad_w"], x.T @ (2 * y / y.size * y * (1 - y)), rtol=1e-5)
    assert k["executing_eagerly"] is False and k["gpu_available"] is False
    assert k["noise_in_range"] is True


def test_internal_modules_and_gradient_override_in_a_program():
    p = run("run", "custom_gradient_internals.py")
    assert p.returncode == 0, p.stderr
    x = np.array([[1.0, -1.0, 2.0], [0.5, 3.0, -0.5]])
    c = np.array([[1.0, -2.0, 3.0], [-1.0, 1.0, 0.5]])
    guided = np.where((c > 0) & (x > 0), c, 0.0)        # relu's gate and the positive grads
    np.testing.assert_array_equal(keys(p.stdout)["guided"], guided)


def test_app_run_and_flags():
    pytest.importorskip("absl")
    p = run("run", "app_flags.py", "--steps=5", "extra")
    assert p.returncode == 4, p.stderr          # main's return value is the exit status
    assert keys(p.stdout) == {"steps": 5, "name": "default", "rest": ["extra"]}


def test_run_a_module_with_dash_m():
    p = run("run", "-m", "runner_pkg.prog", "a", "b")
    assert p.returncode == 0, p.stderr
    assert keys(p.stdout) == {"argv": ["a", "b"], "name": "__main__", "package": "runner_pkg",
                              "value": 10.0}


@pytest.mark.parametrize("args, status", [(["exit", "3"], 3), (["exit", "0"], 0), ([], 0)])
def test_exit_status_is_the_programs(args, status):
    p = run("run", "exits.py", *args)
    assert p.returncode == status, p.stderr
    assert ("done: true" in p.stdout) == (not args)


def test_sys_exit_with_a_message():
    p = run("run", "exits.py", "message")
    assert p.returncode == 1
    assert p.stderr.strip() == "stopping here"


def test_uncaught_exception_traceback_names_the_programs_lines_only():
    p = run("run", "exits.py", "raise")
    assert p.returncode == 1
    lines = p.stderr.strip().splitlines()
    assert lines[0] == "Traceback (most recent call last):"
    frames = [line for line in lines if line.startswith('  File "')]
    path = os.path.join(PROGRAMS, "exits.py")
    assert frames == [f'  File "{path}", line 18, in <module>',
                      f'  File "{path}", line 8, in fail']
    assert lines[-1] == "ValueError: raised by the program"


@pytest.mark.skipif(sys.platform == "win32", reason="POSIX signals")
def test_keyboard_interrupt_ends_the_process_as_python_does():
    p = run("run", "exits.py", "interrupt")
    assert p.returncode == -signal.SIGINT
    assert p.stderr.strip().splitlines()[-1] == "KeyboardInterrupt"
    assert "standin.py" not in p.stderr


def test_missing_name_in_a_program_says_what_janusgrad_lacks():
    p = run("run", "exits.py", "missing")
    assert p.returncode == 1
    last = p.stderr.strip().splitlines()[-1]
    assert "tf.nn.rellu is not implemented by janusgrad" in last and "relu" in last
    assert "missing.py" not in p.stderr and "standin.py" not in p.stderr
    p = run("run", "exits.py", "missing_module")
    assert p.returncode == 1
    assert "tensorflow.python.ops.foo_ops is not implemented by janusgrad" in p.stderr


def test_syntax_error_and_missing_file(tmp_path):
    bad = tmp_path / "bad.py"
    bad.write_text("import tensorflow as tf\nx = = 1\n")
    p = run("run", str(bad), cwd=tmp_path)
    assert p.returncode == 1
    assert p.stderr.startswith(f'  File "{bad}", line 2')         # no runner frames above it
    assert p.stderr.strip().endswith("SyntaxError: invalid syntax")
    p = run("run", "nothing_here.py", cwd=tmp_path)
    assert p.returncode == 2 and "can't open file" in p.stderr


def test_program_directory_first_on_the_path(tmp_path):
    (tmp_path / "helper.py").write_text("import tensorflow as tf\nVALUE = tf.ones([2]).numpy()\n")
    (tmp_path / "main.py").write_text(
        "import json, helper, tensorflow\nprint('same:', json.dumps(helper.tf is tensorflow))\n"
        "print('value:', json.dumps(helper.VALUE.tolist()))\n")
    p = run("run", str(tmp_path / "main.py"), cwd=HERE)
    assert p.returncode == 0, p.stderr
    assert keys(p.stdout) == {"same": True, "value": [1.0, 1.0]}


def test_help_and_usage():
    p = run("--help")
    assert p.returncode == 0 and "python -m janusgrad run PROGRAM.py" in p.stdout
    assert "stand_in_for_tensorflow" in p.stdout
    assert run().returncode == 2
    p = run("frobnicate")
    assert p.returncode == 2 and "unknown command" in p.stderr


def test_the_acceptance_style_program_runs_unchanged(tmp_path):
    """A program of the acceptance kind (KEY lines), its tensorflow imports left as they are."""
    src = os.path.join(PROGRAMS, "eager_gradient.py")
    shutil.copy(src, tmp_path / "copy.py")
    p = run("run", "copy.py", cwd=tmp_path)
    assert p.returncode == 0, p.stderr
    assert keys(p.stdout)["grad_w"] == keys(run("run", "eager_gradient.py").stdout)["grad_w"]


# -- stand_in_for_tensorflow -------------------------------------------------------------------

@pytest.fixture
def no_tensorflow():
    """No tensorflow module in sys.modules before and after (TF itself may be installed)."""
    saved = {k: v for k, v in sys.modules.items() if k == "tensorflow" or
             k.startswith("tensorflow.")}
    for k in saved:
        del sys.modules[k]
    yield
    for k in [k for k in sys.modules if k == "tensorflow" or k.startswith("tensorflow.")]:
        del sys.modules[k]
    sys.modules.update(saved)


def tf_modules():
    return sorted(k for k in sys.modules if k == "tensorflow" or k.startswith("tensorflow."))


def test_stand_in_maps_tensorflow_and_undo_removes_everything(no_tensorflow):
    meta_path = list(sys.meta_path)
    compat = dict(vars(janusgrad.compat))
    with janusgrad.stand_in_for_tensorflow() as s:
        assert s.active
        import tensorflow as tf
        import tensorflow.compat.v1 as tf1
        import tensorflow.compat.v2 as tf2
        import tensorflow.python.ops.math_ops as m1
        from tensorflow.compat import v1
        from tensorflow.keras import backend, layers
        from tensorflow.keras.layers import Dense
        from tensorflow.python.ops import math_ops
        assert tf.__version__ == tf.version.VERSION == "2.21.0" == tf1.__version__
        assert janusgrad.__version__ != "2.21.0"        # janusgrad's own stays its own
        assert tf.constant is janusgrad.constant and tf.keras is janusgrad.keras
        assert tf2 is tf and v1 is tf1 is janusgrad.compat.v1
        assert m1 is math_ops and math_ops.reduce_sum is janusgrad.reduce_sum
        assert Dense is janusgrad.keras.layers.Dense and layers is janusgrad.keras.layers
        assert backend is janusgrad.keras.backend
        assert "tensorflow.keras.layers" in sys.modules
        assert sys.meta_path[0] is not meta_path[0]
    assert not s.active
    assert tf_modules() == [] and sys.meta_path == meta_path
    assert vars(janusgrad.compat).get("v2", None) is compat.get("v2", None)
    with pytest.raises(ModuleNotFoundError):
        import tensorflow  # noqa: F401
    s.undo()                                    # a second undo does nothing


def test_stand_in_as_a_call_and_nested(no_tensorflow):
    s = janusgrad.stand_in_for_tensorflow()
    inner = janusgrad.stand_in_for_tensorflow()     # while active: a handle that owns nothing
    import tensorflow as tf
    inner.undo()
    import tensorflow as tf_again
    assert tf_again is tf and "active" in repr(s)
    s.undo()
    assert tf_modules() == []


def test_stand_in_refuses_when_the_real_tensorflow_is_imported(no_tensorflow):
    sys.modules["tensorflow"] = type(sys)("tensorflow")      # as if TF had been imported
    try:
        with pytest.raises(RuntimeError, match="already imported"):
            janusgrad.stand_in_for_tensorflow()
    finally:
        del sys.modules["tensorflow"]


def test_names_that_are_not_modules(no_tensorflow):
    with janusgrad.stand_in_for_tensorflow():
        with pytest.raises(ModuleNotFoundError, match="No module named 'tensorflow.constant'"):
            import tensorflow.constant  # noqa: F401
        with pytest.raises(ModuleNotFoundError) as e:
            import tensorflow.contrib  # noqa: F401
        assert "tensorflow.contrib is not implemented by janusgrad" in str(e.value)
        with pytest.raises(ImportError) as e:
            from tensorflow.python.ops import foo_ops  # noqa: F401
        assert "tensorflow.python.ops.foo_ops is not implemented by janusgrad" in str(e.value)
        with pytest.raises(ImportError):
            from tensorflow.keras.layers import NoSuchLayer  # noqa: F401
        try:
            from tensorflow.python.ops import nn_grad  # noqa: F401
        except ImportError:
            pass                                    # try/except ImportError keeps working


def test_tensorflow_module_reads_janusgrad_names(no_tensorflow):
    with janusgrad.stand_in_for_tensorflow() as s:
        tf = s.tensorflow
        assert isinstance(tf, standin.TensorFlowModule) and tf.__name__ == "tensorflow"
        assert "reduce_sum" in dir(tf) and tf.compat is janusgrad.compat
        with pytest.raises(AttributeError, match="tf.no_such_name is not implemented"):
            tf.no_such_name
        assert not hasattr(tf, "no_such_name")


def test_versions_agree():
    assert janusgrad.version.VERSION == janusgrad.compat.v1.VERSION == "2.21.0"
    assert janusgrad.compat.v1.__version__ == janusgrad.VERSION == "2.21.0"
