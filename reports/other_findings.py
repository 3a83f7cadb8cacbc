"""Findings beside the primary result that a decision must weigh: secondary harms, theory failures.

A secondary hypothesis that moved the wrong way (DESNZ-TL-005's H2, fewer installations) and
a lesson that the theory failed (delivered as intended, but the assumption was wrong) go into
the Issue, the options and the lines to take, not only the findings.
"""

from __future__ import annotations

from reports.verdict_words import comparison_of, result_words, verbs
from reports.wording import first_sentences
from testlearn.domain.pilot_detail import HypothesisDetail, PilotDetail


def secondary_harms(detail: PilotDetail) -> tuple[HypothesisDetail, ...]:
    """Registered secondary hypotheses whose current verdict is harm."""
    return tuple(
        h
        for h in detail.hypotheses
        if h.registered
        and h.hypothesis.role != "primary"
        and h.current_result is not None
        and h.current_result.verdict == "harm"
    )


def harm_sentences(detail: PilotDetail) -> tuple[str, ...]:
    """Each secondary harm in one short plain sentence, naming its hypothesis."""
    found = []
    for h in secondary_harms(detail):
        # "fell" only for a before/after comparison: against a target it "fell short of" it.
        worse = verbs(h.plan.direction, comparison_of(h, detail.comparators))[1]
        found.append(
            f"A secondary measure came out the wrong way: {h.hypothesis.outcome_name} {worse} "
            f"({h.hypothesis.code}: {result_words(h).label.lower()})."
        )
    return tuple(found)


def theory_failures(detail: PilotDetail) -> tuple[str, ...]:
    """What happened, for each lesson recorded as a theory failure."""
    return tuple(
        first_sentences(lesson.what_happened, 1)
        for lesson in detail.lessons
        if lesson.failure_kind == "theory" and lesson.what_happened
    )
