"""`testlearn verify`: recompute every hash and check every registration."""

from __future__ import annotations

from testlearn.domain.verification import Finding, VerificationReport
from testlearn.store import integrity, queries
from testlearn.store.database import Database


def verify(*, db: Database) -> VerificationReport:
    """Check history, audit chain, data fingerprints and registrations. Writes nothing."""
    with db.reading() as uow:
        findings = list(integrity.verify_history(uow))
        checked = integrity.count_checked(uow)
        registrations = 0
        for summary in queries.pilot_summaries(uow):
            detail = queries.pilot_detail(uow, summary.id)
            for check in detail.registration_checks:
                registrations += 1
                findings.extend(
                    Finding("registration", f"pilot {summary.reference}", problem)
                    for problem in check.problems
                )
        checked["registrations"] = registrations
    return VerificationReport(tuple(findings), checked)
