"""`python -m janusgrad run prog.py [args...]`: runs an unchanged TensorFlow program with
janusgrad standing in for tensorflow (janusgrad/standin.py)."""
import sys

from janusgrad.standin import main

sys.exit(main())
