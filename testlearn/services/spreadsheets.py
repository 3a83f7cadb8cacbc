"""Tables written to .xlsx for people who carry on in Excel: the pilot list, result tables.

The caller hands in plain rows (text, numbers, dates) and says what each column holds; the
workbook keeps numbers as numbers and dates as dates, so they sort and sum in Excel, with the
header in bold and each column as wide as its contents. Rows are streamed (openpyxl's
write-only mode), so ten thousand pilots take little memory. The file is written beside its
destination and moved into place only when complete: a failed export leaves nothing
half-written, and an existing file is untouched.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from testlearn.errors import TestlearnError
from testlearn.temporary_files import create_beside, remove_leftovers

Value = str | int | float | dt.date | dt.datetime | None
Kind = Literal["text", "number", "money", "percent", "date", "datetime"]

#: Excel number formats by column kind; text and plain numbers keep Excel's default.
FORMATS: dict[str, str] = {
    "money": '"£"#,##0',
    "percent": "0.0%",
    "date": "dd/mm/yyyy",
    "datetime": "dd/mm/yyyy hh:mm",
}
#: Column widths in characters: wide enough for a date, never wider than a long title needs.
NARROWEST, WIDEST = 6, 60


class SpreadsheetError(TestlearnError):
    """A spreadsheet could not be written where the user asked."""


@dataclass(frozen=True)
class SheetColumn:
    """One column: its title and what its values are."""

    title: str
    kind: Kind = "text"


def write_table(
    path: Path,
    *,
    sheet: str,
    columns: Sequence[SheetColumn],
    rows: Iterable[Sequence[Value]],
) -> int:
    """Write one table to a new workbook at ``path``; returns the number of rows written.

    Raises:
        SpreadsheetError: the file cannot be written (a folder that does not exist, no
            permission, the file open in Excel); the message names the file.
    """
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font
    from openpyxl.utils import get_column_letter

    if not path.parent.is_dir():  # before the workbook is begun: it streams to a file
        raise SpreadsheetError(f"Cannot save {path}: the folder {path.parent} does not exist.")
    rows = [list(row) for row in rows]
    for number, row in enumerate(rows, start=1):
        if len(row) != len(columns):
            raise ValueError(f"row {number} has {len(row)} values for {len(columns)} columns")
    book = Workbook(write_only=True)
    ws = book.create_sheet(_sheet_title(sheet))
    for position, width in enumerate(_widths(columns, rows), start=1):
        ws.column_dimensions[get_column_letter(position)].width = width
    ws.freeze_panes = "A2"
    bold = Font(bold=True)
    titles = []
    for column in columns:
        cell = WriteOnlyCell(ws, value=column.title)
        cell.font = bold
        titles.append(cell)
    ws.append(titles)
    formats = [FORMATS.get(column.kind) for column in columns]
    formatted = [i for i, f in enumerate(formats) if f is not None]
    for row in rows:
        values: list[object] = [_plain(value) for value in row]
        for i in formatted:  # a styled cell only where a format is needed: it costs more
            if values[i] is not None:
                cell = WriteOnlyCell(ws, value=values[i])
                cell.number_format = formats[i]
                values[i] = cell
        ws.append(values)
    _save(book, path)
    return len(rows)


def _save(book: object, path: Path) -> None:
    try:
        remove_leftovers(path.parent)
        handle, partial = create_beside(path)
    except OSError as error:
        raise SpreadsheetError(f"Cannot save {path}: {_reason(error)}.") from None
    os.close(handle)
    try:
        book.save(partial)  # type: ignore[attr-defined]  # openpyxl's Workbook is untyped
        os.replace(partial, path)
    except OSError as error:
        raise SpreadsheetError(f"Cannot save {path}: {_reason(error)}.") from None
    finally:
        partial.unlink(missing_ok=True)


def _reason(error: OSError) -> str:
    if isinstance(error, PermissionError):
        return "permission denied (is the file open in another program?)"
    if isinstance(error, IsADirectoryError):
        return "that is a folder"
    return error.strerror or str(error)


def _plain(value: Value) -> Value:
    # Excel has no time zones: a moment is written as UTC, which is how it is stored.
    if isinstance(value, dt.datetime) and value.tzinfo is not None:
        return value.astimezone(dt.UTC).replace(tzinfo=None)
    return value


def _sheet_title(name: str) -> str:
    # Excel refuses these characters in a sheet's name, and names over 31 characters.
    cleaned = "".join(" " if c in "[]:*?/\\" else c for c in name).strip()
    return (cleaned or "Sheet")[:31]


def _widths(columns: Sequence[SheetColumn], rows: Sequence[Sequence[Value]]) -> list[float]:
    widths = []
    for i, column in enumerate(columns):
        longest = len(column.title) + 2  # the bold header is a little wider
        if column.kind in ("date", "datetime"):
            longest = max(longest, 11 if column.kind == "date" else 17)
        else:
            # Every row is measured: the longest value may be the last (ten thousand rows
            # take a few milliseconds).
            money = column.kind == "money"
            for row in rows:
                value = row[i]
                if value is None:
                    continue
                shown = f"£{value:,.0f}" if money and isinstance(value, int | float) else value
                longest = max(longest, len(str(shown)))
        widths.append(float(min(max(longest + 1, NARROWEST), WIDEST)))
    return widths
