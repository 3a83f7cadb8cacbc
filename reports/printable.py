"""A document made ready for the PDF fonts: characters they cannot print are refused, and
right-to-left text is laid out so that it reads, and copies, in its own order.

The PDF embeds DejaVu Sans, which has Latin, Greek, Cyrillic, Hebrew, Arabic and many symbols
but no CJK ideographs and no emoji. A character it lacks would print as an empty box, and a
minister would read a sentence with a hole in it; so such a report is refused with a message
naming the characters and the field that holds them ("Lesson 3 'What happened' contains
characters the report fonts cannot print: 🚀 (U+1F680)"). Shipping a CJK font instead would add
91 MB installed (Debian's fonts-noto-cjk) and reportlab cannot embed its CFF outlines or any colour
emoji font, so a refusal is the honest choice; the HTML twin prints these characters with
the reader's own fonts.

reportlab draws text left to right in the order it is given (its own bidi support needs a
package not on PyPI). Right-to-left runs (Hebrew, Arabic) are therefore put into display
order here with python-bidi, so that they read right to left on the page; PDF readers (and
pypdf) undo this when text is copied or extracted, giving the text back in its logical
order. Arabic letters are printed in their isolated forms: legible, but not joined as in
print; the HTML twin shows them joined.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import fields, is_dataclass, replace
from functools import cache
from typing import Any

from bidi import get_display  # type: ignore[import-untyped]  # ships no type information
from pydantic import BaseModel
from reportlab.pdfbase import pdfmetrics

from reports.blocks import Chart, Document
from reports.page import fonts
from testlearn.errors import TestlearnError

_RTL = re.compile("[\u0590-\u08ff\ufb1d-\ufdff\ufe70-\ufeff]")
#: Line breaks and tabs are laid out, not printed.
_LAID_OUT = frozenset("\n\r\t")


class UnprintableText(TestlearnError):
    """Text holds characters the report fonts cannot print; the message names them and where."""


def for_print(document: Document, source: object) -> Document:
    """``document`` ready for the PDF: refused if it holds characters the fonts lack, with
    right-to-left runs in display order.

    Args:
        document: the report's content.
        source: what it was made from (a pilot report or a portfolio), searched for the
            field that holds an unprintable character, so that the message can name it.

    Raises:
        UnprintableText: the message names each character, its code point and the field.
    """
    printable = _printable()
    missing: dict[str, str] = {}  # character -> where it is printed
    for where, text in _texts(document, document.title):
        for char in text:
            if char not in printable and char not in _LAID_OUT and char not in missing:
                missing[char] = where
    if missing:
        raise UnprintableText(_refusal(missing, source))
    ready: Document = _mapped(document, _display_order)
    return ready


def _display_order(text: str) -> str:
    return str(get_display(text, base_dir="L")) if _RTL.search(text) else text


@cache
def _printable() -> frozenset[str]:
    """Every character the report's regular and bold fonts can both print (read once)."""
    chosen = fonts()
    maps: list[frozenset[str]] = []
    for name in (chosen.regular, chosen.bold):
        face = getattr(pdfmetrics.getFont(name), "face", None)
        if face is None:  # a standard PDF font (no DejaVu installed): Latin-1 only
            maps.append(frozenset(chr(c) for c in range(32, 256)))
        else:
            maps.append(frozenset(chr(c) for c in face.charToGlyph))
    return maps[0] & maps[1]


def _texts(value: object, where: str) -> Iterator[tuple[str, str]]:
    """Every string printed from ``value``, with the heading of the section it is in."""
    if isinstance(value, str):
        yield where, value
    elif isinstance(value, tuple):
        for item in value:
            yield from _texts(item, where)
    elif isinstance(value, Chart):
        yield where, value.drawing.description
    elif is_dataclass(value) and not isinstance(value, type):
        heading = getattr(value, "heading", where)
        inner = heading if isinstance(heading, str) and hasattr(value, "blocks") else where
        for f in fields(value):
            yield from _texts(getattr(value, f.name), inner)


def _mapped(value: Any, change: Callable[[str], str]) -> Any:
    """``value`` with every string of its content changed; charts are drawn as they are."""
    if isinstance(value, str):
        return change(value)
    if isinstance(value, tuple):
        return tuple(_mapped(item, change) for item in value)
    if isinstance(value, Chart) or not is_dataclass(value) or isinstance(value, type):
        return value
    return replace(
        value, **{f.name: _mapped(getattr(value, f.name), change) for f in fields(value) if f.init}
    )


def _refusal(missing: dict[str, str], source: object) -> str:
    named = ", ".join(f"{char} (U+{ord(char):04X})" for char in missing)
    chars = set(missing)
    places = list(dict.fromkeys(_fields_holding(source, chars, "", 0)))
    if not places:
        places = [f"section “{where}”" for where in dict.fromkeys(missing.values())]
    return (
        f"{'; '.join(places)} contain{'s' if len(places) == 1 else ''} characters the report "
        f"fonts cannot print: {named}. Replace them with words (the PDF fonts have no emoji "
        "or Chinese, Japanese or Korean characters) and make the report again."
    )


def _fields_holding(value: object, chars: set[str], name: str, depth: int) -> Iterator[str]:
    """The fields, named as the window names them ("Lesson 3 'What happened'"), whose text
    holds any of ``chars``."""
    if depth > 6:
        return
    if isinstance(value, BaseModel):
        thing = _thing(type(value).__name__) + name
        for key, info in type(value).model_fields.items():
            text = getattr(value, key, None)
            if isinstance(text, str) and chars & set(text):
                yield f"{thing} '{info.title or key.replace('_', ' ')}'"
            elif not isinstance(text, str):
                yield from _fields_holding(text, chars, "", depth + 1)
    elif is_dataclass(value) and not isinstance(value, type):
        for f in fields(value):
            text = getattr(value, f.name)
            if isinstance(text, str) and chars & set(text):
                yield f"{_thing(type(value).__name__)}{name} '{f.name.replace('_', ' ')}'"
            elif not isinstance(text, str):
                yield from _fields_holding(text, chars, name, depth + 1)
    elif isinstance(value, tuple | list):
        for number, item in enumerate(value, 1):
            yield from _fields_holding(item, chars, f" {number}", depth + 1)


def _thing(class_name: str) -> str:
    """ "LessonView" -> "Lesson": what a record is, in the users' word."""
    bare = re.sub(r"(Fields|View|Record|Row)$", "", class_name) or class_name
    return re.sub(r"(?<=[a-z])(?=[A-Z])", " ", bare).capitalize()
