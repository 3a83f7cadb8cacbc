"""Small, valid records for tests, overridable field by field."""

from __future__ import annotations

from typing import Any

PILOT: dict[str, Any] = {
    "reference": "T-001",
    "title": "Test pilot of outcome-based cleaning contracts",
    "lead_organisation": "Cabinet Office",
    "primary_mission": "GROWTH",
    "marking": "OFFICIAL",
}

HYPOTHESIS: dict[str, Any] = {
    "code": "H1",
    "statement": "Outcome-based contracts raise the share of sites rated clean",
    "role": "primary",
    "outcome_name": "sites rated clean",
    "outcome_type": "binary",
    "direction": "increase",
    "design": "two-group",
    "benefit_threshold": 0.05,
    "planned_n_pilot": 400,
    "planned_n_comparator": 400,
    "baseline_value": 0.6,
    "evidence_level": 5,
}


def pilot(**overrides: Any) -> dict[str, Any]:
    return {**PILOT, **overrides}


def hypothesis(**overrides: Any) -> dict[str, Any]:
    return {**HYPOTHESIS, **overrides}


def add_analysed_pilot(
    db: Any,
    reference: str,
    codes: list[str],
    *,
    outcome: str = "sites rated clean on measure {code}",
    n: int = 400,
    pilot_successes: int = 300,
    step: int = 4,
    comparator_successes: int = 240,
    **values: Any,
) -> None:
    """A pilot with one two-group hypothesis per code (H1 primary), registered, imported and
    analysed: the i-th code's pilot arm has ``pilot_successes - step * i`` of ``n``, so the
    effects run from clear (H1) to slight."""
    from testlearn.services import analysis, outcome_import, pilots, registration

    pilots.create_pilot(pilot(reference=reference, **values), db=db, actor="ana")
    for code in codes:
        pilots.add_record(
            reference,
            "hypothesis",
            hypothesis(
                code=code,
                role="primary" if code == "H1" else "secondary",
                outcome_name=outcome.format(code=code),
            ),
            db=db,
            actor="ana",
        )
    registration.register(reference, db=db, actor="ana")
    for i, code in enumerate(codes):
        rows = [
            {"arm": "pilot", "n": n, "successes": pilot_successes - step * i},
            {"arm": "comparator", "n": n, "successes": comparator_successes},
        ]
        outcome_import.import_aggregates(
            reference, code, rows, source_name=f"{code}.csv", db=db, actor="ana"
        )
    analysis.analyse_pilot(reference, db=db, actor="ana")


#: Sites rated clean out of 400 a side in four pilots of one idea: a clear gain, a clear loss
#: and two nulls, so that a pooling that selected on the verdict would show.
SHARED_CLEAN = {"T-001": (300, 240), "T-002": (250, 240), "T-003": (215, 260), "T-004": (262, 242)}
#: Complaints per 1,000 site-months a side, in two of them.
SHARED_COMPLAINTS = {"T-001": (40, 80), "T-002": (55, 60)}
SHARED_COUNT: dict[str, Any] = {
    "code": "H2",
    "role": "secondary",
    "statement": "Outcome-based contracts cut complaints",
    "outcome_name": "complaints",
    "outcome_unit": "per site-month",
    "outcome_type": "count",
    "direction": "decrease",
    "benefit_threshold": 10,
    "baseline_value": 0.08,
}
SHARED_REPEAT: dict[str, Any] = {
    "code": "H3",
    "role": "secondary",
    "statement": "Outcome-based contracts cut repeat visits",
    "outcome_name": "sites needing a repeat visit",
    "direction": "decrease",
}


def add_pilots_sharing_measures(db: Any) -> None:
    """Five pilots of one idea, registered and analysed: four measured sites rated clean
    (pooled), two of them complaints too (pooled, flagged: two pilots), T-005 registered the
    first with no data yet, and T-001 and T-002 registered repeat visits, with data in T-001
    alone (one usable result: not pooled)."""
    from testlearn.services import analysis, outcome_import, pilots, registration

    for n, reference in enumerate(("T-001", "T-002", "T-003", "T-004", "T-005")):
        pilots.create_pilot(
            pilot(reference=reference, title=f"Outcome-based cleaning, area {n + 1}"),
            db=db,
            actor="ana",
        )
        pilots.add_record(reference, "hypothesis", hypothesis(), db=db, actor="ana")
        if reference in SHARED_COMPLAINTS:
            for extra in (SHARED_COUNT, SHARED_REPEAT):
                pilots.add_record(reference, "hypothesis", hypothesis(**extra), db=db, actor="ana")
        registration.register(reference, db=db, actor="ana")
    for reference, (ours, theirs) in SHARED_CLEAN.items():
        rows = [
            {"arm": "pilot", "n": 400, "successes": ours},
            {"arm": "comparator", "n": 400, "successes": theirs},
        ]
        outcome_import.import_aggregates(
            reference, "H1", rows, source_name="clean.csv", db=db, actor="ana"
        )
    for reference, (ours, theirs) in SHARED_COMPLAINTS.items():
        rows = [
            {"arm": "pilot", "events": ours, "exposure": 1000},
            {"arm": "comparator", "events": theirs, "exposure": 1000},
        ]
        outcome_import.import_aggregates(
            reference, "H2", rows, source_name="complaints.csv", db=db, actor="ana"
        )
    repeat = [
        {"arm": "pilot", "n": 400, "successes": 60},
        {"arm": "comparator", "n": 400, "successes": 90},
    ]
    outcome_import.import_aggregates(
        "T-001", "H3", repeat, source_name="repeat.csv", db=db, actor="ana"
    )
    for reference in SHARED_CLEAN:
        analysis.analyse_pilot(reference, db=db, actor="ana")
