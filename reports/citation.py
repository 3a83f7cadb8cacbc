"""The citation block: how to cite a report, and how to check its figures.

It gives the registration date and hash of the hypotheses (what success meant, fixed before
the data) and the sha256 fingerprint of the data behind each result, so anyone holding the
database can check that a quoted figure is the one it holds (``testlearn verify`` recomputes
both).
"""

from __future__ import annotations

from reports import numbers
from reports.blocks import Citation
from testlearn import __version__
from testlearn.domain.clearance import ClearanceView
from testlearn.domain.pilot_detail import PilotDetail
from testlearn.domain.receipt import ChainHead


def citation(
    detail: PilotDetail,
    *,
    title: str,
    reference: str,
    version: str,
    generated: str,
    clearance: ClearanceView | None = None,
    chain_head: ChainHead | None = None,
) -> Citation:
    """The citation block: how to cite, the registration and the data fingerprints."""
    pilot = detail.pilot
    lines: list[tuple[str, str]] = []
    for registration, check in zip(detail.registrations, detail.registration_checks, strict=True):
        state = "intact" if check.intact else "CHANGED since registration"
        lines.append(
            (
                f"Registration, {numbers.timestamp(registration.registered_at)}, {state}",
                registration.content_hash,
            )
        )
    engines = set()
    for h in detail.hypotheses:
        result = h.current_result
        if result is not None:
            lines.append((f"{h.hypothesis.code} data fingerprint", result.data_fingerprint))
            engines.add(result.engine_version)
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
                f"History chain head, event {chain_head.seq} of replica {chain_head.replica_short}",
                chain_head.hash,
            )
        )
    lines.append(
        ("Produced by", f"testlearn {__version__}, engine {', '.join(sorted(engines)) or '-'}")
    )
    department = pilot.lead_organisation or "Department not recorded"
    how = (
        f"{department} ({generated}). {title}. Reference {reference}, version {version}. "
        "Hashes are sha256; testlearn verify recomputes them from the database."
    )
    return Citation(how, tuple(lines))
