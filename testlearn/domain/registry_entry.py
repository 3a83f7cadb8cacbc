"""A pilot's entry in the Evaluation Registry: checked against the registry's rules, then laid
out in the order of the registry's own form and as a row of its admin import CSV.

The registry asks, in order: the evaluation's status; its title and departments (a lead and
any others); its evaluation and design types; a description; the policy areas; dates; links
(an evaluation plan, and a published report or why it is unpublished); and costs. Each value
here comes from a field of the pilot, named with it, so a person copying the entry by hand
can see where to change it. What the registry refuses is refused here first, naming the
field: a complete evaluation with neither a report link nor a reason it is unpublished, an
"Other" type or reason with no words, a month outside 1-12 or a year outside 1900-2100, and
a lead organisation the registry does not list.

The findings and limitations are the reports' words (handed in as text), so the entry never
says more about a result than the brief does.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources
from typing import Any

from testlearn.domain import registry_terms as terms
from testlearn.domain.formats import MONTH_NAMES
from testlearn.domain.pilot_detail import PilotDetail
from testlearn.domain.records import PilotFields
from testlearn.domain.views import PilotView
from testlearn.domain.vocabulary import (
    CostCategory,
    EvaluationDesign,
    EvaluationType,
    HypothesisRole,
    LifecycleStatus,
    UnpublishedReason,
)

#: The registry's status words (its form's first question).
STATUS_LABELS = {
    "planned": "A planned evaluation",
    "ongoing": "An ongoing evaluation",
    "complete": "A complete evaluation report",
}
#: The registry's unpublished reasons that need words ("please specify").
REASONS_NEEDING_DETAILS = frozenset({UnpublishedReason.QUALITY, UnpublishedReason.OTHER})
EARLIEST_YEAR, LATEST_YEAR = 1900, 2100  # the registry's event dates


@dataclass(frozen=True)
class RegistryProblem:
    """Something the registry would refuse, with the pilot field to change."""

    field: str  # the pilot field, by its title
    message: str

    def __str__(self) -> str:
        return f"{self.field}: {self.message}"


@dataclass(frozen=True)
class EntryLine:
    """One answer of the registry's form: its question, the answer, and where it came from."""

    label: str
    value: str
    source: str = ""  # the pilot field (by title) it is taken from, for the person copying
    column: str = ""  # the admin import column it fills with ``value``
    #: Admin import columns it fills with other values (a date's month and year columns).
    columns: tuple[tuple[str, str], ...] = ()


@dataclass(frozen=True)
class EntryPart:
    title: str
    lines: tuple[EntryLine, ...]


@dataclass(frozen=True)
class RegistryEntry:
    reference: str
    title: str
    status: str  # planned, ongoing or complete
    parts: tuple[EntryPart, ...]
    #: Admin import columns filled from outside the form (the findings, the outcome...).
    extra_columns: dict[str, str]
    #: What the pack says it left out or assumed, for the person entering it.
    notes: tuple[str, ...]

    def import_row(self, columns: Sequence[str]) -> list[str]:
        """The values for the admin import CSV's ``columns``, in their order."""
        filled: dict[str, str] = {}
        for part in self.parts:
            for line in part.lines:
                if line.column:
                    filled[line.column] = line.value
                filled.update(line.columns)
        filled.update(self.extra_columns)
        unknown = set(filled) - set(columns)
        if unknown:  # a column renamed in the registry's header: never write under a guess
            raise ValueError(f"not admin import columns: {', '.join(sorted(unknown))}")
        return [filled.get(column, "") for column in columns]


def _title(name: str) -> str:
    return PilotFields.model_fields[name].title or name


@dataclass(frozen=True)
class _Designs:
    types: dict[str, str]
    designs: dict[str, dict[str, str]]


def _designs() -> _Designs:
    text = resources.files(terms.__package__).joinpath("registry_vocabularies", "designs.toml")
    data = tomllib.loads(text.read_text("utf-8"))
    return _Designs(data["evaluation_types"], data["evaluation_designs"])


def registry_status(pilot: PilotView) -> str:
    """The registry's status for the pilot's lifecycle status: planned, ongoing or complete."""
    return LifecycleStatus.parse(pilot.status).registry


# -- the rules ------------------------------------------------------------------------------


def registry_problems(pilot: PilotView) -> list[RegistryProblem]:
    """What the Evaluation Registry would refuse in this pilot's entry, each naming its field."""
    problems: list[RegistryProblem] = []
    lead = pilot.lead_organisation.strip()
    if not lead:
        problems.append(
            RegistryProblem(
                _title("lead_organisation"), "not recorded; the registry needs a lead department"
            )
        )
    elif terms.find_department(lead) is None:
        close = terms.department_suggestions(lead)
        hint = f"; did you mean {' or '.join(repr(c) for c in close)}" if close else ""
        problems.append(
            RegistryProblem(
                _title("lead_organisation"),
                f"{lead!r} is not a department in the Evaluation Registry's list{hint}",
            )
        )
    if not pilot.evaluation_types:
        problems.append(
            RegistryProblem(
                _title("evaluation_types"),
                "none chosen; the registry needs at least one (impact, process, value for "
                "money or other)",
            )
        )
    if EvaluationType.OTHER in pilot.evaluation_types and not pilot.other_evaluation_type.strip():
        problems.append(
            RegistryProblem(
                _title("other_evaluation_type"),
                "say what the 'Other' evaluation type is; the registry needs words for it",
            )
        )
    status = registry_status(pilot)
    reasons = [UnpublishedReason.parse(r) for r in pilot.unpublished_reasons]
    if pilot.report_link and reasons:
        problems.append(
            RegistryProblem(
                _title("unpublished_reasons"),
                "the report is published (it has a link); remove the reasons it is unpublished "
                "or the link",
            )
        )
    if status == "complete" and not pilot.report_link and not reasons:
        problems.append(
            RegistryProblem(
                _title("report_link"),
                f"a complete evaluation (status {LifecycleStatus.parse(pilot.status).label}) needs "
                "the link to its published report, or why it is unpublished "
                f"({_title('unpublished_reasons')})",
            )
        )
    needing = [r for r in reasons if r in REASONS_NEEDING_DETAILS]
    if needing and not pilot.unpublished_details.strip():
        problems.append(
            RegistryProblem(
                _title("unpublished_details"),
                "say what the "
                + " and ".join(repr(r.label.replace(" (say which)", "")) for r in needing)
                + " reason is; the registry needs words for it",
            )
        )
    if pilot.report_published_on and not pilot.report_link:
        problems.append(
            RegistryProblem(
                _title("report_link"),
                "a publication date is recorded but no link to the published report",
            )
        )
    for name in ("start_date", "end_date", "report_published_on"):
        problems.extend(_date_problems(name, getattr(pilot, name)))
    if pilot.start_date and pilot.end_date and pilot.end_date < pilot.start_date:
        problems.append(RegistryProblem(_title("end_date"), "is before the start date"))
    if len(pilot.title) > 1024:
        problems.append(
            RegistryProblem(_title("title"), "is longer than the registry's 1,024 characters")
        )
    return problems


def _date_problems(name: str, value: dt.date | None) -> list[RegistryProblem]:
    if value is None:
        return []
    month, year = value.month, value.year
    found = []
    if not 1 <= month <= 12:
        found.append(RegistryProblem(_title(name), f"month {month} is not a month from 1 to 12"))
    if not EARLIEST_YEAR <= year <= LATEST_YEAR:
        found.append(
            RegistryProblem(
                _title(name),
                f"year {year} is outside the registry's {EARLIEST_YEAR}-{LATEST_YEAR}",
            )
        )
    return found


def month_name(month: int) -> str:
    """The registry's month word; its import reads months by name."""
    if not 1 <= month <= 12:
        raise ValueError(f"month {month} is not a month from 1 to 12")
    return MONTH_NAMES[month - 1]


# -- the entry ------------------------------------------------------------------------------


def registry_entry(
    detail: PilotDetail, *, findings: str = "", limitations: str = ""
) -> RegistryEntry:
    """The pilot's registry entry, in the order of the registry's form.

    ``findings`` and ``limitations`` are the reports' sentences on the current results (empty
    while there are none). Call :func:`registry_problems` first: this assumes the entry passes.
    """
    pilot = detail.pilot
    status = registry_status(pilot)
    notes: list[str] = []
    lead = terms.find_department(pilot.lead_organisation)
    assert lead is not None, "registry_problems names an unknown lead organisation first"
    others = []
    for partner in pilot.partner_organisations:
        found = terms.find_department(partner)
        if found is not None and found != lead and found not in others:
            others.append(found)
    outside = [p for p in pilot.partner_organisations if terms.find_department(p) is None]
    if outside:
        notes.append(
            "Not entered as departments (the registry lists only government organisations): "
            + "; ".join(outside)
            + "."
        )

    designs = _designs()
    registry_types = [designs.types[t] for t in pilot.evaluation_types]
    type_names = [terms.design_type(t).display for t in registry_types]
    if "other" in registry_types:
        type_names[registry_types.index("other")] = f"Other: {pilot.other_evaluation_type.strip()}"
    design_line = ""
    if pilot.evaluation_design:
        mapped = designs.designs[pilot.evaluation_design]
        chain = terms.design_type(mapped["type"]).path
        design_line = " > ".join(t.display for t in chain)
        if "text" in mapped:
            design_line += f": {mapped['text']}"
        if chain[0].code not in registry_types:
            notes.append(
                f"The design ({EvaluationDesign.parse(pilot.evaluation_design).label}) is a "
                f"kind of {chain[0].display.lower()}, which is not among the pilot's "
                "evaluation types."
            )

    policies = [terms.PolicyArea.parse(code) for code in pilot.policy_areas]
    costs = _costs(detail)
    primary = [h for h in detail.hypotheses if h.hypothesis.role == HypothesisRole.PRIMARY]
    secondary = [h for h in detail.hypotheses if h.hypothesis.role != HypothesisRole.PRIMARY]

    def date_lines(label: str, name: str, column: str) -> list[EntryLine]:
        value: dt.date | None = getattr(pilot, name)
        if value is None:
            return [EntryLine(label, "not recorded", _title(name))]
        month = month_name(value.month)
        return [
            EntryLine(
                label,
                f"{month} {value.year} (month {value.month}, year {value.year})",
                _title(name),
                columns=((f"{column} (Month)", month), (f"{column} (Year)", str(value.year))),
            )
        ]

    reasons = [UnpublishedReason.parse(r) for r in pilot.unpublished_reasons]
    parts = (
        EntryPart(
            "Status",
            (EntryLine("Status", STATUS_LABELS[status], _title("status")),),
        ),
        EntryPart(
            "Title and departments",
            (
                EntryLine("Title", pilot.title, _title("title"), "Evaluation title"),
                EntryLine(
                    "Short title", pilot.reference, "Reference", "Short title for evaluation"
                ),
                EntryLine(
                    "Lead department",
                    f"{lead.display} ({lead.code})",
                    _title("lead_organisation"),
                ),
                EntryLine(
                    "Other departments",
                    "; ".join(f"{d.display} ({d.code})" for d in others) or "none",
                    _title("partner_organisations"),
                ),
            ),
        ),
        EntryPart(
            "Evaluation types and design",
            (
                EntryLine("Evaluation types", "; ".join(type_names), _title("evaluation_types")),
                EntryLine(
                    "Impact evaluation design",
                    design_line or "not recorded",
                    _title("evaluation_design"),
                    "Impact - Design" if design_line else "",
                ),
            ),
        ),
        EntryPart(
            "Description",
            (
                EntryLine(
                    "Brief description",
                    _description(detail, findings),
                    f"{_title('problem_statement')}, primary hypotheses, findings",
                    "Evaluation summary",
                ),
            ),
        ),
        EntryPart(
            "Policies",
            (
                EntryLine(
                    "Policy areas",
                    "; ".join(f"{p.label} ({p.value})" for p in policies) or "none chosen",
                    _title("policy_areas"),
                ),
            ),
        ),
        EntryPart(
            "Dates",
            tuple(
                date_lines("Intervention start", "start_date", "Intervention start date")
                + date_lines("Intervention end", "end_date", "Intervention end date")
                + (
                    date_lines(
                        "Publication of final results", "report_published_on", "Publication date"
                    )
                    if pilot.report_published_on
                    else []
                )
            ),
        ),
        EntryPart(
            "Links",
            tuple(
                [
                    EntryLine(
                        "Evaluation plan",
                        pilot.evaluation_plan_link or "none",
                        _title("evaluation_plan_link"),
                    ),
                    EntryLine(
                        "Published evaluation report",
                        pilot.report_link or "not published",
                        _title("report_link"),
                        "gov_uk_link" if pilot.report_link else "",
                    ),
                ]
                + (
                    [
                        EntryLine(
                            "Why it is unpublished",
                            "; ".join(r.label.replace(" (say which)", "") for r in reasons)
                            + (
                                f": {pilot.unpublished_details.strip()}"
                                if pilot.unpublished_details.strip()
                                else ""
                            ),
                            _title("unpublished_reasons"),
                        )
                    ]
                    if reasons
                    else []
                )
            ),
        ),
        EntryPart(
            "Costs",
            (
                EntryLine(
                    "Intervention costs (£)",
                    _pounds(costs["intervention"]),
                    "Costs (all but evaluation)",
                    "Intervention costs (£)" if costs["intervention"] is not None else "",
                ),
                EntryLine(
                    "Evaluation cost (£)", _pounds(costs["evaluation"]), "Costs (evaluation)"
                ),
            ),
        ),
    )
    if not pilot.policy_areas:
        notes.append(
            f"No policy areas are chosen ({_title('policy_areas')}); the registry uses them "
            "to find the entry."
        )

    extra = {
        "Evaluation ID": pilot.registry_id,
        "Process": _yes(EvaluationType.PROCESS in pilot.evaluation_types),
        "Impact": _yes(EvaluationType.IMPACT in pilot.evaluation_types),
        "Economic": _yes(EvaluationType.VALUE_FOR_MONEY in pilot.evaluation_types),
        "Other evaluation type (please state)": pilot.other_evaluation_type.strip()
        if EvaluationType.OTHER in pilot.evaluation_types
        else "",
        "Client": lead.display,
        "Author(s)": pilot.team or pilot.lead_organisation,
        "Issue to be addressed": pilot.problem_statement,
        "What difference the intervention intends to make": pilot.toc_outcomes,
        "Intervention name": pilot.title,
        "Intervention brief description": pilot.toc_activities,
        "Intervention rationale": _chain(pilot),
        "Materials used": pilot.toc_inputs,
        "How well it was delivered (fidelity)": pilot.delivery_summary,
        "Impact - Description": " ".join(
            f"{h.hypothesis.code}: {h.hypothesis.statement}" for h in primary
        ),
        "Impact - Method sample size": _planned_n(primary),
        "Impact - Assumptions": pilot.toc_assumptions,
        "Impact - Limitations of approach": limitations,
        "Outcome title": "; ".join(
            h.hypothesis.outcome_name for h in primary if h.hypothesis.outcome_name
        ),
        "Primary or secondary outcome": "Primary" if primary else "",
        "Other outcomes - Outcome name": "; ".join(
            h.hypothesis.outcome_name for h in secondary if h.hypothesis.outcome_name
        ),
        "Impact - Summary of findings": findings,
        "Economic - Costs included": "; ".join(
            sorted({CostCategory.parse(c.category).label for c in detail.costs})
        ),
    }
    return RegistryEntry(
        reference=pilot.reference,
        title=pilot.title,
        status=status,
        parts=parts,
        extra_columns={k: v for k, v in extra.items() if v},
        notes=tuple(notes),
    )


def _description(detail: PilotDetail, findings: str) -> str:
    pilot = detail.pilot
    parts = [pilot.problem_statement.strip()]
    primary = [h for h in detail.hypotheses if h.hypothesis.role == HypothesisRole.PRIMARY]
    if primary:
        tested = "; ".join(h.hypothesis.statement.rstrip(".") for h in primary)
        # "AI-assisted triage..." keeps its capitals; "The screening app..." does not.
        if tested[1:2].islower():
            tested = tested[0].lower() + tested[1:]
        verb = "tested" if registry_status(pilot) == "complete" else "tests"
        parts.append(f"The pilot {verb} whether: {tested}.")
    if findings:
        parts.append(findings)
    return " ".join(p for p in parts if p)


def _costs(detail: PilotDetail) -> dict[str, float | None]:
    evaluation = [c.amount or 0.0 for c in detail.costs if c.category == CostCategory.EVALUATION]
    other = [c.amount or 0.0 for c in detail.costs if c.category != CostCategory.EVALUATION]
    return {
        "intervention": float(sum(other)) if other else None,
        "evaluation": float(sum(evaluation)) if evaluation else None,
    }


def _pounds(value: float | None) -> str:
    if value is None:
        return "not recorded"
    return f"{value:.0f}" if value == int(value) else f"{value:.2f}"


def _yes(flag: bool) -> str:
    return "Yes" if flag else "No"


def _chain(pilot: PilotView) -> str:
    steps = [
        (label, getattr(pilot, name).strip())
        for label, name in (
            ("Inputs", "toc_inputs"),
            ("Activities", "toc_activities"),
            ("Outputs", "toc_outputs"),
            ("Outcomes", "toc_outcomes"),
            ("Impact", "toc_impact"),
        )
    ]
    return " ".join(f"{label}: {text}" for label, text in steps if text)


def _planned_n(primary: Sequence[Any]) -> str:
    sizes = []
    for h in primary:
        plan = h.hypothesis
        if plan.planned_n_pilot is not None and plan.planned_n_comparator is not None:
            sizes.append(
                f"{plan.code}: {plan.planned_n_pilot} pilot, {plan.planned_n_comparator} comparison"
            )
        elif plan.planned_n_pilot is not None:
            sizes.append(f"{plan.code}: {plan.planned_n_pilot}")
    return "; ".join(sizes)
