"""Commands that analyse (filled in with the analysis engine)."""

from __future__ import annotations

from typing import Any


def add_commands(commands: Any) -> None:
    del commands
