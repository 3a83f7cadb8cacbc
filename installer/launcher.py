"""The frozen app's entry point: the same `testlearn.cli:main` the pip-installed command runs."""

from __future__ import annotations

import multiprocessing
import sys

if __name__ == "__main__":
    # Harmless when nothing uses processes; without it, a worker process started by a library
    # in the frozen app would start a second copy of the app instead of the worker.
    multiprocessing.freeze_support()
    from testlearn.cli import main

    sys.exit(main())
