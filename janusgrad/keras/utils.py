"""tf.keras.utils: Progbar, the progress bar fit/evaluate/predict print."""
import sys
import time

import numpy as np


class Progbar:
    """`Progbar(target).update(current, values)`: verbose=1 redraws one line
    `3/8 ━━━━━━━━──────────── 0s 2ms/step - loss: 0.6931`; verbose=2 prints one line at the
    end (finalize); verbose=0 prints nothing. `values` are (name, value) pairs; like Keras
    3 the latest value is shown (the model's metrics are running means already)."""

    def __init__(self, target, width=20, verbose=1, interval=0.05, stateful_metrics=None,
                 unit_name="step"):
        self.target = target
        self.width = width
        self.verbose = verbose
        self.interval = interval
        self.unit_name = unit_name
        self._values = {}
        self._start = time.time()
        self._last_update = 0.0
        self._seen = 0

    def update(self, current, values=None, finalize=None):
        if finalize is None:
            finalize = self.target is not None and current >= self.target
        for k, v in values or []:
            self._values[k] = float(np.asarray(v))
        if current is not None:
            self._seen = current
        now = time.time()
        if self.verbose == 1:
            if not finalize and now - self._last_update < self.interval:
                return
            self._last_update = now
            end = "\n" if finalize else ""
            sys.stdout.write("\r" + self._line(now, bar=True) + end)
            sys.stdout.flush()
        elif self.verbose == 2 and finalize:
            sys.stdout.write(self._line(now, bar=False) + "\n")
            sys.stdout.flush()

    def add(self, n, values=None):
        self.update(self._seen + n, values)

    def _line(self, now, bar):
        seen, target = self._seen, self.target
        elapsed = now - self._start
        head = f"{seen}/{target}" if target is not None else f"{seen}"
        parts = [head]
        if bar and target:
            done = int(self.width * min(seen, target) / target)
            parts.append("\u2501" * done + "\u2500" * (self.width - done))
        per = elapsed / max(seen, 1)
        timing = f"{per * 1e3:.0f}ms/{self.unit_name}" if per < 1 else \
            f"{per:.0f}s/{self.unit_name}"
        parts.append(f"{elapsed:.0f}s {timing}" if bar else f"- {elapsed:.0f}s - {timing}")
        line = " ".join(parts)
        for k, v in sorted(self._values.items()):    # Keras 3 lists them by name
            line += f" - {k}: {v:.4f}" if abs(v) >= 1e-3 or v == 0 else f" - {k}: {v:.4e}"
        return line

# -- keras.utils names real TF programs use (issue 18, more Keras names) --
from .numerical_utils import to_categorical  # noqa: F401, E402

# -- a name janusgrad lacks is a clear error (issue 18, running TF programs unchanged) --
from ..framework.missing import missing_names as _missing_names  # noqa: E402
__getattr__ = _missing_names(__name__)
