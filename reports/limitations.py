"""What the evidence does not show, from the record: one plain sentence per limitation.

A reviewer reads "Interpretation and limitations" to learn how far each result can be leaned
on. A stock caveat tells them nothing, so every sentence here comes from something recorded:
the engine's warnings and result detail (few clusters, an ICC assumed rather than estimated,
arm totals instead of individual rows, a shortfall, a sensitivity analysis that disagrees,
why an inconclusive result could not tell), the weakness of the design kind and its evidence
level, what the delivery account and the lessons say went differently (how much of the pilot
was actually used, creaming and parking, limits the team itself recorded), and changes made to
the plan after the data. The stock caveat is printed only when nothing specific is recorded.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from reports import plan_record
from reports.design_weakness import principal_weakness
from reports.detectable import detectable
from testlearn.domain.pilot_detail import HypothesisDetail, PilotDetail
from testlearn.domain.vocabulary import LessonCategory

STOCK = (
    "No specific limitation is recorded for this pilot. As for any pilot, the results hold "
    "for the sites, people and period of the pilot; they do not show what would happen "
    "elsewhere, at national scale or over a longer period."
)

_SHORTFALL = re.compile(
    r"Shortfall: ([\d,]+) units analysed in the (\w+) arm against ([\d,]+) planned "
    r"\((\d+)% short\)"
)
_SMALL_SHORTFALL = 10  # per cent: below this the achieved MDE barely moves, so it is not a limit
# Use of the pilot by those meant to deliver or receive it: "only 41% of practitioners used
# the app weekly". A share of 80% or more is taken as the pilot delivered.
_FIDELITY_WORDS = re.compile(
    r"\b(used|use|using|uptake|took up|attended|attendance|delivered|wore|wearing|completed|"
    r"adherence|fidelity|engaged)\b",
    re.IGNORECASE,
)
_PERCENT = re.compile(r"(\d+(?:\.\d+)?)%")
_FULL_DELIVERY = 80.0
_CREAMING = re.compile(r"\b(cream(?:ed|ing)?|park(?:ed|ing))\b", re.IGNORECASE)


@dataclass(frozen=True)
class Limitations:
    pilot: tuple[str, ...]
    hypotheses: tuple[tuple[str, tuple[str, ...]], ...]  # (heading, sentences)

    @property
    def specific(self) -> bool:
        return bool(self.pilot) or any(items for _, items in self.hypotheses)


def limitations(detail: PilotDetail) -> Limitations:
    """The limitations of the pilot and of each hypothesis's result, from the record."""
    return Limitations(
        pilot=tuple(_unique(_pilot_limits(detail))),
        hypotheses=tuple(
            (
                f"{h.hypothesis.code} ({h.hypothesis.role}): {h.hypothesis.outcome_name}",
                tuple(_unique(_hypothesis_limits(detail, h))),
            )
            for h in detail.hypotheses
        ),
    )


def _pilot_limits(detail: PilotDetail) -> Iterable[str]:
    pilot = detail.pilot
    weakness = principal_weakness(detail)  # the brief's risks say it too, shortened
    if weakness:
        yield weakness
    problems = [lesson for lesson in detail.lessons if not lesson.went_well]
    texts = [pilot.delivery_summary or "", *(lesson.what_happened for lesson in problems)]
    yield from _fidelity(texts)
    creaming = next((s for t in texts for s in _sentences(t) if _CREAMING.search(s)), None)
    if creaming:
        yield (
            f"Delivery was uneven ({_clause(creaming)}): the result is an "
            "average over people who did not all get the support as designed, and it does not "
            "show what the support achieves for those who were parked."
        )
    for lesson in problems:
        if lesson.category == LessonCategory.DATA_AND_EVALUATION.value:
            yield f"The team records this limit of the evaluation: {_clause(lesson.what_happened)}."


def _fidelity(texts: Iterable[str]) -> Iterable[str]:
    seen: set[str] = set()
    for text in texts:
        for sentence in _sentences(text):
            if not _FIDELITY_WORDS.search(sentence):
                continue
            shares = [m for m in _PERCENT.findall(sentence) if float(m) < _FULL_DELIVERY]
            if not shares or shares[0] in seen:
                continue
            seen.add(shares[0])
            yield (
                f"The pilot was not delivered as designed ({_clause(sentence)}): the result "
                "is the effect of the pilot at that level of use, and it does not show what "
                "the pilot would achieve if delivered in full."
            )


def _hypothesis_limits(detail: PilotDetail, h: HypothesisDetail) -> Iterable[str]:
    hyp = h.plan
    if not h.registered:
        yield (
            "It is not registered: nothing on record shows what success meant before the "
            "data were seen."
        )
    elif not h.registered_before_data:
        yield (
            "It was registered only after outcome data had been added: the registration does "
            "not show that success was defined before the results were seen."
        )
    for change in h.post_hoc_changes:
        changed = plan_record.change_words(h, change)
        yield (
            f"What counts as success was changed after the data ({changed}): "
            "a result under the changed plan is not a test set out in advance, so the "
            "verdict given is against the plan as registered."
        )
    level = hyp.evidence_level
    if level is None:
        yield "No evidence level is recorded, so the result makes no causal claim."
    elif level <= 2:
        yield (
            f"The evidence is at level {level} of 5 on the Maryland Scale: the design cannot rule "
            "out other explanations, so the result shows an association, not that the pilot "
            "caused it."
        )
    if hyp.design == "benchmark":
        yield (
            "It is compared with a fixed benchmark, not with a comparison group: it does not "
            "show how the pilot did against what would have happened without it."
        )
    result = h.current_result
    if result is None:
        why = h.stale_reason or ("not analysed yet" if h.registered else "not registered")
        yield f"There is no current result ({why}), so nothing can be concluded from it."
        return
    mdes = detectable(h)
    cause = result.detail.get("inconclusive_cause")
    if cause and cause != "unknown":
        yield (
            "The result is inconclusive because "
            + {
                "by_design": "the pilot was too small by design",
                "by_shortfall": "the pilot fell short of its planned size",
                "by_design_and_shortfall": "the pilot was too small by design and fell short "
                "of its planned size",
                "noisier_than_planned": "the data were noisier than the plan assumed",
            }.get(str(cause), str(cause).replace("_", " "))
            + f" (design MDE {mdes.design_text}, achieved MDE {mdes.achieved_text}): "
            "it does not show that the pilot does not work, only that a worthwhile effect "
            "could have been missed."
        )
    for warning in result.warnings:
        sentence = _warning(warning, mdes.design_text, mdes.achieved_text)
        if sentence:
            yield sentence
    dataset = h.dataset
    if dataset is not None and dataset.shape == "aggregate":
        run = any(s.get("ci_low") is not None for s in result.detail.get("sensitivity", []))
        yield (
            "The data were arm totals, not individual rows: the result cannot be checked for "
            "outliers, for who benefited and who did not, or for differences between the "
            "groups at the start" + ("." if run else ", and no sensitivity analysis could be run.")
        )
    clustering = str(result.detail.get("clustering") or "")
    if hyp.icc is not None and "ICC" in clustering:
        yield (
            f"Clustering was allowed for with the ICC of {hyp.icc:g} assumed at registration, "
            "not one estimated from the data: if the true ICC is larger, the interval is too "
            "narrow and the result less certain than it reads."
        )
    yield from _sensitivity(detail, h)


def _warning(warning: str, design: str, achieved: str) -> str | None:
    if warning.startswith("Evidence level SMS") or warning.startswith("No evidence level"):
        return None  # said once, from the evidence level
    if warning.startswith("Only ") and "clusters in an arm" in warning:
        count = warning.split()[1]
        return (
            f"There were only {count} clusters in an arm: even an interval that allows for "
            "clustering is unreliable with so few, so the interval is probably too narrow."
        )
    if warning.startswith("The design is clustered but the analysis does not account"):
        return (
            "The design is clustered but the analysis does not allow for it: the interval is "
            "too narrow and the p-value too small, so the result is less certain than it reads."
        )
    shortfall = _SHORTFALL.match(warning)
    if shortfall:
        n, arm, planned, short = shortfall.groups()
        if int(short) < _SMALL_SHORTFALL:
            return None
        return (
            f"{n} units were analysed in the {arm} arm against {planned} planned ({short}% "
            f"short): the achieved MDE is {achieved}, against a design MDE of {design}, so an "
            f"effect smaller than {achieved} would probably not have shown."
        )
    if warning.startswith("Shortfall:"):
        return None  # under 1% short
    if warning.startswith("Exploratory hypothesis"):
        return "It is exploratory: the result suggests ideas and does not test them."
    return f"The analysis warns: {warning}"


def _sensitivity(detail: PilotDetail, h: HypothesisDetail) -> Iterable[str]:
    result = h.current_result
    if result is None or result.ci_low is None or result.ci_high is None:
        return
    null = 1.0 if h.plan.outcome_type == "count" else 0.0
    main = result.ci_low > null or result.ci_high < null
    for s in result.detail.get("sensitivity", []):
        low, high = s.get("ci_low"), s.get("ci_high")
        if not isinstance(low, int | float) or not isinstance(high, int | float):
            continue
        if (low > null or high < null) != main:
            said = "does not rule out" if main else "rules out"
            yield (
                f"The sensitivity analysis ({s.get('method')}) {said} no effect, unlike the "
                "main analysis: the result depends on how the data are analysed."
            )


def _sentences(text: str) -> list[str]:
    return [s.strip() for s in re.split(r"(?<=[.;])\s+", text or "") if s.strip()]


def _clause(sentence: str) -> str:
    """A recorded sentence as a clause inside another: no final stop, first letter lowered
    unless it starts a name or a number."""
    clause = sentence.strip().rstrip(".;")
    if clause[:1].isupper() and not clause[1:2].isupper():
        clause = clause[:1].lower() + clause[1:]
    return clause


def _unique(items: Iterable[str]) -> list[str]:
    out: list[str] = []
    for item in items:
        if item not in out:
            out.append(item)
    return out
