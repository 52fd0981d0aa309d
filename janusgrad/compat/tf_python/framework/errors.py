"""tensorflow.python.framework.errors."""
from ....framework.errors import (AlreadyExistsError, DataLossError,  # noqa: F401
                                  FailedPreconditionError, InvalidArgumentError, NotFoundError,
                                  OpError, PermissionDeniedError, UnimplementedError)
from ....framework.missing import missing_names as _missing_names

__getattr__ = _missing_names(__name__)
