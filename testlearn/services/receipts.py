"""Registration receipts: written at registration, checked against a database later.

A receipt (``testlearn.domain.receipt``) is only worth something outside the database: the
team sends it to the central team or attaches it to the Evaluation Registry entry. Later,
``check_receipt`` tells whether a database still holds that registration, unchanged, in a
history that has only grown since the receipt was written.
"""

from __future__ import annotations

import datetime as dt
import json
import os
import uuid
from pathlib import Path

from testlearn import __version__
from testlearn.domain.receipt import ChainHead, Receipt, ReceiptUnreadable, receipt_from_json
from testlearn.domain.views import RegistrationView
from testlearn.errors import InputFileError, NotFound, TestlearnError
from testlearn.store.database import Database
from testlearn.sync import witness
from testlearn.sync.export import department_of
from testlearn.temporary_files import create_beside, remove_leftovers

SUFFIX = ".receipt.json"


class ReceiptNotWritten(TestlearnError):
    """The registration stands, but its receipt could not be written; the message says where."""


def chain_head(*, db: Database) -> ChainHead | None:
    """The head of this file's own history: the last audit event of its replica."""
    with db.reading() as uow:
        return witness.chain_head(uow)


def receipt_for(registration: RegistrationView, *, db: Database) -> Receipt:
    """The receipt of a registration, with the head of the history as it stands now."""
    with db.reading() as uow:
        head = witness.chain_head(uow)
        pilot = uow.get("pilot", registration.pilot_id)
        department = department_of(uow)
    if head is None:
        raise NotFound("this database has no history to witness; it is damaged")
    return Receipt(
        pilot_reference=pilot.reference,
        registration_id=str(registration.id),
        registration_hash=registration.content_hash,
        registered_at=registration.registered_at,
        chain_head=head,
        written_at=dt.datetime.now(dt.UTC),
        testlearn_version=__version__,
        department=department,
    )


def receipt_for_pilot(reference: str, *, db: Database) -> Receipt:
    """The receipt of a pilot's latest registration, with the head of the history now."""
    from testlearn.services.pilots import require_pilot

    with db.reading() as uow:
        pilot = require_pilot(uow, reference)
        registrations = uow.find("registration", pilot_id=pilot.id, order_by="registered_at")
    if not registrations:
        raise NotFound(f"{pilot.reference} has no registration to give a receipt for")
    return receipt_for(registrations[-1], db=db)


def refuse_existing(out: Path | None) -> None:
    """Refuse, before anything is registered, a receipt path that could not be written."""
    if out is None or Path(out).is_dir():
        return
    if Path(out).exists():
        raise InputFileError(f"{out} already exists; a receipt is never overwritten")
    if not Path(out).parent.is_dir():
        raise InputFileError(f"{out}: the folder {Path(out).parent} does not exist")


def default_path(receipt: Receipt, *, db: Database) -> Path:
    """Beside the database (the working folder for a server), named by pilot and time."""
    folder = db.path.parent if db.path is not None else Path.cwd()
    stamp = receipt.registered_at.astimezone(dt.UTC).strftime("%Y%m%dT%H%M%SZ")
    return folder / f"{receipt.pilot_reference}-registration-{stamp}{SUFFIX}"


def write_receipt(receipt: Receipt, *, db: Database, out: Path | None = None) -> Path:
    """Write the receipt (to ``out``, a file or a folder, or beside the database).

    Never overwrites: an existing receipt is evidence. The file appears whole or not at all.
    """
    target = Path(out) if out is not None else default_path(receipt, db=db)
    if target.is_dir():
        target = target / default_path(receipt, db=db).name
    if target.exists():
        raise ReceiptNotWritten(
            f"the registration of {receipt.pilot_reference} stands, but {target} already "
            "exists and a receipt is never overwritten; run `testlearn receipt "
            f"{receipt.pilot_reference} --out OTHER` to write it elsewhere"
        )
    temporary: Path | None = None
    try:
        remove_leftovers(target.parent)
        handle, temporary = create_beside(target)
        with os.fdopen(handle, "w", encoding="utf-8") as stream:
            stream.write(receipt.to_text())
        os.replace(temporary, target)
        temporary = None
    except OSError as error:
        raise ReceiptNotWritten(
            f"the registration of {receipt.pilot_reference} stands, but its receipt could not "
            f"be written to {target} ({error.strerror or error}); run `testlearn receipt "
            f"{receipt.pilot_reference} --out FOLDER` to write it elsewhere"
        ) from None
    finally:
        if temporary is not None:
            temporary.unlink(missing_ok=True)
    return target


def read_receipt(path: Path) -> Receipt:
    """Read a receipt file, naming the file and the field when it is not one."""
    try:
        data = json.loads(Path(path).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise InputFileError(f"{path}: no such receipt file") from None
    except (OSError, UnicodeDecodeError) as error:
        raise InputFileError(f"{path}: the receipt cannot be read ({error})") from None
    except ValueError as error:
        raise InputFileError(f"{path}: not a receipt (not JSON: {error})") from None
    try:
        return receipt_from_json(data)
    except ReceiptUnreadable as error:
        raise InputFileError(f"{path}: not a testlearn registration receipt: {error}") from None


def check_receipt(receipt: Receipt, *, db: Database) -> tuple[str, ...]:
    """What in ``db`` contradicts the receipt, one line each; empty when the receipt holds."""
    problems: list[str] = []
    label = f"the registration of {receipt.pilot_reference} ({receipt.registration_id})"
    head = receipt.chain_head
    with db.reading() as uow:
        try:
            registration = uow.get("registration", uuid.UUID(receipt.registration_id))
        except NotFound:
            problems.append(f"{label} is not in this database (removed or never merged)")
        else:
            pilot = uow.get("pilot", registration.pilot_id)
            if pilot.reference != receipt.pilot_reference:
                problems.append(f"{label} now belongs to pilot {pilot.reference}")
            if registration.content_hash != receipt.registration_hash:
                problems.append(
                    f"{label} now has hash {registration.content_hash}; the receipt witnessed "
                    f"{receipt.registration_hash}"
                )
            if _utc(registration.registered_at) != _utc(receipt.registered_at):
                problems.append(
                    f"{label} now says it was registered at {_utc(registration.registered_at)}; "
                    f"the receipt witnessed {_utc(receipt.registered_at)}"
                )
        chain = witness.chain_of(uow, head.replica_id)
    problems.extend(_history_problems(head, chain))
    return tuple(problems)


def _history_problems(head: ChainHead, chain: list[tuple[int, str, str]]) -> list[str]:
    """The history must still hold the witnessed event and grow from it link by link."""
    where = f"event {head.seq} of replica {head.replica_id}"
    if not chain:
        return [f"this database holds no history of replica {head.replica_id}"]
    by_seq = {seq: (prev, digest) for seq, prev, digest in chain}
    if head.seq not in by_seq:
        return [
            f"the history of replica {head.replica_id} ends at event {chain[-1][0]}, but the "
            f"receipt witnessed {where}: the history was cut short or rewritten"
        ]
    if by_seq[head.seq][1] != head.hash:
        return [
            f"{where} now has hash {by_seq[head.seq][1]}; the receipt witnessed {head.hash}: "
            "the history was rewritten since the receipt was written"
        ]
    previous = head.hash
    for seq in range(head.seq + 1, chain[-1][0] + 1):
        if seq not in by_seq or by_seq[seq][0] != previous:
            return [
                f"event {seq} of replica {head.replica_id} does not follow from the witnessed "
                "history: events after the receipt were altered or removed"
            ]
        previous = by_seq[seq][1]
    return []


def _utc(moment: dt.datetime) -> str:
    aware = moment if moment.tzinfo else moment.replace(tzinfo=dt.UTC)
    return aware.astimezone(dt.UTC).isoformat()
