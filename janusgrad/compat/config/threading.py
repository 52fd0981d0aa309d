"""tf.config.threading: the thread counts are accepted and read back (janusgrad's ops run in
NumPy, whose BLAS has its own threads)."""
from ...framework.missing import missing_names as _missing_names
from ..devices import (get_inter_op_parallelism_threads,  # noqa: F401
                       get_intra_op_parallelism_threads, set_inter_op_parallelism_threads,
                       set_intra_op_parallelism_threads)

__getattr__ = _missing_names(__name__, "tf.config.threading")
