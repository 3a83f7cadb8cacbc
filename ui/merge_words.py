"""Merge reports, conflict values and provenance in words a central-team user understands.

Plain functions over the frozen read models, shared by the merge wizard, the conflicts view
and the pilot's overview, so each outcome is named the same way everywhere.
"""

from __future__ import annotations

import datetime as dt
import html
import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from testlearn.domain.merge_report import MergeReport, Provenance, SourceReport

#: Each outcome of an incoming record, as the report says it after "1 record" / "2 records".
OUTCOME_WORDS = {
    "new": "added (new here)",
    "identical": "already here, unchanged",
    "fast-forward": "updated to a newer version",
    "stale": "older than the copy here, left as it is",
    "auto-merged": "merged automatically (different fields changed on each side)",
    "conflict": "merged, with fields that need a decision (changed differently on each side)",
    "rejected": "rejected",
}


def records(count: int) -> str:
    return f"{count:,} record{'' if count == 1 else 's'}"


#: The same outcomes for one record's provenance line.
ORIGIN_WORDS = {
    "new": "added",
    "identical": "unchanged",
    "fast-forward": "updated",
    "stale": "older copy, ignored",
    "auto-merged": "merged automatically",
    "conflict": "merged with a conflict",
    "rejected": "rejected",
}

CONFLICT_KINDS = {
    "edit-edit": "both changed this field",
    "delete-edit": "deleted on one side, edited on the other",
    "id-collision": "two unrelated records share an id",
    "immutable": "registered content changed",
}

ENTERED_HERE = "Entered in this database; it did not come from a merged file."


def value_text(value: Any) -> str:
    """A stored value as a person reads it: text as is, empty as '(empty)'."""
    if value is None or value == "" or value == []:
        return "(empty)"
    if isinstance(value, str):
        return value
    if isinstance(value, list):
        return "; ".join(value_text(item) for item in value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int | float):
        return f"{value:,}" if isinstance(value, int) else f"{value:,.6g}"
    return json.dumps(value, default=str, ensure_ascii=False)


def field_words(entity: str, field: str) -> str:
    """A field's title where the record type gives one ('Problem statement'), else its name."""
    if entity == "pilot":
        from testlearn.domain.records import PilotFields

        info = PilotFields.model_fields.get(field)
        if info is not None and info.title:
            return info.title
    return field.replace("_", " ").capitalize() if field else "(whole record)"


def when_text(stamp: str) -> str:
    try:
        moment = dt.datetime.fromisoformat(stamp)
    except ValueError:
        return stamp
    return f"{moment:%d %b %Y %H:%M}" + (" UTC" if moment.utcoffset() is not None else "")


def report_html(report: MergeReport) -> str:
    """The whole report: a heading that says whether anything was written, then each file."""
    if report.dry_run:
        lead = (
            "<p><b>Preview: nothing has been written yet.</b> This is exactly what "
            "<i>Apply</i> will do.</p>"
        )
    else:
        lead = "<p><b>Merged.</b> The database now holds what is listed below.</p>"
    totals = report.totals
    refused = sum(1 for s in report.sources if s.refused)
    files = f"{len(report.sources)} file{'s' if len(report.sources) != 1 else ''}"
    summary = [
        f"{files}. Records: {totals['new']:,} new",
        f"{totals['fast-forward']:,} updated",
        f"{totals['conflict']:,} needing a decision",
        f"{totals['rejected']:,} rejected",
    ]
    if refused:
        summary.append(f"{refused} file{'s' if refused != 1 else ''} refused")
    parts = [lead, f"<p>{html.escape(', '.join(summary))}.</p>"]
    parts.extend(source_html(source) for source in report.sources)
    return "".join(parts)


def source_html(source: SourceReport) -> str:
    name = html.escape(Path(source.source).name)
    department = html.escape(source.department or "department not recorded")
    if source.refused:
        return (
            f"<h3>{name}: refused</h3><p>The whole file was left out, and nothing from it "
            f"is merged. Reason: {html.escape(source.refused)}</p>"
        )
    parts = [f"<h3>{name} ({department})</h3>", "<ul>"]
    counted = [(k, n) for k, n in source.counts.items() if n]
    for outcome, count in counted:
        words = html.escape(OUTCOME_WORDS.get(outcome, outcome))
        parts.append(f"<li>{records(count)} {words}</li>")
    if not counted:
        parts.append("<li>no records</li>")
    parts.append("</ul>")
    if source.conflicts:
        parts.append(
            "<p><b>Need a decision</b> (both values are kept; resolve them in "
            "Central &gt; Conflicts after applying):</p><ul>"
        )
        for item in source.conflicts:
            kind = CONFLICT_KINDS.get(item.kind, item.kind)
            field = field_words(item.entity, item.field)
            parts.append(
                f"<li>{html.escape(item.label)}, {html.escape(field)}"
                f" ({html.escape(kind)}): &ldquo;{html.escape(value_text(item.value_a))}&rdquo; "
                f"or &ldquo;{html.escape(value_text(item.value_b))}&rdquo;</li>"
            )
        parts.append("</ul>")
    if source.rejected:
        parts.append("<p><b>Rejected</b> (left out, with the reason):</p><ul>")
        for rejected in source.rejected:
            parts.append(
                f"<li>{html.escape(rejected.entity)} {html.escape(rejected.row_id[:8])}: "
                f"{html.escape(rejected.reason)}</li>"
            )
        parts.append("</ul>")
    if source.duplicates:
        parts.append("<p><b>Possible duplicates</b> (both kept; check them by hand):</p><ul>")
        parts.extend(f"<li>{html.escape(text)}</li>" for text in source.duplicates)
        parts.append("</ul>")
    if source.notes:
        parts.append("<p><b>Notes</b>:</p><ul>")
        parts.extend(f"<li>{html.escape(note)}</li>" for note in source.notes)
        parts.append("</ul>")
    return "".join(parts)


def provenance_html(items: Sequence[Provenance] | None) -> str:
    """Where a pilot came from: each merged file, or that it was entered here."""
    if not items:
        return html.escape(ENTERED_HERE)
    rows = []
    for item in items:
        department = html.escape(item.department or "department not recorded")
        rows.append(
            f"<li>{department}, file {html.escape(Path(item.source).name)}, merged "
            f"{html.escape(when_text(item.merged_at))} by {html.escape(item.operator)}: "
            f"{html.escape(ORIGIN_WORDS.get(item.outcome, item.outcome))}</li>"
        )
    return "Merged from:<ul>" + "".join(rows) + "</ul>"
