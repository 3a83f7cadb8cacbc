"""Looking at an outcome file before importing it, and renaming its columns to the expected ones.

The window shows the first rows and lets the user say which column is which; the renamed copy
is then imported exactly as a file named on the command line would be, with the same checks.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

from testlearn.domain.fingerprint import AGGREGATE_COLUMNS, UNIT_COLUMNS
from testlearn.errors import InputFileError

#: Every column name an outcome file may use, unit rows first.
KNOWN_COLUMNS: tuple[str, ...] = tuple(dict.fromkeys((*UNIT_COLUMNS, *AGGREGATE_COLUMNS)))
_WHERE = re.compile(r"row (?P<row>\d+)(?:, column (?P<column>[^:]+))?")


def preview_outcome_file(path: Path, rows: int = 20) -> tuple[list[str], list[list[str]]]:
    """The header and the first ``rows`` rows of a CSV or .xlsx file, as text."""
    path = Path(path)
    if not path.is_file():
        raise InputFileError(f"{path}: no such file")
    table: list[list[str]] = []
    for line in _rows(path):
        table.append(["" if cell is None else str(cell) for cell in line])
        if len(table) > rows:
            break
    if not table:
        raise InputFileError(f"{path.name}: the file is empty")
    return table[0], table[1:]


def remap_outcome_file(path: Path, mapping: Mapping[str, str | None], folder: Path) -> Path:
    """A CSV copy of ``path`` in ``folder`` (same name stem) with its columns renamed.

    ``mapping`` maps a column of the file to an expected column name, or to None to leave it
    out. The copy keeps the original name so messages and the stored source name match.
    """
    path = Path(path)
    rows = iter(_rows(path))
    header = ["" if h is None else str(h).strip() for h in next(rows, [])]
    keep = [i for i, name in enumerate(header) if mapping.get(name, name)]
    target = Path(folder) / (path.stem + ".csv")
    with target.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow([mapping.get(header[i], header[i]) for i in keep])
        for row in rows:
            writer.writerow(["" if i >= len(row) or row[i] is None else row[i] for i in keep])
    return target


def error_location(message: str) -> tuple[int, str | None] | None:
    """The (row, column) an import error points at, as written in its message."""
    found = _WHERE.search(message)
    if found is None:
        return None
    return int(found["row"]), (found["column"].strip() if found["column"] else None)


def _rows(path: Path) -> Iterator[Sequence[Any]]:
    """Rows streamed from the file, so a preview of a million-row file reads only its top."""
    if path.suffix.lower() == ".xlsx":
        import openpyxl

        book = openpyxl.load_workbook(path, read_only=True, data_only=True)
        try:
            yield from book.worksheets[0].iter_rows(values_only=True)
        finally:
            book.close()
        return
    with path.open(newline="", encoding="utf-8-sig") as handle:
        yield from csv.reader(handle)
