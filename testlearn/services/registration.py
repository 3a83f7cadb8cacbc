"""Registering a pilot's hypotheses before any outcome data, and recording deviations."""

from __future__ import annotations

import datetime as dt
from typing import Any

from testlearn.domain import plan_changes
from testlearn.domain.canonical import normalise
from testlearn.domain.records import FROZEN_HYPOTHESIS_FIELDS, HypothesisFields
from testlearn.domain.registration import make_snapshot, snapshot_hash
from testlearn.domain.views import DeviationView, HypothesisView, RegistrationView
from testlearn.domain.vocabulary import HypothesisRole, StudyDesign
from testlearn.errors import ConflictError, InvalidValue, RegistrationLocked
from testlearn.services.pilots import require_hypothesis, require_pilot
from testlearn.services.specs import spec_for
from testlearn.store import queries
from testlearn.store.database import Database
from testlearn.store.unit_of_work import UnitOfWork

#: Designs with one arm only: no comparator n is planned.
ONE_ARM = {
    StudyDesign.BEFORE_AFTER.value,
    StudyDesign.BENCHMARK.value,
    StudyDesign.ITS.value,
    StudyDesign.PAIRED.value,
}


def missing_for_registration(hypothesis: HypothesisView) -> list[str]:
    """What a hypothesis still needs before it can be registered, by field title."""
    titles = HypothesisFields.model_fields
    missing = []
    required = ["outcome_name", "planned_n_pilot", "evidence_level"]
    if hypothesis.design not in ONE_ARM:
        required.append("planned_n_comparator")
    if hypothesis.design == StudyDesign.BENCHMARK.value:
        required.append("benchmark_value")
    if hypothesis.clustered_design:
        required += ["planned_clusters_per_arm", "icc"]
    for name in required:
        if getattr(hypothesis, name) in (None, ""):
            missing.append(str(titles[name].title))
    return missing


def baseline_problem(hypothesis: HypothesisView) -> str | None:
    """Why the registered baseline adjustment could never be run, or None.

    Refused when registering rather than found when the data arrive: a plan that cannot be
    followed would only ever give a not-evaluable result.
    """
    if not hypothesis.baseline_covariate:
        return None
    if hypothesis.design != StudyDesign.TWO_GROUP.value:
        return (
            "a baseline adjustment is defined for the two-group design only; clear the "
            "baseline measure or change the design"
        )
    if hypothesis.outcome_type == "count":
        return (
            "a baseline adjustment is defined for continuous and binary outcomes only, not "
            "counts; clear the baseline measure"
        )
    return None


def design_mde(hypothesis: HypothesisView) -> float | None:
    """The design's minimum detectable effect at 80% power (threshold units), if computable."""
    from testlearn.stats.power import design_mde as mde

    return mde(spec_for(hypothesis))


def register(
    reference: str,
    *,
    db: Database,
    actor: str,
    now: dt.datetime | None = None,
    recorded_at: dt.datetime | None = None,
) -> RegistrationView:
    """Freeze every not-yet-registered hypothesis of a pilot, with a timestamp and hash.

    ``recorded_at`` (the demo's history only) dates the registration and its record in the
    audit log alike, as if made then; ``now`` dates the registration alone.
    """
    now = now or recorded_at
    with db.transaction(actor, recorded_at=recorded_at) as uow:
        pilot = require_pilot(uow, reference)
        hypotheses: list[HypothesisView] = uow.find(
            "hypothesis", pilot_id=pilot.id, order_by="code"
        )
        pending = [h for h in hypotheses if h.registration_id is None]
        if not hypotheses:
            raise InvalidValue(f"{pilot.reference} has no hypotheses to register; add one first")
        if not pending:
            raise ConflictError(f"every hypothesis of {pilot.reference} is already registered")
        primaries = [h.code for h in hypotheses if h.role == HypothesisRole.PRIMARY.value]
        if len(primaries) != 1:
            raise InvalidValue(
                f"{pilot.reference} must have exactly one primary hypothesis to register "
                f"(it has {len(primaries)}{': ' + ', '.join(primaries) if primaries else ''})"
            )
        problems = [
            f"{h.code}: {', '.join(missing)}"
            for h in pending
            if (missing := missing_for_registration(h))
        ]
        if problems:
            raise InvalidValue(
                "Cannot register yet; these pre-registration fields are empty: "
                + "; ".join(problems)
            )
        for h in pending:
            if problem := baseline_problem(h):
                raise InvalidValue(f"Cannot register {h.code}: {problem}")
        registered_at = now or dt.datetime.now(dt.UTC)
        if now is None:  # an explicit time is the demo's illustrative history
            _require_clock_forward(uow, registered_at, "register")
        frozen = [
            uow.update(
                "hypothesis",
                h.id,
                {"design_mde": design_mde(h)},
                summary=f"design MDE of {h.code} computed for registration",
            )
            for h in pending
        ]
        snapshot = make_snapshot(
            pilot_id=pilot.id,
            pilot_reference=pilot.reference,
            registered_at=registered_at,
            hypotheses=frozen,
        )
        digest = snapshot_hash(snapshot)
        registration: RegistrationView = uow.create(
            "registration",
            {
                "pilot_id": pilot.id,
                "registered_at": registered_at,
                "registered_by": actor,
                "content_hash": digest,
                "hypothesis_ids": [h.id for h in frozen],
                "snapshot": snapshot,
            },
            summary=f"registered {len(frozen)} hypotheses of {pilot.reference}",
        )
        for h in frozen:
            uow.update(
                "hypothesis",
                h.id,
                {},
                extra={"registration_id": registration.id},
                summary=f"{h.code} registered",
                action="register",
            )
        uow.record_event(
            "register",
            entity="registration",
            row_id=registration.id,
            revision_id=registration.rev,
            summary=f"registration of {pilot.reference} frozen with hash {digest[:12]}",
            detail={"hash": digest, "hypotheses": [h.code for h in frozen]},
        )
        if pilot.status in ("idea", "design"):
            uow.update("pilot", pilot.id, {"status": "registered"}, summary="status: registered")
        return registration


def record_deviation(
    reference: str,
    code: str,
    field: str,
    value: Any,
    reason: str,
    *,
    db: Database,
    actor: str,
    now: dt.datetime | None = None,
    recorded_at: dt.datetime | None = None,
) -> DeviationView:
    """Change one registered field, recording what, old, new and why.

    ``recorded_at`` (the demo's history only) dates the deviation and its audit record.
    """
    now = now or recorded_at
    if not reason or not reason.strip():
        raise InvalidValue("a deviation needs a reason")
    if field not in FROZEN_HYPOTHESIS_FIELDS or field == "pilot_id":
        raise InvalidValue(f"{field!r} is not a registered field of a hypothesis")
    if field in COMPUTED_AT_REGISTRATION:
        raise InvalidValue(COMPUTED_AT_REGISTRATION[field])
    when = now or dt.datetime.now(dt.UTC)
    with db.transaction(actor, recorded_at=recorded_at) as uow:
        if now is None:
            _require_clock_forward(uow, when, "record a deviation")
        hypothesis = _registered_hypothesis(uow, reference, code)
        assert hypothesis.registration_id is not None
        old = getattr(hypothesis, field)
        updated = uow.update(
            "hypothesis",
            hypothesis.id,
            {field: value},
            summary=f"deviation: {hypothesis.code}.{field}",
            action="deviation",
        )
        new = getattr(updated, field)
        if normalise(new) == normalise(old):
            raise InvalidValue(f"{hypothesis.code}.{field} already has that value")
        _refuse_nonsense(uow, hypothesis, updated, field)
        first = plan_changes.first_data_at(
            i.dataset.imported_at for i in queries.dataset_history(uow, hypothesis.id)
        )
        timing = (
            "after the first outcome data (post hoc)"
            if first is not None and when >= first
            else "before any outcome data"
        )
        deviation: DeviationView = uow.create(
            "deviation",
            {
                "hypothesis_id": hypothesis.id,
                "registration_id": hypothesis.registration_id,
                "field": field,
                "old_value": normalise(old),
                "new_value": normalise(new),
                "reason": reason.strip(),
                "recorded_at": when,
                "recorded_by": actor,
            },
            summary=f"deviation recorded for {hypothesis.code}.{field} {timing}: {reason.strip()}",
        )
        return deviation


#: Registered fields that are worked out rather than chosen, so cannot be deviated from.
COMPUTED_AT_REGISTRATION = {
    "design_mde": "the design MDE is worked out from the design when it is registered; "
    "change the design's inputs (planned n, assumed SD, ICC) instead",
}
#: Planned sizes: a deviation may change them, but never to nothing.
PLANNED_SIZES = ("planned_n_pilot", "planned_n_comparator", "planned_clusters_per_arm")
#: A clock may be corrected by a few minutes; more than this backwards is refused.
CLOCK_TOLERANCE = dt.timedelta(minutes=5)


def _require_clock_forward(uow: UnitOfWork, now: dt.datetime, doing: str) -> None:
    """Refuse to stamp a registration or deviation with a clock that has gone backwards."""
    latest = uow.latest_event_at()
    stamp = now if now.tzinfo else now.replace(tzinfo=dt.UTC)
    if latest is not None and stamp < latest - CLOCK_TOLERANCE:
        raise InvalidValue(
            f"cannot {doing}: this computer's clock reads {stamp:%d %B %Y %H:%M} UTC, earlier "
            f"than the last change recorded in this file ({latest:%d %B %Y %H:%M} UTC); set "
            "the clock right and try again"
        )


def _refuse_nonsense(
    uow: UnitOfWork, before: HypothesisView, after: HypothesisView, field: str
) -> None:
    """Refuse, in one line, a deviation that would leave the plan unusable or ambiguous."""
    code = before.code
    if field == "role" and HypothesisRole.PRIMARY.value in (before.role, after.role):
        raise InvalidValue(
            f"{code}: the primary hypothesis is fixed at registration; a pilot has exactly one, "
            "so a role cannot change to or from primary (record a new hypothesis instead)"
        )
    if field == "code":
        others = uow.find("hypothesis", pilot_id=before.pilot_id)
        if any(h.id != before.id and h.code.casefold() == after.code.casefold() for h in others):
            raise InvalidValue(f"{code}: another hypothesis of this pilot is already {after.code}")
    if field in PLANNED_SIZES:
        size = getattr(after, field)
        if size is not None and size < 1:
            title = HypothesisFields.model_fields[field].title
            raise InvalidValue(f"{code}: {title} must be at least 1, not {size}")
    missing = missing_for_registration(after)
    if missing:
        raise InvalidValue(f"{code}: a registered hypothesis needs {', '.join(missing)}")
    if problem := baseline_problem(after):
        raise InvalidValue(f"{code}: {problem}")


def _registered_hypothesis(uow: UnitOfWork, reference: str, code: str) -> HypothesisView:
    hypothesis = require_hypothesis(uow, reference, code)
    if hypothesis.registration_id is None:
        raise RegistrationLocked(
            f"{hypothesis.code} is not registered yet: edit it directly instead"
        )
    return hypothesis
