"""Data errors found across rows still name the file, the file's own line and the column."""

from __future__ import annotations

from pathlib import Path

import pytest

from testlearn.domain.analysis import AggregateData, AggregateRow, HypothesisSpec, UnitData
from testlearn.errors import InvalidValue, TestlearnError
from testlearn.services.file_analysis import analyse_file
from testlearn.stats import analyse


def _write(path: Path, lines: list[str]) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_a_blank_exposure_names_the_file_and_its_line(tmp_path: Path) -> None:
    source = _write(
        tmp_path / "visits.csv",
        ["arm,value,exposure", "pilot,3,10", "pilot,2,", "comparator,1,10", "comparator,4,12"],
    )
    with pytest.raises(TestlearnError) as caught:
        analyse_file(source, outcome="count", design="two-group", benefit_threshold=10)
    assert str(caught.value).startswith("visits.csv, row 3, column exposure: the exposure is")


def test_a_blank_exposure_before_the_first_given_one_is_named_too(tmp_path: Path) -> None:
    source = _write(
        tmp_path / "visits.csv",
        ["arm,value,exposure", "pilot,3,", "pilot,2,", "comparator,1,10", "comparator,4,12"],
    )
    with pytest.raises(TestlearnError, match=r"visits\.csv, row 2, column exposure: .*row 4"):
        analyse_file(source, outcome="count", design="two-group", benefit_threshold=10)


def test_an_exposure_column_left_empty_throughout_means_one_per_row(tmp_path: Path) -> None:
    source = _write(
        tmp_path / "visits.csv",
        ["arm,value,exposure", "pilot,3,", "pilot,2,", "comparator,1,", "comparator,4,"],
    )
    result = analyse_file(source, outcome="count", design="two-group", benefit_threshold=10)
    assert result.estimate == pytest.approx(1.0)


def test_a_repeated_time_in_an_aggregate_series_names_the_file_and_both_lines(
    tmp_path: Path,
) -> None:
    lines = ["arm,n,mean,sd,time,period"]
    lines += [f"pilot,10,5,1,{t},before" for t in (1, 2, 2, 3)]
    lines += [f"pilot,10,6,1,{t},after" for t in (4, 5, 6)]
    source = _write(tmp_path / "series.csv", lines)
    with pytest.raises(TestlearnError) as caught:
        analyse_file(source, outcome="continuous", design="its", benefit_threshold=1)
    assert str(caught.value).startswith("series.csv, row 4, column time: row 3 already gives")


def test_the_engine_on_its_own_counts_data_rows_and_says_so() -> None:
    data = UnitData(("pilot", "comparator"), (1.0, 2.0), exposure=(1.0, None))  # type: ignore[arg-type]
    with pytest.raises(InvalidValue, match=r"^Data row 2, column exposure"):
        analyse(HypothesisSpec("count", "two-group", 10), data)
    rows = tuple(AggregateRow("pilot", n=10, mean=5.0, sd=1.0, time=t) for t in (1, 2, 2, 3, 4, 5))
    with pytest.raises(InvalidValue, match=r"^Aggregate rows 2 and 3 both give the pilot series"):
        analyse(
            HypothesisSpec("continuous", "its", 1.0, its_interruption=4),
            AggregateData(rows),
        )
