"""Risks, handling and the lines to take of a brief: what a private office says when asked."""

from __future__ import annotations

from collections.abc import Iterable

from reports import numbers
from reports.design_weakness import principal_weakness
from reports.facts import pilot_cost
from reports.options import decision_taken
from reports.other_findings import secondary_harms, theory_failures
from reports.plan_record import set_in_advance
from reports.verdict_words import comparison_of, result_line, result_sentence, verbs
from reports.wording import decision_phrase, first_sentences, lower_first, plain_caveat
from testlearn.domain.pilot_detail import HypothesisDetail, PilotDetail
from testlearn.domain.views import ComparatorView


def primary_hypothesis(detail: PilotDetail) -> HypothesisDetail | None:
    """The registered primary hypothesis (else the first registered one), if any."""
    registered = [h for h in detail.hypotheses if h.registered]
    primaries = [h for h in registered if h.hypothesis.role == "primary"]
    found = primaries or registered
    return found[0] if found else None


def primary_plain(h: HypothesisDetail | None, comparators: Iterable[ComparatorView] = ()) -> str:
    """The primary result in plain words, or why there is none (the comparators, where given,
    say whether it was measured against a group, the period before or a benchmark)."""
    if h is None:
        return "No hypothesis was registered, so there is no result."
    if h.current_result is None and h.result is None:
        return f"There is no result yet for {h.hypothesis.outcome_name or 'the primary outcome'}."
    return result_sentence(h, comparators)


def risks(detail: PilotDetail, primary: HypothesisDetail | None) -> tuple[str, ...]:
    items: list[str] = []
    if primary is not None and primary.current_result is not None:
        caveats = [c for c in (plain_caveat(w) for w in primary.current_result.warnings) if c]
        # The design's standing weakness first, from the same source as the full report's
        # limitations (the engine's warnings say nothing of, say, matching's blind spot). It
        # opens the first evidence point, so a brief shortened to first sentences keeps it.
        weakness = principal_weakness(detail, short=True)
        if weakness:
            caveats = [" ".join([weakness, *caveats[:1]]), *caveats[1:]]
        items.extend(f"Evidence: {c}" for c in caveats[:2])
    partners = detail.pilot.partner_organisations
    items.append(
        "Publication: the results and lessons will be published, including what did not work."
    )
    if partners:
        items[-1] += f" Tell {join_names(partners)} first."
    if not expects_u_turn(detail, primary):
        items.append("Parliament: expect questions on the cost and timetable of the roll-out.")
    else:
        items.append(
            # The answer rides with the warning, so that a brief short of room, which may
            # leave out the U-turn line to take, still gives it.
            "Parliament: expect questions on the money spent and on whether this is a U-turn, "
            "which it is not: we said we would test before scaling and follow the evidence."
        )
    return tuple(items)


def expects_u_turn(detail: PilotDetail, primary: HypothesisDetail | None) -> bool:
    """Whether Parliament will ask "is this a U-turn?" rather than about a roll-out.

    The questions follow what was decided when it is recorded (a success that is adapted and
    re-tested draws the U-turn question); else the primary verdict.
    """
    decision = decision_taken(detail)
    if decision is not None:
        return decision.kind not in ("scale", "scale_adapted", "extend")
    verdict = primary.current_result.verdict if primary and primary.current_result else None
    return verdict != "success"


def _set_out(primary: HypothesisDetail | None) -> str:
    """When success was defined, said only as far as the record bears it out."""
    if primary is None:
        return "What would count as success has not yet been registered."
    # "We set out on ... what success would look like" is said only when it is true: the
    # registration, and any change to what success means, came before the first outcome data.
    registered = set_in_advance(primary)
    if registered:
        return f"We set out on {registered}, before any results, what success would look like."
    return "What success meant was recorded only after the first results were in."


def lines_to_take(
    detail: PilotDetail, primary: HypothesisDetail | None
) -> tuple[tuple[str, str], ...]:
    """Questions a minister may be asked, with answers that are true and can be said aloud.

    "What will you do differently?" comes second, so that a brief shortened from the end
    keeps it whenever a lesson is recorded.
    """
    pairs = [_first_line(detail, primary)]
    differently = _differently(detail)
    if differently:
        pairs.append(("What will you do differently?", differently))
    decision = decision_taken(detail)
    pairs.append(
        (
            "Is this a U-turn?",
            "No. We said we would test before scaling and follow the evidence. "
            + (
                f"The decision to {decision_phrase(decision.kind)} is that evidence being used."
                if decision is not None
                else "The decision on what happens next will be taken on this evidence."
            ),
        )
    )
    pairs.append(("How do we know the results were not massaged?", _not_massaged(primary)))
    return tuple(pairs)


def _first_line(detail: PilotDetail, primary: HypothesisDetail | None) -> tuple[str, str]:
    cost = pilot_cost(detail)
    spend = numbers.money(cost) if cost is not None else "money"
    spending = f", spending {numbers.money(cost)}" if cost is not None else ""
    national = detail.pilot.national_rollout_cost
    scale = f" rather than {numbers.money(national)} on a national roll-out" if national else ""
    small = f"We tested it on a small scale first{spending}{scale}."
    if primary is None or primary.current_result is None:
        no_result = (
            "No hypothesis has been registered yet, so there is no result to report."
            if primary is None
            else "There is no current result yet; it will be judged against the plan "
            "registered for it."
        )
        return (f"Why spend {spend} on a pilot?", f"{small} {no_result}")
    verdict = primary.current_result.verdict
    line = result_line(primary, detail.comparators)
    extra = "".join(
        f" One secondary measure, {h.hypothesis.outcome_name}, "
        f"{verbs(h.plan.direction, comparison_of(h, detail.comparators))[1]}."
        for h in secondary_harms(detail)
    ) + "".join(
        f" But the theory behind it did not hold: {lower_first(t.rstrip('.'))}."
        for t in theory_failures(detail)[:1]
    )
    if verdict == "success":
        commit = (
            f" before committing {numbers.money(national)} to it nationally" if national else ""
        )
        return (
            f"Why spend {spend} on a pilot rather than roll it out straight away?",
            f"To find out what it does{commit}. {_set_out(primary)} {line}{extra}",
        )
    if verdict in ("harm", "no_meaningful_effect"):
        return (
            f"Why did you spend {spend} on something that did not work?",
            f"{small} {_set_out(primary)} {line}{extra} Finding that out on a small scale is "
            "the point of testing.",
        )
    return (
        f"Why spend {spend} on a pilot that did not give a clear answer?",
        f"{small} {_set_out(primary)} {line}{extra} The next step is designed to give a "
        "clear answer before any national roll-out.",
    )


def _differently(detail: PilotDetail) -> str | None:
    """What the lessons say will change: a recommendation, else what happened."""
    ordered = sorted(
        detail.lessons, key=lambda x: (x.went_well, x.applies_to != "cross_government")
    )
    theory = [x for x in ordered if x.failure_kind == "theory" and x.recommendation]
    for lesson in [*theory, *ordered]:
        if lesson.recommendation:
            return first_sentences(lesson.recommendation, 2)
    for lesson in ordered:
        if lesson.what_happened:
            return f"We have recorded what we learned: {lower_first(lesson.what_happened)}"
    return None


def _not_massaged(primary: HypothesisDetail | None) -> str:
    if primary is None:
        return (
            "What counts as success has not yet been registered, so there is no result to "
            "check. Registering it before any outcome data are added is what makes the test fair."
        )
    registered = set_in_advance(primary)
    if registered and primary.current_result is None:
        # No figures yet: the line says what they will be checked against, not that they were.
        return (
            f"What counts as success was registered on {registered}, before any outcome data; "
            "the results, when they come, will be judged against it."
        )
    if registered:
        return (
            f"What counted as success was registered on {registered}, before the data, with "
            "a tamper-evident fingerprint, printed at the end of this brief, against which "
            "anyone can check each figure."
        )
    return (
        "What counted as success was recorded only after the first results were in, so this "
        "is not a test fixed in advance, and the result should be read with that in mind."
    )


_NUMBER_WORDS = frozenset(
    [
        "one",
        "two",
        "three",
        "four",
        "five",
        "six",
        "seven",
        "eight",
        "nine",
        "ten",
        "eleven",
        "twelve",
        "twenty",
        "thirty",
    ]
)


def join_names(names: list[str]) -> str:
    """Names joined for a sentence; "Six pilot trusts" reads "six pilot trusts" mid-sentence."""
    names = [lower_first(n) if n.split(" ", 1)[0].casefold() in _NUMBER_WORDS else n for n in names]
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]
