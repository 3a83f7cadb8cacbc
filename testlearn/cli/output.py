"""Printing for people and for scripts: aligned tables, and JSON on request."""

from __future__ import annotations

import json
import sys
from collections.abc import Sequence
from typing import Any


def print_json(data: Any) -> None:
    json.dump(data, sys.stdout, indent=2, ensure_ascii=False, default=str)
    sys.stdout.write("\n")


def print_table(
    headers: Sequence[str], rows: Sequence[Sequence[Any]], *, widths: dict[int, int] | None = None
) -> None:
    def cell(value: Any, column: int) -> str:
        text = "" if value is None else str(value)
        limit = (widths or {}).get(column)
        if limit and len(text) > limit:
            text = text[: limit - 1] + "…"
        return text

    table = [[cell(v, i) for i, v in enumerate(row)] for row in rows]
    sizes = [max([len(h)] + [len(r[i]) for r in table]) for i, h in enumerate(headers)]
    print("  ".join(h.ljust(sizes[i]) for i, h in enumerate(headers)).rstrip())
    print("  ".join("-" * s for s in sizes))
    for row in table:
        print("  ".join(v.ljust(sizes[i]) for i, v in enumerate(row)).rstrip())


def money(value: float | None) -> str:
    if value is None:
        return ""
    if value >= 1_000_000:
        return f"£{value / 1_000_000:,.1f}m"
    if value >= 1_000:
        return f"£{value / 1_000:,.0f}k"
    return f"£{value:,.0f}"
