"""Reading one cell of an outcome file: a group, a period, a number, with the user's recoding.

Each reader remembers what every distinct cell it has seen means (a group column of a
million rows holds two or three distinct texts), so the recoding and the checks cost one
dictionary look-up a row. The first cell that means nothing stops the read, with a message
naming the file, its own line number and the column as the file's header spells it.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping
from typing import Any

from testlearn.errors import InputFileError
from testlearn.services.outcome_mapping import BINARY_WORDS, value_key

#: What a recoding returns for a row the user chose to leave out of the import.
LEFT_OUT = "\x00left out"
ARMS = {"pilot": "pilot", "comparator": "comparator"}
PERIODS = {"before": "before", "after": "after"}
_MONEY = re.compile(r"^(-?)£?(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?$")
#: The most of a cell's text a message quotes: a message is one line, whatever the cell holds.
SHOWN = 60


def quoted(raw: Any) -> str:
    """A cell as a message quotes it: its repr, cut to a few dozen characters."""
    text = raw.strip() if isinstance(raw, str) else raw
    if isinstance(text, str) and len(text) > SHOWN:
        return repr(text[: SHOWN - 1]) + f"… ({len(text):,} characters)"
    return repr(text)


class OutcomeFileError(InputFileError):
    """A cell or header of an outcome file that cannot be read; says which, where."""

    def __init__(
        self, message: str, *, file: str, row: int | None = None, column: str | None = None
    ) -> None:
        super().__init__(message)
        self.file, self.row, self.column = file, row, column


class Cell:
    """Where a value came from (file, sheet, the file's own name for each column)."""

    def __init__(self, where: str, names: Mapping[str, str]) -> None:
        self.where = where
        self.names = dict(names)

    def fail(self, row: int, column: str, message: str) -> OutcomeFileError:
        shown = self.names.get(column, column)
        if len(shown) > SHOWN:
            shown = shown[: SHOWN - 1] + "…"
        return OutcomeFileError(
            f"{self.where}, row {row}, column {shown}: {message}",
            file=self.where,
            row=row,
            column=shown,
        )


Lookup = Callable[[Any, int], Any]


def label_reader(
    column: str,
    allowed: Mapping[str, str],
    recode: Mapping[str, str | None],
    cell: Cell,
    *,
    required: bool,
    what: str,
) -> Lookup:
    """A reader for a column of labels (group, period): the label, None if blank, or LEFT_OUT."""
    seen: dict[Any, str | None] = {}
    choices = " or ".join(allowed)

    def read(raw: Any, line: int) -> str | None:
        try:
            return seen[raw]
        except KeyError:
            pass
        key = value_key(raw)
        if key in recode:
            meant = recode[key]
            answer: str | None = LEFT_OUT if meant is None else meant
        elif key in allowed:
            answer = allowed[key]
        elif not key and not required:
            answer = None
        elif not key:
            raise cell.fail(line, column, f"an empty cell is not {what}; use {choices}")
        else:
            shown = quoted(str(raw))
            raise cell.fail(
                line, column, f"{shown} is not {what}; use {choices}, or recode it as one"
            )
        seen[raw] = answer
        return answer

    return read


def number(raw: Any, *, row: int, column: str, cell: Cell) -> float | None:
    """A cell as a finite number, None if blank; "£1,250.50" is read as 1250.5."""
    if raw is None:
        return None
    if isinstance(raw, bool):
        raise cell.fail(row, column, f"{quoted(raw)} is not a number")
    if isinstance(raw, int | float):
        value = float(raw)
    else:
        text = str(raw).strip()
        if not text:
            return None
        try:
            value = float(text)
        except ValueError:
            money = _MONEY.match(text)
            if money is None:
                raise cell.fail(row, column, f"{quoted(text)} is not a number") from None
            value = float(money[1] + money[2].replace(",", "") + (money[3] or ""))
    if not math.isfinite(value):
        raise cell.fail(row, column, f"{quoted(raw)} is not a finite number")
    return value


def _numeric(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return _MONEY.match(text) is not None
    return True


def value_reader(
    outcome_type: str, recode: Mapping[str, str | None], cell: Cell
) -> Callable[[Any, int], float | str]:
    """A reader for a unit's outcome: a number (0 or 1 for a binary one), or LEFT_OUT."""
    binary, count = outcome_type == "binary", outcome_type == "count"
    seen: dict[Any, float | str] = {}

    def careful(raw: Any, line: int) -> float | str:
        key = value_key(raw)
        if key in recode:
            meant = recode[key]
            return LEFT_OUT if meant is None else float(meant)
        if binary and key in BINARY_WORDS:
            return BINARY_WORDS[key]
        text = "" if raw is None else str(raw).strip()
        if binary and text and not isinstance(raw, int | float) and not _numeric(text):
            raise cell.fail(
                line,
                "value",
                f"{quoted(text)} is not 0 or 1 (or yes/no) for a binary outcome; "
                "recode it as 1, 0 or leave-out",
            )
        value = number(raw, row=line, column="value", cell=cell)
        if value is None:
            raise cell.fail(line, "value", "the value is missing")
        if binary and value not in (0.0, 1.0):
            raise cell.fail(line, "value", f"{quoted(raw)} is not 0 or 1 (a binary outcome)")
        if count and value < 0:
            raise cell.fail(line, "value", "an event count cannot be negative")
        return value

    if binary or recode:
        # Few distinct cells (binary), or a recoding to honour: remember each one's meaning.
        def remembered(raw: Any, line: int) -> float | str:
            try:
                return seen[raw]
            except KeyError:
                answer = seen[raw] = careful(raw, line)
                return answer

        return remembered

    isfinite = math.isfinite

    def fast(raw: Any, line: int) -> float | str:
        # The common case, a plain number, in one float(); anything else is read carefully.
        try:
            value = float(raw)
        except (TypeError, ValueError):
            return careful(raw, line)
        if not isfinite(value) or (count and value < 0) or raw is True or raw is False:
            return careful(raw, line)
        return value

    return fast


class FilledOrEmpty:
    """An optional number column (time, exposure) is given on every row or on none.

    The engine cannot use a column with gaps, and by then the file's lines are gone: the
    first gap is named here, at its own line.
    """

    def __init__(self, cell: Cell) -> None:
        self.cell = cell
        self.first_blank: dict[str, int] = {}
        self.first_given: dict[str, int] = {}

    def check(self, name: str, value: float | None, line: int) -> None:
        if value is None:
            self.first_blank.setdefault(name, line)
        else:
            self.first_given.setdefault(name, line)
        if name in self.first_blank and name in self.first_given:
            raise self.cell.fail(
                self.first_blank[name],
                name,
                f"the {name} is missing, but row {self.first_given[name]} gives one: give "
                f"every row its {name}, or leave the column empty",
            )
