"""A pilot ready for its Evaluation Registry entry pack, checked against the registry's rules.

An entry is made for a pilot at any stage (the registry takes planned and ongoing
evaluations), so an unregistered or unanalysed pilot is not refused: its entry simply has no
findings. A pilot whose file fails verification is refused, since the entry would quote
results nobody can check; so is one whose entry the registry would refuse, with every rule
it breaks and the field to change.
"""

from __future__ import annotations

import datetime as dt

from testlearn.domain.pilot_report import PilotReport
from testlearn.domain.registry_entry import registry_problems
from testlearn.errors import RegistryEntryRefused, VerificationFailed
from testlearn.services.reporting import pilot_report
from testlearn.store.database import Database


def registry_pack_report(
    reference: str, *, db: Database, generated_at: dt.datetime | None = None
) -> PilotReport:
    """The pilot as its registry entry pack is made from.

    Raises:
        NotFound: no pilot has that reference.
        VerificationFailed: the pilot's registration, data or history fails verification.
        RegistryEntryRefused: the entry breaks the registry's rules (each one named).
    """
    report = pilot_report(reference, db=db, generated_at=generated_at, allow_incomplete=True)
    if report.unverified:
        raise VerificationFailed(
            f"cannot make {reference}'s registry entry: it fails verification "
            f"({report.unverified[0]}"
            + (f" and {len(report.unverified) - 1} more" if len(report.unverified) > 1 else "")
            + "); `testlearn verify` lists every problem"
        )
    problems = registry_problems(report.detail.pilot)
    if problems:
        raise RegistryEntryRefused(reference, [str(p) for p in problems])
    return report
