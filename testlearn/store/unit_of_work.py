"""The unit of work: one transaction, with the record operations services are allowed.

Every change to a record goes through :meth:`UnitOfWork.create`, :meth:`update` or
:meth:`delete`, which append a revision (the history and the merge base) and an audit event
(the hash chain) in the same transaction as the change itself. ORM rows never leave this
module: callers get frozen views from ``testlearn.domain.views``.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Mapping, Sequence
from typing import Any, TypeVar

from pydantic import ValidationError
from sqlalchemy import JSON, Column, Connection, func, select, text
from sqlmodel import Session, SQLModel, col

from testlearn.domain import field_messages, records, views
from testlearn.domain.canonical import canonical_bytes, canonical_hash, normalise, revision_id
from testlearn.domain.clearance import ClearanceView
from testlearn.domain.ids import new_id
from testlearn.domain.vocabulary import VOCABULARIES
from testlearn.errors import ConflictError, InvalidValue, NotFound, UnreadableRecord
from testlearn.store import tables
from testlearn.store.tables import RECORDS, AuditEvent, Revision, Versioned

V = TypeVar("V", bound=views.Identity)

VIEWS: dict[str, type[views.Identity]] = {
    "pilot": views.PilotView,
    "procurement": views.ProcurementView,
    "kpi": views.KpiView,
    "kpi_rating": views.KpiRatingView,
    "comparator": views.ComparatorView,
    "hypothesis": views.HypothesisView,
    "registration": views.RegistrationView,
    "deviation": views.DeviationView,
    "dataset": views.DatasetView,
    "cost": views.CostView,
    "lesson": views.LessonView,
    "decision": views.DecisionView,
    "result": views.AnalysisResultView,
    "clearance": ClearanceView,
}
GENESIS = "0" * 64


def _columns(table: type[SQLModel]) -> list[Column[Any]]:
    return list(table.__table__.columns)  # type: ignore[attr-defined]  # set by table=True


def _json_columns(table: type[Versioned]) -> frozenset[str]:
    return frozenset(c.name for c in _columns(table) if isinstance(c.type, JSON))


def payload_columns(table: type[Versioned]) -> list[str]:
    """The columns a revision records: everything but the key and the head pointer."""
    return [c.name for c in _columns(table) if c.name not in ("id", "rev")]


def payload_of(row: Versioned) -> dict[str, Any]:
    table = type(row)
    return records.revision_payload(
        str(table.__tablename__), {name: getattr(row, name) for name in payload_columns(table)}
    )


def describe_validation(error: ValidationError, fields: type[SQLModel]) -> str:
    """One line naming each wrong field by its label, in plain words (see ``field_messages``)."""
    return field_messages.describe(error, fields)


class UnitOfWork:
    """Record operations inside one transaction (see ``Database.transaction``)."""

    def __init__(
        self,
        conn: Connection,
        *,
        actor: str,
        writable: bool,
        recorded_at: dt.datetime | None = None,
    ) -> None:
        self.conn = conn
        # A fixed time for everything this unit records: the demo's own history, whose
        # pilots ran in 2024-26; every other writer records the clock's time.
        self.recorded_at = recorded_at
        self.session = Session(bind=conn, autoflush=True)
        self.actor = actor
        self.writable = writable
        self._replica_id: uuid.UUID | None = None
        self._audit_head: tuple[int, str] | None = None

    def now(self) -> dt.datetime:
        """The time this unit records its changes at (see ``recorded_at``)."""
        return self.recorded_at or dt.datetime.now(dt.UTC)

    # -- facts about the file ------------------------------------------------------------

    @property
    def replica_id(self) -> uuid.UUID:
        if self._replica_id is None:
            row = self.session.exec(select(tables.Replica.id).where(tables.Replica.is_self)).first()  # type: ignore[call-overload]
            if row is None:
                raise NotFound("this database has no replica id; it is damaged")
            self._replica_id = row[0]
        return self._replica_id

    def get_info(self, key: str) -> str | None:
        row = self.session.get(tables.DatabaseInfo, key)
        return None if row is None else row.value

    def set_info(self, key: str, value: str) -> None:
        self._require_writable()
        row = self.session.get(tables.DatabaseInfo, key)
        if row is None:
            self.session.add(tables.DatabaseInfo(key=key, value=value))
        else:
            row.value = value
        self.session.flush()

    def ensure_file_identity(self, identity: str) -> None:
        """Give a copied file its own replica before it is written to.

        A replica is one line of history. Two copies of one file edited apart would
        otherwise write two different events under the same replica and sequence number,
        which a merge could not tell from a rewritten history. So each file remembers the
        identity (device and inode) it was created or first written under; a copy has
        another, and on its first write it starts a replica of its own, recording which
        replica it was copied from.
        """
        stored = self.get_info("file_identity")
        if stored == identity:
            return
        if stored is not None:
            parent = self.replica_id
            table = tables.Replica.__table__  # type: ignore[attr-defined]
            own = self.session.get(tables.Replica, parent)
            self.conn.execute(table.update().where(table.c.id == parent).values(is_self=False))
            replica = new_id()
            self.session.add(
                tables.Replica(
                    id=replica,
                    is_self=True,
                    department=own.department if own else "",
                    created_at=self.now(),
                    app_version=own.app_version if own else "",
                )
            )
            self.session.flush()
            self._replica_id, self._audit_head = replica, None
            self.record_event(
                "fork",
                summary="this file is a copy: it continues under a replica of its own",
                detail={"copied_from_replica": str(parent)},
            )
        self.set_info("file_identity", identity)

    def schema_generation(self) -> int:
        return int(self.get_info("schema_generation") or 0)

    def sync_vocabulary(self) -> None:
        """Mirror the vocabularies into the reference table (labels may have been reworded)."""
        self._require_writable()
        for vocabulary in VOCABULARIES:
            for position, term in enumerate(vocabulary):
                self.session.merge(
                    tables.VocabularyTerm(
                        vocabulary=vocabulary.__name__,
                        code=term.value,
                        label=term.label,
                        position=position,
                    )
                )
        self.session.flush()

    # -- reading records -------------------------------------------------------------------

    def _row(self, entity: str, row_id: uuid.UUID) -> Versioned:
        table = RECORDS[entity][0]
        row = self.session.get(table, row_id)
        if row is None or row.deleted:
            raise NotFound(f"no {entity.replace('_', ' ')} with id {row_id}")
        return row

    def view(self, entity: str, row: Versioned) -> views.Identity:
        data = {c: getattr(row, c) for c in VIEWS[entity].model_fields if hasattr(row, c)}
        try:
            return VIEWS[entity].model_validate(data)
        except ValidationError as error:
            # Only a value written behind testlearn's back (raw SQL, another program) fails
            # here: everything testlearn writes was validated by the same fields first.
            fields = RECORDS[entity][1] if entity in RECORDS else VIEWS[entity]
            name = data.get("reference") or data.get("code") or data.get("id")
            raise UnreadableRecord(
                f"the {entity.replace('_', ' ')} {name} holds a value testlearn cannot read ("
                + field_messages.describe(error, fields)
                + "): the file was changed outside testlearn. `testlearn verify` names every "
                "such record; restore the file from a backup or a department export"
            ) from None

    def get(self, entity: str, row_id: uuid.UUID) -> Any:
        return self.view(entity, self._row(entity, row_id))

    def find(self, entity: str, order_by: str | None = None, **where: Any) -> list[Any]:
        """Live records of ``entity`` whose columns equal ``where``."""
        table = RECORDS[entity][0]
        query = select(table).where(table.deleted == False)  # type: ignore[arg-type]  # noqa: E712
        for column, value in where.items():
            query = query.where(getattr(table, column) == value)
        if order_by:
            query = query.order_by(getattr(table, order_by))
        rows = self.session.exec(query).scalars().all()  # type: ignore[call-overload]
        return [self.view(entity, row) for row in rows]

    def pilot_by_reference(self, reference: str) -> views.PilotView | None:
        """The live pilot with ``reference`` (any case), or with that id.

        Two pilots with one reference (merged before merges refused that) are named, never
        one of them picked: the person gives the id of the one meant instead.
        """
        table = tables.Pilot
        query = select(table).where(
            table.deleted == False,  # type: ignore[arg-type]  # noqa: E712
            text("lower(reference) = lower(:ref)").bindparams(ref=reference.strip()),
        )
        rows = self.session.exec(query).scalars().all()  # type: ignore[call-overload]
        if len(rows) > 1:
            ids = " and ".join(str(row.id) for row in rows)
            raise ConflictError(
                f"{len(rows)} pilots have the reference {reference.strip()} ({ids}); say which "
                "by giving its id in place of the reference"
            )
        if not rows:
            try:
                row_id = uuid.UUID(reference.strip())
            except ValueError:
                return None
            found = self.session.get(table, row_id)
            rows = [found] if found is not None and not found.deleted else []
        return self.view("pilot", rows[0]) if rows else None  # type: ignore[return-value]

    # -- changing records ------------------------------------------------------------------

    def create(
        self,
        entity: str,
        values: Mapping[str, Any],
        *,
        row_id: uuid.UUID | None = None,
        summary: str = "",
        extra: Mapping[str, Any] | None = None,
    ) -> Any:
        """Validate ``values`` against the record's fields and insert it with its revision.

        ``extra`` sets table columns that are not user fields (such as a hypothesis's
        registration), unvalidated; only services that own those columns pass it.
        """
        self._require_writable()
        table, fields = RECORDS[entity]
        valid = self._validate(fields, values)
        row = table(**valid, **(extra or {}))
        row.id = row_id or new_id()
        self._revise(entity, row, op="create", summary=summary or f"created {entity}")
        self.session.add(row)
        self.session.flush()
        return self.view(entity, row)

    def update(
        self,
        entity: str,
        row_id: uuid.UUID,
        changes: Mapping[str, Any],
        *,
        summary: str = "",
        extra: Mapping[str, Any] | None = None,
        action: str = "update",
    ) -> Any:
        """Apply ``changes`` (validated with the rest of the record) as one new revision."""
        self._require_writable()
        fields = RECORDS[entity][1]
        row = self._row(entity, row_id)
        current = {name: getattr(row, name) for name in fields.model_fields}
        unknown = set(changes) - set(current)
        if unknown:
            raise InvalidValue(f"{entity} has no field {', '.join(sorted(unknown))}")
        valid = self._validate(fields, {**current, **changes})
        before = canonical_bytes(payload_of(row))
        for name, value in valid.items():
            setattr(row, name, value)
        for name, value in (extra or {}).items():
            setattr(row, name, value)
        if canonical_bytes(payload_of(row)) == before:
            return self.view(entity, row)  # nothing changed: no revision, no event
        self._revise(
            entity, row, op="update", summary=summary or f"updated {entity}", action=action
        )
        self.session.flush()
        return self.view(entity, row)

    def delete(self, entity: str, row_id: uuid.UUID, *, summary: str = "") -> None:
        """Tombstone the record: it stays, marked deleted, so a merge can see the delete."""
        self._require_writable()
        row = self._row(entity, row_id)
        row.deleted = True
        self._revise(
            entity, row, op="delete", summary=summary or f"deleted {entity}", action="delete"
        )
        self.session.flush()

    def _validate(self, fields: type[SQLModel], values: Mapping[str, Any]) -> dict[str, Any]:
        try:
            model = fields.model_validate(dict(values))
        except ValidationError as error:
            raise InvalidValue(describe_validation(error, fields)) from None
        table = next(t for t, f in RECORDS.values() if f is fields)
        json_columns = _json_columns(table)
        # JSON columns hold plain values (UUIDs as text, dates as ISO): what the canonical
        # payload would hash, so the stored record and its revision agree byte for byte.
        return {
            name: normalise(getattr(model, name)) if name in json_columns else getattr(model, name)
            for name in fields.model_fields
        }

    def _revise(
        self,
        entity: str,
        row: Versioned,
        *,
        op: str,
        summary: str,
        action: str | None = None,
    ) -> str:
        payload = payload_of(row)
        parents = [row.rev] if row.rev else []
        rev = revision_id(
            entity=entity,
            row_id=row.id,
            parents=parents,
            replica=self.replica_id,
            payload=payload,
        )
        row.rev = rev
        if self.session.get(Revision, rev) is None:
            self.session.add(
                Revision(
                    id=rev,
                    entity=entity,
                    row_id=row.id,
                    parents=parents,
                    replica_id=self.replica_id,
                    payload=canonical_bytes(payload).decode("utf-8"),
                    op=op,
                    recorded_at=self.now(),
                    actor=self.actor,
                )
            )
        self.record_event(
            action or op, entity=entity, row_id=row.id, revision_id=rev, summary=summary
        )
        return rev

    # -- the audit chain -------------------------------------------------------------------

    def record_event(
        self,
        action: str,
        *,
        entity: str = "",
        row_id: uuid.UUID | None = None,
        revision_id: str | None = None,
        summary: str = "",
        detail: Mapping[str, Any] | None = None,
    ) -> None:
        """Append one event to this replica's hash chain."""
        self._require_writable()
        if self._audit_head is None:
            query = (
                select(col(AuditEvent.seq), col(AuditEvent.hash))
                .where(col(AuditEvent.replica_id) == self.replica_id)
                .order_by(col(AuditEvent.seq).desc())
                .limit(1)
            )
            last = self.conn.execute(query).first()
            self._audit_head = (last[0], last[1]) if last else (0, GENESIS)
        seq, prev = self._audit_head[0] + 1, self._audit_head[1]
        event: dict[str, Any] = {
            "replica_id": self.replica_id,
            "seq": seq,
            "at": self.now(),
            "actor": self.actor,
            "action": action,
            "entity": entity,
            "row_id": row_id,
            "revision_id": revision_id,
            "summary": summary,
            "detail": dict(detail or {}),
            "prev_hash": prev,
        }
        digest = audit_hash(event)
        self.session.add(AuditEvent(**event, hash=digest))
        self._audit_head = (seq, digest)

    def latest_event_at(self) -> dt.datetime | None:
        """When the last change to this file was recorded, on any replica (a clock check)."""
        value = self.conn.execute(select(func.max(col(AuditEvent.at)))).scalar()
        if value is None:
            return None
        moment = value if isinstance(value, dt.datetime) else dt.datetime.fromisoformat(str(value))
        return moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)

    def _require_writable(self) -> None:
        if not self.writable:
            raise RuntimeError("a read-only unit of work cannot write")

    def revisions_of(self, entity: str, row_id: uuid.UUID) -> Sequence[Revision]:
        query = select(Revision).where(
            col(Revision.entity) == entity, col(Revision.row_id) == row_id
        )
        query = query.order_by(col(Revision.recorded_at))
        return self.session.exec(query).scalars().all()  # type: ignore[call-overload,no-any-return]


def audit_hash(event: Mapping[str, Any]) -> str:
    """The chain link of one audit event: a hash over all its fields but its own hash."""
    return canonical_hash({k: v for k, v in event.items() if k != "hash"})
