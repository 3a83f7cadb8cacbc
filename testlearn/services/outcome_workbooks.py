"""Checking an .xlsx archive before the spreadsheet reader opens it.

An .xlsx file is a zip archive of XML parts. A crafted one can be small on disk and enormous
once inflated (a "zip bomb"), declare smaller sizes than its parts really inflate to, or carry a
DTD whose entities expand a few bytes into gigabytes ("billion laughs") or pull in files from the
machine (XXE). openpyxl reads the parts through :mod:`zipfile`, and the whole of each part other
than a sheet at once, so nothing here is left to it: every part is inflated once, in small
pieces, before openpyxl sees the file, and the archive is refused in one line naming the file and
the part when any of these limits is passed.

The limits, and why a real workbook passes them:

* at most 10,000 parts: Excel writes about a dozen, plus three or four for each sheet;
* at most 1 GiB inflated in all, and 256 MiB for any part other than a sheet (the shared strings
  and styles, which are read whole): a sheet costs 50-100 bytes of XML a cell, so a few million
  cells is a few hundred MB;
* a part larger than 10 MiB inflated may be at most 100 times its compressed size: Excel's sheet
  XML, with a cell reference in every cell, compresses about 12 times even when every value is
  the same, while a bomb compresses about 1,000 times;
* a part may not inflate to more than the size it declares (zipfile reads a part that is read
  whole by inflating all of it before cutting it to the declared size), and only the stored and
  deflate methods Excel uses are read;
* a sheet's row may hold at most 16,384 cells (Excel's last column is XFD, the 16,384th) and
  64 MiB of XML: openpyxl builds each row whole, so one row of fifty million cells would
  otherwise be held at once;
* no XML part may have a DTD (``<!DOCTYPE``): Excel never writes one, and without one no entity
  can be defined, so neither billion laughs nor XXE can happen whatever the XML parser does.
"""

from __future__ import annotations

import codecs
import re
import struct
import zipfile
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any, BinaryIO

from testlearn.errors import InputFileError

MAX_PARTS = 10_000
MAX_TOTAL = 1 << 30  # inflated bytes, all parts together
MAX_WHOLE_PART = 256 << 20  # a part openpyxl reads whole (anything but a sheet)
RATIO_FROM = 10 << 20  # parts inflating to more than this have their ratio checked
MAX_RATIO = 100
MAX_ROW_CELLS = 16_384
MAX_ROW_BYTES = 64 << 20
#: How far into a part its XML prolog (where a DTD would be) may go before the root element.
MAX_PROLOG = 1 << 20
_PIECE = 1 << 16
_LOCAL_HEADER = struct.Struct("<4s5H3L2H")
_END_RECORD = struct.Struct("<4s4H2LH")


def check_archive_directory(path: Path) -> None:
    """Refuse an archive with too many parts before zipfile reads its directory into memory."""
    size = path.stat().st_size
    with path.open("rb") as handle:
        handle.seek(max(0, size - (_END_RECORD.size + 65_535)))
        tail = handle.read()
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or len(tail) - at < _END_RECORD.size:
        return  # not a zip that zipfile can open either; it says so itself
    _, _, _, _, entries, directory_size, _, _ = _END_RECORD.unpack_from(tail, at)
    if entries > MAX_PARTS or directory_size > MAX_PARTS * 1024:
        raise InputFileError(
            f"{path.name}: refused: the archive holds more parts than any workbook "
            f"(over {MAX_PARTS:,}); it may be crafted to exhaust memory. Export the data as CSV"
        )


def check_workbook_archive(path: Path) -> None:
    """Refuse ``path`` in one line if any part breaks the limits above; return if all pass."""
    name = path.name
    try:
        with zipfile.ZipFile(path) as archive:
            parts = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError) as error:
        raise InputFileError(f"{name}: not a readable .xlsx workbook ({error})") from None
    if len(parts) > MAX_PARTS:
        raise _refused(name, f"it holds {len(parts):,} parts, more than any workbook")
    total = sum(part.file_size for part in parts)
    if total > MAX_TOTAL:
        raise _refused(
            name,
            f"its parts inflate to {_mib(total)}, more than the {_mib(MAX_TOTAL)} this "
            "program reads from a workbook",
        )
    with path.open("rb") as handle:
        for part in parts:
            _check_part(name, part, handle)


def _check_part(name: str, part: zipfile.ZipInfo, handle: BinaryIO) -> None:
    where = f"the part {part.filename!r}"
    if part.flag_bits & 0x1:
        raise _refused(name, f"{where} is encrypted")
    if part.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
        raise _refused(name, f"{where} is compressed in a way Excel never uses")
    whole = not _is_sheet(part.filename)
    if whole and part.file_size > MAX_WHOLE_PART:
        raise _refused(
            name, f"{where} inflates to {_mib(part.file_size)}, more than {_mib(MAX_WHOLE_PART)}"
        )
    if part.file_size > RATIO_FROM and part.file_size > MAX_RATIO * max(part.compress_size, 1):
        ratio = part.file_size / max(part.compress_size, 1)
        raise _refused(
            name,
            f"{where} inflates {ratio:,.0f} times (to {_mib(part.file_size)}); a real "
            f"workbook's parts inflate at most about {MAX_RATIO} times",
        )
    prolog = _Prolog()
    rows = _Rows() if not whole else None
    for piece in _inflated(name, part, handle):
        if rows is not None:
            too_big = rows.feed(piece)
            if too_big is not None:
                raise _refused(name, f"row {rows.row:,} of the sheet in {where} {too_big}")
        if not prolog.done:
            prolog.feed(piece)
            if prolog.dtd:
                raise _refused(
                    name,
                    f"{where} declares a DTD (<!DOCTYPE), which Excel never writes; its "
                    "entities could expand without end or read other files",
                )
            if prolog.too_long:
                raise _refused(name, f"{where} has over {_mib(MAX_PROLOG)} before its XML begins")


def _inflated(name: str, part: zipfile.ZipInfo, file: BinaryIO) -> Iterator[bytes]:
    """The part's bytes in pieces of at most 64 KiB, refusing any byte past its declared size."""
    file.seek(part.header_offset)
    header = file.read(_LOCAL_HEADER.size)
    if len(header) < _LOCAL_HEADER.size or not header.startswith(b"PK\x03\x04"):
        raise InputFileError(
            f"{name}: not a readable .xlsx workbook (the part {part.filename!r} is missing)"
        )
    name_length, extra_length = _LOCAL_HEADER.unpack(header)[-2:]
    file.seek(part.header_offset + _LOCAL_HEADER.size + name_length + extra_length)
    left = part.compress_size
    produced = 0
    inflate = zlib.decompressobj(-zlib.MAX_WBITS) if part.compress_type else None
    while left > 0:
        data = file.read(min(_PIECE, left))
        if not data:
            break
        left -= len(data)
        while data:
            if inflate is None:
                piece, data = data, b""
            else:
                try:
                    piece = inflate.decompress(data, _PIECE)
                except zlib.error as error:
                    raise InputFileError(
                        f"{name}: not a readable .xlsx workbook (the part {part.filename!r} is "
                        f"damaged: {error})"
                    ) from None
                data = inflate.unconsumed_tail
            produced += len(piece)
            if produced > part.file_size:
                raise _refused(
                    name,
                    f"the part {part.filename!r} inflates to more than the "
                    f"{part.file_size:,} bytes it declares",
                )
            if piece:
                yield piece
            if inflate is not None and inflate.eof:
                return


def _is_sheet(filename: str) -> bool:
    """A worksheet part, which openpyxl reads as a stream in read-only mode."""
    return filename.startswith("xl/worksheets/") and filename.endswith(".xml")


_ROW = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?row(?=[\s>/])")
_CELL = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?c[\s>/]")


class _Rows:
    """Counts the cells and bytes of each row of a sheet's XML as it is inflated."""

    def __init__(self) -> None:
        self.carry = b""  # a tag cut in two by the end of a piece
        self.row = 0  # rows started so far, as the sheet lists them
        self.cells = 0
        self.size = 0

    def feed(self, piece: bytes) -> str | None:
        """What is too big about the current row, or None."""
        data = self.carry + piece
        cut = data.rfind(b"<")
        if cut < 0 or len(data) - cut > 64:
            cut = len(data)
        body, self.carry = data[:cut], data[cut:]
        prefixed = b":row" in body or b":c" in body  # a namespace prefix: the slower way
        segments = _ROW.split(body) if prefixed else body.split(b"<row")
        for i, segment in enumerate(segments):
            if i:
                self.row, self.cells, self.size = self.row + 1, 0, 0
            self.size += len(segment)
            if prefixed:
                self.cells += len(_CELL.findall(segment))
            else:
                self.cells += segment.count(b"<c ") + segment.count(b"<c>") + segment.count(b"<c/")
            if self.cells > MAX_ROW_CELLS:
                return f"holds more than {MAX_ROW_CELLS:,} cells, Excel's limit"
            if self.size > MAX_ROW_BYTES:
                return f"runs to more than {_mib(MAX_ROW_BYTES)} of XML"
        return None


class _Prolog:
    """Reads the start of a part until its root element: is there a DTD before it?"""

    def __init__(self) -> None:
        self.head = b""
        self.done = False
        self.dtd = False
        self.too_long = False

    def feed(self, piece: bytes) -> None:
        self.head += piece[: MAX_PROLOG + 1 - len(self.head)]
        text = _decoded(self.head)
        if text is None:
            self.done = True  # not XML (a picture, say): nothing for the XML parser to expand
            return
        at = 0
        while True:
            while at < len(text) and text[at] in " \t\r\n\ufeff":
                at += 1
            if at >= len(text):
                break  # more to read
            if text.startswith("<?", at) or text.startswith("<!--", at):
                close = "?>" if text[at + 1] == "?" else "-->"
                end = text.find(close, at)
                if end < 0:
                    break
                at = end + len(close)
                continue
            if len(text) - at < 4 and "<!--".startswith(text[at:]):
                break  # a lone "<" or "<!" so far: more to read
            self.dtd = text.startswith("<!", at)
            self.done = True  # the root element, or text that is not XML
            return
        if len(self.head) > MAX_PROLOG:
            self.too_long = True


def _decoded(head: bytes) -> str | None:
    """The start of a part as text if it may be XML; None if it cannot be."""
    for bom, codec in ((codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")):
        if head.startswith(bom):
            return head[len(bom) :].decode(codec, "ignore")
    if head.startswith(b"<\x00"):
        return head.decode("utf-16-le", "ignore")
    if head.startswith(b"\x00<"):
        return head.decode("utf-16-be", "ignore")
    text = head.decode("utf-8", "ignore")
    stripped = text.lstrip(" \t\r\n\ufeff")
    return text if not stripped or stripped.startswith("<") else None


def _refused(name: str, why: str) -> InputFileError:
    return InputFileError(
        f"{name}: refused: {why}; it may be crafted to attack the reader. Open it in Excel and "
        "save it again, or export the data as CSV"
    )


def _mib(size: int) -> str:
    return f"{size / (1 << 20):,.0f} MiB" if size >= 1 << 20 else f"{size:,} bytes"


def find_bad_cell(path: Path, part: str, after: int) -> tuple[int, str, str, str] | None:
    """The first cell below row ``after`` of the sheet ``part`` that the spreadsheet reader
    cannot turn into a value: (row, cell reference such as "B3", the text it holds, what it
    is marked as holding in words).

    Run only once a sheet has failed to read, and only on an archive that passed
    :func:`check_workbook_archive` (so no DTD, and bounded sizes)."""
    from xml.etree.ElementTree import iterparse

    from openpyxl.utils import get_column_letter

    row_number, column = 0, 0
    rows: Any = None
    try:
        with zipfile.ZipFile(path) as archive, archive.open(part) as stream:
            for event, element in iterparse(stream, events=("start", "end")):
                tag = element.tag.rsplit("}", 1)[-1]
                if event == "start":
                    if tag == "sheetData":
                        rows = element
                    if tag == "row":
                        given = element.get("r")
                        row_number = int(given) if given and given.isdigit() else row_number + 1
                        column = 0
                    continue
                if tag == "c":
                    column += 1
                    reference = element.get("r") or f"{get_column_letter(column)}{row_number}"
                    letters = reference.rstrip("0123456789")
                    if letters:
                        from openpyxl.utils import column_index_from_string

                        column = column_index_from_string(letters)
                    if row_number > after:
                        text = _unreadable(element)
                        if text is not None:
                            reference = f"{get_column_letter(column)}{row_number}"
                            kind = _KINDS.get(element.get("t", "n"), "a value")
                            return row_number, reference, text, kind
                    element.clear()
                elif tag == "row" and rows is not None:
                    rows.clear()  # rows already looked at are let go
    except Exception:  # the sheet is damaged in some other way: the caller says so by row
        return None
    return None


_KINDS = {"n": "a number", "b": "true or false", "d": "a date"}


def _unreadable(cell: object) -> str | None:
    """The text of a cell openpyxl cannot read as the type it is marked with, or None."""
    from xml.etree.ElementTree import Element

    assert isinstance(cell, Element)
    kind = cell.get("t", "n")
    value = next((child.text for child in cell if child.tag.endswith("}v")), None)
    if value is None:
        return None
    try:
        if kind == "n":
            float(value) if any(c in value for c in ".eE") else int(value)
        elif kind == "b":
            int(value)
        elif kind == "d":
            from openpyxl.utils.datetime import from_ISO8601

            from_ISO8601(value)
    except (ValueError, TypeError, OverflowError):
        return value
    return None
