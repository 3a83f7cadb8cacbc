"""Reading outcome data from CSV or Excel, row by row, with errors that point at the cell.

The shapes are those of the statistics contract, section 5: unit rows (``arm``, ``value`` and
optionally ``period``, ``cluster``, ``unit``, ``time``, ``exposure``, ``baseline``) or
aggregates (``arm``, ``n`` and ``mean``/``sd`` | ``successes`` | ``events``/``exposure``,
optionally ``period``, ``time``, ``clusters``). Headers match whatever their case and spacing
(" Group " is group), and a :class:`ColumnMapping` says which of the user's columns is which and
what their values mean. Files are streamed in chunks, so a million rows never sit in memory, and
every value is checked before it is handed on: the first bad cell stops the read with a message
naming the file, its own line number (the header is line 1) and the column.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from testlearn.domain.analysis import AggregateData, AggregateRow, UnitData
from testlearn.domain.fingerprint import AGGREGATE_COLUMNS, OBSERVATION_COLUMNS
from testlearn.domain.vocabulary import StudyDesign
from testlearn.errors import InputFileError
from testlearn.services.outcome_cells import (
    ARMS,
    LEFT_OUT,
    PERIODS,
    Cell,
    FilledOrEmpty,
    label_reader,
    number,
    value_reader,
)
from testlearn.services.outcome_mapping import ColumnMapping, header_key
from testlearn.services.outcome_sources import file_sha256, open_source

__all__ = ["ARMS", "PERIODS", "file_sha256"]

#: Rows per chunk: each chunk is checked, stored and fingerprinted before the next is read,
#: and between chunks an import reports progress and looks for Cancel.
CHUNK_ROWS = 20_000
KNOWN = set(OBSERVATION_COLUMNS) | set(AGGREGATE_COLUMNS)
#: Columns each design cannot do without, on top of arm and the outcome.
DESIGN_NEEDS = {
    StudyDesign.DID.value: frozenset({"period"}),
    StudyDesign.BEFORE_AFTER.value: frozenset({"period"}),
    StudyDesign.ITS.value: frozenset({"time"}),
    StudyDesign.STEPPED_WEDGE.value: frozenset({"period", "cluster"}),
}
#: Designs whose period column holds the calendar step ("1", "2", "2025-06"), not before/after.
CALENDAR_PERIODS = frozenset({StudyDesign.STEPPED_WEDGE.value})


@dataclass(frozen=True)
class Expectations:
    """What the hypothesis needs of its data, checked row by row."""

    outcome_type: str = ""  # continuous | binary | count; "" accepts any
    needs: frozenset[str] = frozenset()  # columns the design requires (period, time...)
    #: The registered baseline measure ("" for none): a unit file must then carry it in every
    #: row, in a column called baseline or by the measure's own name.
    baseline: str = ""

    calendar_periods: bool = False  # the period is a calendar step (a stepped wedge)

    @classmethod
    def for_design(cls, outcome_type: str, design: str | None, baseline: str = "") -> Expectations:
        """What a hypothesis of this outcome type and design needs of its data."""
        return cls(
            outcome_type=outcome_type,
            needs=DESIGN_NEEDS.get(design or "", frozenset()),
            calendar_periods=design in CALENDAR_PERIODS,
            baseline=baseline,
        )


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
    encoding: str = ""  # how the text was decoded, in words; "" for a workbook
    sheet: str | None = None
    delimiter: str = ","
    codec: str = ""  # the Python codec of a text file; "" for a workbook
    quotes: bool = False  # whether the text holds a quote character (")
    index: dict[str, int] = field(default_factory=dict)  # contract column -> file position
    names: dict[str, str] = field(default_factory=dict)  # contract column -> file's header
    left_out: int = 0  # rows the recoding left out
    line: int = 1  # the last line read
    total_lines: int = 0
    close: Callable[[], None] = lambda: None

    def fraction(self) -> float:
        """How far through the file the reading is, between 0 and 1 (0 if unknown)."""
        return min(1.0, self.line / self.total_lines) if self.total_lines > 0 else 0.0


def open_outcome_file(
    path: Path,
    expect: Expectations = Expectations(),
    mapping: ColumnMapping | None = None,
    *,
    encoding: str | None = None,
) -> OutcomeFile:
    """Open ``path`` and check its header; rows are read (and checked) as ``chunks`` is consumed."""
    path = Path(path)
    source = open_source(path, encoding)
    try:
        return _checked(source, expect, mapping or ColumnMapping())
    except BaseException:
        source.close()
        raise


def _checked(source: Any, expect: Expectations, mapping: ColumnMapping) -> OutcomeFile:
    where = source.where
    head = f"{where}, row {source.header_line}"  # the header's own line (1, unless blank lines)
    header = source.header
    if not any(h is not None and str(h).strip() for h in header):
        raise InputFileError(f"{head}: the first row must name the columns")
    index, ignored = mapping.resolve(header, where, header_line=source.header_line)
    if expect.baseline:
        _find_baseline(expect.baseline, header, index, ignored)
    # A stepped wedge's aggregates are one row per cluster and calendar period, cluster kept;
    # for other designs a cluster column on aggregates means counts per cluster.
    if "cluster" in index and "value" not in index and not expect.calendar_periods:
        index = _cluster_counts(index, header, expect, head)
    seen = set(index)
    shape = "unit" if "value" in seen else "aggregate"
    if "arm" not in seen:
        raise InputFileError(
            f"{head}: missing column arm (pilot or comparator): say which column "
            "holds the group each row belongs to"
        )
    if shape == "aggregate":
        needed = _aggregate_needs(expect.outcome_type, seen)
        missing = [c for c in needed if c not in seen]
        if "n" not in seen and "events" not in seen:
            raise InputFileError(f"{head}: missing column value (unit rows) or n (aggregates)")
        if missing:
            raise InputFileError(f"{head}: missing column {', '.join(missing)}")
    for need in sorted(expect.needs):
        if need not in seen:
            raise InputFileError(f"{head}: missing column {need}, which this design needs")
    if shape == "unit" and expect.baseline and "baseline" not in seen:
        raise InputFileError(
            f"{head}: missing column baseline: the registered plan adjusts for the "
            f"baseline {expect.baseline}, so each unit's value of it is needed (name the column "
            f"{expect.baseline!r} or baseline, or map it to baseline)"
        )
    recode = mapping.recodings(header, index, where)
    names = {column: str(header[i]).strip() for column, i in index.items()}
    order = OBSERVATION_COLUMNS if shape == "unit" else AGGREGATE_COLUMNS
    present = [c for c in order if c in seen]
    result = OutcomeFile(source.path, shape, present, ignored, iter(()), source.sha256)
    result.encoding, result.sheet, result.delimiter = (
        source.encoding,
        source.sheet,
        source.delimiter,
    )
    result.codec, result.quotes = source.codec, source.quotes
    result.index, result.names, result.total_lines = index, names, source.total_lines
    result.close = source.close
    cell = Cell(where, names)
    convert_row = (
        _unit_converter(index, expect, cell, recode)
        if shape == "unit"
        else _aggregate_converter(index, expect, cell, recode)
    )
    result.chunks = _convert(source.rows, len(header), convert_row, cell, result)
    return result


def _find_baseline(
    name: str, header: Sequence[Any], index: dict[str, int], ignored: list[str]
) -> None:
    """A column headed with the registered baseline measure's own name is its baseline."""
    if "baseline" in index:
        return
    wanted = header_key(name)
    for position, title in enumerate(header):
        if header_key(title) == wanted and position not in index.values():
            index["baseline"] = position
            shown = str(title).strip()
            if shown in ignored:
                ignored.remove(shown)
            return


def _cluster_counts(
    index: dict[str, int], header: Sequence[Any], expect: Expectations, head: str
) -> dict[str, int]:
    """Counts per cluster (cluster, arm, period, events, exposure) read as unit rows.

    A cluster's events over its exposure is a unit row of the Poisson model, whose value is the
    events: so the clustered analysis sees the clusters (docs/methods.md). Without exposure a
    row's n is its exposure, as for aggregates. Any other aggregate with a cluster column would
    lose the column silently, so it is refused.
    """
    shown = str(header[index["cluster"]]).strip()
    if "events" not in index or expect.outcome_type not in ("", "count"):
        raise InputFileError(
            f"{head}, column {shown}: a cluster column goes with unit rows (a value "
            "column) or with counts per cluster (events); for a mean or a proportion give one "
            "row per unit with its cluster, or the number of clusters behind each row in a "
            "column clusters"
        )
    extra = [name for name in ("mean", "sd", "successes", "clusters") if name in index]
    if extra:
        raise InputFileError(
            f"{head}, column {str(header[index[extra[0]]]).strip()}: counts per "
            "cluster need cluster, arm, events and exposure (and period); this column does "
            "not belong with them"
        )
    out = {("value" if name == "events" else name): i for name, i in index.items() if name != "n"}
    if "exposure" not in index and "n" in index:
        out["exposure"] = index["n"]
    return out


def _aggregate_needs(outcome_type: str, seen: set[str]) -> list[str]:
    if outcome_type == "continuous":
        return ["n", "mean", "sd"]
    if outcome_type == "binary":
        return ["n", "successes"]
    if outcome_type == "count":
        return ["events", "exposure"]
    return ["n"] if "n" not in seen and "events" not in seen else []


def _convert(
    rows: Iterator[tuple[int, Sequence[Any]]],
    width: int,
    convert_row: Callable[[int, Sequence[Any]], tuple[Any, ...] | None],
    cell: Cell,
    result: OutcomeFile,
) -> Iterator[list[tuple[Any, ...]]]:
    chunk: list[tuple[Any, ...]] = []
    arms = result.arms
    line = 1
    for line, raw in rows:
        if not raw or (not raw[0] and not any(v is not None and str(v).strip() for v in raw)):
            continue  # blank lines at the end of exported files are common and harmless
        if len(raw) < width:
            raw = list(raw) + [None] * (width - len(raw))
        values = convert_row(line, raw)
        if values is None:
            result.left_out += 1
            continue
        arms.add(values[0])
        chunk.append(values)
        if len(chunk) >= CHUNK_ROWS:
            result.rows_read += len(chunk)
            result.line = line
            yield chunk
            chunk = []
    result.line = max(line, result.total_lines)
    if chunk:
        result.rows_read += len(chunk)
        yield chunk
    if result.rows_read == 0 and result.left_out:
        raise InputFileError(f"{cell.where}: the recoding left out every row; nothing to import")
    if result.rows_read == 0:
        raise InputFileError(f"{cell.where}: the file has a header but no data rows")


def _labels(
    index: dict[str, int], expect: Expectations, cell: Cell, recode: dict[str, Any]
) -> tuple[Any, Any]:
    arm = label_reader(
        "arm", ARMS, recode.get("arm", {}), cell, required=True, what="an arm (group)"
    )
    if expect.calendar_periods:
        return arm, _required_text("period", "the period (calendar step) is missing", cell)
    period = label_reader(
        "period",
        PERIODS,
        recode.get("period", {}),
        cell,
        required="period" in expect.needs,
        what="a period",
    )
    return arm, period


def _required_text(column: str, missing: str, cell: Cell) -> Callable[[Any, int], str]:
    """A reader for a column of free labels that no row may leave empty (a stepped wedge's
    period and cluster)."""

    def read(raw: Any, line: int) -> str:
        text = _text(raw)
        if text is None:
            raise cell.fail(line, column, missing)
        return text

    return read


def _unit_converter(
    index: dict[str, int], expect: Expectations, cell: Cell, recode: dict[str, Any]
) -> Callable[[int, Sequence[Any]], tuple[Any, ...] | None]:
    i_arm, i_value = index["arm"], index["value"]
    i_period, i_cluster, i_unit = index.get("period"), index.get("cluster"), index.get("unit")
    i_time, i_exposure = index.get("time"), index.get("exposure")
    i_baseline = index.get("baseline")
    arm_of, period_of = _labels(index, expect, cell, recode)
    value_of = value_reader(expect.outcome_type, recode.get("value", {}), cell)
    needs_time = "time" in expect.needs
    filled = FilledOrEmpty(cell)
    cluster_of = (
        _required_text("cluster", "the cluster is missing", cell)
        if "cluster" in expect.needs
        else lambda raw, line: _text(raw)
    )

    def convert(line: int, raw: Sequence[Any]) -> tuple[Any, ...] | None:
        arm = arm_of(raw[i_arm], line)
        value = value_of(raw[i_value], line)
        period = period_of(raw[i_period], line) if i_period is not None else None
        if arm is LEFT_OUT or value is LEFT_OUT or period is LEFT_OUT:
            return None
        time = (
            number(raw[i_time], row=line, column="time", cell=cell) if i_time is not None else None
        )
        if time is None and needs_time:
            raise cell.fail(line, "time", "the time point is missing")
        exposure = None
        if i_exposure is not None:
            exposure = number(raw[i_exposure], row=line, column="exposure", cell=cell)
            if exposure is not None and exposure <= 0:
                raise cell.fail(line, "exposure", "exposure must be greater than 0")
            filled.check("exposure", exposure, line)
        if i_time is not None:
            filled.check("time", time, line)
        cluster = cluster_of(raw[i_cluster], line) if i_cluster is not None else None
        unit = _text(raw[i_unit]) if i_unit is not None else None
        baseline = None
        if i_baseline is not None:
            baseline = number(raw[i_baseline], row=line, column="baseline", cell=cell)
            if baseline is None and expect.baseline:
                raise cell.fail(
                    line,
                    "baseline",
                    f"the baseline {expect.baseline} is missing: the registered adjustment "
                    "needs it for every unit",
                )
        return (arm, value, period, cluster, unit, time, exposure, baseline)

    return convert


def _text(raw: Any) -> str | None:
    if raw is None:
        return None
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)  # an Excel cell holding site 12 arrives as 12.0
    text = str(raw).strip()
    return text or None


def _aggregate_converter(
    index: dict[str, int], expect: Expectations, cell: Cell, recode: dict[str, Any]
) -> Callable[[int, Sequence[Any]], tuple[Any, ...] | None]:
    get = index.get
    required = set(_aggregate_needs(expect.outcome_type, set(index)))
    arm_of, period_of = _labels(index, expect, cell, recode)
    series = "time" in expect.needs  # a time series: one pilot row per time point
    pilot_times: dict[float, int] = {}
    i_cluster = get("cluster")
    cluster_of = (
        _required_text("cluster", "the cluster is missing", cell)
        if "cluster" in expect.needs
        else lambda raw, line: _text(raw)
    )

    def value(raw: Sequence[Any], name: str, line: int) -> float | None:
        i = get(name)
        return None if i is None else number(raw[i], row=line, column=name, cell=cell)

    def whole(raw: Sequence[Any], name: str, line: int, minimum: int) -> int | None:
        found = value(raw, name, line)
        if found is None:
            return None
        if not found.is_integer() or found < minimum:
            raise cell.fail(line, name, f"{found:g} is not a whole number of at least {minimum}")
        return int(found)

    def convert(line: int, raw: Sequence[Any]) -> tuple[Any, ...] | None:
        arm = arm_of(raw[index["arm"]], line)
        i_period = get("period")
        period = period_of(raw[i_period], line) if i_period is not None else None
        if arm is LEFT_OUT or period is LEFT_OUT:
            return None
        n = whole(raw, "n", line, 1)
        successes = whole(raw, "successes", line, 0)
        if successes is not None and n is not None and successes > n:
            raise cell.fail(line, "successes", f"{successes} successes is more than n = {n}")
        sd = value(raw, "sd", line)
        if sd is not None and sd < 0:
            raise cell.fail(line, "sd", "a standard deviation cannot be negative")
        events = value(raw, "events", line)
        if events is not None and events < 0:
            raise cell.fail(line, "events", "an event count cannot be negative")
        exposure = value(raw, "exposure", line)
        if exposure is not None and exposure <= 0:
            raise cell.fail(line, "exposure", "exposure must be greater than 0")
        mean = value(raw, "mean", line)
        for name, found in (
            ("n", n),
            ("mean", mean),
            ("sd", sd),
            ("successes", successes),
            ("events", events),
            ("exposure", exposure),
        ):
            if found is None and name in required:
                raise cell.fail(line, name, "the value is missing")
        time = value(raw, "time", line)
        if time is None and series:
            raise cell.fail(line, "time", "the time point is missing")
        if series and arm == "pilot" and time is not None:
            earlier = pilot_times.setdefault(time, line)
            if earlier != line:
                raise cell.fail(
                    line,
                    "time",
                    f"row {earlier} already gives the pilot series at time {time:g}: a time "
                    "series has one aggregate row per time point",
                )
        clusters = whole(raw, "clusters", line, 1)
        cluster = cluster_of(raw[i_cluster], line) if i_cluster is not None else None
        return (arm, period, time, n, mean, sd, successes, events, exposure, clusters, cluster)

    return convert


def read_unit_columns(path: Path, expect: Expectations = Expectations()) -> dict[str, Any] | None:
    """Unit rows of a file as checked columns (vectorised for CSV); None for aggregates."""
    from testlearn.services.outcome_columns import read_unit_columns as read

    return read(path, expect)


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
        baseline=optional("baseline"),  # type: ignore[arg-type]
    )


def aggregate_data(columns: dict[str, list[object]]) -> AggregateData:
    names = list(columns)
    rows = zip(*(columns[name] for name in names), strict=True)
    return AggregateData(
        rows=tuple(AggregateRow(**dict(zip(names, row, strict=True))) for row in rows)
    )
