"""Opening a results file as people really have it: sniffed, decoded, split into rows.

A file is judged by its bytes, not its name: a PDF or a picture renamed .csv is refused in one
line, a workbook renamed .csv is read as the workbook it is. Text is decoded strictly as UTF-8
(with or without the byte order mark Excel's "CSV UTF-8" writes); a file that is not valid
UTF-8 is read as Windows-1252, which is what Excel's plain "CSV (Comma delimited)" writes on a
British Windows machine. One pass over the bytes before any row is read checks the encoding,
counts the lines (for progress) and takes the sha256 (for provenance), so an undecodable byte
on line 900,000 is refused before anything is stored.
"""

from __future__ import annotations

import codecs
import csv
import hashlib
import itertools
import zipfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from testlearn.errors import InputFileError
from testlearn.services.outcome_workbooks import (
    check_archive_directory,
    check_workbook_archive,
    find_bad_cell,
)

_BLOCK = 1 << 20
UTF8_BOM = codecs.BOM_UTF8
#: What the first bytes of common non-data files look like, for a message naming them.
_SIGNATURES: tuple[tuple[bytes, str], ...] = (
    (b"%PDF", "a PDF document"),
    (b"\x89PNG\r\n\x1a\n", "a PNG image"),
    (b"\xff\xd8\xff", "a JPEG image"),
    (b"GIF8", "a GIF image"),
    (b"\x1f\x8b", "a gzip archive"),
    (b"Rar!", "a RAR archive"),
    (b"7z\xbc\xaf", "a 7-Zip archive"),
    (b"SQLite format 3\x00", "an SQLite database"),
    (b"{\\rtf", "an RTF document"),
)
_OLE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # old .xls/.doc, or a password-protected .xlsx
_ZIP = b"PK\x03\x04"
#: Encodings a user may name, by the words they are likely to use.
ENCODING_NAMES = {"utf-8": "UTF-8", "utf-8-sig": "UTF-8", "cp1252": "Windows-1252"}


@dataclass
class SourceTable:
    """A file opened for reading: its header, its rows on demand, and what it was."""

    path: Path
    where: str  # the file's name, and its sheet for a workbook, as messages say it
    header: list[Any]
    rows: Iterator[tuple[int, Sequence[Any]]]  # (the file's own line or row number, cells)
    sha256: str
    encoding: str = ""  # how the text was decoded, in words; "" for a workbook
    total_lines: int = 0  # for progress; 0 when unknown
    sheet: str | None = None
    delimiter: str = ","
    codec: str = ""  # the Python codec the text is read with
    quotes: bool = False  # whether the text holds any quote character (")
    header_line: int = 1  # the header's own line: 1, unless blank lines are above it
    _close: Callable[[], None] = field(default=lambda: None, repr=False)

    def close(self) -> None:
        self._close()


def file_sha256(path: Path) -> str:
    with path.open("rb") as handle:
        return hashlib.file_digest(handle, "sha256").hexdigest()


def check_encoding_name(name: str) -> str:
    """The Python codec for an encoding the user named, or a one-line refusal."""
    try:
        return codecs.lookup(name.strip()).name
    except LookupError:
        raise InputFileError(
            f"{name!r} is not an encoding this program knows; try utf-8 or cp1252 (Windows-1252)"
        ) from None


def open_source(path: Path, encoding: str | None = None) -> SourceTable:
    """Open ``path`` (CSV or .xlsx, judged by its content) for reading rows."""
    path = Path(path)
    if path.is_dir():
        raise InputFileError(f"{path}: this is a folder; give the path of a CSV or .xlsx file")
    if not path.is_file():
        raise InputFileError(f"{path}: no such file")
    try:
        with path.open("rb") as handle:
            head = handle.read(8192)
    except OSError as error:
        raise InputFileError(f"{path.name}: cannot be read ({error.strerror})") from None
    if not head.strip():
        raise InputFileError(f"{path.name}: the file is empty")
    suffix = path.suffix.lower()
    if suffix in (".xls", ".xlsb", ".ods"):
        raise InputFileError(
            f"{path.name}: {suffix} files cannot be read; save it as .xlsx or .csv"
        )
    what = _not_data(head)
    if head.startswith(_ZIP):
        check_archive_directory(path)
        if _is_workbook(path):
            return _xlsx_source(path)
        if suffix == ".xlsx":
            raise InputFileError(
                f"{path.name}: not a readable .xlsx workbook (it is a zip archive with no "
                "workbook inside); export the data as .xlsx or CSV"
            )
        raise InputFileError(
            f"{path.name}: this is a zip archive, not a CSV or .xlsx file of results"
        )
    if suffix == ".xlsx":
        looks = what or "a text file"
        raise InputFileError(
            f"{path.name}: not a readable .xlsx workbook (it looks like {looks}); "
            "open it in Excel and save it as .xlsx, or export it as CSV"
        )
    if what is not None:
        raise InputFileError(f"{path.name}: this is {what}, not a CSV or .xlsx file of results")
    return _csv_source(path, head, encoding)


def _not_data(head: bytes) -> str | None:
    """What a file that is not text or a workbook looks like, or None if it may be data."""
    for signature, name in _SIGNATURES:
        if head.startswith(signature):
            return name
    if head.startswith(_OLE):
        return "an old-style .xls workbook or a password-protected one"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return None
    if b"\x00" in head and not head.startswith(_ZIP):
        return "a binary file (it holds NUL bytes)"
    return None


def _is_workbook(path: Path) -> bool:
    try:
        with zipfile.ZipFile(path) as archive:
            return "xl/workbook.xml" in archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        return False


@dataclass(frozen=True)
class _Scan:
    codec: str
    words: str  # the encoding, in words
    lines: int
    sha256: str
    quotes: bool  # whether any quote character (") is in the text


def _scan(path: Path, encoding: str | None, bom: bool) -> _Scan:
    """Check the whole file decodes, count its lines, take its sha256, look for quotes."""
    digest = hashlib.sha256()
    lines = 0
    quotes = False
    candidates = [encoding] if encoding else ["utf-8", "cp1252"]
    if encoding is None and bom:
        candidates = ["utf-8"]
    decoders = {name: codecs.getincrementaldecoder(name)("strict") for name in candidates}
    failed: dict[str, int] = {}  # codec -> line of its first undecodable byte
    with path.open("rb") as handle:
        while block := handle.read(_BLOCK):
            digest.update(block)
            if b"\x00" in block and not (encoding or "").startswith("utf-16"):
                nul = lines + block[: block.index(b"\x00")].count(b"\n") + 1
                raise InputFileError(
                    f"{path.name}, row {nul}: the file holds NUL bytes, so it is not a CSV "
                    "text file"
                )
            for name, decoder in list(decoders.items()):
                try:
                    decoder.decode(block)
                except UnicodeDecodeError as error:
                    failed[name] = lines + block[: error.start].count(b"\n") + 1
                    del decoders[name]
            lines += block.count(b"\n")
            quotes = quotes or b'"' in block
        for name, decoder in list(decoders.items()):
            try:
                decoder.decode(b"", final=True)
            except UnicodeDecodeError:
                failed[name] = lines + 1
                del decoders[name]
    if not decoders:
        first = min(failed.values())
        if encoding:
            said = f"not valid {encoding} text"
        elif bom:
            said = "marked as UTF-8 but not valid UTF-8"
        else:
            said = "neither UTF-8 nor Windows-1252 text"
        raise InputFileError(
            f"{path.name}, row {first}: {said}; save it as 'CSV UTF-8' or as .xlsx, or "
            "name its encoding"
        )
    codec = next(iter(decoders))
    words = _words(codec)
    if codec == "utf-8":
        codec = "utf-8-sig"  # drops the byte order mark Excel writes, if there is one
        words = "UTF-8 with a byte order mark" if bom else "UTF-8"
    elif encoding is None:
        words += ", as the file is not valid UTF-8"
    return _Scan(codec, words, lines, digest.hexdigest(), quotes)


def _words(codec: str) -> str:
    name = codecs.lookup(codec).name
    return ENCODING_NAMES.get(name, name)


def _csv_source(path: Path, head: bytes, encoding: str | None) -> SourceTable:
    if encoding is None and head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding = "utf-16"
    codec_name = check_encoding_name(encoding) if encoding else None
    scan = _scan(path, codec_name, head.startswith(UTF8_BOM))
    codec = scan.codec
    handle = path.open("r", encoding=codec, newline="")
    above = 0  # blank lines above the header: they are lines of the file all the same
    first = handle.readline()
    while first and not first.strip():
        above += 1
        first = handle.readline()
    if not first.strip():
        handle.close()
        raise InputFileError(f"{path.name}: the file is empty")
    counts = {d: first.count(d) for d in (",", ";", "\t")}
    delimiter = max(counts, key=lambda d: counts[d]) if any(counts.values()) else ","
    where = path.name
    # Strict about quotes: a quoted cell that is never closed would otherwise swallow the
    # rest of the file into one cell, and text after a closing quote would be run into it.
    reader = csv.reader(itertools.chain([first], handle), delimiter=delimiter, strict=True)
    try:
        header = next(reader)
    except csv.Error as error:
        handle.close()
        raise _quote_error(path, codec, delimiter, [], above, 1 + above, reader, error) from None
    header_end = reader.line_num

    def rows() -> Iterator[tuple[int, Sequence[Any]]]:
        # Line numbers are the file's own (the header is line 1 when nothing is above it):
        # a quoted cell running over several lines moves the next row down, as a text editor
        # would show it.
        end = above + header_end
        try:
            for row in reader:
                start = end + 1
                end = above + reader.line_num
                yield start, row
        except csv.Error as error:
            raise _quote_error(
                path, codec, delimiter, header, above, end + 1, reader, error
            ) from None
        finally:
            handle.close()

    return SourceTable(
        path,
        where,
        header,
        rows(),
        scan.sha256,
        encoding=scan.words,
        total_lines=scan.lines,
        delimiter=delimiter,
        codec=codec,
        quotes=scan.quotes,
        header_line=above + 1,
        _close=handle.close,
    )


def _quote_error(
    path: Path,
    codec: str,
    delimiter: str,
    header: Sequence[Any],
    above: int,
    start: int,
    reader: Any,
    error: csv.Error,
) -> InputFileError:
    """One line for a row the CSV reader refused: where its bad quote is, and what to do."""
    found = _find_bad_quote(path, codec, delimiter, start)
    if found is None:
        line = above + reader.line_num if "expected after" in str(error) else start
        return InputFileError(f"{path.name}, row {line}: {_csv_words(error)}")
    kind, line, field = found
    if field < len(header) and str(header[field]).strip():
        column = f", column {_short(str(header[field]).strip())}"
    else:
        column = f", column {field + 1}"
    if kind == "open":
        said = (
            'a quoted cell opens here (with ") and its closing quote is missing, so the rest '
            "of the file would be read as this one cell; close the quote or remove it"
        )
    else:
        said = (
            'text follows the closing quote (") of this cell before the next '
            f"{_delimiter_name(delimiter)}; put the whole cell in quotes, doubling any quote "
            'inside it ("")'
        )
    return InputFileError(f"{path.name}, row {line}{column}: {said}")


def _find_bad_quote(
    path: Path, codec: str, delimiter: str, start: int
) -> tuple[str, int, int] | None:
    """Re-read the record starting on line ``start``: ("open" | "after", line, field index)
    of the quote the CSV reader refused, or None. Reads at most a few field limits of text."""
    budget = 4 * csv.field_size_limit()
    field, line, opened = 0, start, (start, 0)
    quoted, at_start = False, True
    with path.open("r", encoding=codec, newline="") as handle:
        for text in itertools.islice(handle, start - 1, None):
            budget -= len(text)
            i, n = 0, len(text)
            while i < n:
                if quoted:
                    j = text.find('"', i)
                    if j < 0:
                        break
                    if j + 1 < n and text[j + 1] == '"':
                        i = j + 2
                        continue
                    quoted, at_start, i = False, False, j + 1
                    if i < n and text[i] not in (delimiter, "\r", "\n"):
                        return "after", line, field
                    continue
                c = text[i]
                if c == '"' and at_start:
                    quoted, opened = True, (line, field)
                elif c == delimiter:
                    field, at_start = field + 1, True
                elif c in "\r\n":
                    return None  # the record ended: not the one refused
                else:
                    at_start = False
                i += 1
            if budget < 0:
                break
            line += 1
    return ("open", *opened) if quoted else None


def _csv_words(error: csv.Error) -> str:
    text = str(error)
    if "field larger than field limit" in text:
        limit = csv.field_size_limit()
        return f"a cell is longer than {limit:,} characters, more than any results file holds"
    if "unexpected end of data" in text:
        return 'the file ends inside a quoted cell: a quote (") opened in this row is never closed'
    return f"the row cannot be read as CSV ({_short(text)})"


def _delimiter_name(delimiter: str) -> str:
    return {",": "comma", ";": "semicolon", "\t": "tab"}.get(delimiter, repr(delimiter))


def _short(text: str, limit: int = 60) -> str:
    """A piece of the file quoted in a message, cut so the message stays one short line."""
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _xlsx_source(path: Path) -> SourceTable:
    from openpyxl import load_workbook

    # Opened by handle: openpyxl judges a path by its name, and a workbook renamed .csv is
    # still a workbook.
    check_workbook_archive(path)  # sizes, ratios and DTDs, before openpyxl inflates anything
    handle = path.open("rb")
    try:
        book = load_workbook(handle, read_only=True, data_only=True, keep_links=False)
    except Exception as error:  # openpyxl raises many kinds on a damaged file
        handle.close()
        raise InputFileError(
            f"{path.name}: not a readable .xlsx workbook ({_one_line(error)})"
        ) from None

    def close() -> None:
        book.close()
        handle.close()

    if not book.worksheets:
        close()
        raise InputFileError(f"{path.name}: the workbook has no sheets")
    sheet = book.worksheets[0]
    where = f"{path.name}, sheet {sheet.title}"
    values = sheet.iter_rows(values_only=True)
    try:
        header = list(next(values))
    except StopIteration:
        close()
        raise InputFileError(f"{where}: the sheet is empty") from None
    except Exception as error:
        close()
        raise _sheet_error(path, sheet, where, [], 0, error) from None
    if not any(h is not None and str(h).strip() for h in header):
        close()
        raise InputFileError(f"{where}, row 1: the first row must name the columns")

    def rows() -> Iterator[tuple[int, Sequence[Any]]]:
        line = 1
        try:
            for line, row in enumerate(values, start=2):
                yield line, row
        except Exception as error:  # a cell openpyxl cannot read, or a damaged sheet part
            raise _sheet_error(path, sheet, where, header, line, error) from None
        finally:
            close()

    total = sheet.max_row if isinstance(sheet.max_row, int) else 0
    return SourceTable(
        path,
        where,
        header,
        rows(),
        file_sha256(path),
        total_lines=total,
        sheet=sheet.title,
        _close=close,
    )


def _sheet_error(
    path: Path, sheet: Any, where: str, header: Sequence[Any], after: int, error: Exception
) -> InputFileError:
    """One line for a sheet that stopped reading below row ``after``: the cell, if one is to
    blame (a number cell holding NaN, say), named by its row, header and reference."""
    part = getattr(sheet, "_worksheet_path", None)
    found = find_bad_cell(path, part, after) if isinstance(part, str) else None
    if found is None:
        return InputFileError(f"{where}, row {after + 1}: cannot be read ({_one_line(error)})")
    row, reference, text, kind = found
    letters = reference.rstrip("0123456789")
    from openpyxl.utils import column_index_from_string

    index = column_index_from_string(letters) - 1
    title = header[index] if index < len(header) else None
    column = f"{_short(str(title).strip())} (cell {reference})" if title else letters
    if row == 1:
        column = f"{letters} (cell {reference})"
    return InputFileError(
        f"{where}, row {row}, column {column}: the cell is marked as holding {kind} but holds "
        f"{_short(text)!r}; type the value again, or clear the cell"
    )


def _one_line(error: BaseException) -> str:
    """A library's message, kept to the one line every refusal is."""
    return " ".join(f"{type(error).__name__}: {error}".split())
