from __future__ import annotations

import sys

from testlearn.cli import main

sys.exit(main())
