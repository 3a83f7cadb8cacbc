"""Free text with its commercially sensitive sentences withheld, for a report without them.

The sensitive fields of a contract are left out of reports unless the user includes them;
this withholds the same figures where people wrote them into free text (lessons, summaries,
rationales), sentence by sentence, so a report that says they are withheld is true. What
counts as sensitive is decided in ``testlearn.domain.commercial_text``.
"""

from __future__ import annotations

import dataclasses
import threading
from collections.abc import Sequence
from typing import Any, TypeVar

from testlearn.domain.commercial_text import (
    WithheldValue,
    pilot_withheld,
    withheld_values,
    withhold_sentences,
)
from testlearn.domain.marking import handling_line
from testlearn.domain.pilot_detail import PilotDetail
from testlearn.domain.pilot_report import PilotReport

#: Text fields that are names, codes or fingerprints, never prose.
_NOT_PROSE = frozenset(
    {
        "rev",
        "reference",
        "code",
        "field",
        "content_hash",
        "registration_hash",
        "data_fingerprint",
        "fingerprint",
        "source_sha256",
        "input_hash",
        "hypothesis_rev",
        "engine_version",
        "method",
        "shape",
    }
)
_View = TypeVar("_View")

#: The reports withheld lately, by identity, each with its copy: a brief is made at several
#: steps of shortening from the same report, and withholding its free text anew at each step
#: was a fifth of the time its content took. Reports are frozen, so a copy stays true; each
#: is kept with its report, so the identity is not reused while it is here.
_withheld: dict[int, tuple[PilotReport, PilotReport]] = {}
_WITHHELD_KEPT = 8
_withheld_lock = threading.Lock()


def pilot_withheld_values(detail: PilotDetail) -> tuple[WithheldValue, ...]:
    """The pilot's withheld values, less any the reports print anyway (budget, spend...)."""
    pilot = detail.pilot
    return pilot_withheld(
        detail.procurements,
        (pilot.budget, pilot.spend, pilot.national_rollout_cost),
        [c.amount for c in detail.costs],
    )


def commercial_handling(detail: PilotDetail, *, raised: bool) -> str:
    """The handling line of a pilot's document; ``raised`` when it prints commercial values."""
    figures = [v.label for v in withheld_values(detail.procurements)]
    pilot = detail.pilot
    return handling_line(
        pilot.handling_instructions,
        raised=raised,
        figures=figures,
        team=pilot.team or pilot.lead_organisation,
    )


def withhold_commercial(report: PilotReport, *, include_commercial: bool) -> PilotReport:
    """``report`` as it is with ``include_commercial``; otherwise a copy whose free text has
    each sentence holding a withheld value, or a price beside a bid word, withheld."""
    if include_commercial:
        return report
    with _withheld_lock:
        kept = _withheld.get(id(report))
    if kept is not None and kept[0] is report:
        return kept[1]
    detail = withheld_detail(report.detail)
    copy = report if detail is report.detail else dataclasses.replace(report, detail=detail)
    with _withheld_lock:
        while len(_withheld) >= _WITHHELD_KEPT:
            del _withheld[next(iter(_withheld))]
        _withheld[id(report)] = (report, copy)
    return copy


def withheld_detail(detail: PilotDetail) -> PilotDetail:
    """A copy of ``detail`` with the sensitive sentences of its free text withheld."""
    values = pilot_withheld_values(detail)
    kpis = tuple(
        dataclasses.replace(item, kpi=_view(item.kpi, values), ratings=_views(item.ratings, values))
        for item in detail.kpis
    )
    hypotheses = tuple(
        dataclasses.replace(
            h, hypothesis=_view(h.hypothesis, values), deviations=_views(h.deviations, values)
        )
        for h in detail.hypotheses
    )
    return dataclasses.replace(
        detail,
        pilot=_view(detail.pilot, values),
        procurements=_views(detail.procurements, values),
        kpis=kpis,
        comparators=_views(detail.comparators, values),
        hypotheses=hypotheses,
        costs=_views(detail.costs, values),
        lessons=_views(detail.lessons, values),
        decisions=_views(detail.decisions, values),
    )


def _views(views: Sequence[_View], values: Sequence[WithheldValue]) -> tuple[_View, ...]:
    return tuple(_view(v, values) for v in views)


def _view(view: _View, values: Sequence[WithheldValue]) -> _View:
    """``view`` with its prose fields withheld where sensitive; the same view if none was."""
    record: Any = view
    changes: dict[str, str] = {}
    for name in type(record).model_fields:
        text = getattr(record, name)
        if name in _NOT_PROSE or not isinstance(text, str):
            continue
        kept = withhold_sentences(text, values)
        if kept != text:
            changes[name] = kept
    return record.model_copy(update=changes) if changes else view
