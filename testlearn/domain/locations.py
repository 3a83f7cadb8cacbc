"""Where a database is, as shown to people: never with the server's password.

A central store on PostgreSQL is named by an address that may carry its password
(``postgresql://team:secret@host/central``). Every place that shows where a database is (the
merge report and its JSON, command-line messages, the log, the window) shows it through
:func:`shown_location`, which keeps the user, host and database a reader needs to tell one
store from another and puts ``***`` where the password was. :func:`without_passwords` does the
same to any text that may quote an address (a driver's error, a traceback in the log).
"""

from __future__ import annotations

import os
import re
import urllib.parse

HIDDEN = "***"

#: An address's password: ``scheme://user:PASSWORD@``. The user part stops at the first
#: ``:``; the password runs to the last ``@`` before the host, as URL parsers read it.
_PASSWORD_IN_TEXT = re.compile(r"(?P<start>\b[a-z][a-z0-9+.-]*://[^\s:/@]*:)[^\s/]*(?P<at>@)", re.I)
#: A password given as a query parameter (``?password=...``), as libpq also accepts.
_PASSWORD_PARAMETER = re.compile(r"(?P<start>[?&]password=)[^&\s]*", re.I)


def is_server_url(target: str | os.PathLike[str]) -> bool:
    """Whether ``target`` names a PostgreSQL central store rather than a database file."""
    return isinstance(target, str) and target.startswith(("postgresql://", "postgresql+psycopg://"))


def shown_location(target: str | os.PathLike[str]) -> str:
    """A database file's path as given, or a server's address with its password hidden."""
    text = os.fspath(target)
    if "://" not in text:
        return text
    try:
        parts = urllib.parse.urlsplit(text)
        netloc = parts.netloc
        if parts.password is not None:
            user, _, host = netloc.rpartition("@")
            netloc = f"{user.partition(':')[0]}:{HIDDEN}@{host}"
        query = "&".join(
            f"{key}={HIDDEN}" if key.lower() == "password" else f"{key}={value}"
            for key, value in urllib.parse.parse_qsl(parts.query, keep_blank_values=True)
        )
        return urllib.parse.urlunsplit((parts.scheme, netloc, parts.path, query, parts.fragment))
    except ValueError:  # an address too malformed to parse (a bad port): hide by pattern
        return without_passwords(text)


def without_passwords(text: str) -> str:
    """``text`` with the password of every address in it hidden."""
    text = _PASSWORD_IN_TEXT.sub(rf"\g<start>{HIDDEN}\g<at>", text)
    return _PASSWORD_PARAMETER.sub(rf"\g<start>{HIDDEN}", text)
