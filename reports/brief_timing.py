"""A brief's timing, derived from the pilot's dates: urgent (by when, and why) or routine.

A brief is urgent when a procurement in the pipeline is due to start this financial year (it
must start by 31 March), or when a pilot contract ends (and with it any break clause) within
eight weeks. Otherwise it is routine, and section 3 says what is coming and when.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from reports import numbers
from testlearn.domain.pilot_detail import PilotDetail

#: How near a contract end makes a brief urgent: a private office needs about eight weeks to
#: clear a decision before the date it has to be taken by.
URGENT_WITHIN = dt.timedelta(weeks=8)


@dataclass(frozen=True)
class Deadline:
    """A date the decision must be taken by, and why."""

    by: dt.date
    why: str


def end_of_financial_year(day: dt.date) -> dt.date:
    """31 March of the financial year ``day`` falls in."""
    return dt.date(day.year + 1 if day.month >= 4 else day.year, 3, 31)


def deadlines(detail: PilotDetail, today: dt.date) -> list[Deadline]:
    """The near dates that make a brief urgent, soonest first."""
    found = []
    this_year = numbers.financial_year(today)
    for contract in detail.procurements:
        if contract.pipeline_year == this_year:
            value = f", {numbers.money(contract.contract_value)}" if contract.contract_value else ""
            found.append(
                Deadline(
                    end_of_financial_year(today),
                    f"the next contract (in the pipeline for {this_year}{value}) must start "
                    "procurement this financial year",
                )
            )
        end = contract.contract_end
        if not contract.pipeline_year and end and today <= end <= today + URGENT_WITHIN:
            why = "the pilot contract ends then"
            if contract.break_clause:
                why += ", and with it the break clause"
            found.append(Deadline(end, why))
    return sorted(found, key=lambda d: d.by)


def header_timing(detail: PilotDetail, today: dt.date) -> str:
    """The header's timing line: "Urgent: by <date>: <why>", or "Routine"."""
    found = deadlines(detail, today)
    if not found:
        return "Routine"
    first = found[0]
    return f"Urgent: by {numbers.long_date(first.by)}: {first.why}"


def timing(
    detail: PilotDetail, today: dt.date, *, short: bool = False, shortest: bool = False
) -> str:
    """Section 3: why now (or why this can wait), the contract dates and the registry entry.

    ``short`` leaves out the pipeline and break clause (the Argument and the header say
    them), ``shortest`` the contract dates too: why now and the registry always stay.
    """
    found = deadlines(detail, today)
    this_year = numbers.financial_year(today)
    if found:
        parts = [
            f"Urgent: a decision is needed by {numbers.long_date(found[0].by)}, because "
            f"{found[0].why}."
        ]
    else:
        parts = [
            "Routine: nothing falls due this financial year or within eight weeks."
            if shortest
            else "Routine: no procurement must start this financial year and no pilot contract "
            "ends within eight weeks."
        ]
    for contract in detail.procurements:
        if contract.pipeline_year and not short and contract.pipeline_year != this_year:
            value = f", {numbers.money(contract.contract_value)}" if contract.contract_value else ""
            parts.append(
                f"The next contract ({contract.name or 'follow-on'}{value}) is in the pipeline "
                f"for {contract.pipeline_year}."
            )
        elif contract.contract_end and not contract.pipeline_year and not shortest:
            tense = "ends" if contract.contract_end >= today else "ended"
            parts.append(
                f"The pilot contract {tense} on {numbers.long_date(contract.contract_end)}."
            )
            if contract.break_clause and contract.contract_end >= today and not short:
                parts.append(f"Break clause: {contract.break_clause.rstrip('.')}.")
    registry = detail.pilot.registry_id
    parts.append(
        f"The results should be added to Evaluation Registry entry {registry}."
        if registry
        else "The results must go on the Evaluation Registry, where no entry is recorded yet."
    )
    return " ".join(parts)
