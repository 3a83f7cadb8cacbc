"""Waiting for another writer, said once: the light entry point for the command line.

`testlearn.services.databases` brings the table models with it (about half a second); a
command that never opens a database, such as analysing a file, must not pay for them just to
be ready to say that it waits.
"""

from __future__ import annotations

from testlearn.store.writer_queue import announcing as announce_waits

__all__ = ["announce_waits"]
