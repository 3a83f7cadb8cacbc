"""What a report of one pilot is made from, and whether it can stand.

A report quotes stored analyses, so it can only be as good as they are. ``report_problems``
lists what stops a pilot's report from standing: nothing registered, hypotheses with no
current result (never analysed, or analysed on inputs that have since moved on), or a
registration that no longer matches its hash. Services refuse such a report unless the user
asks for it anyway, and then every page says what is missing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from testlearn.domain.clearance import ClearanceView
from testlearn.domain.pilot_detail import PilotDetail
from testlearn.domain.receipt import ChainHead


@dataclass(frozen=True)
class PilotReport:
    """A pilot as a report sees it: everything recorded, and what is missing.

    Attributes:
        detail: everything recorded about the pilot.
        problems: why the report is incomplete, in words for the reader; empty when it stands.
        generated_at: the report's timestamp (UTC); the same data and timestamp give the same
            file byte for byte.
        clearance: for a final, the clearance of exactly this content (who, role, date and
            version are printed from it); None for a draft.
        database: the database the report was made from, as its citation names it.
        chain_head: the last event of the history of the file the report was made from,
            printed in the citation block, so that a printed report is a witness too.
    """

    detail: PilotDetail
    problems: tuple[str, ...]
    generated_at: dt.datetime
    clearance: ClearanceView | None = None
    #: What failed verification (its registration, data, history or a stored result), for
    #: a report asked for anyway: every page then says it fails verification.
    unverified: tuple[str, ...] = ()
    database: str = ""
    chain_head: ChainHead | None = None
    #: The brief's citation lists each hypothesis's data fingerprint and source file, as
    #: briefs did before they cited all the data by one fingerprint: set only to rebuild such
    #: a brief when it is checked (``testlearn verify-report``), so that it still checks.
    cited_per_hypothesis: bool = False

    @property
    def complete(self) -> bool:
        return not self.problems


def report_problems(detail: PilotDetail) -> tuple[str, ...]:
    """Why a report of this pilot would not stand, in the order a user should fix them."""
    ref = detail.pilot.reference
    registered = [h for h in detail.hypotheses if h.registered]
    if not detail.hypotheses:
        return (f"{ref} has no hypotheses: add them and register them before reporting",)
    if not registered:
        return (
            f"{ref} has no registered hypotheses: a report must show that success was defined "
            f"before the data; register them first (testlearn register {ref})",
        )
    problems: list[str] = []
    if not detail.registration_intact:
        problems.append(
            f"the registration of {ref} no longer matches its hash (testlearn verify says what "
            "changed); the report cannot claim the hypotheses were fixed in advance"
        )
    for h in registered:
        code = h.hypothesis.code
        if h.result is None and h.dataset is None:
            problems.append(
                f"{code} has no outcome data yet (testlearn import-results {ref} {code})"
            )
        elif h.result is None:
            problems.append(f"{code} is not analysed yet (testlearn analyse {ref})")
        elif h.stale_reason is not None:
            problems.append(
                f"the stored result of {code} is out of date: {h.stale_reason}; "
                f"run testlearn analyse {ref}"
            )
    return tuple(problems)
