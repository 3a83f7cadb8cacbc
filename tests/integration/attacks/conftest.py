"""A realistic file to attack: two registered pilots with data, results, lessons, a decision.

Built once per session through the services (as a team would build it) and copied for each
attack. MOJ-TL-007 has unit-level outcome data for H1 (so rows can be re-spelled and
collapsed), aggregate data for H2, stored results, a cost, two lessons and a decision;
HO-TL-003 is a second registered pilot with aggregate data, a lesson and a decision.
"""

from __future__ import annotations

import csv
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

from testlearn.services import analysis, databases, outcome_import, pilots, registration
from tests.builders import hypothesis, pilot

MOJ, HO = "MOJ-TL-007", "HO-TL-003"
ACTOR = "ana"


def _units(path: Path) -> Path:
    with path.open("w", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(["arm", "value", "unit"])
        for i in range(400):
            writer.writerow(["pilot", int(i % 10 < 7), f"u{i}"])
            writer.writerow(["comparator", int(i % 10 < 6), f"c{i}"])
    return path


def _aggregates(n: int, pilot_successes: int, comparator_successes: int) -> list[dict[str, object]]:
    return [
        {"arm": "pilot", "n": n, "successes": pilot_successes},
        {"arm": "comparator", "n": n, "successes": comparator_successes},
    ]


def build(path: Path, folder: Path) -> None:
    db = databases.create_database(path, actor=ACTOR, department="Ministry of Justice")
    add = lambda ref, entity, **values: pilots.add_record(ref, entity, values, db=db, actor=ACTOR)  # noqa: E731
    try:
        for ref, title in ((MOJ, "Electronic monitoring pilot"), (HO, "Passport triage pilot")):
            pilots.create_pilot(pilot(reference=ref, title=title), db=db, actor=ACTOR)
            add(ref, "hypothesis", **hypothesis(benefit_threshold=0.043))
            add(
                ref,
                "hypothesis",
                **hypothesis(code="H2", role="secondary", outcome_name="complaints"),
            )
            registration.register(ref, db=db, actor=ACTOR)
        outcome_import.import_results(MOJ, "H1", _units(folder / "moj-h1.csv"), db=db, actor=ACTOR)
        outcome_import.import_aggregates(
            MOJ, "H2", _aggregates(400, 250, 230), source_name="moj-h2.csv", db=db, actor=ACTOR
        )
        outcome_import.import_aggregates(
            HO, "H1", _aggregates(400, 280, 240), source_name="ho-h1.csv", db=db, actor=ACTOR
        )
        analysis.analyse_pilot(MOJ, db=db, actor=ACTOR)
        analysis.analyse_pilot(HO, db=db, actor=ACTOR)
        add(MOJ, "cost", category="delivery", description="Tags", amount=12000)
        for ref in (MOJ, HO):
            add(ref, "lesson", category="governance", what_happened=f"The {ref} board met late")
            add(ref, "decision", kind="scale", decided_by="SRO", rationale="It worked")
        add(MOJ, "lesson", category="problem_definition", what_happened="Scope was too wide")
    finally:
        db.close()


@pytest.fixture(scope="session")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("attacks")
    path = folder / "team.sqlite"
    build(path, folder)
    return path


@pytest.fixture
def team_file(template: Path, tmp_path: Path) -> Iterator[Path]:
    """A fresh copy of the honest file for one attack; afterwards, whatever the attack did,
    no pilot it touched gives a brief (issue 11: each attack is found, and none produces a
    brief)."""
    path = tmp_path / "team.sqlite"
    shutil.copy(template, path)
    yield path
    no_brief_from_what_failed(path, tmp_path)


def no_brief_from_what_failed(path: Path | str, folder: Path) -> None:
    """Every pilot a finding names, or every pilot when one names none, is refused a brief."""
    from reports.brief import write_brief
    from testlearn.errors import TestlearnError, VerificationFailed
    from testlearn.services import verification
    from testlearn.services.reporting import pilot_report

    try:
        db = databases.open_database(path)
    except TestlearnError:
        return  # a file that does not open gives no brief either
    try:
        findings = verification.verify(db=db).findings
        summaries = {str(s.id): s.reference for s in pilots.list_pilots(db=db)}
        if any(not f.pilot_id for f in findings):
            touched = set(summaries.values())
        else:
            touched = {summaries[f.pilot_id] for f in findings if f.pilot_id in summaries}
        for reference in sorted(touched):
            with pytest.raises(VerificationFailed, match=f"cannot report on {reference}"):
                write_brief(pilot_report(reference, db=db), folder / f"{reference}.pdf")
            assert not (folder / f"{reference}.pdf").exists()
    finally:
        db.close()
