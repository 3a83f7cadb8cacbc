"""A paragraph that breaks its lines once for each width it is given.

reportlab breaks a paragraph's lines afresh every time it is measured, and a paragraph is
measured several times before it is drawn: for the page-break rules (``page_breaks``), by
its table when the column heights are worked out and again when the table is split across
pages, by the frame that places it, and by ``page_count`` when a brief is laid out before
it is printed. Breaking the lines was a third of the time a brief took. The breaking depends
only on the paragraph (its text and style, fixed once it is made) and the width, so this
paragraph keeps the lines it broke for each width and gives them back when measured again
at that width: the same lines as reportlab would break, and the same page.

Text with no markup and no entity (no ``<``, no ``&``: most of a report's paragraphs, its
table cells among them) is parsed without reportlab's HTML tokeniser, which is most of the cost
of making a paragraph: the parser's own steps for such text (open the paragraph, one run of
text, close it) are called directly, so the fragments are the ones the tokeniser would have
handed them (tests/unit/test_line_breaks.py compares the two).

Within ``shared_paragraphs()`` (a brief tried at several steps of shortening, most of whose
paragraphs are the same at every step) a paragraph with the same text, style and bullet as
one made before takes that one's parsed markup and line breaks instead of working them out
again.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from reportlab.platypus import Paragraph as _ReportlabParagraph
from reportlab.platypus.paragraph import textTransformFrags
from reportlab.platypus.paraparser import ParaParser

#: The paragraphs made so far within ``shared_paragraphs``, by text, style and bullet: what a
#: new one with the same would be, as reportlab's constructor left it.
_made: ContextVar[dict[tuple[Any, ...], dict[str, Any]] | None] = ContextVar(
    "paragraphs_made", default=None
)


@contextmanager
def shared_paragraphs() -> Iterator[None]:
    """Paragraphs made within share parsed markup and line breaks with their equals."""
    token = _made.set({})
    try:
        yield
    finally:
        _made.reset(token)


class Paragraph(_ReportlabParagraph):  # type: ignore[misc]  # reportlab ships no type information
    """reportlab's Paragraph, whose line breaks are worked out once for each width."""

    def __init__(
        self,
        text: str | None,
        style: Any = None,
        bulletText: Any = None,
        frags: Any = None,
        caseSensitive: int = 1,
        encoding: str = "utf8",
    ) -> None:
        made = _made.get()
        # Parts of a split paragraph (made from fragments, not text) are never shared. The
        # style is known by identity: the value kept below holds it, so the id is not reused.
        shared = made is not None and frags is None and text is not None
        key = (text, id(style), repr(bulletText), caseSensitive, encoding)
        if shared and made is not None and key in made:
            self.__dict__.update(made[key])
            return
        super().__init__(text, style, bulletText, frags, caseSensitive, encoding)
        self._broken_at: dict[float, tuple[Any, ...]] = {}
        if shared and made is not None:
            made[key] = dict(self.__dict__)

    def _setup(self, text: Any, style: Any, bulletText: Any, frags: Any, cleaner: Any) -> None:
        if frags is None and isinstance(text, str) and "<" not in text and "&" not in text:
            cleaned = cleaner(text)
            if cleaned:
                style, frags = _plain(cleaned, style, self.caseSensitive)
                text = cleaned
        super()._setup(text, style, bulletText, frags, cleaner)

    def wrap(self, availWidth: float, availHeight: float) -> tuple[float, float]:
        broken = self._broken_at
        if availWidth in broken:
            # What reportlab's wrap leaves on the paragraph, as it left it at this width
            # (the fragments too: breaking a marked-up paragraph replaces them with words).
            self.blPara, self.height, self._wrapWidths, self.frags = broken[availWidth]
            self.width = availWidth
            return availWidth, self.height
        width, height = super().wrap(availWidth, availHeight)
        if "blPara" in self.__dict__:  # not when the width is too narrow for any line
            broken[availWidth] = (self.blPara, self.height, self._wrapWidths, self.frags)
        return float(width), float(height)


def _plain(text: str, style: Any, case_sensitive: int) -> tuple[Any, list[Any]]:
    """The style and fragments reportlab's parser makes of ``text`` (cleaned, with no markup and
    no entity): what its tokeniser does with ``<para>text</para>``, without the tokenising."""
    parser = ParaParser()
    parser.caseSensitive = case_sensitive
    parser._setup_for_parse(style)
    parser.start_para({})
    parser.handle_data(text)
    parser.end_para()
    parsed_style, frags, _ = parser._complete_parse()
    textTransformFrags(frags, parsed_style)
    return parsed_style, frags
