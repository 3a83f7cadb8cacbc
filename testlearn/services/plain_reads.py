"""Read commands answered without the ORM, where the database file allows it.

The command line's `pilots` and `conflicts` read through ``testlearn.store.plain_reading``
(the sqlite3 module alone, after the same checks as any opening), for a start about a fifth
as long as the ORM's. A central store on a server, and a file an older version made (which must be
migrated first), are opened as usual: these functions return None and the caller goes the
ORM's way, through ``databases`` and ``pilots``.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from testlearn.domain.locations import is_server_url
from testlearn.domain.merge_report import ConflictView
from testlearn.domain.pilot_summary import PilotSummary
from testlearn.domain.vocabulary import LifecycleStatus

if TYPE_CHECKING:
    from testlearn.store.plain_reading import PlainDatabase


def open_plain(target: Path | str | os.PathLike[str]) -> PlainDatabase | None:
    """The database file at ``target`` opened for reading with sqlite3, or None (see above).

    What a crashed testlearn left in the app's private folder is cleared first, as
    ``databases.open_database`` does.
    """
    if is_server_url(str(target)):
        return None
    from testlearn.store.plain_reading import open_plain as open_file
    from testlearn.temporary_files import private_folder, remove_leftovers

    remove_leftovers(private_folder())
    return open_file(Path(target))


def list_pilots(*, db: PlainDatabase, include_archived: bool = True) -> list[PilotSummary]:
    """Every live pilot, as ``pilots.list_pilots`` gives them, without the search text."""
    with db.reading() as read:
        found = read.pilot_summaries()
    if include_archived:
        return found
    return [p for p in found if p.status != LifecycleStatus.ARCHIVED.value]


def conflicts(*, db: PlainDatabase, include_resolved: bool = False) -> list[ConflictView]:
    """The conflicts merges kept, as ``merging.conflicts`` gives them."""
    from testlearn.sync.plain_conflicts import list_conflicts

    with db.reading() as read:
        return list_conflicts(read, include_resolved=include_resolved)
