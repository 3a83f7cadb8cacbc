"""A paragraph of plain text, parsed without reportlab's HTML tokeniser, is the paragraph
reportlab's own parser makes: the same text, style and fragments, so the same lines."""

from __future__ import annotations

from typing import Any

import pytest
from reportlab.lib.styles import ParagraphStyle, getSampleStyleSheet
from reportlab.platypus import Paragraph as ReportlabParagraph

from reports.line_breaks import Paragraph, shared_paragraphs

BODY = getSampleStyleSheet()["BodyText"]
BULLET = ParagraphStyle("bullet", parent=BODY, leftIndent=15, bulletIndent=2)
SHOUTED = ParagraphStyle("shouted", parent=BODY, textTransform="uppercase")

TEXTS = [
    "The contract was let to the lowest compliant bid after a second round of clarification.",
    "  Spaces   and\nnew lines\n\n  are   cleaned  as reportlab cleans them.  ",
    "Dates kept whole: 15\u00a0October\u00a02026; a tab\there; Ελληνικά, кириллица, עברית.",
    "x",
    # Markup and entities go through reportlab's tokeniser, as before.
    "<b>Q: Did it work?</b> Yes &amp; no.",
    "Fish &amp; chips &lt;3",
    "",
    "   ",
]


def _made(paragraph: Any) -> tuple[Any, ...]:
    frags = [dict(vars(f)) for f in paragraph.frags]
    return paragraph.text, paragraph.style, paragraph.bulletText, frags


def _lines(paragraph: Any) -> list[Any]:
    """The lines a wrapped paragraph broke into: (space left, words) for plain text, the
    space left and the runs of text for marked-up text."""
    return [
        line
        if isinstance(line, tuple)
        else (line.extraSpace, [getattr(w, "text", "") for w in line.words])
        for line in paragraph.blPara.lines
    ]


@pytest.mark.parametrize("text", TEXTS)
@pytest.mark.parametrize("style", [BODY, BULLET, SHOUTED], ids=["body", "bullet", "upper"])
def test_a_paragraph_is_made_as_reportlab_makes_it(text: str, style: ParagraphStyle) -> None:
    bullet = "•" if style is BULLET else None
    ours = Paragraph(text, style, bulletText=bullet)
    theirs = ReportlabParagraph(text, style, bulletText=bullet)
    assert _made(ours) == _made(theirs)
    for width in (400.0, 120.0, 40.0):
        assert ours.wrap(width, 700) == theirs.wrap(width, 700)
        assert _lines(ours) == _lines(theirs)


def test_plain_paragraphs_shared_between_steps_keep_their_own_lines() -> None:
    text = TEXTS[0]
    with shared_paragraphs():
        first = Paragraph(text, BODY)
        first.wrap(200, 700)
        again = Paragraph(text, BODY)
        other = Paragraph(text + " And one more sentence.", BODY)
    assert again.wrap(200, 700) == first.wrap(200, 700)
    assert other.wrap(200, 700)[1] > first.wrap(200, 700)[1]
    assert _made(other) == _made(ReportlabParagraph(text + " And one more sentence.", BODY))
