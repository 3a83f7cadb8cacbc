"""What a report says about its clearance and version, taken from the clearance record.

A final prints "Cleared by NAME, ROLE, on DATE" and the version of the clearance handed in
with the report (``PilotReport.clearance``); nothing here makes either up. A draft says who
it is for clearance by, and is "draft".
"""

from __future__ import annotations

from reports import numbers
from testlearn.domain.clearance import KIND_NAMES, ClearanceView, report_fingerprint
from testlearn.domain.pilot_detail import PilotDetail
from testlearn.domain.pilot_report import PilotReport
from testlearn.errors import TestlearnError


class NotClearedForFinal(TestlearnError):
    """A final was asked of a report handed in without a clearance of its content."""


def final_clearance(
    report: PilotReport, *, final: bool, include_commercial: bool, kind: str = "brief"
) -> ClearanceView | None:
    """The clearance a final prints (None for a draft); refuses a final without one.

    The clearance must be of exactly this content, kind and edition: its fingerprint is
    recomputed here, so a final never says "Cleared by ..." of content nobody cleared, however
    the report was put together.
    """
    if not final:
        return None
    clearance = report.clearance
    reference = report.detail.pilot.reference
    if clearance is None:
        raise NotClearedForFinal(
            f"{reference}: a final needs a clearance of its current content; record one with "
            f"`testlearn clear {reference} ...`"
        )
    if clearance.include_commercial != include_commercial:
        with_or_not = "with" if clearance.include_commercial else "without"
        raise NotClearedForFinal(
            f"{reference}: the clearance handed in is of the report {with_or_not} its "
            "commercially sensitive figures, not the one asked for"
        )
    fingerprint = report_fingerprint(
        report.detail, kind=kind, include_commercial=include_commercial
    )
    if clearance.kind != kind or clearance.content_hash != fingerprint:
        raise NotClearedForFinal(
            f"{reference}: the clearance handed in ({clearance.version_label}) is not of this "
            f"{KIND_NAMES.get(kind, kind)} as it stands; record one with "
            f"`testlearn clear {reference} ...`"
        )
    return clearance


def clearance_line(detail: PilotDetail, clearance: ClearanceView | None) -> str:
    """The "Clearance" line of a report's header."""
    if clearance is not None:
        return (
            f"Cleared by {clearance.cleared_by}, {clearance.role}, on "
            f"{numbers.long_date(clearance.cleared_on)}"
        )
    sro = detail.pilot.senior_responsible_owner or "the senior responsible owner"
    return f"Draft, for clearance by {sro}"


def version_text(clearance: ClearanceView | None) -> str:
    """The version printed in the footer and the citation: the clearance's, or "draft"."""
    return clearance.version_label if clearance is not None else "draft"
