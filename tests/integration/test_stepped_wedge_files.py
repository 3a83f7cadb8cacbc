"""A stepped wedge's outcome files: cluster-period rows imported, stored, analysed and verified;
files without the columns the design needs refused, naming the file and the column."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from testlearn.domain.fingerprint import Fingerprint
from testlearn.errors import InputFileError
from testlearn.services import analysis, outcome_import, pilots, registration, verification
from testlearn.stats.stepped_wedge import UNADJUSTED_WARNING
from tests.builders import hypothesis, pilot

# 6 authorities, 4 periods; two switch on at each of periods 2 to 4 (a trend of 2 points a
# period and an effect of about 6 points).
ROWS = [
    (f"LA{a}", f"2025-0{step + 2}", "pilot" if step >= 1 + a // 2 else "comparator", n, s)
    for a in range(6)
    for step, (n, s) in enumerate(
        [(100 + 3 * a, 60 + a), (104, 64 + 2 * a), (98 + a, 66 + a), (102, 72 + a)]
    )
]


def _write(path: Path, header: str, rows: list[tuple[Any, ...]]) -> Path:
    path.write_text(header + "\n" + "".join(",".join(map(str, r)) + "\n" for r in rows))
    return path


def _pilot(db: Any, design: str = "stepped-wedge", run_as: str = "stepped_wedge") -> None:
    pilots.create_pilot(pilot(evaluation_design=run_as), db=db, actor="ana")
    pilots.add_record(
        "T-001",
        "hypothesis",
        hypothesis(design=design, planned_n_pilot=900, planned_n_comparator=600),
        db=db,
        actor="ana",
    )
    registration.register("T-001", db=db, actor="ana")


def test_cluster_period_aggregates_are_stored_analysed_and_verified(
    db: Any, tmp_path: Path
) -> None:
    _pilot(db)
    path = _write(tmp_path / "cells.csv", "cluster,period,arm,n,successes", ROWS)
    summary = outcome_import.import_results("T-001", "H1", path, db=db, actor="ana")
    assert summary.dataset.row_count == len(ROWS)
    outcome = analysis.analyse_pilot("T-001", db=db, actor="ana")
    result = outcome.hypotheses[0].result
    assert result is not None
    assert result.method.startswith("stepped wedge: linear probability model")
    assert "allowing for calendar time" in result.sentence
    assert UNADJUSTED_WARNING not in result.warnings
    assert verification.verify(db=db).ok


def test_a_stepped_wedge_pilot_registered_as_two_groups_is_warned(db: Any, tmp_path: Path) -> None:
    _pilot(db, design="two-group")
    path = _write(
        tmp_path / "arms.csv", "arm,n,successes", [("pilot", 900, 640), ("comparator", 600, 390)]
    )
    outcome_import.import_results("T-001", "H1", path, db=db, actor="ana")
    result = analysis.analyse_pilot("T-001", db=db, actor="ana").hypotheses[0].result
    assert result is not None
    assert UNADJUSTED_WARNING in result.warnings
    assert result.sentence.startswith("The pilot was associated with")
    assert verification.verify(db=db).ok


@pytest.mark.parametrize(("drop", "missing"), [(0, "cluster"), (1, "period")])
def test_a_file_without_cluster_or_period_is_refused_naming_file_and_column(
    db: Any, tmp_path: Path, drop: int, missing: str
) -> None:
    _pilot(db)
    columns = ["cluster", "period", "arm", "n", "successes"]
    del columns[drop]
    rows = [tuple(v for k, v in enumerate(r) if k != drop) for r in ROWS]
    path = _write(tmp_path / "roll-out.csv", ",".join(columns), rows)
    with pytest.raises(InputFileError) as refused:
        outcome_import.import_results("T-001", "H1", path, db=db, actor="ana")
    assert "roll-out.csv" in str(refused.value)
    assert f"missing column {missing}, which this design needs" in str(refused.value)


def test_unit_rows_with_a_blank_cluster_name_the_line(db: Any, tmp_path: Path) -> None:
    _pilot(db)
    rows = [("LA1", "1", "comparator", 1), ("", "1", "comparator", 0)]
    path = _write(tmp_path / "units.csv", "cluster,period,arm,value", rows)
    with pytest.raises(InputFileError, match=r"units.csv.*row 3.*cluster.*the cluster is missing"):
        outcome_import.import_results("T-001", "H1", path, db=db, actor="ana")


def test_an_aggregate_row_without_a_cluster_keeps_the_fingerprint_it_had() -> None:
    row = ("pilot", None, None, 100, None, None, 60, None, None, 4)
    before, after = Fingerprint("aggregate"), Fingerprint("aggregate")
    before.add([row])
    after.add([(*row, None)])
    assert before.hexdigest() == after.hexdigest()
    with_cluster = Fingerprint("aggregate")
    with_cluster.add([(*row, "LA1")])
    assert with_cluster.hexdigest() != before.hexdigest()
