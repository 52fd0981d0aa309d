"""The boilerplate around real programs: session configs, devices, tf.config, tf.test's build
questions, TF 1's graph seed, tf.compat.v1.logging, app.run and flags, tf.io.gfile. Behaviour
and errors as TensorFlow 2.21's on a machine without a GPU (checked there by hand)."""
import logging
import os
import subprocess
import sys

import numpy as np
import pytest

import janusgrad as tf
from janusgrad.compat import devices

v1 = tf.compat.v1


# -- ConfigProto & co ---------------------------------------------------------------------------

def test_config_proto_fields_are_stored_and_read_back():
    config = v1.ConfigProto(allow_soft_placement=True, log_device_placement=False,
                            intra_op_parallelism_threads=2, device_count={"GPU": 0},
                            gpu_options=v1.GPUOptions(per_process_gpu_memory_fraction=0.4))
    config.gpu_options.allow_growth = True
    config.inter_op_parallelism_threads = 3
    assert config.allow_soft_placement is True and config.log_device_placement is False
    assert config.gpu_options.allow_growth is True
    assert config.gpu_options.per_process_gpu_memory_fraction == pytest.approx(0.4)
    assert config.device_count == {"GPU": 0} and config.inter_op_parallelism_threads == 3
    assert v1.ConfigProto().gpu_options.allow_growth is False         # defaults
    assert v1.ConfigProto(gpu_options={"allow_growth": True}).gpu_options.allow_growth
    text = str(config)
    assert "allow_growth: true" in text and "allow_soft_placement: true" in text
    assert v1.ConfigProto() == v1.ConfigProto() and config != v1.ConfigProto()
    copy = v1.ConfigProto()
    copy.CopyFrom(config)
    assert copy == config
    config.graph_options.optimizer_options.global_jit_level = v1.OptimizerOptions.ON_1
    assert config.graph_options.optimizer_options.global_jit_level == 1
    assert tf.ConfigProto is v1.ConfigProto and tf.GPUOptions is v1.GPUOptions   # TF 1 spelling


def test_config_proto_errors_are_tfs():
    with pytest.raises(ValueError, match='has no "foo" field'):
        v1.ConfigProto(foo=1)
    config = v1.ConfigProto()
    with pytest.raises(AttributeError, match='has no "foo" field'):
        config.foo = 1
    with pytest.raises(TypeError, match="allow_soft_placement"):
        v1.ConfigProto(allow_soft_placement="yes")
    with pytest.raises(TypeError, match="intra_op_parallelism_threads"):
        v1.ConfigProto(intra_op_parallelism_threads=1.5)
    with pytest.raises(AttributeError, match="Assignment not allowed"):
        config.gpu_options = v1.GPUOptions()


def test_sessions_accept_a_config():
    config = v1.ConfigProto(gpu_options=v1.GPUOptions(allow_growth=True))
    g = tf.Graph()
    with g.as_default():
        x = v1.placeholder(tf.float32, [2])
        y = x * 2.0
        with v1.Session(config=config) as sess:
            out = sess.run(y, {x: [1.0, 2.0]},
                           options=v1.RunOptions(trace_level=v1.RunOptions.FULL_TRACE),
                           run_metadata=v1.RunMetadata())
            assert out.tolist() == [2.0, 4.0]
        sess = v1.InteractiveSession(config=config, graph=g)
        assert y.eval({x: [3.0, 0.0]}).tolist() == [6.0, 0.0]
        sess.close()


# -- devices ----------------------------------------------------------------------------------

def test_device_scopes_change_nothing():
    with tf.device("/gpu:0"):
        x = tf.constant([1.0, 2.0]) * 2.0
    with tf.device("/cpu:0"), tf.device("/job:localhost/replica:0/task:0/device:CPU:0"):
        y = x + 1.0
    assert y.numpy().tolist() == [3.0, 5.0]
    g = tf.Graph()
    with g.as_default(), v1.device("/device:GPU:0"), v1.device(lambda op: "/cpu:0"):
        z = tf.constant(1.0) + 1.0
        assert z.device == "/cpu:0"       # a device function's answer, as TF records it
        with v1.Session() as sess:
            assert sess.run(z) == 2.0


@pytest.mark.parametrize("spec, error", [(1, "Expecting a string device name"),
                                         ("garbage", "Unknown attribute 'garbage'"),
                                         ("/gpu:0/cpu:0", "Multiple device types")])
def test_bad_device_specs_are_tfs_value_errors(spec, error):
    with pytest.raises(ValueError, match=error):
        with tf.device(spec):
            pass


def test_tf2_device_rejects_functions():
    with pytest.raises(RuntimeError, match="does not support functions"):
        tf.device(lambda op: "/cpu:0")


def test_physical_and_logical_devices():
    assert tf.config.list_physical_devices("GPU") == []
    cpus = tf.config.list_physical_devices("CPU")
    assert len(cpus) == 1 and cpus[0].name == "/physical_device:CPU:0"
    assert cpus[0].device_type == "CPU" and cpus == tf.config.list_physical_devices()
    assert cpus[0] == tf.config.PhysicalDevice("/physical_device:CPU:0", "CPU")
    assert repr(cpus[0]) == "PhysicalDevice(name='/physical_device:CPU:0', device_type='CPU')"
    logical = tf.config.list_logical_devices()
    assert [(d.name, d.device_type) for d in logical] == [("/device:CPU:0", "CPU")]
    assert tf.config.list_logical_devices("GPU") == []
    assert tf.config.experimental.list_physical_devices("GPU") == []
    with pytest.raises(TypeError, match="device_type"):
        tf.config.list_physical_devices(1)


def test_device_settings_are_accepted_and_read_back():
    cpu = tf.config.list_physical_devices("CPU")[0]
    saved = dict(devices._settings)
    try:
        for gpu in tf.config.list_physical_devices("GPU"):      # the usual loop: no GPU
            tf.config.experimental.set_memory_growth(gpu, True)
        with pytest.raises(ValueError, match="memory growth"):
            tf.config.experimental.set_memory_growth(cpu, True)
        with pytest.raises(ValueError, match="Unrecognized device"):
            tf.config.experimental.set_memory_growth(
                tf.config.PhysicalDevice("/physical_device:GPU:0", "GPU"), True)
        tf.config.set_visible_devices([], "GPU")
        assert tf.config.get_visible_devices() == [cpu]
        assert tf.config.get_visible_devices("GPU") == []
        with pytest.raises(ValueError, match="Unrecognized device"):
            tf.config.set_visible_devices("x")
        tf.config.threading.set_intra_op_parallelism_threads(2)
        tf.config.threading.set_inter_op_parallelism_threads(3)
        assert tf.config.threading.get_intra_op_parallelism_threads() == 2
        assert tf.config.threading.get_inter_op_parallelism_threads() == 3
        with pytest.raises(TypeError, match="num_threads"):
            tf.config.threading.set_inter_op_parallelism_threads("x")
        tf.config.set_soft_device_placement(True)
        assert tf.config.get_soft_device_placement() is True
        assert tf.config.experimental.get_device_details(cpu) == {}
    finally:
        devices._settings.update(saved)


def test_tf_test_build_questions():
    for test in (tf.test, v1.test):
        assert test.is_gpu_available() is False and test.is_gpu_available(cuda_only=True) is False
        assert test.is_built_with_cuda() is False and test.is_built_with_gpu_support() is False
        assert test.gpu_device_name() == ""


# -- seeds ------------------------------------------------------------------------------------

def test_set_random_seed_eagerly_is_set_seed():
    v1.set_random_seed(3)
    a = tf.random.uniform([4]).numpy()
    tf.random.set_seed(3)
    b = tf.random.uniform([4]).numpy()
    assert a.tolist() == b.tolist()


def draws(seed):
    g = tf.Graph()
    with g.as_default():
        v1.set_random_seed(seed)
        assert g.seed == seed
        a, b = tf.random.uniform([3]), tf.random.normal([3])
        with v1.Session() as sess:
            return sess.run([a, b])


def test_graph_seed_makes_a_rebuilt_graph_draw_the_same():
    (a1, b1), (a2, b2) = draws(5), draws(5)
    np.testing.assert_array_equal(a1, a2)
    np.testing.assert_array_equal(b1, b2)
    assert not np.array_equal(a1, draws(6)[0])
    assert tf.Graph().seed is None                 # a new graph has no seed of its own


# -- logging ----------------------------------------------------------------------------------

def test_logging_goes_through_pythons_logging(caplog):
    log = v1.logging
    assert (log.DEBUG, log.INFO, log.WARN, log.ERROR, log.FATAL) == (10, 20, 30, 40, 50)
    assert tf.get_logger() is logging.getLogger("tensorflow") is log.get_logger()
    before = log.get_verbosity()
    try:
        log.set_verbosity(log.INFO)
        assert log.get_verbosity() == logging.INFO
        with caplog.at_level(logging.INFO, logger="tensorflow"):
            log.info("step %d", 3)
            log.warning("careful")
            log.warn("older spelling")
            log.error("bad")
            log.debug("not shown")
            for i in range(5):
                log.log_every_n(log.INFO, "every %d", 2, i)
            for i in range(5):
                log.log_first_n(log.INFO, "first %d", 2, i)
            log.log_if(log.INFO, "if %s", False, "no")
            log.log_if(log.INFO, "if %s", True, "yes")
        got = [(r.levelname, r.getMessage()) for r in caplog.records if r.name == "tensorflow"]
        assert got == [("INFO", "step 3"), ("WARNING", "careful"), ("WARNING", "older spelling"),
                       ("ERROR", "bad"), ("INFO", "every 0"), ("INFO", "every 2"),
                       ("INFO", "every 4"), ("INFO", "first 0"), ("INFO", "first 1"),
                       ("INFO", "if yes")]
        assert all(r.filename == os.path.basename(__file__) for r in caplog.records)
        log.set_verbosity("ERROR")
        assert log.get_verbosity() == logging.ERROR
        with pytest.raises(ValueError, match="Unknown level"):
            log.set_verbosity("bogus")
    finally:
        log.set_verbosity(before)


# -- app and flags ----------------------------------------------------------------------------

def python(code, *args):
    return subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True,
                          timeout=120)


def test_app_run_without_absl_calls_main_with_argv():
    p = python("import sys; sys.modules['absl'] = None\n"
               "import janusgrad as tf\n"
               "def main(argv):\n    print(argv[1:])\n    return 5\n"
               "tf.compat.v1.app.run(main)", "a", "--b")
    assert p.returncode == 5, p.stderr
    assert p.stdout.strip() == "['a', '--b']"


def test_flags_without_absl_is_an_import_error_naming_the_extra():
    p = python("import sys; sys.modules['absl'] = None\n"
               "import janusgrad as tf\n"
               "assert not hasattr(tf.flags, '__wrapped__')\n"
               "try:\n    tf.compat.v1.flags.DEFINE_string('x', 'a', 'help')\n"
               "except ImportError as e:\n    print(e)\n")
    assert p.returncode == 0, p.stderr
    assert "absl-py" in p.stdout and "janusgrad[tf1]" in p.stdout


def test_flags_with_absl():
    flags = pytest.importorskip("absl.flags")
    assert v1.flags.DEFINE_integer.__name__ == "DEFINE_integer"
    assert v1.app.flags is v1.flags is tf.flags
    name = "standin_test_flag"
    if name not in flags.FLAGS:
        v1.flags.DEFINE_integer(flag_name=name, default_value=7, docstring="TF 1's names")
    assert name in v1.flags.FLAGS and v1.flags.FLAGS[name].default == 7


# -- gfile ------------------------------------------------------------------------------------

def test_gfile_files(tmp_path):
    gfile = tf.io.gfile
    path = str(tmp_path / "a.txt")
    assert not gfile.exists(path) and not gfile.isdir(path)
    f = gfile.GFile(path)                               # opened on first use, as in TF
    with pytest.raises(tf.errors.NotFoundError):
        f.read()
    with gfile.GFile(path, "w") as f:
        f.write("hello\n")
        f.write(b"world\n")
    with gfile.GFile(path) as f:
        assert f.read() == "hello\nworld\n" and f.name == path and f.mode == "r"
    assert gfile.GFile(path, "rb").read() == b"hello\nworld\n"
    assert list(gfile.GFile(path)) == ["hello\n", "world\n"]
    assert gfile.GFile(path).readlines() == ["hello\n", "world\n"]
    f = gfile.GFile(path)
    assert f.read(3) == "hel" and f.tell() == 3
    f.seek(0)
    assert f.readline() == "hello\n" and f.size() == 12
    f.close()
    with gfile.GFile(path, "a") as f:
        f.write("!")
    assert gfile.stat(path).length == 13 and not gfile.stat(path).is_directory
    with pytest.raises(tf.errors.InvalidArgumentError, match="mode"):
        gfile.GFile(path, "z")


def test_gfile_directories(tmp_path):
    gfile = tf.io.gfile
    root = str(tmp_path)
    d = gfile.join(root, "x", "y")
    with pytest.raises(tf.errors.NotFoundError):
        gfile.mkdir(d)                                  # its parent does not exist
    gfile.makedirs(d)
    gfile.makedirs(d)                                   # again: fine
    gfile.mkdir(d)                                      # an existing directory: fine, as TF
    src = gfile.join(root, "a.txt")
    with gfile.GFile(src, "w") as f:
        f.write("1")
    with pytest.raises(tf.errors.FailedPreconditionError):
        gfile.makedirs(src)
    assert sorted(gfile.listdir(root)) == ["a.txt", "x"]
    assert gfile.glob(gfile.join(root, "*.txt")) == [src]
    assert gfile.glob(gfile.join(root, "*.none")) == []
    gfile.copy(src, gfile.join(root, "b.txt"))
    with pytest.raises(tf.errors.AlreadyExistsError):
        gfile.copy(src, gfile.join(root, "b.txt"))
    gfile.copy(src, gfile.join(root, "b.txt"), overwrite=True)
    with pytest.raises(tf.errors.AlreadyExistsError):
        gfile.rename(src, gfile.join(root, "b.txt"))
    gfile.rename(src, gfile.join(root, "c.txt"))
    assert sorted(gfile.listdir(root)) == ["b.txt", "c.txt", "x"]
    walked = [(os.path.relpath(a, root), sorted(b), sorted(c)) for a, b, c in gfile.walk(root)]
    assert walked == [(".", ["x"], ["b.txt", "c.txt"]), ("x", ["y"], []),
                      (os.path.join("x", "y"), [], [])]
    with pytest.raises(tf.errors.FailedPreconditionError):
        gfile.remove(gfile.join(root, "x"))
    gfile.remove(gfile.join(root, "b.txt"))
    with pytest.raises(tf.errors.NotFoundError):
        gfile.remove(gfile.join(root, "b.txt"))
    gfile.rmtree(gfile.join(root, "x"))
    with pytest.raises(tf.errors.NotFoundError):
        gfile.rmtree(gfile.join(root, "x"))
    with pytest.raises(tf.errors.NotFoundError):
        gfile.listdir(gfile.join(root, "x"))
    assert isinstance(tf.errors.NotFoundError("x"), LookupError)


def test_gfile_v1_names_and_schemes(tmp_path):
    gfile = v1.gfile
    assert tf.gfile is gfile
    d = str(tmp_path / "d")
    gfile.MakeDirs(d)
    with gfile.Open(os.path.join(d, "f"), "w") as f:
        f.write("x")
    assert gfile.Exists(d) and gfile.IsDirectory(d) and gfile.ListDirectory(d) == ["f"]
    assert gfile.FastGFile(os.path.join(d, "f")).read() == "x"
    gfile.Copy(os.path.join(d, "f"), os.path.join(d, "g"))
    gfile.Rename(os.path.join(d, "g"), os.path.join(d, "h"))
    assert sorted(gfile.Glob(os.path.join(d, "*"))) == [os.path.join(d, "f"),
                                                        os.path.join(d, "h")]
    gfile.Remove(os.path.join(d, "h"))
    assert gfile.Stat(os.path.join(d, "f")).length == 1
    assert [w[0] for w in gfile.Walk(d)] == [d]
    gfile.DeleteRecursively(d)
    assert not gfile.Exists(d)
    assert tf.io.gfile.exists("file://" + str(tmp_path))
    with pytest.raises(tf.errors.UnimplementedError, match="gs"):
        tf.io.gfile.exists("gs://bucket/x")
