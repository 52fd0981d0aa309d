"""The demo's two domains, built from data that ships with scikit-learn.

Source: the 1797 handwritten digits of `sklearn.datasets.load_digits` (8x8, 16 grey levels),
upsampled to 16x16 and repeated over 3 colour channels. Target: the same digits blended with
random patches of the two photographs of `sklearn.datasets.load_sample_images` (a Chinese
temple, a flower) as MNIST-M is made from MNIST: |patch - digit| per channel, so a digit's
strokes invert the photograph's colours under them. Where the photograph is brighter than
half, the strokes come out darker than their background: "inverted" polarity, which no model
trained on the bright-on-dark source digits reads (see `polarity`).

Training data is rebuilt every epoch (`epoch_images`): each digit shifted by up to +-2 px and
the target digits blended into fresh patches, the variant that measured best for DANN here.
"""
import numpy as np

SIZE = 16


def _missing(name):
    return SystemExit(f"the demo needs {name}: pip install 'janusgrad[demo]' "
                      "(scikit-learn, matplotlib, tqdm)")


def load_digits_16():
    """Digits as float32 images in [0, 1], shape (n, 16, 16), and their int64 labels."""
    try:
        from sklearn.datasets import load_digits
    except ImportError:
        raise _missing("scikit-learn") from None
    from scipy.ndimage import zoom
    digits = load_digits()
    images = zoom(digits.images / 16.0, (1, SIZE / 8, SIZE / 8), order=1)
    return np.clip(images, 0.0, 1.0).astype(np.float32), digits.target.astype(np.int64)


def load_photos():
    """scikit-learn's sample photographs as float32 arrays in [0, 1], shape (h, w, 3)."""
    try:
        from sklearn.datasets import load_sample_images
    except ImportError:
        raise _missing("scikit-learn") from None
    try:
        return [np.asarray(im, np.float32) / 255.0 for im in load_sample_images().images]
    except ImportError:             # the photographs are JPEGs: reading them needs Pillow
        raise _missing("Pillow") from None


def blend(digits, photos, rng):
    """MNIST-M style: each digit over a random patch of a random photograph."""
    out = np.empty(digits.shape + (3,), np.float32)
    for i, digit in enumerate(digits):
        photo = photos[rng.integers(len(photos))]
        top = rng.integers(photo.shape[0] - SIZE + 1)
        left = rng.integers(photo.shape[1] - SIZE + 1)
        patch = photo[top:top + SIZE, left:left + SIZE]
        out[i] = np.abs(patch - digit[:, :, None])
    return out


SHIFT = 2


def shift(images, rng, max_shift=SHIFT):
    """Each (h, w) image moved by its own random offset in [-max_shift, max_shift] pixels,
    zero-filled (the background of a source digit)."""
    out = np.zeros_like(images)
    size = images.shape[1]
    for i, offset in enumerate(rng.integers(-max_shift, max_shift + 1, size=(len(images), 2))):
        dy, dx = offset
        src = images[i, max(0, -dy):size - max(0, dy), max(0, -dx):size - max(0, dx)]
        out[i, max(0, dy):max(0, dy) + src.shape[0], max(0, dx):max(0, dx) + src.shape[1]] = src
    return out


def polarity(digits, blended):
    """1 where a blended digit's strokes are darker than its background ("inverted"), else 0:
    the mean grey level over stroke pixels (digit >= 0.5) against background (digit < 0.1)."""
    grey = blended.mean(axis=-1)
    stroke, background = digits >= 0.5, digits < 0.1
    s = (grey * stroke).sum((1, 2)) / np.maximum(stroke.sum((1, 2)), 1)
    b = (grey * background).sum((1, 2)) / np.maximum(background.sum((1, 2)), 1)
    return (s < b).astype(np.int64)


def normalise_per_image(images):
    """Per-image normalisation that removes colour, contrast and polarity: grey level,
    standardised per image, its sign chosen so that the border (background, mostly) is below
    the image's mean, as a source digit's is. Shape (n, h, w, 3) in and out."""
    grey = images.mean(axis=-1)
    grey = grey - grey.mean(axis=(1, 2), keepdims=True)
    grey = grey / (grey.std(axis=(1, 2), keepdims=True) + 1e-6)
    border = np.ones(grey.shape[1:], bool)
    border[2:-2, 2:-2] = False
    sign = np.where(grey[:, border].mean(axis=1) > 0, -1.0, 1.0).astype(np.float32)
    return np.repeat((grey * sign[:, None, None])[..., None], 3, axis=-1).astype(np.float32)


class DigitDomains:
    """The digits experiment's data for one seed: a fixed split and test sets, and training
    images rebuilt every epoch (shifts and fresh blends) by `epoch_images`."""

    def __init__(self, seed=0, test_fraction=0.3):
        self.rng = np.random.default_rng(seed)
        images, labels = load_digits_16()
        self.photos = load_photos()
        order = self.rng.permutation(len(labels))
        n_test = int(round(len(labels) * test_fraction))
        test, train = order[:n_test], order[n_test:]
        self.digits_train, self.labels_train = images[train], labels[train]
        self.labels_test = labels[test]
        self.source_test = np.repeat(images[test][..., None], 3, axis=-1)
        self.target_test = blend(images[test], self.photos, self.rng)
        self.polarity_test = polarity(images[test], self.target_test)
        first = self.blended_train = blend(self.digits_train, self.photos, self.rng)
        # centre every image on the mean training pixel of both domains (no labels involved)
        self.mean = np.concatenate([np.repeat(self.digits_train[..., None], 3, axis=-1),
                                    first]).mean(axis=0)

    def epoch_images(self, rng, invert_half=False):
        """(source, target) training images for one epoch, in the order of labels_train:
        every digit shifted, the target ones blended into new patches. `invert_half` turns a
        random half of the source digits into dark-on-light ones (training on both
        polarities)."""
        source = shift(self.digits_train, rng)
        if invert_half:
            flip = rng.random(len(source)) < 0.5
            source[flip] = 1.0 - source[flip]
        target = blend(shift(self.digits_train, rng), self.photos, rng)
        return np.repeat(source[..., None], 3, axis=-1), target

    def prepare(self, images, normalise):
        """What a model reads: per-image normalised, or centred on the training mean."""
        return normalise_per_image(images) if normalise else images - self.mean


def make_domains(seed=0, test_fraction=0.3):
    """A dict of float32 NHWC arrays: source and target train/test images, and labels, centred
    (one fixed blend, no re-blending: see DigitDomains for the demo's training data).

    The same digits appear in both domains, as in MNIST/MNIST-M; the target's training
    labels are kept out of it (an adapted model sees target images only)."""
    d = DigitDomains(seed, test_fraction)
    source_train = np.repeat(d.digits_train[..., None], 3, axis=-1)
    return {"source_train": source_train - d.mean, "labels_train": d.labels_train,
            "target_train": d.blended_train - d.mean,
            "source_test": d.source_test - d.mean, "target_test": d.target_test - d.mean,
            "labels_test": d.labels_test, "polarity_test": d.polarity_test}
