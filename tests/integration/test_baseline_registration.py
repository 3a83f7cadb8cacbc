"""A registered baseline measure: frozen with the plan, imported with the rows, analysed
adjusted for; and registrations made before the field existed keep their hashes."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from testlearn.domain.registration import frozen_content, snapshot_hash
from testlearn.errors import InputFileError, InvalidValue
from testlearn.services import analysis, outcome_import, pilots, registration, verification
from testlearn.services.databases import open_database
from tests.builders import hypothesis, pilot
from tests.conftest import Cli

SCHEMA_1 = Path(__file__).parent.parent / "golden" / "schema1.sqlite"
MEASURE = "attainment before"
# (pilot, comparator) pairs: the outcome is close to the baseline plus 3 in the pilot arm.
BASELINES = [68.3, 19.2, 59.6, 50.7, 63.2, 53.9, 68.3, 50.3, 44.8, 55.8, 54.3, 46.4]
VALUES = [58.9, 21.3, 46.9, 45.6, 47.6, 44.5, 61.9, 41.1, 37.4, 41.4, 45.1, 41.3]


def raw_sql(path: Path, statement: str) -> None:
    conn = sqlite3.connect(path)
    conn.execute(statement)
    conn.commit()
    conn.close()


def test_a_registration_made_before_the_field_keeps_its_hash(tmp_path: Path) -> None:
    path = tmp_path / "team.sqlite"
    shutil.copy(SCHEMA_1, path)
    with open_database(path) as db:
        with db.reading() as uow:
            [made] = uow.find("registration")
            [h1] = uow.find("hypothesis", pilot_id=made.pilot_id)
        # The hypothesis as it is now hashes to exactly what was frozen years ago.
        assert h1.baseline_covariate == ""
        assert frozen_content(h1) == made.snapshot["hypotheses"][str(h1.id)]
        assert snapshot_hash(made.snapshot) == made.content_hash
        assert verification.verify(db=db).ok
        registration.record_deviation(
            "DFE-TL-004",
            "H1",
            "baseline_covariate",
            "screening score at entry",
            "The entry screening is the same measure, taken before the app",
            db=db,
            actor="me",
        )
        detail = pilots.get_pilot("DFE-TL-004", db=db)
        assert detail.registration_intact
        assert detail.hypotheses[0].hypothesis.baseline_covariate == "screening score at entry"
        assert verification.verify(db=db).ok


def test_setting_the_baseline_outside_a_deviation_is_caught(tmp_path: Path) -> None:
    path = tmp_path / "team.sqlite"
    shutil.copy(SCHEMA_1, path)
    with open_database(path) as db:
        assert verification.verify(db=db).ok  # migrated to the schema with the column
    raw_sql(path, "UPDATE hypothesis SET baseline_covariate = 'score at entry'")
    with open_database(path) as db:
        report = verification.verify(db=db)
    assert not report.ok
    assert any("baseline_covariate" in f.message for f in report.findings)


@pytest.fixture
def adjusted(db: Any) -> Any:
    pilots.create_pilot(pilot(), db=db, actor="ana")
    pilots.add_record(
        "T-001",
        "hypothesis",
        hypothesis(
            outcome_type="continuous",
            outcome_name="reading score",
            benefit_threshold=2.0,
            planned_n_pilot=6,
            planned_n_comparator=6,
            baseline_covariate=MEASURE,
        ),
        db=db,
        actor="ana",
    )
    return registration.register("T-001", db=db, actor="ana")


def _write(path: Path, header: str, baselines: list[str]) -> Path:
    lines = [header] + [
        f"{'pilot' if i % 2 == 0 else 'comparator'},{v},{b}"
        for i, (v, b) in enumerate(zip(VALUES, baselines, strict=True))
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_the_registered_baseline_is_frozen_in_the_snapshot(db: Any, adjusted: Any) -> None:
    [content] = adjusted.snapshot["hypotheses"].values()
    assert content["baseline_covariate"] == MEASURE


def test_a_csv_with_the_baseline_column_is_analysed_adjusted(
    db: Any, db_path: Path, adjusted: Any, tmp_path: Path
) -> None:
    # The column is headed with the measure's own name, in another case and spacing.
    path = _write(tmp_path / "scores.csv", "arm,value,Attainment_Before", list(map(str, BASELINES)))
    summary = outcome_import.import_results("T-001", "H1", path, db=db, actor="ana")
    assert summary.ignored_columns == ()
    [outcome] = analysis.analyse_pilot("T-001", db=db, actor="ana").hypotheses
    result = outcome.result
    assert result is not None
    assert result.method.startswith("least squares adjusted for the baseline attainment before")
    assert "adjusted for the baseline attainment before (95% CI" in result.sentence
    assert result.sensitivity[0].method == "unadjusted: Welch two-sample t-test"
    assert verification.verify(db=db).ok
    # The baselines are pinned by the data fingerprint like the outcome.
    raw_sql(db_path, "UPDATE observation SET baseline = baseline + 1 WHERE row_no = 3")
    report = verification.verify(db=db)
    assert any("no longer match the fingerprint" in f.message for f in report.findings)


def test_a_file_without_the_registered_baseline_is_refused(
    db: Any, adjusted: Any, tmp_path: Path
) -> None:
    path = _write(tmp_path / "scores.csv", "arm,value,prior", list(map(str, BASELINES)))
    with pytest.raises(InputFileError, match=r"row 1: missing column baseline.*attainment before"):
        outcome_import.import_results("T-001", "H1", path, db=db, actor="ana")


def test_a_blank_baseline_names_the_line_and_column(db: Any, adjusted: Any, tmp_path: Path) -> None:
    baselines = list(map(str, BASELINES))
    baselines[4] = ""
    path = _write(tmp_path / "scores.csv", "arm,value,baseline", baselines)
    with pytest.raises(InputFileError, match=r"scores.csv, row 6, column baseline: the baseline"):
        outcome_import.import_results("T-001", "H1", path, db=db, actor="ana")
    assert pilots.get_pilot("T-001", db=db).hypotheses[0].hypothesis.baseline_covariate == MEASURE


def test_changing_the_baseline_after_the_data_is_post_hoc(
    db: Any, adjusted: Any, tmp_path: Path
) -> None:
    path = _write(tmp_path / "scores.csv", "arm,value,baseline", list(map(str, BASELINES)))
    outcome_import.import_results("T-001", "H1", path, db=db, actor="ana")
    registration.record_deviation(
        "T-001", "H1", "baseline_covariate", "", "The baseline was not wanted", db=db, actor="ana"
    )
    [outcome] = analysis.analyse_pilot("T-001", db=db, actor="ana").hypotheses
    # The verdict stays the registered plan's: still adjusted.
    assert outcome.result is not None
    assert "adjusted for the baseline attainment before" in outcome.result.method
    assert pilots.get_pilot("T-001", db=db).registration_intact


def test_an_adjustment_the_design_cannot_follow_is_refused_at_registration(db: Any) -> None:
    pilots.create_pilot(pilot(), db=db, actor="ana")
    pilots.add_record(
        "T-001",
        "hypothesis",
        hypothesis(design="did", baseline_covariate="clean sites last year"),
        db=db,
        actor="ana",
    )
    with pytest.raises(InvalidValue, match="Cannot register H1: a baseline adjustment is defined"):
        registration.register("T-001", db=db, actor="ana")
    assert not pilots.get_pilot("T-001", db=db).hypotheses[0].registered


def test_baselines_travel_with_the_rows_when_a_department_is_merged(tmp_path: Path) -> None:
    from testlearn.services import databases, merging

    team = tmp_path / "team.sqlite"
    db = databases.create_database(team, actor="ana", department="DfE")
    try:
        pilots.create_pilot(pilot(), db=db, actor="ana")
        pilots.add_record(
            "T-001",
            "hypothesis",
            hypothesis(
                outcome_type="continuous", benefit_threshold=2.0, baseline_covariate=MEASURE
            ),
            db=db,
            actor="ana",
        )
        registration.register("T-001", db=db, actor="ana")
        path = _write(tmp_path / "scores.csv", "arm,value,baseline", list(map(str, BASELINES)))
        outcome_import.import_results("T-001", "H1", path, db=db, actor="ana")
        [here] = analysis.analyse_pilot("T-001", db=db, actor="ana").hypotheses
        out = tmp_path / "team-export.sqlite"
        merging.export_for_central(db=db, out=out)
    finally:
        db.close()
    central = tmp_path / "central.sqlite"
    databases.create_database(central, actor="central", department="Cabinet Office").close()
    with databases.open_database(central) as db:
        merging.merge([out], db=db, actor="central team")
        assert verification.verify(db=db).ok
        [there] = analysis.analyse_pilot("T-001", db=db, actor="central team").hypotheses
    assert here.result is not None and there.result is not None
    assert "adjusted for the baseline" in there.result.method
    assert (there.result.estimate, there.result.ci_low) == (
        here.result.estimate,
        here.result.ci_low,
    )


def test_the_command_line_sets_the_measure_and_analyses_a_file_adjusted(
    db: Any, cli: Cli, tmp_path: Path
) -> None:
    pilots.create_pilot(pilot(), db=db, actor="ana")
    run = cli(
        "add",
        "T-001",
        "hypothesis",
        "code=H1",
        "statement=Tutoring raises reading scores",
        "outcome_type=continuous",
        "direction=increase",
        "design=two-group",
        "benefit_threshold=2",
        f"baseline_covariate={MEASURE}",
    )
    assert run.code == 0, run.err
    assert pilots.get_pilot("T-001", db=db).hypotheses[0].hypothesis.baseline_covariate == MEASURE
    path = _write(tmp_path / "scores.csv", "arm,value,Attainment before", list(map(str, BASELINES)))
    args = ["analyse", str(path), "--outcome", "continuous", "--design", "two-group"]
    run = cli(*args, "--benefit-threshold", "2", "--baseline", MEASURE, db=False)
    assert run.code == 0, run.err
    assert "adjusted for the baseline attainment before (95% CI" in run.out
    assert "HC2 robust errors" in run.out
