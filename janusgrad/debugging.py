"""tf.debugging."""
from .ops.control import (Assert, assert_equal, assert_greater, assert_greater_equal,  # noqa: F401
                          assert_less, assert_less_equal, assert_none_equal, check_numerics)
from .ops.control import check_numerics as assert_all_finite  # noqa: F401
from .debug import disable_numerics_check as disable_check_numerics  # noqa: F401,E402
from .debug import enable_numerics_check as enable_check_numerics  # noqa: F401,E402

# -- a name janusgrad lacks is a clear error (issue 18, running TF programs unchanged) --
from .framework.missing import missing_names as _missing_names  # noqa: E402
__getattr__ = _missing_names(__name__)
