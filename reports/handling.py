"""Risks, handling and the lines to take of a brief: what a private office says when asked."""

from __future__ import annotations

from reports import numbers
from reports.brief_numbering import PARAGRAPH
from reports.facts import latest_decision, pilot_cost
from reports.plan_record import set_in_advance
from reports.wording import decision_phrase, lower_first, plain_caveat, plain_finding
from testlearn.domain.pilot_detail import HypothesisDetail, PilotDetail


def primary_hypothesis(detail: PilotDetail) -> HypothesisDetail | None:
    registered = [h for h in detail.hypotheses if h.registered]
    primaries = [h for h in registered if h.hypothesis.role == "primary"]
    """The registered primary hypothesis (else the first registered one), if any."""
    found = primaries or registered
    return found[0] if found else None


def primary_plain(h: HypothesisDetail | None) -> str:
    """The primary result in plain words, or why there is none."""
    if h is None:
        return "No hypothesis was registered, so there is no result."
    result = h.current_result
    if result is None:
        return "There is no current result for the primary hypothesis."
    return plain_finding(
        result.verdict,
        result.grade,
        h.hypothesis.outcome_name,
        inconclusive_cause=result.detail.get("inconclusive_cause"),
        reason=result.detail.get("not_evaluable_reason"),
    )


def risks(detail: PilotDetail, primary: HypothesisDetail | None) -> tuple[str, ...]:
    items: list[str] = []
    if primary is not None and primary.current_result is not None:
        caveats = [c for c in (plain_caveat(w) for w in primary.current_result.warnings) if c]
        items.extend(f"Evidence: {c}" for c in caveats[:2])
    partners = detail.pilot.partner_organisations
    items.append(
        "Publication: the results and lessons will be published, including what did not work."
    )
    if partners:
        items[-1] += f" Tell {join_names(partners)} first."
    verdict = primary.current_result.verdict if primary and primary.current_result else None
    if verdict == "success":
        items.append("Parliament: expect questions on the cost and timetable of the roll-out.")
    else:
        items.append(
            "Parliament: expect questions on the money spent and on whether this is a U-turn; "
            f"see paragraph {PARAGRAPH['lines']}."
        )
    return tuple(items)


def _set_out(registered: str | None) -> str:
    if registered:
        return f"We set out on {registered}, before any results, what success would look like; "
    return "What success meant was recorded only after the first results were in; "


def lines_to_take(
    detail: PilotDetail, primary: HypothesisDetail | None
) -> tuple[tuple[str, str], ...]:
    pilot = detail.pilot
    cost = numbers.money(pilot_cost(detail))
    national = pilot.national_rollout_cost
    verdict = primary.current_result.verdict if primary and primary.current_result else None
    # "We set out on ... what success would look like" is said only when it is true: the
    # registration, and any change to what success means, came before the first outcome data.
    registered = set_in_advance(primary) if primary is not None else None
    finding = lower_first(primary_plain(primary).rstrip("."))
    scale = f" rather than {numbers.money(national)} on a national roll-out" if national else ""
    kind = latest_decision(detail)
    if verdict == "success":
        commit = (
            f" before committing {numbers.money(national)} to a national roll-out"
            if national
            else ""
        )
        first = (
            f"Why spend {cost} on a pilot rather than roll it out straight away?",
            f"Because a fair test, for {cost}, showed that it works{commit}. We set out on "
            f"{registered} what success would look like, and the pilot met it: {finding}."
            if registered
            else f"Because a test, for {cost}, found that {finding}{commit}. What success "
            "meant was recorded only after the first results were in, so the result is being "
            "checked independently before it is relied on.",
        )
    elif verdict in ("harm", "no_meaningful_effect"):
        first = (
            f"Why did you spend {cost} on something that did not work?",
            f"We tested it on a small scale first, spending {cost}{scale}. "
            + _set_out(registered)
            + f"the pilot showed that {finding}. Finding that out cheaply is the point of testing.",
        )
    else:
        first = (
            f"Why spend {cost} on a pilot that did not give a clear answer?",
            f"We tested it on a small scale first, spending {cost}{scale}. "
            + _set_out(registered)
            + f"the pilot showed that {finding}. The next step is designed to give a clear "
            "answer before any national roll-out.",
        )
    pairs = [first]
    pairs.append(
        (
            "Is this a U-turn?",
            f"No. We said we would test before scaling and follow the evidence. The decision to "
            f"{decision_phrase(kind)} is that evidence being used.",
        )
    )
    recommendations = [
        lesson.recommendation
        for lesson in sorted(detail.lessons, key=lambda x: x.applies_to != "cross_government")
        if lesson.recommendation and not lesson.went_well
    ]
    if recommendations:
        pairs.append(("What will you do differently?", recommendations[0]))
    pairs.append(
        (
            "How do we know the results were not massaged?",
            "What counted as success was registered before the data, with a tamper-evident "
            "fingerprint (see the citation block) against which anyone can check each figure.",
        )
    )
    return tuple(pairs)


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
