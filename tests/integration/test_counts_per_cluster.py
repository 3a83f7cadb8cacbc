"""Counts per cluster (cluster, arm, period, events, exposure) import as rows the clustered
analysis can see, and a cluster column that cannot be used is refused, not dropped."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from testlearn.domain.analysis import HypothesisSpec
from testlearn.errors import InputFileError
from testlearn.services import analysis, pilots, registration
from testlearn.services.outcome_files import (
    Expectations,
    open_outcome_file,
    read_unit_columns,
    unit_data,
)
from testlearn.stats import analyse
from tests.builders import hypothesis, pilot

DID_COUNTS = Expectations("count", frozenset({"period"}))
BOROUGHS = """\
Cluster,arm,period,events,exposure
Eastbridge,pilot,before,71,1
Eastbridge,pilot,after,20,1
Hallfield,pilot,before,58,1
Hallfield,pilot,after,28,1
Millbank Green,pilot,before,47,1
Millbank Green,pilot,after,16,1
Ashcombe,comparator,before,102,1
Ashcombe,comparator,after,100,1
Kingsreach,comparator,before,88,1
Kingsreach,comparator,after,55,1
Westmarsh,comparator,before,55,1
Westmarsh,comparator,after,39,1
"""


def _write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "boroughs.csv"
    path.write_text(text, encoding="utf-8")
    return path


def test_counts_per_cluster_are_read_as_rows_with_their_cluster(tmp_path: Path) -> None:
    path = _write(tmp_path, BOROUGHS)
    source = open_outcome_file(path, DID_COUNTS)
    assert source.shape == "unit"
    assert source.columns == ["arm", "value", "period", "cluster", "exposure"]
    source.close()
    columns = read_unit_columns(path, DID_COUNTS)
    assert columns is not None
    assert list(columns["cluster"][:2]) == ["Eastbridge", "Eastbridge"]
    spec = HypothesisSpec("count", "did", 10, direction="decrease")
    result = analyse(spec, unit_data(columns))
    assert "cluster-robust (CR1) errors over 6 clusters" in result.clustering
    assert result.estimate == pytest.approx((64 / 176) / (194 / 245))
    assert any(
        w.startswith("Only 6 clusters in all (3 pilot and 3 comparator)") for w in result.warnings
    )


def test_without_exposure_a_rows_n_is_its_exposure(tmp_path: Path) -> None:
    text = BOROUGHS.replace("exposure", "n").replace(",1\n", ",2\n")
    columns = read_unit_columns(_write(tmp_path, text), Expectations("", frozenset({"period"})))
    assert columns is not None and set(columns["exposure"]) == {2.0}


def test_a_bad_count_names_the_file_line_and_column(tmp_path: Path) -> None:
    path = _write(tmp_path, BOROUGHS.replace("Hallfield,pilot,after,28", "Hallfield,pilot,after,x"))
    source = open_outcome_file(path, DID_COUNTS)
    with pytest.raises(InputFileError, match=r"boroughs\.csv, row 5, column events: "):
        for _ in source.chunks:
            pass


@pytest.mark.parametrize(
    ("header", "row", "column"),
    [
        ("cluster,arm,n,successes", "a,pilot,10,4", "cluster"),  # a proportion per cluster
        ("cluster,arm,events,exposure,clusters", "a,pilot,10,4,1", "clusters"),
    ],
)
def test_a_cluster_column_that_cannot_be_used_is_refused(
    tmp_path: Path, header: str, row: str, column: str
) -> None:
    path = _write(tmp_path, f"{header}\n{row}\n")
    with pytest.raises(InputFileError, match=rf"boroughs\.csv, row 1, column {column}: "):
        open_outcome_file(path, Expectations())


def test_counts_per_cluster_typed_in_are_stored_and_analysed_by_cluster(db: Any) -> None:
    from testlearn.services import outcome_import

    pilots.create_pilot(pilot(), db=db, actor="ana")
    pilots.add_record(
        "T-001",
        "hypothesis",
        hypothesis(
            outcome_type="count",
            design="did",
            direction="decrease",
            benefit_threshold=10.0,
            harm_margin=None,
        ),
        db=db,
        actor="ana",
    )
    registration.register("T-001", db=db, actor="ana")
    rows = []
    for line in BOROUGHS.splitlines()[1:]:
        cluster, arm, period, events, _ = line.split(",")
        rows.append(
            {"cluster": cluster, "arm": arm, "period": period, "events": int(events), "exposure": 1}
        )
    summary = outcome_import.import_aggregates(
        "T-001", "H1", rows, source_name="boroughs.csv", db=db, actor="ana"
    )
    assert summary.dataset.shape == "unit"
    analysis.analyse_pilot("T-001", db=db, actor="ana")
    result = pilots.get_pilot("T-001", db=db).hypotheses[0].result
    assert result is not None
    assert "cluster-robust (CR1) errors over 6 clusters" in str(result.detail["clustering"])
