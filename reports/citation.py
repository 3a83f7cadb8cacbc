"""The citation block: what a report is, how to cite it, and how to check every hash it prints.

It names the report, its version and the moment it was produced, the database it was made
from, the registration hash of the hypotheses (what success meant, fixed before the data),
and the fingerprints of the data analysed. The full report prints, for each result, the
fingerprint of its data beside the sha256 of the file they were imported from; the brief,
which has two pages, prints one fingerprint of all the data the pilot's results analysed
(``pilot_data_fingerprint``) and leaves the list to the full report. A reader holding the
file checks its sha256 with ``sha256sum``; a reader holding the database checks the whole
report with ``testlearn verify-report``, which rebuilds it from the database and names any
figure or hash that differs. The portfolio's block has no registration of its own: it names
its pilots and prints the fingerprint of its content.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import hashlib
from collections.abc import Iterable

from reports import numbers
from reports.blocks import Citation
from testlearn import __version__
from testlearn.domain.canonical import canonical_hash
from testlearn.domain.clearance import ClearanceView
from testlearn.domain.pilot_detail import PilotDetail
from testlearn.domain.portfolio import Portfolio
from testlearn.domain.receipt import ChainHead

#: What each hash is and how to check it, in plain words, printed under the hashes.
HASHES_EXPLAINED = (
    "Registration hash: sha256 of the hypotheses as registered. Data fingerprint: of the rows "
    "analysed. Source file sha256: of the file imported (sha256sum FILE). Chain head: the "
    "file's history when this was made."
)


#: How the brief's one data fingerprint is made, from the list the full report prints.
DATA_FINGERPRINT_MADE = (
    "Data fingerprint: sha256 of the full report's data fingerprints, each once, sorted, one "
    "a line."
)
#: The brief's explanation: one fingerprint for all the data, the list in the full report.
PILOT_HASHES_EXPLAINED = (
    "Registration hash: sha256 of the hypotheses as registered. Data fingerprint: sha256 of "
    "the data fingerprints of the datasets analysed, each once, sorted, one a line; the full "
    "report lists each, with its source file's sha256. Chain head: the file's history when "
    "this was made."
)

#: Hashes in the brief's citation are set at this size (points), so that they can be read
#: and typed; the full report's annex of hashes keeps the size it was issued with.
LEGIBLE_HASH_SIZE = 8.5


def pilot_data_fingerprint(fingerprints: Iterable[str]) -> str:
    """One fingerprint of all the data a pilot's results analysed.

    The sha256 of the distinct data fingerprints (lowercase hex), sorted, each on a line of
    its own ending in a newline: what ``sort -u fingerprints.txt | sha256sum`` prints for a
    file holding the fingerprints the full report lists, one a line. Any change to any
    dataset analysed changes it; the order of the hypotheses does not.
    """
    lines = "".join(f"{value.lower()}\n" for value in sorted({f.lower() for f in fingerprints}))
    return hashlib.sha256(lines.encode("ascii")).hexdigest()


def produced_line(generated_at: dt.datetime | None, engines: str = "") -> tuple[str, str]:
    """The "Produced by" line: the program, its analysis engine and the exact moment.

    The moment is printed to the second, as ISO, so that the report can be rebuilt exactly
    (the same data and moment give the same file) and checked.
    """
    engine = f", engine {engines}" if engines else ""
    moment = f", at {iso_moment(generated_at)}" if generated_at is not None else ""
    return ("Produced by", f"testlearn {__version__}{engine}{moment}")


def iso_moment(value: dt.datetime) -> str:
    """A moment in UTC to the second, as ISO 8601: 2026-11-27T09:00:00Z."""
    if value.tzinfo is not None:
        value = value.astimezone(dt.UTC)
    return f"{value:%Y-%m-%dT%H:%M:%S}Z"


def how_to_check() -> str:
    """The sentence that says how to check the whole report in one command."""
    return "Check every figure and hash: testlearn verify-report FILE --db DATABASE."


def citation(
    detail: PilotDetail,
    *,
    title: str,
    reference: str,
    version: str,
    generated: str,
    clearance: ClearanceView | None = None,
    generated_at: dt.datetime | None = None,
    include_commercial: bool | None = None,
    database: str = "",
    chain_head: ChainHead | None = None,
    pilot_level: bool = False,
) -> Citation:
    """The citation block: how to cite, the registration and the data fingerprints.

    With ``pilot_level`` (the brief), the data are cited by one fingerprint of them all;
    otherwise (the full report, and briefs issued before) each result's data fingerprint and
    source file's sha256 are listed.
    """
    pilot = detail.pilot
    lines: list[tuple[str, str]] = []
    for registration, check in zip(detail.registrations, detail.registration_checks, strict=True):
        state = "intact" if check.intact else "CHANGED since registration"
        when = registration.registered_at
        # The brief's labels fit beside a hash at a legible size on one line; the day is
        # enough there (the full report and `testlearn show` give the minute).
        label = (
            f"Registered {numbers.long_date(_in_utc(when))}, {state}"
            if pilot_level
            else f"Registration, {numbers.timestamp(when)}, {state}"
        )
        lines.append((label, registration.content_hash))
    data_lines = _pilot_data_lines(detail) if pilot_level else _data_lines(detail)
    lines.extend(data_lines)
    engines = {h.current_result.engine_version for h in detail.hypotheses if h.current_result}
    if clearance is not None:
        # The fingerprint lets a reader check that this is the content that was cleared:
        # `testlearn clearances REF` lists it, recomputed from the database.
        lines.append(
            (
                f"Cleared content ({clearance.version_label}, "
                f"{numbers.long_date(clearance.cleared_on)})",
                clearance.content_hash,
            )
        )
    if chain_head is not None:
        # The last event of the file's history when the report was made: whoever keeps this
        # page can later check that the history has only grown (docs/registration.md).
        lines.append(
            (
                f"Chain head (event {chain_head.seq}, {chain_head.replica_short})",
                chain_head.hash,
            )
        )
    lines.append(produced_line(generated_at, ", ".join(sorted(engines)) or "-"))
    department = pilot.lead_organisation or "Department not recorded"
    edition = ""
    if include_commercial is not None:
        edition = ", with" if include_commercial else ", without"
        edition += " commercially sensitive figures"
    source = f", from the database {database}" if database else ""
    how = (
        f"{department} ({generated}). {title}. Reference {reference}, version {version}"
        f"{edition}{source}."
    )
    if not pilot_level:
        return Citation(how, tuple(lines), explained=f"{HASHES_EXPLAINED} {how_to_check()}")
    return Citation(
        how,
        tuple(lines),
        explained=f"{PILOT_HASHES_EXPLAINED} {how_to_check()}",
        hash_size=LEGIBLE_HASH_SIZE,
    )


def _in_utc(value: dt.datetime) -> dt.datetime:
    """A moment in UTC (a moment without a zone is taken as UTC, as ``numbers`` does)."""
    return value.astimezone(dt.UTC) if value.tzinfo is not None else value


def _data_lines(detail: PilotDetail) -> list[tuple[str, str]]:
    """Each result's data fingerprint, and the sha256 of the file its data came from."""
    lines: list[tuple[str, str]] = []
    for h in detail.hypotheses:
        result = h.current_result
        if result is not None:
            lines.append((f"{h.hypothesis.code} data fingerprint", result.data_fingerprint))
            dataset = h.dataset
            if dataset is not None and dataset.id == result.dataset_id and dataset.source_sha256:
                lines.append((f"{h.hypothesis.code} source file sha256", dataset.source_sha256))
    return lines


def _pilot_data_lines(detail: PilotDetail) -> list[tuple[str, str]]:
    """One fingerprint of all the data analysed; each file's sha256 is in the full report.

    Nothing when no result stands: a fingerprint of no data would be a hash of nothing.
    """
    fingerprints = {
        h.current_result.data_fingerprint for h in detail.hypotheses if h.current_result
    }
    if not fingerprints:
        return []
    # Labelled in the words a check quotes beside a hash that differs ("fingerprint <hash>").
    return [("Data fingerprint", pilot_data_fingerprint(fingerprints))]


def portfolio_version(final: bool) -> str:
    """The portfolio's version: "final" or "draft".

    Unlike a pilot's report, a portfolio has no clearance record to number its versions
    (clearances belong to one pilot), so a final is never called v1.0: the content
    fingerprint in its citation says exactly which content it is.
    """
    return "final" if final else "draft"


def content_fingerprint(found: Portfolio) -> str:
    """The sha256 of everything the portfolio counts, in canonical form, without its date.

    The same database gives the same fingerprint whenever the portfolio is made, and any
    change to what it reports changes it.
    """
    content = dataclasses.asdict(found)
    content.pop("generated_at")
    return canonical_hash(content)


#: Up to this many pilots the citation names each; beyond it, a cell naming them all would
#: be taller than a page (1,000 references are about 2,500 points of fixed-width text), and
#: the annex, which lists every pilot, names them instead.
CITED_BY_NAME = 60


def _pilot_references(found: Portfolio) -> str:
    references = [p.reference for p in found.pilots]
    if len(references) <= CITED_BY_NAME:
        return ", ".join(references)
    return (
        f"{numbers.count(len(references))} pilots, {references[0]} to {references[-1]}, each "
        "named in the annex"
    )


def portfolio_citation(
    found: Portfolio, reference: str, final: bool, database: str = ""
) -> Citation:
    """The portfolio's citation block: what it is, its version, date, database and content."""
    departments = sorted({p.lead_organisation for p in found.pilots if p.lead_organisation})
    who = "; ".join(departments[:3]) + (" and others" if len(departments) > 3 else "")
    lines: list[tuple[str, str]] = []
    if database:
        lines.append(("Database", database))
    lines.extend(
        [
            ("Pilots", _pilot_references(found)),
            ("Content fingerprint (sha256)", content_fingerprint(found)),
            produced_line(found.generated_at),
        ]
    )
    how = (
        f"{who or 'Departments not recorded'} ({numbers.long_date(found.generated_at)}). "
        f"Test-and-learn portfolio report of {numbers.plural(len(found.pilots), 'pilot')}. "
        f"Reference {reference}, version {portfolio_version(final)}, produced "
        f"{iso_moment(found.generated_at)}. {how_to_check()}"
    )
    return Citation(
        how,
        tuple(lines),
        explained="The content fingerprint is the sha256 of everything this report counts, "
        "without its date: the same database gives the same fingerprint, and any change to "
        "what it reports changes it.",
    )
