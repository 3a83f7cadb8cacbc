"""A brief's findings: one bullet per registered hypothesis, in the order people count.

A brief has room for a few hypotheses; the rest are counted ("and 7 more, in the full
report"), never dropped silently. A verdict reached on the Holm-adjusted p (hypotheses tested
together as a family) says so beside the engine's sentence, which is quoted as it is.
"""

from __future__ import annotations

import re

from reports import numbers, plan_record
from reports.facts import CostPerOutcome, cost_per_outcome
from reports.handling import primary_hypothesis
from reports.wording import first_sentences
from testlearn.domain.pilot_detail import HypothesisDetail, PilotDetail


def adjusted_p(h: HypothesisDetail) -> float | None:
    """The Holm-adjusted p of a hypothesis's current result, when the engine computed one."""
    result = h.current_result
    if result is None:
        return None
    value = result.p_adjusted
    if value is None:
        stored = result.detail.get("p_adjusted")
        value = float(stored) if isinstance(stored, int | float) else None
    return value


def finding(h: HypothesisDetail, *, sentences: int | None = None, clause: bool = False) -> str:
    """One hypothesis's finding, marked when its verdict uses the Holm adjustment."""
    code, role = h.hypothesis.code, h.hypothesis.role
    result = h.current_result
    if result is None:
        if h.result is None and h.dataset is None:
            return f"{code} ({role}): no outcome data yet, so no result."
        if h.result is None:
            return f"{code} ({role}): not analysed yet, so no result."
        return f"{code} ({role}): the stored result is out of date, so it is not quoted."
    adjusted = adjusted_p(h)
    holm = f", Holm-adjusted {numbers.p_value(adjusted)}" if adjusted is not None else ""
    sentence = result.sentence if sentences is None else first_sentences(result.sentence, sentences)
    if clause and "; " in sentence:
        # The estimate and its interval, which come first; the verdict is in the Argument.
        sentence = sentence.split("; ", 1)[0].rstrip(".") + "."
    return f"{code} ({role}{holm}): {sentence}"


def findings(
    detail: PilotDetail,
    *,
    shown: int = 5,
    sentences: int | None = None,
    clause: bool = False,
    lesson: bool = True,
) -> tuple[str, ...]:
    """The findings bullets: up to ``shown`` hypotheses (primary first), then the count left.

    Args:
        detail: the pilot.
        shown: how many hypotheses get a bullet of their own.
        sentences: quote only the first sentences of each engine sentence (compaction).
        clause: quote only the estimate and interval that open each engine sentence.
        lesson: say why it failed, from the first lesson naming a failure (the Argument
            names the failure when this is left to it).
    """
    registered = [h for h in detail.hypotheses if h.registered]
    if not registered:
        if detail.hypotheses:
            return ("No hypothesis is registered yet, so there are no findings.",)
        return ("No hypotheses are recorded yet, so there are no findings.",)
    primary = primary_hypothesis(detail)
    ordered = [h for h in registered if h is primary] + [h for h in registered if h is not primary]
    picked = ordered[:shown]
    # Shown in the order people count, whatever was picked first.
    items: list[str] = []
    for h in [h for h in registered if h in picked]:
        items.append(finding(h, sentences=sentences, clause=clause))
        later = plan_record.post_hoc_sentence(h)
        if later is not None:
            items.append(later)
    left = ordered[shown:]
    if left:
        codes = code_list([h.hypothesis.code for h in registered if h in left])
        adjusted = _adjusted_count(left)
        holm = (
            ""
            if not adjusted
            else "; its verdict uses the Holm-adjusted p"
            if len(left) == 1
            else f"; {adjusted} of their verdicts use the Holm-adjusted p"
        )
        items.append(
            f"The result for {codes} is given in the full report{holm}."
            if len(left) == 1
            else f"The results for {len(left)} more ({codes}) are given in the full report{holm}."
        )
    if primary is not None:
        value = cost_per_outcome(detail, primary)
        if isinstance(value, CostPerOutcome):
            items.append("Value for money: " + value.sentence())
    for recorded in detail.lessons if lesson else ():
        if recorded.failure_kind:
            kind = recorded.failure_kind.replace("_", " ")
            what = (
                recorded.what_happened
                if sentences is None
                else first_sentences(recorded.what_happened, 1)
            )
            items.append(f"Why ({kind} failure): {what}")
            break
    if sentences is None and len(items) < 3 and detail.pilot.delivery_summary:
        items.append(f"What happened: {first_sentences(detail.pilot.delivery_summary, 1)}")
    return tuple(items)


def code_list(codes: list[str]) -> str:
    """Codes for a sentence; a run of three or more in sequence as a range ("H2 to H12")."""
    numbers_of = [re.fullmatch(r"([A-Za-z]*)(\d+)", c) for c in codes]
    if len(codes) >= 3 and all(numbers_of):
        prefixes = {m.group(1) for m in numbers_of if m}
        values = [int(m.group(2)) for m in numbers_of if m]
        if len(prefixes) == 1 and values == list(range(values[0], values[0] + len(values))):
            return f"{codes[0]} to {codes[-1]}"
    return ", ".join(codes)


def _adjusted_count(hypotheses: list[HypothesisDetail]) -> int:
    return sum(1 for h in hypotheses if adjusted_p(h) is not None)
