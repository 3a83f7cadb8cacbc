"""Reading a report's text back, as a reader's PDF viewer or browser shows it.

``testlearn verify-report`` checks what a report prints, so it reads the printed file: the
text of each page of a PDF (with pypdf), or of each section of a report's HTML twin. A file that is
neither, or a PDF that cannot be read, is refused with a message naming the file.
"""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

from testlearn.errors import InputFileError

#: (where, text): "page 2" of a PDF, or a section of an HTML report by its heading.
Part = tuple[str, str]


def read_parts(path: Path) -> tuple[str, list[Part]]:
    """The format ("pdf" or "html") and the text of a report, part by part.

    Raises:
        InputFileError: the file is missing, is not a PDF or HTML report, or is damaged.
    """
    path = Path(path)
    try:
        start = path.read_bytes()[:1024]
    except FileNotFoundError:
        raise InputFileError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise InputFileError(f"{path} is a folder, not a report") from None
    except OSError as error:
        raise InputFileError(f"{path}: cannot be read ({error.strerror})") from None
    suffix = path.suffix.lower()
    if suffix == ".pdf":
        if not start.startswith(b"%PDF-"):
            raise InputFileError(
                f"{path} is not a PDF (it does not start as one does): was another file "
                "renamed to .pdf?"
            )
        return "pdf", _pdf_parts(path)
    if suffix in (".html", ".htm"):
        if b"<html" not in start.lower() and b"<!doctype html" not in start.lower():
            raise InputFileError(f"{path} is not an HTML page: was another file renamed?")
        return "html", _html_parts(path)
    raise InputFileError(f"{path}: give a report's PDF (.pdf) or its HTML twin (.html)")


def _pdf_parts(path: Path) -> list[Part]:
    from pypdf import PdfReader
    from pypdf.errors import PyPdfError

    try:
        reader = PdfReader(path)
        return [(f"page {n}", page.extract_text()) for n, page in enumerate(reader.pages, 1)]
    except (PyPdfError, ValueError, KeyError, TypeError, OSError) as error:
        # pypdf raises several kinds of error for a damaged file; all mean the same to a user.
        raise InputFileError(f"{path} is a damaged PDF and cannot be read ({error})") from None


def _html_parts(path: Path) -> list[Part]:
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise InputFileError(f"{path} is not a UTF-8 HTML page") from None
    reader = _Sections()
    reader.feed(text)
    reader.close()
    return reader.parts


class _Sections(HTMLParser):
    """The visible text of an HTML report, cut at each section heading (h2)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[Part] = []
        self._where = "the top"
        self._text: list[str] = []
        self._skipping = 0
        self._heading: list[str] | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("style", "script", "title"):
            self._skipping += 1
        elif tag == "h2":
            self._flush()
            self._heading = []
        self._text.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("style", "script", "title"):
            self._skipping = max(self._skipping - 1, 0)
        elif tag == "h2" and self._heading is not None:
            self._where = f"section “{' '.join(''.join(self._heading).split())}”"
            self._heading = None
        self._text.append(" ")

    def handle_data(self, data: str) -> None:
        if self._skipping:
            return
        if self._heading is not None:
            self._heading.append(data)
        self._text.append(data)

    def close(self) -> None:
        super().close()
        self._flush()

    def _flush(self) -> None:
        text = "".join(self._text).strip()
        if text:
            self.parts.append((self._where, text))
        self._text = []
