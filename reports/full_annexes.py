"""The annexes of the full report: data and methods, the KPI table, the glossary."""

from __future__ import annotations

from reports import numbers, plan_record
from reports.blocks import Block, Bullets, Citation, Section, Table, Text
from reports.citation import HASHES_EXPLAINED
from reports.wording import term_label
from testlearn.domain.pilot_detail import PilotDetail
from testlearn.domain.vocabulary import KpiLevel, KpiRating, MissionAlignment


def data_and_methods(detail: PilotDetail) -> Section:
    blocks: list[Block] = []
    for h in detail.hypotheses:
        r = h.result
        if r is None:
            continue
        dataset = h.dataset
        source = (
            f"data {dataset.source_name} ({numbers.plural(dataset.row_count, 'row')})"
            if dataset
            else "the data file is not recorded"
        )
        seed = f"seed {r.seed}" if r.seed is not None else "no random seed"
        stale = f" OUT OF DATE: {h.stale_reason}." if h.stale_reason else ""
        blocks.append(
            Citation(
                f"{r.method}; engine {r.engine_version}; {seed}; analysed "
                f"{numbers.timestamp(r.analysed_at)}; {source}.{stale}",
                (
                    ("Data fingerprint (sha256)", r.data_fingerprint),
                    # The file's own sha256, so a reader holding it can check it with
                    # sha256sum; the fingerprint is testlearn's hash of the rows.
                    (
                        "Source file sha256",
                        dataset.source_sha256
                        if dataset is not None and dataset.id == r.dataset_id
                        else "not recorded",
                    ),
                    ("Input hash (sha256)", r.input_hash),
                    ("Registration hash (sha256)", r.registration_hash or "not registered"),
                ),
                heading=h.hypothesis.code,
                explained=HASHES_EXPLAINED if not blocks else "",
            )
        )
    history = plan_record.data_history(detail)
    if history:
        blocks.append(Bullets(history))
    if not blocks:
        blocks.append(Text("No analysis is stored."))
    return Section("Annex A: data and methods", tuple(blocks), new_page=True)


GLOSSARY = (
    ("Benefit threshold", "The smallest change worth having, fixed before the data."),
    (
        "Harm margin",
        "The largest loss that would be accepted, fixed before the data; where none was "
        "registered the engine uses the benefit threshold, and the report says so.",
    ),
    (
        "95% interval (CI)",
        "The range of effects consistent with the data (a 95% confidence interval): intervals "
        "made this way contain the true effect in 95 of 100 pilots.",
    ),
    (
        "Design MDE",
        "Minimum detectable effect of the registered design: what it aimed to detect with "
        "80% power.",
    ),
    (
        "Achieved MDE",
        "The smallest effect the analysis of the data as collected could detect with 80% "
        "power; a worthwhile effect of this size or more would probably have shown.",
    ),
    (
        "Evidence level (SMS)",
        "Maryland Scientific Methods Scale, 1 (before-after) to 5 (randomised trial).",
    ),
    (
        "Registration",
        "Freezing the hypotheses, with a timestamp and hash, before any outcome data.",
    ),
    ("Deviation", "A recorded change to a registered field, with its reason."),
    ("Data fingerprint", "A sha256 of the outcome data; any change to the data changes it."),
    ("Holm adjustment", "A correction of p-values when several secondary hypotheses are tested."),
)


def kpi_annex(detail: PilotDetail) -> Section:
    if not detail.kpis:
        return Section("Annex B: KPI table", (Text("No KPIs are recorded for the contracts."),))
    rows = []
    for item in detail.kpis:
        kpi = item.kpi
        ratings = sorted(item.ratings, key=lambda r: r.year or "")
        latest = ratings[-1] if ratings else None
        alignment = (
            "Not linked to a mission"
            if kpi.mission_alignment == MissionAlignment.NONE.value
            else term_label(MissionAlignment, kpi.mission_alignment)
        )
        rows.append(
            (
                kpi.name,
                term_label(KpiLevel, kpi.level),
                alignment,
                kpi.target or "No target set",
                f"{term_label(KpiRating, latest.rating)} ({latest.year})"
                if latest
                else "Not rated",
            )
        )
    return Section(
        "Annex B: KPI table",
        (
            Table(
                (
                    "Key performance indicator",
                    "Level",
                    "Mission alignment",
                    "Target",
                    "Latest rating",
                ),
                tuple(rows),
                (0.32, 0.1, 0.16, 0.2, 0.22),
            ),
        ),
    )


def glossary() -> Section:
    return Section("Annex C: glossary", (Table(("Term", "Meaning"), GLOSSARY, (0.25, 0.75)),))
