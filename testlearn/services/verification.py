"""`testlearn verify`: recompute every hash and check every registration."""

from __future__ import annotations

from testlearn.domain.verification import VerificationReport
from testlearn.store import integrity
from testlearn.store.database import Database


def verify(*, db: Database) -> VerificationReport:
    """Check history, audit chain, data fingerprints and registrations. Writes nothing."""
    with db.reading() as uow:
        findings = tuple(integrity.verify_history(uow))
        checked = integrity.count_checked(uow)
    return VerificationReport(findings, checked)
