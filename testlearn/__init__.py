"""testlearn: register, analyse and report test-and-learn pilots in public procurement.

The version below is the one place the application's version is written; the About box,
reports, database provenance and the installer all read it from here.
"""

from __future__ import annotations

__version__ = "0.1.0"
