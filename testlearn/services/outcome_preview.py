"""Looking at an outcome file before importing it, and saying in words what each column becomes.

The window shows the first rows, the encoding the text was read with, and for each column
of the file a plain meaning ("Which group the row belongs to") with what its values become
("'Marketplace' -> pilot"). What the user chooses is a :class:`ColumnMapping`, handed to the
import as it is: the file itself is never rewritten.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from testlearn.services.outcome_cells import ARMS, PERIODS
from testlearn.services.outcome_mapping import (
    BINARY_WORDS,
    KNOWN_COLUMNS,
    MEANINGS,
    header_key,
    known_column,
    value_key,
)
from testlearn.services.outcome_sources import open_source

__all__ = ["KNOWN_COLUMNS", "MEANINGS", "FilePreview", "describe_column", "preview_outcome_file"]

#: Rows read for the distinct values of each column (the table shows fewer).
SCAN_ROWS = 2000
MAX_VALUES = 40
#: Headers people use, and the column each most likely is (a guess the user confirms).
GUESSES: dict[str, str] = {
    "group": "arm",
    "arm": "arm",
    "treatment": "arm",
    "condition": "arm",
    "cohort": "arm",
    "outcome": "value",
    "result": "value",
    "score": "value",
    "phase": "period",
    "site": "cluster",
    "school": "cluster",
    "area": "cluster",
    "id": "unit",
    "person": "unit",
    "pupil": "unit",
    "participant": "unit",
    "month": "time",
    "week": "time",
    "year": "time",
    "count": "n",
    "number": "n",
    "average": "mean",
}
LEFT_OUT_WORDS = "left out"
_WHERE = re.compile(r"row (?P<row>\d+)(?:, column (?P<column>[^:]+))?")


@dataclass(frozen=True)
class FilePreview:
    """The top of a file, as text, with what the import needs to offer choices."""

    file_name: str
    header: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]  # the first rows, as the table shows them
    lines: tuple[int, ...]  # each shown row's own line number in the file
    encoding: str  # how the text was read, in words; "" for a workbook
    sheet: str | None
    values: tuple[tuple[str, ...], ...]  # distinct values of each column in the scanned rows
    scanned: int  # how many data rows the distinct values come from
    guesses: tuple[str | None, ...]  # the contract column each header most likely is

    def read_as(self) -> str:
        """One sentence on how the file was read."""
        if self.sheet is not None:
            return f"Read from the sheet {self.sheet!r} of the workbook."
        return f"Text read as {self.encoding}."


def preview_outcome_file(
    path: Path, rows: int = 20, *, encoding: str | None = None, baseline: str = ""
) -> FilePreview:
    """The header, the first ``rows`` rows and the distinct values of a CSV or .xlsx file.

    ``baseline`` is the hypothesis's registered baseline measure: a header of that name is
    guessed to be its baseline column.
    """
    source = open_source(Path(path), encoding)
    header = tuple("" if h is None else str(h).strip() for h in source.header)
    shown: list[tuple[str, ...]] = []
    lines: list[int] = []
    distinct: list[dict[str, str]] = [{} for _ in header]
    scanned = 0
    try:
        for line, raw in source.rows:
            cells = [_shown(raw[i]) if i < len(raw) else "" for i in range(len(header))]
            if not any(cells):
                continue
            if len(shown) < rows:
                shown.append(tuple(cells))
                lines.append(line)
            for seen, cell in zip(distinct, cells, strict=True):
                if len(seen) < MAX_VALUES:
                    seen.setdefault(value_key(cell), cell)
            scanned += 1
            if scanned >= SCAN_ROWS:
                break
    finally:
        source.close()
    return FilePreview(
        file_name=Path(path).name,
        header=header,
        rows=tuple(shown),
        lines=tuple(lines),
        encoding=source.encoding,
        sheet=source.sheet,
        values=tuple(tuple(seen.values()) for seen in distinct),
        scanned=scanned,
        guesses=_guesses(header, baseline),
    )


def _shown(raw: Any) -> str:
    if raw is None:
        return ""
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    return str(raw).strip()


def _guesses(header: tuple[str, ...], baseline: str = "") -> tuple[str | None, ...]:
    out: list[str | None] = []
    for name in header:
        key = header_key(name)
        # The registered measure's own name first: "Score before" is its baseline, not value.
        guess = "baseline" if baseline and key == header_key(baseline) else None
        guess = guess or known_column(name) or GUESSES.get(key)
        for word in key.split() if guess is None else ():  # "Outcome Value", "School name"
            guess = known_column(word) or GUESSES.get(word)
            if guess is not None:
                break
        out.append(None if guess in out else guess)  # never the same column twice
    return tuple(out)


def meaning_of(
    column: str, raw: str, recode: Mapping[str, str | None], outcome_type: str
) -> str | None:
    """What a value of ``column`` becomes: the value meant, LEFT_OUT_WORDS, or None if unsaid."""
    key = value_key(raw)
    if key in recode:
        meant = recode[key]
        return LEFT_OUT_WORDS if meant is None else meant
    if column == "arm":
        return ARMS.get(key)
    if column == "period":
        return PERIODS.get(key) or ("blank" if not key else None)
    if column == "value" and outcome_type == "binary":
        if key in BINARY_WORDS:
            return f"{BINARY_WORDS[key]:g}"
        return None
    return raw


def needs_recoding(column: str | None, outcome_type: str) -> bool:
    """Whether each distinct value of this column is offered for recoding in the window."""
    return column in ("arm", "period") or (column == "value" and outcome_type == "binary")


def describe_column(
    preview: FilePreview,
    position: int,
    column: str | None,
    recode: Mapping[str, str | None],
    outcome_type: str,
) -> str:
    """What column ``position`` of the file becomes, in a line: "Group: 'A' -> pilot, ..."."""
    name = preview.header[position] or f"column {position + 1}"
    if column is None:
        return f"{name}: not imported"
    values = [v for v in preview.values[position] if v] if preview.values else []
    if needs_recoding(column, outcome_type):
        parts = []
        for raw in values[:8]:
            meant = meaning_of(column, raw, recode, outcome_type)
            parts.append(f"{raw!r} -> {meant if meant is not None else '? (say what it is)'}")
        more = f" and {len(values) - 8} more" if len(values) > 8 else ""
        return f"{name}: {', '.join(parts) or 'no values yet'}{more}"
    if column in ("cluster", "unit"):
        count = f"{len(values)}{'+' if len(values) >= MAX_VALUES else ''}"
        sample = ", ".join(repr(v) for v in values[:3])
        return f"{name}: labels such as {sample} ({count} different)"
    numbers = [v for v in values if _is_number(v)]
    other = [v for v in values if not _is_number(v)]
    text = f"{name}: numbers such as {', '.join(numbers[:3]) or 'none yet'}"
    if other:
        text += f"; {other[0]!r} is not a number and will stop the import"
    return text


def unsaid_values(
    preview: FilePreview,
    columns: Mapping[int, str | None],
    recode: Mapping[str, Mapping[str, str | None]],
    outcome_type: str,
) -> list[str]:
    """The values in the scanned rows whose meaning the user has still to say."""
    out = []
    for position, column in columns.items():
        if column is None or not needs_recoding(column, outcome_type):
            continue
        table = recode.get(column, {})
        for raw in preview.values[position]:
            if not raw and column == "period":
                continue
            if meaning_of(column, raw, table, outcome_type) is None:
                out.append(f"{preview.header[position]}: {raw or '(empty)'!r}")
    return out


def _is_number(text: str) -> bool:
    try:
        float(text.replace(",", "").lstrip("£"))
    except ValueError:
        return False
    return True


def error_location(message: str) -> tuple[int, str | None] | None:
    """The (row, column) an import error points at, as written in its message."""
    found = _WHERE.search(message)
    if found is None:
        return None
    return int(found["row"]), (found["column"].strip() if found["column"] else None)
