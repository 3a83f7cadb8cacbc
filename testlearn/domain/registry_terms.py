"""The Evaluation Registry's own vocabularies: its departments, design types and policy areas.

The registry (the Cabinet Office's record of government evaluations) names departments, design
types and policy taxonomies by codes of its own. A registry entry pack must use exactly those,
so they are read from the registry's lists, kept unchanged as package data in
``registry_vocabularies/`` (see its README), rather than retyped here. The lists are read once,
when first needed.

``PolicyArea`` is a vocabulary like the others (codes stored, labels shown), made from the
taxonomy list, so a pilot's policy areas are checked and chosen like its missions.
"""

from __future__ import annotations

import csv
import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import resources
from typing import Self

from testlearn.domain.vocabulary import Term, _term

_FOLDER = "registry_vocabularies"


def _rows(name: str) -> list[dict[str, str]]:
    # The registry's files quote every value and put a space after each comma, with null for
    # an empty value: csv with skipinitialspace reads them as written.
    text = resources.files(__package__).joinpath(_FOLDER, name).read_text("utf-8-sig")
    reader = csv.DictReader(text.splitlines(), skipinitialspace=True)
    return [
        {k.strip(): ("" if v in (None, "null", "None") else v.strip()) for k, v in row.items()}
        for row in reader
    ]


def import_columns() -> list[str]:
    """The admin import CSV's column names, in order, as the registry's header has them.

    The header ends with a comma, so its last column has no name: it is kept (as "") so that
    a row written under it has as many fields as the header.
    """
    text = resources.files(__package__).joinpath(_FOLDER, "admin-import-columns.csv")
    [header] = list(csv.reader(text.read_text("utf-8-sig").splitlines()))
    return header


def import_header_line() -> str:
    """The admin import header exactly as the registry gives it, without its line ending."""
    text = resources.files(__package__).joinpath(_FOLDER, "admin-import-columns.csv")
    return text.read_text("utf-8-sig").splitlines()[0]


# -- departments ----------------------------------------------------------------------------


@dataclass(frozen=True)
class RegistryDepartment:
    code: str
    display: str
    parent: str


@functools.cache
def departments() -> tuple[RegistryDepartment, ...]:
    return tuple(
        RegistryDepartment(row["code"], row["display"], row["parent"])
        for row in _rows("departments.csv")
    )


def _name_key(text: str) -> str:
    # "Ministry of Housing, Communities & Local Government" and "... and Local Government"
    # are the same department; so are "Department for Education (DfE)" and its name alone.
    text = text.casefold().replace("&", " and ")
    return " ".join(re.findall(r"[a-z0-9]+", text))


@functools.cache
def _department_index() -> dict[str, RegistryDepartment]:
    index: dict[str, RegistryDepartment] = {}
    for department in departments():
        display = department.display
        bare = re.sub(r"\s*\([^)]*\)\s*$", "", display)
        acronym = re.search(r"\(([^)]*)\)\s*$", display)
        names = [department.code, display, bare]
        if acronym and acronym.group(1).casefold() != bare.casefold():
            names.append(acronym.group(1))
        for name in names:
            index.setdefault(_name_key(name), department)
    return index


def find_department(name: str) -> RegistryDepartment | None:
    """The registry department a name means (its code, its name with or without the acronym
    in brackets, or the acronym), ignoring case, punctuation and "&" for "and"; None if none."""
    return _department_index().get(_name_key(name))


def department_suggestions(name: str, count: int = 3) -> list[str]:
    """Registry department names closest to ``name``, for a message that names the fix."""
    import difflib

    by_key = {_name_key(d.display): d.display for d in departments()}
    close = difflib.get_close_matches(_name_key(name), list(by_key), n=count, cutoff=0.6)
    return [by_key[key] for key in close]


# -- design types ---------------------------------------------------------------------------


@dataclass(frozen=True)
class DesignType:
    code: str
    display: str
    parent: str
    needs_text: bool  # "Other": the registry asks for a description

    @property
    def path(self) -> tuple[DesignType, ...]:
        """This type and the types above it, the top first (Impact, RCT, Cluster RCT)."""
        chain = [self]
        while chain[0].parent:
            chain.insert(0, design_type(chain[0].parent))
        return tuple(chain)


@functools.cache
def design_types() -> dict[str, DesignType]:
    return {
        row["code"]: DesignType(
            row["code"], row["display"], row["parent"], row["collect_description"] == "true"
        )
        for row in _rows("design_types.csv")
    }


def design_type(code: str) -> DesignType:
    return design_types()[code]


# -- policy areas ---------------------------------------------------------------------------


class PolicyArea(Term):
    """A policy taxonomy of the Evaluation Registry (GOV.UK's topics): its code, and its name
    under its parent's ("Transport: Driving and road transport")."""

    parent: str

    def __new__(cls, code: str, label: str, parent: str) -> Self:
        obj: Self = _term(cls, code, label)
        obj.parent = parent
        return obj


def _policy_members() -> Iterable[tuple[str, tuple[str, str, str]]]:
    rows = _rows("taxonomies.csv")
    names = {row["code"]: row["display"] for row in rows}
    for row in rows:
        parent = row["parent"]
        label = f"{names[parent]}: {row['display']}" if parent in names else row["display"]
        name = re.sub(r"\W+", "_", row["code"]).strip("_").upper()
        yield name, (row["code"], label, parent)


# Made from the registry's file, as a class statement would make it: the members are its rows.
PolicyArea = PolicyArea(  # type: ignore[misc,call-arg,assignment]
    "PolicyArea",
    list(_policy_members()),  # type: ignore[arg-type]
    module=__name__,
)
