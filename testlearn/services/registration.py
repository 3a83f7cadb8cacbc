"""Registering a pilot's hypotheses before any outcome data, and recording deviations."""

from __future__ import annotations

import datetime as dt
from typing import Any

from testlearn.domain.canonical import normalise
from testlearn.domain.records import FROZEN_HYPOTHESIS_FIELDS, HypothesisFields
from testlearn.domain.registration import make_snapshot, snapshot_hash
from testlearn.domain.views import DeviationView, HypothesisView, RegistrationView
from testlearn.domain.vocabulary import HypothesisRole, StudyDesign
from testlearn.errors import ConflictError, InvalidValue, RegistrationLocked
from testlearn.services.pilots import require_hypothesis, require_pilot
from testlearn.services.specs import spec_for
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
) -> RegistrationView:
    """Freeze every not-yet-registered hypothesis of a pilot, with a timestamp and hash."""
    with db.transaction(actor) as uow:
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
        registered_at = now or dt.datetime.now(dt.UTC)
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
) -> DeviationView:
    """Change one registered field, recording what, old, new and why."""
    if not reason or not reason.strip():
        raise InvalidValue("a deviation needs a reason")
    if field not in FROZEN_HYPOTHESIS_FIELDS or field == "pilot_id":
        raise InvalidValue(f"{field!r} is not a registered field of a hypothesis")
    with db.transaction(actor) as uow:
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
        deviation: DeviationView = uow.create(
            "deviation",
            {
                "hypothesis_id": hypothesis.id,
                "registration_id": hypothesis.registration_id,
                "field": field,
                "old_value": normalise(old),
                "new_value": normalise(new),
                "reason": reason.strip(),
                "recorded_at": dt.datetime.now(dt.UTC),
                "recorded_by": actor,
            },
            summary=f"deviation recorded for {hypothesis.code}.{field}: {reason.strip()}",
        )
        return deviation


def _registered_hypothesis(uow: UnitOfWork, reference: str, code: str) -> HypothesisView:
    hypothesis = require_hypothesis(uow, reference, code)
    if hypothesis.registration_id is None:
        raise RegistrationLocked(
            f"{hypothesis.code} is not registered yet: edit it directly instead"
        )
    return hypothesis
