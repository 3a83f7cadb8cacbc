"""Hostile and broken outcome files through `testlearn import-results` and `testlearn analyse`.

Each file is built here as an attacker or a careless export would make it. Every one is
refused in one line naming the file (and the row and column where there is one), the exit code
says it failed, and the database holds nothing new.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from testlearn.services import pilots, registration
from tests.builders import hypothesis, pilot
from tests.conftest import Cli, Run

ANALYSE = ("--outcome", "binary", "--design", "two-group", "--benefit-threshold", "0.1")


@pytest.fixture
def ready(db: Any) -> Any:
    pilots.create_pilot(pilot(), db=db, actor="ana")
    pilots.add_record("T-001", "hypothesis", hypothesis(), db=db, actor="ana")
    registration.register("T-001", db=db, actor="ana")
    return db


def state(db_path: Path) -> tuple[int, ...]:
    """What an import could change: the rows, the datasets and the audit chain."""
    conn = sqlite3.connect(db_path)
    try:
        return tuple(
            conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            for table in ("observation", "aggregate_row", "dataset", "audit_event")
        )
    finally:
        conn.close()


def refused(cli: Cli, db_path: Path, path: Path, *options: str) -> str:
    """Import ``path``: it must fail in one line, storing nothing; the line is returned."""
    before = state(db_path)
    run = cli("import-results", "T-001", "H1", str(path), *options)
    assert run.code == 1, run.out
    assert state(db_path) == before
    return one_line(run)


def one_line(run: Run) -> str:
    lines = run.err.strip().splitlines()
    assert len(lines) == 1, run.err
    assert "unexpected error" not in lines[0]
    assert len(lines[0]) < 400, lines[0]
    return lines[0]


def binary_rows(count: int) -> list[str]:
    return [f"{'pilot' if i % 2 else 'comparator'},{i % 2},ok" for i in range(1, count + 1)]


# -- CSV quoting --------------------------------------------------------------------------------


def test_an_unterminated_quote_is_refused_at_the_line_it_opens(
    cli: Cli, ready: Any, tmp_path: Path, db_path: Path
) -> None:
    lines = ["arm,value,note", *binary_rows(200)]  # 201 lines
    lines[56] = 'pilot,1,"the rest of the file disappears into this note'  # line 57
    path = tmp_path / "site returns.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    message = refused(cli, db_path, path)
    assert message.startswith("testlearn: site returns.csv, row 57, column note: a quoted cell")
    assert "closing quote is missing" in message
    analysed = one_line(cli("analyse", str(path), *ANALYSE))
    assert analysed == message


def test_the_same_file_with_the_quote_closed_imports_all_200_rows(
    cli: Cli, ready: Any, tmp_path: Path
) -> None:
    lines = ["arm,value,note", *binary_rows(200)]
    lines[56] = 'pilot,1,"a note, with a comma\nand a second line"'
    path = tmp_path / "returns.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    run = cli("import-results", "T-001", "H1", str(path))
    assert run.code == 0, run.err
    assert "imported 200 unit rows" in run.out


def test_text_after_a_closing_quote_is_refused_with_its_row_and_column(
    cli: Cli, ready: Any, tmp_path: Path, db_path: Path
) -> None:
    lines = ["arm,value", *[row.rsplit(",", 1)[0] for row in binary_rows(30)]]
    lines[11] = '"pilot" (north),1'  # line 12
    path = tmp_path / "returns.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    message = refused(cli, db_path, path)
    assert message.startswith("testlearn: returns.csv, row 12, column arm: text follows the")
    assert one_line(cli("analyse", str(path), *ANALYSE)) == message


@pytest.mark.parametrize(
    "line",
    ['pilot, "1"', ' "pilot",1', '"pilot"x,1', '"pilot,1'],
    ids=["value", "arm", "x", "open"],
)
def test_the_fast_reader_refuses_what_the_careful_reader_refuses(
    cli: Cli, ready: Any, tmp_path: Path, db_path: Path, line: str
) -> None:
    """pandas forgives these quotes; the analysis of a file must not."""
    lines = ["arm,value", *[row.rsplit(",", 1)[0] for row in binary_rows(200)]]
    lines[56] = line
    path = tmp_path / "quoted.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    message = refused(cli, db_path, path)
    assert message.startswith("testlearn: quoted.csv, row 57, column ")
    assert one_line(cli("analyse", str(path), *ANALYSE)) == message


def test_a_huge_cell_is_quoted_in_a_few_words(
    cli: Cli, ready: Any, tmp_path: Path, db_path: Path
) -> None:
    lines = ["arm,value", *[row.rsplit(",", 1)[0] for row in binary_rows(20)]]
    lines[7] = "pilot," + "9" * 50_000 + "x"  # line 8: a number cell, nearly as long as allowed
    lines[3] = "x" * 100_000 + ",1"  # line 4
    path = tmp_path / "returns.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    message = refused(cli, db_path, path)
    assert message.startswith("testlearn: returns.csv, row 4, column arm: 'xxxxx")
    assert "… (100,000 characters) is not an arm (group)" in message
    lines[3] = "pilot,1"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    message = refused(cli, db_path, path)
    assert message.startswith("testlearn: returns.csv, row 8, column value: '99999")
    assert "… (50,001 characters) is not" in message


ARMS = ["pilot", "comparator", " Pilot", "PILOT ", "control", "", ' "pilot"', '"pilot"x', '"pil']
VALUES = ["1", "0", " 1", "1.0", "1e0", "+0", "0.5", "", "nan", "1_0", "２", ' "1"', '"0"', '"1\n"']


@settings(
    max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    cells=st.lists(st.tuples(st.sampled_from(ARMS), st.sampled_from(VALUES)), min_size=2),
    outcome=st.sampled_from(["binary", "continuous"]),
)
def test_the_fast_reader_and_the_careful_reader_always_agree(
    tmp_path_factory: pytest.TempPathFactory, cells: list[tuple[str, str]], outcome: str
) -> None:
    """Same rows, or the same refusal, whichever reader reads the file."""
    from testlearn.errors import InputFileError
    from testlearn.services.outcome_columns import read_unit_columns
    from testlearn.services.outcome_files import Expectations, open_outcome_file

    path = tmp_path_factory.mktemp("agree") / "returns.csv"
    path.write_text("arm,value\n" + "\n".join(f"{a},{v}" for a, v in cells) + "\n")
    expect = Expectations(outcome_type=outcome)

    def careful() -> Any:
        source = open_outcome_file(path, expect)
        return [(row[0], float(row[1])) for chunk in source.chunks for row in chunk]

    def fast() -> Any:
        columns = read_unit_columns(path, expect)
        assert columns is not None
        return [(str(a), float(v)) for a, v in zip(columns["arm"], columns["value"], strict=True)]

    answers = []
    for read in (careful, fast):
        try:
            answers.append(read())
        except InputFileError as error:
            answers.append(str(error))
    assert answers[0] == answers[1]


# -- line numbers -------------------------------------------------------------------------------


def excel_1252(path: Path, above: int = 0) -> tuple[Path, int]:
    """Excel's "CSV (Comma delimited)" on a British machine: Windows-1252, CRLF, spaced
    headers, a quoted cell over two lines, blank lines; returns the file and the line of its
    one bad value."""
    lines = [""] * above + [" Group ,£ cost,Outcome Value,Site"]
    for i in range(1, 40):
        lines.append(f"Marketplace,£{i},Yes,Café Nord" if i % 2 else "Framework,300,No,South")
    lines[above + 5] = 'Marketplace,"£1,250\r\n(revised)",Yes,Café Nord'  # two lines
    lines[above + 9 : above + 9] = ["", ",,,"]  # a blank line and an empty row
    lines[above + 20] = "Framework,300,Maybe,South"
    path.write_bytes("\r\n".join(lines).encode("cp1252") + b"\r\n")
    # The line of "Maybe" as a text editor counts it: one more for the two-line cell.
    return path, above + 20 + 2


MAP = (
    "--map",
    " group =arm",
    "--map",
    "outcome_value=value",
    "--recode",
    "arm:Marketplace=pilot",
    "--recode",
    "arm:Framework=comparator",
)


@pytest.mark.parametrize("above", [0, 2])
def test_a_windows_1252_file_names_its_own_line(
    cli: Cli, ready: Any, tmp_path: Path, db_path: Path, above: int
) -> None:
    path, line = excel_1252(tmp_path / "Framework outcomes.csv", above)
    assert path.read_bytes().split(b"\r\n")[line - 1].startswith(b"Framework,300,Maybe")
    message = refused(cli, db_path, path, *MAP)
    assert message.startswith(
        f"testlearn: Framework outcomes.csv, row {line}, column Outcome Value: 'Maybe' is not"
    )


def test_a_pdf_renamed_csv_is_refused(cli: Cli, ready: Any, tmp_path: Path, db_path: Path) -> None:
    from tests.integration.test_outcome_files import PDF

    path = tmp_path / "results.csv"
    path.write_bytes(PDF)
    message = refused(cli, db_path, path)
    assert (
        message
        == "testlearn: results.csv: this is a PDF document, not a CSV or .xlsx file of results"
    )


# -- .xlsx: XML attacks, bad cells, zip bombs ---------------------------------------------------

SHEET = "xl/worksheets/sheet1.xml"
LAUGHS = (
    b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol0 "lol">'
    + b"".join(b'<!ENTITY lol%d "%s">' % (i, b"&lol%d;" % (i - 1) * 10) for i in range(1, 10))
    + b"]>"
)
XXE = b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'


def workbook(path: Path, rows: int = 40) -> Path:
    from openpyxl import Workbook

    book = Workbook()
    book.active.append(["arm", "value"])
    for i in range(rows):
        book.active.append(["pilot" if i % 2 else "comparator", i % 2])
    book.save(path)
    return path


def patched(base: Path, path: Path, part: str, change: Any) -> Path:
    """``base`` with one part rewritten by ``change`` (bytes -> bytes), saved as ``path``."""
    import zipfile

    with zipfile.ZipFile(base) as old, zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as new:
        for info in old.infolist():
            data = old.read(info.filename)
            new.writestr(info.filename, change(data) if info.filename == part else data)
    return path


def first_value(text: bytes) -> Any:
    """Put ``text`` in place of the first numeric cell's value of the sheet."""
    return lambda xml: xml.replace(b"<v>0</v>", b"<v>" + text + b"</v>", 1)


@pytest.mark.parametrize(
    ("part", "change"),
    [
        (SHEET, lambda xml: LAUGHS + xml.replace(b"<v>1</v>", b"<v>&lol9;</v>", 1)),
        (SHEET, lambda xml: XXE + xml.replace(b"<v>1</v>", b"<v>&e;</v>", 1)),
        (SHEET, lambda xml: (XXE + xml).decode().encode("utf-16")),
        ("xl/styles.xml", lambda xml: b"<!-- " + b"x" * 100_000 + b" -->" + LAUGHS[21:] + xml),
    ],
    ids=["billion-laughs", "xxe", "xxe-in-utf-16", "dtd-after-a-long-comment-in-styles"],
)
def test_a_dtd_in_any_part_is_refused_naming_the_file_and_part(
    cli: Cli, ready: Any, tmp_path: Path, db_path: Path, part: str, change: Any
) -> None:
    path = patched(workbook(tmp_path / "base.xlsx"), tmp_path / "returns.xlsx", part, change)
    message = refused(cli, db_path, path)
    assert message.startswith(f"testlearn: returns.xlsx: refused: the part '{part}' declares a DTD")
    assert "/etc/passwd" not in message and "root:" not in message
    assert one_line(cli("analyse", str(path), *ANALYSE)) == message


def test_the_same_workbook_without_the_attack_imports(cli: Cli, ready: Any, tmp_path: Path) -> None:
    path = patched(workbook(tmp_path / "base.xlsx"), tmp_path / "returns.xlsx", SHEET, bytes)
    run = cli("import-results", "T-001", "H1", str(path))
    assert run.code == 0, run.err
    assert "imported 40 unit rows from returns.xlsx" in run.out


@pytest.mark.parametrize("text", [b"NaN", b"-nan", b"1.#QNAN", b"Infinity"])
def test_a_nan_cell_is_refused_naming_its_row_column_and_cell(
    cli: Cli, ready: Any, tmp_path: Path, db_path: Path, text: bytes
) -> None:
    base = workbook(tmp_path / "base.xlsx")
    path = patched(base, tmp_path / "returns.xlsx", SHEET, first_value(text))
    message = refused(cli, db_path, path)
    assert message == (
        "testlearn: returns.xlsx, sheet Sheet, row 2, column value (cell B2): the cell is "
        f"marked as holding a number but holds {text.decode()!r}; type the value again, or "
        "clear the cell"
    )


def test_an_infinite_number_cell_is_refused_naming_its_row_and_column(
    cli: Cli, ready: Any, tmp_path: Path, db_path: Path
) -> None:
    base = workbook(tmp_path / "base.xlsx")
    path = patched(base, tmp_path / "returns.xlsx", SHEET, first_value(b"1e400"))
    message = refused(cli, db_path, path)
    assert message.startswith("testlearn: returns.xlsx, sheet Sheet, row 2, column value: inf")


def _raw_deflate(data: bytes, final: bool) -> bytes:
    """``data`` as deflate blocks that need nothing before them: pieces made so can be joined."""
    import zlib

    squeeze = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    return squeeze.compress(data) + squeeze.flush(zlib.Z_FINISH if final else zlib.Z_FULL_FLUSH)


def hand_made_zip(path: Path, parts: list[tuple[str, bytes, int, int]]) -> Path:
    """A zip of already deflated parts: (name, deflated bytes, crc32, size it declares)."""
    import struct

    body, directory = b"", b""
    for name, data, crc, size in parts:
        encoded = name.encode()
        local = struct.pack(
            "<4s5H3L2H", b"PK\x03\x04", 20, 0, 8, 0, 0, crc, len(data), size, len(encoded), 0
        )
        directory += (
            struct.pack(
                "<4s6H3L5H2L",
                b"PK\x01\x02",
                20,
                20,
                0,
                8,
                0,
                0,
                crc,
                len(data),
                size,
                len(encoded),
                0,
                0,
                0,
                0,
                0,
                len(body),
            )
            + encoded
        )
        body += local + encoded + data
    end = struct.pack(
        "<4s4H2LH", b"PK\x05\x06", 0, 0, len(parts), len(parts), len(directory), len(body), 0
    )
    path.write_bytes(body + directory + end)
    return path


def bomb(base: Path, path: Path, part: str, mebibytes: int, declared: int | None = None) -> Path:
    """``base`` with ``part`` padded by ``mebibytes`` MiB of spaces (legal between XML
    elements), deflated once and repeated: a few MB on disk. ``declared`` is the size the part
    claims (its true size if None)."""
    import zipfile
    import zlib

    parts = []
    with zipfile.ZipFile(base) as old:
        for info in old.infolist():
            data = old.read(info.filename)
            if info.filename != part:
                parts.append((info.filename, _raw_deflate(data, True), zlib.crc32(data), len(data)))
                continue
            cut = data.index(b">", data.index(b"<sheetData") if part == SHEET else 0) + 1
            head, tail, spaces = data[:cut], data[cut:], b" " * (1 << 20)
            deflated = _raw_deflate(head, False) + _raw_deflate(spaces, False) * mebibytes
            deflated += _raw_deflate(tail, True)
            size = len(head) + len(tail) + mebibytes * len(spaces)
            crc = zlib.crc32(head)
            if declared is None:
                for _ in range(mebibytes):
                    crc = zlib.crc32(spaces, crc)
                crc = zlib.crc32(tail, crc)
            else:  # the checksum of what zipfile would hand on, cut to the declared size
                crc = zlib.crc32((head + spaces)[:declared])
            parts.append((info.filename, deflated, crc, size if declared is None else declared))
    return hand_made_zip(path, parts)


def peak_import(db_path: Path, path: Path) -> tuple[int, str, int]:
    """Import in a fresh process: (exit code, what it wrote to stderr, its peak memory in MB).

    The peak is the kernel's high-water mark of the process's resident memory (VmHWM), which
    starts again at exec, so nothing of the test's own process is counted."""
    import os
    import subprocess
    import sys

    if not Path("/proc/self/status").exists():
        pytest.skip("the peak memory of a process is read from /proc (Linux)")
    script = (
        "import re, sys\n"
        "from testlearn.cli import main\n"
        "code = main(sys.argv[1:])\n"
        "status = open('/proc/self/status').read()\n"
        "print(int(re.search(r'VmHWM:\\s+(\\d+) kB', status)[1]) // 1024)\n"
        "sys.exit(code)\n"
    )
    arguments = ["--db", str(db_path), "import-results", "T-001", "H1", str(path)]
    done = subprocess.run(
        [sys.executable, "-c", script, *arguments],
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "PYTHONPATH": str(Path(__file__).parents[2])},
    )
    return done.returncode, done.stderr, int(done.stdout.split()[-1])


def test_a_zip_bomb_is_refused_before_it_is_inflated(
    ready: Any, tmp_path: Path, db_path: Path
) -> None:
    path = bomb(workbook(tmp_path / "base.xlsx"), tmp_path / "returns.xlsx", SHEET, 1100)
    assert path.stat().st_size < 4_000_000  # a few MB that would inflate to 1.1 GB
    before = state(db_path)
    ready.close()
    code, err, peak = peak_import(db_path, path)
    assert code == 1
    assert err.strip() == (
        "testlearn: returns.xlsx: refused: its parts inflate to 1,100 MiB, more than the "
        "1,024 MiB this program reads from a workbook; it may be crafted to attack the "
        "reader. Open it in Excel and save it again, or export the data as CSV"
    )
    assert peak < 500, f"{peak} MB"
    assert state(db_path) == before


def test_a_part_inflating_a_thousand_times_is_refused(
    cli: Cli, ready: Any, tmp_path: Path, db_path: Path
) -> None:
    path = bomb(workbook(tmp_path / "base.xlsx"), tmp_path / "returns.xlsx", SHEET, 50)
    message = refused(cli, db_path, path)
    assert message.startswith(f"testlearn: returns.xlsx: refused: the part '{SHEET}' inflates")
    assert "times (to 50 MiB)" in message


def test_a_part_that_lies_about_its_size_is_refused_before_openpyxl_reads_it(
    ready: Any, tmp_path: Path, db_path: Path
) -> None:
    """zipfile reads a part read whole (the styles) by inflating all of it, and only then cuts
    it to the size declared: 300 MB would be held for a part claiming 2 KB."""
    base = workbook(tmp_path / "base.xlsx")
    path = bomb(base, tmp_path / "returns.xlsx", "xl/styles.xml", 300, declared=2000)
    before = state(db_path)
    ready.close()
    code, err, peak = peak_import(db_path, path)
    assert code == 1
    assert err.strip().startswith(
        "testlearn: returns.xlsx: refused: the part 'xl/styles.xml' inflates to more than the "
        "2,000 bytes it declares"
    )
    assert peak < 250, f"{peak} MB"
    assert state(db_path) == before


def test_an_archive_of_too_many_parts_is_refused(
    cli: Cli, ready: Any, tmp_path: Path, db_path: Path
) -> None:
    import zipfile

    path = workbook(tmp_path / "returns.xlsx")
    with zipfile.ZipFile(path, "a") as archive:
        for i in range(10_001):
            archive.writestr(f"customXml/item{i}.xml", b"<a/>")
    message = refused(cli, db_path, path)
    assert message.startswith("testlearn: returns.xlsx: refused: the archive holds more parts")


@pytest.mark.parametrize("cell", [b"<c><v>1</v></c>", b'<x:c r="Z9"><x:v>1</x:v></x:c>'])
def test_a_row_wider_than_excel_allows_is_refused(
    cli: Cli, ready: Any, tmp_path: Path, db_path: Path, cell: bytes
) -> None:
    """openpyxl builds a row whole: one row of millions of cells would be held at once."""
    wide = b"<row>" + cell * 16_385 + b"</row></sheetData>"
    base = workbook(tmp_path / "base.xlsx")
    change = (
        (lambda xml: xml.replace(b"</sheetData>", wide, 1))
        if b"x:" not in cell
        else (lambda xml: xml.replace(b"</sheetData>", wide.replace(b"<row>", b"<x:row>"), 1))
    )
    path = patched(base, tmp_path / "returns.xlsx", SHEET, change)
    message = refused(cli, db_path, path)
    assert message.startswith(
        f"testlearn: returns.xlsx: refused: row 42 of the sheet in the part '{SHEET}' holds "
        "more than 16,384 cells, Excel's limit"
    )


def test_a_header_below_blank_lines_is_named_by_its_own_line(
    cli: Cli, ready: Any, tmp_path: Path, db_path: Path
) -> None:
    path = tmp_path / "returns.csv"
    path.write_bytes(b"\r\n\r\ngroup,value\r\npilot,1\r\n")
    message = refused(cli, db_path, path)
    assert message.startswith("testlearn: returns.csv, row 3: missing column arm")
    message = refused(cli, db_path, path, "--map", "team=arm")
    assert message.startswith("testlearn: returns.csv, row 3: there is no column 'team' to map")
