"""What a contract's Procurement Act notices say about its KPIs, read from Find a Tender's JSON.

A file is a release package, a record package (its embedded releases are read) or a single
release. Every release is checked against the OCDS schema (``notice_schema``) and the file is
refused whole, one line per problem naming the file and the JSON path, if any release is
wrong, so nothing is half-imported. The releases of one contracting process (one OCID) are
taken in date order: a later notice's KPI replaces an earlier one with the same id, and
ratings accumulate by the date they were assessed.
"""

from __future__ import annotations

import datetime as dt
import json
import math
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from testlearn.domain.json_depth import nesting_depth
from testlearn.domain.notice_schema import json_path, release_problems
from testlearn.errors import NoticeRefused

#: A notice file larger than this is not a notice (Find a Tender's are tens of kilobytes).
LARGEST_FILE = 20 * 1024 * 1024
#: Deeper nesting than this is not a notice either (OCDS goes about eight levels down).
DEEPEST = 64
#: How many problems a refusal lists before it says how many more there are.
PROBLEMS_SHOWN = 20

#: The UK extension's measureClassification codes, as the KPI rating vocabulary codes them:
#: the Procurement Act's Good / Approaching target / Requires improvement / Inadequate / Other.
RATING_OF_CLASSIFICATION = {
    "met": "good",
    "slightlyBelow": "approaching",
    "below": "requires_improvement",
    "significantlyBelow": "inadequate",
    "other": "other",
}
CLASSIFICATION_OF_RATING = {v: k for k, v in RATING_OF_CLASSIFICATION.items()}


@dataclass(frozen=True)
class Notice:
    """One release: its notice type (UK7, UK9...) where it names one, its id and date."""

    notice_type: str
    release_id: str
    date: str  # ISO date

    def as_dict(self) -> dict[str, str]:
        return {"type": self.notice_type, "id": self.release_id, "date": self.date}

    def label(self) -> str:
        return f"{self.notice_type or 'notice'} {self.release_id}"


@dataclass(frozen=True)
class NoticeKpi:
    """An agreed metric of the contract: a KPI and its target."""

    metric_id: str
    title: str
    description: str
    target: str


@dataclass(frozen=True)
class NoticeRating:
    """An assessed observation of a KPI, with its measure classification as a rating code."""

    metric_id: str
    observation_id: str
    rating: str
    assessed_on: dt.date
    period: str
    note: str
    notice: str  # the source notice's label


@dataclass(frozen=True)
class ContractNotices:
    """Everything the file's releases say about one contracting process, latest first won."""

    ocid: str
    title: str
    notices: tuple[Notice, ...]
    contract_value: float | None
    no_agreed_metrics_rationale: str
    kpis: tuple[NoticeKpi, ...]
    ratings: tuple[NoticeRating, ...]


def read_notice_file(path: Path) -> ContractNotices:
    """The file's notices, or :class:`NoticeRefused` listing every problem."""
    name = path.name
    try:
        size = path.stat().st_size
        if size > LARGEST_FILE:
            raise NoticeRefused(
                [f"{name}: {size:,} bytes is too large for a notice (at most {LARGEST_FILE:,})"]
            )
        data = path.read_bytes()
    except OSError as error:
        raise NoticeRefused([f"{name}: cannot be read ({error.strerror or error})"]) from None
    return read_notices(data, name)


def read_notices(data: bytes, name: str) -> ContractNotices:
    """:func:`read_notice_file` for bytes already read; ``name`` names them in refusals."""
    document = _parse(data, name)
    releases = _releases(document, name)
    problems: list[str] = []
    for prefix, release in releases:
        problems.extend(f"{name}: {line}" for line in release_problems(release, prefix))
        problems.extend(f"{name}: {line}" for line in _meaning_problems(release, prefix))
    if problems:
        raise NoticeRefused(problems)
    ocids = sorted({r["ocid"] for _, r in releases})
    if len(ocids) > 1:
        raise NoticeRefused(
            [
                f"{name}: holds {len(ocids)} contracting processes ({', '.join(ocids[:3])}"
                f"{'...' if len(ocids) > 3 else ''}); import one OCID's notices at a time"
            ]
        )
    return _combine([r for _, r in releases])


class _NotFinite(ValueError):
    """A number Python's JSON reader would take but JSON does not have (NaN, 1e400)."""


def _not_json(constant: str) -> float:
    raise _NotFinite(constant)


def _finite(literal: str) -> float:
    value = float(literal)
    if not math.isfinite(value):
        raise _NotFinite(literal)
    return value


def _parse(data: bytes, name: str) -> Any:
    if data.startswith(b"%PDF"):
        raise NoticeRefused([f"{name}: is a PDF, not a notice in JSON; download the JSON"])
    if data.startswith(b"PK\x03\x04"):
        raise NoticeRefused([f"{name}: is a zip file or workbook, not a notice in JSON"])
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise NoticeRefused(
            [f"{name}: byte {error.start + 1:,} is not UTF-8 text; a notice is JSON in UTF-8"]
        ) from None
    if not text.strip():
        raise NoticeRefused([f"{name}: is empty"])
    try:
        document = json.loads(text, parse_constant=_not_json, parse_float=_finite)
    except _NotFinite as error:
        raise NoticeRefused(
            [f"{name}: the number {error} is not a finite number; JSON has no NaN or infinity"]
        ) from None
    except json.JSONDecodeError as error:
        raise NoticeRefused(
            [f"{name}: line {error.lineno}, column {error.colno}: not JSON ({error.msg})"]
        ) from None
    except RecursionError:
        raise NoticeRefused([f"{name}: nested too deeply to be a notice"]) from None
    if nesting_depth(document, stop_above=DEEPEST) > DEEPEST:
        raise NoticeRefused([f"{name}: nested more than {DEEPEST} levels deep; not a notice"])
    return document


def _releases(document: Any, name: str) -> list[tuple[list[str | int], Any]]:
    """(JSON path, release) of each release the file holds."""
    if not isinstance(document, dict):
        raise NoticeRefused([f"{name}: is not a release, release package or record package"])
    if "releases" in document:
        found = document["releases"]
        if not isinstance(found, list) or not found:
            raise NoticeRefused([f"{name}: releases: must be a list of at least one release"])
        return [(["releases", i], release) for i, release in enumerate(found)]
    if "records" in document:
        records = document["records"]
        if not isinstance(records, list) or not records:
            raise NoticeRefused([f"{name}: records: must be a list of at least one record"])
        out: list[tuple[list[str | int], Any]] = []
        for i, record in enumerate(records):
            inner = record.get("releases") if isinstance(record, dict) else None
            if not isinstance(inner, list):
                raise NoticeRefused([f"{name}: records[{i}].releases: must be a list"])
            for j, release in enumerate(inner):
                # A record may link to its releases by url; only embedded ones can be read.
                if isinstance(release, dict) and set(release) - {"url", "date", "tag"}:
                    out.append((["records", i, "releases", j], release))
        if not out:
            raise NoticeRefused(
                [f"{name}: the records link to their releases but hold none; use the releases"]
            )
        return out
    if "ocid" in document:
        return [([], document)]
    raise NoticeRefused([f"{name}: is not a release, release package or record package"])


def _contracts(release: Any) -> list[tuple[int, dict[str, Any]]]:
    contracts = release.get("contracts") if isinstance(release, dict) else None
    if not isinstance(contracts, list):
        return []
    return [(i, c) for i, c in enumerate(contracts) if isinstance(c, dict)]


def _meaning_problems(release: Any, prefix: list[str | int]) -> list[str]:
    """What the schema allows but a notice cannot mean: an unknown rating, an unreadable date."""
    if not isinstance(release, dict):
        return []
    found = []
    if isinstance(release.get("date"), str) and _date(release["date"]) is None:
        found.append(f"{json_path([*prefix, 'date'])}: not a date and time")
    for i, contract in _contracts(release):
        implementation = contract.get("implementation") or {}
        for j, metric in enumerate(implementation.get("metrics") or []):
            for k, observation in enumerate(metric.get("observations") or []):
                at = [*prefix, "contracts", i, "implementation", "metrics", j, "observations", k]
                classification = observation.get("measureClassification")
                if isinstance(classification, dict):
                    code = classification.get("id")
                    if code is not None and str(code) not in RATING_OF_CLASSIFICATION:
                        found.append(
                            f"{json_path([*at, 'measureClassification', 'id'])}: {code!r} is not "
                            f"one of {', '.join(RATING_OF_CLASSIFICATION)}"
                        )
                period = observation.get("period") or {}
                for end in ("startDate", "endDate"):
                    if isinstance(period.get(end), str) and _date(period[end]) is None:
                        found.append(f"{json_path([*at, 'period', end])}: not a date and time")
    return found


def _date(text: str) -> dt.date | None:
    try:
        return dt.datetime.fromisoformat(text.replace("Z", "+00:00")).date()
    except ValueError:
        return None


def _notice_type(release: dict[str, Any]) -> str:
    """The notice type (UK1-UK17) a release's documents give, the newest section's first."""
    places: list[Any] = []
    for _, contract in _contracts(release):
        places.append((contract.get("implementation") or {}).get("documents"))
        places.append(contract.get("documents"))
    for award in release.get("awards") or []:
        places.append(award.get("documents") if isinstance(award, dict) else None)
    places.append((release.get("tender") or {}).get("documents"))
    places.append((release.get("planning") or {}).get("documents"))
    for documents in places:
        for document in documents or []:
            if isinstance(document, dict) and document.get("noticeType"):
                return str(document["noticeType"])
    return ""


def _observed(observation: dict[str, Any]) -> str:
    """An observation's measure or value as text: "95 per cent", "12000 GBP"."""
    value = observation.get("value") or {}
    if value.get("amount") is not None:
        return f"{value['amount']:g} {value.get('currency') or ''}".strip()
    measure = observation.get("measure")
    if measure is None:
        return ""
    unit = (observation.get("unit") or {}).get("name") or ""
    shown = f"{measure:g}" if isinstance(measure, int | float) else str(measure)
    return f"{shown} {unit}".strip()


def _period(observation: dict[str, Any]) -> tuple[str, str]:
    period = observation.get("period") or {}
    start = _date(period["startDate"]) if period.get("startDate") else None
    end = _date(period["endDate"]) if period.get("endDate") else None
    # An end alone is the date assessed, not a period.
    text = f"{start.isoformat()} to {end.isoformat()}" if start and end else ""
    if start and not end:
        text = f"from {start.isoformat()}"
    return text, end.isoformat() if end else ""


def _combine(releases: list[dict[str, Any]]) -> ContractNotices:
    ordered = sorted(releases, key=lambda r: (_date(r["date"]) or dt.date.min, r["date"], r["id"]))
    notices: dict[str, Notice] = {}
    kpis: dict[str, NoticeKpi] = {}
    ratings: dict[tuple[str, str], NoticeRating] = {}
    values: dict[str, float] = {}
    title, rationale = "", ""
    for release in ordered:
        day = _date(release["date"]) or dt.date.min
        notice = Notice(_notice_type(release), str(release["id"]), day.isoformat())
        notices[notice.release_id] = notice
        title = (release.get("tender") or {}).get("title") or title
        for _, contract in _contracts(release):
            title = title or contract.get("title") or ""
            value = contract.get("value") or {}
            if value.get("amount") is not None and value.get("currency") in (None, "GBP"):
                values[str(contract.get("id"))] = float(value["amount"])
            rationale = contract.get("noAgreedMetricsRationale") or rationale
            for metric in contract.get("agreedMetrics") or []:
                targets = [_observed(o) for o in metric.get("observations") or []]
                kpis[metric["id"]] = NoticeKpi(
                    metric["id"],
                    metric.get("title") or metric["id"],
                    metric.get("description") or "",
                    "; ".join(t for t in targets if t),
                )
            for metric in (contract.get("implementation") or {}).get("metrics") or []:
                for observation in metric.get("observations") or []:
                    code = (observation.get("measureClassification") or {}).get("id")
                    if code is None:
                        continue  # a measure without a classification is not a rating
                    period, end = _period(observation)
                    assessed = dt.date.fromisoformat(end) if end else day
                    ratings[(metric["id"], observation["id"])] = NoticeRating(
                        metric["id"],
                        observation["id"],
                        RATING_OF_CLASSIFICATION[str(code)],
                        assessed,
                        period,
                        " ".join(
                            t for t in (_observed(observation), observation.get("notes") or "") if t
                        ),
                        notice.label(),
                    )
    return ContractNotices(
        ocid=str(ordered[-1]["ocid"]),
        title=str(title),
        notices=tuple(notices.values()),
        contract_value=sum(values.values()) if values else None,
        no_agreed_metrics_rationale=str(rationale),
        kpis=tuple(kpis.values()),
        ratings=tuple(sorted(ratings.values(), key=lambda r: (r.assessed_on, r.metric_id))),
    )
