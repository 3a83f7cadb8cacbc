"""Registration: what freezing a pilot's hypotheses means, as pure functions.

A registration stores a snapshot of every frozen field of the hypotheses it covers and the
hash of that snapshot. From then on the only legitimate way to change a frozen field is a
deviation (what, old, new, reason). So at any later time the hypotheses' current content
must equal the snapshot with the deviations applied in order; anything else means the
content was changed by another route (raw SQL, a hand-edited file), which
``testlearn verify`` reports. See docs/registration.md.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from testlearn.domain.canonical import CANONICAL_VERSION, canonical_hash, normalise
from testlearn.domain.records import FROZEN_HYPOTHESIS_FIELDS, OMITTED_WHILE_EMPTY
from testlearn.domain.views import DeviationView, HypothesisView, RegistrationView

#: Frozen fields added after registrations were first made: left out of the content while
#: empty, so that every registration made before them keeps its hash.
LATER_FIELDS: tuple[str, ...] = OMITTED_WHILE_EMPTY["hypothesis"]


def frozen_content(hypothesis: HypothesisView) -> dict[str, Any]:
    """The frozen fields of one hypothesis, in canonical (normalised) form."""
    values = {
        name: getattr(hypothesis, name)
        for name in FROZEN_HYPOTHESIS_FIELDS
        if not (name in LATER_FIELDS and getattr(hypothesis, name) in ("", None))
    }
    return normalise(values)  # type: ignore[no-any-return]


def _frozen_value(content: Mapping[str, Any], name: str) -> Any:
    """A field of frozen content; a later field left out reads as empty."""
    return content.get(name, "" if name in LATER_FIELDS else None)


def make_snapshot(
    *,
    pilot_id: uuid.UUID,
    pilot_reference: str,
    registered_at: dt.datetime,
    hypotheses: Iterable[HypothesisView],
) -> dict[str, Any]:
    return {
        "canonical_version": CANONICAL_VERSION,
        "pilot_id": str(pilot_id),
        "pilot_reference": pilot_reference,
        "registered_at": normalise(registered_at),
        "hypotheses": {str(h.id): frozen_content(h) for h in hypotheses},
    }


def snapshot_hash(snapshot: Mapping[str, Any]) -> str:
    return canonical_hash(snapshot)


def _utc(value: dt.datetime) -> dt.datetime:
    return value.replace(tzinfo=dt.UTC) if value.tzinfo is None else value.astimezone(dt.UTC)


def _when(value: Any) -> str:
    moment = dt.datetime.fromisoformat(value) if isinstance(value, str) else value
    return (
        f"{_utc(moment):%Y-%m-%d %H:%M:%S} UTC" if isinstance(moment, dt.datetime) else str(value)
    )


@dataclass(frozen=True)
class RegistrationCheck:
    """The state of one registration: intact, or what was changed outside a deviation."""

    registration_id: uuid.UUID
    content_hash: str
    problems: tuple[str, ...]

    @property
    def intact(self) -> bool:
        return not self.problems


def check_registration(
    registration: RegistrationView,
    hypotheses: Mapping[uuid.UUID, HypothesisView],
    deviations: Iterable[DeviationView],
    *,
    labels: Mapping[uuid.UUID, str] | None = None,
) -> RegistrationCheck:
    """Compare current hypotheses with the registered snapshot plus recorded deviations."""
    problems: list[str] = []
    snapshot = registration.snapshot
    if snapshot_hash(snapshot) != registration.content_hash:
        problems.append("the registered snapshot no longer matches its registration hash")
    hashed_date = snapshot.get("registered_at")
    if hashed_date is not None and hashed_date != normalise(registration.registered_at):
        # The date shown and printed is the column's; only the snapshot's is hashed.
        problems.append(
            f"it says it was made on {_when(registration.registered_at)}, but its hashed "
            f"snapshot says {_when(hashed_date)}: the date was changed outside testlearn"
        )
    expected: dict[str, dict[str, Any]] = {
        key: dict(value) for key, value in snapshot.get("hypotheses", {}).items()
    }
    for deviation in sorted(deviations, key=lambda d: d.recorded_at):
        content = expected.get(str(deviation.hypothesis_id))
        if content is not None:
            content[deviation.field] = normalise(deviation.new_value)
    for key, content in expected.items():
        hypothesis_id = uuid.UUID(key)
        name = (labels or {}).get(hypothesis_id, key)
        current = hypotheses.get(hypothesis_id)
        if current is None:
            problems.append(f"registered hypothesis {name} is missing")
            continue
        actual = frozen_content(current)
        # A later field set since registration is a change too, though the snapshot lacks it.
        names = set(content) | {f for f in LATER_FIELDS if f in actual}
        changed = sorted(f for f in names if _frozen_value(actual, f) != _frozen_value(content, f))
        if changed:
            problems.append(
                f"hypothesis {name} was changed after registration without a recorded "
                f"deviation ({', '.join(changed)})"
            )
    return RegistrationCheck(registration.id, registration.content_hash, tuple(problems))


def date_problems(
    registration: RegistrationView,
    *,
    recorded_at: dt.datetime | None,
    first_data_at: dt.datetime | None,
) -> list[str]:
    """Where the registration's date disagrees with its recording (the snapshot's date is
    compared by :func:`check_registration`).

    The audit event's time is when testlearn actually recorded the registration. A
    registration may carry an earlier date than that (the demo stages scenarios that began
    in 2024), but it may not claim to come before the pilot's first
    outcome data when it was recorded after them: that is the claim "registered before
    the data" a brief makes, and back-dating exists to make it falsely.
    """
    problems = []
    if recorded_at is not None and first_data_at is not None:
        made, data = _utc(registration.registered_at), _utc(first_data_at)
        if made < data < _utc(recorded_at):
            problems.append(
                f"it is dated {_when(made)}, before the pilot's first outcome data "
                f"({_when(data)}), but the audit event that recorded it was written at "
                f"{_when(recorded_at)}, after them: it was back-dated"
            )
    return problems
