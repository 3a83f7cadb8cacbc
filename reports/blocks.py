"""The building blocks of a report's content, independent of PDF or HTML.

A report is first written as these plain frozen records (sections of paragraphs, bullets,
lettered recommendations, questions and answers, tables and charts), then printed by
``reports.layout`` as a PDF or by ``reports.html`` as HTML. Both print the same
content, so the accessible HTML never says something the PDF does not.
Text is plain (not markup): the printers escape it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from reports.charts import ChartDrawing


@dataclass(frozen=True)
class Text:
    """A paragraph. ``style`` is "body", "small" or "notice" (a boxed warning)."""

    text: str
    style: str = "body"


@dataclass(frozen=True)
class Bullets:
    items: tuple[str, ...]


@dataclass(frozen=True)
class Lettered:
    """Recommendations, lettered a), b), c)."""

    items: tuple[str, ...]


@dataclass(frozen=True)
class QandA:
    pairs: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Table:
    """A table with a header row; ``widths`` are fractions of the text width.

    ``strong_rows`` are printed bold (the recommended option), which is also said in words.
    """

    headers: tuple[str, ...]
    rows: tuple[tuple[str, ...], ...]
    widths: tuple[float, ...]
    caption: str = ""
    strong_rows: frozenset[int] = field(default_factory=frozenset)


@dataclass(frozen=True)
class Fields:
    """Label and value pairs, as in the header of a submission."""

    pairs: tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class Chart:
    """A chart, printed with its text alternative beneath it."""

    drawing: ChartDrawing


@dataclass(frozen=True)
class Citation:
    """How to cite the report and check its figures against the database."""

    how_to_cite: str
    lines: tuple[tuple[str, str], ...]  # (label, value), values printed in a fixed-width font
    heading: str = "How to cite"
    explained: str = ""  # what the hashes are and how to check them, printed beneath them
    #: The hashes' size in points; None keeps the fixed-width style's (the full report's
    #: annex, and briefs issued before the brief set them larger, print as they were).
    hash_size: float | None = None


Block = Text | Bullets | Lettered | QandA | Table | Fields | Chart | Citation


@dataclass(frozen=True)
class Section:
    title: str
    blocks: tuple[Block, ...]
    number: int | None = None
    new_page: bool = False

    @property
    def heading(self) -> str:
        return f"{self.number}. {self.title}" if self.number is not None else self.title


@dataclass(frozen=True)
class Document:
    """Everything printed in a report, and its page furniture.

    Attributes:
        title: the document title (also the PDF title).
        kind: what it is ("Ministerial brief", "Lessons-learned report", "Portfolio report").
        reference: the report reference printed in every footer.
        marking: the printed marking, in capitals.
        handling: handling instructions printed under the marking.
        final: False prints DRAFT on every page.
        author: the team or organisation (PDF author).
        subject: PDF subject.
        keywords: PDF keywords.
        front: blocks before the first section (header fields, notices).
        sections: the numbered sections.
        heading: the words printed at the top of the first page, when not the title.
        version: the version printed in every footer ("v2.0"), from the clearance of a
            final; "draft" until then.
    """

    title: str
    kind: str
    reference: str
    marking: str
    handling: str
    final: bool
    author: str
    subject: str
    keywords: tuple[str, ...]
    front: tuple[Block, ...]
    sections: tuple[Section, ...]
    heading: str = ""  # printed above the first page's text; the title when empty
    version: str = "draft"
    #: Printed on every page when set: the report fails verification.
    page_notice: str = ""


#: What every page of a report says when it was written although its pilot fails verification.
UNVERIFIED_NOTICE = "FAILS VERIFICATION: do not rely on or quote this report"
