"""The parts of a brief that follow from what is recorded, and how a brief is shortened.

The notice every page carries when a brief is incomplete or fails verification; the lead
official, contact and copy list from the pilot's internal roles; options and lines to take
that say only what the record bears out (none that presume a result the pilot lacks); the
KPIs in a line; and the cuts (first sentences, first clauses) compaction applies to text.
"""

from __future__ import annotations

import re

from reports.blocks import UNVERIFIED_NOTICE, Block, Text
from reports.handling import lines_to_take
from reports.options import options_table
from reports.wording import first_sentences, term_label
from testlearn.domain.pilot_detail import HypothesisDetail, PilotDetail
from testlearn.domain.pilot_report import PilotReport
from testlearn.domain.vocabulary import KpiLevel, KpiRating

INCOMPLETE_NOTICE = "INCOMPLETE: this brief does not stand as it is; do not quote it"
NOT_YET_RESPONSIBLE = (
    "Nothing can be said yet about how the pilot was tested: no hypothesis is registered."
)


def page_notice(report: PilotReport) -> str:
    """What every page of the brief must say: incomplete, failing verification, or both."""
    notices = []
    if report.problems:
        notices.append(INCOMPLETE_NOTICE)
    if report.unverified:
        notices.append(UNVERIFIED_NOTICE)
    return ". ".join(notices)


def copy_list(detail: PilotDetail) -> str:
    """The internal roles a brief is copied to, as the pilot records them; never partners."""
    pilot = detail.pilot
    roles = [
        pilot.senior_responsible_owner,
        pilot.private_office,
        pilot.special_adviser,
        pilot.press_office,
        pilot.analysts,
        pilot.commercial_lead,
    ]
    return "; ".join(r.strip() for r in roles if r.strip()) or "None recorded"


def lead_official(detail: PilotDetail) -> str:
    """The named lead official and how to reach them; "Not recorded" once for what is not."""
    name = detail.pilot.lead_official.strip()
    contact = detail.pilot.lead_official_contact.strip()
    if name and contact:
        return f"{name}, {contact}"
    if contact:
        return f"Not recorded (contact {contact})"
    return name or "Not recorded"


def shortened(
    items: tuple[str, ...], sentences: int | None, *, clause: bool = False
) -> tuple[str, ...]:
    """Bullets cut to their first sentences when the brief is short of room; never left empty.

    ``clause`` cuts a sentence further, at its first semicolon: what comes before one
    stands as a sentence of its own.
    """
    if not items:
        return (NOT_YET_RESPONSIBLE,)
    if sentences is None:
        return items
    cut = tuple(first_of(item, sentences) for item in items)
    return tuple(first_clause(item) for item in cut) if clause else cut


def first_clause(text: str) -> str:
    """``text`` up to its first semicolon, as a sentence."""
    head, semicolon, _ = text.partition("; ")
    return head.rstrip(".") + "." if semicolon else text


def first_of(text: str, sentences: int) -> str:
    """The first sentences of ``text``, one more when the first is only a word or two."""
    short = first_sentences(text, sentences)
    return first_sentences(text, sentences + 1) if len(short) < 40 else short


def has_result(primary: HypothesisDetail | None) -> bool:
    return primary is not None and primary.current_result is not None


def options_block(detail: PilotDetail, primary: HypothesisDetail | None) -> Block:
    if has_result(primary):
        return options_table(detail, primary)
    return Text(
        "The options (scale, adapt and re-test, or stop) cannot be weighed until the primary "
        "hypothesis has a current result; this brief gives no cost or risk for them."
    )


def lines(
    detail: PilotDetail,
    primary: HypothesisDetail | None,
    *,
    sentences: int | None,
    fewest: bool = False,
    u_turn: bool = True,
) -> tuple[tuple[str, str], ...]:
    """The lines to take; only those the record bears out, each answer shortened if asked.

    ``fewest`` keeps the first line, "Is this a U-turn?" (unless ``u_turn`` is false)
    and "What will you do differently?", which a brief must always have when a lesson is
    recorded.
    """
    # The lines are written for every case (no hypotheses, not registered, no data yet), each
    # saying only what the record bears out.
    pairs = list(lines_to_take(detail, primary))
    if not detail.registration_intact:
        # "Registered before the data" cannot be said while the check fails.
        pairs = [(q, a) for q, a in pairs if "not massaged" not in q]
    if fewest:
        kept = ("Is this a U-turn?", "What will you do differently?")[0 if u_turn else 1 :]
        pairs = [p for i, p in enumerate(pairs) if i == 0 or p[0] in kept]
    if sentences is None:
        return tuple(pairs)
    # The first answer carries what the pilot found, which a short brief must still say:
    # it gives up only the sentence on registration (paragraph 6 says it), never the finding.
    first = tuple(
        (
            q,
            " ".join(
                _briefly(x) if fewest else x
                for x in _sentences(a)
                if not x.startswith(_REGISTRATION_OPENINGS)
            ),
        )
        for q, a in pairs[:1]
    )
    return first + tuple((q, first_of(a, sentences)) for q, a in pairs[1:])


_REGISTRATION_OPENINGS = ("We set out on", "What success meant was recorded")
#: A sentence that says what went wrong after a colon; the shortest brief keeps the head
#: (the Issue gives what came after it).
_THEORY = "But the theory behind it did not hold: "


def _briefly(sentence: str) -> str:
    return _THEORY.removesuffix(": ") + "." if sentence.startswith(_THEORY) else sentence


def _sentences(text: str) -> list[str]:
    return re.split(r"(?<=[.!?])\s+(?=[A-Z0-9])", text.strip())


def kpi_list(detail: PilotDetail) -> Block:
    """The KPIs in one paragraph (name: latest rating), for a brief short of room."""
    if not detail.kpis:
        return Text("No KPIs are recorded for this pilot's contracts.")
    parts = []
    for item in detail.kpis:
        ratings = sorted(item.ratings, key=lambda r: r.year or "")
        latest = ratings[-1] if ratings else None
        rating = (
            f"{term_label(KpiRating, latest.rating).lower()} ({latest.year})"
            if latest
            else "not rated"
        )
        parts.append(f"{item.kpi.name} ({term_label(KpiLevel, item.kpi.level).lower()}): {rating}")
    return Text("KPIs, latest rating: " + "; ".join(parts) + ".", "small")
