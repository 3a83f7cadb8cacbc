"""A brief's Argument: the case for each option weighed, then money, law and equalities.

The Argument sits between the findings and the options. It says what was decided (or that
nothing is), what the evidence holds for and against it (every registered result, the
primary first), and the financial, legal and equalities position as the pilot records it.
A paragraph the pilot does not record says so once, in a sentence of its own.
"""

from __future__ import annotations

from collections.abc import Callable

from reports import numbers
from reports.brief_findings import adjusted_p, code_list
from reports.brief_numbering import PARAGRAPH
from reports.facts import latest_decision, pilot_cost
from reports.handling import primary_hypothesis, primary_plain
from reports.verdict_words import result_words
from reports.wording import decision_phrase, first_sentences, lower_first
from testlearn.domain.pilot_detail import HypothesisDetail, PilotDetail

#: Verdicts that weigh against scaling when a hypothesis other than the primary reaches them.
AGAINST = frozenset({"harm", "no_meaningful_effect", "inconclusive"})


def argument(detail: PilotDetail, *, compact: int = 0) -> tuple[str, ...]:
    """The Argument's paragraphs; ``compact`` (0-3) shortens the free text, never a part."""
    primary = primary_hypothesis(detail)
    keep = (None, 2, 1, 1)[min(compact, 3)]

    def short(text: str) -> str:
        cut = text if keep is None else first_sentences(text, keep)
        if compact >= 4:
            # At the shortest, up to the first semicolon: what comes before one stands alone.
            head, semicolon, _ = cut.partition("; ")
            cut = head.rstrip(".") + "." if semicolon else cut
        return cut

    return (
        _decision(detail, short if compact < 3 else None),
        _evidence(detail, primary, plain=compact == 0, briefly=compact >= 4),
        _financial(detail) if compact < 2 else _financial_in_brief(detail),
        *_law_and_equalities(detail, short),
    )


def _law_and_equalities(detail: PilotDetail, short: Callable[[str], str]) -> tuple[str, ...]:
    legal, equalities = detail.pilot.legal_considerations, detail.pilot.equality_impacts
    if not legal.strip() and not equalities.strip():
        return (
            "Legal and equalities: no legal considerations or equality impacts are recorded "
            "for this pilot.",
        )
    return (
        _paragraph("Legal", legal, "legal considerations", short),
        _paragraph("Equalities", equalities, "equality impacts", short),
    )


def _decision(detail: PilotDetail, short: Callable[[str], str] | None) -> str:
    kind = latest_decision(detail)
    decided = [d for d in detail.decisions if d.kind == kind]
    if kind is None or not decided:
        return (
            f"The decision: none is recorded yet; the options at paragraph {PARAGRAPH['options']} "
            "are open."
        )
    last = decided[-1]
    when = f" on {numbers.long_date(last.decided_on)}" if last.decided_on else ""
    who = f" by {last.decided_by}" if last.decided_by else ""
    why = ""
    if last.rationale and short is not None:
        why = " Why: " + short(last.rationale).rstrip(".") + "."
    return f"The decision: taken{when}{who}, to {decision_phrase(kind)}.{why}"


def _evidence(
    detail: PilotDetail, primary: HypothesisDetail | None, *, plain: bool, briefly: bool = False
) -> str:
    if primary is None or primary.current_result is None:
        return (
            "The evidence: there is no current result for the primary hypothesis, so no option "
            "can yet be weighed on the evidence."
        )
    # The Issue has said the primary result in plain words already; a shorter brief labels it.
    text = (
        f"The evidence: {primary.hypothesis.code} (primary): {primary_plain(primary)}"
        if plain
        else f"The evidence: {_label(primary)} (primary)."
    )
    others = [
        h
        for h in detail.hypotheses
        if h.registered and h is not primary and h.current_result is not None
    ]
    groups: dict[str, list[HypothesisDetail]] = {}
    for h in others:
        verdict = h.current_result.verdict if h.current_result else ""
        words = (
            "Weighing against it"
            if verdict in AGAINST
            else "In its favour"
            if verdict == "success"
            else "Neither for nor against it"
        )
        groups.setdefault(words, []).append(h)
    for words in ("Weighing against it", "In its favour", "Neither for nor against it"):
        if words in groups:
            text += f" {words}: " + _grouped(groups[words], briefly=briefly) + "."
    unresolved = [h for h in detail.hypotheses if h.registered and h.current_result is None]
    if unresolved:
        codes = ", ".join(h.hypothesis.code for h in unresolved)
        text += f" No current result yet for {codes}."
    failures = [lesson for lesson in detail.lessons if lesson.failure_kind]
    if failures:
        kind = failures[0].failure_kind.replace("_", " ") if failures[0].failure_kind else ""
        article = "An" if kind[:1] in "aeiou" else "A"
        text += f" {article} {kind} failure is recorded among the lessons."
    return text


def _grouped(hypotheses: list[HypothesisDetail], *, briefly: bool = False) -> str:
    """Hypotheses by verdict, one at a time when few, by their codes when many."""
    if len(hypotheses) <= 2:
        return "; ".join(_label(h, outcome=not briefly) for h in hypotheses)
    by_verdict: dict[str, list[HypothesisDetail]] = {}
    for h in hypotheses:
        # Grouped by the table's label, which carries the grade and the evidence band.
        by_verdict.setdefault(result_words(h).label, []).append(h)
    parts = []
    for verdict, group in by_verdict.items():
        codes = code_list([h.hypothesis.code for h in group])
        adjusted = [h.hypothesis.code for h in group if adjusted_p(h) is not None]
        if adjusted and len(adjusted) == len(group):
            codes += ", on Holm-adjusted p"
        elif adjusted:
            codes += f"; Holm-adjusted p for {code_list(adjusted)}"
        parts.append(f"{lower_first(verdict)} ({codes})")
    return "; ".join(parts)


def _label(h: HypothesisDetail, *, outcome: bool = True) -> str:
    adjusted = adjusted_p(h)
    holm = f" (Holm-adjusted {numbers.p_value(adjusted)})" if adjusted is not None else ""
    on = f" on {h.hypothesis.outcome_name}" if outcome and h.hypothesis.outcome_name else ""
    return f"{h.hypothesis.code}{on}: {lower_first(result_words(h).label)}{holm}"


def _financial(detail: PilotDetail) -> str:
    pilot = detail.pilot
    cost = pilot_cost(detail)
    parts = [
        f"Financial: the pilot cost {numbers.money(cost)}."
        if cost is not None
        else "Financial: the pilot's cost is not recorded."
    ]
    planned = [p for p in detail.procurements if p.pipeline_year]
    for contract in planned:
        value = (
            numbers.money(contract.contract_value) if contract.contract_value else "not estimated"
        )
        parts.append(
            f"The next contract ({contract.name or 'follow-on'}) is in the pipeline for "
            f"{contract.pipeline_year}, at {value}."
        )
    if not planned:
        parts.append("No further contract is in the pipeline.")
    if pilot.national_rollout_cost:
        parts.append(
            f"A national roll-out is estimated at {numbers.money(pilot.national_rollout_cost)}."
        )
    else:
        parts.append("No cost of a national roll-out is estimated.")
    return " ".join(parts)


def _financial_in_brief(detail: PilotDetail) -> str:
    """The financial paragraph in one sentence, for a brief short of room."""
    cost = pilot_cost(detail)
    parts = [
        f"the pilot cost {numbers.money(cost)}"
        if cost is not None
        else "the pilot's cost is not recorded"
    ]
    for contract in (p for p in detail.procurements if p.pipeline_year):
        value = (
            numbers.money(contract.contract_value) if contract.contract_value else "not estimated"
        )
        parts.append(f"the next contract {value} ({contract.pipeline_year})")
    national = detail.pilot.national_rollout_cost
    parts.append(
        f"a national roll-out about {numbers.money(national)}"
        if national
        else "a national roll-out not estimated"
    )
    return "Financial: " + "; ".join(parts) + "."


def _paragraph(title: str, text: str, words: str, short: Callable[[str], str]) -> str:
    if not text.strip():
        return f"{title}: no {words} are recorded for this pilot."
    return f"{title}: {short(text.strip())}"
