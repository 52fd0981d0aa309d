"""tf.errors."""
from .framework.errors import (DataLossError, FailedPreconditionError,  # noqa: F401
                               InvalidArgumentError, NotFoundError, OpError, UnimplementedError)

# -- files (issue 18: tf.io.gfile) --
from .framework.errors import AlreadyExistsError, PermissionDeniedError  # noqa: E402

# -- tf.function (issue 19): Python control flow on a symbolic tensor --
from .framework.errors import OperatorNotAllowedInGraphError  # noqa: E402

# -- distributed training (issue 23): a replica that died --
from .framework.errors import UnavailableError  # noqa: E402

# -- a name janusgrad lacks is a clear error (issue 18, running TF programs unchanged) --
from .framework.missing import missing_names as _missing_names  # noqa: E402
__getattr__ = _missing_names(__name__)
