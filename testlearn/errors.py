"""The one family of errors a user may cause.

Every message is written for the person who will read it: it names the thing that is wrong
and where (file, row, column, field), and what to do. Anything that is not a TestlearnError is
a bug, and is logged with a traceback rather than shown as if it were the user's fault.
"""

from __future__ import annotations


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


class RegistrationLocked(TestlearnError):
    """Registered content was edited other than through a recorded deviation."""


class ConflictError(TestlearnError):
    """The action clashes with the current state (for example, a duplicate reference)."""


class VerificationFailed(TestlearnError):
    """A pilot's registration, data or history fails verification, so nothing may be
    analysed or reported from it until the failure is explained (``testlearn verify``)."""
