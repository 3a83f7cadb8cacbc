"""Section 5 of the full report, the commercial approach: each contract as sentences a reader
can quote, its recorded facts only.

A fact not recorded is never printed as a dash or "None": a let contract names what is missing
once, in one row ("Not recorded: bids received; payment mechanism"); a contract still in the
pipeline leaves out what cannot exist before it is let (bids, outturn). Yes-or-no fields read
as sentences ("No commercial specialist managed the contract").
"""

from __future__ import annotations

from reports import numbers
from reports.blocks import Block, Section, Table, Text
from reports.wording import lower_first, term_label
from testlearn.domain.pilot_detail import PilotDetail
from testlearn.domain.portfolio import kpi_reasons
from testlearn.domain.views import ProcurementView
from testlearn.domain.vocabulary import (
    Accreditation,
    EngagementMethod,
    PaymentMechanism,
    ProcurementRoute,
)

WITHHELD = "withheld from this copy (commercially sensitive)"


def commercial(detail: PilotDetail, include_commercial: bool) -> Section:
    blocks: list[Block] = [_contract(c, include_commercial) for c in detail.procurements]
    if not detail.procurements:
        blocks.append(Text("No procurement is recorded."))
    elif not include_commercial and any(_sensitive(c) for c in detail.procurements):
        blocks.append(Text("Commercially sensitive figures are withheld from this copy."))
    blocks.append(Text(kpi_sentence(detail)))
    return Section("Commercial approach", tuple(blocks), 5)


def _contract(c: ProcurementView, include_commercial: bool) -> Table:
    planned = c.pipeline_year is not None
    rows: list[tuple[str, str]] = []
    missing: list[str] = []

    def add(label: str, value: str | None, *, needed: bool = True) -> None:
        if value:
            rows.append((label, value))
        elif needed:
            missing.append(lower_first(label))

    add("Stage", _stage(c), needed=False)
    route = term_label(ProcurementRoute, c.route) if c.route else None
    if route and c.direct_award_justification:
        route += f", a direct award because {lower_first(c.direct_award_justification)}"
    add("Procurement route", route)
    value = numbers.money(c.contract_value, unknown="")
    add("Estimated contract value" if planned else "Contract value", value)
    add("Market engagement", _engagement(c), needed=not planned)
    add("What changed after engagement", c.engagement_changes, needed=not planned)
    bids = numbers.plural(c.bidders, "bid") if c.bidders is not None else None
    add("Bids received", bids, needed=not planned)
    prices = _prices(c, include_commercial)
    if prices:
        rows.append(prices)
    add("Payment", _payment(c))
    add("Contract manager", _manager(c, planned=planned))
    add("Break clause", c.break_clause, needed=False)
    if missing:
        rows.append(("Not recorded", "; ".join(missing)[:1].upper() + "; ".join(missing)[1:]))
    return Table(("Contract", c.name or "Contract not named"), tuple(rows), (0.3, 0.7))


def _stage(c: ProcurementView) -> str | None:
    if c.pipeline_year is not None:
        return f"Not yet let: in the procurement pipeline for {c.pipeline_year}"
    period = ""
    if c.contract_start and c.contract_end:
        period = (
            f", running from {numbers.long_date(c.contract_start)} "
            f"to {numbers.long_date(c.contract_end)}"
        )
    elif c.contract_start:
        period = f", from {numbers.long_date(c.contract_start)}"
    if c.supplier:
        return f"Let to {_supplier(c.supplier)}{period}"
    return f"Let{period}" if period else None


def _supplier(name: str) -> str:
    """A supplier as it reads after "Let to": a description ("Existing electronic monitoring
    supplier", "Three regional installers") in lower case, a name ("WarmWorks Consortium",
    "Pathways to Work Partnership", "Capita") as it is written."""
    words = name.split()
    if len(words) > 1 and not any(w[:1].isupper() for w in words[1:]):
        return lower_first(name)
    return name


def _engagement(c: ProcurementView) -> str | None:
    methods = [term_label(EngagementMethod, m) for m in c.engagement_methods]
    listed = _and([methods[0], *(lower_first(m) for m in methods[1:])]) if methods else ""
    who = ""
    if c.suppliers_engaged is not None:
        who = numbers.plural(c.suppliers_engaged, "supplier")
        if c.smes_engaged is not None:
            who += f" ({numbers.count(c.smes_engaged)} of them SMEs)"
    if listed and who:
        return f"{listed}, with {who}"
    if who:
        return f"{who[:1].upper()}{who[1:]} engaged"
    return listed or None


def _prices(c: ProcurementView, include_commercial: bool) -> tuple[str, str] | None:
    named = (
        ("should-cost", c.should_cost),
        ("winning bid", c.winning_bid),
        ("outturn", c.outturn_cost),
    )
    recorded = [(name, value) for name, value in named if value is not None]
    if not recorded:
        return None
    label = _and([name for name, _ in recorded]).capitalize()
    if not include_commercial:
        return label, WITHHELD.capitalize()
    # In the label's order, as a sentence gives figures: "£6.1m, £6.8m and £4.62m".
    return label, _and([numbers.money(value) for _, value in recorded])


def _payment(c: ProcurementView) -> str | None:
    if not c.payment_mechanism:
        return None
    text = term_label(PaymentMechanism, c.payment_mechanism)
    if c.share_at_risk_pct:
        text += f", with {c.share_at_risk_pct:g}% of payment at risk"
    return text


def _manager(c: ProcurementView, *, planned: bool) -> str | None:
    parts = []
    if c.contract_manager:
        accreditation = c.contract_manager_accreditation
        if accreditation == Accreditation.NONE.value:
            parts.append(f"{c.contract_manager}, without contract management accreditation")
        elif accreditation:
            level = term_label(Accreditation, accreditation).lower()
            parts.append(f"{c.contract_manager}, accredited at {level} level")
        else:
            parts.append(c.contract_manager)
    if c.commercial_specialist is True:
        parts.append(f"a commercial specialist {'is to manage' if planned else 'managed'} it")
    elif c.commercial_specialist is False:
        named = "is named to manage" if planned else "managed"
        parts.append(f"no commercial specialist {named} it")
    if not parts:
        return None
    text = "; ".join(parts)
    return text[:1].upper() + text[1:] + "."


def _sensitive(c: ProcurementView) -> bool:
    return any(v is not None for v in (c.should_cost, c.winning_bid, c.outturn_cost))


def kpi_sentence(detail: PilotDetail) -> str:
    """How many KPIs there are and which measure only inputs or outputs, in agreement."""
    total = len(detail.kpis)
    if not total:
        return "No KPIs are recorded."
    weak = [
        k.kpi.name
        for k in detail.kpis
        if kpi_reasons(k.kpi.level, k.kpi.mission_alignment, k.kpi.mission)
    ]
    counted = f"{numbers.plural(total, 'KPI')} {'is' if total == 1 else 'are'} recorded (Annex B)"
    if not weak:
        return f"{counted}; each measures an outcome linked to a mission."
    if len(weak) == 1:
        which = "it measures" if total == 1 else "1 of them measures"
        return (
            f"{counted}; {which} an input or output rather than an outcome, or is not (or only "
            f"weakly) linked to a mission: {weak[0]}."
        )
    which = "all of them" if len(weak) == total else f"{len(weak)} of them"
    return (
        f"{counted}; {which} measure inputs or outputs rather than outcomes, or are not (or only "
        f"weakly) linked to a mission: {'; '.join(weak)}."
    )


def _and(items: list[str]) -> str:
    """'a', 'a and b', 'a, b and c'."""
    if len(items) <= 1:
        return "".join(items)
    return ", ".join(items[:-1]) + " and " + items[-1]
