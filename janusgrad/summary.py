"""tf.summary (TF2): `create_file_writer(logdir)`, `with writer.as_default():`, then
`tf.summary.scalar(name, data, step=...)`, `histogram`, `text`, `write`, `flush`, `record_if`.
TF1's summaries are tf.compat.v1.summary. Event files are written through tensorboardX
(janusgrad's `tensorboard` extra); without it summaries are dropped after one warning."""
import types as _types

from .summaries.v2 import (SummaryWriter, create_file_writer, create_noop_writer,  # noqa: F401
                           flush, histogram, record_if, scalar, should_record_summaries, text,
                           write)
from .summaries.v2 import get_step as _get_step
from .summaries.v2 import set_step as _set_step

experimental = _types.SimpleNamespace(get_step=_get_step, set_step=_set_step)
# issue 22: the docs' summary of tf.summary.experimental (its own, not SimpleNamespace's)
experimental.__doc__ = "tf.summary.experimental: get_step() and set_step(step), the default step."
