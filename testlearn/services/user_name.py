"""The user's name: recorded against every change in the history and printed in reports.

It is the name the user set (``testlearn name "Jo Bloggs"`` or the window's Edit > Your name),
never the operating system's account name, which is often a staff number or a login that the
public should not read in a report. ``$TESTLEARN_NAME`` overrides the saved name for one
shell, script or CI job.

The name is kept in ``settings.json`` in the per-user configuration folder, the folder where
the window keeps its own settings on Linux (``~/.config/testlearn``); it is a plain file so
that the command line and the core read it without Qt.
"""

from __future__ import annotations

import json
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from testlearn.errors import InvalidValue, TestlearnError

__all__ = [
    "ENVIRONMENT_VARIABLE",
    "MAX_LENGTH",
    "NameNeeded",
    "UserName",
    "current_name",
    "required_name",
    "save_name",
    "settings_path",
    "validated_name",
]

ENVIRONMENT_VARIABLE = "TESTLEARN_NAME"
MAX_LENGTH = 80
SETTINGS_FILE = "settings.json"
NAME_KEY = "name"

NAME_NEEDED = (
    'set your name first: testlearn name "Your Name" (or set TESTLEARN_NAME); '
    "it is recorded against your changes"
)


class NameNeeded(TestlearnError):
    """A change would be recorded, and no name has been set to record it against."""


@dataclass(frozen=True)
class UserName:
    """The name in force, and where it comes from (for ``testlearn name`` to say)."""

    name: str
    source: str


def settings_path() -> Path:
    import platformdirs

    return platformdirs.user_config_path("testlearn", appauthor=False) / SETTINGS_FILE


def validated_name(text: str, *, what: str = "your name") -> str:
    """``text`` stripped, if it is 1-80 printable characters; else InvalidValue, one line."""
    name = text.strip()
    if not name:
        raise InvalidValue(f"{what} is empty; give the name to record against your changes")
    if len(name) > MAX_LENGTH:
        raise InvalidValue(
            f"{what} is {len(name):,} characters long; at most {MAX_LENGTH} are allowed"
        )
    if not name.isprintable():
        raise InvalidValue(
            f"{what} holds a control or invisible character; use letters, digits, spaces "
            "and punctuation"
        )
    return name


def current_name() -> UserName | None:
    """$TESTLEARN_NAME if set, else the saved name, else None (nobody has said who they are)."""
    given = os.environ.get(ENVIRONMENT_VARIABLE)
    if given is not None and given.strip():
        name = validated_name(given, what=f"${ENVIRONMENT_VARIABLE}")
        return UserName(name, f"from ${ENVIRONMENT_VARIABLE}")
    saved = _saved_name()
    if saved is None:
        return None
    return UserName(saved, f"saved in {settings_path()}")


def required_name() -> str:
    """The name to record a change against; NameNeeded if none has been set."""
    found = current_name()
    if found is None:
        raise NameNeeded(NAME_NEEDED)
    return found.name


def save_name(text: str) -> str:
    """Validate and save the name (written whole or not at all); returns it as saved."""
    name = validated_name(text)
    path = settings_path()
    settings = _read_settings(path, strict=False)
    settings[NAME_KEY] = name
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=".settings-", suffix=".json", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            json.dump(settings, out, ensure_ascii=False, indent=2)
            out.write("\n")
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    return name


def _saved_name() -> str | None:
    path = settings_path()
    value = _read_settings(path, strict=True).get(NAME_KEY)
    if value is None:
        return None
    if not isinstance(value, str):
        raise InvalidValue(f"{path}: the saved name is not text; {_set_again()}")
    try:
        return validated_name(value, what=f"{path}: the saved name")
    except InvalidValue as error:
        raise InvalidValue(f"{error}; {_set_again()}") from None


def _read_settings(path: Path, *, strict: bool) -> dict[str, object]:
    """The settings file's content; {} if there is none. A damaged file is named when
    reading (``strict``) and replaced when saving a new name."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}
    except (OSError, UnicodeDecodeError) as error:
        if not strict:
            return {}
        raise InvalidValue(f"{path} cannot be read ({error}); {_set_again()}") from None
    try:
        settings = json.loads(text)
    except ValueError:
        settings = None
    if isinstance(settings, dict):
        return settings
    if not strict:
        return {}
    raise InvalidValue(f"{path} is not a settings file testlearn can read; {_set_again()}")


def _set_again() -> str:
    return 'set your name again: testlearn name "Your Name"'
