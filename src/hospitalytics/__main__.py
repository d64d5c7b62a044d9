"""``python -m hospitalytics``: the same as the ``hospitalytics`` command."""

import sys

from .cli import main

if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
