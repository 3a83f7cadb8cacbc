"""Outcome files as people really have them, written here byte for byte and read back."""

from __future__ import annotations

import hashlib
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from testlearn.errors import InputFileError, TestlearnError
from testlearn.services import outcome_import, pilots, registration
from testlearn.services.outcome_cells import OutcomeFileError
from testlearn.services.outcome_files import Expectations, open_outcome_file
from testlearn.services.outcome_mapping import ColumnMapping, parse_options
from testlearn.services.outcome_preview import (
    describe_column,
    preview_outcome_file,
    unsaid_values,
)
from tests.builders import hypothesis, pilot

BINARY = Expectations(outcome_type="binary")
PDF = (
    b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog /Pages 2 0 R >>\nendobj\n"
    b"2 0 obj\n<< /Type /Pages /Kids [] /Count 0 >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
)
PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00"
    b"\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\xff\xff?\x00\x05\xfe\x02\xfe\xa7\x35"
    b"\x81\x84\x00\x00\x00\x00IEND\xaeB`\x82"
)


def excel_csv(path: Path) -> Path:
    """What Excel's "CSV (Comma delimited)" writes on a British Windows machine."""
    lines = [
        " Group ,£ cost,Outcome Value,Site",
        'Marketplace,"£1,250.50",Yes,North',
        "Framework,300,No,South",
        "Marketplace,410,yes,North",
        "Framework,£95,NO,South",
    ]
    path.write_bytes("\r\n".join(lines).encode("cp1252") + b"\r\n")
    return path


GROUPS = ColumnMapping(
    {"group": "arm", "outcome_value": "value", "SITE": "cluster"},
    {"arm": {"Marketplace": "pilot", "Framework": "comparator"}},
)


def rows(path: Path, expect: Expectations = BINARY, mapping: ColumnMapping | None = None) -> Any:
    source = open_outcome_file(path, expect, mapping)
    return source, [row for chunk in source.chunks for row in chunk]


def test_an_excel_csv_in_windows_1252_with_spaced_headers_reads_with_a_mapping(
    tmp_path: Path,
) -> None:
    source, read = rows(excel_csv(tmp_path / "results.csv"), mapping=GROUPS)
    assert source.encoding == "Windows-1252, as the file is not valid UTF-8"
    assert source.ignored == ["£ cost"]
    assert [(r[0], r[1], r[3]) for r in read] == [
        ("pilot", 1.0, "North"),
        ("comparator", 0.0, "South"),
        ("pilot", 1.0, "North"),
        ("comparator", 0.0, "South"),
    ]


def test_headers_match_trimmed_in_any_case_and_spacing(tmp_path: Path) -> None:
    path = tmp_path / "h.csv"
    path.write_text(" ARM ,Outcome-Value\npilot,1\n", encoding="utf-8")
    source, read = rows(path, mapping=ColumnMapping({"outcome value": "value"}))
    assert source.shape == "unit" and read == [("pilot", 1.0, None, None, None, None, None, None)]
    assert source.names == {"arm": "ARM", "value": "Outcome-Value"}


def test_the_money_column_can_be_the_outcome(tmp_path: Path) -> None:
    mapping = ColumnMapping({"Group": "arm", "£ cost": "value"}, GROUPS.recode)
    _, read = rows(excel_csv(tmp_path / "c.csv"), Expectations("continuous"), mapping)
    assert [r[1] for r in read] == [1250.5, 300.0, 410.0, 95.0]


def test_utf8_with_a_byte_order_mark_is_read_and_said(tmp_path: Path) -> None:
    path = tmp_path / "bom.csv"
    path.write_bytes(b"\xef\xbb\xbfarm,value\r\npilot,1\r\ncomparator,0\r\n")
    source, read = rows(path)
    assert source.encoding == "UTF-8 with a byte order mark"
    assert source.columns == ["arm", "value"] and len(read) == 2
    assert preview_outcome_file(path).read_as() == "Text read as UTF-8 with a byte order mark."


def test_an_encoding_can_be_named(tmp_path: Path) -> None:
    path = tmp_path / "mac.csv"
    path.write_bytes("arm,value,note\npilot,1,caf\u00e9\n".encode("mac-roman"))
    source = open_outcome_file(path, BINARY, encoding="mac-roman")
    assert source.encoding == "mac-roman"
    assert [row for chunk in source.chunks for row in chunk] == [
        ("pilot", 1.0, None, None, None, None, None, None)
    ]


def test_a_file_in_neither_encoding_names_its_line(tmp_path: Path) -> None:
    path = tmp_path / "odd.csv"
    path.write_bytes(b"arm,value\npilot,1\npilot,1\ncomparator,\x81\x8d\n")
    with pytest.raises(InputFileError) as caught:
        open_outcome_file(path, BINARY)
    assert str(caught.value).startswith("odd.csv, row 4: neither UTF-8 nor Windows-1252 text")


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("report.csv", PDF, "report.csv: this is a PDF document, not a CSV or .xlsx file"),
        ("picture.csv", PNG, "picture.csv: this is a PNG image"),
        ("picture.xlsx", PNG, "picture.xlsx: not a readable .xlsx workbook (it looks like a PNG"),
        ("notes.xlsx", b"arm,value\npilot,1\n", "notes.xlsx: not a readable .xlsx workbook"),
        ("blob.csv", b"ab\x00\x01\x02cd\n", "blob.csv: this is a binary file"),
        ("empty.csv", b"", "empty.csv: the file is empty"),
        ("blank.csv", b"\r\n \r\n", "blank.csv: the file is empty"),
        ("old.csv", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(100), "an old-style .xls"),
    ],
)
def test_files_that_are_not_data_are_refused_in_one_line(
    tmp_path: Path, name: str, content: bytes, message: str
) -> None:
    path = tmp_path / name
    path.write_bytes(content)
    for read in (lambda: open_outcome_file(path, BINARY), lambda: preview_outcome_file(path)):
        with pytest.raises(TestlearnError) as caught:
            read()
        assert message in str(caught.value)
        assert "\n" not in str(caught.value)


def test_a_zip_renamed_csv_is_refused_and_a_workbook_renamed_csv_is_read(tmp_path: Path) -> None:
    import zipfile

    archive = tmp_path / "photos.csv"
    with zipfile.ZipFile(archive, "w") as z:
        z.writestr("a.txt", "hello")
    with pytest.raises(
        InputFileError, match=re.escape("photos.csv: this is a zip archive, not a CSV")
    ):
        open_outcome_file(archive, BINARY)
    book = Workbook()
    book.active.append(["Arm", "Value"])
    book.active.append(["pilot", 1])
    renamed = tmp_path / "export.csv"
    book.save(renamed)
    source, read = rows(renamed)
    assert source.sheet == "Sheet" and read == [("pilot", 1.0, None, None, None, None, None, None)]


def test_a_header_only_file_is_refused_once_read(tmp_path: Path) -> None:
    path = tmp_path / "head.csv"
    path.write_text("arm,value\r\n\r\n", encoding="utf-8")
    source = open_outcome_file(path, BINARY)
    with pytest.raises(
        InputFileError, match=re.escape("head.csv: the file has a header but no data rows")
    ):
        list(source.chunks)


def test_an_unmapped_group_is_reported_with_its_own_line_and_column(tmp_path: Path) -> None:
    path = tmp_path / "g.csv"
    path.write_text('Group,Value,Note\npilot,1,"two\nlines"\nOther,0,x\n', encoding="utf-8")
    with pytest.raises(InputFileError, match=re.escape("g.csv, row 1: missing column arm")):
        open_outcome_file(path, BINARY)  # no mapping: "Group" is not a contract column
    source = open_outcome_file(path, BINARY, ColumnMapping({"Group": "arm"}))
    with pytest.raises(OutcomeFileError) as caught:
        list(source.chunks)
    error = caught.value
    assert (error.row, error.column) == (4, "Group")  # the quoted note spans lines 2 and 3
    assert "g.csv, row 4, column Group: 'Other' is not an arm (group)" in str(error)


def test_recoding_yes_no_and_leaving_rows_out(tmp_path: Path) -> None:
    path = tmp_path / "r.csv"
    path.write_text(
        "arm,value\npilot,Yes\ncomparator,no\npilot,TRUE\npilot,Withdrew\ntest,1\n",
        encoding="utf-8",
    )
    mapping = parse_options([], ["value:withdrew=leave-out", "arm:Test=leave out"])
    source, read = rows(path, mapping=mapping)
    assert [r[:2] for r in read] == [("pilot", 1.0), ("comparator", 0.0), ("pilot", 1.0)]
    assert source.left_out == 2


def test_a_mapping_naming_a_missing_column_says_which_are_there(tmp_path: Path) -> None:
    path = excel_csv(tmp_path / "m.csv")
    with pytest.raises(InputFileError) as caught:
        open_outcome_file(path, BINARY, ColumnMapping({"Grp": "arm"}))
    assert "there is no column 'Grp' to map (the columns are: Group, £ cost" in str(caught.value)
    with pytest.raises(InputFileError, match="'colour' is not a kind of column"):
        open_outcome_file(path, BINARY, ColumnMapping({"Group": "colour"}))
    with pytest.raises(InputFileError, match="cannot become 'maybe'"):
        open_outcome_file(path, BINARY, ColumnMapping(GROUPS.columns, {"arm": {"x": "maybe"}}))


def test_the_preview_says_what_each_column_becomes(tmp_path: Path) -> None:
    preview = preview_outcome_file(excel_csv(tmp_path / "p.csv"))
    assert preview.header == ("Group", "£ cost", "Outcome Value", "Site")
    assert preview.lines == (2, 3, 4, 5)
    assert preview.guesses == ("arm", None, "value", "cluster")
    assert preview.read_as() == "Text read as Windows-1252, as the file is not valid UTF-8."
    recode = {"marketplace": "pilot", "framework": "comparator"}
    assert describe_column(preview, 0, "arm", recode, "binary") == (
        "Group: 'Marketplace' -> pilot, 'Framework' -> comparator"
    )
    assert "'Yes' -> 1, 'No' -> 0" in describe_column(preview, 2, "value", {}, "binary")
    assert describe_column(preview, 1, None, {}, "binary") == "£ cost: not imported"
    columns = {0: "arm", 1: None, 2: "value", 3: "cluster"}
    assert unsaid_values(preview, columns, {}, "binary") == [
        "Group: 'Marketplace'",
        "Group: 'Framework'",
    ]
    assert unsaid_values(preview, columns, {"arm": recode}, "binary") == []


# -- through the import service --------------------------------------------------------------


@pytest.fixture
def registered(db: Any) -> Any:
    pilots.create_pilot(pilot(), db=db, actor="ana")
    pilots.add_record("T-001", "hypothesis", hypothesis(), db=db, actor="ana")
    registration.register("T-001", db=db, actor="ana")
    return db


def test_an_xlsx_import_records_the_real_file_name_and_sha256(
    registered: Any, tmp_path: Path
) -> None:
    book = Workbook()
    sheet = book.active
    sheet.title = "Outcomes"
    sheet.append([" Group ", "Passed?"])
    for group, passed in (("Marketplace", "Yes"), ("Framework", "No"), ("Framework", "yes")):
        sheet.append([group, passed])
    path = tmp_path / "Q3 outcomes.xlsx"
    book.save(path)
    mapping = ColumnMapping({"Group": "arm", "passed?": "value"}, GROUPS.recode)
    summary = outcome_import.import_results(
        "T-001", "H1", path, db=registered, actor="ana", mapping=mapping
    )
    dataset = summary.dataset
    assert dataset.source_name == "Q3 outcomes.xlsx"
    assert dataset.source_sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    assert dataset.row_count == 3
    shown = pilots.get_pilot("T-001", db=registered).hypothesis("H1").dataset
    assert shown is not None and shown.source_name == "Q3 outcomes.xlsx"


def test_an_import_reports_progress_and_stops_on_cancel_storing_nothing(
    registered: Any, tmp_path: Path
) -> None:
    path = tmp_path / "big.csv"
    path.write_text("arm,value\n" + "pilot,1\ncomparator,0\n" * 30_000, encoding="utf-8")
    seen: list[float] = []
    summary = outcome_import.import_results(
        "T-001", "H1", path, db=registered, actor="ana", progress=seen.append
    )
    assert summary.dataset.row_count == 60_000
    assert seen == sorted(seen) and seen[-1] == 1.0 and len(seen) >= 3
    before = pilots.get_pilot("T-001", db=registered).hypothesis("H1").dataset

    fractions: list[float] = []
    with pytest.raises(outcome_import.ImportCancelled, match="nothing was saved"):
        outcome_import.import_results(
            "T-001",
            "H1",
            path,
            db=registered,
            actor="ana",
            progress=fractions.append,
            should_cancel=lambda: bool(fractions),  # Cancel pressed after the first chunk
        )
    after = pilots.get_pilot("T-001", db=registered).hypothesis("H1").dataset
    assert after == before


def test_a_header_too_long_for_a_cell_is_named(tmp_path: Path) -> None:
    path = tmp_path / "long.csv"
    path.write_text('"' + "a" * 200_000 + '",value\npilot,1\n', encoding="utf-8")
    with pytest.raises(
        InputFileError, match=re.escape("long.csv, row 1: a cell is longer than 131,072")
    ):
        open_outcome_file(path, BINARY)


@settings(
    max_examples=120, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    data=st.one_of(
        st.binary(max_size=600),
        st.text(alphabet='arm,value;\t\n\r"pilotcomparator01yes £\x00', max_size=300).map(
            lambda text: text.encode("utf-8")
        ),
        st.binary(max_size=200).map(lambda tail: b"PK\x03\x04" + tail),
    ),
    suffix=st.sampled_from([".csv", ".xlsx", ".txt"]),
)
def test_whatever_the_bytes_the_answer_is_rows_or_a_message(
    tmp_path: Path, data: bytes, suffix: str
) -> None:
    path = tmp_path / f"any{suffix}"
    path.write_bytes(data)
    for read in (
        lambda: [row for chunk in open_outcome_file(path, BINARY).chunks for row in chunk],
        lambda: preview_outcome_file(path),
    ):
        try:
            read()
        except TestlearnError as error:
            assert str(error) and "\n" not in str(error)
