"""The options table of a brief: scale, adapt and re-test, or stop, with cost, risk, evidence.

The recommended option is the decision taken, and its cost is the cost of the decided step:
the contract in the commercial pipeline (DESNZ-TL-005's £28m regional contract, not the £265m
national roll-out). A cost that is not recorded is "Not estimated", never worked out from
something else; stopping is "no further cost" only when nothing is in the pipeline.
"""

from __future__ import annotations

import datetime as dt

from reports import numbers
from reports.blocks import Table
from reports.other_findings import secondary_harms, theory_failures
from reports.verdict_words import result_words
from reports.wording import option_of, term_label
from testlearn.domain.pilot_detail import HypothesisDetail, PilotDetail
from testlearn.domain.views import DecisionView, ProcurementView
from testlearn.domain.vocabulary import DecisionKind

NOT_ESTIMATED = "Not estimated"


def decision_taken(detail: PilotDetail) -> DecisionView | None:
    """The latest decision by date (undated ones count as oldest), as ``latest_decision``."""
    if not detail.decisions:
        return None
    ordered = enumerate(detail.decisions)
    return max(ordered, key=lambda item: (item[1].decided_on or dt.date.min, item[0]))[1]


def pipeline(detail: PilotDetail) -> tuple[ProcurementView, ...]:
    """Procurements planned for a financial year ahead: the next step's contracts."""
    return tuple(p for p in detail.procurements if p.pipeline_year)


def step_cost(detail: PilotDetail) -> str | None:
    """The cost of the decided step from the pipeline, or None if none is costed."""
    costed = [p for p in pipeline(detail) if p.contract_value]
    if not costed:
        return None
    return "; ".join(
        f"{numbers.money(p.contract_value)} (next contract, {p.pipeline_year})" for p in costed
    )


def options_table(detail: PilotDetail, primary: HypothesisDetail | None) -> Table:
    """Three options with cost, risk and evidence; the decision taken marked recommended."""
    decision = decision_taken(detail)
    chosen = option_of(decision.kind if decision else None)
    found = result_words(primary) if primary is not None else None
    national = detail.pilot.national_rollout_cost
    step = step_cost(detail)
    costs = {
        "Scale": f"About {numbers.money(national)} (national roll-out)"
        if national
        else NOT_ESTIMATED,
        "Adapt and re-test": NOT_ESTIMATED,
        "Stop": "No further cost recorded",
    }
    if step is not None and chosen:
        costs[chosen] = step
    elif step is not None and not chosen:
        costs["Adapt and re-test"] = f"{step}, in the pipeline"
    risks = {
        "Scale": found.risk_scaling if found else "Unknown: there is no result.",
        "Adapt and re-test": "Delay, but the change is tested before money is committed.",
        "Stop": found.risk_stopping if found else "Unknown: there is no result.",
    }
    low = risks["Scale"].startswith("Low:")
    if low and (secondary_harms(detail) or theory_failures(detail)):
        # A headline gain is not a low risk when a secondary measure moved the wrong way or
        # the theory behind it did not hold: the benefit may not follow at scale.
        risks["Scale"] = (
            "Medium:"
            + risks["Scale"].removeprefix("Low:").rstrip(".")
            + (", but not on everything.")
        )
    evidence = _evidence(detail, primary)
    rows = []
    strong = set()
    for i, name in enumerate(("Scale", "Adapt and re-test", "Stop")):
        title = name
        if name == chosen and decision is not None:
            kind = term_label(DecisionKind, decision.kind)
            title = f"{kind} (recommended)" if kind != name else f"{name} (recommended)"
            strong.add(i)
        rows.append((title, costs[name], risks[name], evidence[name]))
    return Table(
        ("Option", "Cost", "Risk", "Evidence from the pilot"),
        tuple(rows),
        (0.2, 0.22, 0.32, 0.26),
        strong_rows=frozenset(strong),
    )


def _evidence(detail: PilotDetail, primary: HypothesisDetail | None) -> dict[str, str]:
    """What the evidence says for each option, secondary harms and theory failures included."""
    if primary is None:
        headline = "No registered hypothesis, so no result."
    else:
        headline = f"{primary.hypothesis.code}: {result_words(primary).label.lower()}."
    harms = [
        f"{h.hypothesis.code}: {result_words(h).label.lower()}." for h in secondary_harms(detail)
    ]
    theory = theory_failures(detail)
    against = " ".join(
        [
            *harms,
            *(["The theory behind it did not hold."] if theory else []),
        ]
    )
    changes = sum(1 for x in detail.lessons if x.recommendation and not x.went_well)
    adapt = (
        f"{numbers.plural(changes, 'lesson')} say what to change."
        if changes > 1
        else "1 lesson says what to change."
        if changes
        else "No lesson recorded says what to change."
    )
    stop = headline + (
        " Avoids the risk of the loss on "
        + ", ".join(h.hypothesis.code for h in secondary_harms(detail))
        + "."
        if harms
        else ""
    )
    return {
        "Scale": " ".join(part for part in (headline, against) if part),
        "Adapt and re-test": adapt,
        "Stop": stop,
    }
