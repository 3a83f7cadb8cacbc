"""The options table of a brief: scale, adapt and re-test, or stop, with cost, risk, evidence."""

from __future__ import annotations

from reports import numbers
from reports.blocks import Table
from reports.facts import latest_decision, pilot_cost
from reports.wording import option_of, verdict_label
from testlearn.domain.pilot_detail import HypothesisDetail, PilotDetail

_RISK_OF_SCALING = {
    "success": "Low: a worthwhile effect was shown.",
    "non_inferior": "Medium: no worse than now, but a worthwhile gain was not shown.",
    "inconclusive": "High: the pilot could not tell whether it works.",
    "no_meaningful_effect": "High: the pilot made no worthwhile difference.",
    "harm": "Very high: the pilot made things worse.",
}
_RISK_OF_STOPPING = {
    "success": "Gives up a benefit the pilot showed.",
    "non_inferior": "Gives up an option that was no worse than now.",
    "inconclusive": "May give up something that works.",
    "no_meaningful_effect": "Low: the pilot made no worthwhile difference.",
    "harm": "Low: the pilot made things worse.",
}


def options_table(detail: PilotDetail, primary: HypothesisDetail | None) -> Table:
    """Three options with cost, risk and evidence; the recorded decision marked recommended."""
    result = primary.current_result if primary is not None else None
    verdict = result.verdict if result is not None else "not_analysed"
    evidence = verdict_label(verdict)
    national = detail.pilot.national_rollout_cost
    planned = [p for p in detail.procurements if p.pipeline_year and p.contract_value]
    next_stage = (
        f"{numbers.money(planned[0].contract_value)} (next contract, {planned[0].pipeline_year})"
        if planned
        else f"About {numbers.money(pilot_cost(detail))} again (a second pilot)"
    )
    recommended = option_of(latest_decision(detail))
    options = [
        (
            "Scale",
            f"About {numbers.money(national)} (national roll-out)" if national else "Not estimated",
            _RISK_OF_SCALING.get(verdict, "Unknown: there is no current result."),
        ),
        (
            "Adapt and re-test",
            next_stage,
            "Delay, but the fix is tested before money is committed.",
        ),
        ("Stop", "No further cost", _RISK_OF_STOPPING.get(verdict, "Unknown.")),
    ]
    rows = []
    strong = set()
    for i, (name, cost, risk) in enumerate(options):
        label = f"{name} (recommended)" if name == recommended else name
        if name == recommended:
            strong.add(i)
        rows.append((label, cost, risk, evidence))
    return Table(
        ("Option", "Cost", "Risk", "Evidence from the pilot"),
        tuple(rows),
        (0.2, 0.26, 0.36, 0.18),
        strong_rows=frozenset(strong),
    )
