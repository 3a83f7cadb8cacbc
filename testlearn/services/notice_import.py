"""Bringing a contract's Procurement Act notices in, and writing its KPIs out as a notice.

``import_notices`` links the pilot's contract to the notices' OCID, records which notices were
imported, and brings their KPIs (``agreedMetrics``) into the pilot's KPIs and their assessed
ratings (``measureClassification``) into its KPI ratings, all in one transaction. KPIs are
matched by their id in the notices, ratings by theirs, so importing the same notices again
changes nothing and a later notice updates what an earlier one brought. The level and mission
of a KPI are the officer's judgement, which a notice does not record: they are set once, when
the KPI is first brought in (an output, linked to no mission, which the KPI checks flag until
someone classifies it), and never overwritten.

``export_notice`` writes the contract's KPIs and ratings as an OCDS release package, checked
against the same schema, for an officer to set beside the published notice.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from testlearn import __version__
from testlearn.domain.notice_schema import release_problems
from testlearn.domain.notices import (
    CLASSIFICATION_OF_RATING,
    ContractNotices,
    Notice,
    read_notice_file,
)
from testlearn.domain.views import KpiRatingView, KpiView, PilotView, ProcurementView
from testlearn.domain.vocabulary import KpiLevel, KpiRating, MissionAlignment
from testlearn.errors import ConflictError, InputFileError, NotFound
from testlearn.services.pilot_records import _find
from testlearn.services.pilots import require_pilot
from testlearn.store.database import Database
from testlearn.store.unit_of_work import UnitOfWork
from testlearn.temporary_files import create_beside

#: The extensions an exported release declares, as Find a Tender's releases do.
EXTENSION_URLS = (
    "https://raw.githubusercontent.com/open-contracting-extensions/ocds_metrics_extension/master/extension.json",
    "https://raw.githubusercontent.com/cabinetoffice/ocds_uk_extension/main/extension.json",
)


@dataclass
class NoticeImport:
    """What an import did, for the line the command prints and the window's status bar."""

    reference: str
    contract: str
    ocid: str
    notices: tuple[Notice, ...]
    kpis_added: int = 0
    kpis_updated: int = 0
    ratings_added: int = 0
    ratings_updated: int = 0
    concerns: list[str] = field(default_factory=list)

    @property
    def changed(self) -> bool:
        return bool(self.kpis_added or self.kpis_updated or self.ratings_added)

    def describe(self) -> str:
        kinds = ", ".join(sorted({n.notice_type or "notice" for n in self.notices}))
        counts = (
            f"KPIs {self.kpis_added} added, {self.kpis_updated} updated; ratings "
            f"{self.ratings_added} added, {self.ratings_updated} updated"
        )
        if not self.changed and not self.ratings_updated:
            counts = "already up to date"
        return (
            f"{self.reference} contract {self.contract!r} linked to {self.ocid} "
            f"({len(self.notices)} notice{'s' if len(self.notices) != 1 else ''}: {kinds}); "
            f"{counts}"
        )


def financial_year_of(day: dt.date) -> str:
    """The UK financial year (April to March) a day falls in: 2025-05-01 -> ``2025-26``."""
    start = day.year if day.month >= 4 else day.year - 1
    return f"{start}-{(start + 1) % 100:02d}"


def import_notices(
    reference: str, path: Path, *, db: Database, actor: str, contract: str | None = None
) -> NoticeImport:
    """Import the notices in ``path`` into pilot ``reference``'s contract (see the module).

    ``contract`` names the contract (its name or short id) when the pilot has several and
    none is linked to the notices' OCID yet.
    """
    notices = read_notice_file(Path(path))  # refused whole before the database is touched
    with db.transaction(actor) as uow:
        pilot = require_pilot(uow, reference)
        procurement = _contract_for(uow, pilot, notices, contract)
        done = NoticeImport(pilot.reference, procurement.name, notices.ocid, notices.notices)
        procurement = _link(uow, pilot, procurement, notices)
        done.contract = procurement.name
        kpis = _bring_kpis(uow, pilot, procurement, notices, done)
        _bring_ratings(uow, pilot, kpis, notices, done)
    from testlearn.services.checks import contract_concerns
    from testlearn.services.pilots import get_pilot

    done.concerns = contract_concerns(get_pilot(pilot.reference, db=db))
    return done


def _contract_for(
    uow: UnitOfWork, pilot: PilotView, notices: ContractNotices, name: str | None
) -> ProcurementView:
    contracts: list[ProcurementView] = uow.find("procurement", pilot_id=pilot.id)
    if name is not None:
        chosen: ProcurementView = _find(uow, pilot, "procurement", name)
        if chosen.ocid and chosen.ocid != notices.ocid:
            raise ConflictError(
                f"{pilot.reference} contract {chosen.name!r} is linked to {chosen.ocid}, "
                f"not to the notices' {notices.ocid}"
            )
        return chosen
    linked = [c for c in contracts if c.ocid == notices.ocid]
    if linked:
        return linked[0]
    free = [c for c in contracts if not c.ocid]
    if len(free) == 1:
        return free[0]
    if not free:
        # No contract to link: the notices' contract becomes the pilot's record of it.
        title = notices.title[:200].strip() or notices.ocid
        created: ProcurementView = uow.create(
            "procurement",
            {"pilot_id": pilot.id, "name": title},
            summary=f"added a contract to {pilot.reference} from its notices",
        )
        return created
    names = ", ".join(repr(c.name or str(c.id)[:8]) for c in free)
    raise ConflictError(
        f"{pilot.reference} has {len(free)} contracts not yet linked to notices ({names}); "
        "say which the notices are of (--contract NAME)"
    )


def _link(
    uow: UnitOfWork, pilot: PilotView, procurement: ProcurementView, notices: ContractNotices
) -> ProcurementView:
    known = {n.get("id", ""): n for n in procurement.notices}
    for notice in notices.notices:
        known[notice.release_id] = notice.as_dict()
    changes: dict[str, Any] = {
        "ocid": notices.ocid,
        "notices": sorted(known.values(), key=lambda n: (n.get("date", ""), n.get("id", ""))),
    }
    if notices.no_agreed_metrics_rationale:
        changes["no_agreed_metrics_rationale"] = notices.no_agreed_metrics_rationale
    if notices.contract_value is not None:
        changes["contract_value"] = notices.contract_value  # as published
    updated: ProcurementView = uow.update(
        "procurement",
        procurement.id,
        changes,
        summary=f"linked contract of {pilot.reference} to {notices.ocid}",
    )
    return updated


def _bring_kpis(
    uow: UnitOfWork,
    pilot: PilotView,
    procurement: ProcurementView,
    notices: ContractNotices,
    done: NoticeImport,
) -> dict[str, KpiView]:
    """The pilot's KPI for each of the notices' metric ids, added or updated."""
    existing: list[KpiView] = uow.find("kpi", pilot_id=pilot.id)
    by_id: dict[str, KpiView] = {}
    for known in existing:
        if known.notice_metric_id and known.procurement_id in (None, procurement.id):
            by_id.setdefault(known.notice_metric_id, known)
        # A KPI exported from testlearn carries its own id as its metric id.
        by_id.setdefault(str(known.id), known)
    found: dict[str, KpiView] = {}
    for metric in notices.kpis:
        values = {
            "name": metric.title[:200].strip() or metric.metric_id,
            "description": metric.description,
            "target": metric.target,
            "procurement_id": procurement.id,
            "published": True,
        }
        matched = by_id.get(metric.metric_id)
        if matched is None:
            found[metric.metric_id] = uow.create(
                "kpi",
                {
                    **values,
                    "pilot_id": pilot.id,
                    "notice_metric_id": metric.metric_id,
                    "level": KpiLevel.OUTPUT.value,
                    "mission_alignment": MissionAlignment.NONE.value,
                },
                summary=f"added KPI {metric.metric_id} to {pilot.reference} from its notices",
            )
            done.kpis_added += 1
            continue
        kpi: KpiView = matched
        if any(getattr(kpi, k) != v for k, v in values.items()):
            kpi = uow.update(
                "kpi",
                kpi.id,
                values,
                summary=f"updated KPI {metric.metric_id} of {pilot.reference} from its notices",
            )
            done.kpis_updated += 1
        found[metric.metric_id] = kpi
    # Ratings may name a KPI agreed in a notice not in this file: find those too.
    for metric_id, kpi in by_id.items():
        found.setdefault(metric_id, kpi)
    return found


def _bring_ratings(
    uow: UnitOfWork,
    pilot: PilotView,
    kpis: dict[str, KpiView],
    notices: ContractNotices,
    done: NoticeImport,
) -> None:
    unknown = sorted({r.metric_id for r in notices.ratings} - set(kpis))
    if unknown:
        raise InputFileError(
            f"the notices rate KPI {', '.join(unknown)}, which no notice imported into "
            f"{pilot.reference} agreed; import the contract details notice (UK7) with them"
        )
    for rating in notices.ratings:
        kpi = kpis[rating.metric_id]
        current: list[KpiRatingView] = uow.find("kpi_rating", kpi_id=kpi.id)
        match = next(
            (r for r in current if rating.observation_id in (r.notice_observation_id, str(r.id))),
            None,
        )
        values = {
            "year": financial_year_of(rating.assessed_on),
            "rating": rating.rating,
            "note": rating.note[:2000],
            "assessed_on": rating.assessed_on,
            "period": rating.period,
            "source_notice": rating.notice,
        }
        if match is None:
            uow.create(
                "kpi_rating",
                {**values, "kpi_id": kpi.id, "notice_observation_id": rating.observation_id},
                summary=f"rated KPI {kpi.name} of {pilot.reference} from its notices",
            )
            done.ratings_added += 1
        elif any(getattr(match, k) != v for k, v in values.items()):
            uow.update(
                "kpi_rating",
                match.id,
                values,
                summary=f"updated a rating of KPI {kpi.name} of {pilot.reference}",
            )
            done.ratings_updated += 1


# -- writing a notice out -------------------------------------------------------------------


def notice_release(
    pilot: PilotView,
    procurement: ProcurementView,
    kpis: list[tuple[KpiView, list[KpiRatingView]]],
    *,
    now: dt.datetime,
) -> dict[str, Any]:
    """The contract's KPIs and ratings as one OCDS release (contract and implementation)."""
    ocid = procurement.ocid or f"testlearn-{procurement.id}"
    agreed, measured = [], []
    for kpi, ratings in kpis:
        metric_id = kpi.notice_metric_id or str(kpi.id)
        metric: dict[str, Any] = {"id": metric_id, "title": kpi.name}
        if kpi.description:
            metric["description"] = kpi.description
        if kpi.target:
            metric["observations"] = [{"id": f"{metric_id}-target", "measure": kpi.target}]
        agreed.append(metric)
        observations = [_observation(r) for r in sorted(ratings, key=_rating_order)]
        if observations:
            measured.append({"id": metric_id, "title": kpi.name, "observations": observations})
    contract: dict[str, Any] = {
        "id": str(procurement.id),
        "awardID": str(procurement.id),
        "title": procurement.name or pilot.title,
    }
    if procurement.contract_value is not None:
        contract["value"] = {"amount": procurement.contract_value, "currency": "GBP"}
    if agreed:
        contract["agreedMetrics"] = agreed
    elif procurement.no_agreed_metrics_rationale:
        contract["noAgreedMetricsRationale"] = procurement.no_agreed_metrics_rationale
    if measured:
        contract["implementation"] = {"metrics": measured}
    stamp = now.astimezone(dt.UTC).replace(microsecond=0)
    return {
        "ocid": ocid,
        "id": f"{ocid}-testlearn-{stamp:%Y%m%dT%H%M%SZ}",
        "date": stamp.isoformat().replace("+00:00", "Z"),
        "tag": ["contract", "implementation"] if measured else ["contract"],
        "initiationType": "tender",
        "language": "en",
        "contracts": [contract],
    }


def _rating_order(rating: KpiRatingView) -> tuple[str, str]:
    return (rating.assessed_on.isoformat() if rating.assessed_on else "", rating.year or "")


def _observation(rating: KpiRatingView) -> dict[str, Any]:
    observation: dict[str, Any] = {"id": rating.notice_observation_id or str(rating.id)}
    start, _, end = rating.period.partition(" to ")
    if end:
        observation["period"] = {"startDate": f"{start}T00:00:00Z", "endDate": f"{end}T00:00:00Z"}
    elif rating.assessed_on is not None:
        observation["period"] = {"endDate": f"{rating.assessed_on.isoformat()}T00:00:00Z"}
    elif rating.year:
        # The pilot's own rating of a financial year: assessed at its end, 31 March.
        observation["period"] = {"endDate": f"{int(rating.year[:4]) + 1}-03-31T00:00:00Z"}
    observation["measureClassification"] = {
        "id": CLASSIFICATION_OF_RATING[rating.rating],
        "description": KpiRating.parse(rating.rating).label,
    }
    if rating.note:
        observation["notes"] = rating.note
    return observation


def export_notice(
    reference: str,
    out: Path,
    *,
    db: Database,
    contract: str | None = None,
    now: dt.datetime | None = None,
) -> Path:
    """Write the contract's KPIs and ratings to ``out`` as a release package; its path."""
    with db.reading() as uow:
        pilot = require_pilot(uow, reference)
        contracts: list[ProcurementView] = uow.find("procurement", pilot_id=pilot.id)
        if contract is not None:
            chosen: ProcurementView = _find(uow, pilot, "procurement", contract)
        elif len(contracts) == 1:
            chosen = contracts[0]
        elif not contracts:
            raise NotFound(f"{pilot.reference} has no contract whose KPIs could be exported")
        else:
            linked = [c for c in contracts if c.ocid]
            if len(linked) != 1:
                names = ", ".join(repr(c.name or str(c.id)[:8]) for c in contracts)
                raise ConflictError(
                    f"{pilot.reference} has {len(contracts)} contracts ({names}); say which "
                    "(--contract NAME)"
                )
            chosen = linked[0]
        only = len(contracts) == 1
        kpis = [
            (kpi, list(uow.find("kpi_rating", kpi_id=kpi.id)))
            for kpi in uow.find("kpi", pilot_id=pilot.id, order_by="name")
            if kpi.procurement_id == chosen.id or (only and kpi.procurement_id is None)
        ]
    when = now or dt.datetime.now(dt.UTC)
    release = notice_release(pilot, chosen, kpis, now=when)
    problems = release_problems(release, ["releases", 0])
    if problems:  # a bug, not the user's doing: say so rather than write a bad notice
        raise AssertionError(f"the exported release breaks the schema: {problems[0]}")
    package = {
        "uri": f"urn:testlearn:{pilot.reference}:{uuid.uuid5(uuid.NAMESPACE_URL, release['id'])}",
        "version": "1.1",
        "publishedDate": release["date"],
        "publisher": {"name": f"testlearn {__version__} (not published: for checking)"},
        "extensions": list(EXTENSION_URLS),
        "releases": [release],
    }
    return _write(out, json.dumps(package, indent=2, ensure_ascii=False) + "\n")


def _write(out: Path, text: str) -> Path:
    out = Path(out)
    temporary: Path | None = None
    try:
        handle, temporary = create_beside(out)
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(text)
        os.replace(temporary, out)
        temporary = None
    except OSError as error:
        raise InputFileError(f"{out}: cannot be written ({error.strerror or error})") from None
    finally:
        if temporary is not None:
            temporary.unlink(missing_ok=True)
    return out
