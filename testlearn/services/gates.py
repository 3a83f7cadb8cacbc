"""The gate before analysis and reports: nothing is computed or quoted from a pilot that
fails verification.

A brief tells a minister that success was defined in advance and that each figure can be
checked. Both stop being true the moment the registration, the outcome data or the history
behind them was changed outside testlearn, so ``analyse`` and every report first verify the
file and refuse, in one line naming the pilot and what failed. Findings that belong to no
pilot (a removed append-only guard, a broken audit chain) concern the whole file and stop
every pilot. A report asked for anyway (``--incomplete``) is marked on every page instead.
"""

from __future__ import annotations

import uuid

from testlearn.domain.verification import Finding
from testlearn.errors import VerificationFailed
from testlearn.store.database import Database


def findings_for(db: Database, pilot_id: uuid.UUID) -> tuple[Finding, ...]:
    """The verification findings that concern one pilot: its own and the file-wide ones."""
    from testlearn.services.verification import verify

    own = str(pilot_id)
    return tuple(f for f in verify(db=db).findings if f.pilot_id in ("", own))


def describe(findings: tuple[Finding, ...]) -> str:
    first = findings[0]
    more = f" and {len(findings) - 1} more" if len(findings) > 1 else ""
    return f"{first.where}: {first.message}{more}"


def require_verified(db: Database, pilot_id: uuid.UUID, reference: str, doing: str) -> None:
    """Raise :class:`VerificationFailed` when the pilot fails verification."""
    findings = findings_for(db, pilot_id)
    if findings:
        raise VerificationFailed(
            f"cannot {doing} {reference}: it fails verification ({describe(findings)}); "
            "`testlearn verify` lists every problem"
        )
