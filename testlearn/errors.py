"""The one family of errors a user may cause.

Every message is written for the person who will read it: it names the thing that is wrong
and where (file, row, column, field), and what to do. Anything that is not a TestlearnError is
a bug, and is logged with a traceback rather than shown as if it were the user's fault.
"""

from __future__ import annotations

import math
import os
import re


class TestlearnError(Exception):
    """An expected failure with a message meant for users."""

    __test__ = False  # not a pytest test class, despite the name


class NotFound(TestlearnError):
    """A pilot, hypothesis or other record that the user named does not exist."""


class InvalidValue(TestlearnError):
    """A value the user gave does not fit the field it was given for."""


class InputFileError(TestlearnError):
    """A file the user handed in cannot be read as asked; the message names file, row, column."""


class DatabaseFileError(TestlearnError):
    """A file that is not a testlearn database, is damaged, or is too new to open."""


class PasswordNeeded(DatabaseFileError):
    """A PostgreSQL server asked for a password that was not given, or refused the one given.

    ``location`` is the server's address without any password: what the user is asked about.
    """

    def __init__(self, message: str, *, location: str, refused: bool) -> None:
        super().__init__(message)
        self.location = location
        self.refused = refused


class RegistrationLocked(TestlearnError):
    """Registered content was edited other than through a recorded deviation."""


class ConflictError(TestlearnError):
    """The action clashes with the current state (for example, a duplicate reference)."""


class VerificationFailed(TestlearnError):
    """A pilot's registration, data or history fails verification, so nothing may be
    analysed or reported from it until the failure is explained (``testlearn verify``)."""


class DatabaseBusy(TestlearnError):
    """Another program held the database for writing for longer than testlearn waits.

    ``holder`` says who, as far as is known, and for how long ("another testlearn
    (import-results, process 4242, since 10:02:11) has been writing to FILE for over 60 s").
    """

    def __init__(self, message: str, *, holder: str = "") -> None:
        super().__init__(message)
        self.holder = holder


class StorageError(TestlearnError):
    """The drive would not take what was being written: full, past a size limit, or failing.

    The message names the file and, where it can be estimated, the free space needed.
    """


def drive_full(file: str | os.PathLike[str], *, needed: int | None, saved: str) -> str:
    """The one line for a drive that is full: the file, what was kept, and the room needed.

    ``needed`` is an estimate of what was being written, in bytes (None: not known).
    """
    shown = shown_name(file)
    room = (
        f"Free about {size_in_words(needed)} on the drive holding {shown}"
        if needed
        else f"Free some space on the drive holding {shown}"
    )
    return f"{shown}: the drive is full; {saved}. {room}, then try again"


def size_in_words(nbytes: int | None) -> str:
    """A size as people say it, rounded up: 740 KB, 2.5 MB, 12 MB, 1.3 GB."""
    value = max(1, nbytes or 0)
    for unit, scale in (("GB", 1e9), ("MB", 1e6)):
        if value >= scale:
            amount = value / scale
            if amount < 10:
                return f"{math.ceil(amount * 10) / 10:.1f} {unit}"
            return f"{math.ceil(amount)} {unit}"
    return f"{math.ceil(value / 1e3)} KB"


#: The temporary names files are written under before they are moved into place
#: (``.NAME.partial``, ``.NAME.1a2b3c4d.partial``, ``.NAME.x8f2k9a1.part``,
#: ``.NAME.tl4242-1a2b3c-9f8e7d.partial``).
_TEMPORARY = re.compile(
    r"^\.(?P<name>.+?)(\.[a-z0-9_]{8}|\.tl\d+-[0-9a-f]{6}-[0-9a-f]{6})?\.(partial|part)$"
)


def shown_name(file: str | os.PathLike[str]) -> str:
    """``file`` as the user knows it: a temporary file is named as the file it will become,
    a server by its address without its password."""
    text = os.fspath(file)
    if "://" in text:
        from testlearn.domain.locations import shown_location

        return shown_location(text)
    folder, name = os.path.split(text)
    found = _TEMPORARY.match(name)
    return os.path.join(folder, found["name"]) if found else text


class NoticeRefused(InputFileError):
    """A procurement notice file refused whole: ``lines`` has one problem a line, each naming
    the file and the JSON path, at most twenty of them and then how many more."""

    def __init__(self, lines: list[str]) -> None:
        shown = lines[:20]
        if len(lines) > len(shown):
            shown.append(f"... and {len(lines) - len(shown):,} more problems")
        super().__init__("\n".join(shown))
        self.lines = shown


class RegistryEntryRefused(InvalidValue):
    """A pilot's Evaluation Registry entry breaks the registry's rules: ``problems`` has one a
    line, each naming the pilot field to change."""

    def __init__(self, reference: str, problems: list[str]) -> None:
        super().__init__(
            f"{reference} cannot go to the Evaluation Registry as it stands:\n"
            + "\n".join(f"  {p}" for p in problems)
        )
        self.problems = problems


class UnreadableRecord(DatabaseFileError):
    """A stored record holds a value its field cannot take: the file was changed outside
    testlearn. The database adds its file's name to the message."""
