"""``python -m freshbooks_async.cli``: the same as the ``freshbooks-async`` command."""

import sys

from . import main

if __name__ == "__main__":
    sys.exit(main())
