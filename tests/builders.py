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
