"""Reading outcome data from CSV or Excel, row by row, with errors that point at the cell.

The shapes are those of the statistics contract, section 5: unit rows (``arm``, ``value`` and
optionally ``period``, ``cluster``, ``unit``, ``time``, ``exposure``) or aggregates (``arm``,
``n`` and ``mean``/``sd`` | ``successes`` | ``events``/``exposure``, optionally ``period``,
``time``, ``clusters``). Files are streamed in chunks, so a million rows never sit in memory,
and every value is checked before it is handed on: the first bad cell stops the read with a
message naming the file, the row and the column.
"""

from __future__ import annotations

import csv
import hashlib
import math
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from testlearn.domain.analysis import AggregateData, AggregateRow, UnitData
from testlearn.domain.fingerprint import AGGREGATE_COLUMNS, UNIT_COLUMNS
from testlearn.domain.vocabulary import StudyDesign
from testlearn.errors import InputFileError

CHUNK_ROWS = 50_000
ARMS = {"pilot": "pilot", "comparator": "comparator"}
PERIODS = {"before": "before", "after": "after"}
KNOWN = set(UNIT_COLUMNS) | set(AGGREGATE_COLUMNS)
#: Columns each design cannot do without, on top of arm and the outcome.
DESIGN_NEEDS = {
    StudyDesign.DID.value: frozenset({"period"}),
    StudyDesign.BEFORE_AFTER.value: frozenset({"period"}),
    StudyDesign.ITS.value: frozenset({"time"}),
}


@dataclass(frozen=True)
class Expectations:
    """What the hypothesis needs of its data, checked row by row."""

    outcome_type: str = ""  # continuous | binary | count; "" accepts any
    needs: frozenset[str] = frozenset()  # columns the design requires (period, time...)


@dataclass
class OutcomeFile:
    """A file being read: its shape and columns up front, rows on demand."""

    path: Path
    shape: str  # "unit" or "aggregate"
    columns: list[str]
    ignored: list[str]
    chunks: Iterator[list[tuple[Any, ...]]]
    sha256: str = ""
    rows_read: int = 0
    arms: set[str] = field(default_factory=set)


class _Cell:
    """Context for error messages: where in the file a value came from."""

    def __init__(self, path: Path, sheet: str | None) -> None:
        self.where = path.name if sheet is None else f"{path.name}, sheet {sheet}"

    def fail(self, row: int, column: str, message: str) -> InputFileError:
        return InputFileError(f"{self.where}, row {row}, column {column}: {message}")


def file_sha256(path: Path) -> str:
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def open_outcome_file(path: Path, expect: Expectations = Expectations()) -> OutcomeFile:
    """Open ``path`` and check its header; rows are read (and checked) as ``chunks`` is consumed."""
    path = Path(path)
    if path.is_dir():
        raise InputFileError(f"{path}: this is a folder; give the path of a CSV or .xlsx file")
    if not path.is_file():
        raise InputFileError(f"{path}: no such file")
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        header, rows, cell = _xlsx_rows(path)
    elif suffix in (".xls", ".xlsb", ".ods"):
        raise InputFileError(
            f"{path.name}: {suffix} files cannot be read; save it as .xlsx or .csv"
        )
    else:
        header, rows, cell = _csv_rows(path)
    columns = [str(h).strip().lower() if h is not None else "" for h in header]
    if not any(columns):
        raise InputFileError(f"{path.name}, row 1: the first row must name the columns")
    seen: set[str] = set()
    for name in columns:
        if name and name in seen:
            raise InputFileError(f"{path.name}, row 1, column {name}: the column appears twice")
        seen.add(name)
    shape = "unit" if "value" in seen else "aggregate"
    if "arm" not in seen:
        raise InputFileError(f"{path.name}, row 1: missing column arm (pilot or comparator)")
    if shape == "aggregate":
        needed = _aggregate_needs(expect.outcome_type, seen)
        missing = [c for c in needed if c not in seen]
        if "n" not in seen and "events" not in seen:
            raise InputFileError(
                f"{path.name}, row 1: missing column value (unit rows) or n (aggregates)"
            )
        if missing:
            raise InputFileError(f"{path.name}, row 1: missing column {', '.join(missing)}")
    for need in sorted(expect.needs):
        if need not in seen:
            raise InputFileError(
                f"{path.name}, row 1: missing column {need}, which this design needs"
            )
    order = UNIT_COLUMNS if shape == "unit" else AGGREGATE_COLUMNS
    present = [c for c in order if c in seen]
    ignored = [c for c in columns if c and c not in order]
    result = OutcomeFile(path, shape, present, ignored, iter(()))
    result.sha256 = file_sha256(path)
    result.chunks = _convert(rows, columns, shape, expect, cell, result)
    return result


def _aggregate_needs(outcome_type: str, seen: set[str]) -> list[str]:
    if outcome_type == "continuous":
        return ["n", "mean", "sd"]
    if outcome_type == "binary":
        return ["n", "successes"]
    if outcome_type == "count":
        return ["events", "exposure"]
    return ["n"] if "n" not in seen and "events" not in seen else []


def _csv_rows(path: Path) -> tuple[list[str], Iterator[tuple[int, Sequence[Any]]], _Cell]:
    handle = path.open("r", encoding="utf-8-sig", newline="")
    try:
        first = handle.readline()
    except UnicodeDecodeError:
        handle.close()
        raise InputFileError(
            f"{path.name}, row 1: not UTF-8 text; save it as 'CSV UTF-8' or as .xlsx"
        ) from None
    if not first.strip():
        handle.close()
        raise InputFileError(f"{path.name}: the file is empty")
    delimiter = ";" if first.count(";") > first.count(",") else ","
    header = next(csv.reader([first], delimiter=delimiter))
    cell = _Cell(path, None)

    def rows() -> Iterator[tuple[int, Sequence[Any]]]:
        reader = csv.reader(handle, delimiter=delimiter)
        line = 1
        try:
            for line, row in enumerate(reader, start=2):
                yield line, row
        except UnicodeDecodeError:
            raise InputFileError(
                f"{path.name}, row {line + 1}: not UTF-8 text; save it as 'CSV UTF-8' or as .xlsx"
            ) from None
        except csv.Error as error:
            raise InputFileError(f"{path.name}, row {line + 1}: {error}") from None
        finally:
            handle.close()

    return header, rows(), cell


def _xlsx_rows(path: Path) -> tuple[list[Any], Iterator[tuple[int, Sequence[Any]]], _Cell]:
    import zipfile

    from openpyxl import load_workbook
    from openpyxl.utils.exceptions import InvalidFileException

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError) as error:
        raise InputFileError(f"{path.name}: not a readable .xlsx workbook ({error})") from None
    sheet = book.worksheets[0]
    values = sheet.iter_rows(values_only=True)
    try:
        header = list(next(values))
    except StopIteration:
        book.close()
        raise InputFileError(f"{path.name}, sheet {sheet.title}: the sheet is empty") from None
    cell = _Cell(path, sheet.title)

    def rows() -> Iterator[tuple[int, Sequence[Any]]]:
        try:
            yield from enumerate(values, start=2)
        finally:
            book.close()

    return header, rows(), cell


def _number(raw: Any, *, row: int, column: str, cell: _Cell) -> float | None:
    if raw is None:
        return None
    if isinstance(raw, bool):
        raise cell.fail(row, column, f"{raw!r} is not a number")
    if isinstance(raw, int | float):
        value = float(raw)
    else:
        text = str(raw).strip()
        if not text:
            return None
        try:
            value = float(text)
        except ValueError:
            raise cell.fail(row, column, f"{text!r} is not a number") from None
    if not math.isfinite(value):
        raise cell.fail(row, column, f"{raw!r} is not a finite number")
    return value


def _text(raw: Any) -> str | None:
    if raw is None:
        return None
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)  # an Excel cell holding site 12 arrives as 12.0
    text = str(raw).strip()
    return text or None


def _convert(
    rows: Iterator[tuple[int, Sequence[Any]]],
    columns: list[str],
    shape: str,
    expect: Expectations,
    cell: _Cell,
    result: OutcomeFile,
) -> Iterator[list[tuple[Any, ...]]]:
    index = {name: i for i, name in enumerate(columns) if name}
    convert_row = (
        _unit_converter(index, expect, cell)
        if shape == "unit"
        else _aggregate_converter(index, expect, cell)
    )
    width = len(columns)
    chunk: list[tuple[Any, ...]] = []
    arms = result.arms
    for line, raw in rows:
        if not any(v is not None and str(v).strip() for v in raw):
            continue  # blank lines at the end of exported files are common and harmless
        if len(raw) < width:
            raw = list(raw) + [None] * (width - len(raw))
        values = convert_row(line, raw)
        arms.add(values[0])
        chunk.append(values)
        if len(chunk) >= CHUNK_ROWS:
            result.rows_read += len(chunk)
            yield chunk
            chunk = []
    if chunk:
        result.rows_read += len(chunk)
        yield chunk
    if result.rows_read == 0:
        raise InputFileError(f"{cell.where}: the file has a header but no data rows")


def _arm(raw: Any, line: int, cell: _Cell) -> str:
    text = str(raw).strip().lower() if raw is not None else ""
    arm = ARMS.get(text)
    if arm is None:
        shown = repr(raw) if text else "an empty cell"
        raise cell.fail(line, "arm", f"{shown} is not an arm; use pilot or comparator")
    return arm


def _period(raw: Any, line: int, cell: _Cell, required: bool) -> str | None:
    text = str(raw).strip().lower() if raw is not None else ""
    if not text and not required:
        return None
    period = PERIODS.get(text)
    if period is None:
        raise cell.fail(line, "period", f"{raw!r} is not a period; use before or after")
    return period


def _unit_converter(
    index: dict[str, int], expect: Expectations, cell: _Cell
) -> Callable[[int, Sequence[Any]], tuple[Any, ...]]:
    i_arm, i_value = index["arm"], index["value"]
    i_period, i_cluster, i_unit = index.get("period"), index.get("cluster"), index.get("unit")
    i_time, i_exposure = index.get("time"), index.get("exposure")
    needs_period = "period" in expect.needs
    binary, count = expect.outcome_type == "binary", expect.outcome_type == "count"

    def convert(line: int, raw: Sequence[Any]) -> tuple[Any, ...]:
        arm = _arm(raw[i_arm], line, cell)
        value = _number(raw[i_value], row=line, column="value", cell=cell)
        if value is None:
            raise cell.fail(line, "value", "the value is missing")
        if binary and value not in (0.0, 1.0):
            raise cell.fail(line, "value", f"{raw[i_value]!r} is not 0 or 1 (a binary outcome)")
        if count and value < 0:
            raise cell.fail(line, "value", "an event count cannot be negative")
        period = _period(raw[i_period], line, cell, needs_period) if i_period is not None else None
        time = (
            _number(raw[i_time], row=line, column="time", cell=cell) if i_time is not None else None
        )
        if time is None and "time" in expect.needs:
            raise cell.fail(line, "time", "the time point is missing")
        exposure = None
        if i_exposure is not None:
            exposure = _number(raw[i_exposure], row=line, column="exposure", cell=cell)
            if exposure is not None and exposure <= 0:
                raise cell.fail(line, "exposure", "exposure must be greater than 0")
        cluster = _text(raw[i_cluster]) if i_cluster is not None else None
        unit = _text(raw[i_unit]) if i_unit is not None else None
        return (arm, value, period, cluster, unit, time, exposure)

    return convert


def _aggregate_converter(
    index: dict[str, int], expect: Expectations, cell: _Cell
) -> Callable[[int, Sequence[Any]], tuple[Any, ...]]:
    get = index.get
    needs_period = "period" in expect.needs
    required = set(_aggregate_needs(expect.outcome_type, set(index)))

    def number(raw: Sequence[Any], name: str, line: int) -> float | None:
        i = get(name)
        return None if i is None else _number(raw[i], row=line, column=name, cell=cell)

    def whole(raw: Sequence[Any], name: str, line: int, minimum: int) -> int | None:
        value = number(raw, name, line)
        if value is None:
            return None
        if not value.is_integer() or value < minimum:
            raise cell.fail(line, name, f"{value:g} is not a whole number of at least {minimum}")
        return int(value)

    def convert(line: int, raw: Sequence[Any]) -> tuple[Any, ...]:
        arm = _arm(raw[index["arm"]], line, cell)
        i_period = get("period")
        period = _period(raw[i_period], line, cell, needs_period) if i_period is not None else None
        n = whole(raw, "n", line, 1)
        successes = whole(raw, "successes", line, 0)
        if successes is not None and n is not None and successes > n:
            raise cell.fail(line, "successes", f"{successes} successes is more than n = {n}")
        sd = number(raw, "sd", line)
        if sd is not None and sd < 0:
            raise cell.fail(line, "sd", "a standard deviation cannot be negative")
        events = number(raw, "events", line)
        if events is not None and events < 0:
            raise cell.fail(line, "events", "an event count cannot be negative")
        exposure = number(raw, "exposure", line)
        if exposure is not None and exposure <= 0:
            raise cell.fail(line, "exposure", "exposure must be greater than 0")
        mean = number(raw, "mean", line)
        for name, value in (
            ("n", n),
            ("mean", mean),
            ("sd", sd),
            ("successes", successes),
            ("events", events),
            ("exposure", exposure),
        ):
            if value is None and name in required:
                raise cell.fail(line, name, "the value is missing")
        time = number(raw, "time", line)
        if time is None and "time" in expect.needs:
            raise cell.fail(line, "time", "the time point is missing")
        clusters = whole(raw, "clusters", line, 1)
        return (arm, period, time, n, mean, sd, successes, events, exposure, clusters)

    return convert


def read_unit_columns(path: Path, expect: Expectations = Expectations()) -> dict[str, Any] | None:
    """Unit rows of a CSV as checked columns, vectorised; None if the file holds aggregates.

    This is the fast path for analysing a large file directly. Its checks are the same rules
    as the row-by-row reader; when any check fails (or pandas cannot parse the file) the
    row-by-row reader runs instead, so the error message, naming the row and column, is
    always the same whichever path found it.
    """
    source = open_outcome_file(path, expect)  # header checks, and the shape
    if source.shape != "unit":
        return None
    if path.suffix.lower() == ".xlsx":
        return _columns_from_chunks(source)
    try:
        columns = _vectorised_unit_columns(path, expect)
    except Exception:  # any parse surprise: the careful reader will name the problem
        columns = None
    if columns is None:
        return _columns_from_chunks(open_outcome_file(path, expect))
    return columns


def _columns_from_chunks(source: OutcomeFile) -> dict[str, Any]:
    out: dict[str, list[Any]] = {name: [] for name in UNIT_COLUMNS}
    for chunk in source.chunks:
        for name, values in zip(UNIT_COLUMNS, zip(*chunk, strict=True), strict=True):
            out[name].extend(values)
    return {k: (v if any(x is not None for x in v) else None) for k, v in out.items()}


def _vectorised_unit_columns(path: Path, expect: Expectations) -> dict[str, Any] | None:
    import numpy as np
    import pandas as pd

    with path.open("r", encoding="utf-8-sig", newline="") as handle:
        first = handle.readline()
    delimiter = ";" if first.count(";") > first.count(",") else ","
    header = [h.strip().lower() for h in next(csv.reader([first], delimiter=delimiter))]
    # Labels are read as categories: stripping and lower-casing then touches each distinct
    # label once, not each of a million rows. Numbers are parsed by pandas' C reader; a
    # column that does not parse as numbers comes back as text and sends us to the careful
    # reader.
    labels = ("arm", "period", "cluster", "unit")
    frame = pd.read_csv(
        path,
        sep=delimiter,
        encoding="utf-8-sig",
        header=0,
        names=header,
        dtype={name: "category" for name in labels if name in header},
        keep_default_na=False,
        skipinitialspace=True,
        engine="c",
    )

    def label(name: str, lower: bool) -> Any:
        column = frame[name]
        categories = [str(c).strip() for c in column.cat.categories]
        table = np.array([c.lower() if lower else c for c in categories] + [""], dtype=object)
        return table[column.cat.codes.to_numpy()]

    def number(name: str) -> Any:
        column = frame[name]
        if column.dtype.kind not in "fi":
            return None
        return column.to_numpy(dtype=np.float64)

    arm = label("arm", lower=True)
    if not np.isin(arm, list(ARMS)).all():
        return None
    value = number("value")
    if value is None or not np.isfinite(value).all():
        return None
    if expect.outcome_type == "binary" and not np.isin(value, (0.0, 1.0)).all():
        return None
    if expect.outcome_type == "count" and (value < 0).any():
        return None
    out: dict[str, Any] = {"arm": arm, "value": value}
    out.update(dict.fromkeys(("period", "cluster", "unit", "time", "exposure")))
    if "period" in frame:
        period = label("period", lower=True)
        blank = period == ""
        if not (np.isin(period, list(PERIODS)) | (blank & ("period" not in expect.needs))).all():
            return None
        out["period"] = np.where(blank, None, period)
    for name in ("cluster", "unit"):
        if name in frame:
            values = label(name, lower=False)
            out[name] = np.where(values == "", None, values)
    for name in ("time", "exposure"):
        if name in frame:
            numbers = number(name)
            if numbers is None or not np.isfinite(numbers).all():
                return None  # blanks or text: the careful reader decides, row by row
            if name == "exposure" and (numbers <= 0).any():
                return None
            out[name] = numbers
    return out


def unit_data(columns: dict[str, list[object]]) -> UnitData:
    def optional(name: str) -> list[object] | None:
        values = columns.get(name)
        return values if values is not None and any(v is not None for v in values) else None

    return UnitData(
        arm=columns["arm"],  # type: ignore[arg-type]
        value=columns["value"],  # type: ignore[arg-type]
        period=optional("period"),  # type: ignore[arg-type]
        cluster=optional("cluster"),  # type: ignore[arg-type]
        unit=optional("unit"),  # type: ignore[arg-type]
        time=optional("time"),  # type: ignore[arg-type]
        exposure=optional("exposure"),  # type: ignore[arg-type]
    )


def aggregate_data(columns: dict[str, list[object]]) -> AggregateData:
    names = list(columns)
    rows = zip(*(columns[name] for name in names), strict=True)
    return AggregateData(
        rows=tuple(AggregateRow(**dict(zip(names, row, strict=True))) for row in rows)
    )
