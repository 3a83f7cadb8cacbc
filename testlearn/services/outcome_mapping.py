"""Which column of a file is which, and what its values mean: the import's mapping.

People's headers are " Group ", "Outcome Value" or "outcome_value", and their groups are
"Marketplace" and "Framework", not pilot and comparator. A :class:`ColumnMapping` says so
once, in words the statistics contract understands, and the reader applies it while it
streams: no renamed copy of the file is ever written, so what is recorded as the source is
the user's own file.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from testlearn.domain.fingerprint import AGGREGATE_COLUMNS, OBSERVATION_COLUMNS
from testlearn.errors import InputFileError

#: Every column name an outcome file may use, unit rows first.
KNOWN_COLUMNS: tuple[str, ...] = tuple(dict.fromkeys((*OBSERVATION_COLUMNS, *AGGREGATE_COLUMNS)))
#: What each column means, in the words the import dialog offers.
MEANINGS: dict[str, str] = {
    "arm": "Which group the row belongs to (pilot or comparator)",
    "value": "The outcome for this unit",
    "period": "Before or after the pilot started",
    "cluster": "Cluster (school, site...)",
    "unit": "Unit or person identifier",
    "time": "Period / time (a number: week, month...)",
    "exposure": "Exposure (time or population at risk)",
    "baseline": "The same measure before the pilot (the baseline to adjust for)",
    "n": "Number of units",
    "mean": "Average outcome (mean)",
    "sd": "Spread of the outcome (standard deviation)",
    "successes": "Number of units with the outcome (successes)",
    "events": "Number of events",
    "clusters": "Number of clusters",
}
#: Values a recoding may give each column; None leaves the row out of the import.
RECODABLE: dict[str, tuple[str, ...]] = {
    "arm": ("pilot", "comparator"),
    "period": ("before", "after"),
    "value": (),  # any number
}
#: Yes/no answers read as a binary outcome's 1 and 0, whatever their case.
BINARY_WORDS: dict[str, float] = {
    "yes": 1.0,
    "y": 1.0,
    "true": 1.0,
    "1": 1.0,
    "no": 0.0,
    "n": 0.0,
    "false": 0.0,
    "0": 0.0,
}
LEAVE_OUT = ("", "-", "leave out", "leave-out", "none", "omit")
_SEPARATORS = re.compile(r"[\s_\-]+")


def header_key(name: object) -> str:
    """A header as matched: trimmed, any case, spaces, underscores and hyphens alike."""
    text = "" if name is None else str(name)
    return _SEPARATORS.sub(" ", text.strip().casefold()).strip()


def value_key(raw: object) -> str:
    """A cell as a recoding matches it: trimmed, any case (an Excel 12.0 is "12")."""
    if raw is None:
        return ""
    if isinstance(raw, float) and raw.is_integer():
        raw = int(raw)
    return str(raw).strip().casefold()


_KNOWN_BY_KEY = {header_key(name): name for name in KNOWN_COLUMNS}


def known_column(name: str) -> str | None:
    """The contract's name for ``name`` ("ARM", " arm "), or None if it names none."""
    return _KNOWN_BY_KEY.get(header_key(name))


@dataclass(frozen=True)
class ColumnMapping:
    """What the user said about a file: its columns, and the values to recode.

    ``columns`` maps a column of the file (spelt any way that matches its header) to a
    contract column, or to None to leave it out; columns not named keep their own name if
    it is a contract column. ``recode`` maps a column (the contract's name, or the file's)
    to {value in the file: value meant}, a meant value of None leaving that row out.
    """

    columns: Mapping[str, str | None] = field(default_factory=dict)
    recode: Mapping[str, Mapping[str, str | None]] = field(default_factory=dict)

    def resolve(
        self, header: Sequence[Any], where: str, *, header_line: int = 1
    ) -> tuple[dict[str, int], list[str]]:
        """The position of each contract column in ``header`` (the file's line
        ``header_line``), and the columns left out."""
        names = ["" if h is None else str(h).strip() for h in header]
        said = {header_key(k): v for k, v in self.columns.items()}
        keys = [header_key(n) for n in names]
        for given, target in self.columns.items():
            if header_key(given) not in keys:
                shown = ", ".join(n for n in names if n) or "none"
                raise InputFileError(
                    f"{where}, row {header_line}: there is no column {given.strip()!r} to map "
                    f"(the columns are: {shown})"
                )
            if target is not None and known_column(target) is None:
                raise InputFileError(
                    f"{where}: {target!r} is not a kind of column; use one of "
                    f"{', '.join(KNOWN_COLUMNS)}"
                )
        index: dict[str, int] = {}
        ignored: list[str] = []
        for position, (name, key) in enumerate(zip(names, keys, strict=True)):
            target = said.get(key, name)
            known = known_column(target) if target else None
            if known is None:
                if name:
                    ignored.append(name)
                continue
            if known in index:
                raise InputFileError(
                    f"{where}, row {header_line}, column {name}: the column appears twice "
                    f"(as {known})"
                )
            index[known] = position
        return index, ignored

    def recodings(
        self, header: Sequence[Any], index: Mapping[str, int], where: str
    ) -> dict[str, dict[str, str | None]]:
        """The recoding of each contract column, keyed by :func:`value_key` of the cell."""
        by_header = {header_key(header[position]): column for column, position in index.items()}
        out: dict[str, dict[str, str | None]] = {}
        for name, table in self.recode.items():
            column = known_column(name) or by_header.get(header_key(name))
            if column is None or column not in index:
                raise InputFileError(f"{where}: cannot recode {name!r}: no such column in the file")
            if column not in RECODABLE:
                raise InputFileError(
                    f"{where}: the values of {column} cannot be recoded; only "
                    f"{', '.join(RECODABLE)} can"
                )
            allowed = RECODABLE[column]
            codes: dict[str, str | None] = {}
            for raw, meant in table.items():
                target = None if meant is None else str(meant).strip().casefold()
                if target in LEAVE_OUT:
                    target = None
                if target is not None and allowed and target not in allowed:
                    raise InputFileError(
                        f"{where}: {raw!r} in {column} cannot become {meant!r}; use "
                        f"{' or '.join(allowed)}, or leave-out"
                    )
                if target is not None and not allowed and _not_number(target):
                    raise InputFileError(
                        f"{where}: {raw!r} in {column} cannot become {meant!r}; give a number"
                    )
                codes[value_key(raw)] = target
            out.setdefault(column, {}).update(codes)
        return out


def _not_number(text: str) -> bool:
    try:
        float(text)
    except ValueError:
        return True
    return False


def parse_options(maps: Sequence[str], recodes: Sequence[str]) -> ColumnMapping:
    """A mapping from the command line: ``--map "Group=arm"``, ``--recode "arm:Yes=1"``."""
    columns: dict[str, str | None] = {}
    for item in maps:
        if "=" not in item:
            raise InputFileError(
                f'--map {item!r}: write it as COLUMN=MEANING, e.g. --map "Group=arm"'
            )
        name, _, target = item.rpartition("=")
        columns[name.strip()] = None if target.strip().casefold() in LEAVE_OUT else target.strip()
    recode: dict[str, dict[str, str | None]] = {}
    for item in recodes:
        column, colon, rest = item.partition(":")
        if not colon or "=" not in rest:
            raise InputFileError(
                f"--recode {item!r}: write it as COLUMN:VALUE=MEANING, e.g. "
                '--recode "arm:Marketplace=pilot"'
            )
        raw, _, meant = rest.rpartition("=")
        recode.setdefault(column.strip(), {})[raw.strip()] = meant.strip()
    return ColumnMapping(columns, recode)
