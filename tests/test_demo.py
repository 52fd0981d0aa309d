"""The demo (`python -m janusgrad.demo`): its pieces, its command line, a tiny run's files."""
import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

import janusgrad as tf
from janusgrad.demo import binary, data, models, moons, parse_args, report

ROOT = Path(__file__).resolve().parent.parent


def run_module(*args, timeout=60):
    env = dict(os.environ, PYTHONPATH=str(ROOT), MPLBACKEND="Agg")
    return subprocess.run([sys.executable, *args], capture_output=True, text=True, env=env,
                          timeout=timeout)


def test_core_package_does_not_import_the_demo_extras():
    done = run_module("-c", "import sys, janusgrad; "
                            "print(sorted(m for m in ('sklearn', 'matplotlib', 'tqdm') "
                            "if m in sys.modules))")
    assert done.returncode == 0, done.stderr
    assert done.stdout.strip() == "[]"


def test_help_lists_the_options():
    done = run_module("-m", "janusgrad.demo", "--help")
    assert done.returncode == 0, done.stderr
    for option in ("--epochs", "--seed", "--out", "--seeds", "--digit-seeds", "--experiments"):
        assert option in done.stdout


def test_bad_arguments_exit_with_usage_errors():
    for bad in (["--epochs", "0"], ["--seeds", "0"], ["--experiments", "moons,nope"],
                ["--moons-steps", "-1"]):
        with pytest.raises(SystemExit) as e:
            parse_args(bad)
        assert e.value.code == 2
    args = parse_args(["--experiments", "digits, binary", "--seed", "3"])
    assert args.experiments == ["digits", "binary"] and args.seed == 3
    assert args.out == "demo_output" and args.seeds == 5


def test_missing_extras_give_an_install_hint(monkeypatch):
    from janusgrad import demo
    monkeypatch.setitem(sys.modules, "sklearn", None)     # `import sklearn` now fails
    with pytest.raises(SystemExit, match=r"pip install 'janusgrad\[demo\]'"):
        demo.main(["--epochs", "1"])


def test_reversal_schedule_rises_from_zero_to_its_top():
    assert models.reversal_strength(0.0) == 0.0
    assert models.reversal_strength(1.0, top=0.3) == pytest.approx(0.3, rel=1e-4)
    values = [models.reversal_strength(p) for p in np.linspace(0, 1, 11)]
    assert values == sorted(values)
    assert moons.strength_at(0.5, 2.0, "constant") == 2.0
    assert moons.strength_at(0.5, 2.0, "ganin") == pytest.approx(2 * (2 / (1 + np.exp(-5)) - 1))


def test_blend_is_the_mnist_m_difference():
    rng = np.random.default_rng(0)
    digits = rng.uniform(size=(3, data.SIZE, data.SIZE)).astype(np.float32)
    photo = np.full((data.SIZE, data.SIZE, 3), 0.25, np.float32)     # one patch possible
    out = data.blend(digits, [photo], rng)
    assert out.shape == (3, data.SIZE, data.SIZE, 3) and out.dtype == np.float32
    np.testing.assert_allclose(out, np.abs(0.25 - digits)[..., None].repeat(3, -1))


def test_shift_moves_each_image_within_two_pixels_zero_filled():
    images = np.zeros((200, 16, 16), np.float32)
    images[:, 7, 9] = 1.0
    out = data.shift(images, np.random.default_rng(0))
    rows, cols = np.nonzero(out.reshape(200, -1) == 1.0)
    assert len(rows) == 200 and out.sum() == 200.0         # each dot kept, nothing else
    dy, dx = cols // 16 - 7, cols % 16 - 9
    assert set(dy) == set(dx) == {-2, -1, 0, 1, 2}         # every offset used
    edge = np.zeros((1, 16, 16), np.float32)
    edge[0, 0, :] = 1.0                                    # pushed off the top: zeros come in
    shifted = data.shift(np.repeat(edge, 50, 0), np.random.default_rng(1))
    assert shifted.sum() < 50 * 16 and set(np.unique(shifted)) <= {0.0, 1.0}


def test_polarity_is_dark_strokes_on_a_bright_background():
    digit = np.zeros((16, 16), np.float32)
    digit[4:12, 7:9] = 1.0
    dark_photo = np.full((16, 16, 3), 0.2, np.float32)
    bright_photo = np.full((16, 16, 3), 0.9, np.float32)
    blended = np.stack([np.abs(p - digit[..., None]) for p in (dark_photo, bright_photo)])
    assert data.polarity(np.stack([digit, digit]), blended).tolist() == [0, 1]


def test_per_image_normalisation_removes_polarity_contrast_and_colour():
    rng = np.random.default_rng(0)
    digit = np.zeros((4, 16, 16), np.float32)
    digit[:, 3:13, 6:10] = rng.uniform(0.5, 1.0, (4, 10, 4))
    source = np.repeat(digit[..., None], 3, -1)
    inverted = 0.8 - 0.5 * source * np.array([1.0, 0.9, 0.7], np.float32)   # dark, tinted
    a, b = data.normalise_per_image(source), data.normalise_per_image(inverted)
    np.testing.assert_allclose(a, b, atol=1e-4)
    grey = a[..., 0]
    np.testing.assert_allclose(grey.mean(axis=(1, 2)), 0, atol=1e-5)
    np.testing.assert_allclose(grey.std(axis=(1, 2)), 1, atol=1e-4)
    assert (grey[:, 0, 0] < 0).all()                       # background below the mean


def test_unknown_model_kinds_raise():
    with pytest.raises(ValueError, match="unknown model kind"):
        models.DigitModel("gan", seed=0)
    with pytest.raises(ValueError, match="unknown moons model"):
        moons.MoonsModel("gan", 0, **moons.RECIPE)
    with pytest.raises(ValueError, match="unknown binary-experiment model"):
        binary.BinaryMLP("gan", 0)


def test_moons_target_is_the_source_distribution_rotated():
    d = moons.make_moons_domains(0)
    for name in ("source_train", "target_train", "source_test", "target_test"):
        assert d[name].shape == (moons.N_POINTS, 2) and d[name].dtype == np.float32
    np.testing.assert_allclose(d["source_train"].mean(axis=0), 0, atol=0.1)   # centred
    a = np.deg2rad(moons.ANGLE)
    back = d["target_train"] @ np.array([[np.cos(a), -np.sin(a)], [np.sin(a), np.cos(a)]])
    # rotated back by -ANGLE, the target's points are moons again: the class means match
    for c in (0, 1):
        np.testing.assert_allclose(back[d["target_labels_train"] == c].mean(axis=0),
                                   d["source_train"][d["source_labels_train"] == c].mean(0),
                                   atol=0.08)
    np.testing.assert_allclose(np.linalg.norm(moons.rotate(d["source_train"], 90), axis=1),
                               np.linalg.norm(d["source_train"], axis=1), rtol=1e-5)


def test_moons_dann_reverses_the_domain_gradient_into_the_features():
    """One SGD step with the label head zeroed (so only the domain loss reaches the features):
    DANN moves the features by +lr * strength * (the domain loss's gradient), the opposite
    of plain descent; the baseline's domain head leaves the features alone."""
    d = moons.make_moons_domains(0)
    x, y, t = (tf.constant(d[k][:32]) for k in ("source_train", "source_labels_train",
                                                  "target_train"))
    is_target = tf.concat([tf.zeros([32]), tf.ones([32])], 0)
    moved = {}
    for kind in ("baseline", "dann"):
        m = moons.MoonsModel(kind, 0, **moons.RECIPE)
        m.train_step(x, y, t)                      # builds the layers
        m.label.kernel.assign(tf.zeros_like(m.label.kernel))
        m.strength.assign(0.5)
        m.optimizer = tf.keras.optimizers.SGD(0.1)
        m.train_step = tf.function(m._train_step)
        w = m.features.trainable_variables[0]
        with tf.GradientTape() as tape:
            both = tf.concat([m.features(x), m.features(t)], axis=0)
            plain = m.domain_loss(is_target, m.domain(both)[:, 0])
        g = tape.gradient(plain, w).numpy()
        before = w.numpy().copy()
        m.train_step(x, y, t)
        moved[kind] = (w.numpy() - before, g)
    step, g = moved["dann"]
    assert np.abs(g).max() > 1e-4
    np.testing.assert_allclose(step, 0.1 * 0.5 * g, rtol=1e-3, atol=1e-7)
    np.testing.assert_array_equal(moved["baseline"][0], 0.0)


def test_binarynet_forward_is_plus_minus_one_and_shadow_weights_stay_clipped():
    m = binary.BinaryMLP("binary", 0, learning_rate=0.5)      # big steps: weights hit the clip
    x = np.random.default_rng(0).normal(size=(16, 256)).astype(np.float32)
    y = np.arange(16) % 10
    w0 = m.kernels[0]
    with tf.GradientTape() as tape:
        hidden = m._sign(tf.matmul(x, m._sign(w0)) / 16.0 + m.biases[0])
        total = tf.reduce_sum(hidden)
    assert set(np.unique(hidden.numpy())) == {-1.0, 1.0}
    g = tape.gradient(total, w0)
    assert g is not None and np.abs(g.numpy()).sum() > 0
    for _ in range(3):
        m.train_step(x, y)
    for w in m.kernels:
        assert np.abs(w.numpy()).max() <= 1.0
        assert np.isclose(np.abs(w.numpy()).max(), 1.0)    # the clip was needed


def test_binarynet_without_the_ste_gets_no_kernel_gradient():
    x = np.random.default_rng(0).normal(size=(8, 256)).astype(np.float32)
    y = np.arange(8)
    assert binary.BinaryMLP("no_ste", 0).kernel_gradients_none(x, y) == 3
    assert binary.BinaryMLP("binary", 0).kernel_gradients_none(x, y) == 0
    m = binary.BinaryMLP("no_ste", 0)
    before = [w.numpy().copy() for w in m.kernels]
    m.train_step(x, y)
    for w, old in zip(m.kernels, before, strict=True):
        np.testing.assert_array_equal(w.numpy(), old)       # the kernels never move


def test_report_spread_and_paired_gain():
    a = [{"v": 0.5}, {"v": 0.7}, {"v": 0.6}]
    b = [{"v": 0.8}, {"v": 0.75}, {"v": 0.9}]
    s = report.spread([r["v"] for r in a])
    assert s == {"mean": pytest.approx(0.6), "std": pytest.approx(np.std([0.5, 0.7, 0.6])),
                 "n": 3}
    g = report.paired_gain(a, b, "v")
    assert g["mean"] == pytest.approx(np.mean([0.3, 0.05, 0.3])) and g["min"] == \
        pytest.approx(0.05)
    assert report.spread([None, None]) is None
    assert report.fmt(s) == " 60.0 ±  8.2"


def test_a_tiny_run_writes_the_tables_the_plots_and_the_json(tmp_path, capsys):
    pytest.importorskip("sklearn")
    pytest.importorskip("matplotlib")
    pytest.importorskip("tqdm")
    from janusgrad import demo
    out = tmp_path / "out"
    assert demo.main(["--epochs", "1", "--steps-per-epoch", "2", "--batch-size", "16",
                      "--seeds", "2", "--digit-seeds", "2", "--moons-steps", "12",
                      "--seed", "4", "--out", str(out)]) == 0
    printed = capsys.readouterr().out
    for label in list(models.LABELS.values()) + list(binary.LABELS.values()):
        assert label in printed
    assert "moons, 2 seeds" in printed and "paired by seed" in printed and "±" in printed

    for name in ("moons.png", "digits.png"):
        png = (out / name).read_bytes()
        assert png[:8] == b"\x89PNG\r\n\x1a\n" and len(png) > 10_000

    results = json.loads((out / "results.json").read_text())
    assert results["config"]["seed"] == 4 and results["config"]["epochs"] == 1
    m = results["moons"]
    assert m["config"]["steps"] == 12 and m["config"]["seeds"] == [4, 5]
    assert m["config"]["learning_rate"] == moons.RECIPE["learning_rate"]
    for kind in ("baseline", "dann"):
        runs = m["models"][kind]["per_seed"]
        assert [r["seed"] for r in runs] == [4, 5]
        for r in runs:
            for key in ("source_accuracy", "target_accuracy", "domain_accuracy"):
                assert 0.0 <= r[key] <= 1.0
            assert r["traces"] == {"train_step": 1}       # the strength variable: no retrace
            assert r["domain_trace"]["step"][-1] == 12
        s = m["models"][kind]["summary"]["target_accuracy"]
        assert s["n"] == 2 and s["mean"] == pytest.approx(
            np.mean([r["target_accuracy"] for r in runs]))
    assert m["target_gain"]["mean"] == pytest.approx(np.mean(
        [d["target_accuracy"] - b["target_accuracy"] for b, d in
         zip(m["models"]["baseline"]["per_seed"], m["models"]["dann"]["per_seed"])]))

    d = results["digits"]
    assert d["config"]["seeds"] == [4, 5] and d["config"]["steps_per_epoch"] == 2
    assert set(d["models"]) == set(models.KINDS)
    for kind, model in d["models"].items():
        for r in model["per_seed"]:
            for key in ("source_accuracy", "target_accuracy", "target_accuracy_normal",
                        "target_accuracy_inverted"):
                assert 0.0 <= r[key] <= 1.0
            f = r["inverted_fraction"]
            assert 0.2 < f < 0.6
            assert r["target_accuracy"] == pytest.approx(
                (1 - f) * r["target_accuracy_normal"] + f * r["target_accuracy_inverted"])
            assert (r["domain_accuracy"] is None) == (kind != "dann")
            assert r["steps"] == 2 and r["traces"] == {"train_step": 1, "predict": 1}
            assert r["history"]["epoch"] == [1]

    b = results["binary"]
    assert set(b["models"]) == set(binary.KINDS) and b["config"]["seeds"] == [4, 5]
    for kind, model in b["models"].items():
        for r in model["per_seed"]:
            assert 0.0 <= r["accuracy"] <= 1.0 and r["steps"] == 2
            assert r["kernels_without_gradient"] == (3 if kind == "no_ste" else 0)


def test_one_experiment_alone(tmp_path):
    pytest.importorskip("sklearn")
    from janusgrad import demo
    out = tmp_path / "o"
    assert demo.main(["--experiments", "binary", "--epochs", "1", "--steps-per-epoch", "1",
                      "--digit-seeds", "1", "--out", str(out)]) == 0
    results = json.loads((out / "results.json").read_text())
    assert "moons" not in results and "digits" not in results and "binary" in results
    assert not (out / "moons.png").exists() and (out / "digits.png").exists()


def test_domains_are_reproducible_and_centred():
    pytest.importorskip("sklearn")
    pytest.importorskip("PIL")
    a, b = data.make_domains(seed=1), data.make_domains(seed=1)
    np.testing.assert_array_equal(a["target_train"], b["target_train"])
    assert a["source_train"].shape[1:] == (16, 16, 3)
    both = np.concatenate([a["source_train"], a["target_train"]])
    assert abs(float(both.mean())) < 1e-5                  # centred on the training pixels
    assert not np.array_equal(data.make_domains(seed=2)["labels_test"], a["labels_test"])
    assert 0.3 < a["polarity_test"].mean() < 0.5           # the "about 38 %"


def test_epochs_reblend_and_shift_the_training_images():
    pytest.importorskip("sklearn")
    d = data.DigitDomains(0)
    rng = np.random.default_rng(0)
    s1, t1 = d.epoch_images(rng)
    s2, t2 = d.epoch_images(rng)
    assert s1.shape == t1.shape == (len(d.labels_train), 16, 16, 3)
    assert not np.array_equal(t1, t2) and not np.array_equal(s1, s2)
    np.testing.assert_array_equal(s1[..., 0], s1[..., 2])   # source: grey
    s3, _ = d.epoch_images(np.random.default_rng(5), invert_half=True)
    bright = (s3[..., 0].mean(axis=(1, 2)) > 0.5).mean()    # inverted digits: mostly white
    assert 0.4 < bright < 0.6
