"""`testlearn verify`: recompute every hash and check every registration."""

from __future__ import annotations

import datetime as dt
import functools

from testlearn.domain.verification import VerificationReport
from testlearn.store import integrity
from testlearn.store.database import Database


def verify(*, db: Database) -> VerificationReport:
    """Check history, audit chain, data fingerprints and registrations. Writes nothing."""
    with db.reading() as uow:
        findings = tuple(integrity.verify_history(uow, dated=demo_registration_dates()))
        checked = integrity.count_checked(uow)
    return VerificationReport(findings, checked)


@functools.cache
def demo_registration_dates() -> dict[str, dt.datetime]:
    """The dates the demo's pilots are registered on, by reference (see the demo data file).

    The demo stages scenarios that began in 2024 and 2025, so its registrations carry those
    dates rather than the moment the demo was built; a registration dated exactly so is
    not taken for a back-dated one.
    """
    from testlearn.services.demo import demo_pilots

    return {
        str(demo["pilot"]["reference"]): demo["registered_at"]
        for demo in demo_pilots()
        if isinstance(demo.get("registered_at"), dt.datetime)
    }
