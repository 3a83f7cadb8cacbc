"""The schema a procurement notice is checked against: OCDS 1.1 with Find a Tender's extensions.

Find a Tender publishes each Procurement Act notice as an OCDS 1.1 release. The release schema
of OCDS 1.1.5 and the two extensions the notices use (the UK extension, and Metrics, where KPIs
live) are kept unchanged in ``notice_schemas/`` with their licences; they are merged here as
OCDS merges extensions, each extension's ``release-schema.json`` applied to the core as a JSON
Merge Patch (RFC 7386). Nothing is fetched over the network.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any

#: Applied in this order; the UK extension adds ``measureClassification`` to the Metrics
#: extension's observations.
EXTENSIONS = ("ocds_metrics_extension", "ocds_uk_extension")
CORE = "core"


def merge_patch(target: Any, patch: Any) -> Any:
    """``patch`` applied to ``target`` as RFC 7386 says; neither argument is changed."""
    if not isinstance(patch, dict):
        return patch
    merged = dict(target) if isinstance(target, dict) else {}
    for key, value in patch.items():
        if value is None:
            merged.pop(key, None)
        else:
            merged[key] = merge_patch(merged.get(key), value)
    return merged


def _schema_file(folder: str) -> Any:
    data = resources.files(__package__).joinpath("notice_schemas", folder, "release-schema.json")
    return json.loads(data.read_text(encoding="utf-8"))


@cache
def release_schema() -> dict[str, Any]:
    """The OCDS 1.1.5 release schema with the Metrics and UK extensions merged in."""
    schema = _schema_file(CORE)
    for extension in EXTENSIONS:
        schema = merge_patch(schema, _schema_file(extension))
    return dict(schema)


@cache
def _validator() -> Any:
    # Imported here: jsonschema is needed only when a notice is read or written.
    from jsonschema import Draft4Validator

    return Draft4Validator(release_schema())


def json_path(parts: list[str | int]) -> str:
    """``["releases", 0, "id"]`` -> ``releases[0].id``, as the refusals name places."""
    text = ""
    for part in parts:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else part
    return text


def _plain(error: Any) -> list[tuple[list[str | int], str]]:
    """Where an error is (below the release) and what is wrong, in a few words."""
    where: list[str | int] = list(error.absolute_path)
    if error.validator == "required" and isinstance(error.instance, dict):
        return [
            ([*where, name], "required")
            for name in error.validator_value
            if name not in error.instance
        ]
    return [_one(error, where)]


def _one(error: Any, where: list[str | int]) -> tuple[list[str | int], str]:
    kind, wanted = error.validator, error.validator_value
    if kind == "type":
        names = [wanted] if isinstance(wanted, str) else list(wanted)
        shown = [n for n in names if n != "null"]
        article = "an" if shown and shown[0][0] in "aeiou" else "a"
        return where, f"must be {article} {' or '.join(shown)}" + (
            " (or null)" if "null" in names else ""
        )
    if kind == "enum":
        return where, "must be one of " + ", ".join(str(v) for v in wanted)
    if kind in ("minLength", "minItems", "minProperties"):
        return where, "must not be empty"
    if kind == "uniqueItems":
        return where, "repeats an item"
    if kind == "pattern":
        return where, f"does not match the pattern {wanted}"
    if kind in ("minimum", "maximum"):
        return where, error.message
    return where, error.message[:200]


def release_problems(release: Any, prefix: list[str | int]) -> list[str]:
    """``path: what is wrong`` for every way ``release`` breaks the schema, in document order."""
    found = []
    for error in _validator().iter_errors(release):
        for where, what in _plain(error):
            found.append((json_path(prefix + where) or "(the release)", what))
    # The same order every time: by place, then by message.
    return [f"{where}: {what}" for where, what in sorted(set(found))]
