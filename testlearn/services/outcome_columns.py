"""Unit rows of a large CSV as checked columns, read by pandas' C parser.

This is the fast path for analysing a large file directly (``testlearn analyse FILE``). Its
checks are the same rules as the row-by-row reader; when any check fails, a recoding is
needed, or pandas cannot parse the file, the row-by-row reader runs instead, so the error
message, naming the row and column, is the same whichever path found it. A file holding any
quote character is left to the row-by-row reader: pandas forgives quoting the careful reader
refuses (a quote never closed, text after a closing quote, a quote after a leading space), and
the fast path must never accept a file, or count its rows, differently.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from testlearn.domain.fingerprint import OBSERVATION_COLUMNS
from testlearn.services.outcome_files import (
    ARMS,
    PERIODS,
    Expectations,
    OutcomeFile,
    open_outcome_file,
)


def read_unit_columns(path: Path, expect: Expectations | None = None) -> dict[str, Any] | None:
    """Unit rows of ``path`` as checked columns; None if the file holds aggregates."""
    path = Path(path)
    expect = expect or Expectations()
    source = open_outcome_file(path, expect)  # header checks, and the shape
    if source.shape != "unit":
        source.close()
        return None
    if not source.codec or source.quotes:  # a workbook, or quoting for the careful reader
        return _columns_from_chunks(source)
    source.close()
    try:
        columns = _vectorised_unit_columns(source, expect)
    except Exception:  # any parse surprise: the careful reader will name the problem
        columns = None
    if columns is None:
        return _columns_from_chunks(open_outcome_file(path, expect))
    return columns


def _columns_from_chunks(source: OutcomeFile) -> dict[str, Any]:
    out: dict[str, list[Any]] = {name: [] for name in OBSERVATION_COLUMNS}
    for chunk in source.chunks:
        for name, values in zip(OBSERVATION_COLUMNS, zip(*chunk, strict=True), strict=True):
            out[name].extend(values)
    return {k: (v if any(x is not None for x in v) else None) for k, v in out.items()}


def _vectorised_unit_columns(source: OutcomeFile, expect: Expectations) -> dict[str, Any] | None:
    import numpy as np
    import pandas as pd

    # Labels are read as categories: stripping and lower-casing then touches each distinct
    # label once, not each of a million rows. Numbers are parsed by pandas' C reader; a
    # column that does not parse as numbers comes back as text and sends us to the careful
    # reader.
    labels = ("arm", "period", "cluster", "unit")
    by_position = {i: name for name, i in source.index.items()}
    frame = pd.read_csv(
        source.path,
        sep=source.delimiter,
        encoding=source.codec,
        header=0,
        usecols=sorted(by_position),
        dtype={i: "category" for i, name in by_position.items() if name in labels},
        keep_default_na=False,
        skipinitialspace=True,
        skip_blank_lines=True,
        engine="c",
    )
    frame.columns = [by_position[i] for i in sorted(by_position)]

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
    out.update(dict.fromkeys(("period", "cluster", "unit", "time", "exposure", "baseline")))
    if "period" in frame and expect.calendar_periods:
        # A stepped wedge's calendar steps are free labels, kept as written; a blank one is
        # for the careful reader to name.
        period = label("period", lower=False)
        if (period == "").any():
            return None
        out["period"] = period
    elif "period" in frame:
        period = label("period", lower=True)
        blank = period == ""
        if not (np.isin(period, list(PERIODS)) | (blank & ("period" not in expect.needs))).all():
            return None
        out["period"] = np.where(blank, None, period)
    for name in ("cluster", "unit"):
        if name in frame:
            values = label(name, lower=False)
            if name in expect.needs and (values == "").any():
                return None
            out[name] = np.where(values == "", None, values)
    for name in ("time", "exposure", "baseline"):
        if name in frame:
            numbers = number(name)
            if numbers is None or not np.isfinite(numbers).all():
                return None  # blanks or text: the careful reader decides, row by row
            if name == "exposure" and (numbers <= 0).any():
                return None
            out[name] = numbers
    return out
