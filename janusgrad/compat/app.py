"""tf.compat.v1.app (tf.app): `run(main=None, argv=None)` and `flags`.

With absl-py installed (`pip install "janusgrad[tf1]"`), `run` is TF's: absl's app.run, with the
flags parsed leniently (flags the program did not define are left in argv), then
`sys.exit(main(argv))`. Without it, `run` calls `main(argv)` on the whole argv and exits with
its result, which is the same for a program that defines no flags.
"""
import sys

from ..framework.missing import missing_names as _missing_names
from . import flags

__all__ = ["flags", "run"]


def run(main=None, argv=None):
    """Runs `main(argv)` (by default the `main` of the __main__ module), then exits."""
    main = main or sys.modules["__main__"].main
    try:
        from absl import app as absl_app
    except ImportError:
        sys.exit(main(list(sys.argv if argv is None else argv)))
    absl_flags = flags.absl_flags()

    def parse(args):
        return absl_flags.FLAGS(sys.argv if args is None else args, known_only=True)

    absl_app.run(main=main, argv=argv, flags_parser=parse)


__getattr__ = _missing_names(__name__, "tf.compat.v1.app")
