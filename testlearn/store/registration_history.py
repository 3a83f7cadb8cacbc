"""Registrations are write-once: checked against the revision that made them.

A registration is made once and never edited; after it, the only legitimate change to a
frozen hypothesis field is a deviation. So, beyond the hash checks every record gets:
- any revision of a registration after the one that made it is an immutable violation
  (appending a new snapshot with a correct hash is exactly how registered content would be
  rewritten without touching a guard);
- the hypotheses are compared with the snapshot of that first revision plus the recorded
  deviations, not with whatever snapshot the record holds now;
- a hypothesis is covered by one registration only;
- the registration's date agrees with its hashed snapshot and with the audit event that
  recorded it, and its hash with the hash that event recorded.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator, Mapping
from typing import Any, Protocol

from sqlalchemy import select
from sqlalchemy.exc import SQLAlchemyError

from testlearn.domain.registration import check_registration, date_problems
from testlearn.domain.verification import Finding
from testlearn.domain.views import DeviationView, HypothesisView, RegistrationView
from testlearn.store.audit_chain import RegistrationEvents
from testlearn.store.record_names import RecordNames, full_id, key
from testlearn.store.tables import Dataset, Registration, table_of
from testlearn.store.unit_of_work import UnitOfWork


class _Revision(Protocol):
    @property
    def op(self) -> str: ...
    @property
    def parents(self) -> tuple[str, ...]: ...
    @property
    def recorded_at(self) -> object: ...


def check(
    uow: UnitOfWork,
    names: RecordNames,
    of_record: Mapping[tuple[str, str], list[str]],
    revisions: Mapping[str, _Revision],
    payloads: Mapping[str, str],
    events: RegistrationEvents,
) -> Iterator[Finding]:
    try:
        table = table_of(Registration)
        registrations = [
            RegistrationView.model_validate(dict(row))
            for row in uow.conn.execute(select(table)).mappings()
        ]
        hypotheses: dict[Any, HypothesisView] = {h.id: h for h in uow.find("hypothesis")}
        deviations: list[DeviationView] = uow.find("deviation")
        datasets = table_of(Dataset)
        first_data: dict[str, dt.datetime] = {}
        for dataset_id, imported_at in uow.conn.execute(
            select(datasets.c.id, datasets.c.imported_at)
        ):
            pilot = names.pilot_key("dataset", dataset_id)
            if pilot and (pilot not in first_data or imported_at < first_data[pilot]):
                first_data[pilot] = imported_at
    except (SQLAlchemyError, ValueError, TypeError):
        return  # unreadable rows: the record and id checks have said where
    labels = {h.id: h.code for h in hypotheses.values()}
    covering: dict[str, list[RegistrationView]] = {}
    for registration in registrations:
        for covered in registration.hypothesis_ids:
            covering.setdefault(key(covered), []).append(registration)
        yield from _one(
            registration,
            names,
            of_record.get(("registration", key(registration.id)), []),
            revisions,
            payloads,
            events.by_registration.get(key(registration.id), []),
            (hypotheses, deviations, labels),
            first_data.get(key(registration.pilot_id)),
        )
    for hypothesis, regs in covering.items():
        if len(regs) > 1:
            yield Finding(
                "immutable",
                f"hypothesis {names.hypothesis(hypothesis)}",
                f"the hypothesis is covered by {len(regs)} registrations "
                f"({', '.join(str(r.id) for r in regs)}): a hypothesis is registered once, "
                "and changes after that are deviations",
                entity="hypothesis",
                row_id=full_id(hypothesis),
                pilot_id=names.pilot_id("hypothesis", hypothesis),
            )
    for h in hypotheses.values():
        if h.registration_id is not None and all(
            r.id != h.registration_id for r in covering.get(key(h.id), [])
        ):
            yield Finding(
                "registration",
                f"hypothesis {names.hypothesis(h.id)}",
                f"the hypothesis says it is registered by {h.registration_id}, which does not "
                "cover it",
                entity="hypothesis",
                row_id=str(h.id),
                pilot_id=names.pilot_id("hypothesis", h.id),
            )


def _one(
    registration: RegistrationView,
    names: RecordNames,
    revs: list[str],
    revisions: Mapping[str, _Revision],
    payloads: Mapping[str, str],
    recorded: list[tuple[dt.datetime, str, dict[str, object]]],
    content: tuple[Mapping[Any, HypothesisView], list[DeviationView], Mapping[Any, str]],
    first_data_at: dt.datetime | None,
) -> Iterator[Finding]:
    hypotheses, deviations, labels = content
    reference = names.reference("registration", registration.id)
    where = f"registration of {reference}"
    ids = {
        "entity": "registration",
        "row_id": str(registration.id),
        "pilot_id": names.pilot_id("registration", registration.id),
    }
    making = [r for r in revs if revisions[r].op == "create" and not revisions[r].parents]
    for rev in revs:
        if rev not in making:
            yield Finding(
                "immutable",
                where,
                f"{where} was changed after it was made (write-once): revision {rev} "
                f"({revisions[rev].op}, recorded {revisions[rev].recorded_at}) follows the "
                "revision that made it",
                revision=rev,
                **ids,
            )
    original = registration
    if making:
        try:
            made = json.loads(payloads[making[0]])
            original = registration.model_copy(
                update={"snapshot": made["snapshot"], "content_hash": made["content_hash"]}
            )
        except (KeyError, ValueError, TypeError):
            pass  # an unreadable first revision fails its own hash check
    elif revs:
        yield Finding("immutable", where, "it has no revision that made it", **ids)
    now = check_registration(registration, hypotheses, deviations, labels=labels).problems
    made_problems = check_registration(original, hypotheses, deviations, labels=labels).problems
    for problem in now:
        yield Finding("registration", where, problem, **ids)
    for problem in made_problems:
        if problem not in now:
            yield Finding("immutable", where, f"{where}, as it was made: {problem}", **ids)
    recording = [
        (at, detail) for at, action, detail in recorded if action in ("create", "register")
    ]
    if not recording:
        yield Finding("registration", where, "no audit event records that it was made", **ids)
    for problem in date_problems(
        registration,
        recorded_at=recording[0][0] if recording else None,
        first_data_at=first_data_at,
    ):
        yield Finding("registration", where, problem, **ids)
    for _at, detail in recording:
        if "hash" in detail and detail["hash"] != original.content_hash:
            yield Finding(
                "registration",
                where,
                f"its hash {original.content_hash} is not the hash {detail['hash']} "
                "the audit log recorded when it was made",
                **ids,
            )
